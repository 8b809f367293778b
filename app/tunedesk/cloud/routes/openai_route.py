"""Azure OpenAI / Foundry resource route (``openai`` package, async client).

The data plane is Azure OpenAI's **v1 API** at ``{endpoint}/openai/v1/`` (no api-version):
files, fine_tuning jobs/events/checkpoints, models and chat completions. It is GA on Foundry
resources and on classic Azure OpenAI accounts alike (Microsoft Learn, "Azure OpenAI in
Microsoft Foundry Models v1 API", learn.microsoft.com/azure/foundry/openai/api-version-lifecycle:
"A Foundry resource or Azure OpenAI resource"; base_url ``https://NAME.openai.azure.com/openai/v1/``;
"OpenAI client support for token-based authentication and automatic token refresh"), so the
plain ``openai.AsyncOpenAI`` client is used with ``api_key`` = the key or an async Entra token
provider. A dated ``api_version`` can still be given for the older ``/openai/...`` paths.

Quirks handled (AZURE.md 2):
* statuses beyond openai's typing: ``pending``, ``paused``/``resuming`` (Developer tier) and
  anything unknown count as in progress;
* ``-1`` placeholders in hyperparameters and results.csv mean "missing";
* results.csv column names are read from the header (``validation_mean_token_accuracy``
  in the docs vs ``valid_mean_token_accuracy`` in checkpoint metrics);
* ``trainingType`` is always sent on job create (Azure's extension of the request);
* the create call is sent with ``max_retries=0``; after an ambiguous failure the job is
  looked up by its ``metadata.tunedesk_key`` tag, or (a service that drops metadata) by our
  uploaded training file and its creation time, and adopted.
Deployments go through ARM (control plane), so they need a Microsoft sign-in.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tunedesk.cloud.auth import ApiKeyAuth, AuthSession, openai_scope
from tunedesk.cloud.chat import OpenAIChatClient
from tunedesk.cloud.discovery import API_COGNITIVE, AIResource, Discovery
from tunedesk.cloud.errors import (
    CloudError,
    ErrorContext,
    FileRejected,
    JobNotFinished,
    NeedsMicrosoftSignIn,
    ResourceMissing,
    Throttled,
    is_ambiguous,
    scope_resource,
    thing_job,
    to_user_error,
)
from tunedesk.cloud.executor import run_sync
from tunedesk.cloud.net import async_http_client
from tunedesk.cloud.routes.base import (
    HOURLY_BILLING_NOTE,
    BaseModelInfo,
    BaseModelList,
    ChatClient,
    Checkpoint,
    Deployment,
    JobEvent,
    JobRef,
    JobRequest,
    JobState,
    JobStatus,
    Journal,
    MetricPoint,
    Progress,
    RouteName,
    UploadedData,
    call_journal,
    from_epoch,
)
from tunedesk.cloud.secrets import SecretStore
from tunedesk.core.catalog import load_catalog
from tunedesk.core.i18n import Text, lazy

log = logging.getLogger(__name__)

# The v1 API path (api-version-lifecycle, see the module docstring); no api-version query.
V1_PATH = "/openai/v1/"
# The dated version for OpenAIRoute(api_version=...): the REST docs pair trainingType with
# it (azure-ai-docs articles/ai-foundry/openai/includes/fine-tuning-rest.md; AZURE.md 2.3).
DATED_API_VERSION = "2025-04-01-preview"
API_VERSION = DATED_API_VERSION  # kept for callers that named the old constant
TAG = "tunedesk_key"
# Suffix: "A string of up to 40 characters that will be added to your fine-tuned model name"
# (the OpenAI fine-tuning API reference's FineTuneRequest.suffix, as issue 12 states; openai
# 3.x's docstring now says 64, Azure's older how-to said 18). 40 is what we send at most.
SUFFIX_MAX = 40
# Find a job after a dropped create without metadata: its created_at (whole seconds, the
# service's clock) may be a little before our own clock said we sent it.
CLOCK_SKEW_SECONDS = 120.0
FIND_MAX_JOBS = 500
# trainingType on job create, by core.catalog.TrainingType. "globalstandard": AZURE.md 2.3
# ([AOAI-REST], fine-tuning-rest.md, "trainingType": "globalstandard"); "standard" and
# "developer": Microsoft's fine-tuning how-to (fine-tuning-python.md / fine-tune-test.md:
# Standard, Global and Developer training tiers). "datazonestandard" follows the Data Zone
# deployment type's name (DataZoneStandard); no Microsoft example of it was found.
TRAINING_TYPES: dict[str, str] = {
    "standard": "standard",
    "global": "globalstandard",
    "datazone": "datazonestandard",
    "developer": "developer",
}
# Deployment SKUs (ARM accounts/deployments sku.name; Microsoft Learn "Deploy a fine-tuned
# model for inferencing" (fine-tuning-deploy.md) and "Deploy a fine-tuned model for testing"
# (fine-tune-test.md): "standard", "GlobalStandard", "developertier" with capacity 50).
SKU_STANDARD = "standard"
SKU_GLOBAL_STANDARD = "GlobalStandard"
SKU_DEVELOPER = "developertier"
DEVELOPER_CAPACITY = 50
# A Developer deployment is created with this ARM api-version (fine-tune-test.md's REST and
# Python tabs; AZURE.md 2.4); the others with discovery.API_COGNITIVE.
API_DEVELOPER_DEPLOYMENT = "2025-07-01-preview"
# Standard (regional) deployment of fine-tuned models is offered only here (issue 12 and the
# catalog's note from fine-tuning-deploy.md's region table); elsewhere Global Standard and
# Developer.
STANDARD_DEPLOYMENT_REGIONS = frozenset({"eastus2", "northcentralus", "swedencentral"})
SUBMIT_ATTEMPTS = 4
FILE_WAIT_SECONDS = 1800.0
FILE_POLL_SECONDS = 2.0
DEPLOY_POLL_SECONDS = 2.0
DEPLOY_WAIT_SECONDS = 3600.0

_EPOCH = datetime.fromtimestamp(0, UTC)
_PREPARING = {"validating_files", "queued", "pending", "notrunning", "created", "preprocessing"}
_STATES = {
    "running": JobState.RUNNING,
    "paused": JobState.PAUSED,
    "pausing": JobState.PAUSED,
    "resuming": JobState.RUNNING,
    "cancelling": JobState.CANCELLING,
    "canceling": JobState.CANCELLING,
    "succeeded": JobState.SUCCEEDED,
    "failed": JobState.FAILED,
    "cancelled": JobState.CANCELLED,
    "canceled": JobState.CANCELLED,
}


def normalize_status(raw: str | None) -> JobState:
    value = (raw or "").strip().lower()
    if value in _PREPARING:
        return JobState.PREPARING
    return _STATES.get(value, JobState.RUNNING)  # unknown: still in progress


def deployment_skus(location: str, *, developer: bool) -> tuple[str, ...]:
    """The deployment SKUs a fine-tuned model can use in ``location``; the first is the
    default (Standard where it is offered, else Global Standard). ``developer``: the model
    can have a Developer deployment (no hourly fee, deleted after 24 hours)."""
    where = location.replace(" ", "").lower()
    skus = [SKU_STANDARD] if where in STANDARD_DEPLOYMENT_REGIONS else []
    skus.append(SKU_GLOBAL_STANDARD)
    if developer:
        skus.append(SKU_DEVELOPER)
    return tuple(skus)


def choose_training_type(model: str, location: str, requested: str | None = None) -> str:
    """The trainingType to send (the wire value, see :data:`TRAINING_TYPES`).

    ``requested`` (a catalog TrainingType) wins. Otherwise Global where the catalog allows
    it in ``location`` (or anywhere, when the location is unknown), else Standard.
    """
    if requested:
        key = requested.strip().lower()
        return TRAINING_TYPES.get(key, key)
    base = load_catalog().get(model)
    if base is not None and (
        base.can_train_globally_in(location) or (not location and base.global_training)
    ):
        return TRAINING_TYPES["global"]
    return TRAINING_TYPES["standard"]


def clean_suffix(suffix: str | None) -> str | None:
    if not suffix:
        return None
    cleaned = re.sub(r"[^a-z0-9-]+", "-", suffix.lower()).strip("-")[:SUFFIX_MAX].strip("-")
    return cleaned or None


def _number(value: Any) -> float | None:
    """A metric value; Azure's ``-1`` placeholder and blanks are None."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number == -1:
        return None
    return number


