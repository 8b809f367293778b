"""Run long work as coroutines without freezing the window (STYLE G9): the one launcher.

Every long call a page makes (imports, exports, sign-in, discovery, uploads, polling) goes
through :func:`run_op`. It

* keeps a reference to the task (a bare ``ensure_future`` can be garbage-collected);
* shows a progress dialog only when the work takes longer than half a second, with a busy
  cursor and Cancel — or, with ``quiet=True``, nothing: the page shows its own progress;
* disables the ``busy`` widgets while it runs (a button cannot start the same work twice);
* turns a :class:`UserFacingError` into a plain message — with a Retry button when the error
  says retrying may help (``retryable``) — or hands it to ``on_error`` (inline errors);
* sends anything else to the crash handler. ``CancelledError`` and ``UserCancelled`` are
  silent.

:func:`run_dialog` opens a dialog window-modal and awaits its result without a nested event
loop (STYLE G11: never ``exec()`` inside a coroutine).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from tunedesk.core.errors import UserCancelled, UserFacingError

T = TypeVar("T")

PROGRESS_DELAY_MS = 500

_tasks: set[asyncio.Task[Any]] = set()
_executor: ThreadPoolExecutor | None = None


def executor() -> ThreadPoolExecutor:
    """The app's worker pool for file parsing, checks and other blocking work."""
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="tunedesk-work")
    return _executor


def shutdown_executor() -> None:
    global _executor
    if _executor is not None:
        _executor.shutdown(wait=False, cancel_futures=True)
        _executor = None


async def in_worker(fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn(*args)`` on the worker pool and await its result on the UI loop."""
    return await asyncio.get_running_loop().run_in_executor(executor(), fn, *args)


def is_retryable(error: UserFacingError) -> bool:
    """Whether pressing Retry may help (cloud errors say so; others do not)."""
    return bool(getattr(error, "retryable", False))


def error_box(parent: QWidget | None, error: UserFacingError, *, retry: bool) -> QMessageBox:
    """The message box for ``error`` (not shown): OK, or Retry + Cancel when ``retry``."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("Ops", "TuneDesk"))
    box.setText(str(error.message))
    if error.hint is not None:
        box.setInformativeText(str(error.hint))
    if retry:
        box.setStandardButtons(QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Retry)
    return box


def destructive_box(
    parent: QWidget, *, title: str, text: str, detail: str, act: str, keep: str
) -> tuple[QMessageBox, QAbstractButton]:
    """A question before something that cannot be undone (cancel a job, delete a
    deployment): ``act`` does it, ``keep`` (the default, Esc) does not. Returns the box (not
    shown: open it with :func:`run_dialog`) and the button that acts."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(detail)
    acting = box.addButton(act, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(keep, QMessageBox.ButtonRole.RejectRole))
    return box, acting


def show_error(parent: QWidget | None, error: UserFacingError) -> None:
    error_box(parent, error, retry=False).open()


async def run_dialog(dialog: QDialog) -> int:
    """Open ``dialog`` window-modal without a nested event loop and await its result."""
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def done(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(done)
    dialog.open()
    try:
        return await future
    finally:
        dialog.finished.disconnect(done)


def run_op(
    parent: QWidget | None,
    work: Callable[[], Awaitable[T]],
    *,
    label: str,
    on_success: Callable[[T], object] | None = None,
    on_error: Callable[[UserFacingError], object] | None = None,
    cancellable: bool = True,
    quiet: bool = False,
    busy: Iterable[QWidget] = (),
) -> asyncio.Task[T | None]:
    """Start ``work()`` on the running qasync loop; return its task (kept alive here).

    ``work`` is a factory, not a coroutine, so that Retry can run it again. Without
    ``on_error``, a retryable error offers Retry in its message box and runs ``work`` again
    when pressed (the task then finishes with the retry's result).
    """
    busy_widgets = [w for w in busy if w.isEnabled()]

    async def attempt() -> T:
        dialog: QProgressDialog | None = None
        task = asyncio.current_task()

        def show_progress() -> None:
            nonlocal dialog
            if task is None or task.done():
                return
            dialog = QProgressDialog(
                label, QCoreApplication.translate("Ops", "Cancel"), 0, 0, parent
            )
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(0)
            if cancellable:
                dialog.canceled.connect(task.cancel)
            else:
                dialog.setCancelButton(None)
            dialog.show()
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

        timer = QTimer(singleShot=True, interval=PROGRESS_DELAY_MS)
        timer.timeout.connect(show_progress)
        if not quiet:
            timer.start()
        try:
            return await work()
        finally:
            timer.stop()
            if dialog is not None:
                dialog.canceled.disconnect()
                dialog.close()
                dialog.deleteLater()
                QApplication.restoreOverrideCursor()

    async def runner() -> T | None:
        for widget in busy_widgets:
            widget.setEnabled(False)
        try:
            while True:
                try:
                    result = await attempt()
                except (asyncio.CancelledError, UserCancelled):
                    return None
                except UserFacingError as exc:
                    if on_error is not None:
                        on_error(exc)
                        return None
                    if not is_retryable(exc):
                        show_error(parent, exc)
                        return None
                    box = error_box(parent, exc, retry=True)
                    answer = await run_dialog(box)
                    box.deleteLater()
                    if answer == QMessageBox.StandardButton.Retry:
                        continue
                    return None
                except Exception:  # noqa: BLE001 - every other failure is a bug: crash funnel
                    sys.excepthook(*sys.exc_info())
                    return None
                break
        finally:
            for widget in busy_widgets:
                widget.setEnabled(True)
        if on_success is not None:
            on_success(result)
        return result

    task = asyncio.ensure_future(runner())
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task


def pending() -> list[asyncio.Task[Any]]:
    """Ops still running (tests wait for them; the app cancels them at quit)."""
    return [t for t in _tasks if not t.done()]
