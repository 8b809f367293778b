"""A training job's progress in plain words: six stages, each done, current or still to come.

A view of one :class:`~tunedesk.core.jobs.JobRecord`'s ``state`` (the cloud's normalised
states plus ``uploading`` and ``submitting`` before the job exists). The current stage says
what is happening now in a sentence a non-engineer can act on.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QGridLayout, QLabel, QStyle, QWidget

_ICON_PX = 16


class Stage(IntEnum):
    PREPARED = 0
    UPLOADED = 1
    SUBMITTED = 2
    QUEUED = 3
    TRAINING = 4
    FINISHED = 5


# The stage each state is in (the stages before it are done).
_CURRENT = {
    "uploading": Stage.UPLOADED,
    "submitting": Stage.SUBMITTED,
    "preparing": Stage.QUEUED,
    "running": Stage.TRAINING,
    "paused": Stage.TRAINING,
    "cancelling": Stage.TRAINING,
    "succeeded": Stage.FINISHED,
    "failed": Stage.FINISHED,
    "cancelled": Stage.FINISHED,
}


def current_stage(state: str) -> Stage:
    return _CURRENT.get(state, Stage.PREPARED)


class Timeline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = ""
        self._details: dict[Stage, str] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self.icons: dict[Stage, QLabel] = {}
        self.titles: dict[Stage, QLabel] = {}
        for stage in Stage:
            icon = QLabel()
            icon.setFixedWidth(_ICON_PX + 4)
            icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            title = QLabel()
            title.setWordWrap(True)
            title.setTextFormat(Qt.TextFormat.RichText)
            grid.addWidget(icon, stage, 0)
            grid.addWidget(title, stage, 1)
            self.icons[stage] = icon
            self.titles[stage] = title
        self.retranslate()

    def set_state(self, state: str, details: dict[Stage, str] | None = None) -> None:
        """Show ``state``; ``details`` adds a line under a stage (upload %, step N of M)."""
        self._state = state
        self._details = dict(details or {})
        self.retranslate()

    def sentence(self) -> str:
        """What is happening now, in one sentence (also the page's headline)."""
        return {
            "uploading": self.tr("Uploading your training data to Azure…"),
            "submitting": self.tr("Creating the training job…"),
            "preparing": self.tr(
                "Azure is checking your files and waiting for a free training slot. This "
                "can take from a few minutes to an hour."
            ),
            "running": self.tr("Training: the model is learning from your examples."),
            "paused": self.tr(
                "Paused by Azure: Developer training runs on spare capacity and resumes by "
                "itself. Nothing is lost."
            ),
            "cancelling": self.tr("Cancelling the training…"),
            "succeeded": self.tr("Training finished. The model is ready to deploy."),
            "failed": self.tr("Training failed."),
            "cancelled": self.tr("The training was cancelled."),
        }.get(self._state, self.tr("Nothing is training."))

    def retranslate(self) -> None:
        now = current_stage(self._state)
        finished_state = self._state if now is Stage.FINISHED else ""
        titles = {
            Stage.PREPARED: self.tr("Training files prepared and kept with the job"),
            Stage.UPLOADED: self.tr("Uploaded to Azure"),
            Stage.SUBMITTED: self.tr("Training job created"),
            Stage.QUEUED: self.tr("Azure checks the files and waits for a free slot"),
            Stage.TRAINING: self.tr("Training"),
            Stage.FINISHED: {
                "succeeded": self.tr("Finished: the model is ready to deploy"),
                "failed": self.tr("Training failed"),
                "cancelled": self.tr("Cancelled"),
            }.get(finished_state, self.tr("Finished")),
        }
        for stage in Stage:
            text = _escape(titles[stage])
            detail = self._details.get(stage, "")
            if stage is now and now is not Stage.FINISHED:
                text = f"<b>{text}</b>"
            if detail:
                text += f"<br><small>{_escape(detail)}</small>"
            self.titles[stage].setText(text)
            icon = self._icon(stage, now, finished_state)
            self.icons[stage].setPixmap(icon.pixmap(_ICON_PX, _ICON_PX))
            self.titles[stage].setEnabled(stage <= now or not self._state)

    def _icon(self, stage: Stage, now: Stage, finished_state: str) -> QIcon:
        style = self.style()
        if not self._state:
            return QIcon()
        if stage < now or (stage is now and finished_state == "succeeded"):
            return style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)
        if stage is now and finished_state == "failed":
            return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        if stage is now and finished_state == "cancelled":
            return style.standardIcon(QStyle.StandardPixmap.SP_DialogCancelButton)
        if stage is now and self._state == "paused":
            return style.standardIcon(QStyle.StandardPixmap.SP_MediaPause)
        if stage is now:
            return style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
        return QIcon()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
