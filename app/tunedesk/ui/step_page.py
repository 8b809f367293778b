"""The honest state of a step that cannot be used: not built yet, or waiting for an
earlier step (the flow's reason, e.g. "Sign in first")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from tunedesk.core.flow import StepInfo
from tunedesk.core.i18n import Text


class UnavailableStepPage(QWidget):
    """Says what the step will do, what it waits for, and whether this version has it.

    No fake content: nothing on this page pretends to work.
    """

    def __init__(self, step: StepInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        self._reason: Text | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addStretch(1)
        title = self._title = QLabel()
        title.setObjectName("stepTitle")
        title.setStyleSheet("font-size: 22px; font-weight: 600;")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        summary = self._summary = QLabel()
        summary.setWordWrap(True)
        summary.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        summary.setStyleSheet("font-size: 14px;")
        status = self._status = QLabel()
        status.setObjectName("unavailableNote")
        status.setWordWrap(True)
        status.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        status.setStyleSheet(
            "color: palette(dark); background: palette(alternate-base);"
            " border: 1px solid palette(mid); border-radius: 6px; padding: 12px;"
        )
        # A fixed-width column centred by stretches: word-wrapped labels added with an
        # alignment flag get their one-line size hint and clip.
        column = QWidget()
        column.setFixedWidth(560)
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(14)
        for widget in (title, summary, status):
            column_layout.addWidget(widget)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self.retranslate()

    def set_reason(self, reason: Text | None) -> None:
        """What the step waits for (None: nothing); shown above the availability note."""
        self._reason = reason
        self.retranslate()

    def retranslate(self) -> None:
        self._title.setText(str(self.step.title))
        self._summary.setText(str(self.step.summary))
        parts = [str(self._reason)] if self._reason is not None else []
        if not self.step.available:
            parts.append(
                self.tr(
                    "Not available yet: this step comes in a later version of TuneDesk. "
                    "Everything you prepare on the Data page is kept and will be used here."
                )
            )
        self._status.setText("\n\n".join(parts))
        self._status.setVisible(bool(parts))
