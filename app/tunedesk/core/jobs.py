"""Training jobs as the project remembers them: :class:`JobRecord` and :class:`JobHistory`.

A record is created (and flushed to the project file) before anything is sent to Azure, so a
job that may exist is never forgotten: its ``client_key`` names it on the service (the
routes tag or name the job after it), and the record moves through these states::

    uploading -> submitting -> preparing -> running -> succeeded | failed | cancelled
                                        (paused, cancelling on the way)

``uploading`` and ``submitting`` come before the job exists; the others are the cloud
layer's ``JobState`` values. ``submitting`` means a create request may have reached Azure:
whoever continues must look the job up first (``cloud.training.resume``).

The exact bytes a job was given are kept inside the project (:meth:`JobHistory.store_files`,
compressed, checked against their SHA-256 on every read), so "what did I train on?" has an
answer even after the table changed.

Plain Python: no Qt, no cloud imports (the cloud layer turns its types into these).
"""

from __future__ import annotations

import builtins
import hashlib
import logging
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any, Literal

from tunedesk.core.errors import FileProblem
from tunedesk.core.i18n import lazy
from tunedesk.core.project import Project
from tunedesk.core.records import RecordHistory, read_time
from tunedesk.core.records import read_dict as _dict
from tunedesk.core.records import read_float as _float
from tunedesk.core.records import read_int as _int
from tunedesk.core.records import read_opt_str as _opt_str
from tunedesk.core.records import read_str as _str
from tunedesk.core.records import write_time as _iso

log = logging.getLogger(__name__)

RECORD_KIND = "job"  # Project records and file copies of this kind
TRAINING_ROLE = "training"
VALIDATION_ROLE = "validation"

UPLOADING = "uploading"
SUBMITTING = "submitting"
PREPARING = "preparing"
RUNNING = "running"
PAUSED = "paused"
CANCELLING = "cancelling"
SUCCEEDED = "succeeded"
FAILED = "failed"
CANCELLED = "cancelled"
STATES: tuple[str, ...] = (
    UPLOADING,
    SUBMITTING,
    PREPARING,
    RUNNING,
    PAUSED,
    CANCELLING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
)
BEFORE_JOB: frozenset[str] = frozenset({UPLOADING, SUBMITTING})
TERMINAL: frozenset[str] = frozenset({SUCCEEDED, FAILED, CANCELLED})

RouteName = Literal["hub", "openai"]
# [step, train_loss, valid_loss, train_accuracy, valid_accuracy]; a missing value is None
MetricRow = tuple[int, float | None, float | None, float | None, float | None]
# {"time": ISO 8601, "level": "info" | "warning" | "error", "message": the service's text}
EventRow = dict[str, str]

_STEP_OF = re.compile(r"\bstep\s+(\d+)\s*/\s*(\d+)", re.I)


def new_client_key() -> str:
    """A fresh key naming one submission (32 hex digits: fits every route's job names)."""
    return uuid.uuid4().hex


def data_version(training_sha256: str, validation_sha256: str | None) -> str:
    """A short name for one pair of training/validation files (12 hex digits)."""
    joined = f"{training_sha256}:{validation_sha256 or ''}".encode("ascii")
    return hashlib.sha256(joined).hexdigest()[:12]


def _now() -> datetime:
    return datetime.now(UTC)


