"""Emulated Azure Machine Learning / Foundry hub: ARM workspaces, datastores, data and models.

``register(router, world)`` wires every AML-side handler (this module plus aml_jobs,
aml_registry, aml_serverless and aml_blob) into the shared Router and returns the
:class:`AmlState` tests steer.  See aml_state.py for the state API.
"""

from __future__ import annotations

from typing import Any

from tests.azure_emulator.aml_common import ARM_HOST, WS_PATH, arm, not_found, page, ws_of
from tests.azure_emulator.aml_state import (
    BLOB_HOST,
    PROVIDER,
    STORAGE_ACCOUNT,
    AmlState,
    AmlTimeline,
    DataVersion,
    ModelVersion,
    Workspace,
    iso,
    system_data,
)
from tests.azure_emulator.http import Request, Response, Router
from tests.azure_emulator.world import IssuedToken, World

__all__ = ["AmlState", "AmlTimeline", "register"]

KIND_WIRE = {"hub": "Hub", "project": "Project", "default": "Default"}


def workspace_json(state: AmlState, ws: Workspace) -> dict[str, Any]:
    sub = state.world.subscription_id
    rg_id = f"/subscriptions/{sub}/resourceGroups/{ws.resource_group}/providers"
    hub = state.workspace(ws.hub_name) if ws.hub_name else None
    seeded = {
        "storageAccount": f"{rg_id}/Microsoft.Storage/storageAccounts/{STORAGE_ACCOUNT}",
        "keyVault": f"{rg_id}/Microsoft.KeyVault/vaults/contosohubkv",
        "applicationInsights": f"{rg_id}/Microsoft.insights/components/contosohubai",
    }
    # A project shows the resources of its hub.
    source = hub if hub is not None else ws
    associated = {
        "storageAccount": source.storage_account,
        "keyVault": source.key_vault,
        "applicationInsights": source.application_insights,
    }
    props: dict[str, Any] = {
        "friendlyName": ws.friendly_name or ws.name,
        "description": ws.description,
        "provisioningState": ws.provisioning.state(),
        "workspaceId": ws.workspace_id,
        "discoveryUrl": f"https://{ws.api_host}/discovery",
        "mlFlowTrackingUri": (
            f"azureml://{ws.api_host}/mlflow/v1.0/subscriptions/{sub}/resourceGroups/"
            f"{ws.resource_group}/providers/{PROVIDER}/workspaces/{ws.name}"
        ),
        **{k: (seeded[k] if v is None else v or None) for k, v in associated.items()},
        "hbiWorkspace": False,
        "publicNetworkAccess": "Enabled",
        "v1LegacyMode": False,
        "enableDataIsolation": True,
        "systemDatastoresAuthMode": "accessKey",
        "tenantId": state.world.tenant_id,
        "storageHnsEnabled": False,
        "notebookInfo": None,
    }
    if hub is not None:
        props["hubResourceId"] = hub.arm_id
    if ws.kind == "hub":
        props["associatedWorkspaces"] = [
            w.arm_id for w in state.workspaces.values() if w.hub_name == ws.name
        ]
    return {
        "id": ws.arm_id,
        "name": ws.name,
        "type": f"{PROVIDER}/workspaces",
        "location": ws.location,
        "kind": KIND_WIRE[ws.kind],
        "tags": {},
        "sku": {"name": "Basic", "tier": "Basic"},
        "identity": {
            "type": "SystemAssigned",
            "principalId": "9d8c6f3a-0000-4000-8000-" + ws.workspace_id[-12:],
            "tenantId": state.world.tenant_id,
        },
        "systemData": system_data(ws.created),
        "properties": props,
    }


