"""ops.run_op and ops.run_dialog: the one launcher for long work, driven on a real qasync loop."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tunedesk.core.errors import UserCancelled, UserFacingError
from tunedesk.core.i18n import Text
from tunedesk.ui import ops

# The offscreen platform plugin warns whenever a top-level window is shown; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

W = TypeVar("W", bound=QWidget)
Hook = tuple[type[BaseException], BaseException, TracebackType | None]


class _Flaky(UserFacingError):
    """A failure that says pressing Retry may help (as cloud errors do)."""

    retryable = True


def _problem(cls: type[UserFacingError] = UserFacingError) -> UserFacingError:
    return cls(Text("Tests", "The service did not answer."), Text("Tests", "Try later."))


def _shown(kind: type[W]) -> list[W]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


@pytest.fixture
def parent(qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    return widget


@pytest.fixture
def crashes(monkeypatch: pytest.MonkeyPatch) -> list[Hook]:
    """What reaches the crash handler (sys.excepthook) during the test."""
    seen: list[Hook] = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: seen.append(exc))
    return seen


def _gate() -> tuple[asyncio.Event, Callable[[], Any]]:
    """Work that runs until the test opens the gate, then returns "done"."""
    gate = asyncio.Event()

    async def work() -> str:
        await gate.wait()
        return "done"

    return gate, work


def _wait_done(qtbot: QtBot, task: asyncio.Task[Any]) -> Any:
    qtbot.waitUntil(task.done, timeout=5000)
    return task.result()


# ------------------------------------------------------------------ progress
def test_quiet_work_shows_no_dialog(qtbot: QtBot, parent: QWidget) -> None:
    gate, work = _gate()
    results: list[str] = []
    task = ops.run_op(parent, work, label="Working", on_success=results.append, quiet=True)
    qtbot.wait(ops.PROGRESS_DELAY_MS + 300)
    assert not task.done()
    assert _shown(QProgressDialog) == []
    assert QApplication.overrideCursor() is None
    gate.set()
    assert _wait_done(qtbot, task) == "done"
    assert results == ["done"]
    assert _shown(QDialog) == []


def test_progress_dialog_appears_only_after_half_a_second(qtbot: QtBot, parent: QWidget) -> None:
    gate, work = _gate()
    started = time.monotonic()
    task = ops.run_op(parent, work, label="Reading the file…")
    qtbot.wait(ops.PROGRESS_DELAY_MS // 2)
    assert _shown(QProgressDialog) == []
    qtbot.waitUntil(lambda: bool(_shown(QProgressDialog)), timeout=3000)
    # QTimer's default (coarse) timers may fire up to 5 % early
    assert time.monotonic() - started >= 0.95 * ops.PROGRESS_DELAY_MS / 1000
    (dialog,) = _shown(QProgressDialog)
    assert dialog.labelText() == "Reading the file…"
    assert dialog.parent() is parent
    gate.set()
    assert _wait_done(qtbot, task) == "done"
    qtbot.waitUntil(lambda: not _shown(QProgressDialog), timeout=3000)
    assert QApplication.overrideCursor() is None


def test_fast_work_never_shows_the_progress_dialog(qtbot: QtBot, parent: QWidget) -> None:
    async def work() -> int:
        return 7

    task = ops.run_op(parent, work, label="Quick")
    assert _wait_done(qtbot, task) == 7
    qtbot.wait(ops.PROGRESS_DELAY_MS + 200)  # the timer was stopped: nothing appears later
    assert _shown(QProgressDialog) == []


def test_cancel_in_the_progress_dialog_is_silent(
    qtbot: QtBot, parent: QWidget, crashes: list[Hook]
) -> None:
    cancelled = asyncio.Event()

    async def work() -> str:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return "finished"

    successes: list[object] = []
    task = ops.run_op(parent, work, label="Uploading…", on_success=successes.append)
    qtbot.waitUntil(lambda: bool(_shown(QProgressDialog)), timeout=3000)
    (dialog,) = _shown(QProgressDialog)
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    cancel.click()
    assert _wait_done(qtbot, task) is None
    assert cancelled.is_set()
    assert successes == []
    assert crashes == []
    qtbot.wait(50)
    assert _shown(QDialog) == []  # neither progress nor an error box


def test_user_cancelled_is_silent(qtbot: QtBot, parent: QWidget, crashes: list[Hook]) -> None:
    async def work() -> None:
        raise UserCancelled

    task = ops.run_op(parent, work, label="Signing in…")
    assert _wait_done(qtbot, task) is None
    qtbot.wait(50)
    assert _shown(QDialog) == []
    assert crashes == []


def test_not_cancellable_work_has_no_cancel_button(qtbot: QtBot, parent: QWidget) -> None:
    gate, work = _gate()
    task = ops.run_op(parent, work, label="Saving…", cancellable=False)
    qtbot.waitUntil(lambda: bool(_shown(QProgressDialog)), timeout=3000)
    (dialog,) = _shown(QProgressDialog)
    assert not [b for b in dialog.findChildren(QPushButton) if b.isVisible()]
    gate.set()
    assert _wait_done(qtbot, task) == "done"


# ------------------------------------------------------------------ errors
def test_retryable_error_offers_retry_and_the_retry_result_wins(
    qtbot: QtBot, parent: QWidget
) -> None:
    calls: list[int] = []

    async def work() -> str:
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            raise _problem(_Flaky)
        return f"result of call {len(calls)}"

    successes: list[str] = []
    task = ops.run_op(parent, work, label="Listing…", on_success=successes.append, quiet=True)
    qtbot.waitUntil(lambda: bool(_shown(QMessageBox)), timeout=3000)
    (box,) = _shown(QMessageBox)
    assert box.text() == "The service did not answer."
    assert box.informativeText() == "Try later."
    assert box.standardButtons() == (
        QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel
    )
    assert successes == []  # nothing reported while the person decides
    box.button(QMessageBox.StandardButton.Retry).click()
    assert _wait_done(qtbot, task) == "result of call 2"
    assert calls == [1, 2]
    assert successes == ["result of call 2"]


def test_cancel_in_the_retry_box_stops(qtbot: QtBot, parent: QWidget) -> None:
    calls: list[int] = []

    async def work() -> str:
        calls.append(1)
        raise _problem(_Flaky)

    successes: list[str] = []
    task = ops.run_op(parent, work, label="Listing…", on_success=successes.append, quiet=True)
    qtbot.waitUntil(lambda: bool(_shown(QMessageBox)), timeout=3000)
    _shown(QMessageBox)[0].button(QMessageBox.StandardButton.Cancel).click()
    assert _wait_done(qtbot, task) is None
    assert calls == [1]
    assert successes == []


def test_other_user_errors_show_a_plain_box_without_retry(
    qtbot: QtBot, parent: QWidget, crashes: list[Hook]
) -> None:
    async def work() -> None:
        raise _problem()

    task = ops.run_op(parent, work, label="Reading…", quiet=True)
    qtbot.waitUntil(lambda: bool(_shown(QMessageBox)), timeout=3000)
    (box,) = _shown(QMessageBox)
    assert box.button(QMessageBox.StandardButton.Retry) is None
    assert box.windowModality() == Qt.WindowModality.WindowModal
    box.button(QMessageBox.StandardButton.Ok).click()
    assert _wait_done(qtbot, task) is None
    assert crashes == []


def test_on_error_takes_the_error_instead_of_a_box(qtbot: QtBot, parent: QWidget) -> None:
    async def work() -> None:
        raise _problem(_Flaky)

    errors: list[UserFacingError] = []
    task = ops.run_op(parent, work, label="Signing in…", on_error=errors.append, quiet=True)
    assert _wait_done(qtbot, task) is None
    assert [str(e.message) for e in errors] == ["The service did not answer."]
    qtbot.wait(50)
    assert _shown(QMessageBox) == []


def test_a_bug_goes_to_the_crash_handler(
    qtbot: QtBot, parent: QWidget, crashes: list[Hook]
) -> None:
    async def work() -> None:
        raise RuntimeError("a bug")

    successes: list[object] = []
    task = ops.run_op(parent, work, label="Exporting…", on_success=successes.append, quiet=True)
    assert _wait_done(qtbot, task) is None
    assert [(kind, str(exc)) for kind, exc, _tb in crashes] == [(RuntimeError, "a bug")]
    assert crashes[0][2] is not None  # with its traceback, for the crash report
    assert successes == []
    qtbot.wait(50)
    assert _shown(QMessageBox) == []


# ------------------------------------------------------------------ busy widgets
def test_busy_widgets_are_disabled_while_running_then_enabled_again(
    qtbot: QtBot, parent: QWidget
) -> None:
    start, stop, already_off = QPushButton(parent), QPushButton(parent), QPushButton(parent)
    already_off.setEnabled(False)
    gate, work = _gate()
    task = ops.run_op(parent, work, label="", quiet=True, busy=[start, stop, already_off])
    qtbot.waitUntil(lambda: not start.isEnabled(), timeout=3000)
    assert not stop.isEnabled()
    gate.set()
    assert _wait_done(qtbot, task) == "done"
    assert start.isEnabled()
    assert stop.isEnabled()
    assert not already_off.isEnabled()  # it was off before: run_op leaves it so


def test_busy_widgets_come_back_after_an_error(
    qtbot: QtBot, parent: QWidget, crashes: list[Hook]
) -> None:
    button = QPushButton(parent)

    async def work() -> None:
        assert not button.isEnabled()
        raise RuntimeError("a bug")

    task = ops.run_op(parent, work, label="", quiet=True, busy=[button])
    assert _wait_done(qtbot, task) is None
    assert len(crashes) == 1
    assert button.isEnabled()


# ------------------------------------------------------------------ run_dialog
@pytest.mark.parametrize(
    ("answer", "expected"),
    [("accept", QDialog.DialogCode.Accepted), ("reject", QDialog.DialogCode.Rejected)],
)
def test_run_dialog_opens_window_modal_and_returns_the_answer(
    qtbot: QtBot, parent: QWidget, answer: str, expected: QDialog.DialogCode
) -> None:
    dialog = QDialog(parent)
    task = asyncio.ensure_future(ops.run_dialog(dialog))
    # No nested event loop: the test keeps running while the dialog is open.
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert not task.done()
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    getattr(dialog, answer)()
    assert _wait_done(qtbot, task) == expected
    assert not dialog.isVisible()


def test_run_dialog_can_open_the_same_dialog_again(qtbot: QtBot, parent: QWidget) -> None:
    dialog = QDialog(parent)
    first = asyncio.ensure_future(ops.run_dialog(dialog))
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    dialog.accept()
    assert _wait_done(qtbot, first) == QDialog.DialogCode.Accepted
    second = asyncio.ensure_future(ops.run_dialog(dialog))
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    dialog.reject()  # only the second run hears this answer
    assert _wait_done(qtbot, second) == QDialog.DialogCode.Rejected
