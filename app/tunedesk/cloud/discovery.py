"""Finding what the signed-in person can use: tenants, subscriptions, hub projects, resources.

Plain ARM REST through azure-mgmt-core's ``ARMPipelineClient`` (no extra management SDKs):
azure-core's RetryPolicy retries throttling and 5xx responses and honours ``Retry-After``;
``nextLink`` paging is followed. Calls are synchronous, so each one runs on the io pool.

Region marks come from the bundled catalog (``tunedesk.core.catalog``), the single table of
which regions can train which model.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tunedesk.cloud.auth import ARM_SCOPE, ApiKeyAuth, AuthSession
from tunedesk.cloud.errors import ErrorContext, scope_resource, user_errors
from tunedesk.cloud.executor import run_sync
from tunedesk.cloud.secrets import SecretStore, account_for_openai_key
from tunedesk.core.catalog import BaseModel, load_catalog, region_name
from tunedesk.core.i18n import Text, lazy

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

log = logging.getLogger(__name__)

ARM_BASE = "https://management.azure.com"
API_TENANTS = "2022-12-01"
API_SUBSCRIPTIONS = "2022-12-01"
API_RESOURCE_GROUPS = "2021-04-01"
API_WORKSPACES = "2024-10-01-preview"
API_COGNITIVE = "2024-10-01"
CONNECT_TIMEOUT = 20
READ_TIMEOUT = 120


@dataclass(frozen=True, slots=True)
class Tenant:
    tenant_id: str
    display_name: str
    default_domain: str


@dataclass(frozen=True, slots=True)
class Subscription:
    subscription_id: str
    display_name: str
    tenant_id: str
    state: str


@dataclass(frozen=True, slots=True)
class ResourceGroup:
    name: str
    location: str  # Azure location name, e.g. "westus"


@dataclass(frozen=True, slots=True)
class ArmResponse:
    """One ARM answer: status, headers (lower-case names) and the JSON body (or None)."""

    status: int
    headers: dict[str, str]
    body: Any


@dataclass(frozen=True, slots=True)
class Workspace:
    """An Azure AI Foundry hub or hub-based project (an Azure ML workspace)."""

    id: str
    name: str
    subscription_id: str
    resource_group: str
    kind: str  # "hub" | "project" | "default"
    location: str
    display_name: str
    hub_id: str | None
    workspace_guid: str | None
    tenant_id: str | None

    @property
    def region(self) -> str:
        return region_name(self.location)


# A Foundry resource is a Cognitive Services account of kind AIServices whose endpoints
# include the Foundry API at https://<name>.services.ai.azure.com/ (Microsoft Learn, "What is
# Microsoft Foundry?" / "Create a Foundry resource": kind AIServices, endpoints "AI Foundry
# API" and "OpenAI Language Model Instance API"); a classic Azure OpenAI account has kind
# OpenAI and https://<name>.openai.azure.com/. Both serve the Azure OpenAI v1 API.
FOUNDRY_HOST_SUFFIX = ".services.ai.azure.com"
OPENAI_ENDPOINT_KEY = "OpenAI Language Model Instance API"
FOUNDRY_ENDPOINT_KEY = "AI Foundry API"


@dataclass(frozen=True, slots=True)
class AIResource:
    """An Azure OpenAI or AI Services (Foundry resource) account."""

    id: str
    name: str
    subscription_id: str
    resource_group: str
    kind: str  # "OpenAI" | "AIServices"
    location: str
    endpoint: str  # where the Azure OpenAI API is (``/openai/v1/`` below it)
    tenant_id: str | None
    foundry_endpoint: str = ""  # https://<name>.services.ai.azure.com (Foundry resources)

    @property
    def region(self) -> str:
        return region_name(self.location)

    @property
    def is_foundry(self) -> bool:
        """A Foundry resource (AIServices with a Foundry endpoint), not a classic account."""
        return self.kind.lower() == "aiservices" and bool(self.foundry_endpoint)

    @property
    def key_account(self) -> str:
        return account_for_openai_key(self.id)


@dataclass(frozen=True, slots=True)
class RegionCheck:
    """Can ``model`` be fine-tuned in ``location``? If not, why, and where it can."""

    model: str
    location: str
    supported: bool
    regions: tuple[str, ...]  # display names of regions that can train the model
    reason: Text | None
    global_only: bool = False  # Azure OpenAI: only global training here


def _resource_group(arm_id: str) -> str:
    parts = arm_id.split("/")
    lowered = [p.lower() for p in parts]
    return parts[lowered.index("resourcegroups") + 1] if "resourcegroups" in lowered else ""


def _location(raw: dict[str, Any]) -> str:
    return str(raw.get("location") or "").replace(" ", "").lower()


def workspace_from(raw: dict[str, Any], subscription_id: str, tenant_id: str | None) -> Workspace:
    """A workspace as ARM returns it (list or get), as the rest of TuneDesk sees it."""
    props = raw.get("properties") or {}
    return Workspace(
        id=str(raw["id"]),
        name=str(raw["name"]),
        subscription_id=subscription_id,
        resource_group=_resource_group(str(raw["id"])),
        kind=str(raw.get("kind") or "default").lower(),
        location=_location(raw),
        display_name=str(props.get("friendlyName") or raw["name"]),
        hub_id=props.get("hubResourceId"),
        workspace_guid=props.get("workspaceId"),
        tenant_id=tenant_id,
    )


def ai_resource_from(
    raw: dict[str, Any], subscription_id: str, tenant_id: str | None
) -> AIResource:
    """A Cognitive Services account as ARM returns it, with its Azure OpenAI endpoint."""
    props = raw.get("properties") or {}
    endpoint = str(props.get("endpoint") or "")
    endpoints = props.get("endpoints") or {}
    if not isinstance(endpoints, dict):
        endpoints = {}
    foundry = str(endpoints.get(FOUNDRY_ENDPOINT_KEY) or "")
    if FOUNDRY_HOST_SUFFIX not in foundry.lower():
        candidates = [endpoint, *(str(v) for v in endpoints.values())]
        foundry = next((c for c in candidates if FOUNDRY_HOST_SUFFIX in c.lower()), "")
    openai_endpoint = endpoints.get(OPENAI_ENDPOINT_KEY)
    if openai_endpoint:
        endpoint = str(openai_endpoint)
    elif foundry:
        endpoint = foundry  # the Foundry host serves /openai/v1/ too
    return AIResource(
        id=str(raw["id"]),
        name=str(raw["name"]),
        subscription_id=subscription_id,
        resource_group=_resource_group(str(raw["id"])),
        kind=str(raw.get("kind") or ""),
        location=_location(raw),
        endpoint=endpoint.rstrip("/"),
        tenant_id=tenant_id,
        foundry_endpoint=foundry.rstrip("/"),
    )


def _not_offered(base: BaseModel, location: str) -> RegionCheck | None:
    """A retired or existing-customers-only model: refused with the catalog's sentence."""
    if base.offered:
        return None
    return RegionCheck(
        base.display_name,
        location,
        False,
        (),
        lazy.translate("CloudDiscovery", "{model} cannot be trained. {status}").format(
            model=base.display_name, status=base.status_note
        ),
    )


