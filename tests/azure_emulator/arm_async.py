"""ARM's asynchronous operations, shared by the emulated resource providers that create things.

What the public sources say (and what this module therefore serves):

* ARM RPC, "Asynchronous operations" (Azure/azure-resource-manager-rpc
  ``v1.0/async-api-reference.md``): a long-running PUT answers 201 (or 200) with
  ``provisioningState`` not yet terminal and an ``Azure-AsyncOperation`` header, or 202 with a
  ``Location`` header; both may carry ``Retry-After`` (seconds). The Azure-AsyncOperation URL
  answers 200 with ``{"id", "name", "status": "InProgress"|"Succeeded"|"Failed"|"Canceled",
  "startTime", "endTime", "error"}``; the Location URL answers 202 while the operation runs and
  the final result (200 with the resource, or the error) when it is done.
* Microsoft.MachineLearningServices ``Workspaces_CreateOrUpdate`` (azure-rest-api-specs,
  ``preview/2024-10-01-preview/workspaceRP.json``): 200, or 202 with ``Location`` and
  ``Retry-After``; ``final-state-via: location``. The Location URL has the form
  ``/subscriptions/{sub}/providers/Microsoft.MachineLearningServices/locations/{location}/
  workspaceOperationsStatus/{id}`` (response headers quoted in azure-rest-api-specs#9376 and
  #8028).
* Microsoft.Storage ``StorageAccounts_Create``: 200, or 202 with ``Location`` (long-running).
* Microsoft.CognitiveServices ``Accounts_Create`` (``stable/2024-10-01/cognitiveservices.json``):
  200/201/202, long-running with the default final state; served here the way the RPC
  recommends (201 + ``provisioningState: Creating`` + ``Azure-AsyncOperation``). The exact
  header set of that service is not re-checked here.
* Microsoft.KeyVault ``Vaults_CreateOrUpdate``: 200/201 with ``provisioningState``
  ``RegisteringDns`` until it is ``Succeeded`` (clients poll the resource itself).

Every created resource carries a :class:`Provisioning` (non-terminal for ``delay`` seconds);
an operation's status is read from it, so the status URL and a GET of the resource agree.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from tests.azure_emulator.arm import ARM, ARM_HOST, arm_auth
from tests.azure_emulator.http import Request, Response, Router
from tests.azure_emulator.world import World

Style = Literal["async", "location"]
# The status path segment each provider uses under /providers/{ns}/locations/{location}/.
STATUS_SEGMENT = {
    "Microsoft.MachineLearningServices": "workspaceOperationsStatus",
    "Microsoft.Storage": "asyncoperations",
    "Microsoft.CognitiveServices": "operationResults",
}


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Provisioning:
    """The life of one created resource: ``busy`` until ``ready_at``, then Succeeded/Failed."""

    ready_at: float = 0.0
    busy: str = "Creating"                      # the provider's non-terminal word
    error: dict[str, str] | None = None         # {code, message} of a failed provisioning
    started: float = field(default_factory=time.time)

    def state(self) -> str:
        if time.time() < self.ready_at:
            return self.busy
        return "Failed" if self.error else "Succeeded"

    @property
    def done(self) -> bool:
        return self.state() in ("Succeeded", "Failed")


@dataclass
class Operation:
    id: str
    provider: str
    location: str
    style: Style
    provisioning: Provisioning
    result: Callable[[], dict[str, Any]]        # the resource body, for the Location pattern
    api_version: str


class Operations:
    """Every asynchronous operation of one test; tests steer ``delay``/``retry_after``/faults."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.lock = threading.RLock()
        self.items: dict[str, Operation] = {}
        # Seconds a created resource stays non-terminal (real Azure: tens of seconds to
        # minutes for a hub). Configurable so a test sees several polls or none.
        self.delay = 0.3
        # Retry-After on 201/202 answers and in-progress status answers (whole seconds, as the
        # services send it; 0 lets tests poll as fast as the client's own floor allows).
        self.retry_after = 1
        # provider namespace -> (code, message): the next resource it creates fails.
        self._failures: dict[str, tuple[str, str]] = {}

    def fail_next(self, provider: str, code: str, message: str) -> None:
        """Make the next resource ``provider`` creates end in provisioningState Failed."""
        with self.lock:
            self._failures[provider.lower()] = (code, message)

    def provisioning(self, provider: str, busy: str = "Creating") -> Provisioning:
        """A fresh life for a resource being created now."""
        with self.lock:
            failure = self._failures.pop(provider.lower(), None)
        return Provisioning(
            ready_at=time.time() + self.delay,
            busy=busy,
            error={"code": failure[0], "message": failure[1]} if failure else None,
        )

    def retried(self, provider: str, provisioning: Provisioning) -> Provisioning | None:
        """A PUT on a resource whose provisioning failed starts it again (ARM RPC: PUT is
        idempotent and re-drives a resource in a terminal Failed state): its new life."""
        if provisioning.state() != "Failed":
            return None
        return self.provisioning(provider, provisioning.busy)

    def start(
        self,
        provider: str,
        location: str,
        style: Style,
        provisioning: Provisioning,
        result: Callable[[], dict[str, Any]],
        api_version: str,
    ) -> Operation:
        op = Operation(
            str(uuid.uuid4()), provider, location, style, provisioning, result, api_version
        )
        with self.lock:
            self.items[op.id] = op
        return op

    def begin(
        self,
        request: Request,
        provider: str,
        location: str,
        style: Style,
        provisioning: Provisioning,
        result: Callable[[], dict[str, Any]],
    ) -> dict[str, str]:
        """Start the operation of a create PUT; the headers its 201/202 answer carries."""
        op = self.start(
            provider, location, style, provisioning, result, request.q("api-version") or ""
        )
        return self.headers(op)

    def url(self, op: Operation) -> str:
        segment = STATUS_SEGMENT[op.provider]
        return (
            f"{ARM}/subscriptions/{self.world.subscription_id}/providers/{op.provider}"
            f"/locations/{op.location}/{segment}/{op.id}?api-version={op.api_version}"
        )

    def headers(self, op: Operation) -> dict[str, str]:
        """The headers of the 201/202 that started ``op``."""
        name = "Azure-AsyncOperation" if op.style == "async" else "Location"
        return {name: self.url(op), "Retry-After": str(self.retry_after)}


