"""Foundry hub route ("classic"): serverless (MaaS) fine-tuning with ``azure-ai-ml`` (AZURE.md 1).

The Foundry-resource route (``openai_route``) is the current one; this route stays for the
models that still train only in a hub-based project (the Phi-4 family, AZURE.md 1.10).

azure-ai-ml is synchronous: every MLClient call runs on the dedicated SDK pool, never on the
calling thread. Quirks handled:

* ``create_finetuning_job`` crashes without validation data (azure-ai-ml 1.35.2,
  Azure/azure-sdk-for-python#45771), so the ``CustomModelFineTuningJob`` is built here;
* ``JobStatus`` is a str Enum: ``.value`` is used, never ``str()``;
* a marketplace subscription is created only for non-Microsoft models (not for the
  ``azureml`` registry's Phi family); "already exists" counts as done;
* ``ServerlessEndpoint.location`` is set from the workspace so the SDK does not look it up;
* the create call uses an MLClient whose pipeline has retries off (``retry_total=0``);
  after an ambiguous failure the job is looked up by its name and adopted;
* serverless chat: the documented raw key in ``Authorization`` first, ``Bearer`` on 401.

Hyperparameters (issue 12)
--------------------------
People set the three knobs of the portal and of Azure OpenAI: batch size, learning-rate
multiplier and epochs. What a hub serverless job honours:

* ``fineTuningDetails.hyperParameters`` is a ``dict[str, str]`` ("HyperParameters for fine
  tuning custom model") whose keys the SDK does not check (azure-ai-ml 1.35.2
  ``_restclient/arm_ml_service/models/_models.py`` ``CustomModelFineTuning``, generated
  from azure-rest-api-specs ``specification/machinelearningservices``; AZURE.md 1.5);
* every public SDK/CLI example of a serverless job uses the Hugging Face ``TrainingArguments``
  keys ``per_device_train_batch_size``, ``learning_rate`` (``"0.00002"``) and
  ``num_train_epochs``: Azure/azureml-examples
  ``sdk/python/jobs/finetuning/standalone/model-as-a-service/chat-completion/
  chat_completion_with_model_as_service.ipynb``, ``cli/jobs/finetuning/standalone/
  model-as-a-service/chat-completion/chat-completion-finetuning.yaml`` and the "Sample CLI"
  of Microsoft Learn "Fine-tune models using serverless API deployments"
  (azure-ai-docs ``articles/ai-foundry/how-to/fine-tune-serverless.md``); an azure-ai-ml
  unit-test fixture for fine-tuning (distillation) jobs uses the same three keys;
* the portal wizard's names ``batch_size`` / ``learning_rate_multiplier`` / ``n_epochs`` are
  documented only as fields of the wizard ("Configure task parameters" in the same page), not
  as keys a job submitted through the SDK accepts, so they are not sent.

The mapping (:func:`hyperparameters`), every value a decimal string:

* batch size -> ``per_device_train_batch_size`` (the only documented batch key; the service
  may train on several devices, so the effective batch can be larger);
* epochs -> ``num_train_epochs``;
* learning-rate multiplier -> ``learning_rate = multiplier x BASE_LEARNING_RATE``. The page
  above defines the multiplier as scaling the model's original learning rate and recommends
  0.02-0.2; the original rate is not published, so TuneDesk sets the base at 2e-4, which
  makes 0.1 (inside that range) give the notebook's own 2e-5, and the whole recommended
  range 4e-6 - 4e-5 around it. (The former base, 2e-5 itself, gave 4e-7 - 4e-6, five to
  fifty times below the only learning rate Microsoft's examples use.)
* "let Azure choose" (``None``) sends nothing for that knob: no key, no ``"auto"`` and no
  ``-1``; the portal's "Default" lets the service pick ("we determine the correct value
  algorithmically based on your training data", same page). A job with all three unset has
  no ``hyperParameters`` at all.
* ``seed`` has no documented key for serverless jobs and is not sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tunedesk.cloud.auth import AuthSession
from tunedesk.cloud.chat import OpenAIChatClient
from tunedesk.cloud.discovery import ArmClient, Workspace
from tunedesk.cloud.errors import (
    CloudError,
    ErrorContext,
    JobNotFinished,
    Throttled,
    is_ambiguous,
    scope_project,
    to_user_error,
)
from tunedesk.cloud.executor import run_sdk, run_sync
from tunedesk.cloud.net import async_http_client, tls_context
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
    safe_key,
)
from tunedesk.cloud.secrets import SecretStore, account_for_endpoint_key
from tunedesk.core.catalog import load_catalog
from tunedesk.core.i18n import Text, lazy

log = logging.getLogger(__name__)

# The serverless endpoint's one SKU: azure-ai-ml always sends {"sku": {"name": "Consumption"}}
# for a ServerlessEndpoint (azure-ai-ml 1.35.2 entities/_autogen_entities/models/_patch.py;
# AZURE.md 1.8).
SERVERLESS_SKU = "Consumption"


class NotOfferedOnHub(CloudError, ValueError):
    """An option of the Foundry-resource route that the classic hub route does not have
    (a checkpoint to deploy, a deployment type other than serverless). Raised before
    anything is sent; also a ``ValueError``, since the pages should not offer it."""


# The notebook's and CLI sample's "learning_rate": "0.00002" (azureml-examples, see above).
NOTEBOOK_LEARNING_RATE = 2e-5
# The multiplier that gives the notebook's rate: inside the 0.02-0.2 that Microsoft Learn
# "Fine-tune models using serverless API deployments" recommends for learning_rate_multiplier.
REFERENCE_MULTIPLIER = 0.1
BASE_LEARNING_RATE = NOTEBOOK_LEARNING_RATE / REFERENCE_MULTIPLIER  # 2e-4
# The keys a serverless job is known to take (module docstring); nothing else is sent.
HYPERPARAMETER_KEYS = ("per_device_train_batch_size", "learning_rate", "num_train_epochs")
SUBMIT_ATTEMPTS = 4
EXPERIMENT = "tunedesk"
TAG = "tunedesk_key"
MICROSOFT_REGISTRY = "azureml"

_STATES = {
    "notstarted": JobState.PREPARING,
    "starting": JobState.PREPARING,
    "provisioning": JobState.PREPARING,
    "preparing": JobState.PREPARING,
    "queued": JobState.PREPARING,
    "running": JobState.RUNNING,
    "finalizing": JobState.RUNNING,
    "cancelrequested": JobState.CANCELLING,
    "completed": JobState.SUCCEEDED,
    "failed": JobState.FAILED,
    "notresponding": JobState.FAILED,
    "canceled": JobState.CANCELLED,
    "paused": JobState.PAUSED,
}


def status_value(status: Any) -> str:
    """``JobStatus.RUNNING`` -> ``"Running"`` (str(enum) would give 'JobStatus.RUNNING')."""
    return str(getattr(status, "value", status) or "")


def normalize_status(raw: str) -> JobState:
    return _STATES.get(raw.strip().lower(), JobState.RUNNING)


def hyperparameters(
    batch_size: int | None, learning_rate_multiplier: float | None, epochs: int | None
) -> dict[str, str]:
    """The wire form of the serverless hyperparameters (mapping in the module docstring).

    ``None`` leaves a knob to Azure: its key is not sent. Values must be positive.
    """
    out: dict[str, str] = {}
    if batch_size is not None:
        out["per_device_train_batch_size"] = str(_positive_int(batch_size, "batch_size"))
    if learning_rate_multiplier is not None:
        multiplier = float(learning_rate_multiplier)
        if not math.isfinite(multiplier) or multiplier <= 0:
            raise ValueError(f"learning_rate_multiplier must be > 0, got {multiplier!r}")
        out["learning_rate"] = _decimal(BASE_LEARNING_RATE * multiplier)
    if epochs is not None:
        out["num_train_epochs"] = str(_positive_int(epochs, "epochs"))
    return out


def learning_rate_for(multiplier: float) -> float:
    """The learning rate a hub job is given for ``multiplier`` (as sent, rounded)."""
    return float(hyperparameters(None, multiplier, None)["learning_rate"])


def _positive_int(value: int, name: str) -> int:
    number = int(value)
    if number != value or number < 1:
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    return number


def _decimal(value: float) -> str:
    """``2e-05`` -> ``"0.00002"``: the notebook's plain decimal form, 6 significant digits."""
    rounded = float(f"{value:.6g}")
    text = f"{rounded:.15f}".rstrip("0").rstrip(".")
    return text if text not in ("", "0", "-0") else f"{rounded:.6g}"