def datastore_json(state: AmlState, ws: Workspace) -> dict[str, Any]:
    return {
        "id": f"{ws.arm_id}/datastores/workspaceblobstore",
        "name": "workspaceblobstore",
        "type": f"{PROVIDER}/workspaces/datastores",
        "systemData": system_data(ws.created),
        "properties": {
            "datastoreType": "AzureBlob",
            "accountName": STORAGE_ACCOUNT,
            "containerName": state.container,
            "endpoint": "core.windows.net",
            "protocol": "https",
            "serviceDataAccessAuthIdentity": "WorkspaceSystemAssignedIdentity",
            "isDefault": True,
            "credentials": {"credentialsType": "AccountKey"},
            "description": None,
            "tags": {},
            "properties": {},
            "subscriptionId": state.world.subscription_id,
            "resourceGroup": ws.resource_group,
        },
    }


def data_json(d: DataVersion, ws: Workspace) -> dict[str, Any]:
    props = {
        "description": None,
        "tags": {},
        "properties": {},
        "isArchived": False,
        "isAnonymous": False,
        "stage": "Development",
        **d.body,
    }
    return {
        "id": f"{ws.arm_id}/data/{d.name}/versions/{d.version}",
        "name": d.version,
        "type": f"{PROVIDER}/workspaces/data/versions",
        "systemData": system_data(d.created),
        "properties": props,
    }


def model_json(m: ModelVersion, ws: Workspace) -> dict[str, Any]:
    props = {
        "description": None,
        "tags": {},
        "properties": {},
        "isArchived": False,
        "isAnonymous": False,
        "flavors": {},
        "modelType": "mlflow_model",
        "stage": "Development",
        **m.properties,
    }
    if m.job_name:
        props["jobName"] = m.job_name
    return {
        "id": f"{ws.arm_id}/models/{m.name}/versions/{m.version}",
        "name": m.version,
        "type": f"{PROVIDER}/workspaces/models/versions",
        "systemData": system_data(m.created),
        "properties": props,
    }


def register(router: Router, world: World) -> AmlState:
    """Add every AML handler to ``router``; return the state tests steer."""
    state = AmlState(world)
    world.extra["aml"] = state
    _register_workspaces(router, state)
    _register_datastores(router, state)
    _register_assets(router, state)
    from tests.azure_emulator import (
        aml_blob,
        aml_jobs,
        aml_provision,
        aml_registry,
        aml_serverless,
    )

    aml_provision.register(router, state)
    aml_jobs.register(router, state)
    aml_registry.register(router, state)
    aml_serverless.register(router, state)
    aml_blob.register(router, state)
    return state


def _register_workspaces(router: Router, state: AmlState) -> None:
    def listing(request: Request, _tok: IssuedToken) -> Response:
        kinds_q = request.q("kind")
        kinds = {k.strip().lower() for k in kinds_q.split(",")} if kinds_q else None
        rg = request.params.get("rg")
        items = [
            workspace_json(state, ws)
            for ws in state.workspaces.values()
            if (kinds is None or ws.kind in kinds)
            and (rg is None or ws.resource_group.lower() == rg.lower())
        ]
        return page(items)

    def get(request: Request, _tok: IssuedToken) -> Response:
        return Response.json_body(workspace_json(state, ws_of(state, request)))

    prov = r"/providers/Microsoft\.MachineLearningServices/workspaces"
    router.add(
        "GET",
        ARM_HOST,
        r"/subscriptions/(?P<sub>[^/]+)" + prov,
        arm(state, "workspaces/read", listing),
    )
    router.add(
        "GET",
        ARM_HOST,
        r"/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)" + prov,
        arm(state, "workspaces/read", listing),
    )
    router.add("GET", ARM_HOST, WS_PATH, arm(state, "workspaces/read", get))