def check_region(model: BaseModel | str, location: str) -> RegionCheck:
    """Mark a workspace/resource region for a base model (bundled catalog facts).

    Regional (Standard) training first; then Global training where the catalog lists the
    region (``can_train_globally_in``), so a Global-only open model is accepted in every
    global-training region, with a note that the data may leave the region. A retired or
    restricted model is refused with its status sentence.
    """
    base = model if isinstance(model, BaseModel) else load_catalog().get(model)
    name = model.display_name if isinstance(model, BaseModel) else str(model)
    if base is None:
        return RegionCheck(name, location, True, (), None)
    refused = _not_offered(base, location)
    if refused is not None:
        return refused
    if base.can_train_in(location):
        return RegionCheck(base.display_name, location, True, base.region_names, None)
    if base.can_train_globally_in(location):
        return RegionCheck(
            base.display_name,
            location,
            True,
            base.region_names,
            lazy.translate(
                "CloudDiscovery",
                "{model} can only use global training in {region}: your data may be "
                "processed in another region.",
            ).format(model=base.display_name, region=region_name(location)),
            global_only=True,
        )
    return RegionCheck(
        base.display_name,
        location,
        False,
        base.region_names,
        lazy.translate(
            "CloudDiscovery",
            "{model} cannot be fine-tuned in {region}. Regions that can: {regions}.",
        ).format(
            model=base.display_name,
            region=region_name(location),
            regions=", ".join(base.region_names),
        ),
    )


