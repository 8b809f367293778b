"""Run long work as coroutines without freezing the window (STYLE G9).

``run_op`` keeps a reference to the task, shows a progress dialog only when the work takes
longer than half a second (with a busy cursor and Cancel), turns ``UserFacingError`` into a
message box and sends anything else to the crash handler. ``CancelledError`` and
``UserCancelled`` are silent.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

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


def show_error(parent: QWidget | None, error: UserFacingError) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("Ops", "TuneDesk"))
    box.setText(str(error.message))
    if error.hint is not None:
        box.setInformativeText(str(error.hint))
    box.open()


def run_op(
    parent: QWidget | None,
    work: Callable[[], Awaitable[T]],
    *,
    label: str,
    on_success: Callable[[T], object] | None = None,
    on_error: Callable[[UserFacingError], object] | None = None,
    cancellable: bool = True,
) -> asyncio.Task[T | None]:
    """Start ``work()`` on the running qasync loop; return its task (kept alive here)."""

    async def runner() -> T | None:
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
        timer.start()
        try:
            result = await work()
        except (asyncio.CancelledError, UserCancelled):
            return None
        except UserFacingError as exc:
            if on_error is not None:
                on_error(exc)
            else:
                show_error(parent, exc)
            return None
        except Exception:  # noqa: BLE001 - every other failure is a bug: crash funnel
            sys.excepthook(*sys.exc_info())
            return None
        finally:
            timer.stop()
            if dialog is not None:
                dialog.canceled.disconnect()
                dialog.close()
                dialog.deleteLater()
                QApplication.restoreOverrideCursor()
        if on_success is not None:
            on_success(result)
        return result

    task = asyncio.ensure_future(runner())
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task
