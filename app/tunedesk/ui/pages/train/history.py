"""The project's job history: every training job, newest first, reopened with a click.

A view of :meth:`~tunedesk.core.jobs.JobHistory.list`: when, data version, model, settings,
result and the cost estimate shown before paying.

Signals:
    job_selected(str): the person picked a job (its client key).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from tunedesk.core import training_plan as plan
from tunedesk.core.training_plan import Preset, TrainingSettings

KEY_ROLE = Qt.ItemDataRole.UserRole


def local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


class JobHistoryView(QTreeWidget):
    job_selected = Signal(str)

    COLUMNS = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobHistory")
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setColumnCount(self.COLUMNS)
        header = self.header()
        header.setStretchLastSection(False)
        for column in range(self.COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.currentItemChanged.connect(self._on_current_changed)
        self._records: list[Any] = []
        self._setting = False
        self.retranslate()

    def retranslate(self) -> None:
        self.setHeaderLabels(
            [
                self.tr("Started"),
                self.tr("Model"),
                self.tr("Data"),
                self.tr("Settings"),
                self.tr("Result"),
                self.tr("Estimated cost"),
            ]
        )
        self.set_records(self._records, self.current_key())

    def set_records(self, records: Sequence[Any], current: str | None = None) -> None:
        self._records = list(records)
        self._setting = True
        try:
            self.clear()
            for record in self._records:
                item = QTreeWidgetItem(self._row(record))
                item.setData(0, KEY_ROLE, record.client_key)
                item.setToolTip(4, record.error or "")
                self.addTopLevelItem(item)
                if record.client_key == current:
                    self.setCurrentItem(item)
        finally:
            self._setting = False

    def current_key(self) -> str | None:
        item = self.currentItem()
        return None if item is None else str(item.data(0, KEY_ROLE))

    def select(self, key: str) -> None:
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item is not None and item.data(0, KEY_ROLE) == key:
                self.setCurrentItem(item)
                return

    def _row(self, record: Any) -> list[str]:
        return [
            local_time(record.created_at),
            record.model_name or record.base_model,
            self.tr("{rows} rows · {version}").format(
                rows=record.training_rows + record.validation_rows,
                version=record.data_version[:8] if record.data_version else "—",
            ),
            self.settings_text(record.settings),
            self.result_text(record),
            self.cost_text(record.estimate),
        ]

    def settings_text(self, data: Any) -> str:
        settings = TrainingSettings.from_json(data)
        parts = []
        if settings.preset != Preset.CUSTOM:
            parts.append(str(plan.preset_title(settings.preset)))
        parts.append(
            self.tr("{epochs} epochs").format(epochs=settings.epochs)
            if settings.epochs is not None
            else self.tr("epochs: Azure")
        )
        if settings.batch_size is not None:
            parts.append(self.tr("batch {size}").format(size=settings.batch_size))
        if settings.learning_rate_multiplier is not None:
            parts.append(self.tr("LR × {value:g}").format(value=settings.learning_rate_multiplier))
        return " · ".join(parts)

    def result_text(self, record: Any) -> str:
        words = {
            "uploading": self.tr("Uploading"),
            "submitting": self.tr("Submitting"),
            "preparing": self.tr("Waiting to start"),
            "running": self.tr("Training"),
            "paused": self.tr("Paused"),
            "cancelling": self.tr("Cancelling"),
            "succeeded": self.tr("Succeeded"),
            "failed": self.tr("Failed"),
            "cancelled": self.tr("Cancelled"),
        }
        text = words.get(record.state, record.state)
        if record.state == "succeeded" and record.trained_tokens:
            text += " · " + self.tr("{tokens} tokens trained").format(
                tokens=f"{record.trained_tokens:,}"
            )
        return text

    def cost_text(self, estimate: Any) -> str:
        if not isinstance(estimate, dict):
            return ""
        low, high = estimate.get("cost_low"), estimate.get("cost_high")
        currency = str(estimate.get("currency") or "USD")
        if not isinstance(low, int | float) or not isinstance(high, int | float):
            return self.tr("no published price")
        from tunedesk.ui.pages.model.model_list import money

        if abs(high - low) < 0.005:
            return money(float(low), currency)
        return self.tr("{low} – {high}").format(
            low=money(float(low), currency), high=money(float(high), currency)
        )

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if not self._setting and current is not None:
            self.job_selected.emit(str(current.data(0, KEY_ROLE)))
