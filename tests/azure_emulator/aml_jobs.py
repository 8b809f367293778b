"""Emulated AML jobs (serverless fine-tuning), run history, MLflow metrics and discovery."""

from __future__ import annotations

import json
import math
import re
import uuid
from typing import Any

from tests.azure_emulator.aml_common import (
    ARM_HOST,
    DATAPLANE_AUDIENCES,
    WS_PATH,
    aml_error,
    arm,
    authenticate,
    page,
    ws_of,
)
from tests.azure_emulator.aml_state import (
    PROVIDER,
    AmlState,
    Job,
    Workspace,
    iso,
    system_data,
)
from tests.azure_emulator.http import Request, Response, Router
from tests.azure_emulator.world import IssuedToken

TERMINAL = {"Completed", "Failed", "Canceled", "NotResponding", "Paused"}
REGISTRY_MODEL_URI = re.compile(
    r"azureml://registries/(?P<registry>[^/]+)/models/(?P<name>[^/]+)(?:/versions/(?P<version>[^/]+))?\Z"
)
API_HOST = r"(?P<region>[a-z0-9]+)\.api\.azureml\.ms"
DP_WS = (
    r"/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)"
    r"/providers/Microsoft\.MachineLearningServices/workspaces/(?P<ws>[^/]+)"
)