def check_place(model: BaseModel | str, route: str, location: str) -> RegionCheck:
    """:func:`check_region`, and first whether this kind of place trains ``model`` at all.

    Hub projects train the hub route's models (azure-ai-ml serverless); Azure OpenAI and
    Foundry resources train the openai route's models (the fine_tuning API).
    """
    base = model if isinstance(model, BaseModel) else load_catalog().get(model)
    if base is not None and base.route != route:
        if base.route == "hub":
            reason = lazy.translate(
                "CloudDiscovery",
                "{model} is trained in an Azure AI Foundry hub project, not in an Azure "
                "OpenAI resource.",
            )
        else:
            reason = lazy.translate(
                "CloudDiscovery",
                "{model} is trained in an Azure OpenAI or Foundry resource, not in a hub project.",
            )
        return RegionCheck(
            base.display_name,
            location,
            False,
            base.region_names,
            reason.format(model=base.display_name),
        )
    if base is not None:
        refused = _not_offered(base, location)
        if refused is not None:
            return refused
    if not location:  # a key sign-in does not say where the resource is: Azure checks
        name = base.display_name if base is not None else str(model)
        return RegionCheck(name, location, True, base.region_names if base else (), None)
    return check_region(model, location)


class ArmClient:
    """A small synchronous ARM REST client (run its methods on a worker thread)."""

    def __init__(self, credential: TokenCredential, base_url: str = ARM_BASE) -> None:
        from azure.core.pipeline import policies
        from azure.mgmt.core import ARMPipelineClient
        from azure.mgmt.core.policies import (
            ARMAutoResourceProviderRegistrationPolicy,
            ARMChallengeAuthenticationPolicy,
            ARMHttpLoggingPolicy,
        )

        self.base_url = base_url
        self._client: Any = ARMPipelineClient(
            base_url=base_url,
            policies=[
                policies.RequestIdPolicy(),
                policies.HeadersPolicy(),
                policies.UserAgentPolicy(sdk_moniker="tunedesk"),
                policies.ProxyPolicy(),
                policies.ContentDecodePolicy(),
                ARMAutoResourceProviderRegistrationPolicy(),
                policies.RedirectPolicy(),
                # Retries 408/429/5xx and connection errors, honouring Retry-After.
                policies.RetryPolicy(retry_total=4, retry_backoff_factor=0.5, retry_backoff_max=30),
                ARMChallengeAuthenticationPolicy(credential, ARM_SCOPE),
                # Redacts Authorization and logs no bodies (keys never reach the log).
                ARMHttpLoggingPolicy(),
            ],
        )
        self._lock = threading.Lock()

    def send(
        self,
        method: str,
        url: str,
        *,
        api_version: str | None,
        body: Any = None,
        retry: bool = True,
        params: dict[str, str] | None = None,
    ) -> ArmResponse:
        """Send one ARM request; raise azure-core's HttpResponseError on 4xx/5xx.

        ``retry=False`` turns the pipeline's retries off (create calls that must be
        verified rather than repeated blindly).
        """
        from azure.core.exceptions import HttpResponseError
        from azure.core.rest import HttpRequest
        from azure.mgmt.core.exceptions import ARMErrorFormat

        query = dict(params or {})
        if api_version and "api-version=" not in url:
            query["api-version"] = api_version
        full = url if url.startswith("https://") else self.base_url + url
        req = HttpRequest(method, full, params=query, json=body)
        kwargs: dict[str, Any] = {
            "connection_timeout": CONNECT_TIMEOUT,
            "read_timeout": READ_TIMEOUT,
        }
        if not retry:
            kwargs["retry_total"] = 0
        response = self._client.send_request(req, **kwargs)
        if response.status_code >= 400:
            raise HttpResponseError(response=response, error_format=ARMErrorFormat)
        headers = {str(k).lower(): str(v) for k, v in response.headers.items()}
        content = response.json() if response.status_code != 204 and response.content else None
        return ArmResponse(response.status_code, headers, content)

    def request(self, method: str, url: str, **options: Any) -> Any:
        """:meth:`send` (same options), returning only the JSON body (None when empty)."""
        return self.send(method, url, **options).body

    def paged(
        self, url: str, *, api_version: str, params: dict[str, str] | None = None
    ) -> list[Any]:
        items: list[Any] = []
        next_url: str | None = url
        first = True
        while next_url:
            page = self.request(
                "GET",
                next_url,
                api_version=api_version if first else None,
                params=params if first else None,
            )
            first = False
            items.extend((page or {}).get("value") or [])
            next_url = (page or {}).get("nextLink")
        return items

    def close(self) -> None:
        self._client.close()


