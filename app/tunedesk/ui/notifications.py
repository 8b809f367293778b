"""Desktop notifications (a training job ended), also when the window is minimised.

One :class:`Notifier` per main window. It shows the message through the system tray
(:class:`QSystemTrayIcon`, created on first use and only where the desktop has a tray) and
asks the window manager to flash the window (``QApplication.alert``) everywhere, so a person
who switched to another program sees that the job is done. :attr:`Notifier.sent` keeps what
was said, for the window's status bar and for tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget


@dataclass(frozen=True, slots=True)
class Notification:
    title: str
    text: str
    failed: bool
    shown_in_tray: bool


class Notifier(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._tray: QSystemTrayIcon | None = None
        self.sent: list[Notification] = []

    def notify(self, title: str, text: str, *, failed: bool = False) -> Notification:
        tray = self._tray_icon()
        if tray is not None:
            icon = (
                QSystemTrayIcon.MessageIcon.Warning
                if failed
                else QSystemTrayIcon.MessageIcon.Information
            )
            tray.showMessage(title, text, icon, 15_000)
        QApplication.alert(self._window, 0)  # flash the taskbar entry until looked at
        note = Notification(title, text, failed, tray is not None)
        self.sent.append(note)
        return note

    def _tray_icon(self) -> QSystemTrayIcon | None:
        if self._tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            icon = self._window.windowIcon()
            self._tray = QSystemTrayIcon(icon if not icon.isNull() else QIcon(), self)
            self._tray.setToolTip(QApplication.applicationDisplayName())
            self._tray.activated.connect(lambda _reason: self._raise_window())
            self._tray.messageClicked.connect(self._raise_window)
            self._tray.show()
        return self._tray

    def _raise_window(self) -> None:
        window = self._window
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()