def _registry_of(model_id: str) -> str | None:
    parts = model_id.split("/")
    if model_id.startswith("azureml://registries/") and len(parts) > 3:
        return parts[3]
    return None


def _model_name(model_id: str) -> str:
    parts = model_id.split("/")
    if "models" in parts:
        return parts[parts.index("models") + 1]
    return model_id


def _parse_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _input_path(value: Any) -> str:
    """The path of a job input (an ``Input``, a dict or a plain string)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    path = getattr(value, "path", None)
    if path is None and isinstance(value, dict):
        path = value.get("path") or value.get("uri")
    return str(path or "")


def _asset_key(uri: str) -> tuple[str, str]:
    """One key for the spellings of a data asset version: its ARM id, ``azureml://.../data/
    {name}/versions/{v}`` and ``azureml:{name}:{v}`` (how jobs.list reports it) match."""
    text = uri.strip()
    if "/data/" in text and "/versions/" in text:
        name, _, version = text.split("/data/", 1)[1].partition("/versions/")
        return name.lower(), version.strip("/")
    if text.startswith("azureml:") and not text.startswith("azureml://"):
        name, _, version = text.removeprefix("azureml:").partition(":")
        return name.lower(), version
    return text, ""


def _output_name(job: Any) -> str:
    outputs = getattr(job, "outputs", None) or {}
    out = outputs.get("registered_model") if hasattr(outputs, "get") else None
    return str(getattr(out, "name", None) or (out or {}).get("name", "") or "")


class HubServerlessRoute:
    """Serverless fine-tuning in an Azure AI Foundry hub-based project."""

    name: RouteName = "hub"

    def __init__(self, session: AuthSession, workspace: Workspace, store: SecretStore) -> None:
        self.session = session
        self.workspace = workspace
        self.store = store
        self.credential = session.credential_for(workspace.tenant_id)
        self._ml: Any = None
        self._ml_once: Any = None
        self._registries: dict[str, Any] = {}
        self._dataplane: ArmClient | None = None
        self._ctx = ErrorContext(
            route="hub",
            scope=scope_project(workspace.name),
            region=workspace.location,
        )

    # -- clients (built on the SDK pool: importing azure.ai.ml is slow) -----------------
    def _client(self, *, once: bool = False) -> Any:
        """The workspace client; ``once`` gives a twin that never retries (for the create PUT)."""
        from azure.ai.ml import MLClient

        attr = "_ml_once" if once else "_ml"
        client = getattr(self, attr)
        if client is None:
            # the create is never repeated blindly
            extra: dict[str, Any] = {"retry_total": 0} if once else {}
            client = MLClient(
                self.credential,
                self.workspace.subscription_id,
                self.workspace.resource_group,
                self.workspace.name,
                show_progress=False,
                enable_telemetry=False,
                **extra,
            )
            setattr(self, attr, client)
        return client

    def _registry(self, name: str) -> Any:
        from azure.ai.ml import MLClient

        if name not in self._registries:
            self._registries[name] = MLClient(
                self.credential, registry_name=name, show_progress=False, enable_telemetry=False
            )
        return self._registries[name]

    async def _sdk(self, fn: Any, *args: Any, ctx: ErrorContext | None = None) -> Any:
        try:
            return await run_sdk(fn, *args)
        except CloudError:
            raise
        except Exception as exc:
            mapped = to_user_error(exc, ctx or self._ctx)
            if mapped is None:
                raise
            raise mapped from exc

    # -- models --------------------------------------------------------------------------
    async def list_base_models(self) -> BaseModelList:
        """The catalog's hub models the registry still has (its versioned asset id and deploy
        regions, the catalog's name and plain description), or, when the registry cannot be
        asked, the catalog's hub models that a new customer can train (never a retired or
        customer-restricted one), with a note saying how old that list is."""
        catalog = load_catalog()
        candidates = catalog.for_route("hub")

        def work() -> list[BaseModelInfo]:
            found = []
            for base in candidates:
                model = self._find_registry_model(base.id, base.registry)
                if model is None:
                    continue  # the service no longer offers it
                tags = dict(getattr(model, "tags", None) or {})
                # the notebook reads the fine-tuning regions from this tag (AZURE.md 1.2, NB)
                regions = (
                    tuple(
                        r.strip().lower()
                        for r in str(tags.get("maas-finetuning-deploy-regions", "")).split(",")
                        if r.strip()
                    )
                    or base.training_regions
                )
                found.append(
                    BaseModelInfo(
                        id=str(model.id),
                        name=base.display_name,
                        route="hub",
                        description=base.description,
                        training_regions=regions,
                        from_service=True,
                    )
                )
            return found

        try:
            found = await run_sdk(work)
            return BaseModelList(tuple(found), True)
        except Exception as exc:  # any service failure: bundled list instead (bugs re-raised)
            if to_user_error(exc, self._ctx) is None:
                raise
            log.info("Registry unavailable, using the bundled catalog: %s", type(exc).__name__)
        return BaseModelList(
            tuple(
                BaseModelInfo(m.id, m.display_name, "hub", m.description, m.training_regions, False)
                for m in candidates
                if m.offered
            ),
            False,
            lazy.translate(
                "CloudModels",
                "Azure could not be asked which models this classic hub project can fine-tune, "
                "so this is the list that came with TuneDesk (last checked on {date}). Some "
                "models may no longer be offered.",
            ).format(date=catalog.checked.isoformat()),
        )

    def _find_registry_model(self, name: str, registry: str | None) -> Any:
        """The latest version of ``name`` in its registry (catalog's, then ``azureml``)."""
        from azure.core.exceptions import HttpResponseError

        tried = []
        for candidate in (registry, MICROSOFT_REGISTRY):
            if not candidate or candidate in tried:
                continue
            tried.append(candidate)
            try:
                return self._registry(candidate).models.get(name, label="latest")
            except HttpResponseError as exc:
                if exc.status_code != 404:
                    raise
        return None

    def _resolve_model_id(self, base_model: str) -> str:
        """A versioned registry asset id for ``base_model`` (name, unversioned or versioned id)."""
        from tunedesk.cloud.errors import ModelNotTrainable

        if "/versions/" in base_model:
            return base_model
        name = _model_name(base_model)
        registry = _registry_of(base_model)
        if registry is None:
            known = load_catalog().get(name)
            registry = known.registry if known else None
        model = self._find_registry_model(name, registry)
        if model is None:
            raise ModelNotTrainable(name)
        return str(model.id)

    @staticmethod
    def needs_marketplace(model_id: str) -> bool:
        """Non-Microsoft models need a marketplace subscription (AZURE.md 1.7)."""
        known = load_catalog().get(model_id)
        if known is not None and known.needs_marketplace_subscription:
            return True
        return _registry_of(model_id) != MICROSOFT_REGISTRY

    # -- upload --------------------------------------------------------------------------
    def _upload_one(self, path: str) -> tuple[str, int]:
        """A uri_file data asset named after the file's content (uploading twice is a no-op)."""
        from azure.ai.ml.constants import AssetTypes
        from azure.ai.ml.entities import Data
        from azure.core.exceptions import ResourceNotFoundError

        file_path = Path(path)
        digest = hashlib.sha256(file_path.read_bytes()).hexdigest()[:20]
        name = f"tunedesk-{digest}"
        ml = self._client()
        try:
            existing = ml.data.get(name, version="1")
            return str(existing.id), file_path.stat().st_size
        except ResourceNotFoundError:
            pass
        data = ml.data.create_or_update(
            Data(
                path=str(file_path),
                type=AssetTypes.URI_FILE,
                name=name,
                version="1",
                description="Training data uploaded by TuneDesk",
            )
        )
        return str(data.id), file_path.stat().st_size

    async def upload(
        self, train_path: str, validation_path: str | None, progress: Progress | None = None
    ) -> UploadedData:
        paths = [train_path] + ([validation_path] if validation_path else [])
        sizes = await run_sdk(lambda: [Path(p).stat().st_size for p in paths])
        total = sum(sizes)
        done = 0
        ids: list[str] = []
        if progress is not None:
            progress(0, total)
        for path, size in zip(paths, sizes, strict=True):
            asset_id, _ = await self._sdk(self._upload_one, path)
            ids.append(asset_id)
            done += size
            if progress is not None:
                progress(done, total)
        return UploadedData(
            ids[0], ids[1] if len(ids) > 1 else None, sizes[0], sizes[1] if len(sizes) > 1 else 0
        )

    # -- jobs ----------------------------------------------------------------------------
    @staticmethod
    def job_name(client_key: str) -> str:
        return f"tunedesk-{safe_key(client_key)}"

    @staticmethod
    def output_name(client_key: str, suffix: str | None) -> str:
        stem = safe_key(suffix, 20) if suffix else "model"
        return f"tunedesk-{stem}-{safe_key(client_key, 24)}"

    def _build_job(self, request: JobRequest, ref: JobRef, model_id: str) -> Any:
        from azure.ai.ml import Input, Output
        from azure.ai.ml.entities._job.finetuning.custom_model_finetuning_job import (
            CustomModelFineTuningJob,
        )

        hp = request.hyperparameters
        return CustomModelFineTuningJob(
            task="ChatCompletion",
            model=Input(type="mlflow_model", path=model_id),
            training_data=Input(type="uri_file", path=request.data.training),
            validation_data=(
                Input(type="uri_file", path=request.data.validation)
                if request.data.validation
                else None
            ),
            hyperparameters=hyperparameters(hp.batch_size, hp.learning_rate_multiplier, hp.epochs),
            outputs={"registered_model": Output(type="mlflow_model", name=ref.output_name)},
            name=ref.job_id,
            display_name=request.display_name or ref.job_id,
            experiment_name=EXPERIMENT,
            tags={TAG: request.client_key},
        )

    def _get_job(self, name: str) -> Any:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            return self._client().jobs.get(name)
        except ResourceNotFoundError:
            return None

    def _subscribe_marketplace(self, model_id: str) -> None:
        from azure.ai.ml.entities import MarketplaceSubscription
        from azure.core.exceptions import HttpResponseError, ResourceExistsError

        unversioned = model_id.split("/versions/")[0]
        name = f"{_model_name(model_id).replace('.', '-')}-sub"[:50]
        try:
            self._client().marketplace_subscriptions.begin_create_or_update(
                MarketplaceSubscription(name=name, model_id=unversioned)
            ).result()
        except ResourceExistsError:
            return
        except HttpResponseError as exc:
            if "already exist" in str(exc).lower():
                return
            raise

    async def find_job(
        self,
        client_key: str,
        *,
        training_file: str | None = None,
        submitted_after: datetime | None = None,
    ) -> JobRef | None:
        """The job submitted for ``client_key``: by its name (derived from the key, and tagged
        with it); failing that, when ``training_file`` is given, the first fine-tuning job of
        this project trained on that uploaded data asset and created at or after
        ``submitted_after`` (a naive time is UTC). ``None`` when there is none."""
        name = self.job_name(client_key)
        job = await self._sdk(self._get_job, name)
        if job is None and training_file:
            job = await self._sdk(self._job_by_data, training_file, submitted_after)
        if job is None:
            return None
        return JobRef(
            "hub",
            client_key,
            str(job.name),
            self.workspace.id,
            _input_path(getattr(job, "model", None)),
            _output_name(job),
        )

    def _job_by_data(self, training_file: str, after: datetime | None) -> Any:
        """The earliest fine-tuning job on ``training_file`` created at/after ``after``."""
        wanted = _asset_key(training_file)
        since = _utc(after) if after is not None else None
        found: list[tuple[datetime, str, Any]] = []
        for entity in self._client().jobs.list():
            if entity is None or str(getattr(entity, "type", "")).lower() != "finetuning":
                continue
            if _asset_key(_input_path(getattr(entity, "training_data", None))) != wanted:
                continue
            created = _parse_time(
                getattr(getattr(entity, "creation_context", None), "created_at", None)
            )
            if created is None or (since is not None and _utc(created) < since):
                continue
            found.append((_utc(created), str(entity.name), entity))
        if not found:
            return None
        return min(found, key=lambda item: (item[0], item[1]))[2]

    async def submit(self, request: JobRequest, journal: Journal) -> JobRef:
        suffix = request.hyperparameters.suffix
        ref = JobRef(
            "hub",
            request.client_key,
            self.job_name(request.client_key),
            self.workspace.id,
            request.base_model,
            self.output_name(request.client_key, suffix),
        )
        await call_journal(journal, ref)  # before anything is sent
        ctx = replace(self._ctx, model=request.base_model)
        if await self._sdk(self._get_job, ref.job_id, ctx=ctx) is not None:
            return ref  # submitted before: adopt it
        model_id = await self._sdk(self._resolve_model_id, request.base_model, ctx=ctx)
        if self.needs_marketplace(model_id):
            await self._sdk(self._subscribe_marketplace, model_id, ctx=ctx)
        job = await run_sdk(self._build_job, request, ref, model_id)
        last: Exception | None = None
        for attempt in range(SUBMIT_ATTEMPTS):
            try:
                await run_sdk(self._client(once=True).jobs.create_or_update, job)
                return ref
            except Exception as exc:
                if not is_ambiguous(exc):
                    mapped = to_user_error(exc, ctx)
                    if mapped is None:
                        raise
                    raise mapped from exc
                last = exc
                if await self._lookup_after_failure(ref.job_id, ctx):
                    return ref
                await asyncio.sleep(_backoff(exc, attempt))
        assert last is not None
        mapped = to_user_error(last, ctx)
        if mapped is None:
            raise last
        raise mapped from last

    async def _lookup_after_failure(self, name: str, ctx: ErrorContext) -> bool:
        for attempt in range(3):
            try:
                return await self._sdk(self._get_job, name, ctx=ctx) is not None
            except CloudError as err:
                if not err.retryable:
                    raise
                await asyncio.sleep(_backoff(err, attempt))
        return False

    def _run_history(self, name: str) -> dict[str, Any] | None:
        """Run details from run history (status, times, error) — plain REST."""
        from azure.core.exceptions import ResourceNotFoundError

        if self._dataplane is None:
            self._dataplane = ArmClient(
                self.credential, base_url=f"https://{self.workspace.location}.api.azureml.ms"
            )
        ws = self.workspace
        url = (
            f"/history/v1.0/subscriptions/{ws.subscription_id}/resourceGroups/"
            f"{ws.resource_group}/providers/Microsoft.MachineLearningServices/workspaces/"
            f"{ws.name}/runs/{name}/details"
        )
        try:
            data = self._dataplane.request("GET", url, api_version=None)
        except ResourceNotFoundError:
            return None
        except Exception as exc:
            if getattr(exc, "status_code", None) == 404:
                return None
            raise
        return data if isinstance(data, dict) else None

    def _status(self, job: JobRef) -> JobStatus:
        entity = self._client().jobs.get(job.job_id)
        raw = status_value(entity.status)
        state = normalize_status(raw)
        created = getattr(getattr(entity, "creation_context", None), "created_at", None)
        finished: datetime | None = None
        error: Text | None = None
        service_error: str | None = None
        model: str | None = None
        if state.terminal:
            details = self._run_history(job.job_id) or {}
            finished = _parse_time(details.get("endTimeUtc"))
            err = (details.get("error") or {}).get("error") or {}
            if state is JobState.FAILED:
                service_error = str(err.get("message") or "") or None
                error = _failure_text(service_error)
        if state is JobState.SUCCEEDED and job.output_name:
            model = self._registered_model_id(job.output_name)
        return JobStatus(
            state=state,
            raw=raw,
            error=error,
            service_error=service_error,
            fine_tuned_model=model,
            created_at=_parse_time(created),
            finished_at=finished,
        )

    def _registered_model_id(self, name: str) -> str | None:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            model = self._client().models.get(name, label="latest")
        except ResourceNotFoundError:
            return None
        guid = (
            self.workspace.workspace_guid
            or self._client().workspaces.get(self.workspace.name)._workspace_id
        )
        return (
            f"azureml://locations/{self.workspace.location}/workspaces/{guid}/models/"
            f"{name}/versions/{model.version}"
        )

    async def status(self, job: JobRef) -> JobStatus:
        result: JobStatus = await self._sdk(self._status, job)
        return result

    async def events(self, job: JobRef) -> list[JobEvent]:
        details = await self._sdk(self._run_history, job.job_id) or {}
        events: list[JobEvent] = []
        for key, message in (
            ("createdUtc", lazy.translate("CloudJobs", "Job created")),
            ("startTimeUtc", lazy.translate("CloudJobs", "Training started")),
            ("endTimeUtc", lazy.translate("CloudJobs", "Job ended: {status}")),
        ):
            when = _parse_time(details.get(key))
            if when is not None:
                text = str(message.format(status=details.get("status", "")))
                events.append(JobEvent(when, "info", text, "status"))
        err = (details.get("error") or {}).get("error") or {}
        if err.get("message") and events:
            events.append(JobEvent(events[-1].time, "error", str(err["message"]), "message"))
        return events

    def _metric_history(self, job: JobRef, key: str) -> list[dict[str, Any]]:
        ws = self.workspace
        if self._dataplane is None:
            self._dataplane = ArmClient(
                self.credential, base_url=f"https://{ws.location}.api.azureml.ms"
            )
        url = (
            f"/mlflow/v1.0/subscriptions/{ws.subscription_id}/resourceGroups/"
            f"{ws.resource_group}/providers/Microsoft.MachineLearningServices/workspaces/"
            f"{ws.name}/api/2.0/mlflow/metrics/get-history"
        )
        data = self._dataplane.request(
            "GET", url, api_version=None, params={"run_id": job.job_id, "metric_key": key}
        )
        return list((data or {}).get("metrics") or [])

    async def metrics(self, job: JobRef) -> list[MetricPoint]:
        """Loss per step from the job's MLflow run (``train_loss``/``loss``, ``eval_loss``)."""

        def work() -> list[MetricPoint]:
            train = self._metric_history(job, "train_loss") or self._metric_history(job, "loss")
            evals = self._metric_history(job, "eval_loss")
            valid = {int(m["step"]): float(m["value"]) for m in evals}
            steps = sorted({int(m["step"]) for m in train} | set(valid))
            train_by = {int(m["step"]): float(m["value"]) for m in train}
            return [MetricPoint(s, train_by.get(s), valid.get(s)) for s in steps]

        result: list[MetricPoint] = await self._sdk(work)
        return result

    async def cancel(self, job: JobRef) -> None:
        def work() -> None:
            entity = self._client().jobs.get(job.job_id)
            if normalize_status(status_value(entity.status)).terminal:
                return
            self._client().jobs.begin_cancel(job.job_id).result()

        await self._sdk(work)

    async def checkpoints(self, job: JobRef) -> list[Checkpoint]:
        # Serverless fine-tuning registers one output model ("outputs.registered_model",
        # AZURE.md 1.4/1.6) and documents no intermediate checkpoints (FT-SLS).
        return []

    # -- deployment ----------------------------------------------------------------------
    def _deploy(self, name: str, model_id: str) -> Any:
        from azure.ai.ml.entities import ServerlessEndpoint
        from azure.core.exceptions import ResourceNotFoundError

        ml = self._client()
        try:
            existing = ml.serverless_endpoints.get(name)
            if str(existing.provisioning_state or "").lower() == "succeeded":
                return existing
        except ResourceNotFoundError:
            pass
        endpoint = ServerlessEndpoint(name=name, model_id=model_id)
        endpoint.location = self.workspace.location  # else the SDK calls workspaces.get
        return ml.serverless_endpoints.begin_create_or_update(endpoint).result()

    async def deploy(
        self,
        job: JobRef,
        name: str,
        *,
        sku: str | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> Deployment:
        """A serverless endpoint for the job's registered model.

        ``sku``: ``None`` or ``"Consumption"``, the one serverless SKU (the SDK sends
        ``{"sku": {"name": "Consumption"}}``, AZURE.md 1.8); anything else is refused before
        anything is sent. ``checkpoint``: never offered here (serverless fine-tuning registers
        only the final model, :meth:`checkpoints` is empty); passing one is refused.
        """
        if checkpoint is not None:
            raise NotOfferedOnHub(
                lazy.translate(
                    "CloudDeploy",
                    "Checkpoints cannot be deployed from a classic hub project: it keeps only "
                    "the finished model.",
                ),
                lazy.translate("CloudDeploy", "Deploy the finished model instead."),
                code="CheckpointNotOffered",
            )
        if sku is not None and sku.strip().lower() != SERVERLESS_SKU.lower():
            raise NotOfferedOnHub(
                lazy.translate(
                    "CloudDeploy",
                    "A classic hub project deploys only as a serverless (pay-as-you-go) "
                    'endpoint, not as "{sku}".',
                ).format(sku=sku),
                lazy.translate("CloudDeploy", "Choose the serverless deployment."),
                code="SkuNotOffered",
            )
        status = await self.status(job)
        if status.state is not JobState.SUCCEEDED or not status.fine_tuned_model:
            raise JobNotFinished()
        model_id = status.fine_tuned_model
        endpoint = await self._sdk(self._deploy, name, model_id)
        keys = await self._sdk(self._client().serverless_endpoints.get_keys, name)
        account = account_for_endpoint_key(str(endpoint.id or endpoint.scoring_uri or name))
        await self.store.set(account, str(keys.primary_key))
        return Deployment(
            route="hub",
            name=name,
            model=model_id,
            endpoint=str(endpoint.scoring_uri or ""),
            state=str(endpoint.provisioning_state or ""),
            target=self.workspace.id,
            billed_hourly=True,
            billing_note=HOURLY_BILLING_NOTE,
            key_account=account,
        )

    async def delete_deployment(self, deployment: Deployment) -> None:
        from azure.core.exceptions import ResourceNotFoundError

        def work() -> None:
            try:
                self._client().serverless_endpoints.begin_delete(deployment.name).result()
            except ResourceNotFoundError:
                return

        await self._sdk(work)
        if deployment.key_account:
            await self.store.delete(deployment.key_account)

    async def chat(self, deployment: Deployment) -> ChatClient:
        import openai

        if not deployment.key_account:
            raise JobNotFinished()
        key = await self.store.get(deployment.key_account)
        if not key:
            raise JobNotFinished()
        base_url = deployment.endpoint.rstrip("/") + "/v1"
        await run_sync(tls_context)  # loaded once, off the loop (the factories run on it)

        def raw_key() -> Any:  # documented form: the key itself in Authorization
            return openai.AsyncOpenAI(
                base_url=base_url,
                api_key=key,
                default_headers={"Authorization": key},
                http_client=async_http_client(),
            )

        def bearer() -> Any:
            return openai.AsyncOpenAI(
                base_url=base_url, api_key=key, http_client=async_http_client()
            )

        ctx = replace(self._ctx, api_key=True)
        return OpenAIChatClient(deployment.name, [raw_key, bearer], ctx)

    async def aclose(self) -> None:
        if self._dataplane is not None:
            self._dataplane.close()
            self._dataplane = None


def _backoff(exc: BaseException, attempt: int) -> float:
    err = exc if isinstance(exc, CloudError) else to_user_error(exc)
    if isinstance(err, Throttled):
        return min(err.retry_after, 60.0)
    return min(0.5 * 2.0**attempt, 8.0)


def _failure_text(message: str | None) -> Text:
    if message:
        return lazy.translate("CloudJobs", "The training failed: {reason}").format(reason=message)
    return lazy.translate("CloudJobs", "The training failed. Azure did not say why.")
