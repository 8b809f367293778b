"""The checklist's quick fixes as undo commands (what to change comes from core.checks)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from tunedesk.core.dataset import Dataset
from tunedesk.core.findings import Finding, FixKind
from tunedesk.ui.undo import (
    MacroCommand,
    RemoveExamplesByIdCommand,
    ReplaceExamplesCommand,
    SetSystemPromptCommand,
)


def fix_command(dataset: Dataset, finding: Finding) -> MacroCommand | None:
    """One undo step that applies ``finding``'s quick fix to the whole dataset.

    None when the finding has no fix or the fix would change nothing.
    """
    if finding.fix is None:
        return None
    from tunedesk.core.checks import plan_fix

    plan = plan_fix(dataset, FixKind(finding.fix))
    if plan.is_empty:
        return None
    macro = MacroCommand(
        QCoreApplication.translate("QuickFixes", "Quick fix: {what}").format(
            what=str(finding.message)
        )
    )
    if plan.replacements:
        changes = []
        for new in plan.replacements:
            row = dataset.index_of(new.id)
            if row is not None:
                changes.append((dataset[row], new))
        macro.add(ReplaceExamplesCommand(dataset, changes, ""))
    if plan.remove_ids:
        macro.add(RemoveExamplesByIdCommand(dataset, plan.remove_ids, ""))
    if plan.system_prompt is not None:
        macro.add(SetSystemPromptCommand(dataset, plan.system_prompt, "", merge=False))
    return macro
