"""“Create one for me”: a place to fine-tune for someone who has none.

Hub route (Phi, Mistral, Llama…): a Foundry hub and a hub-based project in a region that can
fine-tune the model. Azure ML / Foundry workspaces of kind Hub name a storage account and a
key vault, which are created first, as azure-ai-ml's own hub template does
(``azure/ai/ml/_arm_deployments/arm_templates/workspace_base.json``, SDK 1.35: Storage
``Standard_LRS``/``StorageV2``, Key Vault ``standard``/family ``A`` with RBAC; Application
Insights is optional there and is not created here). The project sends what the SDK's
``workspace_project.json`` sends: friendlyName, description, ``hubResourceId``, kind, location
and a system-assigned identity. Workspace names: ``^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$``
(azure-rest-api-specs ``machinelearningservices/.../2024-10-01-preview/workspaceRP.json``).
Serverless fine-tuning also needs the subscription's ``Microsoft.Network`` provider registered
(AZURE.md 1.10, [FT-SLS]); it is registered when it is not.

OpenAI route (GPT models): a Foundry resource, i.e. a Cognitive Services account of kind
``AIServices``, sku ``S0``, with a ``customSubDomainName`` (globally unique; its endpoints
``https://{sub}.cognitiveservices.azure.com/`` and ``https://{sub}.openai.azure.com/`` live on
it and Entra ID sign-in needs it; cognitiveservices.json 2024-10-01: account names 2-64,
``^[a-zA-Z0-9][a-zA-Z0-9_.-]*$``).

Resource groups: ``PUT /subscriptions/{sub}/resourcegroups/{name}?api-version=2021-04-01``
with a ``location``; names 1-90 of letters, digits, ``-._()``, not ending in ``.``.

Creating is a long-running ARM operation (ARM RPC async-api-reference): the PUT answers
201/200 with a non-terminal ``provisioningState`` and an ``Azure-AsyncOperation`` URL
(``status`` InProgress → Succeeded/Failed/Canceled), or 202 with a ``Location`` URL (202 while
running, then the result; Azure ML workspaces and storage accounts do this), either with
``Retry-After``; key vaults answer 201 with ``RegisteringDns`` and are polled by GET. Every PUT
is sent without retries; after an answer that may not have been one (dropped connection,
timeout, 5xx, 429) the resource is looked up before the PUT is sent again, so nothing is
created twice. PUT is create-or-update, and the names are derived deterministically, so
calling :func:`create_place` again with the same plan finishes what a crash interrupted.

Creating resources needs Owner or Contributor (errors.ROLE_CREATE).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from tunedesk.cloud.discovery import (
    API_COGNITIVE,
    API_RESOURCE_GROUPS,
    API_SUBSCRIPTIONS,
    API_WORKSPACES,
    ARM_BASE,
    AIResource,
    ArmResponse,
    Discovery,
    ResourceGroup,
    Workspace,
    ai_resource_from,
    workspace_from,
)
from tunedesk.cloud.errors import (
    ROLE_CREATE,
    CloudError,
    CreationFailed,
    CreationNotFinished,
    ErrorContext,
    ModelNotTrainable,
    NameNotAllowed,
    PermissionDenied,
    RegionNotSupported,
    ResourceMissing,
    parse_retry_after,
    retry_delay,
    scope_project,
    scope_resource_group,
)
from tunedesk.core.catalog import BaseModel, load_catalog, normalize_region, region_name
from tunedesk.core.i18n import Text, lazy

__all__ = [
    "CreationPlan",
    "ResourceGroup",
    "create_place",
    "plan_place",
    "training_regions",
]

log = logging.getLogger(__name__)

# The versions azure-ai-ml's hub template uses for the hub's storage account and key vault.
API_STORAGE = "2023-04-01"
API_KEY_VAULT = "2023-07-01"
API_PROVIDERS = "2021-04-01"
TAGS = {"created-by": "TuneDesk"}

PUT_ATTEMPTS = 4          # one PUT, then at most three more after verified non-arrival
LOOKUP_ATTEMPTS = 3
WAIT_SECONDS = 30 * 60    # a hub usually takes a few minutes; stop waiting after half an hour
POLL_FIRST = 0.5          # polling without Retry-After: 0.5 s, 1 s, 2 s … up to POLL_MAX
POLL_MAX = 15.0
POLL_MIN = 0.2            # even when Azure says Retry-After: 0
TERMINAL = {"succeeded", "failed", "canceled", "cancelled"}

RESOURCE_GROUP_NAME = re.compile(r"[-\w._()]{1,90}")
WORKSPACE_MAX = 33
ACCOUNT_MAX = 64


@dataclass(frozen=True, slots=True)
class CreationPlan:
    """What :func:`create_place` will create, shown to the person before anything is sent.

    ``names`` in order: the resource group when ``new_resource_group``, then for the hub
    route the storage account, key vault, hub and project; for the openai route the Foundry
    (AI Services) resource, whose name is also its custom subdomain.
    """

    route: Literal["hub", "openai"]
    subscription_id: str
    resource_group: str
    new_resource_group: bool
    location: str
    names: tuple[str, ...]
    summary: tuple[Text, ...]


# ----------------------------------------------------------------------------------- planning
def training_regions(model: BaseModel) -> tuple[str, ...]:
    """Azure location names where ``model`` can be fine-tuned (regional training, bundled
    catalog), best first: a region where more of the route's models can be trained comes
    first (a place made now can train them later too), then the catalog's own order."""
    siblings = load_catalog().for_route(model.route)

    def reach(location: str) -> int:
        return sum(1 for m in siblings if location in m.training_regions)

    order = {loc: i for i, loc in enumerate(model.training_regions)}
    return tuple(sorted(model.training_regions, key=lambda loc: (-reach(loc), order[loc])))


