"""Submitting a training job once, picking it up again, watching it: the Train page's engine.

The order of things makes "never twice, never forgotten" hold whatever fails, whenever the
app is killed (the record is flushed to the project file at each arrow)::

    prepare_files (sync, off the UI thread): train/validation JSONL written and hashed
    submit_once:
        record "uploading" + exact copies of the files  -> flushed, THEN the upload leaves
        uploaded file ids, "submitting", submitted_at    -> flushed, THEN route.submit
        route.submit's journal: job id / name            -> flushed before and after create
        "preparing"                                      -> flushed
    resume: a record still "uploading"/"submitting" is looked up on the service
        (find_job by client key, our uploaded file, the submission time) before anything
        is sent again; found -> adopted; not found -> submitted (with a request factory)
    Watch: polls status/events/metrics until the job ends, merging into the record

A "submitting" record means a create request may have reached Azure; only a lookup that
finds nothing lets it be sent again (and the routes look once more themselves before a
create). Everything here is plain asyncio: no Qt.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import logging
import random
import re
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from tunedesk.cloud.errors import (
    CloudError,
    KeyRejected,
    NeedsMicrosoftSignIn,
    NetworkProblem,
    SignInExpired,
    SignInFailed,
    SignInRequired,
    Throttled,
)
from tunedesk.cloud.executor import run_sync
from tunedesk.cloud.routes.base import (
    JobEvent,
    JobRef,
    JobRequest,
    JobState,
    JobStatus,
    MetricPoint,
    Progress,
    TrainingRoute,
    UploadedData,
)
from tunedesk.core import jobs
from tunedesk.core.dataset import Dataset, Split
from tunedesk.core.export import TRAIN_FILE, VALIDATION_FILE, plan_split, write_chat_jsonl
from tunedesk.core.i18n import Text, lazy
from tunedesk.core.jobs import JobHistory, JobRecord

log = logging.getLogger(__name__)

RequestFactory = Callable[[UploadedData], JobRequest]
Connection = Literal["ok", "reconnecting", "signin"]
OnUpdate = Callable[["WatchUpdate"], None]

# Errors only a new sign-in fixes: the watch waits for signed_in_again().
SIGN_IN_ERRORS: tuple[type[CloudError], ...] = (
    SignInExpired,
    SignInRequired,
    SignInFailed,
    NeedsMicrosoftSignIn,
    KeyRejected,
)
_STARTED = re.compile(r"^\s*training started", re.I)
_STEP_OF = re.compile(r"\bstep\s+(\d+)\s*/\s*(\d+)", re.I)
_CHUNK = 1 << 20


# ----------------------------------------------------------------------------- files
@dataclass(frozen=True)
class PreparedData:
    """The files a submission sends, with what identifies their content."""

    training_path: Path
    validation_path: Path | None
    training_sha256: str
    validation_sha256: str | None
    data_version: str
    training_rows: int
    validation_rows: int


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def prepare_files(
    dataset: Dataset, split: Mapping[str, Split] | float, folder: Path
) -> PreparedData:
    """Write the chat JSONL of the training and validation examples into ``folder`` and
    hash them. ``split`` is the plan the Data page shows (``core.export.plan_split``) or a
    validation fraction. Blocking: run it off the UI thread."""
    plan = plan_split(dataset, split) if isinstance(split, int | float) else split
    train = [ex for ex in dataset if plan.get(ex.id, Split.TRAIN) != Split.VALIDATION]
    validation = [ex for ex in dataset if plan.get(ex.id) == Split.VALIDATION]
    folder = Path(folder)
    prompt = dataset.system_prompt
    training_path = folder / TRAIN_FILE
    training_rows = write_chat_jsonl(training_path, train, prompt)
    validation_path: Path | None = None
    validation_rows = 0
    if validation:
        validation_path = folder / VALIDATION_FILE
        validation_rows = write_chat_jsonl(validation_path, validation, prompt)
    else:
        (folder / VALIDATION_FILE).unlink(missing_ok=True)  # never an old one by mistake
    training_sha = _sha256_of(training_path)
    validation_sha = _sha256_of(validation_path) if validation_path else None
    return PreparedData(
        training_path,
        validation_path,
        training_sha,
        validation_sha,
        jobs.data_version(training_sha, validation_sha),
        training_rows,
        validation_rows,
    )


def prepared_from_history(history: JobHistory, record: JobRecord, folder: Path) -> PreparedData:
    """The exact files a record's job was given, written back from the project's copies
    (hash-checked), for sending them again after a restart. Blocking."""
    training = history.training_file(record.client_key)
    validation = history.validation_file(record.client_key)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    training_path = folder / TRAIN_FILE
    training_path.write_bytes(training)
    validation_path = None
    if validation is not None:
        validation_path = folder / VALIDATION_FILE
        validation_path.write_bytes(validation)
    training_sha = hashlib.sha256(training).hexdigest()
    validation_sha = hashlib.sha256(validation).hexdigest() if validation is not None else None
    return PreparedData(
        training_path,
        validation_path,
        training_sha,
        validation_sha,
        jobs.data_version(training_sha, validation_sha),
        record.training_rows,
        record.validation_rows,
    )


def _read_checked(prepared: PreparedData) -> tuple[bytes, bytes | None]:
    training = prepared.training_path.read_bytes()
    validation = prepared.validation_path.read_bytes() if prepared.validation_path else None
    if hashlib.sha256(training).hexdigest() != prepared.training_sha256 or (
        validation is not None
        and hashlib.sha256(validation).hexdigest() != prepared.validation_sha256
    ):
        raise ValueError("the prepared files changed after they were hashed")
    return training, validation


# ----------------------------------------------------------------------------- records
def job_ref(record: JobRecord) -> JobRef:
    """What the route needs to reach a record's job."""
    return JobRef(
        record.route,
        record.client_key,
        record.job_id,
        record.target or record.place_id,
        record.base_model,
        record.output_name,
    )


