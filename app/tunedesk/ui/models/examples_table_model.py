"""The Q&A grid's model: a live adapter over :class:`tunedesk.core.dataset.Dataset`.

The model holds no copies of rows: ``data()`` reads the dataset, and the dataset's events
drive granular Qt notifications (insert/remove/replace -> begin/end rows, dataChanged;
only a dataset reset resets the model). Edits made through ``setData`` become undo
commands on the shared QUndoStack, so a cell edit is undone like any other change.

Findings and token counts come from the latest check report (``set_report``); they are
keyed by example id so they stay attached to their rows while the next check runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QUndoStack
from PySide6.QtWidgets import QApplication, QStyle

from tunedesk.core.dataset import Dataset, Example, Split
from tunedesk.core.findings import Finding, Severity
from tunedesk.ui.undo import ReplaceExamplesCommand

ModelIndex = QModelIndex | QPersistentModelIndex

RowRole = Qt.ItemDataRole.UserRole + 1
"""``data(index, RowRole)`` -> the row's :class:`Example` (proxy-safe accessor)."""
SortRole = Qt.ItemDataRole.UserRole + 2
"""A value that sorts naturally (numbers for #/Tokens, severity rank for Status)."""
FindingsRole = Qt.ItemDataRole.UserRole + 3
"""``data(index, FindingsRole)`` -> list of :class:`Finding` for the row."""


class Column(IntEnum):
    NUMBER = 0
    QUESTION = 1
    ANSWER = 2
    SPLIT = 3
    TOKENS = 4
    STATUS = 5


_HEADERS = {
    Column.NUMBER: str(QT_TRANSLATE_NOOP("ExamplesTableModel", "#")),
    Column.QUESTION: str(QT_TRANSLATE_NOOP("ExamplesTableModel", "Question")),
    Column.ANSWER: str(QT_TRANSLATE_NOOP("ExamplesTableModel", "Answer")),
    Column.SPLIT: str(QT_TRANSLATE_NOOP("ExamplesTableModel", "Split")),
    Column.TOKENS: str(QT_TRANSLATE_NOOP("ExamplesTableModel", "Tokens")),
    Column.STATUS: str(QT_TRANSLATE_NOOP("ExamplesTableModel", "Status")),
}

SPLIT_LABELS = {
    Split.AUTO: str(QT_TRANSLATE_NOOP("ExamplesTableModel", "Auto")),
    Split.TRAIN: str(QT_TRANSLATE_NOOP("ExamplesTableModel", "Train")),
    Split.VALIDATION: str(QT_TRANSLATE_NOOP("ExamplesTableModel", "Validation")),
}

EDITABLE_COLUMNS = frozenset({Column.QUESTION, Column.ANSWER, Column.SPLIT})
TEXT_COLUMNS = (Column.QUESTION, Column.ANSWER)

ERROR_COLOR = QColor("#c62828")
WARNING_COLOR = QColor("#a15c00")


def split_label(split: Split) -> str:
    return QCoreApplication.translate("ExamplesTableModel", SPLIT_LABELS[split])


def parse_split(value: object) -> Split | None:
    """A Split from an enum, its value or its (translated) label; None if not one."""
    if isinstance(value, Split):
        return value
    text = str(value).strip().lower()
    for split in Split:
        if text in {split.value, split_label(split).lower(), SPLIT_LABELS[split].lower()}:
            return split
    return None


def severity_icon(severity: Severity) -> QIcon:
    style = QApplication.style()
    pixmap = (
        QStyle.StandardPixmap.SP_MessageBoxCritical
        if severity == Severity.ERROR
        else QStyle.StandardPixmap.SP_MessageBoxWarning
    )
    return style.standardIcon(pixmap)