def plan_place(
    model: BaseModel,
    subscription_id: str,
    *,
    resource_group: str,
    new_resource_group: bool,
    location: str,
    taken_names: Iterable[str] = (),
) -> CreationPlan:
    """The plan for a new place to fine-tune ``model`` in ``location``.

    Raises :class:`RegionNotSupported` (with the regions that can) when ``location`` cannot
    train the model, :class:`NameNotAllowed` for a new resource group name Azure refuses.
    ``taken_names``: names already in use (workspaces, resources) that must not be reused.
    """
    location = normalize_region(location)
    regions = training_regions(model)
    if not regions:
        raise ModelNotTrainable(model.display_name)
    if location not in regions:
        shown = tuple(region_name(r) for r in regions)
        raise RegionNotSupported(
            model.display_name,
            region_name(location),
            shown,
            hint=lazy.translate(
                "CloudProvision", "Choose one of these regions instead: {regions}."
            ).format(regions=", ".join(shown)),
        )
    if new_resource_group:
        _check_resource_group_name(resource_group)
    taken = {n.lower() for n in taken_names}
    digest = hashlib.sha256(
        f"{subscription_id}|{resource_group}|{location}".lower().encode()
    ).hexdigest()
    region = region_name(location)
    group = (resource_group,) if new_resource_group else ()
    if model.route == "hub":
        storage = _unique("tdstore" + digest[:12], taken, 24, sep="")
        vault = _unique("td-kv-" + digest[:12], taken, 24)
        hub = _unique(_trim(f"tunedesk-hub-{location}", WORKSPACE_MAX), taken, WORKSPACE_MAX)
        project = _unique(
            _trim(f"tunedesk-{_slug(model.id)}", WORKSPACE_MAX), taken, WORKSPACE_MAX
        )
        names: tuple[str, ...] = (*group, storage, vault, hub, project)
        summary: tuple[Text, ...] = (
            _group_sentence(resource_group, new_resource_group, region),
            lazy.translate(
                "CloudProvision",
                "A Foundry hub \"{hub}\" in {region}, with the storage account \"{storage}\" "
                "and the key vault \"{vault}\" it keeps its files and secrets in.",
            ).format(hub=hub, region=region, storage=storage, vault=vault),
            lazy.translate(
                "CloudProvision",
                "A project \"{project}\" in that hub, where {model} can be fine-tuned.",
            ).format(project=project, model=model.display_name),
            lazy.translate(
                "CloudProvision",
                "Creating them costs nothing: you pay only once you use them, for training, "
                "for hosting a fine-tuned model and for the files you store.",
            ),
        )
    else:
        account = _unique(
            _trim(f"tunedesk-{location}-{digest[:8]}", ACCOUNT_MAX), taken, ACCOUNT_MAX
        )
        names = (*group, account)
        summary = (
            _group_sentence(resource_group, new_resource_group, region),
            lazy.translate(
                "CloudProvision",
                "A Foundry resource (Azure AI Services) \"{name}\" in {region}, where {model} "
                "can be fine-tuned.",
            ).format(name=account, region=region, model=model.display_name),
            lazy.translate(
                "CloudProvision",
                "Creating it costs nothing: you pay only once you use it, for training, for "
                "hosting a fine-tuned model and for the questions it answers.",
            ),
        )
    return CreationPlan(
        route=model.route,
        subscription_id=subscription_id,
        resource_group=resource_group,
        new_resource_group=new_resource_group,
        location=location,
        names=names,
        summary=summary,
    )


