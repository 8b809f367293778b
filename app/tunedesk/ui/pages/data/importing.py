"""Importing files into the Data page's dataset, with the questions an import may need."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from tunedesk.core.dataset import Example
from tunedesk.core.errors import UserFacingError
from tunedesk.core.findings import Finding
from tunedesk.ui import ops
from tunedesk.ui.models.examples_table_model import ExamplesTableModel
from tunedesk.ui.undo import InsertExamplesCommand, ResetDatasetCommand

if TYPE_CHECKING:
    from tunedesk.core.formats import ColumnMapping, ColumnMappingNeeded


class DataImporter(QObject):
    """Reads JSONL, CSV, TSV and Excel files into the model's dataset as one undo step.

    Each file is parsed in a worker. A file without recognisable column names asks which
    columns hold the questions and answers; a file that cannot be read is reported and
    skipped; a table that already has rows asks whether to append or replace. Nothing in
    the table changes unless the import goes ahead.

    Signals:
        status_message(str): progress and the import's summary, for the status bar.
        files_chosen(list): the person picked files in the import dialog (paths).
        problems_found(list): the import's findings (lines that could not be read), which
            the checklist shows next to the checks' own.
    """

    status_message = Signal(str)
    files_chosen = Signal(list)
    problems_found = Signal(list)

    def __init__(
        self,
        page: QWidget,
        model: ExamplesTableModel,
        undo_stack: QUndoStack,
        run_dialog: Callable[[QDialog], Awaitable[int]],
    ) -> None:
        super().__init__(page)
        self._page = page  # the dialogs' parent
        self._model = model
        self._undo_stack = undo_stack
        self._run_dialog = run_dialog
        self._file_dialog: QDialog | None = None

    def choose_files(self) -> None:
        """Open the file dialog (non-blocking); the chosen paths arrive as ``files_chosen``."""
        from PySide6.QtWidgets import QFileDialog

        from tunedesk.core.formats import SUPPORTED_SUFFIXES

        patterns = " ".join(f"*{s}" for s in sorted(SUPPORTED_SUFFIXES))
        dialog = QFileDialog(self._page, self.tr("Import questions and answers"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilter(
            self.tr("Spreadsheets and data files ({patterns})").format(patterns=patterns)
        )
        dialog.filesSelected.connect(self.files_chosen)
        self._file_dialog = dialog
        dialog.open()

    async def import_files(self, paths: list[str]) -> bool:
        """Parse each file in a worker, asking for columns / append-or-replace as needed.

        Returns True when rows were added. A file that cannot be read is reported and
        skipped; nothing already in the table changes unless the import goes ahead.
        """
        from tunedesk.core.errors import FileProblem
        from tunedesk.core.formats import ColumnMappingNeeded, import_file

        ds = self._model.dataset
        if ds is None or not paths:
            return False
        examples: list[Example] = []
        problems: list[Finding] = []
        summaries: list[str] = []
        for path in paths:
            mapping = None
            while True:
                self.status_message.emit(
                    self.tr("Reading {file}…").format(file=os.path.basename(path))
                )
                try:
                    result = await ops.in_worker(
                        lambda p=path, m=mapping: import_file(p, mapping=m)
                    )
                except ColumnMappingNeeded as need:
                    mapping = await self._ask_mapping(need)
                    if mapping is None:
                        result = None
                        break
                    continue
                except FileProblem as problem:
                    await self._show_file_problem(path, problem)
                    result = None
                    break
                break
            if result is None:
                continue
            examples.extend(result.examples)
            problems.extend(result.problems)
            bad = len({(f.path, f.line) for f in result.problems if f.line is not None})
            total = len(result.examples) + bad
            name = os.path.basename(path)
            if bad:
                summaries.append(
                    self.tr("{file}: loaded {ok} of {total} lines; lines that could not be "
                            "read: {bad} (see the checklist).").format(
                        file=name, ok=len(result.examples), total=total, bad=bad
                    )
                )
            else:
                summaries.append(
                    self.tr("{file}: examples loaded: {count}.").format(
                        file=name, count=len(result.examples)
                    )
                )
        if ds is not self._model.dataset:
            return False
        if not examples:
            if summaries:
                self.status_message.emit(" ".join(summaries))
            self.problems_found.emit(problems)
            return False
        replace = False
        if len(ds):
            choice = await self._ask_append_or_replace()
            if choice is None:
                self.status_message.emit(self.tr("Import cancelled."))
                return False
            replace = choice
        label = self.tr("Import {count} examples").format(count=len(examples))
        if replace:
            self._undo_stack.push(ResetDatasetCommand(ds, ds.system_prompt, examples, label))
        else:
            self._undo_stack.push(InsertExamplesCommand(ds, len(ds), examples, label))
        self.problems_found.emit(problems)
        self.status_message.emit(" ".join(summaries))
        return True

    # ------------------------------------------------------------------ questions
    async def _ask_mapping(self, need: ColumnMappingNeeded) -> ColumnMapping | None:
        from tunedesk.ui.dialogs.column_mapping_dialog import ColumnMappingDialog

        dialog = ColumnMappingDialog(need.path, need.headers, need.sample, need.guess, self._page)
        result = await self._run_dialog(dialog)
        mapping = dialog.mapping() if result == QDialog.DialogCode.Accepted else None
        dialog.deleteLater()
        return mapping

    async def _show_file_problem(self, path: str, problem: UserFacingError) -> None:
        box = QMessageBox(self._page)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Cannot import {file}").format(file=os.path.basename(path)))
        box.setText(str(problem.message))
        hint = str(problem.hint) if problem.hint is not None else ""
        line = getattr(problem, "line", None)
        where = self.tr("Line {line}.").format(line=line) if line else ""
        box.setInformativeText(
            " ".join(p for p in (where, hint) if p)
            + ("\n\n" if hint or where else "")
            + self.tr("Nothing in your table was changed.")
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        await self._run_dialog(box)
        box.deleteLater()

    async def _ask_append_or_replace(self) -> bool | None:
        """True = replace, False = append, None = cancel."""
        box = QMessageBox(self._page)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Import"))
        box.setText(
            self.tr("The table already has rows ({count}). What should happen to them?").format(
                count=len(self._model.dataset or [])
            )
        )
        box.setInformativeText(self.tr("You can undo the import either way."))
        append = box.addButton(self.tr("Append the new rows"), QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton(self.tr("Replace them"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(append)
        await self._run_dialog(box)
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is append:
            return False
        if clicked is replace:
            return True
        return None
