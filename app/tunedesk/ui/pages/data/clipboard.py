"""Copy, cut, paste and clear of grid cells, as Excel-compatible TSV (tab-separated text)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTableView

from tunedesk.core.clipboard import format_tsv, parse_tsv
from tunedesk.core.dataset import Example, Split
from tunedesk.ui.models.examples_table_model import (
    EDITABLE_COLUMNS,
    TEXT_COLUMNS,
    Column,
    ExamplesTableModel,
    split_label,
)
from tunedesk.ui.models.grid_models import GridModels
from tunedesk.ui.pages.data.grid import commit_open_editor, selected_source_cells
from tunedesk.ui.undo import InsertExamplesCommand, MacroCommand, ReplaceExamplesCommand


class GridClipboard(QObject):
    """The Data page's clipboard: cells of the grid to and from TSV, each change one undo step.

    Copy writes the selection as a rectangle (unselected cells in it stay empty), so Excel,
    Sheets and web tables take it as it looks. While a text box outside the grid has the
    focus (system prompt, find bar, detail panel), the Edit menu's cut/copy/paste/select
    all act on that box instead.

    Signals:
        status_message(str): what a paste changed, for the status bar.
    """

    status_message = Signal(str)

    def __init__(
        self,
        table: QTableView,
        view: GridModels,
        model: ExamplesTableModel,
        undo_stack: QUndoStack,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._table = table
        self._view = view
        self._model = model
        self._undo_stack = undo_stack

    # ------------------------------------------------------------------ Edit menu
    def copy(self) -> None:
        """Copy the selected cells as Excel-compatible TSV (a rectangle; gaps stay empty)."""
        w = self._text_widget()
        if w is not None:
            w.copy()
            return
        text = self.selection_as_tsv()
        if text:
            QGuiApplication.clipboard().setText(text)

    def cut(self) -> None:
        w = self._text_widget()
        if w is not None:
            w.cut()
            return
        self.copy()
        self.clear_cells()

    def paste(self) -> None:
        """Paste clipboard text (Excel/Sheets/web tables) as described in :meth:`paste_text`."""
        w = self._text_widget()
        if w is not None:
            w.paste()
            return
        self.paste_text(QGuiApplication.clipboard().text())

    def select_all(self) -> None:
        w = self._text_widget()
        if w is not None:
            w.selectAll()
            return
        self._table.selectAll()

    def _text_widget(self) -> QLineEdit | QPlainTextEdit | None:
        """A focused text box outside the grid (menu shortcuts then act on it)."""
        w = QApplication.focusWidget()
        if isinstance(w, QLineEdit | QPlainTextEdit) and not self._table.isAncestorOf(w):
            return w
        return None

    # ------------------------------------------------------------------ cells
    def clear_cells(self) -> None:
        """Empty the selected Question/Answer cells and reset selected Split cells."""
        ds = self._model.dataset
        if ds is None:
            return
        edits: dict[int, Example] = {}
        for index in selected_source_cells(self._table, self._view):
            col = Column(index.column())
            if col not in EDITABLE_COLUMNS:
                continue
            current = edits.get(index.row(), ds[index.row()])
            value: Any = Split.AUTO.value if col == Column.SPLIT else ""
            new = ExamplesTableModel.edited_example(current, col, value)
            if new is not None:
                edits[index.row()] = new
        changes = [(ds[r], ex) for r, ex in sorted(edits.items()) if ex is not ds[r]]
        if changes:
            self._undo_stack.push(ReplaceExamplesCommand(ds, changes, self.tr("Clear cells")))

    def selection_as_tsv(self) -> str:
        indexes = self._table.selectionModel().selectedIndexes()
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        selected = {(i.row(), i.column()) for i in indexes}
        out: list[list[str]] = []
        for r in rows:
            line = []
            for c in range(cols[0], cols[-1] + 1):
                if (r, c) not in selected:
                    line.append("")
                    continue
                line.append(self._cell_text(self._view.index(r, c)))
            out.append(line)
        return format_tsv(out)

    def _cell_text(self, index: QModelIndex) -> str:
        col = index.column()
        if col == Column.SPLIT:
            ex = self._model.example_at(self._view.mapToSource(index).row())
            return split_label(ex.split)
        role = Qt.ItemDataRole.EditRole if col in TEXT_COLUMNS else Qt.ItemDataRole.DisplayRole
        value = index.data(role)
        return "" if value is None else str(value)

    def paste_text(self, text: str) -> None:
        """Paste a TSV block as one undo step.

        - onto a selected cell: fill from there (right and down), appending rows at the end;
        - whole rows selected, or nothing: append the block as new rows (Question, Answer,
          Split);
        - one value onto several selected cells: fill all of them.
        """
        ds = self._model.dataset
        if ds is None:
            return
        commit_open_editor(self._table)
        block = parse_tsv(text)
        if not block:
            return
        view = self._view
        selection = self._table.selectionModel()
        indexes = selection.selectedIndexes()
        whole_rows = bool(indexes) and all(
            selection.isRowSelected(i.row(), QModelIndex()) for i in indexes
        )
        edits: dict[int, Example] = {}
        new_rows: list[Example] = []

        def put(row: int, col: Column, value: str) -> None:
            current = edits.get(row, ds[row])
            new = ExamplesTableModel.edited_example(current, col, value)
            if new is not None:
                edits[row] = new

        if len(block) == 1 and len(block[0]) == 1 and len(indexes) > 1 and not whole_rows:
            for index in indexes:
                src = view.mapToSource(index)
                if src.column() in EDITABLE_COLUMNS:
                    put(src.row(), Column(src.column()), block[0][0])
        elif not indexes or whole_rows:
            new_rows = [_example_from_cells(Column.QUESTION, cells) for cells in block]
        else:
            top = min(i.row() for i in indexes)
            left = min(i.column() for i in indexes)
            left = max(left, Column.QUESTION)
            for r, cells in enumerate(block):
                proxy_row = top + r
                if proxy_row < view.rowCount():
                    src_row = view.mapToSource(view.index(proxy_row, 0)).row()
                    for c, value in enumerate(cells):
                        col = left + c
                        if col in EDITABLE_COLUMNS:
                            put(src_row, Column(col), value)
                else:
                    new_rows.append(_example_from_cells(Column(left), cells))
        changes = [(ds[r], ex) for r, ex in sorted(edits.items()) if ex is not ds[r]]
        if not changes and not new_rows:
            return
        macro = MacroCommand(self.tr("Paste"))
        if changes:
            macro.add(ReplaceExamplesCommand(ds, changes, ""))
        if new_rows:
            macro.add(InsertExamplesCommand(ds, len(ds), new_rows, ""))
        self._undo_stack.push(macro)
        self.status_message.emit(
            self.tr("Pasted. Rows changed: {changed}; rows added: {added}.").format(
                changed=len(changes), added=len(new_rows)
            )
        )


def _example_from_cells(first: Column, cells: Sequence[str]) -> Example:
    ex = Example.qa("", "")
    for c, value in enumerate(cells):
        col = first + c
        if col in EDITABLE_COLUMNS:
            ex = ExamplesTableModel.edited_example(ex, Column(col), value) or ex
    return ex

