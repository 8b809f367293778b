"""A message inside a page (not a pop-up): an error with Retry, a warning, a note, success.

Pages show expected failures here (STYLE G12: inline in the wizard, message boxes
elsewhere), so what the person typed stays on screen next to what went wrong.

Signals:
    retry_requested(): the Retry button was pressed.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tunedesk.core.errors import UserFacingError


class Tone(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    SUCCESS = "success"


# Background / border per tone; text keeps the palette's colour so both themes stay legible.
_COLOURS = {
    Tone.ERROR: ("#fdecea", "#d93025"),
    Tone.WARNING: ("#fff4e5", "#e37400"),
    Tone.INFO: ("#e8f0fe", "#1a73e8"),
    Tone.SUCCESS: ("#e6f4ea", "#188038"),
}


class InlineMessage(QFrame):
    """A coloured box with a message, an optional detail line and an optional Retry button."""

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inlineMessage")
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setOpenExternalLinks(True)
        self._detail = QLabel()
        self._detail.setWordWrap(True)
        self._detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._retry = QPushButton()
        self._retry.clicked.connect(self.retry_requested)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addWidget(self._text)
        texts.addWidget(self._detail)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(texts, 1)
        layout.addWidget(self._retry, 0, Qt.AlignmentFlag.AlignTop)
        self.retranslate()
        self.clear()

    def retranslate(self) -> None:
        self._retry.setText(self.tr("Retry"))

    @property
    def text(self) -> str:
        return self._text.text()

    @property
    def detail(self) -> str:
        return self._detail.text()

    @property
    def retry_button(self) -> QPushButton:
        return self._retry

    def show_message(
        self, text: str, detail: str = "", *, tone: Tone = Tone.INFO, retry: bool = False
    ) -> None:
        background, border = _COLOURS[tone]
        self.setStyleSheet(
            f"#inlineMessage {{ background: {background}; border: 1px solid {border};"
            " border-radius: 6px; }"
            "#inlineMessage QLabel { color: #202124; background: transparent; }"
        )
        self.setProperty("tone", tone.value)
        self._text.setText(text)
        self._detail.setText(detail)
        self._detail.setVisible(bool(detail))
        self._retry.setVisible(retry)
        self.show()

    def show_error(self, error: UserFacingError, *, retry: bool | None = None) -> None:
        """An expected failure: its message, its hint, and Retry when retrying may help."""
        retryable = bool(getattr(error, "retryable", False)) if retry is None else retry
        self.show_message(
            str(error.message),
            str(error.hint) if error.hint is not None else "",
            tone=Tone.ERROR,
            retry=retryable,
        )

    def clear(self) -> None:
        self._text.clear()
        self._detail.clear()
        self.setProperty("tone", None)
        self.hide()
