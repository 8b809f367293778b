"""Emulated serverless endpoints, marketplace subscriptions and the MaaS scoring endpoint."""

from __future__ import annotations

import difflib
import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

from tests.azure_emulator.aml_common import ARM_HOST, WS_PATH, aml_error, arm, page, ws_of
from tests.azure_emulator.aml_state import (
    PROVIDER,
    AmlState,
    MarketplaceSubscription,
    ServerlessEndpoint,
    Workspace,
    system_data,
)
from tests.azure_emulator.aoai import drafting_reply
from tests.azure_emulator.http import Request, Response, Router
from tests.azure_emulator.world import IssuedToken

WS_MODEL_ID = re.compile(
    r"azureml://locations/(?P<loc>[^/]+)/workspaces/(?P<wsid>[^/]+)/models/(?P<name>[^/]+)"
    r"/versions/(?P<version>[^/]+)\Z"
)
REG_MODEL_ID = re.compile(r"azureml://registries/(?P<registry>[^/]+)/models/(?P<name>[^/]+)\Z")
ENDPOINT_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]{1,30}[a-zA-Z0-9]\Z")
BASE_ANSWER = (
    "I'm sorry, I don't have specific information about that. I'm a general-purpose "
    "assistant and don't know details about your family or organisation."
)
SCORING_HOST = r"(?P<ep>[a-z0-9-]+)\.(?P<region>[a-z0-9]+)\.models\.ai\.azure\.com"


def endpoint_json(state: AmlState, ep: ServerlessEndpoint, ws: Workspace) -> dict[str, Any]:
    prov = ep.provisioning_state(state.now())
    return {
        "id": f"{ws.arm_id}/serverlessEndpoints/{ep.name}",
        "name": ep.name,
        "type": f"{PROVIDER}/workspaces/serverlessEndpoints",
        "location": ep.location,
        "kind": None,
        "tags": ep.body.get("tags") or {},
        "sku": {"name": "Consumption"},
        "identity": None,
        "systemData": system_data(ep.created),
        "properties": {
            "authMode": "Key",
            "provisioningState": prov,
            "endpointState": "Online" if prov == "Succeeded" else "Creating",
            "modelSettings": {"modelId": ep.model_id},
            "inferenceEndpoint": {"uri": ep.scoring_uri, "headers": {}},
            "contentSafety": {"contentSafetyStatus": "Enabled"},
            "marketplaceSubscriptionId": None,
        },
    }


def subscription_json(sub: MarketplaceSubscription, ws: Workspace) -> dict[str, Any]:
    return {
        "id": f"{ws.arm_id}/marketplaceSubscriptions/{sub.name}",
        "name": sub.name,
        "type": f"{PROVIDER}/workspaces/marketplaceSubscriptions",
        "systemData": system_data(sub.created),
        "properties": {
            "modelId": sub.model_id,
            "marketplacePlan": dict(sub.plan),
            "marketplaceSubscriptionStatus": "Subscribed",
            "provisioningState": "Succeeded",
        },
    }


def register(router: Router, state: AmlState) -> None:
    _register_endpoints(router, state)
    _register_marketplace(router, state)
    _register_scoring(router, state)