async def _save(history: JobHistory, record: JobRecord, *, flush: bool) -> JobRecord:
    """Store on the calling (loop) thread, so the last change made on the loop is the one
    kept; only the wait for the disk (``flush``) runs on a worker."""
    stored = history.update(record)
    if flush:
        await run_sync(history.flush)
    return stored


async def _find_job(route: TrainingRoute, record: JobRecord) -> JobRef | None:
    """``route.find_job`` with our uploaded file and submission time where it takes them."""
    find: Callable[..., Awaitable[JobRef | None]] = route.find_job
    try:
        params = inspect.signature(find).parameters
    except (TypeError, ValueError):
        params = {}  # type: ignore[assignment]
    kwargs: dict[str, Any] = {}
    if "training_file" in params:
        kwargs["training_file"] = record.uploaded_training_file or None
    if "submitted_after" in params:
        kwargs["submitted_after"] = record.submitted_at
    return await find(record.client_key, **kwargs)


def _adopt(record: JobRecord, ref: JobRef) -> JobRecord:
    state = jobs.PREPARING if record.before_job else record.state
    return replace(
        record,
        job_id=ref.job_id or record.job_id,
        target=ref.target or record.target,
        output_name=ref.output_name or record.output_name,
        state=state,
        error="",
    )


def _failed_before_job(record: JobRecord, err: CloudError) -> JobRecord:
    return replace(record, error=str(err.message), service_error=err.service_message or "")


def _store_new(
    history: JobHistory, record: JobRecord, training: bytes, validation: bytes | None
) -> JobRecord:
    history.store_files(record.client_key, training, validation)
    return history.add(record, flush=True)


# ----------------------------------------------------------------------------- submitting
async def submit_once(
    route: TrainingRoute,
    history: JobHistory,
    record: JobRecord,
    prepared: PreparedData,
    request_factory: RequestFactory,
    *,
    progress: Progress | None = None,
) -> JobRecord:
    """Upload ``prepared`` and submit the job of ``record``, exactly once.

    The record (state "uploading") and exact copies of the files are in the project file
    before the upload starts. Returns the record in state "preparing" with its job id.
    On any failure the record stays "uploading"/"submitting" (with ``error`` set) and the
    error is raised; calling this again with the same record, or :func:`resume`, looks the
    job up before sending anything again. ``request_factory`` builds the request from the
    uploaded files (its ``client_key`` is set to the record's).
    """
    existing = history.get(record.client_key)
    if existing is not None:
        if not existing.before_job:
            return existing  # submitted already
        return await resume(
            route, history, existing, request_factory, prepared=prepared, progress=progress
        )
    training, validation = await run_sync(_read_checked, prepared)
    record = replace(
        record,
        route=route.name,
        state=jobs.UPLOADING,
        job_id="",
        error="",
        data_version=prepared.data_version,
        training_sha256=prepared.training_sha256,
        validation_sha256=prepared.validation_sha256,
        training_rows=prepared.training_rows,
        validation_rows=prepared.validation_rows,
    )

    record = await run_sync(_store_new, history, record, training, validation)
    del training, validation  # the copies are in the project now
    return await _send(route, history, record, prepared, request_factory, progress)