def _register_datastores(router: Router, state: AmlState) -> None:
    def listing(request: Request, _tok: IssuedToken) -> Response:
        return page([datastore_json(state, ws_of(state, request))])

    def get(request: Request, _tok: IssuedToken) -> Response:
        ws = ws_of(state, request)
        if request.params["ds"].lower() != "workspaceblobstore":
            return not_found("Datastore", request.params["ds"], ws.name)
        return Response.json_body(datastore_json(state, ws))

    def secrets(request: Request, _tok: IssuedToken) -> Response:
        body = request.json() or {}
        if body.get("expirableSecret"):
            return Response.json_body({"secretsType": "Sas", "sasToken": state.new_sas()})
        return Response.json_body({"secretsType": "AccountKey", "key": state.storage_account_key})

    router.add(
        "GET", ARM_HOST, WS_PATH + r"/datastores", arm(state, "workspaces/datastores/read", listing)
    )
    router.add(
        "GET",
        ARM_HOST,
        WS_PATH + r"/datastores/(?P<ds>[^/]+)",
        arm(state, "workspaces/datastores/read", get),
    )
    router.add(
        "POST",
        ARM_HOST,
        WS_PATH + r"/datastores/(?P<ds>[^/]+)/listSecrets",
        arm(state, "workspaces/datastores/listsecrets/action", secrets),
    )