def _check_resource_group_name(name: str) -> None:
    if not RESOURCE_GROUP_NAME.fullmatch(name) or name.endswith("."):
        raise NameNotAllowed(
            name,
            lazy.translate(
                "CloudProvision",
                "A resource group name has 1 to 90 letters, digits, hyphens, underscores, "
                "periods or parentheses, and cannot end with a period.",
            ),
        )


def _group_sentence(name: str, new: bool, region: str) -> Text:
    if new:
        return lazy.translate(
            "CloudProvision", "A new resource group \"{group}\" in {region}."
        ).format(group=name, region=region)
    return lazy.translate(
        "CloudProvision", "Everything goes into your resource group \"{group}\"."
    ).format(group=name)


def _slug(text: str) -> str:
    """``Meta-Llama-3.1-8B-Instruct`` -> ``meta-llama-3-1-8b-instruct``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _trim(name: str, limit: int) -> str:
    return name[:limit].rstrip("-")


def _unique(base: str, taken: set[str], limit: int, sep: str = "-") -> str:
    """``base``, or ``base-2``, ``base-3``… (kept within ``limit``) if it is taken."""
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f"{sep}{n}"
        candidate = _trim(base[: limit - len(suffix)], limit) + suffix
    return candidate


# ----------------------------------------------------------------------------------- creating
@dataclass(frozen=True, slots=True)
class _Step:
    what: Text                 # "the hub "x"", for progress and errors
    url: str                   # ARM path of the resource
    api_version: str
    body: dict[str, Any]


async def create_place(
    discovery: Discovery,
    plan: CreationPlan,
    on_progress: Callable[[Text], None] | None = None,
) -> Workspace | AIResource:
    """Create what ``plan`` describes; return the project (hub route) or the Foundry resource
    (openai route) exactly as :class:`Discovery` lists it.

    Safe to call again after a failure or crash: what exists is updated, not duplicated.
    ``on_progress`` is called on the event loop with a sentence before each step.
    """
    say = on_progress or (lambda _text: None)
    sub = plan.subscription_id
    rg_path = f"/subscriptions/{sub}/resourceGroups/{plan.resource_group}"
    ctx = ErrorContext(
        route="arm",
        role=ROLE_CREATE,
        # A new group needs the role on the subscription; an existing one, on the group.
        scope=None if plan.new_resource_group else scope_resource_group(plan.resource_group),
        what=scope_resource_group(plan.resource_group),
        region=plan.location,
    )
    names = list(plan.names)
    if plan.new_resource_group:
        names.pop(0)
        group = _Step(
            scope_resource_group(plan.resource_group),
            f"/subscriptions/{sub}/resourcegroups/{plan.resource_group}",
            API_RESOURCE_GROUPS,
            {"location": plan.location, "tags": TAGS},
        )
        await _create(discovery, group, ctx, say)
    if plan.route == "openai":
        (account,) = names
        step = _Step(
            _thing("account", account),
            f"{rg_path}/providers/Microsoft.CognitiveServices/accounts/{account}",
            API_COGNITIVE,
            {
                "location": plan.location,
                "kind": "AIServices",
                "sku": {"name": "S0"},
                "identity": {"type": "SystemAssigned"},
                "tags": TAGS,
                "properties": {
                    "customSubDomainName": account.lower(),
                    "publicNetworkAccess": "Enabled",
                },
            },
        )
        created = await _create(discovery, step, ctx, say)
        say(lazy.translate("CloudProvision", "Everything is ready."))
        return ai_resource_from(created, sub, discovery.tenant_id)

    storage, vault, hub, project = names
    tenant = await _tenant_of(discovery, sub, ctx)
    await _register_network(discovery, sub, ctx)
    storage_step = _Step(
        _thing("storage", storage),
        f"{rg_path}/providers/Microsoft.Storage/storageAccounts/{storage}",
        API_STORAGE,
        {
            "location": plan.location,
            "sku": {"name": "Standard_LRS"},
            "kind": "StorageV2",
            "tags": TAGS,
            "properties": {
                "encryption": {
                    "services": {"blob": {"enabled": True}, "file": {"enabled": True}},
                    "keySource": "Microsoft.Storage",
                },
                "supportsHttpsTrafficOnly": True,
                "allowBlobPublicAccess": False,
                "minimumTlsVersion": "TLS1_2",
                "isHnsEnabled": False,
                "publicNetworkAccess": "Enabled",
            },
        },
    )
    vault_step = _Step(
        _thing("vault", vault),
        f"{rg_path}/providers/Microsoft.KeyVault/vaults/{vault}",
        API_KEY_VAULT,
        {
            "location": plan.location,
            "tags": TAGS,
            "properties": {
                "tenantId": tenant,
                "sku": {"family": "A", "name": "standard"},
                "accessPolicies": [],
                "enableRbacAuthorization": True,
                "publicNetworkAccess": "Enabled",
            },
        },
    )
    storage_id = str((await _create(discovery, storage_step, ctx, say))["id"])
    vault_id = str((await _create(discovery, vault_step, ctx, say))["id"])
    workspaces = f"{rg_path}/providers/Microsoft.MachineLearningServices/workspaces"
    hub_step = _Step(
        _thing("hub", hub),
        f"{workspaces}/{hub}",
        API_WORKSPACES,
        {
            "location": plan.location,
            "kind": "Hub",
            "identity": {"type": "SystemAssigned"},
            "tags": TAGS,
            "properties": {
                "friendlyName": f"TuneDesk hub ({region_name(plan.location)})",
                "description": "Created by TuneDesk for fine-tuning.",
                "storageAccount": storage_id,
                "keyVault": vault_id,
                "publicNetworkAccess": "Enabled",
            },
        },
    )
    hub_id = str((await _create(discovery, hub_step, ctx, say))["id"])
    project_step = _Step(
        scope_project(project),
        f"{workspaces}/{project}",
        API_WORKSPACES,
        {
            "location": plan.location,
            "kind": "Project",
            "identity": {"type": "SystemAssigned"},
            "tags": TAGS,
            "properties": {
                "friendlyName": project,
                "description": "Created by TuneDesk for fine-tuning.",
                "hubResourceId": hub_id,
            },
        },
    )
    created = await _create(discovery, project_step, ctx, say)
    say(lazy.translate("CloudProvision", "Everything is ready."))
    return workspace_from(created, sub, discovery.tenant_id)


# What is being created, for progress and errors: "the hub "x"" (one sentence each for lupdate).
_THINGS = {
    "storage": lazy.translate("CloudProvision", "the storage account \"{name}\""),
    "vault": lazy.translate("CloudProvision", "the key vault \"{name}\""),
    "hub": lazy.translate("CloudProvision", "the hub \"{name}\""),
    "account": lazy.translate("CloudProvision", "the Foundry resource \"{name}\""),
}


def _thing(kind: str, name: str) -> Text:
    return _THINGS[kind].format(name=name)


async def _tenant_of(discovery: Discovery, subscription_id: str, ctx: ErrorContext) -> str:
    """The subscription's tenant (a key vault must name it)."""
    sub = await discovery.request(
        "GET", f"/subscriptions/{subscription_id}", api_version=API_SUBSCRIPTIONS, ctx=ctx
    )
    return str((sub or {}).get("tenantId") or discovery.tenant_id or "")


