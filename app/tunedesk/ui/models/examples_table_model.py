"""The Q&A grid's model: a live adapter over :class:`tunedesk.core.dataset.Dataset`.

The model holds no copies of rows: ``data()`` reads the dataset, and the dataset's events
drive granular Qt notifications (insert/remove/replace -> begin/end rows, dataChanged;
only a dataset reset resets the model). Edits made through ``setData`` become undo
commands on the shared QUndoStack, so a cell edit is undone like any other change.

Findings and token counts come from the latest check report (``set_report``); they are
keyed by example id so they stay attached to their rows while the next check runs.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractProxyModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QUndoStack
from PySide6.QtWidgets import QApplication, QStyle

from tunedesk.core.cooperative import cooperative
from tunedesk.core.dataset import Dataset, Example, Split
from tunedesk.core.find import compile_pattern, row_matches
from tunedesk.core.findings import Finding, Severity
from tunedesk.ui.undo import ReplaceExamplesCommand

ModelIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invalid index: a default argument that is never modified

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
        self._draft_background: QBrush | None = None

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
        """Reimplements ``QAbstractItemModel::sort``: the Data page sorts the rows themselves
        (on a worker, as one undo step) when it gets ``sort_requested``."""
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

    def retranslate(self) -> None:
        """Headers, splits and status texts are translated when shown: show them again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        rows = self.rowCount()
        if rows:
            last = self.index(rows - 1, Column.STATUS)
            self.dataChanged.emit(self.index(0, Column.QUESTION), last)  # "(+1 more turns)"…

    def report_mappings(self) -> tuple[dict[str, list[Finding]], dict[str, Split]]:
        """Findings and effective splits by example id (replaced, never mutated, by
        set_report: safe to read on a worker)."""
        return self._findings, self._effective_split

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
    def rowCount(self, parent: ModelIndex = _ROOT) -> int:
        """Reimplements ``QAbstractItemModel::rowCount``."""
        if parent.isValid() or self._dataset is None:
            return 0
        return len(self._dataset)

    def columnCount(self, parent: ModelIndex = _ROOT) -> int:
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
        if role == Qt.ItemDataRole.BackgroundRole and ex.draft:
            return self._draft_brush()
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
            status = self._status_text(self._findings.get(ex.id, []))
            if not ex.draft:
                return status
            draft = QCoreApplication.translate("ExamplesTableModel", "Draft")
            return f"{draft} · {status}" if status else draft
        return ""

    def _draft_brush(self) -> QBrush:
        """A draft row's background: the palette's highlight, faint, so it reads in light
        and dark themes alike and selection still shows above it."""
        if self._draft_background is None:
            palette = QApplication.palette()
            base, mark = palette.base().color(), palette.highlight().color()
            blend = QColor(
                round(base.red() * 0.86 + mark.red() * 0.14),
                round(base.green() * 0.86 + mark.green() * 0.14),
                round(base.blue() * 0.86 + mark.blue() * 0.14),
            )
            self._draft_background = QBrush(blend)
        return self._draft_background

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
    DRAFTS = 6


# Filters whose result depends on the latest check report (findings, effective splits).
REPORT_FILTERS = frozenset(
    {FilterMode.PROBLEMS, FilterMode.ERRORS, FilterMode.TRAIN, FilterMode.VALIDATION}
)

FILTER_LABELS = {
    FilterMode.ALL: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "All rows")),
    FilterMode.PROBLEMS: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "Rows with problems")),
    FilterMode.ERRORS: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "Errors only")),
    FilterMode.TRAIN: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "Train")),
    FilterMode.VALIDATION: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "Validation")),
    FilterMode.MULTI_TURN: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "Multi-turn")),
    FilterMode.DRAFTS: str(QT_TRANSLATE_NOOP("ExamplesFilterModel", "Drafts to review")),
}


FilterInputs = tuple[
    list[Example], FilterMode, "re.Pattern[str] | None", dict[str, list[Finding]], dict[str, Split]
]


def filtered_rows(
    examples: Sequence[Example],
    mode: FilterMode,
    pattern: re.Pattern[str] | None,
    findings: Mapping[str, list[Finding]],
    splits: Mapping[str, Split],
    rows: Iterable[int] | None = None,
) -> list[int]:
    """The rows (ascending) of ``examples`` that ``mode`` and the search ``pattern`` keep.

    Plain Python over immutable examples and the report's mappings (which set_report
    replaces, never mutates), so it runs on a worker as well as on the UI thread.
    """
    candidates = range(len(examples)) if rows is None else rows
    keep = _mode_test(mode, findings, splits)
    search = pattern.search if pattern is not None else None
    if keep is None and search is None:
        return list(candidates)
    out: list[int] = []
    for row in cooperative(candidates):
        ex = examples[row]
        if keep is not None and not keep(ex):
            continue
        if search is not None and not any(row_matches(ex, search)):
            continue
        out.append(row)
    return out


