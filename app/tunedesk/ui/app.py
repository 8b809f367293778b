"""Start-up: crash hook → QApplication → qasync loop → first paint → everything else.

Order matters (STYLE G11/G12, PACKAGING.md):
1. the crash hook and log file, before anything can fail;
2. stdout/stderr redirected when a windowed build has none (azure-ai-ml needs them);
3. QApplication, translators, the main window on screen;
4. only then the project is opened (in a worker), the last sign-in is restored and the
   Azure SDKs are imported, all off the UI thread, so the first window never waits for them.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from tunedesk.ui import crash
    from tunedesk.ui.main_window import MainWindow

os.environ.setdefault("QT_API", "pyside6")  # qasync must never pick another binding

log = logging.getLogger(__name__)

SDK_PRELOAD_DELAY_S = 1.5
SIGN_IN_RESTORE_DELAY_S = 0.3

# What the main window's shell needs from core (see run_gui).
PRE_QT_MODULES = ("tunedesk.core.settings", "tunedesk.core.flow", "tunedesk.core.errors")
# The window icon's sizes: title bars and taskbars up to 200 % (the spec ships these PNGs;
# the Windows EXE and the macOS .app carry every size in their .ico/.icns).
WINDOW_ICON_SIZES = (16, 24, 32, 48, 64)


def _ensure_std_streams(log_path: Path) -> None:
    """Windowed PyInstaller builds have no stdout/stderr; SDK logging and tqdm need them."""
    if sys.stdout is None or sys.stderr is None:
        stream = open(log_path.with_name("stdout.log"), "a", encoding="utf-8")  # noqa: SIM115
        sys.stdout = sys.stdout or stream
        sys.stderr = sys.stderr or stream


def _set_application_icon(app: QApplication) -> None:
    """Every window's icon (title bar, taskbar, Alt+Tab), from the PNGs in resources/icons.

    Cheap before the first paint: QIcon.addFile with a size only notes the file, and the
    platform reads the sizes it needs when the window appears. Not in a macOS bundle: there
    the Dock shows the .app's icns (Apple's inset tile), which a window icon would replace.
    """
    if sys.platform == "darwin" and getattr(sys, "frozen", False):
        return
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    from tunedesk.core.resources import resource_path

    icon = QIcon()
    for size in WINDOW_ICON_SIZES:
        icon.addFile(str(resource_path("icons", f"tunedesk-{size}.png")), QSize(size, size))
    app.setWindowIcon(icon)


def run_gui(options: argparse.Namespace) -> int:
    from tunedesk.ui import crash

    handler = crash.install(show_dialog=not options.no_err_windows)

    # The plain-Python part of the first window comes before PySide6: once PySide6 is loaded,
    # its import hook reads the source of every module imported after it (~5 ms for these).
    for module in PRE_QT_MODULES:
        importlib.import_module(module)
    from tunedesk.core.settings import load_settings

    settings = load_settings()

    from PySide6.QtWidgets import QApplication

    from tunedesk import APP_NAME, ORG_NAME, __version__
    from tunedesk.ui.i18n import install_translators, system_language

    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(ORG_NAME)
    QApplication.setApplicationVersion(__version__)
    app = QApplication(sys.argv[:1])
    _set_application_icon(app)
    language = options.lang or settings.language or system_language()
    install_translators(app, language)

    from tunedesk.ui.main_window import MainWindow

    # The window's shell is painted before the event loop, asyncio and the Data page exist.
    window = MainWindow(settings)
    window.show()
    app.processEvents()

    log_path = crash.setup_logging()
    _ensure_std_streams(log_path)

    import asyncio

    import qasync

    async def main() -> int:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(handler.asyncio_handler)
        quit_event = asyncio.Event()
        app.aboutToQuit.connect(quit_event.set)
        window.ensure_pages()
        _open_initial_project(window, options, language)
        if options.quit_after is not None:
            loop.call_later(options.quit_after / 1000, window.close)
        smoke = loop.create_task(visit_every_page(window, handler)) if options.smoke_pages else None
        preload = loop.call_later(SDK_PRELOAD_DELAY_S, _start_sdk_preload)
        # Staying signed in: after the first paint and the project, off the UI thread.
        restore = loop.call_later(SIGN_IN_RESTORE_DELAY_S, window.restore_sign_in)
        await quit_event.wait()
        preload.cancel()
        restore.cancel()
        if smoke is not None:
            return smoke.result() if smoke.done() else 1
        return 0

    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        try:
            return runner.run(main())
        finally:
            from tunedesk.ui import ops

            ops.shutdown_executor()


async def visit_every_page(window: MainWindow, handler: crash.CrashHandler) -> int:
    """``--smoke-pages``: once the project is open, show every step, say what it shows, quit.

    Each step must show its page (Sign in, Data) or the honest note of a step that is
    blocked or not in this version, and render; any unexpected error (the crash hook wrote
    a report) fails the run. Exit code 1 then, 0 otherwise.
    """
    import asyncio

    from tunedesk.core import flow
    from tunedesk.ui.pages.base import StepPage
    from tunedesk.ui.step_page import UnavailableStepPage

    problems = []
    for _ in range(300):  # the project opens on a worker: seconds on a busy machine
        if window.context.project is not None:
            break
        await asyncio.sleep(0.1)
    else:
        problems.append("no project opened within 30 s")
    for info in flow.STEPS:
        window.go_to(info.step)
        await asyncio.sleep(0.05)  # let the page's first events run
        shown = window.pages.currentWidget()
        reason = flow.blocked_reason(info.step, window.context.flow_state())
        expected: type = StepPage if info.available and reason is None else UnavailableStepPage
        rendered = not window.grab().isNull()
        ok = isinstance(shown, expected) and shown is not None and shown.isVisible() and rendered
        name = type(shown).__name__
        _report(f"page {info.step.value}: {name} {'ok' if ok else 'FAILED'}")
        if not ok:
            problems.append(f"{info.step.value} shows {name}, not {expected.__name__}")
    if handler.last_report is not None:
        problems.append(f"an unexpected error, see {handler.last_report}")
    for problem in problems:
        _report(f"smoke-pages: {problem}")
    window.close()
    return 1 if problems else 0


def _report(line: str) -> None:
    """One line of a --smoke-pages run on stdout (the log file in a windowed build)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _open_initial_project(window: MainWindow, options: argparse.Namespace, language: str) -> None:
    from PySide6.QtCore import QCoreApplication

    from tunedesk import PROJECT_SUFFIX
    from tunedesk.core.samples import open_or_create_sample
    from tunedesk.ui import ops

    if options.project:
        path = Path(options.project)
        if path.suffix == PROJECT_SUFFIX:
            window.open_project(path)
        else:  # a data file: start a new project and import it
            task = window.new_project()
            task.add_done_callback(lambda _t: window.data_page.import_files([str(path)]))
        return
    if options.sample:
        ops.run_op(
            window,
            lambda: ops.in_worker(open_or_create_sample, language),
            label=QCoreApplication.translate("MainWindow", "Opening the sample project…"),
            on_success=window.set_project,
        )
        return
    recent = [Path(p) for p in window.settings.recent_projects if Path(p).exists()]
    if recent:
        window.open_project(recent[0])
    else:
        window.new_project()


def _start_sdk_preload() -> None:
    """Set up networking and import the Azure/OpenAI SDKs in a worker, after first paint.

    Silent: a failure here only means the first cloud call imports them itself.
    """
    import asyncio

    from tunedesk.cloud.executor import preload_sdks
    from tunedesk.ui import ops

    # preload_sdks() first sets up the OS trust store and proxy (truststore, ~90 ms: not on
    # the way to the first window); the cloud layer's sign-in entry points do it too.
    future = asyncio.get_running_loop().run_in_executor(ops.executor(), preload_sdks)

    def done(f: asyncio.Future[None]) -> None:
        if not f.cancelled() and f.exception() is not None:
            log.warning("preloading the Azure SDKs failed: %s", f.exception())

    future.add_done_callback(done)
