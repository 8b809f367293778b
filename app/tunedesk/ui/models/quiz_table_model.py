"""The quiz table's model: one row per question of a :class:`~tunedesk.core.quiz.QuizRun`,
optionally beside an earlier run (:func:`~tunedesk.core.quiz.compare`).

Columns: #, Question, Expected answer, Model answer, Score — and, when a run to compare
with is set, that run's answer and score. The score cell says why in words
(:meth:`~tunedesk.core.quiz.Score.explain`): "✓ Exact match", "✗ 12 % similar to the
expected answer", or "Not answered: <reason>" (or "Not asked yet").
"Only misses" keeps the rows the current run got wrong.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from tunedesk.core.quiz import TRAINING, QuizItem, QuizResult, QuizRun, compare

ModelIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invalid index: a default argument that is never modified

ResultRole = Qt.ItemDataRole.UserRole + 1
"""``data(index, ResultRole)`` -> the row's :class:`QuizResult` of the current run (or None)."""
OtherResultRole = Qt.ItemDataRole.UserRole + 2
"""``data(index, OtherResultRole)`` -> the compared run's :class:`QuizResult` (or None)."""

COL_ROW, COL_QUESTION, COL_EXPECTED, COL_ANSWER, COL_SCORE, COL_OTHER_ANSWER, COL_OTHER_SCORE = (
    range(7)
)
_CELL_CHARS = 600  # a cell shows this much; the tooltip shows everything

_RIGHT = QColor("#188038")
_WRONG = QColor("#c5221f")
_WAITING = QColor("#80868b")


def _clip(text: str) -> str:
    return text if len(text) <= _CELL_CHARS else text[: _CELL_CHARS - 1] + "…"


def score_text(result: QuizResult | None) -> str:
    """The words of a score cell (see the module docstring)."""
    if result is None:
        return QCoreApplication.translate("QuizTableModel", "Not asked in this run")
    if result.score is None:
        if result.error:
            return QCoreApplication.translate("QuizTableModel", "Not answered: {reason}").format(
                reason=result.error
            )
        return QCoreApplication.translate("QuizTableModel", "Not asked yet")
    mark = "✓" if result.right else "✗"
    return f"{mark} {result.score.explain()}"


class QuizTableModel(QAbstractTableModel):
    """Presents a quiz run as a table (reimplements ``QAbstractTableModel``'s read-only
    contract: ``rowCount``, ``columnCount``, ``data``, ``headerData``).

    :meth:`set_run` shows a run, :meth:`set_other` adds a run to compare with,
    :meth:`set_only_misses` filters, :meth:`update_result` changes one row as an answer
    arrives.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._run: QuizRun | None = None
        self._other: QuizRun | None = None
        self._only_misses = False
        self._rows: list[tuple[QuizItem, QuizResult | None, QuizResult | None]] = []
        self._where: dict[str, int] = {}  # example id -> row

    # ------------------------------------------------------------------ state
    @property
    def run(self) -> QuizRun | None:
        return self._run

    @property
    def other(self) -> QuizRun | None:
        return self._other

    @property
    def only_misses(self) -> bool:
        return self._only_misses

    def set_run(self, run: QuizRun | None) -> None:
        self._run = run
        self._rebuild()

    def set_other(self, run: QuizRun | None) -> None:
        self._other = run
        self._rebuild()

    def set_only_misses(self, only: bool) -> None:
        if only != self._only_misses:
            self._only_misses = only
            self._rebuild()

    def update_result(self, run: QuizRun, result: QuizResult) -> None:
        """``run`` (the current run, changed) now holds ``result``: update its row."""
        self._run = run
        row = self._where.get(result.item.example_id)
        shown = not self._only_misses or result.missed
        if row is None or not shown:
            if row is not None or shown:
                self._rebuild()  # a row appears or leaves the filtered view
            return
        item, _old, other = self._rows[row]
        self._rows[row] = (item, result, other)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1)
            )

    def result_at(self, row: int) -> QuizResult | None:
        return self._rows[row][1] if 0 <= row < len(self._rows) else None

    def _rebuild(self) -> None:
        self.beginResetModel()
        rows: list[tuple[QuizItem, QuizResult | None, QuizResult | None]] = []
        if self._run is not None:
            if self._other is not None:
                rows = compare(self._run, self._other)
            else:
                rows = [(r.item, r, None) for r in self._run.items]
        if self._only_misses:
            rows = [row for row in rows if row[1] is not None and row[1].missed]
        self._rows = rows
        self._where = {item.example_id: i for i, (item, _a, _b) in enumerate(rows)}
        self.endResetModel()

    # ------------------------------------------------------------------ Qt model contract
    def rowCount(self, parent: ModelIndex = _ROOT) -> int:
        """Reimplements ``QAbstractItemModel::rowCount``."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = _ROOT) -> int:
        """Reimplements ``QAbstractItemModel::columnCount``."""
        if parent.isValid():
            return 0
        return 7 if self._other is not None else 5

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Reimplements ``QAbstractItemModel::headerData``."""
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = {
            COL_ROW: QCoreApplication.translate("QuizTableModel", "#"),
            COL_QUESTION: QCoreApplication.translate("QuizTableModel", "Question"),
            COL_EXPECTED: QCoreApplication.translate("QuizTableModel", "Expected answer"),
            COL_ANSWER: QCoreApplication.translate("QuizTableModel", "Model answer"),
            COL_SCORE: QCoreApplication.translate("QuizTableModel", "Score"),
            COL_OTHER_ANSWER: QCoreApplication.translate("QuizTableModel", "Earlier run's answer"),
            COL_OTHER_SCORE: QCoreApplication.translate("QuizTableModel", "Earlier run's score"),
        }
        if self._other is None and section in (COL_ANSWER, COL_SCORE):
            return names[section]
        if self._other is not None and section in (COL_ANSWER, COL_SCORE):
            return (
                QCoreApplication.translate("QuizTableModel", "This run's answer")
                if section == COL_ANSWER
                else QCoreApplication.translate("QuizTableModel", "This run's score")
            )
        return names.get(section)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Reimplements ``QAbstractItemModel::data``."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item, result, other = self._rows[index.row()]
        column = index.column()
        if role == ResultRole:
            return result
        if role == OtherResultRole:
            return other
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._text(column, item, result, other)
            if text is None:
                return None
            return text if role == Qt.ItemDataRole.ToolTipRole else _clip(text)
        if role == Qt.ItemDataRole.ForegroundRole and column in (COL_SCORE, COL_OTHER_SCORE):
            shown = result if column == COL_SCORE else other
            if shown is None or shown.score is None:
                return QBrush(_WAITING)
            return QBrush(_RIGHT if shown.right else _WRONG)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def _text(
        self, column: int, item: QuizItem, result: QuizResult | None, other: QuizResult | None
    ) -> str | None:
        if column == COL_ROW:
            number = str(item.row + 1)
            return number + (
                " · " + QCoreApplication.translate("QuizTableModel", "training")
                if item.split == TRAINING
                else ""
            )
        if column == COL_QUESTION:
            return item.question
        if column == COL_EXPECTED:
            return item.expected
        if column == COL_ANSWER:
            return result.answer if result is not None else ""
        if column == COL_SCORE:
            return score_text(result)
        if column == COL_OTHER_ANSWER and self._other is not None:
            return other.answer if other is not None else ""
        if column == COL_OTHER_SCORE and self._other is not None:
            return score_text(other)
        return None