# ----------------------------------------------------------------------------- JSON helpers
def _time(value: Any) -> datetime | None:
    """:func:`~tunedesk.core.records.read_time`, also taking a datetime (a naive one is UTC)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return read_time(value)


def metric_row(value: Any) -> MetricRow | None:
    """One ``[step, train_loss, valid_loss, train_acc, valid_acc]`` row, or None if junk."""
    if not isinstance(value, list | tuple) or not value:
        return None
    step = _int(value[0])
    if step is None or step < 0:
        return None
    rest = [_float(v) for v in list(value[1:5])]
    rest += [None] * (4 - len(rest))
    return (step, rest[0], rest[1], rest[2], rest[3])


def event_row(value: Any) -> EventRow | None:
    if not isinstance(value, dict):
        return None
    when = _time(value.get("time"))
    message = value.get("message")
    if when is None or not isinstance(message, str):
        return None
    level = value.get("level")
    return {
        "time": when.isoformat(),
        "level": level if level in ("info", "warning", "error") else "info",
        "message": message,
    }


def _merge_row(new: MetricRow, old: MetricRow) -> MetricRow:
    """``new``, keeping the values of ``old`` that ``new`` lacks."""

    def pick(a: float | None, b: float | None) -> float | None:
        return a if a is not None else b

    return (
        new[0],
        pick(new[1], old[1]),
        pick(new[2], old[2]),
        pick(new[3], old[3]),
        pick(new[4], old[4]),
    )


# ----------------------------------------------------------------------------- the record
@dataclass(frozen=True, slots=True)
class JobRecord:
    """Everything the project keeps about one training job (immutable: use ``replace``)."""

    client_key: str
    created_at: datetime
    route: RouteName
    place_id: str = ""  # workspace / resource ARM id
    place_name: str = ""
    location: str = ""
    base_model: str = ""  # the id sent to Azure
    model_name: str = ""  # the name people read
    settings: dict[str, Any] = field(default_factory=dict)  # TrainingSettings JSON
    training_type: str | None = None
    data_version: str = ""
    training_sha256: str = ""
    validation_sha256: str | None = None
    training_rows: int = 0
    validation_rows: int = 0
    training_tokens: int | None = None
    estimate: dict[str, Any] = field(default_factory=dict)  # the estimate shown before
    job_id: str = ""  # "" until known
    state: str = UPLOADING
    raw_status: str = ""  # the service's own word
    error: str = ""  # plain words, in the language shown when it happened
    service_error: str = ""  # the service's text
    fine_tuned_model: str = ""
    finished_at: datetime | None = None
    trained_tokens: int | None = None
    uploaded_training_file: str = ""
    uploaded_validation_file: str = ""
    submitted_at: datetime | None = None
    metrics: tuple[MetricRow, ...] = ()
    events: tuple[EventRow, ...] = ()
    # additions: what the routes need to find the job again, and for the time left
    target: str = ""  # JobRef.target: workspace ARM id / resource endpoint
    output_name: str = ""  # JobRef.output_name (hub: registered model name)
    started_at: datetime | None = None  # first seen running
    total_steps: int | None = None  # from "Step n/N" events or the estimate
    updated_at: datetime | None = None

    @classmethod
    def new(cls, route: RouteName, **values: Any) -> JobRecord:
        """A record for a submission about to start (a fresh key, created now)."""
        values.setdefault("client_key", new_client_key())
        values.setdefault("created_at", _now())
        return cls(route=route, **values)

    # -- state --------------------------------------------------------------------------
    @property
    def terminal(self) -> bool:
        return self.state in TERMINAL

    @property
    def before_job(self) -> bool:
        """Uploading or submitting: the job may not exist (yet)."""
        return self.state in BEFORE_JOB

    @property
    def last_step(self) -> int | None:
        return self.metrics[-1][0] if self.metrics else None

    # -- merging what the service reports -----------------------------------------------
    def with_metrics(self, rows: Iterable[Sequence[Any]]) -> JobRecord:
        """Metrics merged by step (a newer value replaces an older one), sorted."""
        by_step = {row[0]: row for row in self.metrics}
        for raw in rows:
            row = metric_row(raw)
            if row is not None:
                old = by_step.get(row[0])
                by_step[row[0]] = row if old is None else _merge_row(row, old)
        merged = tuple(by_step[s] for s in sorted(by_step))
        return self if merged == self.metrics else replace(self, metrics=merged)

    def with_events(self, events: Iterable[dict[str, Any]]) -> JobRecord:
        """Events merged without duplicates (same time, level and message), by time."""
        seen = {(e["time"], e["level"], e["message"]) for e in self.events}
        added = list(self.events)
        for raw in events:
            row = event_row(raw)
            if row is None:
                continue
            key = (row["time"], row["level"], row["message"])
            if key not in seen:
                seen.add(key)
                added.append(row)
        if len(added) == len(self.events):
            return self
        added.sort(key=lambda e: _time(e["time"]) or _now())
        total = self.total_steps
        for event in added:
            match = _STEP_OF.search(event["message"])
            if match:
                total = max(total or 0, int(match.group(2))) or None
        return replace(self, events=tuple(added), total_steps=total)

    # -- JSON ---------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = _iso(value)
            elif f.name == "metrics":
                value = [list(row) for row in value]
            elif f.name == "events":
                value = [dict(e) for e in value]
            elif isinstance(value, dict):
                value = dict(value)
            out[f.name] = value
        return out

    @classmethod
    def from_json(cls, data: Any) -> JobRecord:
        """A record from :meth:`to_json` output, tolerant of missing or mistyped values
        (they get their defaults). Raises ValueError without a client key or route."""
        if not isinstance(data, dict):
            raise ValueError("a job record must be a JSON object")
        key = data.get("client_key")
        route = data.get("route")
        if not isinstance(key, str) or not key:
            raise ValueError("a job record needs a client_key")
        if route not in ("hub", "openai"):
            raise ValueError(f"unknown route {route!r}")
        state = _str(data.get("state"), UPLOADING) or UPLOADING
        metrics = [metric_row(r) for r in data.get("metrics") or [] if isinstance(r, list)]
        events = [event_row(e) for e in data.get("events") or [] if isinstance(e, dict)]
        total = _int(data.get("total_steps"))
        return cls(
            client_key=key,
            created_at=_time(data.get("created_at")) or datetime.fromtimestamp(0, UTC),
            route="hub" if route == "hub" else "openai",
            place_id=_str(data.get("place_id")),
            place_name=_str(data.get("place_name")),
            location=_str(data.get("location")),
            base_model=_str(data.get("base_model")),
            model_name=_str(data.get("model_name")),
            settings=_dict(data.get("settings")),
            training_type=_opt_str(data.get("training_type")),
            data_version=_str(data.get("data_version")),
            training_sha256=_str(data.get("training_sha256")),
            validation_sha256=_opt_str(data.get("validation_sha256")),
            training_rows=_int(data.get("training_rows"), 0) or 0,
            validation_rows=_int(data.get("validation_rows"), 0) or 0,
            training_tokens=_int(data.get("training_tokens")),
            estimate=_dict(data.get("estimate")),
            job_id=_str(data.get("job_id")),
            state=state,
            raw_status=_str(data.get("raw_status")),
            error=_str(data.get("error")),
            service_error=_str(data.get("service_error")),
            fine_tuned_model=_str(data.get("fine_tuned_model")),
            finished_at=_time(data.get("finished_at")),
            trained_tokens=_int(data.get("trained_tokens")),
            uploaded_training_file=_str(data.get("uploaded_training_file")),
            uploaded_validation_file=_str(data.get("uploaded_validation_file")),
            submitted_at=_time(data.get("submitted_at")),
            metrics=tuple(sorted({r[0]: r for r in metrics if r is not None}.values())),
            events=tuple(e for e in events if e is not None),
            target=_str(data.get("target")),
            output_name=_str(data.get("output_name")),
            started_at=_time(data.get("started_at")),
            total_steps=total if total is not None and total > 0 else None,
            updated_at=_time(data.get("updated_at")),
        )


# ----------------------------------------------------------------------------- the history
def _no_copy(project: Project, client_key: str) -> FileProblem:
    return FileProblem(
        str(project.path),
        lazy.translate(
            "Jobs", "The project {name} has no copy of the files this training was given."
        ).format(name=project.path.name),
        lazy.translate(
            "Jobs",
            "It may have been made by an older TuneDesk. Train again to keep a copy.",
        ),
    )


class JobHistory(RecordHistory[JobRecord]):
    """The job records of one project (record kind ``"job"``, keyed by ``client_key``),
    newest first; every record stored is stamped with ``updated_at``.

    Thread-safe like :class:`Project` itself. ``add``/``update`` queue the change; pass
    ``flush=True`` (or call :meth:`flush`) when it must be on disk before going on, e.g.
    before an upload or a create request leaves. Flushing waits for the disk: call it off
    the UI thread.
    """

    def __init__(self, project: Project) -> None:
        super().__init__(project, RECORD_KIND, JobRecord, key=lambda r: r.client_key)

    def _stamp(self, record: JobRecord) -> JobRecord:
        return replace(record, updated_at=_now())

    def active(self) -> builtins.list[JobRecord]:
        """Records whose job is not finished (including ones not submitted yet)."""
        return [r for r in self.list() if not r.terminal]

    # -- exact copies of the files sent --------------------------------------------------
    def store_files(
        self, client_key: str, training: bytes, validation: bytes | None
    ) -> tuple[str, str | None]:
        """Keep the exact bytes sent (compressed); returns their SHA-256s. Compresses on the
        calling thread (about a second per 100 MB): call it off the UI thread."""
        project = self.project
        training_sha = project.put_file(RECORD_KIND, client_key, TRAINING_ROLE, training)
        validation_sha = None
        if validation is not None:
            validation_sha = project.put_file(RECORD_KIND, client_key, VALIDATION_ROLE, validation)
        return training_sha, validation_sha

    def has_files(self, client_key: str) -> bool:
        return self.project.file_info(RECORD_KIND, client_key, TRAINING_ROLE) is not None

    def training_file(self, client_key: str) -> bytes:
        """The exact training bytes sent (hash-checked). Raises FileProblem if missing."""
        data = self._file(client_key, TRAINING_ROLE)
        if data is None:
            raise _no_copy(self.project, client_key)
        return data

    def validation_file(self, client_key: str) -> bytes | None:
        """The exact validation bytes sent, or None when the job had no validation file."""
        return self._file(client_key, VALIDATION_ROLE)

    def _file(self, client_key: str, role: str) -> bytes | None:
        data = self.project.get_file(RECORD_KIND, client_key, role)
        record = self.get(client_key)
        if data is not None and record is not None:
            expected = (
                record.training_sha256
                if role == TRAINING_ROLE
                else (record.validation_sha256 or "")
            )
            if expected and hashlib.sha256(data).hexdigest() != expected:
                raise FileProblem(
                    str(self.project.path),
                    lazy.translate(
                        "Jobs",
                        "The copy of the training file kept in {name} is not the file this "
                        "training was given.",
                    ).format(name=self.project.path.name),
                    lazy.translate("Jobs", "Train again to keep a correct copy."),
                )
        return data
