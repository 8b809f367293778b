"""Emulated ARM basics at management.azure.com: tenants, subscriptions, resource groups,
locations and resource-provider registration (with nextLink paging)."""

from __future__ import annotations

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
