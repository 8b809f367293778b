"""Step 5, Deploy: put a trained model online, see what it costs, and take it down again.

Two sections in one scrolling column:

1. **Trained models** — one card per succeeded training job of the project, with the
   deployment types the place offers (Standard / Global Standard / Developer on a Foundry
   resource; serverless on a hub project), the hourly price and expiry in plain words, and,
   where the route keeps checkpoints, a choice among them with their validation loss (the
   best one suggested). One button deploys; the card shows progress while Azure provisions.
2. **Online now** — every deployment of the project that still exists, with what it costs so
   far, Chat, and Delete (with confirmation).

A reminder above both says what is still billed and since when; the window repeats it at quit.
Deployments are records in the project (:class:`~tunedesk.core.deployments.DeploymentHistory`);
a hub endpoint's key lives in the keyring (the record only names the keyring account).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.catalog import load_catalog
from tunedesk.core.errors import UserFacingError
from tunedesk.core.flow import Step
from tunedesk.ui import ops
from tunedesk.ui.pages.base import PAGE_STYLE, StepPage, scrolling_column
from tunedesk.ui.pages.model.model_list import money
from tunedesk.ui.pages.train.history import local_time
from tunedesk.ui.widgets.inline_message import InlineMessage, Tone

if TYPE_CHECKING:
    from tunedesk.cloud.routes.base import Checkpoint, Deployment
    from tunedesk.core.deployments import DeploymentHistory, DeploymentRecord
    from tunedesk.core.jobs import JobHistory, JobRecord
    from tunedesk.ui.context import AppContext

SKU_STANDARD = "standard"
SKU_GLOBAL = "globalstandard"
SKU_DEVELOPER = "developertier"
SKU_SERVERLESS = "serverless"
DEVELOPER_HOURS = 24  # Developer deployments end after 24 h (AZURE.md §9, fine-tune-test.md)


def _deployment_name(record: JobRecord, checkpoint: Checkpoint | None) -> str:
    """A short name Azure accepts for both routes (letters, digits, dashes; ≤ 32)."""
    from tunedesk.cloud.routes.base import safe_key

    tail = f"-s{checkpoint.step}" if checkpoint is not None else ""
    return f"td-{safe_key(record.client_key, 16)}{tail}"[:32].rstrip("-")


class _JobCard(QFrame):
    """One trained model: deployment type, checkpoint, Deploy, and its progress."""

    def __init__(self, page: DeployPage, record: JobRecord) -> None:
        super().__init__()
        self.page = page
        self.record = record
        self.checkpoints: list[Checkpoint] = []
        self.setObjectName("card")
        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        self.facts = QLabel()
        self.facts.setObjectName("hint")
        self.facts.setWordWrap(True)
        self.sku = QComboBox()
        self.sku.currentIndexChanged.connect(self._show_sku_sentence)
        self.sku_sentence = QLabel()
        self.sku_sentence.setWordWrap(True)
        self.checkpoint = QComboBox()
        self.checkpoint_label = QLabel()
        self.deploy = QPushButton()
        self.deploy.setObjectName("primaryButton")
        self.deploy.clicked.connect(lambda: page.deploy(self))
        self.deploy_base = QPushButton()
        self.deploy_base.clicked.connect(lambda: page.deploy_base(self))
        self.deploy_base.setVisible(record.route == "openai")
        self.progress = QLabel()
        self.progress.setObjectName("hint")
        self.progress.setWordWrap(True)
        self.sku_label = QLabel()
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.addWidget(self.sku_label, 0, 0)
        grid.addWidget(self.sku, 0, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.sku_sentence, 1, 1)
        grid.addWidget(self.checkpoint_label, 2, 0)
        grid.addWidget(self.checkpoint, 2, 1, Qt.AlignmentFlag.AlignLeft)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.deploy_base)
        bottom.addWidget(self.deploy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addLayout(grid)
        layout.addLayout(bottom)
        self.retranslate()

    def retranslate(self) -> None:
        r = self.record
        self.title.setText(r.model_name or r.base_model)
        self.facts.setText(
            self.tr("Trained {when} in {place} · data {version} · {rows} rows").format(
                when=local_time(r.finished_at or r.created_at),
                place=r.place_name,
                version=r.data_version[:8] or "—",
                rows=r.training_rows + r.validation_rows,
            )
        )
        self.sku_label.setText(self.tr("Deployment type:"))
        self.checkpoint_label.setText(self.tr("Which version:"))
        self.deploy.setText(self.tr("Deploy"))
        self.deploy_base.setText(self.tr("Also deploy the base model, to compare"))
        self.deploy_base.setToolTip(
            self.tr(
                "{model} as it was before training, billed per token (no hourly fee): ask "
                "both the same questions on the Chat & check page."
            ).format(model=self.record.model_name or self.record.base_model)
        )
        self._fill_skus()
        self._fill_checkpoints()

    # ------------------------------------------------------------------ choices
    def _fill_skus(self) -> None:
        current = self.sku.currentData()
        self.sku.blockSignals(True)
        self.sku.clear()
        for sku in self.page.skus_for(self.record):
            self.sku.addItem(self.page.sku_name(sku), sku)
        index = self.sku.findData(current)
        self.sku.setCurrentIndex(max(index, 0))
        self.sku.blockSignals(False)
        self._show_sku_sentence()

    def _show_sku_sentence(self) -> None:
        sku = self.sku.currentData()
        self.sku_sentence.setText(self.page.sku_sentence(str(sku or ""), self.record))

    def set_checkpoints(self, checkpoints: list[Checkpoint]) -> None:
        self.checkpoints = checkpoints
        self._fill_checkpoints()

    def _fill_checkpoints(self) -> None:
        self.checkpoint.clear()
        self.checkpoint.addItem(self.tr("The finished model"), None)
        best = _best(self.checkpoints)
        for cp in sorted(self.checkpoints, key=lambda c: c.step, reverse=True):
            loss = cp.metrics.get("valid_loss", cp.metrics.get("full_valid_loss"))
            text = self.tr("Checkpoint at step {step}").format(step=cp.step)
            if loss is not None:
                text += " · " + self.tr("validation loss {loss}").format(loss=f"{loss:.3f}")
            if cp is best:
                text += " · " + self.tr("suggested: lowest validation loss")
            self.checkpoint.addItem(text, cp.id)
        visible = bool(self.checkpoints)
        self.checkpoint.setVisible(visible)
        self.checkpoint_label.setVisible(visible)
        if best is not None:
            self.checkpoint.setCurrentIndex(self.checkpoint.findData(best.id))

    def chosen_checkpoint(self) -> Checkpoint | None:
        wanted = self.checkpoint.currentData()
        return next((c for c in self.checkpoints if c.id == wanted), None)

    def set_busy(self, text: str) -> None:
        self.progress.setText(text)
        busy = bool(text)
        for widget in (self.deploy, self.deploy_base, self.sku, self.checkpoint):
            widget.setEnabled(not busy)


class _DeploymentCard(QFrame):
    """One deployment that exists: state, cost so far, Chat, Delete."""

    def __init__(self, page: DeployPage, record: DeploymentRecord) -> None:
        super().__init__()
        self.page = page
        self.record = record
        self.setObjectName("card")
        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        self.facts = QLabel()
        self.facts.setObjectName("hint")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.billing = QLabel()
        self.billing.setWordWrap(True)
        self.chat = QPushButton()
        self.chat.clicked.connect(lambda: page.step_requested.emit(Step.CHAT.value))
        self.delete = QPushButton()
        self.delete.clicked.connect(lambda: page.confirm_delete(self.record))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete)
        buttons.addWidget(self.chat)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.billing)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        r = self.record
        job = self.page.jobs.get(r.job_client_key) if self.page.jobs and r.job_client_key else None
        if r.base_model:
            what = self.tr("{model} (the base model, not trained)").format(model=r.model)
        elif job is not None:
            what = self.tr("{model}, trained {when}").format(
                model=job.model_name or job.base_model,
                when=local_time(job.finished_at or job.created_at),
            )
        else:
            what = r.model
        self.title.setText(what)
        ready = r.state.lower() == "succeeded"
        state = {  # ARM provisioningState values, in plain words
            "succeeded": self.tr("online"),
            "creating": self.tr("being set up"),
            "accepted": self.tr("being set up"),
            "updating": self.tr("being set up"),
            "provisioning": self.tr("being set up"),
            "failed": self.tr("failed"),
            "deleting": self.tr("being deleted"),
            "canceled": self.tr("cancelled"),
        }.get(r.state.lower(), self.tr("in an unknown state"))
        self.facts.setText(
            self.tr("Deployment {name} · {type} · {state} since {when}").format(
                name=r.name,
                type=self.page.sku_name(r.sku),
                state=state,
                when=local_time(r.created_at),
            )
            + ("\n" + r.endpoint if r.endpoint else "")
        )
        self.billing.setText(str(r.billing_sentence(datetime.now(UTC))))
        self.chat.setText(self.tr("Chat with it"))
        self.delete.setText(self.tr("Delete deployment…"))
        self.chat.setEnabled(ready)


class DeployPage(StepPage):
    step = Step.DEPLOY

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.jobs: JobHistory | None = None
        self.deployments: DeploymentHistory | None = None
        self.job_cards: list[_JobCard] = []
        self.deployment_cards: list[_DeploymentCard] = []
        self._tasks: dict[str, asyncio.Task[Any]] = {}

        self._title = QLabel()
        self._title.setObjectName("pageTitle")
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.note = InlineMessage()
        self.billed = InlineMessage()
        self._jobs_title = QLabel()
        self._jobs_title.setObjectName("sectionTitle")
        self.no_jobs = QLabel()
        self.no_jobs.setObjectName("hint")
        self.no_jobs.setWordWrap(True)
        self.jobs_box = QVBoxLayout()
        self.jobs_box.setSpacing(10)
        self._online_title = QLabel()
        self._online_title.setObjectName("sectionTitle")
        self.none_online = QLabel()
        self.none_online.setObjectName("hint")
        self.online_box = QVBoxLayout()
        self.online_box.setSpacing(10)

        column = QWidget()
        col = QVBoxLayout(column)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        col.addWidget(self._title)
        col.addWidget(self._intro)
        col.addWidget(self.note)
        col.addWidget(self.billed)
        col.addWidget(self._jobs_title)
        col.addWidget(self.no_jobs)
        col.addLayout(self.jobs_box)
        col.addSpacing(10)
        col.addWidget(self._online_title)
        col.addWidget(self.none_online)
        col.addLayout(self.online_box)
        col.addStretch(1)
        self.scroller = scrolling_column(self, column, max_width=860)
        self.setStyleSheet(PAGE_STYLE)
        self.retranslate()

    # ------------------------------------------------------------------ StepPage
    def set_context(self, context: AppContext) -> None:
        super().set_context(context)
        context.project_changed.connect(self._on_project_changed)
        context.jobs_changed.connect(self._refresh_jobs)
        context.cloud_changed.connect(self._refresh_jobs)
        self._on_project_changed(context.project)

    def retranslate(self) -> None:
        self._title.setText(self.tr("Deploy"))
        self._intro.setText(
            self.tr(
                "Put a trained model online to chat with it. Azure bills a deployment for "
                "every hour it exists, used or not (except Developer ones, which are free "
                "and end after 24 hours), so delete it when you are done testing."
            )
        )
        self._jobs_title.setText(self.tr("Trained models"))
        self.no_jobs.setText(self.tr("No training of this project has finished yet in this place."))
        self._online_title.setText(self.tr("Online now"))
        self.none_online.setText(self.tr("Nothing of this project is deployed."))
        for job_card in self.job_cards:
            job_card.retranslate()
        for deployment_card in self.deployment_cards:
            deployment_card.retranslate()
        self.note.retranslate()
        self._show_billed()

    def page_shown(self) -> None:
        self._refresh_jobs()
        self._load_checkpoints()

    def shutdown(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
        self._tasks.clear()

    # ------------------------------------------------------------------ project
    def _on_project_changed(self, project: Any) -> None:
        self.shutdown()
        self.jobs = self.deployments = None
        if project is not None:
            from tunedesk.core.deployments import DeploymentHistory
            from tunedesk.core.jobs import JobHistory

            self.jobs = JobHistory(project)
            self.deployments = DeploymentHistory(project)
        self._refresh_jobs()
        self._refresh_deployments()

    def _refresh_jobs(self) -> None:
        context = self.context
        place = context.place if context is not None else None
        records = self.jobs.list() if self.jobs is not None else []
        trained = [
            r
            for r in records
            if r.state == "succeeded" and (place is None or r.place_id == place.id)
        ]
        if [c.record.client_key for c in self.job_cards] == [r.client_key for r in trained]:
            return  # the same models: keep the cards (and what the person chose in them)
        for card in self.job_cards:
            card.deleteLater()
        self.job_cards = []
        for record in trained:
            card = _JobCard(self, record)
            self.jobs_box.addWidget(card)
            self.job_cards.append(card)
        self.no_jobs.setVisible(not trained)
        if self.isVisible():
            self._load_checkpoints()

    def _refresh_deployments(self) -> None:
        for card in self.deployment_cards:
            card.deleteLater()
        self.deployment_cards = []
        records = self.deployments.active() if self.deployments is not None else []
        for record in records:
            card = _DeploymentCard(self, record)
            self.online_box.addWidget(card)
            self.deployment_cards.append(card)
        self.none_online.setVisible(not records)
        self._show_billed()
        if self.context is not None:
            self.context.set_job_results(
                trained=self.context.has_trained_model, deployed=bool(records)
            )

    def _show_billed(self) -> None:
        text = self.billed_reminder()
        if text:
            self.billed.show_message(text, tone=Tone.WARNING)
        else:
            self.billed.clear()

    def billed_reminder(self) -> str:
        """What is still billed, in one paragraph ("" when nothing is)."""
        if self.deployments is None:
            return ""
        from tunedesk.core.deployments import still_billed

        now = datetime.now(UTC)
        billed = still_billed(self.deployments.list(), now)
        if not billed:
            return ""
        lines = [f"{r.name}: {r.billing_sentence(now)}" for r in billed]
        return self.tr("Still billed on Azure, until you delete it:") + "\n" + "\n".join(lines)

    # ------------------------------------------------------------------ deployment types
    def skus_for(self, record: JobRecord) -> tuple[str, ...]:
        if record.route == "hub":
            return (SKU_SERVERLESS,)
        from tunedesk.cloud.routes.openai_route import deployment_skus

        base = load_catalog().get(record.base_model)
        developer = bool(base is not None and base.developer_training)
        return deployment_skus(record.location, developer=developer)

    def sku_name(self, sku: str) -> str:
        return {
            SKU_STANDARD: self.tr("Standard"),
            SKU_GLOBAL: self.tr("Global Standard"),
            SKU_DEVELOPER: self.tr("Developer"),
            SKU_SERVERLESS: self.tr("Serverless"),
        }.get(sku.lower(), sku)

    def hourly_price(self, sku: str, record: JobRecord) -> tuple[float | None, str]:
        base = load_catalog().get(record.base_model)
        if base is None:
            return None, "USD"
        prices = base.prices
        value = {
            SKU_STANDARD: prices.hosting_standard,
            SKU_GLOBAL: prices.hosting_global_standard,
            SKU_DEVELOPER: prices.hosting_developer,
        }.get(sku.lower())
        return value, prices.currency

    def sku_sentence(self, sku: str, record: JobRecord) -> str:
        price, currency = self.hourly_price(sku, record)
        hourly = (
            self.tr("about {price} per hour while it exists").format(price=money(price, currency))
            if price
            else self.tr("billed by the hour while it exists (see Azure's price list)")
        )
        return {
            SKU_STANDARD: self.tr("Hosted in this region; {hourly}.").format(hourly=hourly),
            SKU_GLOBAL: self.tr(
                "Hosted wherever Azure has room (your questions may be processed outside "
                "this region); {hourly}."
            ).format(hourly=hourly),
            SKU_DEVELOPER: self.tr(
                "For testing: no hourly fee, you pay only for what you ask; Azure deletes it "
                "after {hours} hours by itself."
            ).format(hours=DEVELOPER_HOURS),
            SKU_SERVERLESS: self.tr(
                "A serverless endpoint in the hub project; {hourly}, plus the tokens you use."
            ).format(hourly=hourly),
        }.get(sku.lower(), "")

    # ------------------------------------------------------------------ checkpoints
    def _load_checkpoints(self) -> None:
        context = self.context
        if context is None or context.place is None:
            return
        for card in self.job_cards:
            if card.record.route != "openai" or card.checkpoints:
                continue
            record = card.record

            async def work(record: JobRecord = record) -> list[Checkpoint]:
                from tunedesk.cloud.training import job_ref

                assert self.context is not None
                return await self.context.route().checkpoints(job_ref(record))

            ops.run_op(
                self,
                work,
                label=self.tr("Loading checkpoints…"),
                quiet=True,
                on_success=card.set_checkpoints,
                on_error=_ignore,  # the finished model stays deployable
            )

    # ------------------------------------------------------------------ deploying
    def deploy(self, card: _JobCard) -> None:
        """Deploy the card's trained model (or the checkpoint chosen) as the type chosen."""
        record = card.record
        sku = str(card.sku.currentData() or "")
        checkpoint = card.chosen_checkpoint()
        name = _deployment_name(record, checkpoint)
        price, currency = self.hourly_price(sku, record)

        async def work() -> Deployment:
            from tunedesk.cloud.training import job_ref

            assert self.context is not None
            route = self.context.route()
            ref = job_ref(record)
            if record.route == "hub":
                return await route.deploy(ref, name)
            return await route.deploy(ref, name, sku=sku or None, checkpoint=checkpoint)

        self._start_deployment(
            card,
            record.client_key,
            self.tr(
                "Azure is setting up {name}. This usually takes a few minutes; you can keep "
                "working meanwhile."
            ).format(name=name),
            work,
            sku=sku,
            job_client_key=record.client_key,
            checkpoint_id=checkpoint.id if checkpoint is not None else "",
            hourly_price=None if sku.lower() == SKU_DEVELOPER else price,
            currency=currency,
        )

    def deploy_base(self, card: _JobCard) -> None:
        """Deploy the job's base model itself, for side-by-side answers and quizzes."""
        from tunedesk.cloud.routes.base import safe_key

        record = card.record
        name = f"td-base-{safe_key(record.base_model, 20)}"[:32].rstrip("-")

        async def work() -> Deployment:
            from tunedesk.cloud.routes.openai_route import OpenAIRoute

            assert self.context is not None
            route = self.context.route()
            assert isinstance(route, OpenAIRoute)  # the button is on resource cards only
            return await route.deploy_base(name, record.base_model)

        self._start_deployment(
            card,
            f"base:{record.client_key}",
            self.tr(
                "Azure is setting up {name} (the base model). This takes a few minutes."
            ).format(name=name),
            work,
            sku=SKU_GLOBAL,
            base_model=True,
        )

    def _start_deployment(
        self,
        card: _JobCard,
        key: str,
        busy_text: str,
        work: Callable[[], Awaitable[Deployment]],
        **fields: Any,
    ) -> None:
        """Run ``work`` quietly with ``card`` busy; keep what it made as a record (with
        ``fields``) in the project; say what went wrong on the page."""
        context = self.context
        deployments = self.deployments
        if context is None or context.place is None or deployments is None:
            return
        card.set_busy(busy_text)

        def done(deployment: Deployment) -> None:
            from tunedesk.core.deployments import DeploymentRecord

            card.set_busy("")
            deployments.add(
                DeploymentRecord.new(
                    deployment.name,
                    deployment.route,
                    deployment.model,
                    endpoint=deployment.endpoint,
                    target=deployment.target,
                    state=deployment.state,
                    key_account=deployment.key_account or "",
                    **fields,
                ),
                flush=True,
            )
            self._refresh_deployments()
            self.status_message.emit(
                self.tr("{name} is online. You can chat with it now.").format(name=deployment.name)
            )

        def failed(error: UserFacingError) -> None:
            card.set_busy("")
            self.note.show_error(error, retry=ops.is_retryable(error))

        self._tasks[key] = ops.run_op(
            self,
            work,
            label=self.tr("Deploying…"),
            on_success=done,
            on_error=failed,
            quiet=True,
        )

    # ------------------------------------------------------------------ deleting
    def confirm_delete(self, record: DeploymentRecord) -> None:
        box, delete = ops.destructive_box(
            self,
            title=self.tr("Delete deployment"),
            text=self.tr("Delete {name}?").format(name=record.name),
            detail=self.tr(
                "It goes offline and its hourly billing stops. The trained model itself is "
                "kept: you can deploy it again later."
            ),
            act=self.tr("Delete"),
            keep=self.tr("Keep it"),
        )
        self._delete_box = box

        async def ask() -> None:
            await ops.run_dialog(box)
            if box.clickedButton() is delete:
                await self._delete(record)

        ops.run_op(
            self,
            ask,
            label=self.tr("Deleting…"),
            quiet=True,
            on_error=lambda e: self.note.show_error(e, retry=ops.is_retryable(e)),
        )

    async def _delete(self, record: DeploymentRecord) -> None:
        from tunedesk.cloud.routes.base import Deployment

        assert self.context is not None
        assert self.deployments is not None
        deployment = Deployment.of(record)
        await self.context.route().delete_deployment(deployment)
        self.deployments.mark_deleted(record.id, flush=True)
        self._refresh_deployments()
        self.status_message.emit(self.tr("{name} was deleted.").format(name=record.name))


def _best(checkpoints: list[Checkpoint]) -> Checkpoint | None:
    scored = [
        (c.metrics.get("valid_loss", c.metrics.get("full_valid_loss")), c) for c in checkpoints
    ]
    known = [(loss, c) for loss, c in scored if loss is not None]
    return min(known, key=lambda t: t[0])[1] if known else None


def _ignore(_error: UserFacingError) -> None:
    """For work whose failure changes nothing the person must know."""
