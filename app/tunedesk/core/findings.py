"""What the checks (and importers) report about a dataset."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tunedesk.core.i18n import Text


class Severity(StrEnum):
    ERROR = "error"      # blocks training
    WARNING = "warning"  # advice; training may go ahead


class FixKind(StrEnum):
    """Quick fixes the UI offers next to a finding (see core.checks.plan_fix)."""

    APPLY_SYSTEM_PROMPT = "apply_system_prompt"    # drop per-example system messages
    USE_AS_SYSTEM_PROMPT = "use_as_system_prompt"  # a system-only example becomes the prompt
    REMOVE_DUPLICATES = "remove_duplicates"        # exact duplicate examples
    TRIM_WHITESPACE = "trim_whitespace"
    REMOVE_EMPTY = "remove_empty"                  # rows with neither question nor answer


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem. ``row_id`` links it to a table row; ``line`` to the source file (1-based)."""

    severity: Severity
    code: str
    message: Text
    row_id: str | None = None
    line: int | None = None
    fix: FixKind | None = None
    path: str | None = None  # source file, for problems found while importing
