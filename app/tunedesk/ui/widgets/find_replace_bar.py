"""Find and replace in the Question and Answer cells (Ctrl+F / Ctrl+H)."""

from __future__ import annotations

import asyncio
import re
from bisect import bisect_left, bisect_right
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QWidget,
)

from tunedesk.core.find import (
    Field,
    cell,
    cell_field,
    cell_row,
    compile_pattern,
    matching_cells,
    matching_cells_in,
    replace_everywhere,
    replaced,
)
from tunedesk.ui import ops
from tunedesk.ui.models.examples_table_model import (
    Column,
    ExamplesTableModel,
)
from tunedesk.ui.models.grid_models import GridModels
from tunedesk.ui.undo import ReplaceExamplesCommand

Match = tuple[int, Column]  # (dataset row, column), in row order

# A change to more rows than this drops the cached matches (recounted on a worker) instead
# of re-matching those rows on the UI thread.
RECHECK_ROWS_LIMIT = 2000


class FindReplaceBar(QWidget):
    """Finds and replaces in the Question and Answer cells (all turns of a conversation).

    Next/previous move the table's current cell (rows hidden by a filter are skipped);
    *Replace all* is one undo step. Without *Match case*, capitals and full-/half-width
    forms are ignored (tunedesk.core.find). The matches are counted on a worker and kept
    up to date row by row as cells change, so on 100,000 rows typing and jumping stay
    immediate.

    Signals:
        message(str): a short status text ("Replaced 3 times").
    """

    message = Signal(str)

    def __init__(
        self,
        table: QTableView,
        proxy: GridModels,
        model: ExamplesTableModel,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._table = table
        self._proxy = proxy
        self._model = model
        self._undo_stack = undo_stack
        self.find_edit = QLineEdit()
        self.find_edit.setClearButtonEnabled(True)
        self.replace_edit = QLineEdit()
        self.match_case = QCheckBox()
        self.previous_button = QToolButton()
        self.previous_button.setText("↑")
        self.next_button = QToolButton()
        self.next_button.setText("↓")
        self.replace_button = QPushButton()
        self.replace_all_button = QPushButton()
        self.count_label = QLabel()
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000 of 0000 ") )
        close = self._close_button = QToolButton()
        close.setText("✕")
        close.clicked.connect(self.hide)
        self._set_texts()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.find_edit, 2)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.count_label)
        layout.addWidget(self.replace_edit, 2)
        layout.addWidget(self.replace_button)
        layout.addWidget(self.replace_all_button)
        layout.addWidget(self.match_case)
        layout.addWidget(close)

        self._count_timer = QTimer(self, singleShot=True, interval=150)
        self._count_timer.timeout.connect(self._update_count)
        self.find_edit.textChanged.connect(self._count_timer.start)
        self.match_case.toggled.connect(self._count_timer.start)
        self.find_edit.returnPressed.connect(self.find_next)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.replace_button.clicked.connect(self.replace_current)
        self.replace_all_button.clicked.connect(self.replace_all)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(self.hide)
        prev = QShortcut(QKeySequence("Shift+Return"), self.find_edit)
        prev.setContext(Qt.ShortcutContext.WidgetShortcut)
        prev.activated.connect(self.find_previous)
        self._cells: list[int] | None = None  # matching cells (core.find.cell) for _cells_key
        self._cells_key: tuple[str, bool] | None = None
        self._generation = 0  # bumped whenever the cached matches are dropped
        self._count_task: asyncio.Task[None] | None = None
        self._counting: tuple[tuple[str, bool], int] | None = None  # the task's key, generation
        self._pending_step = 0  # a jump asked for before the count was ready
        model.dataChanged.connect(self._on_model_data_changed)
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.layoutChanged,
        ):
            signal.connect(self._drop_cache)

    def _set_texts(self) -> None:
        self.find_edit.setPlaceholderText(self.tr("Find"))
        self.replace_edit.setPlaceholderText(self.tr("Replace with"))
        self.match_case.setText(self.tr("Match case"))
        self.match_case.setToolTip(
            self.tr(
                "When off, capitals and full-width or half-width forms count as the same: "
                "? also finds ？, and abc also finds ABC."
            )
        )
        self.previous_button.setToolTip(self.tr("Find previous (Shift+Enter)"))
        self.next_button.setToolTip(self.tr("Find next (Enter)"))
        self.replace_button.setText(self.tr("Replace"))
        self.replace_all_button.setText(self.tr("Replace all"))
        self._close_button.setToolTip(self.tr("Close (Esc)"))

    # ------------------------------------------------------------------ public
    def retranslate(self) -> None:
        self._set_texts()
        self._update_count()

    def open(self, *, replace: bool = False) -> None:
        self.show()
        target = self.replace_edit if replace and self.find_edit.text() else self.find_edit
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        target.selectAll()
        self._update_count()

    def matches(self) -> list[Match]:
        """Every matching cell as (row, column), in row order."""
        return [(cell_row(c), _COLUMN[cell_field(c)]) for c in self._matching_cells()]

    def _matching_cells(self) -> list[int]:
        """The cached matching cells; counted now, on this thread, if not ready."""
        key = self._key()
        ds = self._model.dataset
        if key is None or ds is None:
            return []
        if self._cells is None or self._cells_key != key:
            self._store(key, matching_cells(ds.examples, self._pattern()))
        assert self._cells is not None
        return self._cells

    def find_next(self) -> bool:
        """Go to the next match. False if there is none, or if the matches are still being
        counted: the jump then happens as soon as they are."""
        return self._step(+1)

    def find_previous(self) -> bool:
        """Go to the previous match (see :meth:`find_next`)."""
        return self._step(-1)

    def replace_current(self) -> None:
        """Replace in the current cell if it matches, then go to the next match."""
        current = self._table.currentIndex()
        if current.isValid() and current.column() in (Column.QUESTION, Column.ANSWER):
            src = self._proxy.mapToSource(current)
            ex = self._model.example_at(src.row())
            field = Field.QUESTION if src.column() == Column.QUESTION else Field.ANSWER
            new = replaced(ex, self._pattern(), self.replace_edit.text(), field)
            if new is not ex:
                ds = self._model.dataset
                assert ds is not None
                self._undo_stack.push(ReplaceExamplesCommand(ds, [(ex, new)], self.tr("Replace")))
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match in every row as one undo step; returns the cells changed."""
        ds = self._model.dataset
        if ds is None or not self.find_edit.text():
            return 0
        rows = sorted({cell_row(c) for c in self._matching_cells()})
        changes, cells = replace_everywhere(
            (ds[row] for row in rows), self._pattern(), self.replace_edit.text()
        )
        if changes:
            self._undo_stack.push(ReplaceExamplesCommand(ds, changes, self.tr("Replace all")))
        self.message.emit(self.tr("Cells changed: {count}.").format(count=cells))
        self._update_count()
        return cells

    # ------------------------------------------------------------------ helpers
    def _key(self) -> tuple[str, bool] | None:
        needle = self.find_edit.text()
        return (needle, self.match_case.isChecked()) if needle else None

    def _pattern(self) -> re.Pattern[str]:
        return compile_pattern(self.find_edit.text(), match_case=self.match_case.isChecked())

    def _cache_ready(self) -> bool:
        return self._cells is not None and self._cells_key == self._key()

    def _store(self, key: tuple[str, bool], cells: list[int]) -> None:
        self._cells = cells
        self._cells_key = key

    def _drop_cache(self, *_args: Any) -> None:
        self._cells = None
        self._generation += 1
        self._count_timer.start()

    def _on_model_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, *_roles: Any
    ) -> None:
        if top_left.column() > Column.ANSWER or bottom_right.column() < Column.QUESTION:
            return  # checks, tokens, split: not searched
        ds = self._model.dataset
        if self._cells is None or ds is None:
            return
        if self._cells_key != self._key():  # counted for an older text: of no use now
            self._drop_cache()
            return
        first, last = top_left.row(), bottom_right.row()
        if last - first >= RECHECK_ROWS_LIMIT:
            self._drop_cache()
            return
        fresh = matching_cells_in(ds.examples, self._pattern(), range(first, last + 1))
        lo = bisect_left(self._cells, cell(first, Field.QUESTION))
        hi = bisect_left(self._cells, cell(last + 1, Field.QUESTION))
        self._cells[lo:hi] = fresh
        self._count_timer.start()

    def _step(self, direction: int) -> bool:
        if self._key() is not None and not self._cache_ready():
            self._pending_step = direction  # after the count: no 0.1-0.3 s wait on 100k rows
            self._update_count()
            return False
        cells = self._matching_cells()
        visible = self._proxy.visible_rows()
        if visible is not None:
            shown = set(visible)
            cells = [c for c in cells if cell_row(c) in shown]
        if not cells:
            self.count_label.setText(self.tr("No matches"))
            return False
        current = self._table.currentIndex()
        if not current.isValid():
            at = 0 if direction > 0 else len(cells) - 1
        else:
            src = self._proxy.mapToSource(current)
            # Where the current cell sits among the text cells: # comes before the
            # question, the columns after the answer come after it.
            here = src.row() * 2 + _OFFSET[Column(src.column())]
            if direction > 0:
                at = bisect_right(cells, here) % len(cells)  # wraps around
            else:
                at = (bisect_left(cells, here) - 1) % len(cells)
        code = cells[at]
        index = self._proxy.mapFromSource(
            self._model.index(cell_row(code), _COLUMN[cell_field(code)])
        )
        self._table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self._table.scrollTo(index)
        self.count_label.setText(self.tr("{pos} of {count}").format(pos=at + 1, count=len(cells)))
        return True

    def _update_count(self) -> None:
        key = self._key()
        ds = self._model.dataset
        if not self.isVisible() or key is None or ds is None:
            self.count_label.setText("")
            return
        if self._cells is not None and self._cells_key == key:
            self._show_count(len(self._cells))
            return
        if self._count_task is not None and not self._count_task.done():
            if self._counting == (key, self._generation):
                return  # already counting exactly this
            self._count_task.cancel()  # the worker finishes; its result is not used
        generation = self._generation
        self._counting = (key, generation)
        # quiet: the count label is the progress; a failure is a bug (crash handler)
        self._count_task = ops.run_op(
            self, lambda: self._count(key, generation), label="", quiet=True
        )

    async def _count(self, key: tuple[str, bool], generation: int) -> None:
        ds = self._model.dataset
        assert ds is not None
        snapshot = list(ds.examples)  # immutable examples: a consistent view for the worker
        cells = await ops.in_worker(matching_cells, snapshot, self._pattern())
        if key == self._key() and generation == self._generation:
            self._store(key, cells)
            self._show_count(len(cells))
            step, self._pending_step = self._pending_step, 0
            if step:
                self._step(step)

    def _show_count(self, count: int) -> None:
        self.count_label.setText(
            self.tr("{count} matches").format(count=count) if count else self.tr("No matches")
        )


_COLUMN = {Field.QUESTION: Column.QUESTION, Field.ANSWER: Column.ANSWER}
_OFFSET = {
    Column.NUMBER: -0.5,
    Column.QUESTION: 0,
    Column.ANSWER: 1,
    Column.SPLIT: 1.5,
    Column.TOKENS: 1.5,
    Column.STATUS: 1.5,
}
