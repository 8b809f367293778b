"""The Data page: the Q&A editor people use for days (system prompt, grid, checklist, detail).

Everything shown is read from the one :class:`Dataset` through ``ExamplesTableModel``;
every change is a command on the shared ``QUndoStack`` (see :mod:`tunedesk.ui.undo`), and
the project store persists the dataset by listening to its events.

The page owns the layout, the check scheduling, the selection and the row commands; its
parts do the rest: :class:`DataImporter` (files in), :class:`DataExporter` (JSONL out),
:class:`GridClipboard` (copy/cut/paste as TSV) and :func:`fix_command` (quick fixes).

Long work (parsing imports, running checks with token counts, writing exports, sorting
and filtering) runs in the worker pool from coroutines started with :func:`ops.run_op`;
results are applied on the UI thread, and check results only when the dataset has not
changed since they were started.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.dataset import Dataset, Example, Split
from tunedesk.core.estimate import TokenTotals, token_totals
from tunedesk.core.findings import Finding, Severity
from tunedesk.core.flow import Step
from tunedesk.ui import ops
from tunedesk.ui.models.examples_table_model import (
    FILTER_LABELS,
    Column,
    ExamplesFilterModel,
    ExamplesTableModel,
    FilterMode,
)
from tunedesk.ui.models.findings_model import FindingsModel
from tunedesk.ui.models.grid_models import GridModels
from tunedesk.ui.pages.base import EDIT_ACTIONS, StepPage
from tunedesk.ui.pages.data.clipboard import GridClipboard
from tunedesk.ui.pages.data.drafts_bar import DraftsBar
from tunedesk.ui.pages.data.exporting import DataExporter
from tunedesk.ui.pages.data.grid import (
    commit_open_editor,
    configure_table,
    open_editor,
    selected_source_cells,
)
from tunedesk.ui.pages.data.importing import DataImporter
from tunedesk.ui.pages.data.quick_fixes import fix_command
from tunedesk.ui.pages.data.states import EmptyState, NoProjectState
from tunedesk.ui.undo import InsertExamplesCommand, RemoveExamplesCommand, ResetDatasetCommand
from tunedesk.ui.widgets.cell_delegates import MultilineTextDelegate
from tunedesk.ui.widgets.checklist_panel import ChecklistPanel
from tunedesk.ui.widgets.example_detail import ExampleDetailPanel
from tunedesk.ui.widgets.find_replace_bar import FindReplaceBar
from tunedesk.ui.widgets.system_prompt_box import SystemPromptBox

if TYPE_CHECKING:
    from tunedesk.core.export import ExportResult
    from tunedesk.core.project import Project
    from tunedesk.ui.context import AppContext
    from tunedesk.ui.pages.data.drafting import DraftDialog

T = TypeVar("T")

CHECK_DELAY_MS = 300


class _Pages:
    NO_PROJECT = 0
    EMPTY = 1
    EDITOR = 2


class DataPage(StepPage):
    """The Q&A editor (step 2). The Edit menu reaches it through :meth:`edit`.

    Signals:
        status_message(str): a short text for the status bar (from StepPage).
        counts_changed(int, int, int, int): examples, errors, warnings, total tokens.
        checks_finished(): a check report was applied (tests and the main window may wait
            on it).
        dialog_opened(QDialog): a dialog of this page was opened (window-modal,
            non-blocking); automation and tests use it to answer the dialog.
    """

    counts_changed = Signal(int, int, int, int)
    checks_finished = Signal()
    dialog_opened = Signal(QDialog)

    step = Step.DATA

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DataPage")
        self.undo_stack = undo_stack
        self._dataset: Dataset | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._generation = 0
        self._check_task: asyncio.Task[Any] | None = None
        self._file_task: asyncio.Task[Any] | None = None  # the import or export running
        self._import_findings: list[Finding] = []
        self._check_findings: list[Finding] = []
        self._draft_dialog: DraftDialog | None = None

        self.model = ExamplesTableModel(undo_stack, self)
        # before the proxy and view connect: an open editor must close before rows go
        self.model.rowsAboutToBeRemoved.connect(self._on_model_rows_about_to_go)
        self.model.modelAboutToBeReset.connect(self._on_model_rows_about_to_go)
        # Attached to the model only while a filter or sort is in force (GridModels).
        self.proxy = ExamplesFilterModel(self)
        self.findings_model = FindingsModel(self._locate, self)
        self._importer = DataImporter(self, self.model, undo_stack, self._open_dialog)
        self._importer.status_message.connect(self.status_message)
        self._importer.files_chosen.connect(self.import_files)
        self._importer.problems_found.connect(self._on_importer_problems_found)
        self._exporter = DataExporter(self, self._open_dialog)
        self._exporter.status_message.connect(self.status_message)

        self._no_project = NoProjectState()
        self._empty = EmptyState()
        self.empty_add_button = self._empty.add_button
        self.empty_add_button.clicked.connect(self.add_row)
        self.empty_import_button = self._empty.import_button
        self.empty_import_button.clicked.connect(self._importer.choose_files)
        self._stack = QStackedWidget()
        self._stack.addWidget(self._no_project)
        self._stack.addWidget(self._empty)
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

    # ================================================================== StepPage
    @classmethod
    def for_context(cls, context: AppContext) -> DataPage:
        """Build the page on the context's undo stack and attach it to the context."""
        page = cls(context.undo_stack)
        page.set_context(context)
        return page

    def set_context(self, context: AppContext) -> None:
        """Show the dataset of each project the context opens; report the example count."""
        super().set_context(context)
        context.project_changed.connect(self._on_context_project_changed)
        context.paraphrase_requested.connect(self._on_paraphrase_requested)
        if context.project is not None:  # built after a project was opened
            self._on_context_project_changed(context.project)

    def _on_context_project_changed(self, project: Project | None) -> None:
        self.set_dataset(project.dataset if project is not None else None)

    def edit_actions(self) -> frozenset[str]:
        """Every Edit-menu action while a project is open (text editing only before)."""
        if self._dataset is None:
            return super().edit_actions()
        return frozenset(EDIT_ACTIONS)

    def edit(self, action: str) -> None:
        """Carry out an Edit-menu action; cut/copy/paste/select all act on a focused text
        box outside the grid instead of the grid (see :class:`GridClipboard`)."""
        handlers: dict[str, Callable[[], None]] = {
            "cut": self.cut,
            "copy": self.copy,
            "paste": self.paste,
            "select_all": self.select_all,
            "add_row": self.add_row,
            "insert_row": self.insert_row,
            "delete_rows": self.delete_rows,
            "find": self.find,
        }
        handler = handlers.get(action)
        if handler is not None:
            handler()

    # ================================================================== construction
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
        self.import_button.clicked.connect(self._importer.choose_files)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export_dataset)
        # One split button for both ways a model drafts rows (the toolbar has no room for two
        # in longer languages): click it to draft from documents; its arrow, like the grid's
        # right-click menu, paraphrases the selected questions.
        self.draft_action = QAction(self)
        self.draft_action.triggered.connect(self.draft_from_documents)
        self.paraphrase_action = QAction(self)
        self.paraphrase_action.triggered.connect(self.paraphrase_selected)
        self.draft_button = QToolButton()
        self.draft_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.draft_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.draft_button.setDefaultAction(self.draft_action)
        draft_menu = QMenu(self.draft_button)
        draft_menu.addAction(self.draft_action)
        draft_menu.addAction(self.paraphrase_action)
        self.draft_button.setMenu(draft_menu)
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
        tools.addSpacing(12)
        tools.addWidget(self.draft_button)
        tools.addStretch(1)
        self._show_label = QLabel()
        tools.addWidget(self._show_label)
        tools.addWidget(self.filter_combo)
        tools.addWidget(self.search_edit)

        # --- drafts waiting for review, then the table
        self.drafts_bar = DraftsBar(self.undo_stack, self.selected_examples)
        self.drafts_bar.show_drafts_requested.connect(self._on_show_drafts_requested)
        self.table = QTableView()
        self.view: GridModels = GridModels(self.table, self.model, self.proxy)
        self.model.sort_requested.connect(self._on_model_sort_requested)
        self.view.switched.connect(self._on_view_switched)
        self._delegates = configure_table(self.table)
        self._on_view_switched()
        self._add_table_actions()
        self._clipboard = GridClipboard(self.table, self.view, self.model, self.undo_stack, self)
        self._clipboard.status_message.connect(self.status_message)

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
        left_layout.addWidget(self.drafts_bar)
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
        def add(keys: list[QKeySequence], slot: Callable[[], None]) -> QAction:
            action = QAction(self.table)
            action.setShortcuts(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.table.addAction(action)
            return action

        self._clear_action = add(
            [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)],
            self.clear_cells,
        )
        self._insert_action = add([QKeySequence(Qt.Key.Key_Insert)], self.insert_row)
        # Right-click on the grid: these row actions, and rephrasing the selected questions.
        self.table.addAction(self.paraphrase_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        find = self._find_action = QAction(self)
        find.setShortcut(QKeySequence("Ctrl+H"))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(lambda: self.find(replace=True))
        self.addAction(find)

    def _set_texts(self) -> None:
        """Every fixed text of this page, in the current language (see retranslate)."""
        self._no_project.retranslate()
        self._empty.retranslate()
        self._prompt_label.setText(self.tr("System prompt"))
        self.add_button.setText(self.tr("Add question"))
        self.add_button.setToolTip(self.tr("Add a row at the end (Ctrl+Enter)"))
        self.import_button.setText(self.tr("Import…"))
        self.export_button.setText(self.tr("Export…"))
        self.draft_action.setText(self.tr("Draft from documents…"))
        self.draft_action.setToolTip(
            self.tr(
                "Let a model you deployed draft questions and answers from your handbooks, "
                "policies or product sheets; you review every one"
            )
        )
        self.paraphrase_action.setText(self.tr("Paraphrase the selected questions…"))
        self.paraphrase_action.setToolTip(
            self.tr(
                "Ask the selected questions in other words, keeping their answers: a model "
                "remembers a fact better when it has seen it asked several ways"
            )
        )
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
            self.drafts_bar,
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
        self.drafts_bar.set_dataset(dataset)
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
        self._check_task = self._run(self._run_checks)

    async def _run_checks(self) -> None:
        ds = self._dataset
        if ds is None:
            return
        generation = self._generation
        snapshot = Dataset(ds.system_prompt, list(ds.examples))  # examples are immutable
        fraction = self._exporter.validation_fraction  # the split the next export makes
        epochs = self._planned_epochs()
        report, split, totals = await ops.in_worker(_check_dataset, snapshot, fraction, epochs)
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

    def _planned_epochs(self) -> int | None:
        """The epochs chosen on the Model & settings page (None: Azure chooses)."""
        project = self.context.project if self.context is not None else None
        plan = project.get_meta("training_plan", None) if project is not None else None
        if not isinstance(plan, dict):
            return None
        from tunedesk.core.training_plan import TrainingSettings

        return TrainingSettings.from_json(plan.get("settings")).epochs

    def _publish_counts(self, report: Any, totals: TokenTotals | None = None) -> None:
        self._last_counts = (report, totals)
        count = len(self._dataset) if self._dataset is not None else 0
        errors = report.errors if report is not None else 0
        warnings = report.warnings if report is not None else 0
        total = report.total_tokens if report is not None else 0
        summary = self.tr("{examples} examples · {errors} errors · {warnings} warnings").format(
            examples=f"{count:,}", errors=errors, warnings=warnings
        )
        if totals is not None and totals.epochs_chosen_by_azure:
            summary += "\n" + self.tr(
                "Training tokens: {training} per epoch; Azure chooses the epochs, typically "
                "{epochs} for this many examples (about {trained})"
            ).format(
                training=f"{totals.training:,}",
                epochs=totals.epochs,
                trained=f"{totals.trained:,}",
            )
        elif totals is not None:
            summary += "\n" + self.tr(
                "Training tokens: {training} per epoch × {epochs} epochs = {trained}"
            ).format(
                training=f"{totals.training:,}",
                epochs=totals.epochs,
                trained=f"{totals.trained:,}",
            )
        drafts = report.drafts if report is not None else 0
        if drafts:
            summary += "\n" + self.tr("Drafts to review: {count}").format(count=f"{drafts:,}")
        self.checklist.set_summary(summary)
        self.drafts_bar.refresh()
        self.counts_changed.emit(count, errors, warnings, total)
        if self.context is not None and self._dataset is not None:  # None: no project open
            self.context.set_counts(count, errors, warnings, total)

    def _locate(self, finding: Finding) -> int | None:
        if self._dataset is None or finding.row_id is None:
            return None
        return self._dataset.index_of(finding.row_id)

    # ================================================================== quick fixes
    def apply_fix(self, finding: Finding) -> None:
        """Apply the quick fix of ``finding`` to the whole dataset as one undo step."""
        ds = self._dataset
        if ds is None:
            return
        command = fix_command(ds, finding)
        if command is None:
            return
        self.undo_stack.push(command)
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
            self._run(lambda: self._sort_rows(column, order))

    async def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        """Reorder the rows by ``column`` (computed in a worker), as one undo step."""
        ds = self._dataset
        if ds is None:
            return
        self._commit_open_editor()
        generation = self._generation
        ordered = await ops.in_worker(self.model.sorted_examples, column, order)
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
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._on_table_current_row_changed)
        selection.selectionChanged.connect(self._on_table_selection_changed)

    def _on_table_selection_changed(self, *_args: object) -> None:
        self.drafts_bar.selection_changed()

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.detail.current_index_changed(self.view.mapToSource(current))
        self.drafts_bar.selection_changed()

    def _on_show_drafts_requested(self, only: bool) -> None:
        mode = FilterMode.DRAFTS if only else FilterMode.ALL
        self.filter_combo.setCurrentIndex(self.filter_combo.findData(int(mode)))

    def _on_filter_combo_changed(self, pos: int) -> None:
        mode = FilterMode(self.filter_combo.itemData(pos))
        self._run(lambda: self.view.filter(mode=mode))

    def _on_search_timer_timeout(self) -> None:
        text = self.search_edit.text()
        self._run(lambda: self.view.filter(search=text))

    def _selected_source_rows(self) -> list[int]:
        rows = {i.row() for i in selected_source_cells(self.table, self.view)}
        current = self.table.currentIndex()
        if not rows and current.isValid():
            rows.add(self.view.mapToSource(current).row())
        return sorted(rows)

    # ================================================================== drafting
    def draft_from_documents(self) -> QDialog | None:
        """Open the drafting dialog (documents); one at a time, not modal."""
        return self._open_draft_dialog("documents")

    def draft_documents(self, paths: list[Path]) -> None:
        """Open Draft from documents with these files (dropped on the window)."""
        from tunedesk.ui.pages.data.drafting import DraftDialog, DraftMode

        dialog = self._open_draft_dialog("documents")
        if isinstance(dialog, DraftDialog) and dialog.mode == DraftMode.DOCUMENTS:
            dialog.add_documents(paths)

    def paraphrase_selected(self) -> QDialog | None:
        """Open the paraphrase dialog for the selected rows."""
        return self._open_draft_dialog("paraphrase", self.selected_examples())

    def _open_draft_dialog(self, mode: str, rows: list[Example] | None = None) -> QDialog | None:
        from tunedesk.ui.pages.data.drafting import DraftDialog, DraftMode

        context = self.context
        if context is None or self._dataset is None:
            return None
        current = self._draft_dialog
        if current is not None and current.isVisible():
            if current.mode == mode and mode == DraftMode.DOCUMENTS:
                current.raise_()
                current.activateWindow()
                return current
            if current.is_running():
                current.raise_()
                return current
            current.close()
        dialog = self._draft_dialog = DraftDialog(
            context, self.undo_stack, DraftMode(mode), rows, parent=self.window()
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._on_draft_dialog_gone)
        dialog.show()
        self.dialog_opened.emit(dialog)
        return dialog

    def _on_paraphrase_requested(self, row_ids: list[str]) -> None:
        ds = self._dataset
        if ds is None:
            return
        rows = [ds[i] for i in (ds.index_of(r) for r in row_ids) if i is not None]
        self.step_requested.emit(Step.DATA.value)
        self._open_draft_dialog("paraphrase", rows)

    def _on_draft_dialog_gone(self, *_args: object) -> None:
        self._draft_dialog = None

    def selected_examples(self) -> list[Example]:
        """The examples of the selected rows (the current row when nothing is selected)."""
        ds = self._dataset
        if ds is None:
            return []
        return [ds[row] for row in self._selected_source_rows() if 0 <= row < len(ds)]

    def _commit_open_editor(self) -> None:
        commit_open_editor(self.table)

    def _on_model_rows_about_to_go(self, *_args: object) -> None:
        # Rows vanish (undo, delete, import): close an open cell editor first, without
        # committing, so its focus-out cannot write into a row that no longer exists.
        editor = open_editor(self.table) if hasattr(self, "table") else None
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

    # ================================================================== clipboard
    def clear_cells(self) -> None:
        """Empty the selected Question/Answer cells and reset selected Split cells."""
        self._clipboard.clear_cells()

    def copy(self) -> None:
        """Copy the selected cells as Excel-compatible TSV (a rectangle; gaps stay empty)."""
        self._clipboard.copy()

    def cut(self) -> None:
        self._clipboard.cut()

    def paste(self) -> None:
        """Paste clipboard text (Excel/Sheets/web tables), see :meth:`paste_text`."""
        self._clipboard.paste()

    def select_all(self) -> None:
        self._clipboard.select_all()

    def selection_as_tsv(self) -> str:
        return self._clipboard.selection_as_tsv()

    def paste_text(self, text: str) -> None:
        """Paste a TSV block as one undo step (see :meth:`GridClipboard.paste_text`)."""
        self._clipboard.paste_text(text)

    # ================================================================== find
    def find(self, replace: bool = False) -> None:  # type: ignore[override]
        """Show the find/replace bar (Ctrl+F; Ctrl+H puts the cursor in Replace)."""
        if self._dataset is None:
            return
        self.find_bar.open(replace=replace)

    # ================================================================== import / export
    def import_files(self, paths: list[str]) -> asyncio.Task[Any] | None:
        """Import ``paths`` (asynchronously) as one undo step; see :meth:`import_files_async`.

        Returns the running task, or None while another import or export runs.
        """
        paths = list(paths)
        return self._start_file_op(lambda: self.import_files_async(paths))

    async def import_files_async(self, paths: list[str]) -> bool:
        """Read ``paths`` into the dataset (see :meth:`DataImporter.import_files`)."""
        return await self._importer.import_files(paths)

    def _on_importer_problems_found(self, problems: list[Finding]) -> None:
        self._import_findings = problems
        self.findings_model.set_findings([*self._check_findings, *problems])

    def export_dataset(self) -> asyncio.Task[Any] | None:
        """Ask for a folder and validation share, warn about errors, write JSONL (async).

        Returns the running task, or None while another import or export runs.
        """
        return self._start_file_op(self.export_dataset_async)

    async def export_dataset_async(self) -> ExportResult | None:
        ds = self._dataset
        if ds is None:
            return None
        self._commit_open_editor()
        errors = [f for f in self._check_findings if f.severity == Severity.ERROR]
        result = await self._exporter.export(ds, errors)
        if result is not None:
            self._schedule_checks(immediately=True)  # the effective split may have changed
        return result

    def _start_file_op(self, work: Callable[[], Awaitable[T]]) -> asyncio.Task[T | None] | None:
        """One import or export at a time: their buttons are disabled while one runs."""
        if self._file_task is not None and not self._file_task.done():
            self.status_message.emit(self.tr("Wait for the import or export to finish."))
            return None
        busy = (self.import_button, self.empty_import_button, self.export_button)
        task = self._file_task = self._run(work, busy=busy)
        return task

    # ================================================================== async plumbing
    def _run(
        self, work: Callable[[], Awaitable[T]], *, busy: Iterable[QWidget] = ()
    ) -> asyncio.Task[T | None]:
        """Start ``work()`` with :func:`ops.run_op`, keeping its task for :meth:`pending_tasks`.

        Quiet: the page shows its own progress (status bar, checklist), so no progress
        dialog and no label. Errors go where run_op sends them: a message box for a
        UserFacingError, the crash handler for anything else.
        """
        task = ops.run_op(self, work, label="", quiet=True, busy=busy)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _open_dialog(self, dialog: QDialog) -> int:
        """:func:`ops.run_dialog`, announcing the open dialog through ``dialog_opened``."""
        # run_dialog opens the dialog before it first waits, so this runs after open().
        asyncio.get_running_loop().call_soon(self.dialog_opened.emit, dialog)
        return await ops.run_dialog(dialog)

    def pending_tasks(self) -> list[asyncio.Task[Any]]:
        return [t for t in self._tasks if not t.done()]


def _check_dataset(
    snapshot: Dataset, fraction: float, epochs: int | None = None
) -> tuple[Any, dict[str, Split], TokenTotals]:
    """Worker: the check report (with token counts), the export's split plan, token totals
    (``epochs`` as set on the Model & settings page; None: Azure chooses)."""
    from tunedesk.core.checks import run_checks
    from tunedesk.core.export import plan_split

    report, split = run_checks(snapshot), plan_split(snapshot, fraction)
    return report, split, token_totals(snapshot.examples, report.tokens, split, epochs)


def _padded(widget: QWidget) -> QWidget:
    frame = QFrame()
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(8, 0, 0, 4)
    layout.addWidget(widget)
    return frame
