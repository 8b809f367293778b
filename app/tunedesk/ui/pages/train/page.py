"""Step 4, Train: submit once, watch to the end, and keep every job's story.

The Model & settings page hands over a confirmed :class:`~tunedesk.ui.context.TrainingPlan`
(``AppContext.training_requested``). This page then

1. writes the training and validation files exactly as they will be sent, and keeps a copy
   and their hashes with the job in the project (the job's identity is in the project file
   before any request leaves: :func:`tunedesk.cloud.training.submit_once`);
2. uploads them (progress bar) and creates the job, never twice;
3. watches it without blocking (:class:`tunedesk.cloud.training.Watch`): a timeline in plain
   words, elapsed and remaining time, Azure's events, and the live loss chart with a plain
   reading; "reconnecting…" when the network drops; a prompt when the sign-in expires;
4. when it ends, says so on the page and in a desktop notification, also when minimised;
   a failure shows Azure's reason and what to change.

Reopening the project resumes watching every job that had not ended. The history lists every
job and shows any of them with its chart.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.dataset import Dataset
from tunedesk.core.errors import UserFacingError
from tunedesk.core.flow import Step
from tunedesk.ui import ops
from tunedesk.ui.pages.base import PAGE_STYLE, StepPage
from tunedesk.ui.pages.train.history import JobHistoryView, local_time
from tunedesk.ui.pages.train.timeline import Stage, Timeline
from tunedesk.ui.widgets.inline_message import InlineMessage, Tone
from tunedesk.ui.widgets.loss_chart import LossChart

if TYPE_CHECKING:
    from tunedesk.cloud.routes.base import TrainingRoute
    from tunedesk.cloud.training import Watch, WatchUpdate
    from tunedesk.core.jobs import JobHistory, JobRecord
    from tunedesk.ui.context import AppContext, TrainingPlan
    from tunedesk.ui.notifications import Notifier

TICK_MS = 1000  # elapsed time on screen


class _Point:
    """A chart point from a record's stored metrics row [step, tl, vl, ta, va]."""

    __slots__ = ("step", "train_accuracy", "train_loss", "valid_accuracy", "valid_loss")

    def __init__(self, row: Sequence[Any]) -> None:
        values = list(row) + [None] * (5 - len(row))
        self.step = int(values[0])
        self.train_loss, self.valid_loss, self.train_accuracy, self.valid_accuracy = (
            None if v is None else float(v) for v in values[1:5]
        )