def _mode_test(
    mode: FilterMode, findings: Mapping[str, list[Finding]], splits: Mapping[str, Split]
) -> Callable[[Example], bool] | None:
    if mode == FilterMode.PROBLEMS:
        return lambda ex: bool(findings.get(ex.id))
    if mode == FilterMode.ERRORS:
        return lambda ex: any(f.severity == Severity.ERROR for f in findings.get(ex.id, ()))
    if mode in (FilterMode.TRAIN, FilterMode.VALIDATION):
        wanted = Split.TRAIN if mode == FilterMode.TRAIN else Split.VALIDATION
        auto = Split.AUTO
        return lambda ex: (ex.split if ex.split != auto else splits.get(ex.id, auto)) == wanted
    if mode == FilterMode.MULTI_TURN:
        return lambda ex: ex.is_multi_turn
    if mode == FilterMode.DRAFTS:
        return lambda ex: ex.draft
    return None


class ExamplesFilterModel(QAbstractProxyModel):
    """The grid's rows that pass a :class:`FilterMode` and a search, in the data's order.

    A list of source rows rather than a QSortFilterProxyModel: that one calls the Python
    ``filterAcceptsRow`` for every row on every change, 0.4-0.5 s on the UI thread for
    100,000 rows. Here the filter is :func:`filtered_rows`, computed in one pass (or on a
    worker, see :meth:`filter_inputs` and :meth:`apply`), and mapping is a bisect.
    Filter changes keep the current cell and selection where those rows stay visible.
    Edited rows are not re-filtered while the person types; GridModels.refresh re-applies
    the filter after new check results. Sorting is done in the data itself (``sort``).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._mode = FilterMode.ALL
        self._search = ""
        self._rows: list[int] = []
        self._pending_removal: tuple[int, int, int] | None = None  # proxy first, last, count

    # ------------------------------------------------------------------ filter
    @property
    def mode(self) -> FilterMode:
        return self._mode

    @property
    def search(self) -> str:
        return self._search

    def source_rows(self) -> Sequence[int]:
        """The shown source rows, ascending (do not modify)."""
        return self._rows

    def set_mode(self, mode: FilterMode) -> None:
        if mode != self._mode:
            self._mode = mode
            self._refilter()

    def set_search(self, text: str) -> None:
        text = text.strip()
        if text != self._search:
            self._search = text
            self._refilter()

    def filter_inputs(
        self, mode: FilterMode, search: str, model: ExamplesTableModel | None = None
    ) -> FilterInputs | None:
        """Arguments for :func:`filtered_rows` as of now: a snapshot a worker may read.

        ``model`` defaults to the source model (pass it while the proxy is detached).
        """
        if model is None:
            model = self._examples_model()
        if model is None or model.dataset is None:
            return None
        findings, splits = model.report_mappings()
        examples = list(model.dataset.examples)  # immutable examples: a cheap snapshot
        return examples, mode, _search_pattern(search.strip()), findings, splits

    def apply(self, mode: FilterMode, search: str, rows: list[int]) -> None:
        """Show ``rows``, computed from :meth:`filter_inputs` for ``mode`` and ``search``.

        The caller makes sure the data did not change in between.
        """
        self._mode, self._search = mode, search.strip()
        if self.sourceModel() is not None:
            self._set_rows(rows)

    def _examples_model(self) -> ExamplesTableModel | None:
        model = self.sourceModel()
        return model if isinstance(model, ExamplesTableModel) else None

    def _compute(self, rows: Iterable[int] | None = None) -> list[int]:
        inputs = self.filter_inputs(self._mode, self._search)
        if inputs is None:
            return []
        return filtered_rows(*inputs, rows=rows)

    def _refilter(self) -> None:
        self._set_rows(self._compute())

    def _set_rows(self, rows: list[int]) -> None:
        """Swap the shown rows as a layout change, so views keep what is still visible."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        sources = [self.mapToSource(i) for i in persistent]
        self._rows = rows
        self.changePersistentIndexList(persistent, [self.mapFromSource(s) for s in sources])
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ source signals
    def setSourceModel(self, model: Any, rows: list[int] | None = None) -> None:
        """Reimplements ``QAbstractProxyModel::setSourceModel``; follows its row changes.

        ``rows``: the filter's result if already computed (on a worker), else it is
        computed here.
        """
        old = self.sourceModel()
        self.beginResetModel()
        if old is not None:
            for signal, slot in self._connections(old):
                signal.disconnect(slot)
        super().setSourceModel(model)
        if model is not None:
            for signal, slot in self._connections(model):
                signal.connect(slot)
        if model is None:
            self._rows = []
        else:
            self._rows = self._compute() if rows is None else rows
        self.endResetModel()

    def _connections(self, model: Any) -> list[tuple[Any, Any]]:
        return [
            (model.dataChanged, self._on_data_changed),
            (model.headerDataChanged, self.headerDataChanged),
            (model.modelAboutToBeReset, self.beginResetModel),
            (model.modelReset, self._on_model_reset),
            (model.layoutAboutToBeChanged, self.beginResetModel),
            (model.layoutChanged, self._on_model_reset),
            (model.rowsInserted, self._on_rows_inserted),
            (model.rowsAboutToBeRemoved, self._on_rows_about_to_be_removed),
            (model.rowsRemoved, self._on_rows_removed),
        ]

    def _on_model_reset(self, *_args: Any) -> None:
        self._rows = self._compute()
        self.endResetModel()

    def _on_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Sequence[int] = ()
    ) -> None:
        first = bisect_left(self._rows, top_left.row())
        last = bisect_right(self._rows, bottom_right.row()) - 1
        if first <= last:
            self.dataChanged.emit(
                self.index(first, top_left.column()),
                self.index(last, bottom_right.column()),
                list(roles),
            )

    def _on_rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        # Only now, with the rows in the data, can the filter tell which of them it shows.
        count = last - first + 1
        at = bisect_left(self._rows, first)
        shifted = [r + count for r in self._rows[at:]]
        del self._rows[at:]
        self._rows.extend(shifted)
        new = self._compute(range(first, last + 1))
        if new:
            self.beginInsertRows(QModelIndex(), at, at + len(new) - 1)
            self._rows[at:at] = new
            self.endInsertRows()
        elif shifted:  # rows below moved down in the data: their # column changed
            self.dataChanged.emit(self.index(at, 0), self.index(len(self._rows) - 1, 0))

    def _on_rows_about_to_be_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        lo = bisect_left(self._rows, first)
        hi = bisect_right(self._rows, last) - 1
        if lo <= hi:
            self.beginRemoveRows(QModelIndex(), lo, hi)
        self._pending_removal = (lo, hi, last - first + 1)

    def _on_rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        if self._pending_removal is None:
            return
        lo, hi, count = self._pending_removal
        self._pending_removal = None
        tail = [r - count for r in self._rows[hi + 1 :]]
        del self._rows[lo:]
        self._rows.extend(tail)
        if lo <= hi:
            self.endRemoveRows()
        if tail:
            self.dataChanged.emit(self.index(lo, 0), self.index(len(self._rows) - 1, 0))

    # ------------------------------------------------------------------ proxy API
    def mapToSource(self, proxy_index: ModelIndex) -> QModelIndex:
        """Reimplements ``QAbstractProxyModel::mapToSource``."""
        model = self.sourceModel()
        if model is None or not proxy_index.isValid() or proxy_index.row() >= len(self._rows):
            return QModelIndex()
        return model.index(self._rows[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: ModelIndex) -> QModelIndex:
        """Reimplements ``QAbstractProxyModel::mapFromSource`` (invalid if filtered out)."""
        if not source_index.isValid():
            return QModelIndex()
        row = source_index.row()
        at = bisect_left(self._rows, row)
        if at < len(self._rows) and self._rows[at] == row:
            return self.index(at, source_index.column())
        return QModelIndex()

    def index(self, row: int, column: int, parent: ModelIndex = _ROOT) -> QModelIndex:
        """Reimplements ``QAbstractItemModel::index``."""
        if parent.isValid() or not (0 <= row < len(self._rows)):
            return QModelIndex()
        if not (0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: ModelIndex | None = None) -> Any:
        """Reimplements ``QAbstractItemModel::parent``: a flat table (without an index:
        ``QObject::parent``, which the same Python name also stands for)."""
        if index is None:
            return super().parent()
        return QModelIndex()

    def rowCount(self, parent: ModelIndex = _ROOT) -> int:
        """Reimplements ``QAbstractItemModel::rowCount``."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = _ROOT) -> int:
        """Reimplements ``QAbstractItemModel::columnCount``."""
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Reimplements ``QAbstractProxyModel::headerData`` (columns are the source's)."""
        model = self.sourceModel()
        if model is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return model.headerData(section, orientation, role)
        if 0 <= section < len(self._rows):
            return model.headerData(self._rows[section], orientation, role)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reimplements ``QAbstractItemModel::sort``: rows are sorted in the data itself.

        The proxy keeps the source order, so a filtered view shows the sorted rows too.
        """
        source = self.sourceModel()
        if source is not None and column >= 0:
            source.sort(column, order)


def _search_pattern(text: str) -> re.Pattern[str] | None:
    """The search box's pattern: capitals and character widths ignored, like Find."""
    return compile_pattern(text, match_case=False) if text else None
