"""One funnel for unexpected errors: log the traceback to a file, then show a dialog.

Installed before QApplication exists (STYLE G12). Expected problems are
:class:`~tunedesk.core.errors.UserFacingError` and never reach this hook; anything that
does is a bug, so the dialog offers the details to copy into a report. With
``--no-err-windows`` the hook only logs (smoke tests, automation).
"""

from __future__ import annotations

# Installed before anything else, so this module imports almost nothing itself: logging,
# platformdirs and traceback (~25 ms together) are loaded when first needed, after the
# first window is painted or when a crash happens.
import sys
import threading
from typing import TYPE_CHECKING, Any

from tunedesk import APP_ID, __version__

if TYPE_CHECKING:
    import logging
    from pathlib import Path
    from types import TracebackType


def _log() -> logging.Logger:
    import logging

    return logging.getLogger(__name__)


def log_dir() -> Path:
    import platformdirs

    path = platformdirs.user_log_path(APP_ID, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def setup_logging() -> Path:
    """Send log records to ``tunedesk.log`` in the user log folder (never secrets)."""
    import logging

    path = log_dir() / "tunedesk.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # Azure SDKs log request headers at INFO; keep them at WARNING so nothing sensitive lands.
    for noisy in ("azure", "msal", "openai", "httpx", "httpx2", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return path


class CrashHandler:
    def __init__(self, *, show_dialog: bool) -> None:
        self.show_dialog = show_dialog
        self._showing = False
        self.last_report: Path | None = None

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    # ------------------------------------------------------------------ hooks
    def excepthook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        details = self._details(exc_type, exc, tb)
        self.last_report = self._write(details)
        _log().error("Unhandled exception, report in %s", self.last_report)
        if self.show_dialog:
            self._show(details)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def asyncio_handler(self, loop: Any, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            self.excepthook(type(exc), exc, exc.__traceback__)
        else:
            _log().error("asyncio: %s", context.get("message"))

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _details(
        exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> str:
        import datetime as dt
        import traceback

        lines = traceback.format_exception(exc_type, exc, tb)
        header = (
            f"TuneDesk {__version__} on Python {sys.version.split()[0]}, {sys.platform}\n"
            f"{dt.datetime.now().isoformat(timespec='seconds')}\n\n"
        )
        return header + "".join(lines)

    def _write(self, details: str) -> Path:
        import datetime as dt

        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = log_dir() / f"crash-{stamp}.txt"
        try:
            path.write_text(details, encoding="utf-8")
        except OSError:
            _log().exception("could not write the crash report")
        return path

    def _show(self, details: str) -> None:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication, QMessageBox

        if self._showing or QApplication.instance() is None:
            sys.stderr.write(details)
            return
        self._showing = True
        try:
            box = QMessageBox(
                QMessageBox.Icon.Critical, QCoreApplication.translate("CrashDialog", "TuneDesk"), ""
            )
            box.setText(
                QCoreApplication.translate("CrashDialog", "Something went wrong inside TuneDesk.")
            )
            box.setInformativeText(
                QCoreApplication.translate(
                    "CrashDialog",
                    "Your work is saved as you go, so nothing you entered is lost. "
                    "You can keep working, or restart TuneDesk if something looks wrong.\n\n"
                    "A report was saved to:\n{path}",
                ).format(path=self.last_report)
            )
            box.setDetailedText(details)
            copy = box.addButton(
                QCoreApplication.translate("CrashDialog", "Copy details"),
                QMessageBox.ButtonRole.ActionRole,
            )
            box.addButton(QMessageBox.StandardButton.Close)
            box.exec()
            if box.clickedButton() is copy:
                clipboard = QApplication.clipboard()
                clipboard.setText(details)
        finally:
            self._showing = False


def install(*, show_dialog: bool) -> CrashHandler:
    handler = CrashHandler(show_dialog=show_dialog)
    handler.install()
    return handler