class ExamplesTableModel(QAbstractTableModel):
    """Presents the dataset's examples as rows (see :class:`Column`); edits go to the undo stack.

    Implements the editable ``QAbstractTableModel`` contract: rowCount/columnCount/data/
    headerData/flags/setData, with :data:`RowRole`, :data:`SortRole`, :data:`FindingsRole`.
    """

    # The view asks the model to sort when a header is clicked; the Data page sorts the rows
    # themselves, in a worker and as one undo step (see sorted_examples).
    sort_requested = Signal(int, Qt.SortOrder)

    def __init__(self, undo_stack: QUndoStack, parent: Any = None) -> None:
        super().__init__(parent)
        self._undo_stack = undo_stack
        self._dataset: Dataset | None = None
        self._findings: dict[str, list[Finding]] = {}
        self._tokens: dict[str, int] = {}
        self._effective_split: dict[str, Split] = {}
        self._icons: dict[Severity, QIcon] = {}

    # ------------------------------------------------------------------ dataset wiring
    @property
    def dataset(self) -> Dataset | None:
        return self._dataset

    def set_dataset(self, dataset: Dataset | None) -> None:
        """Adapt ``dataset`` (None: no rows). Connects once to its events."""
        if dataset is self._dataset:
            return
        self.beginResetModel()
        if self._dataset is not None:
            self._connect(self._dataset, connect=False)
        self._dataset = dataset
        self._findings, self._tokens, self._effective_split = {}, {}, {}
        if dataset is not None:
            self._connect(dataset, connect=True)
        self.endResetModel()

    def _connect(self, ds: Dataset, *, connect: bool) -> None:
        pairs: list[tuple[Any, Any]] = [
            (ds.about_to_insert, self._on_dataset_about_to_insert),
            (ds.inserted, self._on_dataset_inserted),
            (ds.about_to_remove, self._on_dataset_about_to_remove),
            (ds.removed, self._on_dataset_removed),
            (ds.replaced, self._on_dataset_replaced),
            (ds.about_to_reset, self._on_dataset_about_to_reset),
            (ds.reset_done, self._on_dataset_reset_done),
        ]
        for event, callback in pairs:
            if connect:
                event.connect(callback)
            else:
                event.disconnect(callback)

    # Inserting or removing tens of thousands of rows granularly makes QSortFilterProxyModel
    # and the views rebuild their mappings inside endInsertRows (~0.9 s for 100,000 rows on
    # the UI thread, measured by bench/responsiveness.py). A bulk change is a wholesale
    # reload for the views, so it is announced as a reset (STYLE G5).
    BULK_ROWS = 2_000

    def _on_dataset_about_to_insert(self, first: int, count: int) -> None:
        if count >= self.BULK_ROWS:
            self.beginResetModel()
        else:
            self.beginInsertRows(QModelIndex(), first, first + count - 1)

    def _on_dataset_inserted(self, first: int, count: int) -> None:
        if count >= self.BULK_ROWS:
            self.endResetModel()
        else:
            self.endInsertRows()

    def _on_dataset_about_to_remove(self, first: int, count: int) -> None:
        if count >= self.BULK_ROWS:
            self.beginResetModel()
        else:
            self.beginRemoveRows(QModelIndex(), first, first + count - 1)

    def _on_dataset_removed(self, first: int, removed: list[Example]) -> None:
        if len(removed) >= self.BULK_ROWS:
            self.endResetModel()
        else:
            self.endRemoveRows()

    def _on_dataset_replaced(self, first: int, old: list[Example]) -> None:
        self.dataChanged.emit(
            self.index(first, 0), self.index(first + len(old) - 1, len(Column) - 1)
        )

    def _on_dataset_about_to_reset(self) -> None:
        self.beginResetModel()

    def _on_dataset_reset_done(self) -> None:
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reimplements ``QAbstractItemModel::sort``: forwarded to the sorting proxy."""
        self.sort_requested.emit(column, order)

    # ------------------------------------------------------------------ check results
    def set_report(
        self,
        findings: Iterable[Finding],
        tokens: Mapping[str, int],
        effective_split: Mapping[str, Split] | None = None,
    ) -> None:
        """Attach the latest findings/tokens (by example id) and refresh those columns."""
        by_row: dict[str, list[Finding]] = {}
        for f in findings:
            if f.row_id is not None:
                by_row.setdefault(f.row_id, []).append(f)
        self._findings = by_row
        self._tokens = dict(tokens)
        self._effective_split = dict(effective_split or {})
        rows = self.rowCount()
        if rows:
            self.dataChanged.emit(self.index(0, Column.SPLIT), self.index(rows - 1, Column.STATUS))

    def findings_for(self, example_id: str) -> list[Finding]:
        return self._findings.get(example_id, [])

    def tokens_for(self, example_id: str) -> int | None:
        return self._tokens.get(example_id)

    def effective_split_for(self, ex: Example) -> Split:
        """Train/Validation as the export will decide it (Auto until the first check)."""
        if ex.split != Split.AUTO:
            return ex.split
        return self._effective_split.get(ex.id, Split.AUTO)

    def example_at(self, row: int) -> Example:
        assert self._dataset is not None
        return self._dataset[row]

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Reimplements ``QAbstractItemModel::rowCount``."""
        if parent.isValid() or self._dataset is None:
            return 0
        return len(self._dataset)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Reimplements ``QAbstractItemModel::columnCount``."""
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Reimplements ``QAbstractItemModel::headerData`` (translated column names)."""
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("ExamplesTableModel", _HEADERS[Column(section)])
            if role == Qt.ItemDataRole.ToolTipRole and section == Column.SPLIT:
                return QCoreApplication.translate(
                    "ExamplesTableModel",
                    "Which examples the model learns from (Train) and which it is tested on "
                    "(Validation). Auto lets TuneDesk choose.",
                )
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Reimplements ``QAbstractItemModel::flags``: Question, Answer and Split are editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in EDITABLE_COLUMNS:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Reimplements ``QAbstractItemModel::data``."""
        if not index.isValid() or self._dataset is None:
            return None
        row = index.row()
        if not 0 <= row < len(self._dataset):
            return None
        ex = self._dataset[row]
        col = index.column()
        if role == RowRole:
            return ex
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(ex, row, col)
        if role == Qt.ItemDataRole.EditRole:
            if col == Column.QUESTION:
                return ex.question
            if col == Column.ANSWER:
                return ex.answer
            if col == Column.SPLIT:
                return ex.split.value
            return self._display(ex, row, col)
        if role == SortRole:
            return self._sort_value(ex, row, col)
        if role == FindingsRole:
            return self._findings.get(ex.id, [])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (Column.NUMBER, Column.TOKENS):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            if col == Column.STATUS:  # icon and text side by side, not stacked
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if col == Column.STATUS:
            return self._status_role(ex, role)
        if role == Qt.ItemDataRole.ToolTipRole and col in TEXT_COLUMNS and ex.is_multi_turn:
            return QCoreApplication.translate(
                "ExamplesTableModel",
                "A conversation with several turns: edit all of it in the panel on the right.",
            )
        if role == Qt.ItemDataRole.ForegroundRole and col == Column.NUMBER:
            return QBrush(QApplication.palette().placeholderText().color())
        return None

    def _display(self, ex: Example, row: int, col: int) -> str:
        if col == Column.NUMBER:
            return str(row + 1)
        if col == Column.QUESTION:
            extra = ex.turns - 1
            if ex.is_multi_turn and extra > 0:
                marker = QCoreApplication.translate(
                    "ExamplesTableModel", "(+{count} more turns)"
                ).format(count=extra)
                return f"{ex.question}\n{marker}"
            if not ex.question and ex.own_system is not None and not ex.answer:
                return QCoreApplication.translate("ExamplesTableModel", "(only a system message)")
            return ex.question
        if col == Column.ANSWER:
            return ex.answer
        if col == Column.SPLIT:
            label = split_label(ex.split)
            effective = self._effective_split.get(ex.id)
            if ex.split == Split.AUTO and effective is not None and effective != Split.AUTO:
                return QCoreApplication.translate("ExamplesTableModel", "Auto → {split}").format(
                    split=split_label(effective).lower()
                )
            return label
        if col == Column.TOKENS:
            tokens = self._tokens.get(ex.id)
            return "…" if tokens is None else f"{tokens:,}"
        if col == Column.STATUS:
            return self._status_text(self._findings.get(ex.id, []))
        return ""

    @staticmethod
    def _status_text(findings: Sequence[Finding]) -> str:
        errors = sum(1 for f in findings if f.severity == Severity.ERROR)
        warnings = len(findings) - errors
        # Short forms chosen here rather than with %n: the grid must read well even
        # without an English numerus translation loaded.
        if errors:
            if errors == 1:
                return QCoreApplication.translate("ExamplesTableModel", "Error")
            return QCoreApplication.translate("ExamplesTableModel", "{count} errors").format(
                count=errors
            )
        if warnings:
            if warnings == 1:
                return QCoreApplication.translate("ExamplesTableModel", "Warning")
            return QCoreApplication.translate("ExamplesTableModel", "{count} warnings").format(
                count=warnings
            )
        return ""

    def _status_role(self, ex: Example, role: int) -> Any:
        findings = self._findings.get(ex.id, [])
        if not findings:
            return None
        worst = (
            Severity.ERROR
            if any(f.severity == Severity.ERROR for f in findings)
            else Severity.WARNING
        )
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self._icons.get(worst)
            if icon is None:
                icon = self._icons[worst] = severity_icon(worst)
            return icon
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(ERROR_COLOR if worst == Severity.ERROR else WARNING_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(f"• {f.message}" for f in findings)
        return None

    def sorted_examples(self, column: int, order: Qt.SortOrder) -> list[Example]:
        """The dataset's examples ordered by ``column`` (a stable sort; any thread).

        Sorting reorders the rows themselves, as a spreadsheet does (undoable), instead of
        a QSortFilterProxyModel sort: that calls back into Python for every comparison
        and took 13 s for 100,000 rows on the UI thread; this takes ~0.1 s in a worker.
        """
        assert self._dataset is not None
        examples = list(self._dataset.examples)
        keys = [self._sort_value(ex, row, column) for row, ex in enumerate(examples)]
        ranked = sorted(
            range(len(examples)),
            key=keys.__getitem__,
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        return [examples[i] for i in ranked]

    def _sort_value(self, ex: Example, row: int, col: int) -> Any:
        if col == Column.NUMBER:
            return row
        if col == Column.TOKENS:
            return self._tokens.get(ex.id, -1)
        if col == Column.STATUS:
            findings = self._findings.get(ex.id, [])
            return sum(1000 if f.severity == Severity.ERROR else 1 for f in findings)
        if col == Column.SPLIT:
            return ex.split.value
        if col == Column.QUESTION:
            return ex.question.casefold()
        return ex.answer.casefold()

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Reimplements ``QAbstractItemModel::setData``: pushes an undoable edit.

        The dataset change (via the command) emits ``dataChanged``; returns False for a
        read-only cell, a wrong role or a value that is not valid for the column.
        """
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._dataset is None:
            return False
        col = index.column()
        if col not in EDITABLE_COLUMNS:
            return False
        old = self._dataset[index.row()]
        new = self.edited_example(old, Column(col), value)
        if new is None:
            return False
        if new is not old:
            self._undo_stack.push(
                ReplaceExamplesCommand(
                    self._dataset,
                    [(old, new)],
                    QCoreApplication.translate("ExamplesTableModel", "Edit cell"),
                )
            )
        return True

    @staticmethod
    def edited_example(old: Example, col: Column, value: Any) -> Example | None:
        """``old`` with ``value`` in ``col``: ``old`` itself if unchanged, None if invalid."""
        if col == Column.SPLIT:
            split = parse_split(value)
            if split is None:
                return None
            return old if split == old.split else old.copy(split=split)
        text = "" if value is None else str(value)
        if col == Column.QUESTION:
            return old if text == old.question else old.with_question(text)
        if col == Column.ANSWER:
            return old if text == old.answer else old.with_answer(text)
        return None


