""""Create one for me": a Foundry hub + project, or an AI Services resource, in a region
that can fine-tune the chosen model, with a plain summary before anything is created.

Signals:
    place_created(object): the new place (a ``Place``), ready to train in.
"""

from __future__ import annotations

import asyncio
import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.catalog import BaseModel, region_name
from tunedesk.core.errors import UserFacingError
from tunedesk.ui import ops
from tunedesk.ui.context import Place
from tunedesk.ui.widgets.inline_message import InlineMessage

if TYPE_CHECKING:
    from tunedesk.cloud.discovery import Discovery, Subscription
    from tunedesk.cloud.provision import CreationPlan

DEFAULT_GROUP = "tunedesk"


class CreatePlaceDialog(QDialog):
    """Asks where (region, resource group), shows what will be created, then creates it."""

    place_created = Signal(object)

    def __init__(
        self,
        discovery: Discovery,
        subscription: Subscription,
        model: BaseModel,
        existing: list[Place],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from tunedesk.cloud.provision import training_regions

        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(560)
        self._discovery = discovery
        self._subscription = subscription
        self._model = model
        self._taken = [p.id.rstrip("/").rsplit("/", 1)[-1] for p in existing]
        self._plan: CreationPlan | None = None
        self._task: asyncio.Task[Any] | None = None

        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.region_combo = QComboBox()
        for location in training_regions(model):
            self.region_combo.addItem(region_name(location), location)
        self.new_group = QRadioButton()
        self.existing_group = QRadioButton()
        self._group_choice = QButtonGroup(self)
        self._group_choice.addButton(self.new_group)
        self._group_choice.addButton(self.existing_group)
        self.new_group.setChecked(True)
        self.group_name = QLineEdit(DEFAULT_GROUP)
        self.group_combo = QComboBox()
        self.group_combo.setEnabled(False)
        self._labels = [QLabel(), QLabel()]
        form = QFormLayout()
        form.addRow(self._labels[0], self.region_combo)
        form.addRow(self._labels[1], self.new_group)
        form.addRow("", self.group_name)
        form.addRow("", self.existing_group)
        form.addRow("", self.group_combo)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("creationSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.progress_text = QLabel()
        self.progress_text.setWordWrap(True)
        self.message = InlineMessage()
        self.message.retry_requested.connect(self._on_create_button_clicked)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = QPushButton()
        self.create_button.setDefault(True)
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.clicked.connect(self._on_create_button_clicked)
        self.buttons.rejected.connect(self.reject)
        # accepted() is left unconnected: the dialog accepts itself once creating succeeded.

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self._intro)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self.region_combo.currentIndexChanged.connect(self._update_plan)
        self.group_name.textChanged.connect(self._update_plan)
        self.group_combo.currentIndexChanged.connect(self._update_plan)
        self.new_group.toggled.connect(self._on_group_choice_toggled)
        self.retranslate()
        self._load_groups()
        self._update_plan()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Create a place to train"))
        self._intro.setText(
            self.tr(
                "TuneDesk sets up what {model} needs in your subscription “{subscription}”, "
                "in a region where it can be fine-tuned."
            ).format(model=self._model.display_name, subscription=self._subscription.display_name)
        )
        self._labels[0].setText(self.tr("Region"))
        self._labels[1].setText(self.tr("Resource group"))
        self.new_group.setText(self.tr("Create a new resource group named:"))
        self.existing_group.setText(self.tr("Use an existing resource group:"))
        self.create_button.setText(self.tr("Create"))
        self.message.retranslate()

    # ------------------------------------------------------------------ choices
    def _load_groups(self) -> None:
        sub_id = self._subscription.subscription_id

        async def work() -> list[Any]:
            return list(await self._discovery.list_resource_groups(sub_id))

        def done(groups: list[Any]) -> None:
            for group in groups:
                label = self.tr("{group} ({region})").format(
                    group=group.name, region=region_name(group.location)
                )
                self.group_combo.addItem(label, group.name)
            self.existing_group.setEnabled(bool(groups))

        self.existing_group.setEnabled(False)
        ops.run_op(self, work, label="", quiet=True, on_success=done,
                   on_error=lambda e: self.message.show_error(e, retry=False))

    def _on_group_choice_toggled(self) -> None:
        new = self.new_group.isChecked()
        self.group_name.setEnabled(new)
        self.group_combo.setEnabled(not new)
        self._update_plan()

    def _group(self) -> tuple[str, bool]:
        if self.new_group.isChecked():
            return self.group_name.text().strip(), True
        return str(self.group_combo.currentData() or ""), False

    def _update_plan(self) -> None:
        from tunedesk.cloud.provision import plan_place

        location = self.region_combo.currentData()
        group, new = self._group()
        self._plan = None
        if not location or not group:
            self.summary.setText(self.tr("Choose a region and a resource group."))
            self.create_button.setEnabled(False)
            return
        try:
            self._plan = plan_place(
                self._model,
                self._subscription.subscription_id,
                resource_group=group,
                new_resource_group=new,
                location=str(location),
                taken_names=self._taken,
            )
        except UserFacingError as exc:
            self.summary.setText(str(exc.message))
            self.create_button.setEnabled(False)
            return
        heading = self.tr("What will be created:")
        lines = "".join(f"<li>{html.escape(str(line))}</li>" for line in self._plan.summary)
        self.summary.setText(f"<b>{html.escape(heading)}</b><ul>{lines}</ul>")
        self.create_button.setEnabled(True)

    # ------------------------------------------------------------------ creating
    def _on_create_button_clicked(self) -> None:
        from tunedesk.cloud.discovery import Workspace
        from tunedesk.cloud.provision import create_place

        plan = self._plan
        if plan is None or (self._task is not None and not self._task.done()):
            return

        def progress(text: Any) -> None:  # called on the event loop before each step
            self.progress_text.setText(str(text))

        def done(result: Any) -> None:
            self._set_running(False)
            route = "hub" if isinstance(result, Workspace) else "openai"
            name = result.display_name if isinstance(result, Workspace) else result.name
            self.place_created.emit(
                Place(route, result.id, name, result.location, result,
                      self._discovery.tenant_id, self._subscription.display_name)
            )
            self.accept()

        def failed(error: UserFacingError) -> None:
            self._set_running(False)
            self.message.show_error(error, retry=True)

        self.message.clear()
        self._set_running(True)
        self.progress_text.setText(self.tr("Creating… this usually takes a minute or two."))
        self._task = ops.run_op(
            self,
            lambda: create_place(self._discovery, plan, progress),
            label=self.tr("Creating…"),
            quiet=True,
            on_success=done,
            on_error=failed,
        )

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        for widget in (self.region_combo, self.new_group, self.existing_group, self.group_name,
                       self.group_combo, self.create_button):
            widget.setEnabled(not running)
        if not running:
            self._on_group_choice_toggled()
        # Creating cannot be undone halfway: closing is offered again once it has finished.
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setEnabled(not running)

    def reject(self) -> None:
        """Reimplements QDialog::reject: not while Azure is creating (it would go on)."""
        if self._task is not None and not self._task.done():
            return
        super().reject()