def check_training_data(raw: bytes) -> str | None:
    """The first problem the service reports for chat-completion training data, if any."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "Training data validation failed: the file is not valid UTF-8 text."
    lines = [(i, line) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
    for number, line in lines:
        try:
            example = json.loads(line)
        except json.JSONDecodeError as exc:
            return (
                f"Training data validation failed: line {number} is not valid JSON "
                f"({exc.msg}). Each line must be one JSON object."
            )
        messages = example.get("messages") if isinstance(example, dict) else None
        if not isinstance(messages, list) or not messages:
            return (
                f"Training data validation failed: line {number} has no 'messages' list. "
                "Each example must be a JSON object with a 'messages' array."
            )
        for m in messages:
            if not isinstance(m, dict) or "role" not in m or "content" not in m:
                return (
                    f"Training data validation failed: line {number} has a message "
                    "without 'role' or 'content'."
                )
            if m["role"] not in {"system", "user", "assistant"}:
                return (
                    f"Training data validation failed: line {number} has a message with "
                    f"unsupported role '{m['role']}'."
                )
        if not any(m.get("role") == "assistant" for m in messages):
            return (
                f"Training data validation failed: line {number}: example is missing an "
                "assistant message. Every example must contain at least one message with "
                "role 'assistant'."
            )
    if len(lines) < 10:
        return (
            f"Training data validation failed: the training file has {len(lines)} "
            "examples, but at least 10 examples are required."
        )
    return None


# The hyperparameter keys a serverless (MaaS) fine-tuning job is accepted with here, and the
# numbers each takes. Evidence for the set: the only keys in any public example of a serverless
# job are these Hugging Face TrainingArguments names, always as decimal strings - the
# azureml-examples notebook sdk/python/jobs/finetuning/standalone/model-as-a-service/
# chat-completion/chat_completion_with_model_as_service.ipynb ("per_device_train_batch_size":
# "1", "learning_rate": "0.00002", "num_train_epochs": "1"), the CLI sample in Microsoft Learn
# "Fine-tune models using serverless API deployments" (azure-ai-docs articles/ai-foundry/how-to/
# fine-tune-serverless.md) and an azure-ai-ml unit-test fixture. The wire type is
# dict[str, str] (azure-ai-ml CustomModelFineTuning.hyper_parameters), so a JSON number is
# refused (in JSON.NET's conversion wording; the exact text is the emulator's). The portal
# wizard's names (batch_size, learning_rate_multiplier, n_epochs) and seed are documented for
# no SDK job: whether Azure rejects or silently ignores unknown keys is not documented, so the
# emulator refuses them, the stricter of the two - a key TuneDesk sends that Azure might
# ignore is a bug either way.
HYPERPARAMETERS: dict[str, type] = {
    "per_device_train_batch_size": int,
    "learning_rate": float,
    "num_train_epochs": int,
}


def check_hyperparameters(hyper: Any) -> Response | None:
    """The 400 the emulator answers for hyperparameters a serverless job does not take."""
    if hyper is None:
        return None
    if not isinstance(hyper, dict):
        return aml_error(400, "UserError", "hyperParameters must be an object.")
    for key, value in hyper.items():
        if not isinstance(value, str):
            return aml_error(
                400,
                "UserError",
                f"Error converting value {json.dumps(value)} to type 'System.String'. "
                f"Path 'properties.fineTuningDetails.hyperParameters.{key}'.",
                target="hyperParameters",
            )
        kind = HYPERPARAMETERS.get(key)
        if kind is None:
            return aml_error(
                400,
                "UserError",
                f"Unsupported hyperparameter '{key}' for serverless fine-tuning. Supported "
                f"hyperparameters: {', '.join(HYPERPARAMETERS)}.",
                inner="InvalidHyperparameter",
                target=f"hyperParameters.{key}",
            )
        try:
            number = kind(value)
        except ValueError:
            number = None
        if number is None or not math.isfinite(number) or number <= 0:
            expected = "a whole number of at least 1" if kind is int else "a positive number"
            return aml_error(
                400,
                "UserError",
                f"Invalid value '{value}' for hyperparameter '{key}': expected {expected}.",
                inner="InvalidHyperparameter",
                target=f"hyperParameters.{key}",
            )
    return None


def loss_series(job: Job, now: float) -> list[tuple[int, float, float]]:
    """(step, train_loss, timestamp) points produced so far, deterministic per job name."""
    points = job.timeline.loss_points
    visible = int(job.run_fraction(now) * points)
    if job.status(now) == "Completed":
        visible = points
    seed = sum(job.name.encode()) % 17
    start = job.created + job.timeline.not_started + job.timeline.queued
    out = []
    for i in range(visible):
        loss = 0.35 + 1.9 * math.exp(-i / 3.5) + ((seed + i * 7) % 5) * 0.01
        out.append((i + 1, round(loss, 4), start + job.timeline.running * (i + 1) / points))
    return out


def job_json(state: AmlState, job: Job, ws: Workspace) -> dict[str, Any]:
    now = state.now()
    status = job.status(now)
    props = dict(job.body)
    outputs = {}
    for key, out in (props.get("outputs") or {}).items():
        out = dict(out)
        out.setdefault("mode", "ReadWriteMount")
        out.setdefault("uri", None)
        out.setdefault("description", None)
        out.setdefault("assetVersion", None)
        outputs[key] = out
    properties = dict(props.get("properties") or {})
    properties.setdefault("azureml.FinetuningModelProvider", "Custom")
    studio = (
        f"https://ai.azure.com/build/finetune/{job.name}/details?wsid={ws.arm_id}"
        f"&tid={state.world.tenant_id}"
    )
    props.update(
        {
            "status": status,
            "outputs": outputs,
            "properties": properties,
            "services": {
                "Studio": {
                    "jobServiceType": "Studio",
                    "endpoint": studio,
                    "status": None,
                    "errorMessage": None,
                    "properties": None,
                    "nodes": None,
                    "port": None,
                },
            },
            "isArchived": bool(props.get("isArchived", False)),
            "tags": props.get("tags") or {},
            "computeId": None,
            "componentId": None,
            "notificationSetting": None,
            "identity": None,
            "parentJobName": None,
            "queueSettings": props.get("queueSettings"),
            "resources": props.get("resources"),
        }
    )
    props.setdefault("experimentName", "Default")
    props.setdefault("displayName", job.name)
    props.setdefault("description", None)
    return {
        "id": f"{ws.arm_id}/jobs/{job.name}",
        "name": job.name,
        "type": f"{PROVIDER}/workspaces/jobs",
        "systemData": system_data(job.created),
        "properties": props,
    }


def refresh(state: AmlState) -> None:
    """Register output models of jobs that have completed (as the service does at the end)."""
    from tests.azure_emulator.aml import register_output_model

    now = state.now()
    with state.lock:
        for job in state.jobs.values():
            if job.model_registered or job.status(now) != "Completed":
                continue
            ws = state.workspace(job.workspace)
            name = job.output_model_name
            if ws is not None and name:
                register_output_model(state, job.name, ws, name)
            job.model_registered = True


def _validate(state: AmlState, ws: Workspace, name: str, props: dict[str, Any]) -> Response | Job:
    if props.get("jobType") != "FineTuning":
        return aml_error(
            400,
            "UserError",
            f"The emulator only serves FineTuning jobs, got jobType '{props.get('jobType')}'.",
        )
    details = props.get("fineTuningDetails") or {}
    if details.get("modelProvider") != "Custom":
        return aml_error(
            400,
            "UserError",
            "fineTuningDetails.modelProvider must be 'Custom' for serverless fine-tuning.",
            target="modelProvider",
        )
    task = details.get("taskType")
    if task != "chatCompletion":
        return aml_error(
            400,
            "UserError",
            f"Task type '{task}' is not supported for serverless fine-tuning of chat "
            "models. Supported task types: chatCompletion.",
            target="taskType",
        )
    model = details.get("model") or {}
    m = REGISTRY_MODEL_URI.match(str(model.get("uri", "")))
    if model.get("jobInputType") != "mlflow_model" or m is None:
        return aml_error(
            400,
            "UserError",
            f"Invalid model uri '{model.get('uri')}'. Expected a registry model asset id "
            "like azureml://registries/<registry>/models/<name>/versions/<version>.",
            target="model",
        )
    reg_model = state.registry_model(m["registry"], m["name"])
    if reg_model is None or (m["version"] and m["version"] not in reg_model.versions):
        return aml_error(
            404,
            "UserError",
            f"Model {m['name']} (version {m['version']}) was not found in registry "
            f"{m['registry']}.",
            target="model",
        )
    regions = [r for r in reg_model.tags.get("maas-finetuning-deploy-regions", "").split(",") if r]
    if not regions:
        return aml_error(
            400,
            "UserError",
            f"Model {reg_model.name} does not support serverless fine-tuning.",
            inner="NotSupported",
            target="model",
        )
    if ws.location not in regions:
        return aml_error(
            400,
            "UserError",
            f"Serverless fine-tuning for model '{reg_model.name}' is not available in region "
            f"'{ws.location}'. Supported regions: {', '.join(regions)}. Create the job in a hub "
            "project located in one of the supported regions.",
            inner="RegionNotSupported",
            target="location",
        )
    training = details.get("trainingData") or {}
    if not training.get("uri") or training.get("jobInputType") not in {"uri_file", "uri_folder"}:
        return aml_error(
            400,
            "UserError",
            "Training data is required: fineTuningDetails.trainingData "
            "must be a uri_file or uri_folder input.",
            target="trainingData",
        )
    refused = check_hyperparameters(details.get("hyperParameters"))
    if refused is not None:
        return refused
    out = (props.get("outputs") or {}).get("registered_model") or {}
    if out.get("jobOutputType") != "mlflow_model" or not out.get("assetName"):
        return aml_error(
            400,
            "UserError",
            "outputs.registered_model with an assetName is required for fine-tuning jobs.",
            target="outputs",
        )
    if state.max_active_jobs is not None:
        active = [
            j
            for j in state.jobs.values()
            if j.workspace == ws.name.lower() and j.status(state.now()) not in TERMINAL
        ]
        if len(active) >= state.max_active_jobs:
            return aml_error(
                400,
                "QuotaExceeded",
                f"Quota exceeded: the workspace {ws.name} already has {len(active)} active "
                f"fine-tuning jobs; the limit is {state.max_active_jobs}. Wait for a job to finish "
                "or cancel one.",
                inner="QuotaExceeded",
            )
    job = Job(name, ws.name.lower(), props, state.now(), state.timeline)
    try:
        job.training_bytes = state.resolve_uri_bytes(training["uri"])
        job.data_problem = check_training_data(job.training_bytes)
    except KeyError:
        job.data_problem = (
            f"Training data validation failed: could not read training data at '{training['uri']}'."
        )
    validation = details.get("validationData") or {}
    if validation.get("uri") and job.data_problem is None:
        try:
            job.validation_bytes = state.resolve_uri_bytes(validation["uri"])
        except KeyError:
            job.data_problem = f"Validation data could not be read at '{validation['uri']}'."
    return job


def register(router: Router, state: AmlState) -> None:
    def put(request: Request, _tok: IssuedToken) -> Response:
        ws = ws_of(state, request)
        name = request.params["job"]
        props = (request.json() or {}).get("properties") or {}
        existing = state.jobs.get(name)
        if existing is not None:
            if existing.workspace == ws.name.lower() and existing.body == props:
                existing.api_versions.append(request.q("api-version") or "")
                return Response.json_body(job_json(state, existing, ws), 200)
            return aml_error(
                409,
                "UserError",
                f"A job with name '{name}' already exists. Job names must be unique "
                "within a workspace.",
                inner="Conflict",
            )
        result = _validate(state, ws, name, props)
        if isinstance(result, Response):
            return result
        result.api_versions.append(request.q("api-version") or "")
        state.jobs[name] = result
        return Response.json_body(job_json(state, result, ws), 201)

    def get(request: Request, _tok: IssuedToken) -> Response:
        refresh(state)
        ws = ws_of(state, request)
        job = state.jobs.get(request.params["job"])
        if job is None or job.workspace != ws.name.lower():
            return aml_error(
                404,
                "UserError",
                f"Job {request.params['job']} was not found in workspace {ws.name}.",
                inner="NotFound",
            )
        job.api_versions.append(request.q("api-version") or "")
        return Response.json_body(job_json(state, job, ws))

    def listing(request: Request, _tok: IssuedToken) -> Response:
        refresh(state)
        ws = ws_of(state, request)
        view = (request.q("listViewType") or "ActiveOnly").lower()
        jobs = [j for j in state.jobs.values() if j.workspace == ws.name.lower()]
        archived = [bool(j.body.get("isArchived")) for j in jobs]
        if view == "activeonly":
            jobs = [j for j, a in zip(jobs, archived, strict=True) if not a]
        elif view == "archivedonly":
            jobs = [j for j, a in zip(jobs, archived, strict=True) if a]
        jobs.sort(key=lambda j: j.created, reverse=True)
        return page([job_json(state, j, ws) for j in jobs])

    def cancel(request: Request, _tok: IssuedToken) -> Response:
        ws = ws_of(state, request)
        job = state.jobs.get(request.params["job"])
        if job is None or job.workspace != ws.name.lower():
            return aml_error(
                404,
                "UserError",
                f"Job {request.params['job']} was not found in workspace {ws.name}.",
            )
        status = job.status(state.now())
        if status in TERMINAL:
            return aml_error(
                400,
                "UserError",
                f"Cannot cancel job {job.name} because it is already in terminal state {status}.",
                inner="JobInTerminalState",
            )
        if job.cancel_requested_at is None:
            job.cancel_requested_at = state.now()
        op = f"jc:{job.name}:{uuid.uuid4().hex[:8]}"
        location = (
            f"https://management.azure.com/subscriptions/{state.world.subscription_id}/providers/"
            f"{PROVIDER}/locations/{ws.location}/mfeOperationResults/{op}"
            f"?api-version={request.q('api-version')}"
        )
        return Response(
            202,
            b"",
            {"Location": location, "Retry-After": str(state.retry_after), "Content-Length": "0"},
        )

    def operation(request: Request, _tok: IssuedToken) -> Response:
        op = request.params["op"]
        if op.startswith("jc:"):
            job = state.jobs.get(op.split(":")[1])
            if job is not None and job.status(state.now()) == "CancelRequested":
                return Response(
                    202,
                    b"",
                    {
                        "Location": request.url
                        + "?"
                        + "&".join(f"{k}={v[0]}" for k, v in request.query.items()),
                        "Retry-After": str(state.retry_after),
                    },
                )
        return Response(200, b"", {"Content-Length": "0"})

    job_path = WS_PATH + r"/jobs/(?P<job>[^/]+)"
    router.add("PUT", ARM_HOST, job_path, arm(state, "workspaces/jobs/write", put))
    router.add("GET", ARM_HOST, job_path, arm(state, "workspaces/jobs/read", get))
    router.add("GET", ARM_HOST, WS_PATH + r"/jobs", arm(state, "workspaces/jobs/read", listing))
    router.add(
        "POST", ARM_HOST, job_path + r"/cancel", arm(state, "workspaces/jobs/cancel/action", cancel)
    )
    router.add(
        "GET",
        ARM_HOST,
        r"/subscriptions/(?P<sub>[^/]+)/providers/Microsoft\.MachineLearningServices/locations/"
        r"(?P<loc>[^/]+)/mfeOperationResults/(?P<op>[^/]+)",
        arm(state, "locations/mfeOperationResults/read", operation),
    )
    _register_dataplane(router, state)


def _register_dataplane(router: Router, state: AmlState) -> None:
    """{region}.api.azureml.ms: workspace discovery, run history, MLflow metrics."""

    def guarded(handler: Any, needs_ws: bool = True) -> Any:
        def wrapped(request: Request) -> Response:
            state.record(request.method, request.path, request.q("api-version"))
            if needs_ws:
                tok = authenticate(state, request, DATAPLANE_AUDIENCES)
                if isinstance(tok, Response):
                    return tok
                denied = state.world.forbidden(
                    tok, PROVIDER, f"{PROVIDER}/workspaces/jobs/read", request.path
                )
                if denied is not None:
                    return denied
            with state.lock:
                refresh(state)
                return handler(request)

        return wrapped

    def discovery(request: Request) -> Response:
        base = f"https://{request.host}"
        return Response.json_body(
            {
                "api": base,
                "catalog": base,
                "experimentation": base,
                "gallery": f"{base}/gallery",
                "history": base,
                "hyperdrive": base,
                "labeling": base,
                "modelmanagement": base,
                "pipelines": base,
                "studiometadata": base,
            }
        )

    def find_job(request: Request) -> tuple[Job | None, Response | None]:
        ws = state.workspace(request.params["ws"])
        run_id = request.params.get("run") or request.q("run_id") or ""
        job = state.jobs.get(run_id)
        if ws is None or job is None or job.workspace != ws.name.lower():
            return None, Response.error(404, "UserError", f"Run {run_id} was not found")
        return job, None

    def run_json(job: Job) -> dict[str, Any]:
        now = state.now()
        status = job.status(now)
        start = job.created + job.timeline.not_started + job.timeline.queued
        err = job.error(now)
        out: dict[str, Any] = {
            "runId": job.name,
            "runUuid": str(uuid.uuid5(uuid.NAMESPACE_URL, job.name)),
            "status": status,
            "displayName": job.body.get("displayName", job.name),
            "experimentId": str(
                uuid.uuid5(uuid.NAMESPACE_URL, str(job.body.get("experimentName")))
            ),
            "createdUtc": iso(job.created),
            "startTimeUtc": iso(start) if now >= start else None,
            "endTimeUtc": iso(now) if status in TERMINAL else None,
            "runType": "azureml.FineTuningRun",
            "target": "serverless",
            "properties": {"azureml.FinetuningModelProvider": "Custom"},
            "tags": job.body.get("tags") or {},
            "logFiles": {
                "user_logs/std_log.txt": f"https://{state_blob_host()}/{state.container}"
                f"/ExperimentRun/dcid.{job.name}/user_logs/std_log.txt?{state.new_sas()}",
            }
            if now >= start
            else {},
            "warnings": [],
        }
        if err is not None:
            out["error"] = {
                "error": {"code": err[0], "message": err[1], "details": [], "innerError": None},
                "time": iso(now),
            }
        return out

    def run(request: Request) -> Response:
        job, missing = find_job(request)
        if missing is not None or job is None:
            return missing or Response.error(404, "UserError", "Run not found")
        return Response.json_body(run_json(job))

    def details(request: Request) -> Response:
        job, missing = find_job(request)
        if missing is not None or job is None:
            return missing or Response.error(404, "UserError", "Run not found")
        return Response.json_body(run_json(job))

    def metric_history(request: Request) -> Response:
        job, missing = find_job(request)
        if missing is not None or job is None:
            return Response.error(
                404, "RESOURCE_DOES_NOT_EXIST", f"Run '{request.q('run_id')}' not found"
            )
        key = request.q("metric_key") or ""
        series = loss_series(job, state.now())
        if key == "eval_loss" and job.validation_bytes is not None:
            pts = [
                {"key": key, "value": round(v * 1.07, 4), "timestamp": int(t * 1000), "step": s}
                for s, v, t in series
            ]
        elif key in {"train_loss", "loss"}:
            pts = [
                {"key": key, "value": v, "timestamp": int(t * 1000), "step": s}
                for s, v, t in series
            ]
        else:
            pts = []
        return Response.json_body({"metrics": pts})

    def mlflow_run(request: Request) -> Response:
        job, missing = find_job(request)
        if missing is not None or job is None:
            return Response.error(
                404, "RESOURCE_DOES_NOT_EXIST", f"Run '{request.q('run_id')}' not found"
            )
        series = loss_series(job, state.now())
        metrics = []
        if series:
            s, v, t = series[-1]
            metrics.append({"key": "train_loss", "value": v, "timestamp": int(t * 1000), "step": s})
        status = job.status(state.now())
        mlflow_status = {"Completed": "FINISHED", "Failed": "FAILED", "Canceled": "KILLED"}.get(
            status, "RUNNING"
        )
        return Response.json_body(
            {
                "run": {
                    "info": {
                        "run_id": job.name,
                        "run_uuid": job.name,
                        "status": mlflow_status,
                        "start_time": int(job.created * 1000),
                        "lifecycle_stage": "active",
                    },
                    "data": {
                        "metrics": metrics,
                        "params": [{"key": k, "value": v} for k, v in job.hyperparameters.items()],
                        "tags": [],
                    },
                }
            }
        )

    router.add("GET", API_HOST, r"/discovery", guarded(discovery, needs_ws=False))
    hist = r"/history/v1\.0" + DP_WS
    router.add("GET", API_HOST, hist + r"/runs/(?P<run>[^/]+)", guarded(run))
    router.add("GET", API_HOST, hist + r"/runs/(?P<run>[^/]+)/details", guarded(details))
    router.add(
        "GET",
        API_HOST,
        hist + r"/experiments/(?P<exp>[^/]+)/runs/(?P<run>[^/]+)/details",
        guarded(details),
    )
    router.add(
        "GET",
        API_HOST,
        hist + r"/experimentids/(?P<exp>[^/]+)/runs/(?P<run>[^/]+)/details",
        guarded(details),
    )
    mlflow = r"/mlflow/v1\.0" + DP_WS + r"/api/2\.0/mlflow"
    router.add("GET", API_HOST, mlflow + r"/metrics/get-history", guarded(metric_history))
    router.add("GET", API_HOST, mlflow + r"/runs/get", guarded(mlflow_run))


def state_blob_host() -> str:
    from tests.azure_emulator.aml_state import BLOB_HOST

    return BLOB_HOST
