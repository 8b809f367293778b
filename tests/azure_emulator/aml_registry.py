"""Emulated system registries (azureml, azureml-meta, ...): discovery and model assets.

``MLClient(cred, registry_name="azureml")`` calls registry discovery at eastus.api.azureml.ms
while it is built, then sends model calls to the discovered MFE endpoint
(``https://cert-eastus.experiments.azureml.net/mferp/managementfrontend``).
"""

from __future__ import annotations

from typing import Any

from tests.azure_emulator.aml_common import ARM_AUDIENCES, authenticate, page
from tests.azure_emulator.aml_state import (
    PROVIDER,
    REGISTRY_RESOURCE_GROUP,
    REGISTRY_SUBSCRIPTION,
    AmlState,
    RegistryModel,
    system_data,
)
from tests.azure_emulator.http import Request, Response, Router

DISCOVERY_HOST = r"eastus\.api\.azureml\.ms"
MFE_HOST = r"cert-(?P<region>[a-z0-9]+)\.experiments\.azureml\.net"
REG_PATH = (
    r"/mferp/managementfrontend/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)"
    r"/providers/Microsoft\.MachineLearningServices/registries/(?P<registry>[^/]+)"
)
SEED_CREATED = 1_735_689_600.0  # 2025-01-01


def registry_model_version_json(m: RegistryModel, version: str) -> dict[str, Any]:
    index = m.versions.index(version)
    asset_id = f"azureml://registries/{m.registry}/models/{m.name}/versions/{version}"
    return {
        "id": asset_id,
        "name": version,
        "type": f"{PROVIDER}/registries/models/versions",
        "systemData": system_data(SEED_CREATED + index * 86_400),
        "properties": {
            "description": m.description,
            "tags": dict(m.tags),
            "properties": {"publisher": m.publisher},
            "isArchived": False,
            "isAnonymous": False,
            "flavors": {"transformers": {"data": {}}},
            "modelType": "mlflow_model",
            "modelUri": f"azureml://registries/{m.registry}/models/{m.name}/versions/{version}",
            "jobName": None,
            "stage": None,
        },
    }


def registry_model_container_json(m: RegistryModel) -> dict[str, Any]:
    return {
        "id": f"azureml://registries/{m.registry}/models/{m.name}",
        "name": m.name,
        "type": f"{PROVIDER}/registries/models",
        "systemData": system_data(SEED_CREATED),
        "properties": {
            "description": m.description,
            "tags": dict(m.tags),
            "properties": {},
            "isArchived": False,
            "latestVersion": m.versions[-1],
            "nextVersion": str(int(m.versions[-1]) + 1),
        },
    }


def register(router: Router, state: AmlState) -> None:
    def guarded(handler: Any) -> Any:
        def wrapped(request: Request) -> Response:
            state.record(request.method, request.path, request.q("api-version"))
            tok = authenticate(state, request, ARM_AUDIENCES)
            if isinstance(tok, Response):
                return tok
            registry = request.params.get("registry", "")
            if registry.lower() not in {r.lower() for r in state.registries}:
                return Response.error(
                    404,
                    "UserError",
                    f"Registry {registry} was not found or you do not have access.",
                )
            with state.lock:
                return handler(request)

        return wrapped

    def discovery(request: Request) -> Response:
        name = request.params["registry"]
        return Response.json_body(
            {
                "registryName": name,
                "tenantId": "33e01921-4d64-4f8c-a055-5bdaffd5e33d",
                "primaryRegion": "eastus",
                "regions": ["eastus", "westus", "westus3", "eastus2", "japaneast"],
                "subscriptionId": REGISTRY_SUBSCRIPTION,
                "resourceGroup": REGISTRY_RESOURCE_GROUP,
                "workspaceName": None,
                "primaryRegionResourceProviderUri": "https://cert-eastus.experiments.azureml.net/",
                "registryFqdns": {
                    "eastus": {"": f"{name}.eastus.api.azureml.ms"},
                },
            }
        )

    def model_or_404(request: Request) -> RegistryModel | Response:
        m = state.registry_model(request.params["registry"], request.params["name"])
        if m is None:
            return Response.error(
                404,
                "UserError",
                f"Model container {request.params['name']} not found in registry "
                f"{request.params['registry']}.",
            )
        return m

    def container(request: Request) -> Response:
        m = model_or_404(request)
        return (
            m if isinstance(m, Response) else Response.json_body(registry_model_container_json(m))
        )

    def version(request: Request) -> Response:
        m = model_or_404(request)
        if isinstance(m, Response):
            return m
        if request.params["version"] not in m.versions:
            return Response.error(
                404,
                "UserError",
                f"Model {m.name}:{request.params['version']} not found in registry {m.registry}.",
            )
        return Response.json_body(registry_model_version_json(m, request.params["version"]))

    def versions(request: Request) -> Response:
        m = model_or_404(request)
        if isinstance(m, Response):
            return m
        items = [registry_model_version_json(m, v) for v in reversed(m.versions)]
        order = (request.q("$orderBy") or "").lower()
        if order and "desc" not in order:
            items.reverse()
        top = request.q("$top")
        if top:
            items = items[: int(top)]
        return page(items)

    def containers(request: Request) -> Response:
        reg = request.params["registry"].lower()
        return page(
            [
                registry_model_container_json(m)
                for m in state.registry_models
                if m.registry.lower() == reg
            ]
        )

    router.add(
        "GET",
        DISCOVERY_HOST,
        r"/registrymanagement/v1\.0/registries/(?P<registry>[^/]+)/discovery",
        guarded(discovery),
    )
    models = REG_PATH + r"/models"
    router.add("GET", MFE_HOST, models, guarded(containers))
    router.add("GET", MFE_HOST, models + r"/(?P<name>[^/]+)", guarded(container))
    router.add("GET", MFE_HOST, models + r"/(?P<name>[^/]+)/versions", guarded(versions))
    router.add(
        "GET", MFE_HOST, models + r"/(?P<name>[^/]+)/versions/(?P<version>[^/]+)", guarded(version)
    )
