"""Before paying: every check that must be green, what it will cost, and the confirmation.

A view of a list of :class:`~tunedesk.core.training_plan.PreflightItem` and an
:class:`~tunedesk.core.training_plan.Estimate`. The start button is enabled only when no
blocking item fails and the person has ticked the confirmation; nothing is sent before.

Signals:
    start_requested(): the person confirmed and pressed Start training.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.training_plan import Estimate, PreflightItem

_ICON_PX = 18


class PreflightPanel(QWidget):
    start_requested = Signal()
    include_drafts_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[PreflightItem] = []
        self._busy = False
        self.checks = QGridLayout()
        self.checks.setHorizontalSpacing(10)
        self.checks.setVerticalSpacing(6)
        self.checks.setColumnStretch(1, 1)
        self.pending = QLabel()
        self.pending.setObjectName("hint")
        # Shown only while drafts wait for review: the "drafts" item fails until it is ticked.
        self.include_drafts = QCheckBox()
        self.include_drafts.hide()
        self.include_drafts.toggled.connect(self.include_drafts_changed)
        self.estimate_title = QLabel()
        self.estimate_title.setObjectName("subTitle")
        self.estimate = QLabel()
        self.estimate.setWordWrap(True)
        self.estimate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confirm_text = QLabel()
        self.confirm_text.setWordWrap(True)
        self.confirm = QCheckBox()  # a check box does not wrap: the sentence is the label's
        self.confirm.toggled.connect(self._update_button)
        self.confirm_text.setBuddy(self.confirm)
        self.start = QPushButton()
        self.start.setObjectName("primaryButton")
        self.start.clicked.connect(self.start_requested)
        self.blocked = QLabel()
        self.blocked.setObjectName("hint")
        self.blocked.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.blocked, 1)
        bottom.addWidget(self.start, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.pending)
        layout.addLayout(self.checks)
        layout.addWidget(self.include_drafts)
        layout.addSpacing(6)
        layout.addWidget(self.estimate_title)
        layout.addWidget(self.estimate)
        layout.addSpacing(6)
        layout.addWidget(self.confirm_text)
        layout.addWidget(self.confirm)
        layout.addLayout(bottom)
        self.retranslate()
        self.set_pending(True)

    def retranslate(self) -> None:
        self.pending.setText(self.tr("Checking your data for this model…"))
        self.estimate_title.setText(self.tr("What it will cost"))
        self.confirm_text.setText(
            self.tr(
                "Azure bills this training to your subscription, and hosting the trained "
                "model later by the hour, until you delete its deployment."
            )
        )
        self.confirm.setText(self.tr("I understand; start when I press Start training"))
        self.include_drafts.setText(self.tr("Include the drafts nobody has reviewed"))
        self.start.setText(self.tr("Start training"))
        self._update_button()

    # ------------------------------------------------------------------ state in
    def set_pending(self, pending: bool) -> None:
        """While the data is being checked for the chosen model, nothing can be started."""
        self._busy = pending
        self.pending.setVisible(pending)
        self._update_button()

    def set_drafts(self, drafts: int) -> None:
        """Offer to include unreviewed drafts only while there are some (and forget the
        choice once they are gone: the next drafts are asked about again)."""
        if drafts <= 0 and self.include_drafts.isChecked():
            self.include_drafts.blockSignals(True)
            self.include_drafts.setChecked(False)
            self.include_drafts.blockSignals(False)
        self.include_drafts.setVisible(drafts > 0)

    def set_items(self, items: Sequence[PreflightItem], estimate: Estimate | None) -> None:
        self._items = list(items)
        while self.checks.count():
            item = self.checks.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for row, check in enumerate(self._items):
            icon = QLabel()
            icon.setPixmap(self._icon(check).pixmap(_ICON_PX, _ICON_PX))
            icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            icon.setAccessibleName(self._state_name(check))
            text = QLabel(f"<b>{_escape(str(check.title))}</b><br>{_escape(str(check.detail))}")
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.RichText)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setObjectName(f"check_{check.key}")
            self.checks.addWidget(icon, row, 0)
            self.checks.addWidget(text, row, 1)
        if estimate is not None:
            self.estimate.setText("\n".join(f"• {line}" for line in estimate.lines()))
        self.estimate.setVisible(estimate is not None)
        self.estimate_title.setVisible(estimate is not None)
        self._busy = False
        self.pending.hide()
        self._update_button()

    def failing(self) -> list[PreflightItem]:
        return [i for i in self._items if i.blocking and not i.ok]

    def ready(self) -> bool:
        return not self._busy and bool(self._items) and not self.failing()

    # ------------------------------------------------------------------ helpers
    def _icon(self, check: PreflightItem) -> QIcon:
        style = self.style()
        if check.ok:
            kind = QStyle.StandardPixmap.SP_DialogApplyButton
        elif check.blocking:
            kind = QStyle.StandardPixmap.SP_MessageBoxCritical
        else:
            kind = QStyle.StandardPixmap.SP_MessageBoxInformation
        return style.standardIcon(kind)

    def _state_name(self, check: PreflightItem) -> str:
        if check.ok:
            return self.tr("Passed")
        if check.blocking:
            return self.tr("Must be fixed")
        return self.tr("Note")

    def _update_button(self) -> None:
        ready = self.ready()
        self.confirm.setEnabled(ready)
        self.start.setEnabled(ready and self.confirm.isChecked())
        failing = self.failing()
        if self._busy:
            self.blocked.setText("")
        elif failing:
            self.blocked.setText(
                self.tr("Fix what is marked red first: {count} left.").format(count=len(failing))
            )
        elif not self.confirm.isChecked():
            self.blocked.setText(self.tr("Tick the box above to confirm."))
        else:
            self.blocked.setText("")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
