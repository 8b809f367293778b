"""Emulated ARM basics at management.azure.com: tenants, subscriptions, resource groups
(list, get, create), locations and resource-provider registration (with nextLink paging)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tests.azure_emulator.http import Request, Response, Router
from tests.azure_emulator.world import (
    SANDBOX_SUBSCRIPTION_ID,
    SANDBOX_SUBSCRIPTION_NAME,
    SUBSCRIPTION_NAME,
    TENANT_DOMAIN,
    TENANT_NAME,
    IssuedToken,
    World,
)

ARM_HOST = r"management\.azure\.com"
ARM = "https://management.azure.com"

LOCATIONS = {
    "eastus": "East US",
    "eastus2": "East US 2",
    "westus": "West US",
    "westus3": "West US 3",
    "northcentralus": "North Central US",
    "southcentralus": "South Central US",
    "swedencentral": "Sweden Central",
    "japaneast": "Japan East",
}


@dataclass
class Subscription:
    subscription_id: str
    display_name: str
    state: str = "Enabled"


@dataclass
class ArmState:
    world: World
    subscriptions: list[Subscription] = field(default_factory=list)
    # Namespace -> registrationState, per subscription id (lower-case).
    providers: dict[str, dict[str, str]] = field(default_factory=dict)
    subscriptions_page_size: int = 1  # two subscriptions -> two pages: clients must follow nextLink
    resource_groups_page_size: int = 2
    lock: threading.RLock = field(default_factory=threading.RLock)

    def provider_state(self, subscription_id: str, namespace: str) -> str:
        regs = self.providers.setdefault(subscription_id.lower(), {})
        for ns, value in regs.items():
            if ns.lower() == namespace.lower():
                return value
        return "Registered"

    def set_provider_state(self, subscription_id: str, namespace: str, value: str) -> None:
        with self.lock:
            regs = self.providers.setdefault(subscription_id.lower(), {})
            for ns in list(regs):
                if ns.lower() == namespace.lower():
                    del regs[ns]
            regs[namespace] = value


def arm_auth(world: World, request: Request) -> IssuedToken | Response:
    """ARM's 401s; ``management.core.windows.net`` tokens are accepted as well."""
    if not request.q("api-version"):
        return Response.error(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        )
    return world.authorize(request, ARM)


def paged(request: Request, items: list[dict[str, Any]], page_size: int, **extra: Any) -> Response:
    """One page of ``items`` with a ``nextLink`` (``$skiptoken``) when more remain."""
    start = int(request.q("$skiptoken") or 0)
    page = items[start : start + page_size]
    body: dict[str, Any] = {"value": page, **extra}
    if start + page_size < len(items):
        query = {k: v[0] for k, v in request.query.items() if k != "$skiptoken"}
        query["$skiptoken"] = str(start + page_size)
        body["nextLink"] = f"{request.url}?{urlencode(query)}"
    return Response.json_body(body)


# Resource group names (Microsoft.Resources, ResourceGroups_CreateOrUpdate 2021-04-01,
# parameter resourceGroupName): 1-90 characters, ``^[-\w\._\(\)]+$``, not ending in a period.
RESOURCE_GROUP_NAME = re.compile(r"[-\w._()]{1,90}")


def location_problem(location: object, resource_type: str | None) -> Response | None:
    """ARM's 400 for a missing or unknown ``location`` of a resource (None: a resource group)."""
    if not isinstance(location, str) or not location:
        return Response.error(
            400, "LocationRequired", "The location property is required for this definition."
        )
    if location.replace(" ", "").lower() in LOCATIONS:
        return None
    regions = ",".join(LOCATIONS)
    if resource_type is None:
        return Response.error(
            400,
            "LocationNotAvailableForResourceGroup",
            f"The provided location '{location}' is not available for resource group. "
            f"List of available regions is '{regions}'.",
        )
    return Response.error(
        400,
        "LocationNotAvailableForResourceType",
        f"The provided location '{location}' is not available for resource type "
        f"'{resource_type}'. List of available regions for the resource type is '{regions}'.",
    )


def request_body(request: Request) -> dict[str, Any] | Response:
    """The JSON object a PUT carries, or ARM's 400 when it is not one."""
    try:
        body = request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return Response.error(
            400, "InvalidRequestContent", "The request content is not a valid JSON object."
        )
    return body


def resource_group_problem(world: World, sub: str, rg: str) -> Response | None:
    """The 404 ARM answers for a PUT into a resource group that does not exist."""
    if sub.lower() == world.subscription_id.lower() and any(
        name.lower() == rg.lower() for name in world.resource_groups
    ):
        return None
    return Response.error(
        404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found."
    )


def resource_not_found(resource_type: str, name: str, rg: str) -> Response:
    return Response.error(
        404,
        "ResourceNotFound",
        f"The Resource '{resource_type}/{name}' under resource group '{rg}' was not found. For "
        "more details please go to https://aka.ms/ARMResourceNotFoundFix",
    )