def _register_assets(router: Router, state: AmlState) -> None:
    """Workspace data and model assets (containers + versions)."""

    def versions_of(kind: str, ws: Workspace, name: str) -> list[Any]:
        store: dict[Any, Any] = state.data if kind == "data" else state.models
        items = [v for (w, n, _), v in store.items() if w == ws.name.lower() and n == name]
        order = ""  # newest first is what the SDK's "latest" resolution asks for
        items.sort(key=lambda v: v.created, reverse=order != "asc")
        return items

    def to_json(kind: str, v: Any, ws: Workspace) -> dict[str, Any]:
        return data_json(v, ws) if kind == "data" else model_json(v, ws)

    def container_json(kind: str, ws: Workspace, name: str) -> dict[str, Any] | None:
        items = versions_of(kind, ws, name)
        if not items:
            return None
        latest = max(items, key=lambda v: v.created)
        newest = max(items, key=lambda v: int(v.version) if v.version.isdigit() else 0)
        props: dict[str, Any] = {
            "description": None,
            "tags": {},
            "properties": {},
            "isArchived": False,
            "latestVersion": latest.version,
            "nextVersion": str(int(newest.version) + 1) if newest.version.isdigit() else None,
        }
        if kind == "data":
            props["dataType"] = latest.body.get("dataType", "uri_file")
        return {
            "id": f"{ws.arm_id}/{kind}/{name}",
            "name": name,
            "type": f"{PROVIDER}/workspaces/{kind}",
            "systemData": system_data(min(v.created for v in items)),
            "properties": props,
        }

    def make(kind: str) -> None:
        base = WS_PATH + rf"/{kind}"

        def list_containers(request: Request, _tok: IssuedToken) -> Response:
            ws = ws_of(state, request)
            store: dict[Any, Any] = state.data if kind == "data" else state.models
            names = sorted({n for (w, n, _) in store if w == ws.name.lower()})
            return page([c for n in names if (c := container_json(kind, ws, n)) is not None])

        def get_container(request: Request, _tok: IssuedToken) -> Response:
            ws = ws_of(state, request)
            c = container_json(kind, ws, request.params["name"])
            if c is None:
                return not_found(
                    "Asset" if kind == "data" else "Model container",
                    request.params["name"],
                    ws.name,
                )
            return Response.json_body(c)

        def list_versions(request: Request, _tok: IssuedToken) -> Response:
            ws = ws_of(state, request)
            items = versions_of(kind, ws, request.params["name"])
            order = (request.q("$orderBy") or request.q("$orderby") or "").lower()
            if order and "desc" not in order:
                items.reverse()
            top = request.q("$top")
            if top:
                items = items[: int(top)]
            return page([to_json(kind, v, ws) for v in items])

        def get_version(request: Request, _tok: IssuedToken) -> Response:
            ws = ws_of(state, request)
            store: dict[Any, Any] = state.data if kind == "data" else state.models
            v = store.get((ws.name.lower(), request.params["name"], request.params["version"]))
            if v is None:
                return not_found(
                    "Data version" if kind == "data" else "Model version",
                    f"{request.params['name']}:{request.params['version']}",
                    ws.name,
                )
            return Response.json_body(to_json(kind, v, ws))

        def put_version(request: Request, _tok: IssuedToken) -> Response:
            ws = ws_of(state, request)
            body = (request.json() or {}).get("properties") or {}
            key = (ws.name.lower(), request.params["name"], request.params["version"])
            existing = state.data.get(key) if kind == "data" else state.models.get(key)
            now = state.now()
            if kind == "data":
                if not body.get("dataUri"):
                    return Response.error(400, "UserError", "DataUri is required.")
                v: Any = DataVersion(key[1], key[2], key[0], dict(body), now)
                state.data[key] = v
            else:
                v = ModelVersion(key[1], key[2], key[0], dict(body), now)
                state.models[key] = v
            return Response.json_body(to_json(kind, v, ws), 200 if existing else 201)

        def pending_upload(request: Request, _tok: IssuedToken) -> Response:
            ws = ws_of(state, request)
            blob_name = f"LocalUpload/{request.params['name']}-{request.params['version']}"
            sas = state.new_sas()
            uri = f"https://{BLOB_HOST}/{state.container}/{blob_name}"
            return Response.json_body(
                {
                    "blobReferenceForConsumption": {
                        "blobUri": uri,
                        "storageAccountArmId": f"/subscriptions/{state.world.subscription_id}"
                        f"/resourceGroups/{ws.resource_group}/providers/Microsoft.Storage"
                        f"/storageAccounts/{STORAGE_ACCOUNT}",
                        "credential": {"credentialType": "SAS", "sasUri": f"{uri}?{sas}"},
                    },
                    "pendingUploadId": request.params["version"],
                    "pendingUploadType": "TemporaryBlobReference",
                }
            )

        name = r"/(?P<name>[^/]+)"
        ver = name + r"/versions/(?P<version>[^/]+)"
        router.add("GET", ARM_HOST, base, arm(state, f"workspaces/{kind}/read", list_containers))
        router.add(
            "GET", ARM_HOST, base + name, arm(state, f"workspaces/{kind}/read", get_container)
        )
        router.add(
            "GET",
            ARM_HOST,
            base + name + r"/versions",
            arm(state, f"workspaces/{kind}/versions/read", list_versions),
        )
        router.add(
            "GET", ARM_HOST, base + ver, arm(state, f"workspaces/{kind}/versions/read", get_version)
        )
        router.add(
            "PUT",
            ARM_HOST,
            base + ver,
            arm(state, f"workspaces/{kind}/versions/write", put_version),
        )
        router.add(
            "POST",
            ARM_HOST,
            base + ver + r"/startPendingUpload",
            arm(state, f"workspaces/{kind}/versions/write", pending_upload),
        )

    make("data")
    make("models")


def register_output_model(state: AmlState, job_name: str, ws: Workspace, name: str) -> ModelVersion:
    """Register a completed job's output model as the next version of ``name``."""
    existing = [v for (w, n, _), v in state.models.items() if w == ws.name.lower() and n == name]
    version = str(max([int(v.version) for v in existing if v.version.isdigit()] or [0]) + 1)
    now = state.now()
    m = ModelVersion(
        name,
        version,
        ws.name.lower(),
        {
            "description": f"Fine-tuned by job {job_name}",
            "tags": {"createdAt": iso(now)},
            "properties": {"azureml.runId": job_name, "baseModel": state.jobs[job_name].model_uri},
            "modelType": "custom_model",
            "modelUri": f"azureml://jobs/{job_name}/outputs/registered_model",
            "flavors": {"mlflow": {"data": {}}},
        },
        now,
        job_name=job_name,
    )
    state.models[(ws.name.lower(), name, version)] = m
    return m
