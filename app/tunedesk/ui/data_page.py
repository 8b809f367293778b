"""The Data page: the Q&A editor people use for days (system prompt, grid, checklist, detail).

Everything shown is read from the one :class:`Dataset` through ``ExamplesTableModel``;
every change is a command on the shared ``QUndoStack`` (see :mod:`tunedesk.ui.undo`), and
the project store persists the dataset by listening to its events.

Long work (parsing imports, running checks with token counts, writing exports) runs in the
worker pool from coroutines on the qasync loop; results are applied on the UI thread, and
check results only when the dataset has not changed since they were started.

Signals:
    status_message(str): a short text for the status bar.
    counts_changed(int, int, int, int): examples, errors, warnings, total tokens.
    checks_finished(): a check report was applied (tests and the main window may wait on it).
    dialog_opened(QDialog): a dialog of this page was opened (window-modal, non-blocking);
        automation and tests use it to answer the dialog.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.clipboard import format_tsv, parse_tsv
from tunedesk.core.dataset import Dataset, Example, Split
from tunedesk.core.errors import UserCancelled, UserFacingError
from tunedesk.core.estimate import TokenTotals, token_totals
from tunedesk.core.findings import Finding, FixKind, Severity
from tunedesk.ui import ops
from tunedesk.ui.models.examples_table_model import (
    EDITABLE_COLUMNS,
    FILTER_LABELS,
    TEXT_COLUMNS,
    Column,
    ExamplesFilterModel,
    ExamplesTableModel,
    FilterMode,
    split_label,
)
from tunedesk.ui.models.findings_model import FindingsModel
from tunedesk.ui.models.grid_models import GridModels
from tunedesk.ui.undo import (
    InsertExamplesCommand,
    MacroCommand,
    RemoveExamplesByIdCommand,
    RemoveExamplesCommand,
    ReplaceExamplesCommand,
    ResetDatasetCommand,
    SetSystemPromptCommand,
)
from tunedesk.ui.widgets.cell_delegates import MultilineTextDelegate, SplitDelegate
from tunedesk.ui.widgets.checklist_panel import ChecklistPanel
from tunedesk.ui.widgets.example_detail import ExampleDetailPanel
from tunedesk.ui.widgets.find_replace_bar import FindReplaceBar
from tunedesk.ui.widgets.system_prompt_box import SystemPromptBox

T = TypeVar("T")

CHECK_DELAY_MS = 300
ROW_LINES = 3  # text lines shown per grid row (uniform heights: smooth with 100k rows)


class _Pages:
    NO_PROJECT = 0
    EMPTY = 1
    EDITOR = 2


class DataPage(QWidget):
    """The Q&A editor. The main window calls the public slots from its menus."""

    status_message = Signal(str)
    counts_changed = Signal(int, int, int, int)
    checks_finished = Signal()
    dialog_opened = Signal(QDialog)

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DataPage")
        self.undo_stack = undo_stack
        self._dataset: Dataset | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._generation = 0
        self._check_task: asyncio.Task[Any] | None = None
        self._import_findings: list[Finding] = []
        self._check_findings: list[Finding] = []
        self._validation_fraction = 0.1
        self._last_export_dir: str | None = None

        self.model = ExamplesTableModel(undo_stack, self)
        # before the proxy and view connect: an open editor must close before rows go
        self.model.rowsAboutToBeRemoved.connect(self._on_model_rows_about_to_go)
        self.model.modelAboutToBeReset.connect(self._on_model_rows_about_to_go)
        # Attached to the model only while a filter or sort is in force (GridModels).
        self.proxy = ExamplesFilterModel(self)
        self.findings_model = FindingsModel(self._locate, self)

        self._stack = QStackedWidget()
        self._stack.addWidget(self._build_no_project())
        self._stack.addWidget(self._build_empty_state())
        self._stack.addWidget(self._build_editor())
        self._last_counts: tuple[Any, TokenTotals | None] = (None, None)
        self._set_texts()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._on_check_timer_timeout)
        for signal in (
            self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset,
        ):
            signal.connect(self._on_model_rows_changed)
        self.model.dataChanged.connect(self._on_model_data_changed)
        self._update_page()

    # ================================================================== construction
    def _build_no_project(self) -> QWidget:
        page = QWidget()
        label = self._no_project_label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(label)
        layout.addStretch(2)
        return page

    def _build_empty_state(self) -> QWidget:
        page = QWidget()
        title = self._empty_title = QLabel()
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = self._empty_text = QLabel()
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(560)
        self.empty_add_button = QPushButton()
        self.empty_import_button = QPushButton()
        for button in (self.empty_add_button, self.empty_import_button):
            button.setMinimumSize(220, 56)
            bfont = QFont(button.font())
            bfont.setPointSizeF(bfont.pointSizeF() * 1.2)
            button.setFont(bfont)
        self.empty_add_button.setDefault(True)
        self.empty_add_button.clicked.connect(self.add_row)
        self.empty_import_button.clicked.connect(self._on_import_button_clicked)
        hint = self._empty_hint = QLabel()
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setFixedWidth(560)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # secondary, yet readable
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.empty_add_button)
        buttons.addSpacing(16)
        buttons.addWidget(self.empty_import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addSpacing(16)
        layout.addWidget(hint, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        return page

    def _build_editor(self) -> QWidget:
        page = QWidget()
        # --- system prompt
        prompt_label = self._prompt_label = QLabel()
        bold = QFont(prompt_label.font())
        bold.setBold(True)
        prompt_label.setFont(bold)
        self.system_prompt_box = SystemPromptBox(self.undo_stack)
        prompt_label.setBuddy(self.system_prompt_box)

        # --- toolbar row
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_row)
        self.import_button = QPushButton()
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export_dataset)
        self.filter_combo = QComboBox()
        for mode in FilterMode:
            self.filter_combo.addItem("", int(mode))  # texts: _set_texts
        self.filter_combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(220)
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.search_edit.textChanged.connect(self._search_timer.start)
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self.add_button)
        tools.addWidget(self.import_button)
        tools.addWidget(self.export_button)
        tools.addStretch(1)
        self._show_label = QLabel()
        tools.addWidget(self._show_label)
        tools.addWidget(self.filter_combo)
        tools.addWidget(self.search_edit)

        # --- table
        self.table = QTableView()
        self.view: GridModels = GridModels(self.table, self.model, self.proxy)
        self.model.sort_requested.connect(self._on_model_sort_requested)
        self.view.switched.connect(self._on_view_switched)
        # No sort indicator before sorting is enabled, or enabling it sorts by column 0.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().setVisible(False)
        line = self.table.fontMetrics().lineSpacing()
        vheader = self.table.verticalHeader()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(line * ROW_LINES + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.QUESTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.ANSWER, QHeaderView.ResizeMode.Stretch)
        char = self.table.fontMetrics().averageCharWidth()
        self.table.setColumnWidth(Column.NUMBER, char * 7)
        self.table.setColumnWidth(Column.SPLIT, char * 20)
        self.table.setColumnWidth(Column.TOKENS, char * 9)
        self.table.setColumnWidth(Column.STATUS, char * 16)
        self._text_delegate = MultilineTextDelegate(self.table)
        self._split_delegate = SplitDelegate(self.table)
        for col in TEXT_COLUMNS:
            self.table.setItemDelegateForColumn(col, self._text_delegate)
        self.table.setItemDelegateForColumn(Column.SPLIT, self._split_delegate)
        self._on_view_switched()
        self._add_table_actions()

        # --- find bar, checklist, detail
        self.find_bar = FindReplaceBar(self.table, self.view, self.model, self.undo_stack)
        self.find_bar.hide()
        self.find_bar.message.connect(self.status_message)
        self.checklist = ChecklistPanel(self.findings_model)
        self.checklist.finding_activated.connect(self._on_checklist_finding_activated)
        self.checklist.fix_requested.connect(self.apply_fix)
        self.detail = ExampleDetailPanel(self.model, self.undo_stack)

        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(_padded(self.checklist))
        side.addWidget(_padded(self.detail))
        side.setStretchFactor(0, 2)
        side.setStretchFactor(1, 3)
        side.setSizes([260, 420])
        side.setChildrenCollapsible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.find_bar)
        left_layout.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([860, 400])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(prompt_label)
        layout.addWidget(self.system_prompt_box)
        layout.addSpacing(4)
        layout.addLayout(tools)
        layout.addWidget(self.splitter, 1)
        return page

    def _add_table_actions(self) -> None:
        def add(keys: Sequence[QKeySequence | str], slot: Any) -> QAction:
            action = QAction(self.table)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.table.addAction(action)
            return action

        self._clear_action = add(
            [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)],
            self.clear_cells,
        )
        self._insert_action = add([QKeySequence(Qt.Key.Key_Insert)], self.insert_row)
        find = self._find_action = QAction(self)
        find.setShortcut(QKeySequence("Ctrl+H"))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(lambda: self.find(replace=True))
        self.addAction(find)

    def _set_texts(self) -> None:
        """Every fixed text of this page, in the current language (see retranslate)."""
        self._no_project_label.setText(
            self.tr("Open or create a project to start adding questions and answers.")
        )
        self._empty_title.setText(self.tr("Teach the model what you know"))
        self._empty_text.setText(
            self.tr(
                "Write the questions people ask and the answers you want the model to give. "
                "Azure needs at least 10 examples; 50 to 100 good ones work much better."
            )
        )
        self._empty_hint.setText(
            self.tr(
                "Excel (.xlsx), CSV, TSV and JSONL files work: a column of questions and a "
                "column of answers is enough. You can also drop files here or paste cells "
                "copied from Excel (Ctrl+V)."
            )
        )
        for label in (self._empty_text, self._empty_hint):  # wrapped at a fixed width
            label.setMinimumHeight(label.heightForWidth(label.maximumWidth()))
        self.empty_add_button.setText(self.tr("Add a question"))
        self.empty_import_button.setText(self.tr("Import a file…"))
        self._prompt_label.setText(self.tr("System prompt"))
        self.add_button.setText(self.tr("Add question"))
        self.add_button.setToolTip(self.tr("Add a row at the end (Ctrl+Enter)"))
        self.import_button.setText(self.tr("Import…"))
        self.export_button.setText(self.tr("Export…"))
        self._show_label.setText(self.tr("Show"))
        for pos in range(self.filter_combo.count()):
            mode = FilterMode(self.filter_combo.itemData(pos))
            self.filter_combo.setItemText(
                pos, QApplication.translate("ExamplesFilterModel", FILTER_LABELS[mode])
            )
        self.search_edit.setPlaceholderText(self.tr("Search questions and answers"))
        self._clear_action.setText(self.tr("Clear cells"))
        self._insert_action.setText(self.tr("Insert row"))
        self._find_action.setText(self.tr("Find and replace"))

    def retranslate(self) -> None:
        """Show everything in the language just installed (View > Language)."""
        self._set_texts()
        for part in (
            self.system_prompt_box,
            self.find_bar,
            self.checklist,
            self.detail,
            self.model,
            self.findings_model,
        ):
            part.retranslate()
        self._publish_counts(*self._last_counts)

    # ================================================================== dataset
    @property
    def dataset(self) -> Dataset | None:
        return self._dataset

    def set_dataset(self, dataset: Dataset | None) -> None:
        """Show ``dataset`` (None: no project is open)."""
        self._generation += 1
        self._dataset = dataset
        self._import_findings = []
        self._check_findings = []
        self.findings_model.set_findings([])
        self.model.set_dataset(dataset)
        self.system_prompt_box.set_dataset(dataset)
        if dataset is not None:
            dataset.system_prompt_changed.connect(self._on_dataset_prompt_changed)
        self.detail.show_example(None)
        self._update_page()
        self._schedule_checks(immediately=True)

    def _on_dataset_prompt_changed(self, _old: str) -> None:
        self._schedule_checks()

    def _on_model_rows_changed(self, *_args: object) -> None:
        self._update_page()
        self._schedule_checks()

    def _on_model_data_changed(self, top: QModelIndex, bottom: QModelIndex, *_a: object) -> None:
        # our own report updates touch only Split..Status; real edits start at column 0
        if top.column() == 0:
            self._schedule_checks()

    def _update_page(self) -> None:
        if self._dataset is None:
            index = _Pages.NO_PROJECT
        elif len(self._dataset) == 0:
            index = _Pages.EMPTY
        else:
            index = _Pages.EDITOR
        self._stack.setCurrentIndex(index)

    # ================================================================== checks
    def _schedule_checks(self, *, immediately: bool = False) -> None:
        self._generation += 1
        if self._dataset is None:
            self._publish_counts(None)
            return
        self._check_timer.start(0 if immediately else CHECK_DELAY_MS)

    def _on_check_timer_timeout(self) -> None:
        if self._check_task is not None and not self._check_task.done():
            return  # it re-schedules itself when it sees a newer generation
        self._check_task = self._start(self._run_checks())

    async def _run_checks(self) -> None:
        ds = self._dataset
        if ds is None:
            return
        generation = self._generation
        snapshot = Dataset(ds.system_prompt, list(ds.examples))  # examples are immutable
        fraction = self._validation_fraction
        report, split, totals = await _in_worker(_check_dataset, snapshot, fraction)
        if generation != self._generation or ds is not self._dataset:
            self._check_timer.start(0)
            return
        tokens = {ex.id: t for ex, t in zip(snapshot.examples, report.tokens, strict=False)}
        self._check_findings = list(report.findings)
        self.model.set_report(report.findings, tokens, split)
        self.findings_model.set_findings([*self._check_findings, *self._import_findings])
        await self.view.refresh()
        self._publish_counts(report, totals)
        self.checks_finished.emit()

    def _publish_counts(self, report: Any, totals: TokenTotals | None = None) -> None:
        self._last_counts = (report, totals)
        count = len(self._dataset) if self._dataset is not None else 0
        errors = report.errors if report is not None else 0
        warnings = report.warnings if report is not None else 0
        total = report.total_tokens if report is not None else 0
        summary = self.tr("{examples} examples · {errors} errors · {warnings} warnings").format(
            examples=f"{count:,}", errors=errors, warnings=warnings
        )
        if totals is not None:
            summary += "\n" + self.tr(
                "Training tokens: {training} per epoch × {epochs} epochs = {trained}"
            ).format(
                training=f"{totals.training:,}",
                epochs=totals.epochs,
                trained=f"{totals.trained:,}",
            )
        self.checklist.set_summary(summary)
        self.counts_changed.emit(count, errors, warnings, total)

    def _locate(self, finding: Finding) -> int | None:
        if self._dataset is None or finding.row_id is None:
            return None
        return self._dataset.index_of(finding.row_id)

    # ================================================================== quick fixes
    def apply_fix(self, finding: Finding) -> None:
        """Apply the quick fix of ``finding`` to the whole dataset as one undo step."""
        ds = self._dataset
        if ds is None or finding.fix is None:
            return
        from tunedesk.core.checks import plan_fix

        plan = plan_fix(ds, FixKind(finding.fix))
        if plan.is_empty:
            return
        macro = MacroCommand(self.tr("Quick fix: {what}").format(what=str(finding.message)))
        if plan.replacements:
            changes = []
            for new in plan.replacements:
                row = ds.index_of(new.id)
                if row is not None:
                    changes.append((ds[row], new))
            macro.add(ReplaceExamplesCommand(ds, changes, ""))
        if plan.remove_ids:
            macro.add(RemoveExamplesByIdCommand(ds, plan.remove_ids, ""))
        if plan.system_prompt is not None:
            macro.add(SetSystemPromptCommand(ds, plan.system_prompt, "", merge=False))
        self.undo_stack.push(macro)
        self.status_message.emit(self.tr("Fixed. Undo (Ctrl+Z) brings it back."))

    def _on_checklist_finding_activated(self, finding: Finding) -> None:
        row = self._locate(finding)
        if row is not None:
            self.select_row(row)

    def select_row(self, row: int, column: Column = Column.QUESTION) -> None:
        """Make dataset ``row`` current, visible and selected (clears a hiding filter)."""
        index = self.view.mapFromSource(self.model.index(row, column))
        if not index.isValid():
            with QSignalBlocker(self.filter_combo):  # the filter is cleared right here
                self.filter_combo.setCurrentIndex(0)
            self.search_edit.clear()
            self._search_timer.stop()  # likewise
            self.view.clear()
            index = self.view.mapFromSource(self.model.index(row, column))
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    # ================================================================== selection
    def _on_model_sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        if column >= 0 and self._dataset is not None and len(self._dataset) > 1:
            self._start(self._sort_rows(column, order))

    async def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        """Reorder the rows by ``column`` (computed in a worker), as one undo step."""
        ds = self._dataset
        if ds is None:
            return
        self._commit_open_editor()
        generation = self._generation
        ordered = await _in_worker(self.model.sorted_examples, column, order)
        if ds is not self._dataset or generation != self._generation:
            return  # the rows changed meanwhile: sorting a stale copy would undo that edit
        if [ex.id for ex in ordered] == [ex.id for ex in ds.examples]:
            return
        name = self.model.headerData(column, Qt.Orientation.Horizontal)
        label = self.tr("Sort by {column}").format(column=name)
        self.undo_stack.push(ResetDatasetCommand(ds, ds.system_prompt, ordered, label))
        self.status_message.emit(
            self.tr("Rows sorted by {column}. Undo puts them back.").format(column=name)
        )

    def _on_view_switched(self) -> None:
        # setModel() gives the table a new selection model: follow it.
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.detail.current_index_changed(self.view.mapToSource(current))

    def _on_filter_combo_changed(self, pos: int) -> None:
        self._start(self.view.filter(mode=FilterMode(self.filter_combo.itemData(pos))))

    def _on_search_timer_timeout(self) -> None:
        self._start(self.view.filter(search=self.search_edit.text()))

    def _selected_source_cells(self) -> list[QModelIndex]:
        return [self.view.mapToSource(i) for i in self.table.selectionModel().selectedIndexes()]

    def _selected_source_rows(self) -> list[int]:
        rows = {i.row() for i in self._selected_source_cells()}
        current = self.table.currentIndex()
        if not rows and current.isValid():
            rows.add(self.view.mapToSource(current).row())
        return sorted(rows)

    def _open_editor(self) -> QWidget | None:
        """The grid's open cell editor, if any (found without relying on window focus)."""
        if self.table.state() != QAbstractItemView.State.EditingState:
            return None
        for child in self.table.viewport().children():
            if isinstance(child, QWidget) and child.isVisible():
                return child
        return None

    def _commit_open_editor(self) -> None:
        editor = self._open_editor()
        if editor is not None:
            self.table.commitData(editor)
            self.table.closeEditor(editor, MultilineTextDelegate.EndEditHint.NoHint)

    def _on_model_rows_about_to_go(self, *_args: object) -> None:
        # Rows vanish (undo, delete, import): close an open cell editor first, without
        # committing, so its focus-out cannot write into a row that no longer exists.
        editor = self._open_editor() if hasattr(self, "table") else None
        if editor is not None:
            self.table.closeEditor(editor, MultilineTextDelegate.EndEditHint.NoHint)

    # ================================================================== row slots
    def add_row(self) -> None:
        """Add an empty example at the end and start typing its question."""
        self._insert_at(None)

    def insert_row(self) -> None:
        """Insert an empty example above the current row (at the top when none)."""
        current = self.table.currentIndex()
        first = self.view.mapToSource(current).row() if current.isValid() else 0
        self._insert_at(max(0, first))

    def _insert_at(self, first: int | None) -> None:
        if self._dataset is None:
            return
        self._commit_open_editor()
        ds = self._dataset
        row = len(ds) if first is None else first
        self.undo_stack.push(
            InsertExamplesCommand(ds, row, [Example.qa("", "")], self.tr("Add row"))
        )
        self.select_row(row)
        index = self.table.currentIndex()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.edit(index)

    def delete_rows(self) -> None:
        """Delete every row that has a selected cell (non-contiguous too); one undo step."""
        if self._dataset is None:
            return
        self._commit_open_editor()
        rows = self._selected_source_rows()
        if not rows:
            return
        self.undo_stack.push(
            RemoveExamplesCommand(
                self._dataset, rows, self.tr("Delete rows ({count})").format(count=len(rows))
            )
        )
        self.status_message.emit(self.tr("Rows deleted: {count}.").format(count=len(rows)))

    def clear_cells(self) -> None:
        """Empty the selected Question/Answer cells and reset selected Split cells."""
        ds = self._dataset
        if ds is None:
            return
        edits: dict[int, Example] = {}
        for index in self._selected_source_cells():
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
            self.undo_stack.push(ReplaceExamplesCommand(ds, changes, self.tr("Clear cells")))

    # ================================================================== clipboard
    def _text_widget(self) -> QWidget | None:
        """A focused text box outside the grid (menu shortcuts then act on it)."""
        w = QApplication.focusWidget()
        if isinstance(w, QLineEdit | QPlainTextEdit) and not self.table.isAncestorOf(w):
            return w
        return None

    def copy(self) -> None:
        """Copy the selected cells as Excel-compatible TSV (a rectangle; gaps stay empty)."""
        w = self._text_widget()
        if w is not None:
            w.copy()  # type: ignore[attr-defined]
            return
        text = self.selection_as_tsv()
        if text:
            QGuiApplication.clipboard().setText(text)

    def cut(self) -> None:
        w = self._text_widget()
        if w is not None:
            w.cut()  # type: ignore[attr-defined]
            return
        self.copy()
        self.clear_cells()

    def select_all(self) -> None:
        w = self._text_widget()
        if w is not None:
            w.selectAll()  # type: ignore[attr-defined]
            return
        self.table.selectAll()

    def selection_as_tsv(self) -> str:
        indexes = self.table.selectionModel().selectedIndexes()
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
                line.append(self._cell_text(self.view.index(r, c)))
            out.append(line)
        return format_tsv(out)

    def _cell_text(self, index: QModelIndex) -> str:
        col = index.column()
        if col == Column.SPLIT:
            ex = self.model.example_at(self.view.mapToSource(index).row())
            return split_label(ex.split)
        role = Qt.ItemDataRole.EditRole if col in TEXT_COLUMNS else Qt.ItemDataRole.DisplayRole
        value = index.data(role)
        return "" if value is None else str(value)

    def paste(self) -> None:
        """Paste clipboard text (Excel/Sheets/web tables) as described in :meth:`paste_text`."""
        w = self._text_widget()
        if w is not None:
            w.paste()  # type: ignore[attr-defined]
            return
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> None:
        """Paste a TSV block as one undo step.

        - onto a selected cell: fill from there (right and down), appending rows at the end;
        - whole rows selected, or nothing: append the block as new rows (Question, Answer,
          Split);
        - one value onto several selected cells: fill all of them.
        """
        ds = self._dataset
        if ds is None:
            return
        self._commit_open_editor()
        block = parse_tsv(text)
        if not block:
            return
        selection = self.table.selectionModel()
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
                src = self.view.mapToSource(index)
                if src.column() in EDITABLE_COLUMNS:
                    put(src.row(), Column(src.column()), block[0][0])
        elif not indexes or whole_rows:
            new_rows = [self._example_from_cells(Column.QUESTION, cells) for cells in block]
        else:
            top = min(i.row() for i in indexes)
            left = min(i.column() for i in indexes)
            left = max(left, Column.QUESTION)
            for r, cells in enumerate(block):
                proxy_row = top + r
                if proxy_row < self.view.rowCount():
                    src_row = self.view.mapToSource(self.view.index(proxy_row, 0)).row()
                    for c, value in enumerate(cells):
                        col = left + c
                        if col in EDITABLE_COLUMNS:
                            put(src_row, Column(col), value)
                else:
                    new_rows.append(self._example_from_cells(Column(left), cells))
        changes = [(ds[r], ex) for r, ex in sorted(edits.items()) if ex is not ds[r]]
        if not changes and not new_rows:
            return
        macro = MacroCommand(self.tr("Paste"))
        if changes:
            macro.add(ReplaceExamplesCommand(ds, changes, ""))
        if new_rows:
            macro.add(InsertExamplesCommand(ds, len(ds), new_rows, ""))
        self.undo_stack.push(macro)
        self.status_message.emit(
            self.tr("Pasted. Rows changed: {changed}; rows added: {added}.").format(
                changed=len(changes), added=len(new_rows)
            )
        )

    @staticmethod
    def _example_from_cells(first: Column, cells: Sequence[str]) -> Example:
        ex = Example.qa("", "")
        for c, value in enumerate(cells):
            col = first + c
            if col in EDITABLE_COLUMNS:
                ex = ExamplesTableModel.edited_example(ex, Column(col), value) or ex
        return ex

    # ================================================================== find
    def find(self, replace: bool = False) -> None:  # type: ignore[override]
        """Show the find/replace bar (Ctrl+F; Ctrl+H puts the cursor in Replace)."""
        if self._dataset is None:
            return
        self.find_bar.open(replace=replace)

    # ================================================================== import
    def _on_import_button_clicked(self) -> None:
        from tunedesk.core.formats import SUPPORTED_SUFFIXES

        patterns = " ".join(f"*{s}" for s in sorted(SUPPORTED_SUFFIXES))
        dialog = _file_dialog(
            self, self.tr("Import questions and answers"),
            self.tr("Spreadsheets and data files ({patterns})").format(patterns=patterns),
        )
        dialog.filesSelected.connect(self.import_files)
        self._import_dialog = dialog
        dialog.open()

    def import_files(self, paths: list[str]) -> None:
        """Import ``paths`` (asynchronously) as one undo step; see :meth:`import_files_async`."""
        self._start(self.import_files_async(list(paths)))

    async def import_files_async(self, paths: list[str]) -> bool:
        """Parse each file in a worker, asking for columns / append-or-replace as needed.

        Returns True when rows were added. A file that cannot be read is reported and
        skipped; nothing already in the table changes unless the import goes ahead.
        """
        from tunedesk.core.errors import FileProblem
        from tunedesk.core.formats import ColumnMappingNeeded, import_file

        ds = self._dataset
        if ds is None or not paths:
            return False
        examples: list[Example] = []
        problems: list[Finding] = []
        read = 0
        summaries: list[str] = []
        for path in paths:
            mapping = None
            while True:
                self.status_message.emit(
                    self.tr("Reading {file}…").format(file=os.path.basename(path))
                )
                try:
                    result = await _in_worker(lambda p=path, m=mapping: import_file(p, mapping=m))
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
            read += 1
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
        if ds is not self._dataset:
            return False
        if not examples:
            if summaries:
                self.status_message.emit(" ".join(summaries))
            self._import_findings = problems
            self.findings_model.set_findings([*self._check_findings, *problems])
            return False
        replace = False
        if len(ds):
            choice = await self._ask_append_or_replace(len(examples))
            if choice is None:
                self.status_message.emit(self.tr("Import cancelled."))
                return False
            replace = choice
        label = self.tr("Import {count} examples").format(count=len(examples))
        if replace:
            self.undo_stack.push(ResetDatasetCommand(ds, ds.system_prompt, examples, label))
        else:
            self.undo_stack.push(InsertExamplesCommand(ds, len(ds), examples, label))
        self._import_findings = problems
        self.findings_model.set_findings([*self._check_findings, *problems])
        self.status_message.emit(" ".join(summaries))
        return True

    async def _ask_mapping(self, need: Any) -> Any:
        from tunedesk.ui.dialogs.column_mapping_dialog import ColumnMappingDialog

        dialog = ColumnMappingDialog(need.path, need.headers, need.sample, need.guess, self)
        result = await self.run_dialog(dialog)
        mapping = dialog.mapping() if result == QDialog.DialogCode.Accepted else None
        dialog.deleteLater()
        return mapping

    async def _show_file_problem(self, path: str, problem: UserFacingError) -> None:
        box = QMessageBox(self)
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
        await self.run_dialog(box)
        box.deleteLater()

    async def _ask_append_or_replace(self, count: int) -> bool | None:
        """True = replace, False = append, None = cancel."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Import"))
        box.setText(
            self.tr("The table already has rows ({count}). What should happen to them?").format(
                count=len(self._dataset or [])
            )
        )
        box.setInformativeText(self.tr("You can undo the import either way."))
        append = box.addButton(self.tr("Append the new rows"), QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton(self.tr("Replace them"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(append)
        await self.run_dialog(box)
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is append:
            return False
        if clicked is replace:
            return True
        return None

    # ================================================================== export
    def export_dataset(self) -> None:
        """Ask for a folder and validation share, warn about errors, write JSONL (async)."""
        self._start(self.export_dataset_async())

    async def export_dataset_async(self) -> Any:
        ds = self._dataset
        if ds is None:
            return None
        self._commit_open_editor()
        errors = [f for f in self._check_findings if f.severity == Severity.ERROR]
        if errors:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(self.tr("Export"))
            box.setText(
                self.tr("Azure will reject this data. Problems to fix first: {count}.").format(
                    count=len(errors)
                )
            )
            shown = "\n".join(f"• {f.message}" for f in errors[:5])
            box.setInformativeText(shown + "\n\n" + self.tr("Export anyway?"))
            anyway = box.addButton(self.tr("Export anyway"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            await self.run_dialog(box)
            go = box.clickedButton() is anyway
            box.deleteLater()
            if not go:
                return None
        from tunedesk.ui.dialogs.export_dialog import ExportDialog

        dialog = ExportDialog(self._last_export_dir or str(Path.home()), self)
        if await self.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            dialog.deleteLater()
            return None
        folder = dialog.folder.text().strip()
        fraction = dialog.validation_fraction()
        dialog.deleteLater()
        if not folder:
            return None
        self._last_export_dir = folder
        self._validation_fraction = fraction
        from tunedesk.core.export import export_jsonl

        snapshot = Dataset(ds.system_prompt, list(ds.examples))
        self.status_message.emit(self.tr("Exporting…"))
        result = await _in_worker(
            lambda: export_jsonl(snapshot, folder, validation_fraction=fraction)
        )
        self.status_message.emit(
            self.tr("Exported {train} training and {validation} validation examples to {folder}."
                    ).format(train=result.train_count, validation=result.validation_count,
                             folder=folder)
        )
        self._schedule_checks(immediately=True)  # the effective split may have changed
        return result

    # ================================================================== async plumbing
    async def run_dialog(self, dialog: QDialog) -> int:
        """Open ``dialog`` window-modal without a nested event loop and await its result."""
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def done(result: int) -> None:
            if not future.done():
                future.set_result(result)

        dialog.finished.connect(done)
        dialog.open()
        self.dialog_opened.emit(dialog)
        try:
            return await future
        finally:
            dialog.finished.disconnect(done)

    def _start(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Run ``coro`` on the qasync loop, keeping a reference and routing its errors."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._on_task_done)
        return task

    def _on_task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None or isinstance(exc, UserCancelled):
            return
        if isinstance(exc, UserFacingError):
            ops.show_error(self, exc)
            return
        sys.excepthook(type(exc), exc, exc.__traceback__)

    def pending_tasks(self) -> list[asyncio.Task[Any]]:
        return [t for t in self._tasks if not t.done()]


def _check_dataset(
    snapshot: Dataset, fraction: float
) -> tuple[Any, dict[str, Split], TokenTotals]:
    """Worker: the check report (with token counts), the export's split plan, token totals."""
    from tunedesk.core.checks import run_checks
    from tunedesk.core.export import plan_split

    report, split = run_checks(snapshot), plan_split(snapshot, fraction)
    return report, split, token_totals(snapshot.examples, report.tokens, split)


async def _in_worker(fn: Any, *args: Any) -> Any:
    return await ops.in_worker(fn, *args)


def _padded(widget: QWidget) -> QWidget:
    frame = QFrame()
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(8, 0, 0, 4)
    layout.addWidget(widget)
    return frame


def _file_dialog(parent: QWidget, title: str, name_filter: str) -> Any:
    from PySide6.QtWidgets import QFileDialog

    dialog = QFileDialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setNameFilter(name_filter)
    return dialog