def guard_resource(
    world: World, request: Request, provider: str, action: str
) -> IssuedToken | Response:
    """ARM's checks before a provider sees a request for ``{rg}/providers/{provider}/...``:
    token, subscription, role (``world.denied``), then the resource group's existence."""
    tok = arm_auth(world, request)
    if isinstance(tok, Response):
        return tok
    sub, rg = request.params["sub"], request.params["rg"]
    if sub.lower() != world.subscription_id.lower():
        return Response.error(
            404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found."
        )
    denied = world.forbidden(tok, provider, f"{provider}/{action}", request.path)
    if denied is not None:
        return denied
    return resource_group_problem(world, sub, rg) or tok


@dataclass
class Creation:
    """A create-or-update PUT that passed ARM's checks and the name rule."""

    name: str
    rg: str
    body: dict[str, Any]
    location: str   # normalised: "westus"


def creation(
    world: World,
    request: Request,
    *,
    provider: str,
    resource_type: str,
    name_rule: re.Pattern[str],
    name_error: tuple[str, str],
    name_param: str = "name",
    checked: bool = False,
) -> Creation | Response:
    """Checks every emulated create PUT shares: token/role (unless the provider's own wrapper
    did them: ``checked``), resource group, name (``name_error``: code and a message with
    ``{name}``), a JSON body and its ``location``."""
    if checked:
        problem = resource_group_problem(world, request.params["sub"], request.params["rg"])
    else:
        tok = guard_resource(world, request, provider, f"{resource_type}/write")
        problem = tok if isinstance(tok, Response) else None
    if problem is not None:
        return problem
    name, rg = request.params[name_param], request.params["rg"]
    if not name_rule.fullmatch(name):
        return Response.error(400, name_error[0], name_error[1].format(name=name))
    body = request_body(request)
    if isinstance(body, Response):
        return body
    problem = location_problem(body.get("location"), f"{provider}/{resource_type}")
    if problem is not None:
        return problem
    return Creation(name, rg, body, str(body["location"]).replace(" ", "").lower())


def emulator_limitation(what: str, name: str) -> Response:
    """This emulator keys some resources by name alone; Azure would allow the other group."""
    return Response.error(
        409,
        "EmulatorLimitation",
        f"The emulator already has {what} named '{name}' in another resource group.",
    )


def authorized(
    world: World,
) -> Callable[[Callable[[Request, IssuedToken], Response]], Callable[[Request], Response]]:
    def wrap(fn: Callable[[Request, IssuedToken], Response]) -> Callable[[Request], Response]:
        def handler(request: Request) -> Response:
            tok = arm_auth(world, request)
            if isinstance(tok, Response):
                return tok
            return fn(request, tok)

        return handler

    return wrap