def register(router: Router, world: World) -> Operations:
    ops = Operations(world)
    world.extra["operations"] = ops
    segments = "|".join(STATUS_SEGMENT.values())

    def status(request: Request) -> Response:
        tok = arm_auth(world, request)
        if isinstance(tok, Response):
            return tok
        op = ops.items.get(request.params["op"])
        if op is None or op.provider.lower() != request.params["ns"].lower():
            return Response.error(
                404, "OperationNotFound", f"The operation '{request.params['op']}' was not found."
            )
        state = op.provisioning.state()
        running = state not in ("Succeeded", "Failed")
        if op.style == "location":
            if running:
                return Response(202, b"", ops.headers(op))
            if op.provisioning.error:
                err = op.provisioning.error
                return Response.error(400, err["code"], err["message"])
            return Response.json_body(op.result())
        body: dict[str, Any] = {
            "id": request.path,
            "name": op.id,
            "status": "InProgress" if running else state,
            "startTime": iso(op.provisioning.started),
        }
        if not running:
            body["endTime"] = iso(op.provisioning.ready_at)
        if state == "Failed" and op.provisioning.error:
            body["error"] = dict(op.provisioning.error)
        extra = {"Retry-After": str(ops.retry_after)} if running else {}
        return Response.json_body(body, **extra)

    router.add(
        "GET",
        ARM_HOST,
        r"/subscriptions/(?P<sub>[^/]+)/providers/(?P<ns>[^/]+)/locations/(?P<loc>[^/]+)"
        rf"/(?:{segments})/(?P<op>[^/]+)",
        status,
    )
    return ops