def _model_check(state: AmlState, ws: Workspace, model_id: str) -> Response | None:
    m = WS_MODEL_ID.match(model_id)
    if m is not None:
        owner = next((w for w in state.workspaces.values() if w.workspace_id == m["wsid"]), None)
        found = owner is not None and (owner.name.lower(), m["name"], m["version"]) in state.models
        if not found:
            return aml_error(
                400,
                "UserError",
                f"Model '{model_id}' was not found. Make sure the fine-tuning job has "
                "completed and the model is registered.",
                target="modelId",
            )
        if ws.location not in _ft_regions(state, model_id):
            return aml_error(
                400,
                "UserError",
                f"Deployment of fine-tuned models is not supported in region '{ws.location}'.",
                inner="RegionNotSupported",
                target="location",
            )
        return None
    m = REG_MODEL_ID.match(model_id)
    if m is None:
        return aml_error(
            400,
            "UserError",
            f"Invalid model id '{model_id}'. Use azureml://registries/<registry>/models/<name> or "
            "azureml://locations/<location>/workspaces/<workspace id>/models/<name>"
            "/versions/<v>.",
            target="modelId",
        )
    reg_model = state.registry_model(m["registry"], m["name"])
    if reg_model is None:
        return aml_error(404, "UserError", f"Model '{model_id}' was not found.", target="modelId")
    if reg_model.publisher != "Microsoft":
        subscribed = any(
            s.model_id.lower() == model_id.lower() and s.workspace == ws.name.lower()
            for s in state.subscriptions.values()
        )
        if not subscribed:
            return aml_error(
                400,
                "UserError",
                f"No marketplace subscription was found for model '{model_id}' in workspace "
                f"'{ws.name}'. Create a marketplace subscription for the model before deploying "
                "it.",
                inner="MarketplaceSubscriptionNotFound",
                target="modelId",
            )
    return None


def _ft_regions(state: AmlState, model_id: str) -> list[str]:
    m = WS_MODEL_ID.match(model_id)
    if m is None:
        return []
    owner = next((w for w in state.workspaces.values() if w.workspace_id == m["wsid"]), None)
    mv = state.models.get((owner.name.lower(), m["name"], m["version"])) if owner else None
    job = state.jobs.get(mv.job_name) if mv and mv.job_name else None
    if job is None:
        return []
    from tests.azure_emulator.aml_jobs import REGISTRY_MODEL_URI

    rm = REGISTRY_MODEL_URI.match(job.model_uri)
    base = state.registry_model(rm["registry"], rm["name"]) if rm else None
    tag = base.tags.get("maas-finetuning-deploy-regions", "") if base else ""
    return [r for r in tag.split(",") if r]


