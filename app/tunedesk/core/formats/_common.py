"""Shared pieces of the importers: result types, limits, problem collection, messages."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from tunedesk.core.dataset import Example
from tunedesk.core.errors import FileProblem, UserFacingError
from tunedesk.core.findings import Finding, Severity
from tunedesk.core.i18n import Text, lazy

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".jsonl", ".json", ".csv", ".tsv", ".txt", ".xlsx"})

#: Azure's limit for one training file. Bigger files are refused before anything is read.
MAX_IMPORT_BYTES = 512 * 1024 * 1024

#: After this many broken lines only a summary is added, so a bad file cannot flood the list.
MAX_PROBLEMS = 200


@dataclass(slots=True)
class ColumnMapping:
    """Which column (0-based) of a table holds what. ``has_header``: skip the first row."""

    question: int
    answer: int
    system: int | None = None
    split: int | None = None
    note: int | None = None
    has_header: bool = True

    def columns(self) -> list[int]:
        return [c for c in (self.question, self.answer, self.system, self.split, self.note)
                if c is not None]


@dataclass(slots=True)
class ImportResult:
    """What an import produced. ``problems`` lists lines/rows that could not be loaded."""

    path: str
    format: str  # "jsonl" | "json" | "csv" | "tsv" | "xlsx"
    examples: list[Example]
    problems: list[Finding] = field(default_factory=list)
    encoding: str | None = None
    mapping: ColumnMapping | None = None
    skipped_blank: int = 0


class ColumnMappingNeeded(UserFacingError):
    """The columns of a table could not be recognised; the UI asks the person to choose.

    ``headers`` are the first row's cells, or "Column 1", "Column 2"… when the first row
    does not look like headings; ``sample`` holds a few rows as text; ``guess`` is the best
    guess to preselect (it may be None). Import again with ``mapping=``.
    """

    def __init__(
        self,
        path: str,
        headers: list[str],
        sample: list[list[str]],
        guess: ColumnMapping | None,
    ) -> None:
        super().__init__(
            lazy.translate(
                "Import", "TuneDesk could not tell which columns of {file} hold the questions "
                "and which hold the answers."
            ).format(file=display_name(path)),
            lazy.translate("Import", "Choose the question column and the answer column."),
        )
        self.path = path
        self.headers = headers
        self.sample = sample
        self.guess = guess


def display_name(path: str) -> str:
    """The file name as people know it (the full path stays in ``path`` attributes)."""
    return os.path.basename(path) or path


class Problems:
    """Collects line problems for one file, capping the list at :data:`MAX_PROBLEMS`."""

    __slots__ = ("first", "items", "overflow", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Finding] = []
        self.overflow = 0
        self.first: tuple[int | None, Text] | None = None

    def add(self, code: str, message: Text, line: int | None) -> None:
        if self.first is None:
            self.first = (line, message)
        if len(self.items) >= MAX_PROBLEMS:
            self.overflow += 1
            return
        self.items.append(
            Finding(Severity.ERROR, code, message, line=line, path=self.path)
        )

    def __len__(self) -> int:
        return len(self.items) + self.overflow

    def findings(self) -> list[Finding]:
        if not self.overflow:
            return list(self.items)
        summary = Finding(
            Severity.ERROR,
            "import.more_problems",
            lazy.translate(
                "Import", "{count} more lines of {file} could not be imported either."
            ).format(count=self.overflow, file=display_name(self.path)),
            path=self.path,
        )
        return [*self.items, summary]


def file_problem(path: str, message: Text, hint: Text | None = None,
                 line: int | None = None) -> FileProblem:
    return FileProblem(path, message, hint, line=line)


def nothing_loaded(path: str, problems: Problems) -> FileProblem:
    """Every line was broken: one clear message (the first problem says what to fix)."""
    line, detail = problems.first if problems.first else (None, None)
    return FileProblem(
        path,
        lazy.translate("Import", "Nothing could be imported from {file}.").format(
            file=display_name(path)
        ),
        detail if detail is not None else WHAT_TO_IMPORT,
        line=line,
    )


WHAT_TO_IMPORT = lazy.translate(
    "Import",
    "TuneDesk imports JSONL files with one example per line, and tables (.csv, .tsv, .txt, "
    ".xlsx) with a question column and an answer column.",
)


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))