async def _send(
    route: TrainingRoute,
    history: JobHistory,
    record: JobRecord,
    prepared: PreparedData,
    request_factory: RequestFactory,
    progress: Progress | None,
) -> JobRecord:
    """Upload (unless done) and submit a record that has no job yet."""
    try:
        if not record.uploaded_training_file:
            uploaded = await route.upload(
                str(prepared.training_path),
                str(prepared.validation_path) if prepared.validation_path else None,
                progress,
            )
            record = replace(
                record,
                uploaded_training_file=uploaded.training,
                uploaded_validation_file=uploaded.validation or "",
            )
        else:
            uploaded = UploadedData(
                record.uploaded_training_file,
                record.uploaded_validation_file or None,
                prepared.training_path.stat().st_size,
                prepared.validation_path.stat().st_size if prepared.validation_path else 0,
            )
        # From here a create request may reach Azure: say so on disk first.
        record = await _save(
            history,
            replace(record, state=jobs.SUBMITTING, submitted_at=datetime.now(UTC), error=""),
            flush=True,
        )
        request = request_factory(uploaded)
        if request.client_key != record.client_key:
            request = replace(request, client_key=record.client_key)
        current = record

        async def journal(ref: JobRef) -> None:
            nonlocal current
            current = await _save(history, _adopt_pending(current, ref), flush=True)

        ref = await route.submit(request, journal)
    except CloudError as err:
        latest = history.get(record.client_key) or record
        await _save(history, _failed_before_job(latest, err), flush=True)
        raise
    done = replace(_adopt(current, ref), state=jobs.PREPARING, raw_status="")
    return await _save(history, done, flush=True)


def _adopt_pending(record: JobRecord, ref: JobRef) -> JobRecord:
    """The journal's news (a job name or id) without leaving "submitting"."""
    return replace(
        record,
        job_id=ref.job_id or record.job_id,
        target=ref.target or record.target,
        output_name=ref.output_name or record.output_name,
    )


async def resume(
    route: TrainingRoute,
    history: JobHistory,
    record: JobRecord,
    request_factory: RequestFactory | None = None,
    *,
    prepared: PreparedData | None = None,
    folder: Path | None = None,
    progress: Progress | None = None,
) -> JobRecord:
    """Pick a record up again (after a failure, or when the project is reopened).

    A record with a job is returned as stored (:class:`Watch` takes it from there). One
    still "uploading"/"submitting" is looked up on the service first; a job found is
    adopted (state "preparing"). When there is none: with ``request_factory`` the files are
    sent (``prepared``, else the project's exact copies written to ``folder`` or a temporary
    folder) and the job submitted; without it the record is returned unchanged, so the page
    can offer "Submit again" (or :func:`discard`).
    """
    record = history.get(record.client_key) or record
    if not record.before_job:
        return record
    try:
        found = await _find_job(route, record)
    except CloudError as err:
        await _save(history, _failed_before_job(record, err), flush=False)
        raise
    if found is not None:
        log.info("adopted job %s of record %s", found.job_id, record.client_key)
        return await _save(history, _adopt(record, found), flush=True)
    if request_factory is None:
        return record
    if prepared is None:
        target = folder or Path(tempfile.mkdtemp(prefix="tunedesk-resend-"))
        prepared = await run_sync(prepared_from_history, history, record, target)
    return await _send(route, history, record, prepared, request_factory, progress)


async def discard(route: TrainingRoute, history: JobHistory, record: JobRecord) -> JobRecord:
    """Give up a submission that has no job: looked up once more (a job found is adopted,
    never dropped), else the record ends as "cancelled"."""
    record = await resume(route, history, record)
    if not record.before_job:
        return record
    return await _save(
        history,
        replace(record, state=jobs.CANCELLED, error=str(_NOT_SENT), finished_at=_now()),
        flush=True,
    )