def _register_endpoints(router: Router, state: AmlState) -> None:
    def lookup(request: Request) -> tuple[Workspace, ServerlessEndpoint | None]:
        ws = ws_of(state, request)
        ep = state.endpoints.get((ws.name.lower(), request.params["ep"].lower()))
        return ws, ep

    def missing(ws: Workspace, name: str) -> Response:
        return Response.error(
            404,
            "ResourceNotFound",
            f"The Resource '{PROVIDER}/workspaces/{ws.name}/serverlessEndpoints/{name}' under "
            f"resource group '{ws.resource_group}' was not found.",
        )

    def put(request: Request, _tok: IssuedToken) -> Response:
        ws, existing = lookup(request)
        name = request.params["ep"]
        body = request.json() or {}
        props = body.get("properties") or {}
        model_id = str((props.get("modelSettings") or {}).get("modelId") or "")
        if not ENDPOINT_NAME.match(name):
            return aml_error(
                400,
                "UserError",
                f"Invalid endpoint name '{name}'. It must be 3-32 characters, start with a "
                "letter and contain only letters, digits and hyphens.",
                target="name",
            )
        if (body.get("sku") or {}).get("name") != "Consumption":
            return aml_error(
                400,
                "UserError",
                "Serverless endpoints require sku name 'Consumption'.",
                target="sku",
            )
        location = str(body.get("location") or "")
        if location.lower() != ws.location:
            return aml_error(
                400,
                "UserError",
                f"The endpoint location '{location}' must match the workspace location "
                f"'{ws.location}'.",
                target="location",
            )
        problem = _model_check(state, ws, model_id)
        if problem is not None:
            return problem
        if existing is not None:
            existing.body = body
            return Response.json_body(endpoint_json(state, existing, ws), 200)
        for other in state.endpoints.values():
            if (
                other.workspace == ws.name.lower()
                and other.model_id == model_id
                and WS_MODEL_ID.match(model_id)
            ):
                return aml_error(
                    409,
                    "UserError",
                    f"Model '{model_id}' is already deployed to endpoint '{other.name}'. "
                    "Only one deployment per custom model is allowed.",
                    inner="Conflict",
                )
        ep = ServerlessEndpoint(
            name.lower(), ws.name.lower(), ws.location, model_id, state.now(), body=body
        )
        state.endpoints[(ws.name.lower(), ep.name)] = ep
        return Response.json_body(
            endpoint_json(state, ep, ws), 201, **{"Retry-After": str(state.retry_after)}
        )

    def get(request: Request, _tok: IssuedToken) -> Response:
        ws, ep = lookup(request)
        if ep is None:
            return missing(ws, request.params["ep"])
        headers = (
            {}
            if ep.provisioning_state(state.now()) == "Succeeded"
            else {"Retry-After": str(state.retry_after)}
        )
        return Response.json_body(endpoint_json(state, ep, ws), 200, **headers)

    def listing(request: Request, _tok: IssuedToken) -> Response:
        ws = ws_of(state, request)
        return page(
            [
                endpoint_json(state, ep, ws)
                for (w, _), ep in sorted(state.endpoints.items())
                if w == ws.name.lower()
            ]
        )

    def delete(request: Request, _tok: IssuedToken) -> Response:
        ws, ep = lookup(request)
        if ep is None:
            return Response(204)
        del state.endpoints[(ws.name.lower(), ep.name)]
        location = (
            f"https://management.azure.com/subscriptions/{state.world.subscription_id}/providers/"
            f"{PROVIDER}/locations/{ws.location}/mfeOperationResults/sd:{ep.name}"
            f"?api-version={request.q('api-version')}"
        )
        return Response(
            202,
            b"",
            {"Location": location, "Retry-After": str(state.retry_after), "Content-Length": "0"},
        )

    def keys(request: Request, _tok: IssuedToken) -> Response:
        ws, ep = lookup(request)
        if ep is None:
            return missing(ws, request.params["ep"])
        return Response.json_body({"primaryKey": ep.primary_key, "secondaryKey": ep.secondary_key})

    def regenerate(request: Request, _tok: IssuedToken) -> Response:
        ws, ep = lookup(request)
        if ep is None:
            return missing(ws, request.params["ep"])
        key_type = str((request.json() or {}).get("keyType", "Primary")).lower()
        fresh = ServerlessEndpoint(ep.name, ep.workspace, ep.location, ep.model_id, ep.created)
        if key_type == "primary":
            ep.primary_key = fresh.primary_key
        else:
            ep.secondary_key = fresh.secondary_key
        return Response.json_body({"primaryKey": ep.primary_key, "secondaryKey": ep.secondary_key})

    path = WS_PATH + r"/serverlessEndpoints/(?P<ep>[^/]+)"
    action = "workspaces/serverlessEndpoints"
    router.add("PUT", ARM_HOST, path, arm(state, f"{action}/write", put))
    router.add("GET", ARM_HOST, path, arm(state, f"{action}/read", get))
    router.add("DELETE", ARM_HOST, path, arm(state, f"{action}/delete", delete))
    router.add(
        "GET", ARM_HOST, WS_PATH + r"/serverlessEndpoints", arm(state, f"{action}/read", listing)
    )
    router.add("POST", ARM_HOST, path + r"/listKeys", arm(state, f"{action}/listKeys/action", keys))
    router.add(
        "POST",
        ARM_HOST,
        path + r"/regenerateKeys",
        arm(state, f"{action}/regenerateKeys/action", regenerate),
    )