class TrainPage(StepPage):
    step = Step.TRAIN

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: JobHistory | None = None
        self._shown_key: str | None = None
        self._tasks: dict[str, asyncio.Task[Any]] = {}  # client key -> submit/watch task
        self._watches: dict[str, Watch] = {}
        self._connection: dict[str, WatchUpdate] = {}
        self._upload: dict[str, tuple[int, int]] = {}
        self._notifier: Notifier | None = None
        self._published: tuple[tuple[str, str], ...] | None = None

        self._title = QLabel()
        self._title.setObjectName("pageTitle")
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.note = InlineMessage()
        self.connection = InlineMessage()
        self.connection.retry_requested.connect(self._on_connection_action)

        self.empty = QLabel()
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.go_model = QPushButton()
        self.go_model.clicked.connect(lambda: self.step_requested.emit(Step.MODEL.value))

        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setObjectName("hint")
        self.facts.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.timeline = Timeline()
        self.failure = InlineMessage()
        self.chart = LossChart()
        self.chart.setMinimumHeight(260)
        self.events_title = QLabel()
        self.events_title.setObjectName("subTitle")
        self.events = QListWidget()
        self.events.setObjectName("events")
        self.events.setMinimumHeight(120)
        self.events.setWordWrap(True)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.confirm_cancel)
        self.files_button = QPushButton()
        self.files_button.clicked.connect(self.save_training_files)
        self.deploy_button = QPushButton()
        self.deploy_button.setObjectName("primaryButton")
        self.deploy_button.clicked.connect(lambda: self.step_requested.emit(Step.DEPLOY.value))
        buttons = QHBoxLayout()
        buttons.addWidget(self.files_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.deploy_button)

        self.job_box = QWidget()
        job = QVBoxLayout(self.job_box)
        job.setContentsMargins(0, 0, 0, 0)
        job.setSpacing(8)
        job.addWidget(self.headline)
        job.addWidget(self.facts)
        job.addWidget(self.progress)
        job.addWidget(self.failure)
        top = QHBoxLayout()
        top.addWidget(self.timeline, 2)
        top.addSpacing(16)
        top.addWidget(self.chart, 5)
        job.addLayout(top)
        job.addWidget(self.events_title)
        job.addWidget(self.events)
        job.addLayout(buttons)

        self.history_title = QLabel()
        self.history_title.setObjectName("sectionTitle")
        self.history_view = JobHistoryView()
        self.history_view.job_selected.connect(self.show_job)

        column = QWidget()
        col = QVBoxLayout(column)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        col.addWidget(self._title)
        col.addWidget(self._intro)
        col.addWidget(self.note)
        col.addWidget(self.connection)
        col.addWidget(self.empty)
        col.addWidget(self.go_model, 0)
        col.addWidget(self.job_box, 1)
        lower = QWidget()
        low = QVBoxLayout(lower)
        low.setContentsMargins(0, 8, 0, 0)
        low.addWidget(self.history_title)
        low.addWidget(self.history_view)
        self.splitter = QSplitter()
        self.splitter.setOrientation(self.splitter.orientation().Vertical)
        self.splitter.addWidget(column)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(32, 28, 32, 16)
        body_layout.addWidget(self.splitter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.setStyleSheet(PAGE_STYLE + "#headline { font-size: 15px; font-weight: 600; }")
        self._ticker = QTimer(self, interval=TICK_MS)
        self._ticker.timeout.connect(self._show_facts)
        self.retranslate()
        self._show_record(None)

    # ------------------------------------------------------------------ StepPage
    def set_context(self, context: AppContext) -> None:
        super().set_context(context)
        context.project_changed.connect(self._on_project_changed)
        context.training_requested.connect(self._on_training_requested)
        context.cloud_changed.connect(self._on_cloud_changed)
        self._on_project_changed(context.project)
        pending = context.take_pending_plan()
        if pending is not None:
            self.start(pending)

    def retranslate(self) -> None:
        self._title.setText(self.tr("Train"))
        self._intro.setText(
            self.tr(
                "Follow the training here. You can close TuneDesk meanwhile: the job runs on "
                "Azure, and TuneDesk picks it up again when you open this project."
            )
        )
        self.empty.setText(
            self.tr(
                "No training yet. Choose a model and settings, check the summary and start "
                "training on the Model & settings page."
            )
        )
        self.go_model.setText(self.tr("Go to Model & settings"))
        self.events_title.setText(self.tr("What Azure reports"))
        self.cancel_button.setText(self.tr("Cancel training…"))
        self.files_button.setText(self.tr("Save the files it was trained on…"))
        self.deploy_button.setText(self.tr("Deploy this model"))
        self.history_title.setText(self.tr("All training jobs of this project"))
        self.timeline.retranslate()
        self.chart.retranslate()
        self.history_view.retranslate()
        self.connection.retranslate()
        self.note.retranslate()
        self.failure.retranslate()
        self._show_record(self._record(self._shown_key))

    def shutdown(self) -> None:
        """Stop watching (the jobs go on in Azure; reopening the project resumes)."""
        for task in list(self._tasks.values()):
            task.cancel()
        self._tasks.clear()
        self._ticker.stop()

    # ------------------------------------------------------------------ project
    def _on_project_changed(self, project: Any) -> None:
        self.shutdown()
        self._watches.clear()
        self._connection.clear()
        self.history = None
        self._shown_key = None
        if project is not None:
            from tunedesk.core.jobs import JobHistory

            self.history = JobHistory(project)
        self._refresh_history()
        records = self.history.list() if self.history is not None else []
        self._show_record(records[0] if records else None)
        self._publish_results()
        self._resume_active()

    def _refresh_history(self) -> None:
        records = self.history.list() if self.history is not None else []
        self.history_view.set_records(records, self._shown_key)
        self.history_title.setVisible(bool(records))
        self.history_view.setVisible(bool(records))

    def _record(self, key: str | None) -> JobRecord | None:
        if key is None or self.history is None:
            return None
        return self.history.get(key)

    def _publish_results(self) -> None:
        """Tell the context when a job appeared or changed state (not on every poll: the
        Deploy and Chat pages rebuild what they show from it)."""
        if self.context is None:
            return
        records = self.history.list() if self.history is not None else []
        states = tuple((r.client_key, r.state) for r in records)
        if states == self._published:
            return
        self._published = states
        self.context.set_job_results(trained=any(r.state == "succeeded" for r in records))

    # ------------------------------------------------------------------ starting
    def _on_training_requested(self, _plan: object) -> None:
        context = self.context
        pending = context.take_pending_plan() if context is not None else None
        if pending is not None:
            self.start(pending)

    def start(self, training: TrainingPlan) -> None:
        """Submit ``training`` once (the person confirmed it on the Model & settings page)."""
        context = self.context
        if context is None or context.project is None or context.place is None:
            return
        if self.history is None:
            return
        from tunedesk.core.jobs import JobRecord

        place = context.place
        project = context.project
        settings = training.settings
        estimate = training.estimate
        record = JobRecord.new(
            "hub" if place.route == "hub" else "openai",
            place_id=place.id,
            place_name=place.describe(),
            location=place.location,
            base_model=training.model_id,
            model_name=training.model_name,
            settings=settings.to_json(),
            training_type=settings.training_type,
            estimate=_estimate_json(estimate),
            state="uploading",
        )
        ds = project.dataset
        snapshot = Dataset(ds.system_prompt, list(ds.examples))
        self._shown_key = record.client_key
        self._show_record(record)
        self._run(record.client_key, self._submit_and_watch(record, snapshot, training))

    async def _submit_and_watch(
        self, record: JobRecord, snapshot: Dataset, training: TrainingPlan
    ) -> None:
        from tunedesk.cloud.routes.base import Hyperparameters, JobRequest
        from tunedesk.cloud.training import prepare_files, submit_once
        from tunedesk.core.export import plan_split

        assert self.context is not None
        assert self.history is not None
        history = self.history
        route = self.context.route()
        folder = _staging_folder(record.client_key)
        split = await ops.in_worker(plan_split, snapshot, training.validation_fraction)
        prepared = await ops.in_worker(prepare_files, snapshot, split, folder)
        settings = training.settings

        def request(uploaded: Any) -> JobRequest:
            return JobRequest(
                client_key=record.client_key,
                base_model=record.base_model,
                data=uploaded,
                hyperparameters=Hyperparameters(
                    batch_size=settings.batch_size,
                    learning_rate_multiplier=settings.learning_rate_multiplier,
                    epochs=settings.epochs,
                    seed=settings.seed,
                    suffix=settings.suffix or None,
                ),
                display_name=record.model_name,
                training_type=settings.training_type,
            )

        def progress(done: int, total: int) -> None:
            if record.client_key not in self._upload:  # the record is in the project now
                self._refresh_history()
            self._upload[record.client_key] = (done, total)
            if self._shown_key == record.client_key:
                self._show_progress(done, total)

        submitted = await submit_once(route, history, record, prepared, request, progress=progress)
        self._upload.pop(record.client_key, None)
        self._after_change(submitted)
        await self._watch(route, submitted)

    def _run(self, key: str, coro: Any) -> None:
        async def work() -> None:
            await coro

        def failed(error: UserFacingError) -> None:
            self._tasks.pop(key, None)
            record = self._record(key)
            if self._shown_key == key or record is None:
                self.note.show_error(error, retry=False)
            if record is not None:
                self._after_change(record)

        task = ops.run_op(self, work, label=self.tr("Training…"), on_error=failed, quiet=True)
        self._tasks[key] = task

        def forget(done: asyncio.Task[Any]) -> None:
            if self._tasks.get(key) is done:
                del self._tasks[key]

        task.add_done_callback(forget)

    # ------------------------------------------------------------------ watching
    def _resume_active(self) -> None:
        context = self.context
        if context is None or self.history is None:
            return
        for record in self.history.active():
            if record.client_key in self._tasks:
                continue
            if context.place is None or context.place.id != record.place_id:
                continue  # watched once its place is chosen again (cloud_changed)
            self._run(record.client_key, self._resume_and_watch(record))

    async def _resume_and_watch(self, record: JobRecord) -> None:
        from tunedesk.cloud.training import resume

        assert self.context is not None
        assert self.history is not None
        route = self.context.route()
        found = await resume(route, self.history, record)
        self._after_change(found)
        if not found.terminal:
            await self._watch(route, found)

    async def _watch(self, route: TrainingRoute, record: JobRecord) -> None:
        from tunedesk.cloud.training import Watch

        assert self.history is not None
        watch = Watch(route, self.history, record, on_update=self._on_update)
        self._watches[record.client_key] = watch
        try:
            final = await watch.run()
        finally:
            self._watches.pop(record.client_key, None)
            self._connection.pop(record.client_key, None)
        self._after_change(final)
        self._ended(final)

    def _on_update(self, update: WatchUpdate) -> None:
        key = update.record.client_key
        self._connection[key] = update
        self._after_change(update.record)

    def _after_change(self, record: JobRecord) -> None:
        self._refresh_history()
        if self._shown_key in (None, record.client_key):
            self._shown_key = record.client_key
            self._show_record(record)
        self._publish_results()

    def _on_cloud_changed(self) -> None:
        context = self.context
        if context is None:
            return
        place_id = context.place.id if context.place is not None and context.signed_in else None
        for key in list(self._tasks):
            record = self._record(key)
            update = self._connection.get(key)
            elsewhere = record is not None and record.place_id != place_id
            expired = update is not None and update.connection == "signin" and context.signed_in
            if elsewhere or expired:
                # Signed out or another place: the route it used is closed. Signed in
                # again after an expiry: watch on with the new sign-in's route. (Popped
                # now, not when the task ends, so it can be watched again at once.)
                self._tasks.pop(key).cancel()
                self._connection.pop(key, None)
        if context.signed_in:
            self._resume_active()

    def _on_connection_action(self) -> None:
        update = self._connection.get(self._shown_key or "")
        if update is not None and update.connection == "signin":
            self.step_requested.emit(Step.SIGN_IN.value)

    # ------------------------------------------------------------------ the end
    def _ended(self, record: JobRecord) -> None:
        if not record.terminal:
            return
        from tunedesk.ui.notifications import Notifier

        if self._notifier is None:
            self._notifier = Notifier(self.window())
        title = {
            "succeeded": self.tr("Training finished"),
            "failed": self.tr("Training failed"),
            "cancelled": self.tr("Training cancelled"),
        }[record.state]
        text = {
            "succeeded": self.tr("{model} is trained and ready to deploy."),
            "failed": self.tr("{model} could not be trained. Open TuneDesk to see why."),
            "cancelled": self.tr("The training of {model} was cancelled."),
        }[record.state].format(model=record.model_name or record.base_model)
        self._notifier.notify(title, text, failed=record.state == "failed")
        self.status_message.emit(text)

    def confirm_cancel(self) -> None:
        record = self._record(self._shown_key)
        if record is None or record.terminal:
            return
        box, stop = ops.destructive_box(
            self,
            title=self.tr("Cancel training"),
            text=self.tr("Cancel the training of {model}?").format(model=record.model_name),
            detail=self.tr(
                "Azure stops the job. What was trained so far is billed and cannot be "
                "resumed; you would start again from the beginning."
            ),
            act=self.tr("Cancel training"),
            keep=self.tr("Keep training"),
        )

        async def ask() -> None:
            await ops.run_dialog(box)
            if box.clickedButton() is stop:
                await self._cancel(record.client_key)

        ops.run_op(
            self,
            ask,
            label=self.tr("Cancelling…"),
            quiet=True,
            on_error=lambda e: self.note.show_error(e, retry=ops.is_retryable(e)),
        )
        self._cancel_box = box  # kept for tests and so it is not collected while open

    async def _cancel(self, key: str) -> None:
        from tunedesk.cloud.training import cancel_job

        assert self.context is not None
        assert self.history is not None
        record = self.history.get(key)
        if record is None or record.terminal:
            return
        updated = await cancel_job(self.context.route(), self.history, record)
        self._after_change(updated)

    def save_training_files(self) -> None:
        record = self._record(self._shown_key)
        if record is None or self.history is None:
            return
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Save the training files to a folder")
        )
        if not folder:
            return
        history = self.history
        key = record.client_key

        async def work() -> Path:
            def write() -> Path:
                target = Path(folder)
                (target / f"{key}-training.jsonl").write_bytes(history.training_file(key))
                validation = history.validation_file(key)
                if validation is not None:
                    (target / f"{key}-validation.jsonl").write_bytes(validation)
                return target

            return await ops.in_worker(write)

        ops.run_op(
            self,
            work,
            label=self.tr("Saving the files…"),
            on_success=lambda path: self.status_message.emit(
                self.tr("Saved the training files to {folder}.").format(folder=str(path))
            ),
        )

    # ------------------------------------------------------------------ showing a job
    def show_job(self, key: str) -> None:
        self._shown_key = key
        self._show_record(self._record(key))

    def _show_record(self, record: JobRecord | None) -> None:
        has = record is not None
        self.job_box.setVisible(has)
        self.empty.setVisible(not has)
        self.go_model.setVisible(not has)
        if record is None:
            self._ticker.stop()
            self.connection.clear()
            return
        details: dict[Stage, str] = {}
        upload = self._upload.get(record.client_key)
        if record.state == "uploading" and upload is not None:
            details[Stage.UPLOADED] = self.tr("{percent} % of {size}").format(
                percent=int(100 * upload[0] / max(upload[1], 1)), size=_size(upload[1])
            )
        points = [_Point(row) for row in record.metrics]
        if points and record.state in ("running", "paused", "cancelling", "succeeded"):
            details[Stage.TRAINING] = self.tr("Step {step}").format(step=points[-1].step)
        if record.job_id:
            details[Stage.SUBMITTED] = record.job_id
        self.timeline.set_state(record.state, details)
        self.headline.setText(self.timeline.sentence())
        self.progress.setVisible(record.state == "uploading" and upload is not None)
        if upload is not None:
            self._show_progress(*upload)
        self.chart.set_total_steps(record.total_steps)
        self.chart.set_points(points)
        self.chart.set_finished(record.state == "succeeded")  # a failed run is not summed up
        self._show_events(record)
        self._show_failure(record)
        self._show_connection(record)
        self.cancel_button.setVisible(not record.terminal)
        self.cancel_button.setEnabled(record.state not in ("cancelling", "uploading"))
        self.deploy_button.setVisible(record.state == "succeeded")
        self.files_button.setEnabled(bool(record.training_sha256))
        self._show_facts()
        if record.terminal:
            self._ticker.stop()
        elif not self._ticker.isActive():
            self._ticker.start()
        self.history_view.select(record.client_key)

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setVisible(True)
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(1000 * done / max(total, 1)))
        self.progress.setFormat(
            self.tr("Uploading: {done} of {total}").format(done=_size(done), total=_size(total))
        )

    def _show_facts(self) -> None:
        record = self._record(self._shown_key)
        if record is None:
            return
        now = datetime.now(UTC)
        parts = [
            self.tr("{model} in {place}").format(
                model=record.model_name or record.base_model, place=record.place_name
            ),
            self.tr("started {time}").format(time=local_time(record.created_at)),
        ]
        end = record.finished_at or (None if not record.terminal else now)
        elapsed = (end or now) - record.created_at
        parts.append(
            self.tr("{duration} so far").format(duration=self._duration(elapsed))
            if not record.terminal
            else self.tr("took {duration}").format(duration=self._duration(elapsed))
        )
        if not record.terminal:
            from tunedesk.cloud.training import remaining_estimate

            left = remaining_estimate(record, now)
            if left is not None:
                parts.append(self.tr("about {duration} left").format(duration=self._duration(left)))
        self.facts.setText(" · ".join(parts))

    def _duration(self, delta: timedelta) -> str:
        seconds = max(0, int(delta.total_seconds()))
        hours, rest = divmod(seconds, 3600)
        minutes = rest // 60
        if hours:
            return self.tr("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
        if minutes:
            return self.tr("{minutes} min").format(minutes=minutes)
        return self.tr("{seconds} s").format(seconds=seconds)

    def _show_events(self, record: JobRecord) -> None:
        events = list(record.events)[-200:]
        if self.events.count() == len(events):
            return
        self.events.clear()
        for event in reversed(events):  # newest first
            time = event.get("time")
            when = ""
            if isinstance(time, str):
                try:
                    when = local_time(datetime.fromisoformat(time))
                except ValueError:
                    when = ""
            self.events.addItem(f"{when}  {event.get('message', '')}".strip())

    def _show_failure(self, record: JobRecord) -> None:
        if record.state != "failed":
            self.failure.clear()
            return
        reason = record.error or self.tr("Azure did not say why.")
        self.failure.show_message(reason, self._advice(record), tone=Tone.ERROR)

    def _advice(self, record: JobRecord) -> str:
        text = f"{record.service_error or ''} {record.error or ''}".lower()
        if "token" in text and ("long" in text or "limit" in text or "exceed" in text):
            return self.tr(
                "Shorten the longest examples on the Data page, or choose a model that accepts "
                "longer examples, then start again."
            )
        if "quota" in text or "limit" in text:
            return self.tr(
                "Your Azure subscription has reached a limit. Wait for other jobs to finish, "
                "or ask your Azure administrator for more quota, then start again."
            )
        if "format" in text or "invalid" in text or "file" in text:
            return self.tr(
                "Azure could not use the training file. Fix what the Data page's checklist "
                "reports, then start again."
            )
        return self.tr(
            "Check the data and settings, then start again from Model & settings. If it "
            "fails the same way, send Azure's reason above to your Azure administrator."
        )

    def _show_connection(self, record: JobRecord) -> None:
        update = self._connection.get(record.client_key)
        if update is None or update.connection == "ok" or record.terminal:
            self.connection.clear()
            return
        if update.connection == "reconnecting":
            text = self.tr("Reconnecting to Azure…")
            if update.retry_in:
                text = self.tr("Reconnecting to Azure… next try in {seconds} s.").format(
                    seconds=max(1, round(update.retry_in))
                )
            detail = (
                str(update.message)
                if update.message is not None
                else self.tr("The training goes on in Azure; TuneDesk keeps trying.")
            )
            self.connection.show_message(text, detail, tone=Tone.WARNING)
            return
        self.connection.show_message(
            self.tr("Your sign-in has expired. Sign in again to keep watching."),
            self.tr("The training goes on in Azure meanwhile."),
            tone=Tone.WARNING,
            retry=True,
        )
        self.connection.retry_button.setText(self.tr("Sign in again"))


def _estimate_json(estimate: Any) -> dict[str, Any]:
    if estimate is None:
        return {}
    fields = (
        "training_tokens",
        "epochs",
        "epochs_chosen_by_azure",
        "trained_tokens",
        "cost_low",
        "cost_high",
        "currency",
        "minutes_low",
        "minutes_high",
        "hourly_hosting",
    )
    return {name: getattr(estimate, name, None) for name in fields}


def _staging_folder(key: str) -> Path:
    """Where the files are written before upload (the copies that count live in the
    project; these can be deleted at any time)."""
    import platformdirs

    from tunedesk import APP_ID

    return platformdirs.user_cache_path(APP_ID, appauthor=False) / "uploads" / key


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} B"
