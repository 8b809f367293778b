"""Helpers shared by the AML handler modules: ARM auth, ids, paging, error envelopes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.azure_emulator.aml_state import PROVIDER, AmlState, Workspace
from tests.azure_emulator.http import Request, Response
from tests.azure_emulator.world import IssuedToken

ARM_HOST = r"management\.azure\.com"
WS_PATH = (
    r"/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)"
    r"/providers/Microsoft\.MachineLearningServices/workspaces/(?P<ws>[^/]+)"
)
ARM_AUDIENCES = ("https://management.azure.com", "https://management.core.windows.net")
# AML data-plane hosts ({region}.api.azureml.ms) accept ARM tokens and ml.azure.com tokens.
DATAPLANE_AUDIENCES = (*ARM_AUDIENCES, "https://ml.azure.com", "https://ml.azure.com/")

Guarded = Callable[[Request, IssuedToken], Response]


def authenticate(
    state: AmlState, request: Request, audiences: tuple[str, ...]
) -> IssuedToken | Response:
    header = request.headers.get("authorization", "")
    _, _, value = header.partition(" ")
    tok = state.world.tokens.get(value)
    audience = tok.audience if tok is not None and tok.audience in audiences else audiences[0]
    return state.world.authorize(request, audience)


def arm(state: AmlState, action: str, handler: Guarded) -> Callable[[Request], Response]:
    """Wrap a handler with ARM auth, RBAC (world.denied), call recording and workspace lookup."""

    def wrapped(request: Request) -> Response:
        state.record(request.method, request.path, request.q("api-version"))
        tok = authenticate(state, request, ARM_AUDIENCES)
        if isinstance(tok, Response):
            return tok
        if request.q("api-version") is None:
            return Response.error(
                400,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
        sub = request.params.get("sub")
        if sub is not None and sub.lower() != state.world.subscription_id.lower():
            return Response.error(
                404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found."
            )
        scope = (
            request.path.split("/providers/", 1)[0]
            if "/providers/" in request.path
            else request.path
        )
        if "/workspaces/" in request.path:
            scope = "/".join(request.path.split("/")[:9])
        denied = state.world.forbidden(tok, PROVIDER, f"{PROVIDER}/{action}", scope)
        if denied is not None:
            return denied
        ws_name = request.params.get("ws")
        if ws_name is not None:
            ws = state.workspace(ws_name)
            if ws is None or ws.resource_group.lower() != request.params.get("rg", "").lower():
                return Response.error(
                    404,
                    "ResourceNotFound",
                    f"The Resource '{PROVIDER}/workspaces/{ws_name}' under resource group "
                    f"'{request.params.get('rg')}' was not found. For more details please go to "
                    "https://aka.ms/ARMResourceNotFoundFix",
                )
        with state.lock:
            return handler(request, tok)

    return wrapped


def ws_of(state: AmlState, request: Request) -> Workspace:
    ws = state.workspace(request.params["ws"])
    assert ws is not None  # checked by arm()
    return ws


def page(items: list[dict[str, Any]]) -> Response:
    return Response.json_body({"value": items})


def not_found(kind: str, name: str, ws: str) -> Response:
    return Response.error(
        404,
        "UserError",
        f"{kind} {name} was not found in workspace {ws}.",
    )


def aml_error(
    status: int, code: str, message: str, inner: str | None = None, target: str | None = None
) -> Response:
    """AML's richer error envelope (code, message, innerError, target, details)."""
    err: dict[str, Any] = {"code": code, "message": message, "details": [], "additionalInfo": []}
    if target:
        err["target"] = target
    if inner:
        err["innerError"] = {"code": inner}
    return Response.json_body({"error": err}, status)
