"""Find and replace in the Question and Answer cells (Ctrl+F / Ctrl+H)."""

from __future__ import annotations

import re

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
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

from tunedesk.core.dataset import Example
from tunedesk.ui.models.examples_table_model import (
    Column,
    ExamplesTableModel,
)
from tunedesk.ui.models.grid_models import GridModels
from tunedesk.ui.undo import ReplaceExamplesCommand

Match = tuple[int, Column]  # (dataset row, column)


class FindReplaceBar(QWidget):
    """Searches the first question/answer of every example (the grid's text cells).

    Next/previous move the table's current cell (through the filter proxy; rows hidden by a
    filter are skipped); *Replace all* is one undo step.

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
        self.find_edit.setPlaceholderText(self.tr("Find"))
        self.find_edit.setClearButtonEnabled(True)
        self.replace_edit = QLineEdit()
        self.replace_edit.setPlaceholderText(self.tr("Replace with"))
        self.match_case = QCheckBox(self.tr("Match case"))
        self.previous_button = QToolButton()
        self.previous_button.setText("↑")
        self.previous_button.setToolTip(self.tr("Find previous (Shift+Enter)"))
        self.next_button = QToolButton()
        self.next_button.setText("↓")
        self.next_button.setToolTip(self.tr("Find next (Enter)"))
        self.replace_button = QPushButton(self.tr("Replace"))
        self.replace_all_button = QPushButton(self.tr("Replace all"))
        self.count_label = QLabel()
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000 of 0000 ") )
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(self.tr("Close (Esc)"))
        close.clicked.connect(self.hide)

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
        model.dataChanged.connect(self._count_timer.start)
        model.modelReset.connect(self._count_timer.start)

    # ------------------------------------------------------------------ public
    def open(self, *, replace: bool = False) -> None:
        self.show()
        target = self.replace_edit if replace and self.find_edit.text() else self.find_edit
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        target.selectAll()
        self._update_count()

    def matches(self) -> list[Match]:
        needle = self.find_edit.text()
        ds = self._model.dataset
        if not needle or ds is None:
            return []
        case = self.match_case.isChecked()
        if not case:
            needle = needle.casefold()
        out: list[Match] = []
        for row, ex in enumerate(ds):
            q, a = ex.question, ex.answer
            if not case:
                q, a = q.casefold(), a.casefold()
            if needle in q:
                out.append((row, Column.QUESTION))
            if needle in a:
                out.append((row, Column.ANSWER))
        return out

    def find_next(self) -> bool:
        return self._step(+1)

    def find_previous(self) -> bool:
        return self._step(-1)

    def replace_current(self) -> None:
        """Replace in the current cell if it matches, then go to the next match."""
        current = self._table.currentIndex()
        if current.isValid() and current.column() in (Column.QUESTION, Column.ANSWER):
            src = self._proxy.mapToSource(current)
            ex = self._model.example_at(src.row())
            new = self._replaced(ex, only=Column(current.column()))
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
        changes: list[tuple[Example, Example]] = []
        cells = 0
        for ex in ds:
            new = self._replaced(ex)
            if new is not ex:
                changes.append((ex, new))
                cells += (new.question != ex.question) + (new.answer != ex.answer)
        if changes:
            self._undo_stack.push(ReplaceExamplesCommand(ds, changes, self.tr("Replace all")))
        self.message.emit(self.tr("Cells changed: {count}.").format(count=cells))
        self._update_count()
        return cells

    # ------------------------------------------------------------------ helpers
    def _pattern(self) -> re.Pattern[str]:
        flags = 0 if self.match_case.isChecked() else re.IGNORECASE
        return re.compile(re.escape(self.find_edit.text()), flags)

    def _replaced(self, ex: Example, only: Column | None = None) -> Example:
        pattern = self._pattern()
        replacement = self.replace_edit.text()
        new = ex
        if only in (None, Column.QUESTION):
            q = pattern.sub(lambda _m: replacement, ex.question)
            if q != ex.question:
                new = new.with_question(q)
        if only in (None, Column.ANSWER):
            a = pattern.sub(lambda _m: replacement, ex.answer)
            if a != ex.answer:
                new = new.with_answer(a)
        return new

    def _step(self, direction: int) -> bool:
        matches = [m for m in self.matches() if self._visible(m)]
        if not matches:
            self.count_label.setText(self.tr("No matches"))
            return False
        current = self._table.currentIndex()
        here: Match | None = None
        if current.isValid():
            src = self._proxy.mapToSource(current)
            here = (src.row(), Column(src.column()))
        order = sorted(matches, key=self._view_key)
        if here is None:
            target = order[0] if direction > 0 else order[-1]
        else:
            key = self._view_key(here)
            after = [m for m in order if (self._view_key(m) > key if direction > 0 else
                                           self._view_key(m) < key)]
            if after:
                target = after[0] if direction > 0 else after[-1]
            else:  # wrap around
                target = order[0] if direction > 0 else order[-1]
        index = self._proxy.mapFromSource(self._model.index(target[0], target[1]))
        self._table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self._table.scrollTo(index)
        pos = order.index(target) + 1
        self.count_label.setText(self.tr("{pos} of {count}").format(pos=pos, count=len(order)))
        return True

    def _view_key(self, m: Match) -> tuple[int, int]:
        index = self._proxy.mapFromSource(self._model.index(m[0], m[1]))
        return (index.row(), int(m[1]))

    def _visible(self, m: Match) -> bool:
        return self._proxy.mapFromSource(self._model.index(m[0], m[1])).isValid()

    def _update_count(self) -> None:
        if not self.isVisible() or not self.find_edit.text():
            self.count_label.setText("")
            return
        count = len(self.matches())
        self.count_label.setText(
            self.tr("{count} matches").format(count=count) if count else self.tr("No matches")
        )