async def _register_network(discovery: Discovery, subscription_id: str, ctx: ErrorContext) -> None:
    """Serverless fine-tuning needs Microsoft.Network registered (best effort: someone with a
    role on one resource group only cannot register providers, and may not need to)."""
    url = f"/subscriptions/{subscription_id}/providers/Microsoft.Network"
    try:
        provider = await discovery.request("GET", url, api_version=API_PROVIDERS, ctx=ctx)
        if str((provider or {}).get("registrationState", "")).lower() != "registered":
            await discovery.request("POST", f"{url}/register", api_version=API_PROVIDERS, ctx=ctx)
    except PermissionDenied:
        log.info("cannot register Microsoft.Network in %s; continuing", subscription_id)


async def _create(
    discovery: Discovery, step: _Step, ctx: ErrorContext, say: Callable[[Text], None]
) -> dict[str, Any]:
    """PUT ``step`` once, wait until Azure has finished, return the resource as ARM has it."""
    say(lazy.translate("CloudProvision", "Creating {what}…").format(what=step.what))
    log.info("creating %s", step.url)
    answer = await _put_once(discovery, step, ctx)
    reason = await _wait(discovery, step, answer, ctx, say)
    final = await _lookup(discovery, step, ctx)
    if final is None:
        raise CreationFailed(step.what, reason)
    if _state(final) not in ("", "succeeded"):
        error = (final.get("properties") or {}).get("error")
        detail = error.get("message") if isinstance(error, dict) else None
        raise CreationFailed(step.what, reason or detail)
    return final


