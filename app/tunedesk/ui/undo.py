"""Undo commands for every change the Data page makes to a :class:`Dataset`.

Each command keeps the examples it replaces (examples are immutable), so undo/redo only call
``Dataset.insert/remove/replace/reset/set_system_prompt``; the table model and the project
store follow through the dataset's events. Commands find rows by example id at the moment
they run (ids are stable; positions may have moved since), falling back to the stored row.

Composite changes (paste, import, quick fixes, replace-all) are one :class:`MacroCommand`
whose children run in order on redo and in reverse on undo (Qt's parent/child commands).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QUndoCommand

from tunedesk.core.dataset import Dataset, Example

_MERGE_SYSTEM_PROMPT = 1001
_MERGE_EXAMPLE_TYPING = 1002


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, count) runs of consecutive rows."""
    out: list[tuple[int, int]] = []
    for r in sorted(rows):
        if out and out[-1][0] + out[-1][1] == r:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((r, 1))
    return out


class MacroCommand(QUndoCommand):
    """A named group; children are added with ``add`` and run in order."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._children: list[QUndoCommand] = []  # keep the Python wrappers alive

    def add(self, command: QUndoCommand) -> None:
        self._children.append(command)

    def redo(self) -> None:
        for c in self._children:
            c.redo()

    def undo(self) -> None:
        for c in reversed(self._children):
            c.undo()

    def is_empty(self) -> bool:
        return not self._children


class ReplaceExamplesCommand(QUndoCommand):
    """Replace examples by id with new versions (same ids). Consecutive rows go in one call.

    With ``merge_key`` set, consecutive commands for the same single example and key merge
    into one undo step (typing in the detail panel).
    """

    def __init__(
        self,
        dataset: Dataset,
        changes: Sequence[tuple[Example, Example]],
        text: str,
        *,
        merge_key: str | None = None,
    ) -> None:
        super().__init__(text)
        self._dataset = dataset
        self._changes = [(old, new) for old, new in changes if old is not new]
        self._merge_key = merge_key

    def _apply(self, pairs: Sequence[tuple[Example, Example]]) -> None:
        ds = self._dataset
        placed: dict[int, Example] = {}
        for current, target in pairs:
            row = ds.index_of(current.id)
            if row is not None:
                placed[row] = target
        for first, count in _runs(list(placed)):
            ds.replace(first, [placed[r] for r in range(first, first + count)])

    def redo(self) -> None:
        self._apply(self._changes)

    def undo(self) -> None:
        self._apply([(new, old) for old, new in self._changes])

    def id(self) -> int:
        return _MERGE_EXAMPLE_TYPING if self._merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Reimplements ``QUndoCommand::mergeWith``: keep the first old, take the last new."""
        if not isinstance(other, ReplaceExamplesCommand) or other._merge_key != self._merge_key:
            return False
        if len(self._changes) != 1 or len(other._changes) != 1:
            return False
        (old, mine), (theirs_old, theirs_new) = self._changes[0], other._changes[0]
        if mine.id != theirs_new.id or theirs_old is not mine:
            return False
        self._changes = [(old, theirs_new)]
        return True


class InsertExamplesCommand(QUndoCommand):
    """Insert a block of examples at ``first`` (or at the end when ``first`` is None)."""

    def __init__(
        self, dataset: Dataset, first: int | None, examples: Sequence[Example], text: str
    ) -> None:
        super().__init__(text)
        self._dataset = dataset
        self._first = len(dataset) if first is None else first
        self._examples = list(examples)

    def redo(self) -> None:
        self._dataset.insert(self._first, self._examples)

    def undo(self) -> None:
        self._dataset.remove(self._first, len(self._examples))


class RemoveExamplesCommand(QUndoCommand):
    """Remove any set of rows (non-contiguous too); undo puts each back where it was."""

    def __init__(self, dataset: Dataset, rows: Sequence[int], text: str) -> None:
        super().__init__(text)
        self._dataset = dataset
        self._rows = sorted(set(rows))
        self._removed: list[tuple[int, int, list[Example]]] = []

    def redo(self) -> None:
        self._removed = []
        # bottom-up so earlier row numbers stay valid
        for first, count in reversed(_runs(self._rows)):
            gone = self._dataset.remove(first, count)
            self._removed.append((first, count, gone))

    def undo(self) -> None:
        for first, _count, gone in reversed(self._removed):
            self._dataset.insert(first, gone)


class RemoveExamplesByIdCommand(RemoveExamplesCommand):
    """Like :class:`RemoveExamplesCommand` but rows are looked up by id when it first runs."""

    def __init__(self, dataset: Dataset, ids: Sequence[str], text: str) -> None:
        rows = [r for r in (dataset.index_of(i) for i in ids) if r is not None]
        super().__init__(dataset, rows, text)


class ResetDatasetCommand(QUndoCommand):
    """Replace every row and the system prompt (an import that replaces the table)."""

    def __init__(
        self, dataset: Dataset, system_prompt: str, examples: Sequence[Example], text: str
    ) -> None:
        super().__init__(text)
        self._dataset = dataset
        self._new = (system_prompt, list(examples))
        self._old = (dataset.system_prompt, list(dataset.examples))

    def redo(self) -> None:
        self._dataset.reset(*self._new)

    def undo(self) -> None:
        self._dataset.reset(*self._old)


class SetSystemPromptCommand(QUndoCommand):
    """Change the shared system prompt; consecutive typing merges into one undo step."""

    def __init__(self, dataset: Dataset, text: str, label: str, *, merge: bool = True) -> None:
        super().__init__(label)
        self._dataset = dataset
        self._old = dataset.system_prompt
        self._new = text
        self._merge = merge

    def redo(self) -> None:
        self._dataset.set_system_prompt(self._new)

    def undo(self) -> None:
        self._dataset.set_system_prompt(self._old)

    def id(self) -> int:
        return _MERGE_SYSTEM_PROMPT if self._merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Reimplements ``QUndoCommand::mergeWith``."""
        if not isinstance(other, SetSystemPromptCommand) or other._dataset is not self._dataset:
            return False
        self._new = other._new
        return True
