"""The main window: a sidebar with the six steps, one page per step, menus and status bar.

The window owns the :class:`~tunedesk.ui.context.AppContext` (project, sign-in, place) and
knows pages only through :class:`~tunedesk.ui.pages.base.StepPage` and the registry in
:mod:`tunedesk.ui.pages`: it builds a step's page the first time the step is opened, shows
an honest note instead while the flow says the step is blocked (or not built yet), routes
the Edit menu to the current page and re-translates every page built so far.

Signals:
    project_opened(str): a project finished loading (its path).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

# No ``Qt`` namespace here: its first import costs ~12 ms, and nothing before the first
# paint needs it (ensure_pages and later code import it when they run).
# Nor the classes of menus, dialogs and events: PySide builds each type on first import
# (~5 ms for these); the methods that need them import them after the first paint.
from PySide6.QtCore import QByteArray, QSettings, QSize, Signal, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tunedesk import APP_NAME, PROJECT_SUFFIX, __version__
from tunedesk.core import flow, i18n
from tunedesk.core.errors import UserFacingError
from tunedesk.core.settings import Settings, add_recent, remove_recent, save_settings

if TYPE_CHECKING:  # imported when first used: they are not needed for the first paint
    import asyncio

    from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
    from PySide6.QtWidgets import QMenu

    from tunedesk.core.project import Project
    from tunedesk.ui.pages.base import StepPage
    from tunedesk.ui.pages.data import DataPage
    from tunedesk.ui.pages.sign_in import SignInPage

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Hosts the step pages and owns the open :class:`Project` and the undo stack."""

    project_opened = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.project: Project | None = None
        self.undo_stack = QUndoStack(self)
        from tunedesk.ui.context import AppContext

        self.context = AppContext(settings, self.undo_stack, self)
        self.setAcceptDrops(True)
        self.setMinimumSize(QSize(960, 600))

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("stepSidebar")
        self.sidebar.setFixedWidth(290)  # room for "6  Chat & check  (soon)" 40 % longer
        self.sidebar.setIconSize(QSize(22, 22))
        self.pages = QStackedWidget()
        # Every step's slot starts as an empty widget: the Data page (and the menus that
        # drive it) are built right after the first paint by ensure_pages(), the others
        # when first shown. _slots holds what each row shows now (a page or a note).
        self._step_pages: dict[flow.Step, StepPage] = {}
        self._pages_ready = False  # set by ensure_pages(): until then only the shell exists
        self._billing_acknowledged = False  # the person chose to quit with deployments online
        self._slots: list[QWidget] = []
        self._step_rows: dict[flow.Step, int] = {}
        for row, step in enumerate(flow.STEPS):
            item = QListWidgetItem(self._step_label(row, step))
            item.setToolTip(str(step.summary))
            item.setSizeHint(QSize(280, 44))
            self.sidebar.addItem(item)
            placeholder = QWidget()
            self._slots.append(placeholder)
            self.pages.addWidget(placeholder)
            self._step_rows[step.step] = row
        self.sidebar.currentRowChanged.connect(self._on_sidebar_current_row_changed)

        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        side = QWidget()
        side.setObjectName("sidebarPane")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 12, 8, 8)
        brand = QLabel(APP_NAME)
        brand.setObjectName("brand")
        side_layout.addWidget(brand)
        side_layout.addWidget(self.sidebar, 1)
        layout.addWidget(side)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(body)
        self.setStyleSheet(
            "#sidebarPane { background: palette(window); border-right: 1px solid palette(mid); }"
            "#brand { font-size: 18px; font-weight: 600; padding: 4px 8px 12px 8px; }"
            "#stepSidebar { border: none; background: transparent; font-size: 14px; }"
            "#stepSidebar::item { padding: 6px 8px; border-radius: 6px; }"
            "#stepSidebar::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )

        self._cloud_status = QLabel()
        self._cloud_status.setObjectName("cloudStatus")
        self._counts = QLabel()
        self._cloud_status.setContentsMargins(0, 0, 12, 0)  # apart from the counts
        self.statusBar().addPermanentWidget(self._cloud_status)
        self.statusBar().addPermanentWidget(self._counts)
        self._update_cloud_status()
        self.context.cloud_changed.connect(self._update_cloud_status)
        self.context.flow_changed.connect(self._on_context_flow_changed)
        self.context.counts_changed.connect(self._on_context_counts_changed)
        self.go_to(flow.Step.DATA)  # the editor works offline: it is where everyone starts
        self._update_title()
        self._restore_geometry()

    # ------------------------------------------------------------------ structure
    @property
    def data_page(self) -> DataPage:
        page = self.ensure_pages()
        return page  # type: ignore[return-value]  # the registry maps DATA to DataPage

    @property
    def sign_in_page(self) -> SignInPage:
        page = self.page(flow.Step.SIGN_IN)
        return page  # type: ignore[return-value]  # the registry maps SIGN_IN to SignInPage

    def ensure_pages(self) -> StepPage:
        """Build the Data page and the menus (once); the start-up calls it after first paint."""
        page = self._step_pages.get(flow.Step.DATA)
        if page is not None and self._pages_ready:
            return page
        self._pages_ready = True
        page = self.page(flow.Step.DATA)  # ~75 ms of imports: after the first paint
        self._build_menus()
        self._refresh_steps()
        self._on_sidebar_current_row_changed(self.sidebar.currentRow())
        return page

    def page(self, step: flow.Step) -> StepPage:
        """The page of ``step``, built now if it was not yet (this version has it)."""
        page = self._step_pages.get(step)
        if page is not None:
            return page
        from tunedesk.ui.pages import page_class

        cls = page_class(step)
        if cls is None:
            raise LookupError(f"no page for {step}")
        page = cls.for_context(self.context)
        page.status_message.connect(self._on_page_status_message)
        page.step_requested.connect(lambda name: self.go_to(flow.Step(name)))
        self._step_pages[step] = page  # set_context() gave it the project already open
        self._refresh_slot(self._step_rows[step])
        return page

    def restore_sign_in(self) -> None:
        """Sign in silently with what the last session saved (the start-up calls it)."""
        self.sign_in_page.restore()

    def _refresh_slot(self, row: int) -> None:
        """Put in ``row``'s slot what it should show now: its page, or an honest note."""
        from tunedesk.ui.step_page import UnavailableStepPage

        info = flow.STEPS[row]
        page = self._step_pages.get(info.step)
        reason = flow.blocked_reason(info.step, self.context.flow_state())
        current = self._slots[row]
        if page is not None and reason is None:
            wanted: QWidget = page
        elif page is None and info.available and reason is None:
            return  # a page this version has: built when first shown (page())
        else:
            note = current if isinstance(current, UnavailableStepPage) else None
            note = note or UnavailableStepPage(info)
            note.set_reason(reason)
            wanted = note
        if wanted is current:
            return
        was_current = self.pages.currentIndex() == row
        self.pages.insertWidget(row, wanted)
        self.pages.removeWidget(current)
        if current not in self._step_pages.values():
            current.deleteLater()  # a placeholder or a note; pages are kept for later
        self._slots[row] = wanted
        if was_current:
            self.pages.setCurrentIndex(row)

    @staticmethod
    def _step_label(row: int, step: flow.StepInfo) -> str:
        label = f"{row + 1}  {step.title}"
        if not step.available:
            label += "  " + QApplication.translate("MainWindow", "(soon)")
        return label

    def _refresh_steps(self) -> None:
        """Sidebar texts, greying and tooltips from the flow's gates."""
        from PySide6.QtGui import QPalette

        state = self.context.flow_state()
        palette = self.palette()
        grey = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        normal = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
        for row, info in enumerate(flow.STEPS):
            item = self.sidebar.item(row)
            item.setText(self._step_label(row, info))
            reason = flow.blocked_reason(info.step, state)
            tip = str(info.summary) if reason is None else f"{info.summary}\n\n{reason}"
            item.setToolTip(tip)
            item.setForeground(normal if flow.reachable(info.step, state) else grey)

    def go_to(self, step: flow.Step) -> None:
        self.sidebar.setCurrentRow(self._step_rows[step])

    def current_page(self) -> StepPage | None:
        """The step page on screen (None while a note stands in for it)."""
        widget = self.pages.currentWidget()
        return next((p for p in self._step_pages.values() if p is widget), None)

    @Slot(int)
    def _on_sidebar_current_row_changed(self, row: int) -> None:
        info = flow.STEPS[row]
        self.pages.setCurrentIndex(row)
        if not self._pages_ready:
            return  # the first paint shows the shell only
        reason = flow.blocked_reason(info.step, self.context.flow_state())
        if info.available and reason is None and info.step not in self._step_pages:
            self.page(info.step)
        self._refresh_slot(row)
        self.pages.setCurrentIndex(row)
        page = self.current_page()
        if page is not None:
            page.page_shown()
        self._update_edit_actions()

    @Slot()
    def _on_context_flow_changed(self) -> None:
        if not self._pages_ready:
            return  # before ensure_pages: nothing but the shell exists yet
        self._refresh_steps()
        for row in range(len(flow.STEPS)):
            self._refresh_slot(row)
        self._watch_running_jobs()

    def _watch_running_jobs(self) -> None:
        """A job that was running when TuneDesk closed is watched again as soon as its
        place is chosen: the Train page (which watches) is built for it, not shown."""
        context = self.context
        if context.project is None or context.place is None:
            return
        if flow.Step.TRAIN in self._step_pages:
            return
        from tunedesk.core.jobs import JobHistory

        if any(r.place_id == context.place.id for r in JobHistory(context.project).active()):
            self.page(flow.Step.TRAIN)

    @Slot()
    def _update_cloud_status(self) -> None:
        ctx = self.context
        if ctx.offline:
            text = self.tr("Offline: Azure cannot be reached (the Data page works offline)")
        elif ctx.session is not None:
            text = str(ctx.session.describe())
        elif ctx.signed_in:
            text = self.tr("Signed in with an Azure OpenAI key")
        else:
            text = self.tr("Not signed in")
        if ctx.place is not None and not ctx.offline:
            text += " · " + self.tr("training in {place}").format(place=ctx.place.describe())
        self._cloud_status.setText(text)

    # ------------------------------------------------------------------ Edit menu
    def _edit(self, action: str) -> None:
        page = self.current_page()
        if page is not None and action in page.edit_actions():
            page.edit(action)

    def _update_edit_actions(self) -> None:
        from tunedesk.ui.pages.base import EDIT_ACTIONS

        if not hasattr(self, "_actions"):
            return
        page = self.current_page()
        wanted = page.edit_actions() if page is not None else frozenset()
        for name in EDIT_ACTIONS:
            self._actions[name].setEnabled(name in wanted)

    def _action(
        self,
        menu: QMenu,
        name: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        """A menu action; its text is set by _set_menu_texts under ``name``."""
        from PySide6.QtGui import QAction

        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self._actions[name] = action
        return action

    def _build_menus(self) -> None:
        from PySide6.QtGui import QActionGroup, QKeySequence

        bar = self.menuBar()
        keys = QKeySequence.StandardKey
        self._actions: dict[str, QAction] = {}
        self._menus: dict[str, QMenu] = {}

        file_menu = self._menus["file"] = bar.addMenu("")
        self._action(file_menu, "new", self.new_project, keys.New)
        self._action(file_menu, "open", self.open_project_dialog, keys.Open)
        self.recent_menu = self._menus["recent"] = file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.save_as_action = self._action(file_menu, "save_as", self.save_as_dialog, keys.SaveAs)
        file_menu.addSeparator()
        self._action(file_menu, "import", self.import_dialog, QKeySequence("Ctrl+I"))
        self._action(file_menu, "export", self.export_dialog, QKeySequence("Ctrl+E"))
        file_menu.addSeparator()
        self._action(file_menu, "quit", self.close, keys.Quit)

        edit = self._menus["edit"] = bar.addMenu("")
        edit.aboutToShow.connect(self._update_edit_actions)
        self._undo_separator = edit.addSeparator()  # Undo and Redo go above it
        # Each goes to the page on screen (StepPage.edit); enabled where that page has it.
        edit_keys: list[tuple[str, QKeySequence | QKeySequence.StandardKey]] = [
            ("cut", keys.Cut),
            ("copy", keys.Copy),
            ("paste", keys.Paste),
            ("select_all", keys.SelectAll),
            ("add_row", QKeySequence("Ctrl+Return")),
            ("insert_row", QKeySequence("Ctrl+Shift+Return")),
            ("delete_rows", QKeySequence("Ctrl+-")),
            ("find", keys.Find),
        ]
        for name, key in edit_keys:
            if name in ("add_row", "find"):
                edit.addSeparator()
            self._action(edit, name, lambda _=False, n=name: self._edit(n), key)

        view = self._menus["view"] = bar.addMenu("")
        lang_menu = self._menus["language"] = view.addMenu("")
        self.language_group = QActionGroup(self)  # one choice at a time
        for code in ("", *i18n.SUPPORTED_LANGUAGES):
            act = self._action(
                lang_menu, f"language:{code}", lambda _=False, c=code: self._set_language(c)
            )
            act.setCheckable(True)
            act.setChecked(self.settings.language == code)
            self.language_group.addAction(act)

        help_menu = self._menus["help"] = bar.addMenu("")
        self._action(help_menu, "about", self.about)
        self._action(help_menu, "about_qt", QApplication.aboutQt)
        self._set_menu_texts()

    def _set_menu_texts(self) -> None:
        """Every menu and action text, in the current language."""
        menus, actions = self._menus, self._actions
        menus["file"].setTitle(self.tr("&File"))
        actions["new"].setText(self.tr("&New project"))
        actions["open"].setText(self.tr("&Open project…"))
        menus["recent"].setTitle(self.tr("Open &recent"))
        actions["save_as"].setText(self.tr("Save project &as…"))
        actions["import"].setText(self.tr("&Import data…"))
        actions["export"].setText(self.tr("&Export training files…"))
        actions["quit"].setText(self.tr("&Quit"))
        menus["edit"].setTitle(self.tr("&Edit"))
        self._make_undo_actions()
        actions["cut"].setText(self.tr("Cu&t"))
        actions["copy"].setText(self.tr("&Copy"))
        actions["paste"].setText(self.tr("&Paste"))
        actions["select_all"].setText(self.tr("Select &all"))
        actions["add_row"].setText(self.tr("Add &row"))
        actions["insert_row"].setText(self.tr("&Insert row above"))
        actions["delete_rows"].setText(self.tr("&Delete rows"))
        actions["find"].setText(self.tr("&Find and replace…"))
        menus["view"].setTitle(self.tr("&View"))
        menus["language"].setTitle(self.tr("&Language"))
        actions["language:"].setText(self.tr("Follow the system"))
        for code, name in i18n.SUPPORTED_LANGUAGES.items():
            actions[f"language:{code}"].setText(name)  # each in its own language
        menus["help"].setTitle(self.tr("&Help"))
        actions["about"].setText(self.tr("&About TuneDesk"))
        actions["about_qt"].setText(self.tr("About &Qt"))

    def _make_undo_actions(self) -> None:
        """(Re)create Undo and Redo: QUndoStack fixes their "Undo <command>" prefix when it
        makes them, so a new language needs new actions."""
        from PySide6.QtGui import QKeySequence

        edit = self._menus["edit"]
        keys = QKeySequence.StandardKey
        undo = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(keys.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcuts([QKeySequence(keys.Redo), QKeySequence("Ctrl+Y")])
        for name, action in (("undo", undo), ("redo", redo)):
            old = self._actions.get(name)
            if old is not None:
                edit.removeAction(old)
                old.deleteLater()
            edit.insertAction(self._undo_separator, action)
            self._actions[name] = action

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.settings.recent_projects if Path(p).exists()]
        if not recent:
            empty = self.recent_menu.addAction(self.tr("No recent projects"))
            empty.setEnabled(False)
            return
        from tunedesk.core.project import scratch_dir

        unsaved = scratch_dir()
        for path in recent:
            name = Path(path).stem
            if Path(path).parent == unsaved:
                name = self.tr("{name} (not saved to a folder yet)").format(name=name)
            act = self.recent_menu.addAction(name)
            act.setToolTip(path)
            act.triggered.connect(lambda _=False, p=path: self.open_project(Path(p)))

    # ------------------------------------------------------------------ projects
    def set_project(self, project: Project) -> None:
        """Show ``project``; the previous one is flushed and closed."""
        old = self.project
        self.project = project
        self.undo_stack.clear()
        self.ensure_pages()
        self.context.set_project(project)
        if old is not None and old is not project:
            self._release(old)
        # Unsaved projects are listed too, so the next start reopens them (nothing is lost).
        add_recent(self.settings, str(project.path))
        save_settings(self.settings)
        self._update_title()
        self.project_opened.emit(str(project.path))

    def open_project(self, path: Path) -> asyncio.Task[Project | None]:
        from tunedesk.ui import ops

        return ops.run_op(
            self,
            lambda: ops.in_worker(_project_class().open, path),
            label=self.tr("Opening {name}…").format(name=path.name),
            on_success=self.set_project,
        )

    @Slot()
    def open_project_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open project"),
            self._start_dir(),
            self.tr("TuneDesk projects (*{suffix})").format(suffix=PROJECT_SUFFIX),
        )
        if path:
            self.open_project(Path(path))

    @Slot()
    def new_project(self) -> asyncio.Task[Project | None]:
        from tunedesk.ui import ops

        return ops.run_op(
            self,
            lambda: ops.in_worker(_project_class().create_scratch),
            label=self.tr("Creating a project…"),
            on_success=self.set_project,
        )

    @Slot()
    def save_as_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        if self.project is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save project as"),
            str(Path(self._start_dir()) / (self.project.name + PROJECT_SUFFIX)),
            self.tr("TuneDesk projects (*{suffix})").format(suffix=PROJECT_SUFFIX),
        )
        if not path:
            return
        target = Path(path)
        if target.suffix != PROJECT_SUFFIX:
            target = target.with_suffix(PROJECT_SUFFIX)
        project = self.project

        from tunedesk.ui import ops

        async def work() -> Project:
            await ops.in_worker(project.save_as, target)
            return project

        ops.run_op(self, work, label=self.tr("Saving…"), on_success=self.set_project)

    @Slot()
    def export_dialog(self) -> None:
        self.go_to(flow.Step.DATA)
        self.data_page.export_dataset()

    @Slot()
    def import_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        paths, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Import questions and answers"),
            self.settings.last_import_dir or str(Path.home()),
            self.tr("Data files (*.jsonl *.csv *.tsv *.txt *.xlsx);;All files (*)"),
        )
        if paths:
            self.settings.last_import_dir = str(Path(paths[0]).parent)
            self.go_to(flow.Step.DATA)
            self.data_page.import_files(paths)

    def _start_dir(self) -> str:
        if self.project is not None and not self.project.is_scratch:
            return str(self.project.path.parent)
        return str(Path.home())

    def _update_title(self) -> None:
        if self.project is None:
            self.setWindowTitle(APP_NAME)
            return
        if self.project.is_scratch:
            title = self.tr("{name} (not saved to a folder yet) — {app}")
        else:
            title = self.tr("{name} — {app}")
        self.setWindowTitle(title.format(name=self.project.name, app=APP_NAME))

    # ------------------------------------------------------------------ slots
    @Slot(str)
    def _on_page_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    @Slot(int, int, int, int)
    def _on_context_counts_changed(
        self, examples: int, errors: int, warnings: int, tokens: int
    ) -> None:
        self._counts.setText(
            self.tr("{examples} examples · {errors} errors · {warnings} warnings").format(
                examples=examples, errors=errors, warnings=warnings
            )
        )

    def _set_language(self, code: str) -> None:
        """Switch the interface language now (and remember it; "" follows the system)."""
        from tunedesk.ui.i18n import install_translators, system_language

        if code == self.settings.language:
            return
        self.settings.language = code
        save_settings(self.settings)
        app = QApplication.instance()
        assert app is not None
        install_translators(app, code or system_language())
        self.retranslate()

    def retranslate(self) -> None:
        """Show the whole window in the language just installed.

        Texts made when shown (messages, dialogs, findings) follow by themselves; undo
        entries keep the names they were given.
        """
        from tunedesk.ui.step_page import UnavailableStepPage

        for row, slot in enumerate(self._slots):
            if isinstance(slot, UnavailableStepPage):
                slot.retranslate()
            else:
                self.sidebar.item(row).setText(self._step_label(row, flow.STEPS[row]))
        if hasattr(self, "_menus"):
            self._set_menu_texts()
            self._refresh_steps()
        for page in self._step_pages.values():
            page.retranslate()  # the Data page also re-sends the counts for the status bar
        self._update_cloud_status()
        self._update_title()

    @Slot()
    def about(self) -> None:
        """Help > About: version, licence, Qt for Python's licence and the log folder."""
        import html
        import platform

        import PySide6
        from PySide6.QtCore import QUrl, qVersion
        from PySide6.QtWidgets import QMessageBox

        from tunedesk.ui import crash

        text = self.tr(
            "<h3>TuneDesk {version}</h3>"
            "<p>Teach a small language model what you know on Azure AI Foundry, "
            "then talk to it.</p>"
        ).format(version=__version__)
        text += self.tr("<p>Licence: proprietary.</p>")
        text += self.tr(
            '<p>TuneDesk uses <a href="{qt_url}">Qt for Python</a> (PySide6 {pyside}, '
            'Qt {qt}) under the <a href="{lgpl_url}">GNU Lesser General Public License '
            "version 3</a>, on Python {python}.</p>"
        ).format(
            qt_url="https://doc.qt.io/qtforpython-6/",
            lgpl_url="https://www.gnu.org/licenses/lgpl-3.0.html",
            pyside=PySide6.__version__,
            qt=qVersion(),
            python=platform.python_version(),
        )
        logs = html.escape(QUrl.fromLocalFile(str(crash.log_dir())).toString())
        text += self.tr(
            '<p>Log files and crash reports: <a href="{url}">open the log folder</a>.</p>'
        ).format(url=logs)
        QMessageBox.about(self, self.tr("About TuneDesk"), text)

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Reimplements QWidget::dragEnterEvent: accept local files."""
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Reimplements QWidget::dropEvent: a project opens, data files are imported, and
        documents (PDF, Word, Markdown, HTML) open Draft from documents with them."""
        from PySide6.QtCore import QUrl

        from tunedesk.core.documents import DRAFT_ONLY_SUFFIXES

        paths = [u.toLocalFile() for u in event.mimeData().urls() if isinstance(u, QUrl)]
        projects = [p for p in paths if p.endswith(PROJECT_SUFFIX)]
        documents = [p for p in paths if Path(p).suffix.lower() in DRAFT_ONLY_SUFFIXES]
        data = [p for p in paths if not p.endswith(PROJECT_SUFFIX) and p not in documents]
        if projects:
            self.open_project(Path(projects[0]))
        elif data or documents:
            self.go_to(flow.Step.DATA)
            if data:
                self.data_page.import_files(data)
            if documents:
                self.data_page.draft_documents([Path(p) for p in documents])
        event.acceptProposedAction()

    # ------------------------------------------------------------------ closing
    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Reimplements QWidget::closeEvent: everything is already saved; just close cleanly
        — after saying what stays billed on Azure (deployments) once, if anything does."""
        billed = self._still_billed()
        if billed and not self._billing_acknowledged:
            event.ignore()
            self._ask_before_quitting(billed)
            return
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        for page in self._step_pages.values():
            page.shutdown()
        try:
            if self.project is not None:
                self._release(self.project)
            save_settings(self.settings)
        except UserFacingError as exc:
            from tunedesk.ui.ops import show_error

            show_error(self, exc)
        except OSError:
            log.exception("closing the project failed")
        event.accept()

    def _still_billed(self) -> list[str]:
        """One line per deployment of the open project that Azure keeps billing."""
        if self.project is None or self.project.closed:
            return []
        from datetime import UTC, datetime

        from tunedesk.core.deployments import DeploymentHistory

        now = datetime.now(UTC)
        return [
            f"{r.name}: {r.billing_sentence(now)}"
            for r in DeploymentHistory(self.project).still_billed(now)
        ]

    def _ask_before_quitting(self, billed: list[str]) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Still billed on Azure"))
        box.setText(self.tr("Azure keeps billing these deployments after TuneDesk closes:"))
        box.setInformativeText("\n".join(billed))
        quit_button = box.addButton(self.tr("Quit anyway"), QMessageBox.ButtonRole.AcceptRole)
        show = box.addButton(self.tr("Show deployments"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)

        def answered(_result: int) -> None:
            clicked = box.clickedButton()
            if clicked is quit_button:
                self._billing_acknowledged = True
                self.close()
            elif clicked is show:
                self.go_to(flow.Step.DEPLOY)

        box.finished.connect(answered)
        self._quit_box = box
        box.open()

    def _release(self, project: Project) -> None:
        """Close ``project``; an unsaved one that holds nothing is deleted, not left behind."""
        if project.is_scratch and len(project.dataset) == 0 and not project.dataset.system_prompt:
            project.discard()
            remove_recent(self.settings, str(project.path))
        else:
            project.close()

    def open_url(self, url: str) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl(url))


def _project_class() -> type[Project]:
    from tunedesk.core.project import Project

    return Project