def _first(row: dict[str, Any], *names: str) -> float | None:
    for name in names:
        if name in row:
            value = _number(row[name])
            if value is not None:
                return value
    return None


def _point(row: dict[str, Any]) -> MetricPoint | None:
    step = _number(row.get("step"))
    if step is None:
        return None
    return MetricPoint(
        step=int(step),
        train_loss=_first(row, "train_loss"),
        valid_loss=_first(row, "valid_loss", "validation_loss", "full_valid_loss"),
        train_accuracy=_first(row, "train_mean_token_accuracy"),
        valid_accuracy=_first(
            row,
            "valid_mean_token_accuracy",
            "validation_mean_token_accuracy",
            "full_valid_mean_token_accuracy",
        ),
    )


def parse_results_csv(text: str) -> list[MetricPoint]:
    """Loss/accuracy per step from ``results.csv`` (columns found by their header names)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    points = []
    for row in reader:
        normal = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
        point = _point(normal)
        if point is not None:
            points.append(point)
    return points


class _ProgressReader(io.RawIOBase):
    """A file object that reports how much of it has been read (upload progress)."""

    def __init__(self, path: Path, progress: Progress | None) -> None:
        self._file = path.open("rb")
        self._total = path.stat().st_size
        self._done = 0
        self._progress = progress
        self.name = path.name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._file.readinto(buffer)
        if count:
            self._done += count
            if self._progress is not None:
                self._progress(self._done, self._total)
        return count or 0

    def close(self) -> None:
        self._file.close()
        super().close()


class OpenAIRoute:
    """Fine-tuning on an Azure OpenAI or AI Services resource."""

    name: RouteName = "openai"

    def __init__(
        self,
        endpoint: str,
        auth: AuthSession | ApiKeyAuth,
        store: SecretStore,
        *,
        resource: AIResource | None = None,
        discovery: Discovery | None = None,
        location: str | None = None,
        api_version: str | None = None,
        timeout: float = 120.0,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.auth = auth
        self.store = store
        self.resource = resource
        self.discovery = discovery
        self.location = (location or (resource.location if resource else "") or "").lower()
        self.api_version = api_version  # None: the v1 API
        self.timeout = timeout
        self._client: Any = None
        self._lock = asyncio.Lock()
        scope = scope_resource(resource.name if resource else self.endpoint)
        self._ctx = ErrorContext(
            route="openai",
            scope=scope,
            region=self.location or None,
            api_key=isinstance(auth, ApiKeyAuth),
        )

    # -- clients -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """Where the v1 API of this resource is (``{endpoint}/openai/v1/``)."""
        return self.endpoint + V1_PATH

    async def _make_client(self) -> Any:
        import openai

        key: str | None = None
        provider: Any = None
        if isinstance(self.auth, ApiKeyAuth):
            key = await self.auth.key(self.store)
        else:
            tenant = self.resource.tenant_id if self.resource else None
            provider = self.auth.async_token_provider(openai_scope(self.endpoint), tenant)
        if self.api_version:
            # Dated API (/openai/...?api-version=): key in ``api-key``, or Entra bearer.
            dated: dict[str, Any] = {
                "azure_endpoint": self.endpoint,
                "api_version": self.api_version,
                "timeout": self.timeout,
            }
            if key is not None:
                dated["api_key"] = key
            else:
                dated["azure_ad_token_provider"] = provider
            dated["http_client"] = await run_sync(async_http_client)
            # Built on a worker: the client's httpx transport loads the trust store and
            # makes an SSL context (tens of ms; bench/upload.py saw the loop stall here).
            return await run_sync(lambda: openai.AsyncAzureOpenAI(**dated))
        # v1: OpenAI(base_url=..., api_key=KEY or token provider) as the v1 docs show; a key
        # travels as "Authorization: Bearer <key>" (the docs' own key example), a token
        # provider is called before each request (openai's async api_key callable).
        v1: dict[str, Any] = {
            "base_url": self.base_url,
            "api_key": key if key is not None else provider,
            "timeout": self.timeout,
            "http_client": await run_sync(async_http_client),
        }
        return await run_sync(lambda: openai.AsyncOpenAI(**v1))

    async def client(self) -> Any:
        async with self._lock:
            if self._client is None:
                self._client = await self._make_client()
            return self._client

    def _raise(self, exc: Exception, **ctx_changes: Any) -> None:
        ctx = replace(self._ctx, **ctx_changes) if ctx_changes else self._ctx
        mapped = to_user_error(exc, ctx)
        if mapped is None:
            raise exc
        raise mapped from exc

    async def _call(self, coro_factory: Any, **ctx_changes: Any) -> Any:
        try:
            return await coro_factory()
        except CloudError:
            raise
        except Exception as exc:  # noqa: BLE001 - _raise maps it or re-raises it unchanged
            self._raise(exc, **ctx_changes)

    # -- models --------------------------------------------------------------------------
    async def list_base_models(self) -> BaseModelList:
        catalog = load_catalog()
        try:
            client = await self.client()
            page = await client.models.list()
            found: list[BaseModelInfo] = []
            async for model in page:
                data = model.model_dump() if hasattr(model, "model_dump") else dict(model)
                caps = data.get("capabilities") or {}
                if not caps.get("fine_tune"):
                    continue
                known = catalog.get(str(data["id"]))
                found.append(
                    BaseModelInfo(
                        id=str(data["id"]),
                        name=known.display_name if known else str(data["id"]),
                        route="openai",
                        description=known.description if known else "",
                        training_regions=known.training_regions if known else (),
                        from_service=True,
                    )
                )
            if found:
                return BaseModelList(tuple(found), True)
        except Exception as exc:  # any failure: show the bundled list instead (bugs re-raised)
            if to_user_error(exc, self._ctx) is None and not isinstance(exc, CloudError):
                raise
            log.info("Model list unavailable from the service: %s", type(exc).__name__)
        return BaseModelList(
            tuple(
                BaseModelInfo(
                    m.id, m.display_name, "openai", m.description, m.training_regions, False
                )
                for m in catalog.for_route("openai")
            ),
            False,
            _catalog_note(catalog.checked.isoformat()),
        )

    # -- files ---------------------------------------------------------------------------
    async def _upload_one(self, path: str, progress: Progress | None) -> tuple[str, int]:
        client = await self.client()
        file_path = Path(path)
        reader = await run_sync(_ProgressReader, file_path, progress)
        try:
            created = await self._call(
                lambda: client.files.create(
                    file=(file_path.name, reader, "application/jsonl"), purpose="fine-tune"
                )
            )
        finally:
            reader.close()
        file_id = str(created.id)
        await self._wait_processed(file_id)
        return file_id, int(created.bytes or 0)

    async def _wait_processed(self, file_id: str) -> None:
        client = await self.client()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + FILE_WAIT_SECONDS
        while True:
            info = await self._call(lambda: client.files.retrieve(file_id))
            status = str(info.status or "").lower()
            if status == "processed":
                return
            if status in {"error", "failed", "deleted"}:
                reason = str(getattr(info, "status_details", None) or status)
                raise FileRejected(reason, service_message=reason)
            if loop.time() > deadline:
                return  # let the job creation report it if the file is still not ready
            await asyncio.sleep(FILE_POLL_SECONDS)

    async def upload(
        self, train_path: str, validation_path: str | None, progress: Progress | None = None
    ) -> UploadedData:
        paths = [train_path] + ([validation_path] if validation_path else [])
        sizes = await run_sync(lambda: [Path(p).stat().st_size for p in paths])
        total = sum(sizes)

        def part(offset: int) -> Progress | None:
            if progress is None:
                return None
            return lambda done, _total: progress(offset + done, total)

        train_id, train_bytes = await self._upload_one(train_path, part(0))
        valid_id, valid_bytes = None, 0
        if validation_path:
            valid_id, valid_bytes = await self._upload_one(validation_path, part(sizes[0]))
        if progress is not None:
            progress(total, total)
        return UploadedData(train_id, valid_id, train_bytes, valid_bytes)

    # -- jobs ----------------------------------------------------------------------------
    def _create_args(self, request: JobRequest) -> dict[str, Any]:
        hp = request.hyperparameters
        hyper: dict[str, Any] = {}
        if hp.epochs is not None:
            hyper["n_epochs"] = hp.epochs
        if hp.batch_size is not None:
            hyper["batch_size"] = hp.batch_size
        if hp.learning_rate_multiplier is not None:
            hyper["learning_rate_multiplier"] = hp.learning_rate_multiplier
        args: dict[str, Any] = {
            "model": request.base_model,
            "training_file": request.data.training,
            "metadata": {TAG: request.client_key},
            "method": {"type": "supervised", "supervised": {"hyperparameters": hyper}},
        }
        if request.data.validation:
            args["validation_file"] = request.data.validation
        if hp.seed is not None:
            args["seed"] = hp.seed
        suffix = clean_suffix(hp.suffix)
        if suffix:
            args["suffix"] = suffix
        # Always say how to train: Azure's extension of the create request (AZURE.md 2.3).
        training_type = choose_training_type(
            request.base_model, self.location, request.training_type
        )
        args["extra_body"] = {"trainingType": training_type}
        return args

    async def _find(
        self,
        client_key: str,
        training_file: str | None = None,
        submitted_after: datetime | None = None,
    ) -> Any:
        """The job tagged with ``client_key``; else (a service that keeps no metadata: the
        dated specs have none) the untagged job trained on our ``training_file`` and created
        after ``submitted_after``. Jobs come newest first."""
        client = await self.client()
        after = submitted_after.timestamp() - CLOCK_SKEW_SECONDS if submitted_after else None

        async def search() -> Any:
            # The metadata filter narrows the list where the service knows it; a service that
            # ignores it lists every job, so each one is still checked here.
            page = await client.fine_tuning.jobs.list(limit=100, metadata={TAG: client_key})
            seen = 0
            async for job in page:
                seen += 1
                meta = getattr(job, "metadata", None) or {}
                if meta.get(TAG) == client_key:
                    return job
                created = float(getattr(job, "created_at", 0) or 0)
                if after is not None and created and created < after:
                    return None  # older than the submission: it cannot be ours
                if training_file and TAG not in meta and job.training_file == training_file:
                    return job
                if seen >= FIND_MAX_JOBS:
                    return None
            return None

        return await self._call(search)

    async def find_job(
        self,
        client_key: str,
        *,
        training_file: str | None = None,
        submitted_after: datetime | None = None,
    ) -> JobRef | None:
        job = await self._find(client_key, training_file, submitted_after)
        if job is None:
            return None
        return JobRef("openai", client_key, str(job.id), self.endpoint, str(job.model))

    async def submit(self, request: JobRequest, journal: Journal) -> JobRef:
        ref = JobRef("openai", request.client_key, "", self.endpoint, request.base_model)
        await call_journal(journal, ref)  # the project knows a job may exist
        submitted_at = datetime.now(UTC)
        # Before creating: a job an earlier attempt created (our uploaded file is unique).
        existing = await self._find(request.client_key, request.data.training)
        if existing is not None:
            adopted = replace(ref, job_id=str(existing.id))
            await call_journal(journal, adopted)
            return adopted
        client = await self.client()
        once = await run_sync(lambda: client.with_options(max_retries=0))  # off the loop too
        args = self._create_args(request)
        ctx = {"model": request.base_model}
        last: Exception | None = None
        for attempt in range(SUBMIT_ATTEMPTS):
            try:
                job = await once.fine_tuning.jobs.create(**args)
            except Exception as exc:  # noqa: BLE001 - mapped/re-raised unless ambiguous
                if not is_ambiguous(exc):
                    self._raise(exc, **ctx)
                last = exc
                found = await self._find_quietly(request, submitted_at)
                if found is not None:
                    job = found
                    break
                await asyncio.sleep(_backoff(exc, attempt))
                continue
            break
        else:
            assert last is not None
            self._raise(last, **ctx)
            raise AssertionError("unreachable")
        adopted = replace(ref, job_id=str(job.id))
        await call_journal(journal, adopted)
        return adopted

    async def _find_quietly(self, request: JobRequest, submitted_at: datetime) -> Any:
        """Look the job up after an ambiguous create failure, retrying the lookup itself.

        None only when a lookup answered that the job is not there; when every lookup
        failed, its error is raised: the create may have arrived, so it is not sent again
        (the journaled job is looked up again later, by ``find_job``).
        """
        last: CloudError | None = None
        for attempt in range(3):
            try:
                return await self._find(request.client_key, request.data.training, submitted_at)
            except CloudError as err:
                if not err.retryable:
                    raise
                last = err
                if attempt < 2:
                    await asyncio.sleep(_backoff(err, attempt))
        assert last is not None
        raise last

    async def _retrieve(self, job: JobRef) -> Any:
        if not job.job_id:
            found = await self._find(job.client_key)
            if found is None:
                raise ResourceMissing(thing_job(job.client_key))
            return found
        client = await self.client()
        return await self._call(
            lambda: client.fine_tuning.jobs.retrieve(job.job_id), what=thing_job(job.job_id)
        )

    async def status(self, job: JobRef) -> JobStatus:
        data = await self._retrieve(job)
        raw = str(data.status or "")
        state = normalize_status(raw)
        error_text: Text | None = None
        service_error: str | None = None
        err = getattr(data, "error", None)
        if state is JobState.FAILED:
            message = str(getattr(err, "message", "") or "") if err else ""
            service_error = message or None
            error_text = _failure_text(message)
        return JobStatus(
            state=state,
            raw=raw,
            error=error_text,
            service_error=service_error,
            fine_tuned_model=str(data.fine_tuned_model) if data.fine_tuned_model else None,
            created_at=from_epoch(data.created_at),
            finished_at=from_epoch(getattr(data, "finished_at", None)),
            trained_tokens=(
                int(data.trained_tokens)
                if getattr(data, "trained_tokens", None) not in (None, -1)
                else None
            ),
        )

    async def events(self, job: JobRef) -> list[JobEvent]:
        client = await self.client()
        job_id = job.job_id or (await self._retrieve(job)).id

        async def fetch() -> list[JobEvent]:
            page = await client.fine_tuning.jobs.list_events(job_id, limit=100)
            out = []
            async for ev in page:
                out.append(
                    JobEvent(
                        time=from_epoch(ev.created_at) or _EPOCH,
                        level="warning" if ev.level == "warn" else str(ev.level),
                        message=str(ev.message),
                        kind=str(getattr(ev, "type", None) or "message"),
                        data=dict(ev.data) if isinstance(getattr(ev, "data", None), dict) else None,
                    )
                )
            # The service lists newest first; oldest first here, and events of the same
            # second (whole-second timestamps) keep the order they happened in.
            out.reverse()
            out.sort(key=lambda e: e.time)
            return out

        result: list[JobEvent] = await self._call(fetch)
        return result

    async def metrics(self, job: JobRef) -> list[MetricPoint]:
        data = await self._retrieve(job)
        client = await self.client()
        files = list(getattr(data, "result_files", None) or [])
        if files:
            content = await self._call(lambda: client.files.content(files[0]))
            text = content.text if hasattr(content, "text") else content.read().decode()
            points = parse_results_csv(str(text))
            if points:
                return points
        # While running: the metrics events (newest first from the service).
        points_by_step: dict[int, MetricPoint] = {}
        for ev in await self.events(job):
            if ev.kind == "metrics" and ev.data:
                point = _point({str(k).lower(): v for k, v in ev.data.items()})
                if point is not None:
                    points_by_step[point.step] = point
        return [points_by_step[s] for s in sorted(points_by_step)]

    async def cancel(self, job: JobRef) -> None:
        client = await self.client()
        data = await self._retrieve(job)
        if normalize_status(str(data.status)).terminal:
            return
        await self._call(lambda: client.fine_tuning.jobs.cancel(str(data.id)))

    async def checkpoints(self, job: JobRef) -> list[Checkpoint]:
        client = await self.client()
        job_id = job.job_id or str((await self._retrieve(job)).id)

        async def fetch() -> list[Checkpoint]:
            page = await client.fine_tuning.jobs.checkpoints.list(job_id)
            out = []
            async for cp in page:
                metrics = cp.metrics.model_dump() if cp.metrics is not None else {}
                out.append(
                    Checkpoint(
                        id=str(cp.id),
                        model=str(cp.fine_tuned_model_checkpoint),
                        step=int(cp.step_number),
                        metrics={k: float(v) for k, v in metrics.items() if _number(v) is not None},
                    )
                )
            out.sort(key=lambda c: c.step)
            return out

        result: list[Checkpoint] = await self._call(fetch)
        return result

    # -- deployments ---------------------------------------------------------------------
    def _deployment_url(self, name: str) -> str:
        if self.resource is None or self.discovery is None:
            raise NeedsMicrosoftSignIn()
        return f"{self.resource.id}/deployments/{name}"

    def deployment_skus(self, base_model: str = "") -> tuple[str, ...]:
        """:func:`deployment_skus` for this resource's region and ``base_model``."""
        base = load_catalog().get(base_model) if base_model else None
        # Developer deployments: the GPT-4.1 family (fine-tune-test.md), the models the
        # catalog marks with Developer training.
        developer = bool(base is not None and base.developer_training)
        return deployment_skus(self.location, developer=developer)

    async def deploy(
        self,
        job: JobRef,
        name: str,
        *,
        sku: str | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> Deployment:
        """Deploy the fine-tuned model (or ``checkpoint``) under ``name``.

        ``sku`` None: this region's default (:func:`deployment_skus`). A checkpoint is
        deployed by its ``ftchkpt-…`` id (fine-tuning-deploy.md: the deployment's model name
        is the fine-tuned model or the checkpoint id; AZURE.md 2.4). ``developertier`` has no
        hourly hosting fee but is deleted after 24 hours.
        """
        self._deployment_url(name)  # a Microsoft sign-in is needed before anything is asked
        if checkpoint is not None:
            model = checkpoint.id
        else:
            status = await self.status(job)
            if status.state is not JobState.SUCCEEDED or not status.fine_tuned_model:
                raise JobNotFinished()
            model = status.fine_tuned_model
        if sku is None:
            sku = self.deployment_skus(job.base_model)[0]
        return await self._put_deployment(name, model, "OpenAI", "1", sku)

    async def deploy_base(self, name: str, model: str, *, sku: str | None = None) -> Deployment:
        """Deploy the base model ``model`` itself (to compare the tuned one with it).

        Billed per token, not per hour (Foundry Models pricing: serverless base models). The
        model's format is its publisher's name in the Foundry catalog ("OpenAI", "Mistral
        AI", "Meta", "Microsoft", "Alibaba" — the deployment's ``properties.model.format``
        in the Cognitive Services deployments spec); the bundled catalog knows the publisher.
        """
        base = load_catalog().get(model)
        model_format = base.publisher if base is not None and base.publisher else "OpenAI"
        return await self._put_deployment(
            name, model, model_format, "1", sku or SKU_GLOBAL_STANDARD, base_model=True
        )

    async def _put_deployment(
        self,
        name: str,
        model: str,
        model_format: str,
        version: str,
        sku: str,
        *,
        base_model: bool = False,
    ) -> Deployment:
        url = self._deployment_url(name)
        assert self.discovery is not None
        developer = sku.lower() == SKU_DEVELOPER
        capacity = DEVELOPER_CAPACITY if developer else 1
        body = {
            "sku": {"name": sku, "capacity": capacity},
            "properties": {"model": {"format": model_format, "name": model, "version": version}},
        }
        ctx = replace(self._ctx, route="openai", api_key=False)
        last: CloudError | None = None
        for attempt in range(SUBMIT_ATTEMPTS):
            try:
                # PUT is idempotent by name; retries off so we verify before repeating.
                await self.discovery.request(
                    "PUT",
                    url,
                    api_version=API_DEVELOPER_DEPLOYMENT if developer else API_COGNITIVE,
                    body=body,
                    retry=False,
                    ctx=ctx,
                )
                break
            except CloudError as err:
                if not err.retryable:
                    raise
                last = err
                current = await self._get_deployment(url, ctx)
                if current is not None:
                    break
                await asyncio.sleep(_backoff(err, attempt))
        else:
            assert last is not None
            raise last
        state = await self._wait_deployed(url, ctx)
        hourly = not developer and not base_model
        return Deployment(
            route="openai",
            name=name,
            model=model,
            endpoint=self.endpoint,
            state=state,
            target=self.endpoint,
            billed_hourly=hourly,
            billing_note=None if not hourly else _hourly_note(),
        )

    async def _get_deployment(self, url: str, ctx: ErrorContext) -> Any:
        assert self.discovery is not None
        try:
            return await self.discovery.request("GET", url, api_version=API_COGNITIVE, ctx=ctx)
        except ResourceMissing:
            return None

    async def _wait_deployed(self, url: str, ctx: ErrorContext) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + DEPLOY_WAIT_SECONDS
        while True:
            data = await self._get_deployment(url, ctx) or {}
            state = str((data.get("properties") or {}).get("provisioningState") or "")
            if state.lower() in {"succeeded", "failed", "canceled"} or loop.time() > deadline:
                return state
            await asyncio.sleep(DEPLOY_POLL_SECONDS)

    async def delete_deployment(self, deployment: Deployment) -> None:
        url = self._deployment_url(deployment.name)
        assert self.discovery is not None
        try:
            await self.discovery.request(
                "DELETE", url, api_version=API_COGNITIVE, ctx=replace(self._ctx, api_key=False)
            )
        except ResourceMissing:
            return

    async def chat(self, deployment: Deployment) -> ChatClient:
        """A chat client of its own (closing it leaves the route's client open)."""
        client = await self._make_client()
        return OpenAIChatClient(deployment.name, [lambda: client], self._ctx)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


def _backoff(exc: BaseException, attempt: int) -> float:
    err = exc if isinstance(exc, CloudError) else to_user_error(exc)
    if isinstance(err, Throttled):
        return min(err.retry_after, 60.0)
    return min(0.5 * 2.0**attempt, 8.0)


def _catalog_note(checked: str) -> Text:
    return lazy.translate(
        "CloudModels",
        "Azure could not be asked for its current list of models, so this is the list that "
        "came with TuneDesk (last checked on {date}). Some models may no longer be offered.",
    ).format(date=checked)


def _hourly_note() -> Text:
    return HOURLY_BILLING_NOTE


def _failure_text(message: str) -> Text:
    if message:
        return lazy.translate("CloudJobs", "The training failed: {reason}").format(reason=message)
    return lazy.translate("CloudJobs", "The training failed. Azure did not say why.")
