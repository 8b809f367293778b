"""State of the emulated Azure Machine Learning / Foundry hub side (one AmlState per test).

Tests read and steer it through ``azure_emulator.aml``: seeded workspaces, uploaded blobs,
data assets, fine-tuning jobs and their timeline, registered models, serverless endpoints and
marketplace subscriptions.  Handlers live in aml.py and the other aml_*.py modules.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.azure_emulator.arm_async import Provisioning
from tests.azure_emulator.world import RESOURCE_GROUP, SUBSCRIPTION_ID, World

TOKYO_RESOURCE_GROUP = "contoso-tokyo"
PROVIDER = "Microsoft.MachineLearningServices"
STORAGE_ACCOUNT = "contosohubstorage"
BLOB_HOST = f"{STORAGE_ACCOUNT}.blob.core.windows.net"
DISCOVERY_HOST = "eastus.api.azureml.ms"  # registry discovery for AzureCloud
REGISTRY_SUBSCRIPTION = "6c6683e9-e5fe-4038-8519-ce6ebec2ba15"
REGISTRY_RESOURCE_GROUP = "registry-builtin-prod-eastus-01"
# Regions where serverless fine-tuning is offered (AZURE.md 1.10).
FT_REGIONS_SIX_US = ["eastus2", "eastus", "northcentralus", "southcentralus", "westus", "westus3"]


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def system_data(created: float, modified: float | None = None) -> dict[str, str]:
    return {
        "createdAt": iso(created),
        "createdBy": "expert@contoso.com",
        "createdByType": "User",
        "lastModifiedAt": iso(modified or created),
        "lastModifiedBy": "expert@contoso.com",
        "lastModifiedByType": "User",
    }


@dataclass
class AmlTimeline:
    """How a newly submitted fine-tuning job progresses (seconds of wall-clock time).

    NotStarted for ``not_started``, Queued for ``queued``, Running for ``running``, then
    ``outcome``.  ``error`` is the (code, message) a Failed job reports.
    """

    not_started: float = 0.05
    queued: float = 0.2
    running: float = 1.0
    outcome: str = "Completed"  # "Completed" | "Failed"
    error: tuple[str, str] | None = None
    cancel_delay: float = 0.2  # CancelRequested -> Canceled
    loss_points: int = 12


@dataclass
class Workspace:
    name: str
    kind: str  # "hub" | "project" | "default"
    location: str
    resource_group: str = RESOURCE_GROUP
    workspace_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    hub_name: str | None = None
    friendly_name: str = ""
    created: float = field(default_factory=time.time)
    # Created through ARM (aml_provision.py): its life, description and associated resources.
    # None = a seeded workspace (the seeded storage account / key vault / insights ids);
    # "" = none associated.
    provisioning: Provisioning = field(default_factory=Provisioning)
    description: str = ""
    storage_account: str | None = None
    key_vault: str | None = None
    application_insights: str | None = None

    @property
    def arm_id(self) -> str:
        return (
            f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{self.resource_group}"
            f"/providers/{PROVIDER}/workspaces/{self.name}"
        )

    @property
    def api_host(self) -> str:
        return f"{self.location}.api.azureml.ms"


@dataclass
class BlobEntry:
    data: bytes
    content_type: str
    created: float
    etag: str


@dataclass
class DataVersion:
    name: str
    version: str
    workspace: str
    body: dict[str, Any]  # properties as PUT by the client
    created: float

    @property
    def uri(self) -> str:
        return str(self.body.get("dataUri", ""))


@dataclass
class ModelVersion:
    name: str
    version: str
    workspace: str
    properties: dict[str, Any]
    created: float
    job_name: str | None = None


@dataclass
class Job:
    name: str
    workspace: str
    body: dict[str, Any]  # the PUT body's "properties"
    created: float
    timeline: AmlTimeline
    training_bytes: bytes | None = None
    validation_bytes: bytes | None = None
    data_problem: str | None = None  # why the service fails the job, if it does
    cancel_requested_at: float | None = None
    model_registered: bool = False
    api_versions: list[str] = field(default_factory=list)

    @property
    def details(self) -> dict[str, Any]:
        return dict(self.body.get("fineTuningDetails") or {})

    @property
    def hyperparameters(self) -> dict[str, str]:
        return dict(self.details.get("hyperParameters") or {})

    @property
    def model_uri(self) -> str:
        return str((self.details.get("model") or {}).get("uri", ""))

    @property
    def output_model_name(self) -> str | None:
        out = (self.body.get("outputs") or {}).get("registered_model") or {}
        return out.get("assetName")

    def status(self, now: float) -> str:
        t = self.timeline
        if self.cancel_requested_at is not None:
            return (
                "Canceled"
                if now - self.cancel_requested_at >= t.cancel_delay
                else "CancelRequested"
            )
        elapsed = now - self.created
        if elapsed < t.not_started:
            return "NotStarted"
        if elapsed < t.not_started + t.queued:
            return "Queued"
        if self.data_problem is not None:
            return "Failed"
        if elapsed < t.not_started + t.queued + t.running:
            return "Running"
        return t.outcome

    def error(self, now: float) -> tuple[str, str] | None:
        if self.status(now) != "Failed":
            return None
        if self.data_problem is not None:
            return ("UserError", self.data_problem)
        return self.timeline.error or ("SystemError", "The fine-tuning job failed unexpectedly.")

    def run_fraction(self, now: float) -> float:
        t = self.timeline
        start = self.created + t.not_started + t.queued
        if now <= start:
            return 0.0
        if t.running <= 0:
            return 1.0
        end = self.cancel_requested_at if self.cancel_requested_at is not None else now
        return max(0.0, min(1.0, (end - start) / t.running))


@dataclass
class ServerlessEndpoint:
    name: str
    workspace: str
    location: str
    model_id: str
    created: float
    primary_key: str = field(default_factory=lambda: secrets.token_hex(16))
    secondary_key: str = field(default_factory=lambda: secrets.token_hex(16))
    provisioning_delay: float = 0.3
    body: dict[str, Any] = field(default_factory=dict)
    deleted: bool = False

    @property
    def scoring_host(self) -> str:
        return f"{self.name}.{self.location}.models.ai.azure.com".lower()

    @property
    def scoring_uri(self) -> str:
        return f"https://{self.scoring_host}"

    def provisioning_state(self, now: float) -> str:
        return "Succeeded" if now - self.created >= self.provisioning_delay else "Creating"


@dataclass
class MarketplaceSubscription:
    name: str
    workspace: str
    model_id: str
    created: float
    plan: dict[str, str]


@dataclass
class RegistryModel:
    registry: str
    name: str
    versions: list[str]
    tags: dict[str, str]
    description: str
    publisher: str  # "Microsoft" for 1P models


def _seed_registry_models() -> list[RegistryModel]:
    six = ",".join(FT_REGIONS_SIX_US)
    ft = {"fine_tuning_model_format": "mlflow", "maas-finetuning": "true"}
    return [
        RegistryModel(
            "azureml",
            "Phi-4-mini-instruct",
            ["1", "2"],
            {
                **ft,
                "maas-finetuning-deploy-regions": six,
                "author": "Microsoft",
                "task": "chat-completion",
                "license": "mit",
            },
            "Phi-4-mini-instruct is a lightweight open model built upon synthetic data.",
            "Microsoft",
        ),
        RegistryModel(
            "azureml",
            "Phi-4",
            ["3", "7"],
            {
                **ft,
                "maas-finetuning-deploy-regions": six,
                "author": "Microsoft",
                "task": "chat-completion",
                "license": "mit",
            },
            "Phi-4 is a 14B parameters, dense decoder-only Transformer model.",
            "Microsoft",
        ),
        RegistryModel(
            "azureml",
            "Mistral-Nemo",
            ["1", "2"],
            {
                **ft,
                "maas-finetuning-deploy-regions": six,
                "author": "Mistral AI",
                "task": "chat-completion",
                "license": "apache-2.0",
            },
            "Mistral Nemo is a 12B model built in collaboration with NVIDIA.",
            "Mistral AI",
        ),
        RegistryModel(
            "azureml",
            "Ministral-3B",
            ["1", "2"],
            {
                **ft,
                "maas-finetuning-deploy-regions": six,
                "author": "Mistral AI",
                "task": "chat-completion",
                "license": "mistral-commercial",
            },
            "Ministral 3B is a state-of-the-art small language model for edge computing.",
            "Mistral AI",
        ),
        RegistryModel(
            "azureml",
            "Phi-3-vision-128k-instruct",
            ["1", "2"],
            {"author": "Microsoft", "task": "chat-completion", "license": "mit"},
            "A multimodal model without serverless fine-tuning.",
            "Microsoft",
        ),
        RegistryModel(
            "azureml-meta",
            "Meta-Llama-3.1-8B-Instruct",
            ["4", "5"],
            {
                **ft,
                "maas-finetuning-deploy-regions": "westus3",
                "author": "Meta",
                "task": "chat-completion",
                "license": "llama3.1",
            },
            "The Meta Llama 3.1 collection of multilingual large language models.",
            "Meta",
        ),
    ]


class AmlState:
    """Everything the AML / Foundry-hub emulation holds.  Thread-safe via ``lock``."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.lock = threading.RLock()
        self.timeline = AmlTimeline()
        self.clock = time.time
        self.offset = 0.0
        self.storage_account_key = base64.b64encode(secrets.token_bytes(64)).decode()
        self.sas_tokens: set[str] = set()
        self.container = f"azureml-blobstore-{uuid.uuid4()}"
        self.workspaces: dict[str, Workspace] = {}
        self.blobs: dict[str, BlobEntry] = {}  # "container/blob/path" -> bytes
        self.staged_blocks: dict[str, dict[str, bytes]] = {}
        self.blob_metadata: dict[str, dict[str, str]] = {}
        self.data: dict[tuple[str, str, str], DataVersion] = {}  # (ws, name, version)
        self.models: dict[tuple[str, str, str], ModelVersion] = {}
        self.jobs: dict[str, Job] = {}  # job names are unique per workspace
        self.endpoints: dict[tuple[str, str], ServerlessEndpoint] = {}
        self.subscriptions: dict[tuple[str, str], MarketplaceSubscription] = {}
        self.registry_models = _seed_registry_models()
        self.registries = ["azureml", "azureml-meta", "azureml-mistral"]
        # (method, path-ish, api-version) of every request served, for tests to assert on.
        self.calls: list[tuple[str, str, str | None]] = []
        # Quota: at most this many active fine-tuning jobs per workspace (None = unlimited).
        self.max_active_jobs: int | None = None
        # Retry-After (whole seconds, as the SDK parses it as int) on long-running operations.
        self.retry_after = 1
        self._seed()

    # -- seed --------------------------------------------------------------------------------
    def _seed(self) -> None:
        hub = Workspace("contoso-hub", "hub", "westus", friendly_name="Contoso hub")
        self.add_workspace(hub)
        self.add_workspace(
            Workspace(
                "family-project",
                "project",
                "westus",
                hub_name=hub.name,
                friendly_name="Family project",
            )
        )
        tokyo_hub = Workspace(
            "tokyo-hub", "hub", "japaneast", TOKYO_RESOURCE_GROUP, friendly_name="Tokyo hub"
        )
        self.add_workspace(tokyo_hub)
        self.add_workspace(
            Workspace(
                "tokyo-project",
                "project",
                "japaneast",
                TOKYO_RESOURCE_GROUP,
                hub_name=tokyo_hub.name,
                friendly_name="Tokyo project",
            )
        )
        east_hub = Workspace("eastus2-hub", "hub", "eastus2", friendly_name="East US 2 hub")
        self.add_workspace(east_hub)
        self.add_workspace(
            Workspace(
                "eastus2-project",
                "project",
                "eastus2",
                hub_name=east_hub.name,
                friendly_name="East US 2 project",
            )
        )

    def add_workspace(self, ws: Workspace) -> Workspace:
        with self.lock:
            self.workspaces[ws.name.lower()] = ws
        return ws

    # -- time ---------------------------------------------------------------------------------
    def now(self) -> float:
        return self.clock() + self.offset

    def fast_forward(self, seconds: float) -> None:
        """Move the emulated clock on (jobs and endpoints progress accordingly)."""
        with self.lock:
            self.offset += seconds

    # -- helpers for tests --------------------------------------------------------------------
    def workspace(self, name: str) -> Workspace | None:
        return self.workspaces.get(name.lower())

    def jobs_named(self, prefix: str) -> list[Job]:
        with self.lock:
            return [j for j in self.jobs.values() if j.name.startswith(prefix)]

    def job_status(self, name: str) -> str:
        return self.jobs[name].status(self.now())

    def blob_bytes(self, uri_or_path: str) -> bytes:
        """Bytes stored at a blob URL, an ``azureml://datastores/...`` URI or "container/path"."""
        key = self.blob_key(uri_or_path)
        with self.lock:
            return self.blobs[key].data

    def blob_key(self, uri: str) -> str:
        if uri.startswith("https://"):
            return uri.split(".blob.core.windows.net/", 1)[1].split("?", 1)[0]
        if uri.startswith("azureml://") and "/paths/" in uri:
            return f"{self.container}/{uri.split('/paths/', 1)[1]}"
        if uri.startswith("wasbs://"):
            rest = uri.removeprefix("wasbs://")
            container, _, tail = rest.partition("@")
            return f"{container}/{tail.split('/', 1)[1]}"
        return uri

    def data_bytes(
        self, name: str, version: str | None = None, workspace: str | None = None
    ) -> bytes:
        """The uploaded bytes behind a data asset (latest version unless given)."""
        with self.lock:
            candidates = [
                d
                for (ws, n, v), d in self.data.items()
                if n == name
                and (version is None or v == version)
                and (workspace is None or ws == workspace.lower())
            ]
        if not candidates:
            raise KeyError(name)
        latest = max(candidates, key=lambda d: d.created)
        return self.resolve_uri_bytes(latest.uri)

    def resolve_uri_bytes(self, uri: str) -> bytes:
        """Bytes for a job input uri (blob URL, azureml datastore URI or data asset reference)."""
        with self.lock:
            if "/data/" in uri and "/versions/" in uri:
                # ARM id or azureml://locations/.../data/{name}/versions/{v}
                tail = uri.split("/data/", 1)[1]
                name, _, version = tail.partition("/versions/")
                for (_, n, v), d in self.data.items():
                    if n == name and v == version:
                        return self.resolve_uri_bytes(d.uri)
                raise KeyError(uri)
            if uri.startswith("azureml:") and not uri.startswith("azureml://"):
                name, _, version = uri.removeprefix("azureml:").partition(":")
                return self.data_bytes(name, version or None)
            key = self.blob_key(uri)
            if key in self.blobs:
                return self.blobs[key].data
            # a folder uri: the single file under it
            under = [k for k in self.blobs if k.startswith(key.rstrip("/") + "/")]
            if len(under) == 1:
                return self.blobs[under[0]].data
            raise KeyError(uri)

    def endpoint(self, name: str) -> ServerlessEndpoint | None:
        with self.lock:
            for (_, n), ep in self.endpoints.items():
                if n == name.lower():
                    return ep
        return None

    def registry_model(self, registry: str, name: str) -> RegistryModel | None:
        for m in self.registry_models:
            if m.registry.lower() == registry.lower() and m.name.lower() == name.lower():
                return m
        return None

    def new_sas(self) -> str:
        token = (
            "sv=2023-11-03&st=2026-01-01T00%3A00%3A00Z&se=2099-01-01T00%3A00%3A00Z&sr=c&sp=racwdl"
            f"&sig={secrets.token_urlsafe(32).replace('-', 'A').replace('_', 'B')}%3D"
        )
        with self.lock:
            self.sas_tokens.add(token.rsplit("sig=", 1)[1])
        return token

    def record(self, method: str, path: str, api_version: str | None) -> None:
        with self.lock:
            self.calls.append((method, path, api_version))
