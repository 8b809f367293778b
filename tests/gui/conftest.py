"""GUI fixtures: a qasync loop that lives inside pytest-qt's QApplication, and datasets."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tunedesk.core.dataset import Dataset, Example


@pytest.fixture
def qasync_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop driven by qtbot's waits; exceptions reaching the loop fail the test.

    Stopping a qasync loop that was created ``already_running`` calls ``app.exit()``, which
    would make every later ``qtbot.wait`` return at once; running ``exec()`` once with an
    immediate quit absorbs it (shared/reference/PACKAGING.md).

    The same happens when pytest-qt closes a test's last window after this teardown: Qt's
    quit-on-last-window-closed calls ``exit()`` with no loop running, and the next test's
    waits return at once. Tests never need that behaviour, so it is switched off (for the
    rest of the session: restoring it would bring the problem back).
    """
    import qasync

    qapp.setQuitOnLastWindowClosed(False)

    loop = qasync.QEventLoop(qapp, already_running=True)
    errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    asyncio.set_event_loop(loop)
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    for _ in range(20):
        if all(t.done() for t in pending):
            break
        qapp.processEvents()
        QTimer.singleShot(10, lambda: None)
    loop.stop()
    QTimer.singleShot(0, qapp.quit)
    qapp.exec()
    loop.close()
    asyncio.set_event_loop(None)
    # WORKAROUND qasync 0.28: a loop made with already_running=True stays registered as the
    # thread's *running* loop after close(), so any later asyncio.run() in this process
    # (the cloud tests) raises "cannot be called from a running event loop".
    asyncio._set_running_loop(None)
    if errors:
        raise AssertionError(f"unhandled errors in the event loop: {errors}")


def make_dataset(count: int = 5, *, system_prompt: str = "") -> Dataset:
    return Dataset(
        system_prompt,
        [Example.qa(f"Question {i + 1}?", f"Answer {i + 1}.") for i in range(count)],
    )


@pytest.fixture
def page(qtbot: Any, qasync_loop: asyncio.AbstractEventLoop) -> Iterator[Any]:
    """A shown Data page (1280x800) with its own undo stack and no dataset yet."""
    from PySide6.QtGui import QUndoStack

    from tunedesk.ui.pages.data import DataPage

    widget = DataPage(QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    yield widget
    widget.set_dataset(None)
    widget.close()


@pytest.fixture
def dataset() -> Dataset:
    return make_dataset()


@pytest.fixture
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The interface language a test is parametrized with (``indirect=True``), installed
    for the test and set back to English afterwards."""
    from tunedesk.ui.i18n import install_translators

    lang: str = request.param
    install_translators(qapp, lang)
    yield lang
    install_translators(qapp, "en")


@pytest.fixture
def emulator_window(
    qtbot: Any, qasync_loop: asyncio.AbstractEventLoop, azure_emulator: Any, tmp_path: Any
) -> Iterator[Any]:
    """The main window on a saved copy of the family sample, with the emulator running
    (for driving the cloud pages: sign in, choose a place, train, deploy, chat)."""
    from tunedesk.core.project import Project
    from tunedesk.core.samples import sample_dataset
    from tunedesk.core.settings import Settings
    from tunedesk.ui.main_window import MainWindow

    win = MainWindow(Settings())
    qtbot.addWidget(win)
    win.resize(1280, 860)
    win.show()
    qtbot.waitExposed(win)
    win.ensure_pages()
    win.set_project(Project.create(tmp_path / "Family.tunedesk", sample_dataset("en")))
    yield win
    win._billing_acknowledged = True  # a test that left a deployment online still closes
    win.close()