def register(router: Router, world: World) -> ArmState:
    state = ArmState(
        world,
        [
            Subscription(world.subscription_id, SUBSCRIPTION_NAME),
            Subscription(SANDBOX_SUBSCRIPTION_ID, SANDBOX_SUBSCRIPTION_NAME),
        ],
    )
    auth = authorized(world)

    def sub_json(s: Subscription) -> dict[str, Any]:
        return {
            "id": f"/subscriptions/{s.subscription_id}",
            "authorizationSource": "RoleBased",
            "managedByTenants": [],
            "subscriptionId": s.subscription_id,
            "tenantId": world.tenant_id,
            "displayName": s.display_name,
            "state": s.state,
            "subscriptionPolicies": {
                "locationPlacementId": "Public_2014-09-01",
                "quotaId": "PayAsYouGo_2014-09-01",
                "spendingLimit": "Off",
            },
        }

    def find_sub(sub: str) -> Subscription | None:
        return next(
            (s for s in state.subscriptions if s.subscription_id.lower() == sub.lower()), None
        )

    def not_found(sub: str) -> Response:
        return Response.error(
            404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found."
        )

    def rg_json(sub: str, name: str, location: str) -> dict[str, Any]:
        return {
            "id": f"/subscriptions/{sub}/resourceGroups/{name}",
            "name": name,
            "type": "Microsoft.Resources/resourceGroups",
            "location": location,
            "properties": {"provisioningState": "Succeeded"},
        }

    def rgs_of(sub: str) -> dict[str, str]:
        return dict(world.resource_groups) if sub.lower() == world.subscription_id.lower() else {}

    @router.route("GET", ARM_HOST, r"/tenants")
    @auth
    def tenants(request: Request, tok: IssuedToken) -> Response:
        return Response.json_body(
            {
                "value": [
                    {
                        "id": f"/tenants/{world.tenant_id}",
                        "tenantId": world.tenant_id,
                        "countryCode": "US",
                        "displayName": TENANT_NAME,
                        "domains": [TENANT_DOMAIN, "contoso.com"],
                        "tenantCategory": "Home",
                        "defaultDomain": TENANT_DOMAIN,
                        "tenantType": "AAD",
                    }
                ]
            }
        )

    @router.route("GET", ARM_HOST, r"/subscriptions")
    @auth
    def subscriptions(request: Request, tok: IssuedToken) -> Response:
        items = [sub_json(s) for s in state.subscriptions]
        return paged(
            request,
            items,
            state.subscriptions_page_size,
            count={"type": "Total", "value": len(items)},
        )

    @router.route("GET", ARM_HOST, r"/subscriptions/(?P<sub>[^/]+)")
    @auth
    def subscription(request: Request, tok: IssuedToken) -> Response:
        s = find_sub(request.params["sub"])
        return Response.json_body(sub_json(s)) if s else not_found(request.params["sub"])

    @router.route("GET", ARM_HOST, r"/subscriptions/(?P<sub>[^/]+)/locations")
    @auth
    def locations(request: Request, tok: IssuedToken) -> Response:
        sub = request.params["sub"]
        if not find_sub(sub):
            return not_found(sub)
        return Response.json_body(
            {
                "value": [
                    {
                        "id": f"/subscriptions/{sub}/locations/{name}",
                        "name": name,
                        "displayName": display,
                        "regionalDisplayName": f"({display.split()[0]}) {display}",
                        "type": "Region",
                    }
                    for name, display in LOCATIONS.items()
                ]
            }
        )

    @router.route("GET", ARM_HOST, r"/subscriptions/(?P<sub>[^/]+)/resourcegroups")
    @auth
    def resource_groups(request: Request, tok: IssuedToken) -> Response:
        sub = request.params["sub"]
        if not find_sub(sub):
            return not_found(sub)
        items = [rg_json(sub, n, loc) for n, loc in rgs_of(sub).items()]
        return paged(request, items, state.resource_groups_page_size)

    @router.route("GET", ARM_HOST, r"/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)")
    @auth
    def resource_group(request: Request, tok: IssuedToken) -> Response:
        sub, rg = request.params["sub"], request.params["rg"]
        for name, loc in rgs_of(sub).items():
            if name.lower() == rg.lower():
                return Response.json_body(rg_json(sub, name, loc))
        return Response.error(
            404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found."
        )

    @router.route("PUT", ARM_HOST, r"/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)")
    @auth
    def put_resource_group(request: Request, tok: IssuedToken) -> Response:
        """ResourceGroups_CreateOrUpdate: synchronous, 201 when created, 200 when it existed."""
        sub, rg = request.params["sub"], request.params["rg"]
        if not find_sub(sub):
            return not_found(sub)
        if sub.lower() != world.subscription_id.lower():
            # Only the main subscription holds state the other services can see.
            return Response.error(
                501, "EmulatorLimitation", "The emulator creates resources in one subscription."
            )
        denied = world.forbidden(
            tok,
            "Microsoft.Resources",
            "Microsoft.Resources/subscriptions/resourceGroups/write",
            f"/subscriptions/{sub}/resourceGroups/{rg}",
        )
        if denied is not None:
            return denied
        if not RESOURCE_GROUP_NAME.fullmatch(rg) or rg.endswith("."):
            return Response.error(
                400,
                "InvalidResourceGroup",
                f"The provided resource group name '{rg}' has these invalid characters or is "
                "too long. The name can only be a letter, digit, '-', '.', '(', ')' or '_', "
                "up to 90 characters, and cannot end with '.'.",
            )
        body = request_body(request)
        if isinstance(body, Response):
            return body
        location = body.get("location")
        problem = location_problem(location, None)
        if problem is not None:
            return problem
        assert isinstance(location, str)
        wanted = location.replace(" ", "").lower()
        with world.lock:
            existing = next((n for n in world.resource_groups if n.lower() == rg.lower()), None)
            if existing is not None:
                if world.resource_groups[existing] != wanted:
                    return Response.error(
                        409,
                        "InvalidResourceGroupLocation",
                        f"Invalid resource group location '{wanted}'. The Resource group "
                        f"already exists in location '{world.resource_groups[existing]}'.",
                    )
                return Response.json_body(rg_json(sub, existing, wanted))
            world.resource_groups[rg] = wanted
        return Response.json_body(rg_json(sub, rg, wanted), 201)

    def provider_json(sub: str, ns: str) -> dict[str, Any]:
        return {
            "id": f"/subscriptions/{sub}/providers/{ns}",
            "namespace": ns,
            "registrationState": state.provider_state(sub, ns),
            "registrationPolicy": "RegistrationRequired",
            "resourceTypes": [],
        }

    @router.route("GET", ARM_HOST, r"/subscriptions/(?P<sub>[^/]+)/providers/(?P<ns>[^/]+)")
    @auth
    def provider(request: Request, tok: IssuedToken) -> Response:
        sub = request.params["sub"]
        if not find_sub(sub):
            return not_found(sub)
        return Response.json_body(provider_json(sub, request.params["ns"]))

    @router.route(
        "POST", ARM_HOST, r"/subscriptions/(?P<sub>[^/]+)/providers/(?P<ns>[^/]+)/register"
    )
    @auth
    def register_provider(request: Request, tok: IssuedToken) -> Response:
        sub, ns = request.params["sub"], request.params["ns"]
        if not find_sub(sub):
            return not_found(sub)
        # Registration completes at once here; real ARM shows "Registering" for a while.
        state.set_provider_state(sub, ns, "Registered")
        return Response.json_body(provider_json(sub, ns))

    return state