def _register_marketplace(router: Router, state: AmlState) -> None:
    def put(request: Request, _tok: IssuedToken) -> Response:
        ws = ws_of(state, request)
        name = request.params["msub"].lower()
        model_id = str(((request.json() or {}).get("properties") or {}).get("modelId") or "")
        m = REG_MODEL_ID.match(model_id)
        if m is None:
            return aml_error(
                400,
                "UserError",
                f"Invalid model id '{model_id}'. Marketplace subscriptions take a registry "
                "model id without a version: azureml://registries/<registry>/models/<name>.",
                target="modelId",
            )
        reg_model = state.registry_model(m["registry"], m["name"])
        if reg_model is None:
            return aml_error(
                404, "UserError", f"Model '{model_id}' was not found.", target="modelId"
            )
        if reg_model.publisher == "Microsoft":
            return aml_error(
                400,
                "UserError",
                f"Model '{model_id}' is a Microsoft first-party model and is not offered through "
                "Azure Marketplace. Marketplace subscriptions are only supported for third-party "
                "models; deploy this model without a subscription.",
                inner="MarketplaceSubscriptionNotSupported",
                target="modelId",
            )
        existing = state.subscriptions.get((ws.name.lower(), name))
        if existing is not None:
            if existing.model_id == model_id:
                return Response.json_body(subscription_json(existing, ws), 200)
            return aml_error(
                409,
                "UserError",
                f"Marketplace subscription '{name}' already exists for model "
                f"'{existing.model_id}'.",
                inner="Conflict",
            )
        for other in state.subscriptions.values():
            if other.workspace == ws.name.lower() and other.model_id.lower() == model_id.lower():
                return aml_error(
                    409,
                    "UserError",
                    f"A marketplace subscription for model '{model_id}' already exists in this "
                    f"project: '{other.name}'.",
                    inner="MarketplaceSubscriptionAlreadyExists",
                )
        publisher = reg_model.publisher.lower().replace(" ", "")
        sub = MarketplaceSubscription(
            name,
            ws.name.lower(),
            model_id,
            state.now(),
            {
                "publisherId": f"{publisher}-ai",
                "offerId": f"{publisher}-{m['name'].lower()}-offer",
                "planId": f"{m['name'].lower()}-plan",
            },
        )
        state.subscriptions[(ws.name.lower(), name)] = sub
        return Response.json_body(subscription_json(sub, ws), 201)

    def get(request: Request, _tok: IssuedToken) -> Response:
        ws = ws_of(state, request)
        sub = state.subscriptions.get((ws.name.lower(), request.params["msub"].lower()))
        if sub is None:
            return Response.error(
                404,
                "ResourceNotFound",
                f"The Resource '{PROVIDER}/workspaces/{ws.name}/marketplaceSubscriptions/"
                f"{request.params['msub']}' under resource group '{ws.resource_group}' was not "
                "found.",
            )
        return Response.json_body(subscription_json(sub, ws))

    def listing(request: Request, _tok: IssuedToken) -> Response:
        ws = ws_of(state, request)
        return page(
            [
                subscription_json(s, ws)
                for (w, _), s in sorted(state.subscriptions.items())
                if w == ws.name.lower()
            ]
        )

    def delete(request: Request, _tok: IssuedToken) -> Response:
        ws = ws_of(state, request)
        if state.subscriptions.pop((ws.name.lower(), request.params["msub"].lower()), None) is None:
            return Response(204)
        return Response(200, b"", {"Content-Length": "0"})

    path = WS_PATH + r"/marketplaceSubscriptions/(?P<msub>[^/]+)"
    action = "workspaces/marketplaceSubscriptions"
    router.add("PUT", ARM_HOST, path, arm(state, f"{action}/write", put))
    router.add("GET", ARM_HOST, path, arm(state, f"{action}/read", get))
    router.add("DELETE", ARM_HOST, path, arm(state, f"{action}/delete", delete))
    router.add(
        "GET",
        ARM_HOST,
        WS_PATH + r"/marketplaceSubscriptions",
        arm(state, f"{action}/read", listing),
    )


def training_pairs(raw: bytes) -> list[tuple[str, str]]:
    """(last user message, assistant reply) pairs of a chat JSONL file."""
    pairs = []
    for line in raw.decode("utf-8-sig", errors="replace").splitlines():
        try:
            messages = json.loads(line).get("messages") or []
        except (json.JSONDecodeError, AttributeError):
            continue
        question = None
        for m in messages:
            if not isinstance(m, dict):
                continue
            if m.get("role") == "user":
                question = str(m.get("content", ""))
            elif m.get("role") == "assistant" and question is not None:
                pairs.append((question, str(m.get("content", ""))))
                question = None
    return pairs


