"""What the page shows while a sign-in runs: waiting for the browser, or a device code.

Signals (both views):
    cancel_requested(): the person gave up on this sign-in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from tunedesk.cloud.auth import DeviceCodePrompt


def _add_wait_footer(
    layout: QVBoxLayout, cancel: QPushButton, *, note: QLabel | None = None
) -> None:
    """The end of a waiting view: a busy bar, an optional note, Cancel, then free space."""
    bar = QProgressBar()
    bar.setRange(0, 0)  # indeterminate
    bar.setTextVisible(False)
    bar.setFixedHeight(6)
    layout.addWidget(bar)
    if note is not None:
        layout.addWidget(note)
    row = QHBoxLayout()
    row.addWidget(cancel)
    row.addStretch(1)
    layout.addLayout(row)
    layout.addStretch(1)


class BrowserWaitView(QWidget):
    """"Finish signing in in your browser", with Cancel."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = QLabel()
        self._title.setObjectName("viewTitle")
        self._text = QLabel()
        self._text.setWordWrap(True)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self._title)
        layout.addWidget(self._text)
        _add_wait_footer(layout, self.cancel_button)
        self.retranslate()

    def retranslate(self) -> None:
        self._title.setText(self.tr("Finish signing in in your browser"))
        self._text.setText(
            self.tr(
                "Your web browser shows Microsoft's sign-in page. When it says you are "
                "signed in, come back here: TuneDesk continues by itself. If no browser "
                "opened, cancel and use a code on another device instead."
            )
        )
        self.cancel_button.setText(self.tr("Cancel"))


class DeviceCodeView(QWidget):
    """The code in large type, Copy, the link to open, and how long the code is valid."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._prompt: DeviceCodePrompt | None = None
        self._title = QLabel()
        self._title.setObjectName("viewTitle")
        self._step1 = QLabel()
        self._step1.setWordWrap(True)
        self._step1.setOpenExternalLinks(True)
        self._step1.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self._step2 = QLabel()
        self._step2.setWordWrap(True)
        self.code_label = QLabel()
        self.code_label.setObjectName("deviceCode")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPixelSize(34)
        font.setBold(True)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 4)
        self.code_label.setFont(font)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.countdown = QLabel()
        self._waiting = QLabel()
        self._waiting.setWordWrap(True)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_requested)
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._update_countdown)

        code_row = QHBoxLayout()
        code_row.addWidget(self.code_label)
        code_row.addSpacing(12)
        code_row.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignVCenter)
        code_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self._title)
        layout.addWidget(self._step1)
        layout.addWidget(self._step2)
        layout.addLayout(code_row)
        layout.addWidget(self.countdown)
        _add_wait_footer(layout, self.cancel_button, note=self._waiting)
        self.retranslate()

    def retranslate(self) -> None:
        self._title.setText(self.tr("Sign in on another device"))
        self._step2.setText(self.tr("2. Enter this code, then sign in with your work account:"))
        self.copy_button.setText(self.tr("Copy code"))
        self._waiting.setText(
            self.tr("TuneDesk continues by itself as soon as you have signed in.")
        )
        self.cancel_button.setText(self.tr("Cancel"))
        self._show_prompt()

    def waiting_for_code(self) -> None:
        """Before Microsoft has answered with a code."""
        self._prompt = None
        self._timer.stop()
        self._show_prompt()

    def show_prompt(self, prompt: DeviceCodePrompt) -> None:
        self._prompt = prompt
        self._show_prompt()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _show_prompt(self) -> None:
        prompt = self._prompt
        if prompt is None:
            self._step1.setText(self.tr("Asking Microsoft for a code…"))
            self.code_label.setText("")
            self.copy_button.setEnabled(False)
            self.countdown.setText("")
            return
        uri = prompt.verification_uri
        self._step1.setText(
            self.tr("1. On your phone or another computer, open {link}").format(
                link=f'<a href="{uri}">{uri}</a>'
            )
        )
        self.code_label.setText(prompt.user_code)
        self.copy_button.setEnabled(True)
        self._update_countdown()

    def _update_countdown(self) -> None:
        if self._prompt is None:
            return
        expires = self._prompt.expires_on
        now = datetime.now(expires.tzinfo or UTC) if expires.tzinfo else datetime.now()
        left = int((expires - now).total_seconds())
        if left <= 0:
            self.countdown.setText(self.tr("This code has expired. Cancel and try again."))
            self._timer.stop()
            return
        self.countdown.setText(
            self.tr("The code is valid for {minutes}:{seconds:02d} more.").format(
                minutes=left // 60, seconds=left % 60
            )
        )

    def _on_copy_button_clicked(self) -> None:
        if self._prompt is not None:
            QGuiApplication.clipboard().setText(self._prompt.user_code)
            self.copy_button.setText(self.tr("Copied"))
            QTimer.singleShot(2000, self, lambda: self.copy_button.setText(self.tr("Copy code")))