class FilterMode(IntEnum):
    ALL = 0
    PROBLEMS = 1
    ERRORS = 2
    TRAIN = 3
    VALIDATION = 4
    MULTI_TURN = 5


FILTER_LABELS = {
    FilterMode.ALL: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "All rows")),
    FilterMode.PROBLEMS: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "Rows with problems")),
    FilterMode.ERRORS: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "Errors only")),
    FilterMode.TRAIN: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "Train")),
    FilterMode.VALIDATION: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "Validation")),
    FilterMode.MULTI_TURN: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "Multi-turn")),
}


class ExamplesFilterModel(QSortFilterProxyModel):
    """Filters the grid by a :class:`FilterMode` and a search (sorting is done in the data).

    Filtering reads the source model's dataset directly for speed on 100k rows. Edited rows
    are not re-filtered while the person types (the filter key column never changes);
    ``refresh`` re-applies the filter after new check results.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._mode = FilterMode.ALL
        self._search = ""
        self.setSortRole(SortRole)
        self.setFilterKeyColumn(Column.NUMBER)
        self.setDynamicSortFilter(True)

    @property
    def search(self) -> str:
        return self._search

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reimplements ``QSortFilterProxyModel::sort``: rows are sorted in the data itself.

        The proxy keeps the source order, so a filtered view shows the sorted rows too.
        """
        source = self.sourceModel()
        if source is not None and column >= 0:
            source.sort(column, order)

    @property
    def mode(self) -> FilterMode:
        return self._mode

    def set_mode(self, mode: FilterMode) -> None:
        if mode != self._mode:
            self.beginFilterChange()
            self._mode = mode
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        text = text.strip().casefold()
        if text != self._search:
            self.beginFilterChange()
            self._search = text
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def refresh(self) -> None:
        """Re-filter after findings changed (only needed for problem filters)."""
        if self._mode in (FilterMode.PROBLEMS, FilterMode.ERRORS, FilterMode.VALIDATION):
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        """Reimplements ``QSortFilterProxyModel::filterAcceptsRow``."""
        model = self.sourceModel()
        if not isinstance(model, ExamplesTableModel) or model.dataset is None:
            return True
        mode = self._mode
        if mode == FilterMode.ALL and not self._search:
            return True
        ex = model.example_at(source_row)
        if mode == FilterMode.PROBLEMS and not model.findings_for(ex.id):
            return False
        if mode == FilterMode.ERRORS and not any(
            f.severity == Severity.ERROR for f in model.findings_for(ex.id)
        ):
            return False
        if mode == FilterMode.TRAIN and model.effective_split_for(ex) != Split.TRAIN:
            return False
        if mode == FilterMode.VALIDATION and model.effective_split_for(ex) != Split.VALIDATION:
            return False
        if mode == FilterMode.MULTI_TURN and not ex.is_multi_turn:
            return False
        if self._search:
            return self._search in ex.question.casefold() or self._search in ex.answer.casefold()
        return True
