"""One interface for both training routes, and the plain data they exchange with the UI.

Idempotent submission (a job is never submitted twice and never forgotten):

1. the caller makes a ``client_key`` (stable, stored in the project before submitting);
2. the route derives the job's name/tag from it and calls ``journal(JobRef)`` **before**
   sending the create request, so the project knows a job may exist;
3. the create request itself is never retried blindly by the SDK; after an ambiguous
   failure (dropped connection, timeout, 5xx, 429) the route looks the job up by its
   name/tag and adopts it, and only if it is not there sends the create again;
4. reopening the project calls ``find_job(client_key)`` to pick the job up again.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from tunedesk.cloud.errors import CloudError, NetworkProblem, Throttled
from tunedesk.core.i18n import Text, lazy

if TYPE_CHECKING:
    from tunedesk.core.deployments import DeploymentRecord

RouteName = Literal["hub", "openai"]


class JobState(StrEnum):
    """Normalised job states shown in the UI (``JobStatus.raw`` keeps the service's word)."""

    PREPARING = "preparing"       # uploaded, validating files, queued, starting
    RUNNING = "running"
    PAUSED = "paused"
    CANCELLING = "cancelling"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def terminal(self) -> bool:
        return self in (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


@dataclass(frozen=True, slots=True)
class Hyperparameters:
    """The three knobs people set (presets), plus optional seed and name suffix.

    ``None`` lets the service choose. The hub route maps them to its string keys (see
    ``HubServerlessRoute.hyperparameters``).
    """

    batch_size: int | None = None
    learning_rate_multiplier: float | None = None
    epochs: int | None = None
    seed: int | None = None
    suffix: str | None = None


@dataclass(frozen=True, slots=True)
class UploadedData:
    """Where the uploaded files are, in the form the route's submit expects."""

    training: str
    validation: str | None = None
    training_bytes: int = 0
    validation_bytes: int = 0


@dataclass(frozen=True, slots=True)
class JobRequest:
    client_key: str
    base_model: str                 # hub: registry asset id (versioned) or name; openai: name
    data: UploadedData
    hyperparameters: Hyperparameters = field(default_factory=Hyperparameters)
    display_name: str | None = None
    # openai route: a core.catalog.TrainingType ("standard" | "datazone" | "global" |
    # "developer"); None lets the route choose for the model and the resource's region.
    training_type: str | None = None


@dataclass(frozen=True, slots=True)
class JobRef:
    """What the project stores about a submitted (or about-to-be-submitted) job."""

    route: RouteName
    client_key: str
    job_id: str                     # hub: the job name; openai: "ftjob-..." ("" until known)
    target: str                     # workspace ARM id / resource endpoint
    base_model: str = ""
    output_name: str = ""           # hub: registered model name prefix

    def to_json(self) -> dict[str, str]:
        return {
            "route": self.route,
            "client_key": self.client_key,
            "job_id": self.job_id,
            "target": self.target,
            "base_model": self.base_model,
            "output_name": self.output_name,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JobRef:
        route = str(data["route"])
        if route not in ("hub", "openai"):
            raise ValueError(f"unknown route {route!r}")
        return cls(
            route="hub" if route == "hub" else "openai",
            client_key=str(data["client_key"]),
            job_id=str(data.get("job_id") or ""),
            target=str(data.get("target") or ""),
            base_model=str(data.get("base_model") or ""),
            output_name=str(data.get("output_name") or ""),
        )


@dataclass(frozen=True, slots=True)
class JobStatus:
    state: JobState
    raw: str                        # the service's own status string (e.g. "Running", "pending")
    error: Text | None = None       # plain words when failed
    service_error: str | None = None
    fine_tuned_model: str | None = None  # openai: model name; hub: registered model asset id
    created_at: datetime | None = None
    finished_at: datetime | None = None
    trained_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class JobEvent:
    time: datetime
    level: str                      # "info" | "warning" | "error"
    message: str                    # the service's text (not translated)
    kind: str = "message"           # "message" | "metrics" | "status"
    data: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class MetricPoint:
    step: int
    train_loss: float | None = None
    valid_loss: float | None = None
    train_accuracy: float | None = None
    valid_accuracy: float | None = None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    id: str
    model: str                      # deployable model name of the checkpoint
    step: int
    metrics: dict[str, float]


HOURLY_BILLING_NOTE = lazy.translate(
    "CloudDeploy",
    "A deployed model is billed for every hour it exists, even when nobody uses it. "
    "Delete the deployment when you are done testing.",
)


@dataclass(frozen=True, slots=True)
class Deployment:
    route: RouteName
    name: str
    model: str
    endpoint: str                   # scoring URI (hub) or resource endpoint (openai)
    state: str                      # provisioning state as reported
    target: str                     # workspace ARM id or resource endpoint
    billed_hourly: bool = True
    billing_note: Text | None = HOURLY_BILLING_NOTE
    key_account: str | None = None  # keyring account holding the endpoint key (hub)

    @classmethod
    def of(cls, record: DeploymentRecord) -> Deployment:
        """The deployment a project's :class:`~tunedesk.core.deployments.DeploymentRecord`
        names (to chat with it or delete it)."""
        return cls(
            route="hub" if record.route == "hub" else "openai",
            name=record.name,
            model=record.model,
            endpoint=record.endpoint,
            state=record.state,
            target=record.target,
            key_account=record.key_account or None,
        )


@dataclass(frozen=True, slots=True)
class BaseModelInfo:
    id: str                         # what JobRequest.base_model takes
    name: str
    route: RouteName
    description: str
    training_regions: tuple[str, ...]
    from_service: bool


@dataclass(frozen=True, slots=True)
class BaseModelList:
    models: tuple[BaseModelInfo, ...]
    from_service: bool
    note: Text | None = None        # why the bundled list is shown, and how old it is


ChatMessage = dict[str, str]        # {"role": "system"|"user"|"assistant", "content": "..."}
Journal = Callable[[JobRef], Awaitable[None] | None]
Progress = Callable[[int, int], None]  # (bytes done, bytes total); called on the event loop


@dataclass(frozen=True, slots=True)
class RetryWait:
    """The chat is waiting before trying again; ``message`` says so in plain words."""

    seconds: float
    attempt: int                    # 1 for the first retry
    max_attempts: int
    reason: CloudError              # Throttled, ServiceProblem or NetworkProblem

    @property
    def message(self) -> Text:
        seconds = max(1, math.ceil(self.seconds))
        if isinstance(self.reason, Throttled):
            return lazy.translate("CloudChat", "Azure is busy, retrying in {seconds} s.").format(
                seconds=seconds
            )
        if isinstance(self.reason, NetworkProblem):
            return lazy.translate(
                "CloudChat", "Could not reach Azure, retrying in {seconds} s."
            ).format(seconds=seconds)
        return lazy.translate(
            "CloudChat", "Azure had a problem, retrying in {seconds} s."
        ).format(seconds=seconds)


OnWait = Callable[[RetryWait], None]  # called on the event loop, before each wait
OnUsage = Callable[[int, int], None]  # (prompt tokens, completion tokens) Azure reported


@runtime_checkable
class ChatClient(Protocol):
    """Both raise ``ContentFiltered`` when Azure's filter blocked the question or stopped
    the answer (``stream`` after yielding what arrived), and report each wait before a
    retry to ``on_wait``; cancelling the awaiting task stops a wait at once.
    ``temperature`` None: the client's own (or the service's default). ``on_usage``: called
    once with the tokens Azure reports for the request, when the answer has arrived (not
    at all when the service reports none, e.g. a stream cut short)."""

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        on_wait: OnWait | None = None,
        on_usage: OnUsage | None = None,
    ) -> AsyncIterator[str]:
        """An async generator: ``async for piece in chat.stream(messages)``."""
        ...

    async def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        on_wait: OnWait | None = None,
        on_usage: OnUsage | None = None,
    ) -> str: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class TrainingRoute(Protocol):
    """Both routes implement this; the Train/Deploy/Chat pages only see this interface."""

    name: RouteName

    async def list_base_models(self) -> BaseModelList: ...

    async def upload(
        self, train_path: str, validation_path: str | None, progress: Progress | None = None
    ) -> UploadedData: ...

    async def submit(self, request: JobRequest, journal: Journal) -> JobRef: ...

    async def find_job(
        self,
        client_key: str,
        *,
        training_file: str | None = None,
        submitted_after: datetime | None = None,
    ) -> JobRef | None:
        """The job submitted with ``client_key``; where the service keeps no tag, the job
        trained on ``training_file`` and created after ``submitted_after``."""
        ...

    async def status(self, job: JobRef) -> JobStatus: ...

    async def events(self, job: JobRef) -> list[JobEvent]: ...

    async def metrics(self, job: JobRef) -> list[MetricPoint]: ...

    async def cancel(self, job: JobRef) -> None: ...

    async def checkpoints(self, job: JobRef) -> list[Checkpoint]: ...

    async def deploy(
        self,
        job: JobRef,
        name: str,
        *,
        sku: str | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> Deployment:
        """Deploy the job's model (or ``checkpoint``) as ``name``; ``sku`` None is the
        place's default deployment type."""
        ...

    async def delete_deployment(self, deployment: Deployment) -> None: ...

    async def chat(self, deployment: Deployment) -> ChatClient: ...

    async def aclose(self) -> None: ...


# ----------------------------------------------------------------------------- helpers
_KEY_CHARS = re.compile(r"[^a-z0-9-]+")


def safe_key(client_key: str, limit: int = 40) -> str:
    """A client key usable in job/model/deployment names (lower-case, a-z 0-9 and -)."""
    cleaned = _KEY_CHARS.sub("-", client_key.lower()).strip("-")
    if not cleaned:
        raise ValueError("client_key must contain letters or digits")
    return cleaned[:limit]


async def call_journal(journal: Journal, ref: JobRef) -> None:
    result = journal(ref)
    if inspect.isawaitable(result):
        await result


def from_epoch(value: Any) -> datetime | None:
    if value in (None, "", 0, -1):
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (TypeError, ValueError, OSError):
        return None