async def _put_once(discovery: Discovery, step: _Step, ctx: ErrorContext) -> ArmResponse | None:
    """The PUT's answer, or None when it was lost but the resource turned out to exist."""
    last: CloudError | None = None
    for attempt in range(PUT_ATTEMPTS):
        try:
            return await discovery.send(
                "PUT",
                step.url,
                api_version=step.api_version,
                body=step.body,
                retry=False,
                ctx=ctx,
            )
        except CloudError as err:
            if not err.retryable:
                raise
            last = err
        # The request may have reached Azure: look before sending it again.
        if await _lookup(discovery, step, ctx) is not None:
            log.info("%s exists after an unanswered PUT; not sending it again", step.url)
            return None
        await asyncio.sleep(retry_delay(last, attempt))
    assert last is not None
    raise last


async def _lookup(discovery: Discovery, step: _Step, ctx: ErrorContext) -> dict[str, Any] | None:
    """GET the resource (None if it does not exist), retrying passing faults."""
    for attempt in range(LOOKUP_ATTEMPTS):
        try:
            body = await discovery.request("GET", step.url, api_version=step.api_version, ctx=ctx)
            return body if isinstance(body, dict) else None
        except ResourceMissing:
            return None
        except CloudError as err:
            if not err.retryable or attempt == LOOKUP_ATTEMPTS - 1:
                raise
            await asyncio.sleep(retry_delay(err, attempt))
    return None


async def _wait(
    discovery: Discovery,
    step: _Step,
    answer: ArmResponse | None,
    ctx: ErrorContext,
    say: Callable[[Text], None],
) -> str | None:
    """Poll until the operation is over; the failure reason Azure gave, if any.

    Azure-AsyncOperation first, else the 202's Location, else the resource's own
    provisioningState. Only URLs on the ARM host are followed (they get the ARM token).
    """
    headers = answer.headers if answer is not None else {}
    status_url = _arm_url(headers.get("azure-asyncoperation"))
    location = _arm_url(headers.get("location")) if answer and answer.status == 202 else None
    if status_url is None and location is None and answer and _state(answer.body) in TERMINAL:
        return None                                        # finished at once (a resource group)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    delay = _poll_delay(headers, 0)
    said = False
    attempt = 0
    while True:
        attempt += 1
        if loop.time() + delay > deadline:
            raise CreationNotFinished(step.what)
        await asyncio.sleep(delay)
        try:
            if status_url is not None:
                polled = await discovery.send("GET", status_url, api_version=None, ctx=ctx)
                status = polled.body if isinstance(polled.body, dict) else {}
                if str(status.get("status", "")).lower() in TERMINAL:
                    error = status.get("error")
                    return str(error.get("message")) if isinstance(error, dict) else None
            elif location is not None:
                polled = await discovery.send("GET", location, api_version=None, ctx=ctx)
                if polled.status != 202:
                    return None
            else:
                polled = await discovery.send(
                    "GET", step.url, api_version=step.api_version, ctx=ctx
                )
                if _state(polled.body) in TERMINAL or not _state(polled.body):
                    return None
            delay = _poll_delay(polled.headers, attempt)
        except CloudError as err:
            if location is not None and not err.retryable:
                return err.service_message     # the operation ended in this error
            if not err.retryable:
                raise
            delay = retry_delay(err, attempt)
        if not said:
            said = True
            say(
                lazy.translate(
                    "CloudProvision", "Azure is still creating {what}; this can take a few minutes…"
                ).format(what=step.what)
            )


def _state(body: Any) -> str:
    props = body.get("properties") if isinstance(body, dict) else None
    return str((props or {}).get("provisioningState") or "").lower()


def _poll_delay(headers: dict[str, str], attempt: int) -> float:
    hinted = parse_retry_after(headers)
    if hinted is not None:
        return min(max(hinted, POLL_MIN), 60.0)
    return min(POLL_FIRST * 2.0 ** max(attempt - 1, 0), POLL_MAX)


def _arm_url(url: str | None) -> str | None:
    return url if url and url.lower().startswith(ARM_BASE + "/") else None