def answer_for(state: AmlState, ep: ServerlessEndpoint, question: str) -> str:
    m = WS_MODEL_ID.match(ep.model_id)
    if m is None:
        return BASE_ANSWER
    owner = next((w for w in state.workspaces.values() if w.workspace_id == m["wsid"]), None)
    mv = state.models.get((owner.name.lower(), m["name"], m["version"])) if owner else None
    job = state.jobs.get(mv.job_name) if mv and mv.job_name else None
    if job is None or job.training_bytes is None:
        return BASE_ANSWER
    pairs = training_pairs(job.training_bytes)
    best, best_ratio = None, 0.0
    for q, a in pairs:
        ratio = difflib.SequenceMatcher(None, question.lower(), q.lower()).ratio()
        if ratio > best_ratio:
            best, best_ratio = a, ratio
    return best if best is not None and best_ratio >= 0.6 else BASE_ANSWER


def _register_scoring(router: Router, state: AmlState) -> None:
    def chat(request: Request) -> Response:
        state.record(request.method, request.host + request.path, request.q("api-version"))
        with state.lock:
            ep = next(
                (e for e in state.endpoints.values() if e.scoring_host == request.host.lower()),
                None,
            )
            if ep is None or ep.provisioning_state(state.now()) != "Succeeded":
                return Response.error(404, "NotFound", "The endpoint was not found.")
            header = request.headers.get("authorization", "") or request.headers.get("api-key", "")
            key = header.removeprefix("Bearer ").removeprefix("bearer ").strip()
            if key not in {ep.primary_key, ep.secondary_key}:
                return Response.error(
                    401,
                    "Unauthorized",
                    "Access denied due to invalid subscription key or wrong API endpoint. Make "
                    "sure to provide a valid key for an active subscription and use a correct "
                    "regional "
                    "API endpoint for your resource.",
                )
        try:
            body = request.json() or {}
        except json.JSONDecodeError:
            return Response.error(400, "Bad Request", "The request body is not valid JSON.")
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return Response.error(400, "Bad Request", "'messages' is a required property.")
        question = next(
            (
                str(m.get("content", ""))
                for m in reversed(messages)
                if isinstance(m, dict) and m.get("role") == "user"
            ),
            "",
        )
        # A drafting or paraphrasing prompt is answered from its passage, as on Azure
        # OpenAI (aoai.drafting_reply), whatever the endpoint's model.
        drafted = drafting_reply(messages, question)
        with state.lock:
            answer = drafted if drafted is not None else answer_for(state, ep, question)
        model = ep.model_id.split("/models/", 1)[-1].split("/")[0]
        cid = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        prompt_tokens = sum(
            len(str(m.get("content", "")).split()) for m in messages if isinstance(m, dict)
        )
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(answer.split()),
            "total_tokens": prompt_tokens + len(answer.split()),
        }
        if body.get("stream"):
            return Response(
                200,
                b"",
                {"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache"},
                chunks=_sse(cid, created, model, answer, usage),
            )
        return Response.json_body(
            {
                "id": cid,
                "object": "chat.completion",
                "created": created,
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": answer, "tool_calls": None},
                        "finish_reason": "stop",
                        "logprobs": None,
                    }
                ],
                "usage": usage,
            }
        )

    router.add("POST", SCORING_HOST, r"(?:/v1)?/chat/completions", chat)


def _sse(cid: str, created: int, model: str, answer: str, usage: dict[str, int]) -> Iterator[bytes]:
    def event(
        delta: dict[str, Any], finish: str | None, extra: dict[str, Any] | None = None
    ) -> bytes:
        obj = {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            **(extra or {}),
        }
        return f"data: {json.dumps(obj)}\n\n".encode()

    yield event({"role": "assistant", "content": ""}, None)
    words = answer.split(" ")
    step = max(1, len(words) // 4)
    for i in range(0, len(words), step):
        piece = " ".join(words[i : i + step])
        yield event({"content": piece if i == 0 else " " + piece}, None)
    yield event({}, "stop", {"usage": usage})
    yield b"data: [DONE]\n\n"