class Discovery:
    """Async discovery for one signed-in session (tenant switch: :meth:`for_tenant`)."""

    def __init__(self, session: AuthSession, tenant_id: str | None = None) -> None:
        self.session = session
        self.tenant_id = tenant_id
        self._arm: ArmClient | None = None

    def for_tenant(self, tenant_id: str) -> Discovery:
        return Discovery(self.session, tenant_id)

    def _client(self) -> ArmClient:
        if self._arm is None:
            self._arm = ArmClient(self.session.credential_for(self.tenant_id))
        return self._arm

    async def _run(self, fn: Any, *args: Any, ctx: ErrorContext | None = None) -> Any:
        with user_errors(ctx or ErrorContext(route="arm")):
            return await run_sync(fn, *args)

    async def list_tenants(self) -> list[Tenant]:
        def work() -> list[Tenant]:
            raw = self._client().paged("/tenants", api_version=API_TENANTS)
            return [
                Tenant(
                    tenant_id=str(t.get("tenantId")),
                    display_name=str(t.get("displayName") or t.get("defaultDomain") or ""),
                    default_domain=str(t.get("defaultDomain") or ""),
                )
                for t in raw
            ]

        return list(await self._run(work))

    async def list_subscriptions(self) -> list[Subscription]:
        def work() -> list[Subscription]:
            raw = self._client().paged("/subscriptions", api_version=API_SUBSCRIPTIONS)
            return [
                Subscription(
                    subscription_id=str(s.get("subscriptionId")),
                    display_name=str(s.get("displayName") or s.get("subscriptionId")),
                    tenant_id=str(s.get("tenantId") or self.tenant_id or ""),
                    state=str(s.get("state") or ""),
                )
                for s in raw
            ]

        return list(await self._run(work))

    async def list_resource_groups(self, subscription_id: str) -> list[ResourceGroup]:
        """The subscription's resource groups (AZURE.md 4.3), in the order ARM lists them."""

        def work() -> list[ResourceGroup]:
            raw = self._client().paged(
                f"/subscriptions/{subscription_id}/resourcegroups",
                api_version=API_RESOURCE_GROUPS,
            )
            return [ResourceGroup(name=str(g["name"]), location=_location(g)) for g in raw]

        return list(await self._run(work))

    async def list_workspaces(
        self, subscription_id: str, kinds: Iterable[str] = ("hub", "project")
    ) -> list[Workspace]:
        wanted = {k.lower() for k in kinds}

        def work() -> list[Workspace]:
            raw = self._client().paged(
                f"/subscriptions/{subscription_id}/providers/"
                "Microsoft.MachineLearningServices/workspaces",
                api_version=API_WORKSPACES,
                params={"kind": ",".join(sorted(wanted))},
            )
            out = []
            for w in raw:
                ws = workspace_from(w, subscription_id, self.tenant_id)
                if not wanted or ws.kind in wanted:
                    out.append(ws)
            return out

        return list(await self._run(work, ctx=ErrorContext(route="arm")))

    async def list_ai_resources(self, subscription_id: str) -> list[AIResource]:
        def work() -> list[AIResource]:
            raw = self._client().paged(
                f"/subscriptions/{subscription_id}/providers/Microsoft.CognitiveServices/accounts",
                api_version=API_COGNITIVE,
            )
            return [
                ai_resource_from(a, subscription_id, self.tenant_id)
                for a in raw
                if str(a.get("kind") or "").lower() in {"openai", "aiservices"}
            ]

        return list(await self._run(work))

    async def store_resource_key(self, resource: AIResource, store: SecretStore) -> ApiKeyAuth:
        """Fetch the resource's key with listKeys and put it straight into ``store``.

        The key is never returned, logged or kept elsewhere; the result names where it is.
        """

        def work() -> str:
            keys = self._client().request(
                "POST", f"{resource.id}/listKeys", api_version=API_COGNITIVE
            )
            return str((keys or {}).get("key1") or "")

        ctx = ErrorContext(
            route="openai",
            scope=scope_resource(resource.name),
        )
        key = await self._run(work, ctx=ctx)
        await store.set(resource.key_account, key)
        del key
        return ApiKeyAuth(endpoint=resource.endpoint, account=resource.key_account)

    async def send(
        self,
        method: str,
        url: str,
        *,
        api_version: str | None,
        body: Any = None,
        retry: bool = True,
        ctx: ErrorContext | None = None,
    ) -> ArmResponse:
        """One ARM call with its status and headers (long-running creates need them)."""
        client = self._client()
        response: ArmResponse = await self._run(
            lambda: client.send(method, url, api_version=api_version, body=body, retry=retry),
            ctx=ctx,
        )
        return response

    async def request(self, method: str, url: str, **options: Any) -> Any:
        """:meth:`send` (same options), returning only the JSON body (used by the routes)."""
        response = await self.send(method, url, **options)
        return response.body

    def close(self) -> None:
        if self._arm is not None:
            self._arm.close()