async def cancel_job(route: TrainingRoute, history: JobHistory, record: JobRecord) -> JobRecord:
    """Cancel the record's job (a no-op for a finished one); returns the updated record."""
    record = history.get(record.client_key) or record
    if record.terminal:
        return record
    if record.before_job:
        record = await resume(route, history, record)
        if record.before_job:
            return await discard(route, history, record)
    ref = job_ref(record)
    await route.cancel(ref)
    status = await route.status(ref)
    latest = history.get(record.client_key) or record  # a Watch may have stored meanwhile
    if latest.terminal:
        return latest
    return await _save(history, _with_status(latest, status), flush=True)


# ----------------------------------------------------------------------------- watching
@dataclass(frozen=True)
class WatchUpdate:
    """What the Train page shows: the record, the connection, and why it waits."""

    record: JobRecord
    connection: Connection
    retry_in: float | None  # seconds until the next attempt after a problem
    message: Text | None  # plain words about the connection, or None


@dataclass(frozen=True)
class PollPlan:
    """How often to ask (seconds). Fast while the job prepares and early in the run (the
    first loss points), slower later; every wait jittered by ±``jitter``."""

    fast: float = 5.0
    slow: float = 30.0
    fast_for: float = 600.0  # seconds of running that are polled fast
    jitter: float = 0.2
    retry_first: float = 2.0  # after a network problem: 2, 4, 8 … seconds
    retry_max: float = 60.0


def _now() -> datetime:
    return datetime.now(UTC)


def _with_status(record: JobRecord, status: JobStatus, now: datetime | None = None) -> JobRecord:
    state = str(status.state.value)
    started = record.started_at
    if started is None and status.state is JobState.RUNNING:
        started = now or _now()
    return replace(
        record,
        state=state,
        raw_status=status.raw,
        error=str(status.error) if status.error is not None else "",
        service_error=status.service_error or "",
        fine_tuned_model=status.fine_tuned_model or record.fine_tuned_model,
        finished_at=status.finished_at or record.finished_at,
        trained_tokens=(
            status.trained_tokens if status.trained_tokens is not None else record.trained_tokens
        ),
        started_at=started,
    )


def _event_rows(events: list[JobEvent]) -> list[dict[str, Any]]:
    return [
        {"time": e.time.isoformat(), "level": e.level, "message": e.message}
        for e in events
        if e.kind != "metrics"  # one per step: the metrics carry them
    ]


def _with_events(record: JobRecord, events: list[JobEvent]) -> JobRecord:
    updated = record.with_events(_event_rows(events))
    total = updated.total_steps
    started = updated.started_at
    for e in events:
        match = _STEP_OF.search(e.message)
        if match:
            total = max(total or 0, int(match.group(2))) or None
        if _STARTED.match(e.message) and (started is None or e.time < started):
            started = e.time
    if total != updated.total_steps or started != updated.started_at:
        updated = replace(updated, total_steps=total, started_at=started)
    return updated


def _with_metrics(record: JobRecord, points: list[MetricPoint]) -> JobRecord:
    return record.with_metrics(
        [p.step, p.train_loss, p.valid_loss, p.train_accuracy, p.valid_accuracy] for p in points
    )


def _same(a: JobRecord, b: JobRecord) -> bool:
    return replace(a, updated_at=None) == replace(b, updated_at=None)


def _network_message(err: CloudError, seconds: float) -> Text:
    shown = max(1, round(seconds))
    if isinstance(err, NetworkProblem):
        return lazy.translate(
            "CloudTraining", "Could not reach Azure. Checking again in {seconds} s."
        ).format(seconds=shown)
    return lazy.translate(
        "CloudTraining", "Azure had a problem. Checking again in {seconds} s."
    ).format(seconds=shown)


def _busy_message(seconds: float) -> Text:
    return lazy.translate(
        "CloudTraining", "Azure asked us to slow down. Checking again in {seconds} s."
    ).format(seconds=max(1, round(seconds)))


_NOT_SENT = lazy.translate("CloudTraining", "Not submitted: no job was created on Azure.")


class Watch:
    """Follows one job until it ends: ``record = await Watch(...).run()``.

    Each change (state, events, metrics, connection) is stored in the history and reported
    to ``on_update`` on the event loop. A lost network is retried with backoff forever
    ("reconnecting"); Azure's throttling waits as long as Azure asks; an expired sign-in
    reports "signin" and waits until :meth:`signed_in_again`. Cancelling the task stops it
    (whatever was stored stays stored). Other errors are reported and raised.
    """

    def __init__(
        self,
        route: TrainingRoute,
        history: JobHistory,
        record: JobRecord,
        on_update: OnUpdate | None = None,
        *,
        plan: PollPlan | None = None,
        rng: random.Random | None = None,
        now: Callable[[], datetime] = _now,
    ) -> None:
        self.route = route
        self.history = history
        self.record = record
        self.on_update = on_update
        self.plan = plan or PollPlan()
        self._rng = rng or random.Random()
        self._now = now
        self._signed_in = asyncio.Event()
        self._connection: Connection = "ok"
        self._last: WatchUpdate | None = None

    def signed_in_again(self) -> None:
        """The person signed in again: the watch tries at once."""
        self._signed_in.set()

    # -- the loop -----------------------------------------------------------------------
    async def run(self) -> JobRecord:
        self.record = self.history.get(self.record.client_key) or self.record
        if self.record.before_job:
            self.record = await resume(self.route, self.history, self.record)
            if self.record.before_job:
                self._report("ok", None, None)
                return self.record  # nothing on Azure to watch (yet)
        failures = 0
        self._report("ok", None, None)
        while True:
            try:
                await self._poll()
            except SIGN_IN_ERRORS as err:
                self._signed_in.clear()
                self._report("signin", None, err.message)
                await self._signed_in.wait()
                self._signed_in.clear()
                continue
            except Throttled as err:
                delay = max(err.wait if err.wait else err.retry_after, 0.05)
                self._report(self._connection, delay, _busy_message(delay))
                await asyncio.sleep(delay)
                continue
            except CloudError as err:
                if not err.retryable:
                    self._report(self._connection, None, err.message)
                    raise
                failures += 1
                delay = self._jitter(
                    min(self.plan.retry_first * 2.0 ** (failures - 1), self.plan.retry_max)
                )
                self._report("reconnecting", delay, _network_message(err, delay))
                await asyncio.sleep(delay)
                continue
            failures = 0
            self._report("ok", None, None)
            if self.record.terminal:
                return self.record
            await asyncio.sleep(self._interval())

    async def _poll(self) -> None:
        """One round: status, events, metrics; each result stored as soon as it is in."""
        ref = job_ref(self.record)
        status = await self.route.status(ref)
        self._connection = "ok"  # Azure answered: what follows is reported as connected
        await self._store(_with_status(self.record, status, self._now()))
        events = await self.route.events(ref)
        await self._store(_with_events(self.record, events))
        if status.state is not JobState.PREPARING:
            points = await self.route.metrics(ref)
            await self._store(_with_metrics(self.record, points))

    async def _store(self, record: JobRecord) -> None:
        if _same(record, self.record):
            return
        self.record = await _save(self.history, record, flush=record.terminal)
        self._report(self._connection, None, None, force=True)

    def _report(
        self,
        connection: Connection,
        retry_in: float | None,
        message: Text | None,
        *,
        force: bool = False,
    ) -> None:
        self._connection = connection
        update = WatchUpdate(self.record, connection, retry_in, message)
        if not force and update == self._last:
            return
        self._last = update
        if self.on_update is not None:
            self.on_update(update)

    def _interval(self) -> float:
        plan = self.plan
        record = self.record
        seconds = plan.fast
        if record.state == jobs.RUNNING and record.started_at is not None:
            running_for = (self._now() - record.started_at).total_seconds()
            if running_for > plan.fast_for:
                seconds = plan.slow
        elif record.state == jobs.PAUSED:
            seconds = plan.slow
        return self._jitter(seconds)

    def _jitter(self, seconds: float) -> float:
        spread = self.plan.jitter
        return max(0.0, seconds * (1.0 + self._rng.uniform(-spread, spread)))


def remaining_estimate(record: JobRecord, now: datetime) -> timedelta | None:
    """Time left, from the steps done so far and the time they took; None until known
    (no total number of steps, no step done yet, or not running)."""
    if record.state != jobs.RUNNING or not record.metrics or record.started_at is None:
        return None
    total = record.total_steps
    if total is None:
        for key in ("total_steps", "steps"):
            value = record.estimate.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                total = value
                break
    done = record.last_step or 0
    if total is None or done <= 0:
        return None
    if done >= total:
        return timedelta(0)
    elapsed = now - record.started_at
    if elapsed <= timedelta(0):
        return None
    return elapsed * ((total - done) / done)
