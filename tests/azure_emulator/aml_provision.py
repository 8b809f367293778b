"""Creating Foundry hubs and hub-based projects: ``PUT .../workspaces/{name}`` (ARM).

What is validated, and where it comes from:

* Name: ``^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`` (``WorkspaceNameParameter`` in azure-rest-api-specs
  ``machinelearningservices/.../preview/2024-10-01-preview/workspaceRP.json``).
* ``location`` required and known; the resource group must exist (ARM).
* Kind Hub: ``properties.storageAccount`` is the ARM id of an existing storage account;
  ``properties.keyVault`` (optional since Microsoft-managed credential stores, see
  Azure/terraform-azurerm-avm-res-machinelearningservices-workspace#106) must exist if given;
  ``applicationInsights`` is optional. azure-ai-ml's hub template (``workspace_base.json``)
  creates the storage account and key vault first and passes their ids.
* Kind Project: ``properties.hubResourceId`` names an existing hub, and the project is in the
  hub's region (azure-ai-ml's ``workspace_project.json`` sends only friendlyName, description,
  hubResourceId, kind, location and a system-assigned identity).
* PUT is create-or-update: the same name updates (kind and location cannot change).
* A new workspace answers 202 with ``Location`` + ``Retry-After`` (``final-state-via:
  location``) and stays ``Creating`` for ``operations.delay`` seconds (arm_async.py).

Limitation: the emulator keys workspaces by name alone (aml_state), so a name already used in
another resource group is refused with 409 ``EmulatorLimitation`` (Azure would allow it).
"""

from __future__ import annotations

import re
from typing import Any

from tests.azure_emulator.aml import workspace_json
from tests.azure_emulator.aml_common import ARM_HOST, aml_error, arm
from tests.azure_emulator.aml_state import PROVIDER, AmlState, Workspace
from tests.azure_emulator.arm import creation, emulator_limitation
from tests.azure_emulator.arm_async import Operations
from tests.azure_emulator.http import Request, Response, Router
from tests.azure_emulator.hub_dependencies import HubDependencies
from tests.azure_emulator.world import IssuedToken

WORKSPACE_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}")
KINDS = {"hub": "hub", "project": "project", "default": "default"}
PATH = (
    r"/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)"
    r"/providers/Microsoft\.MachineLearningServices/workspaces/(?P<name>[^/]+)"
)


def _hub_of(state: AmlState, hub_id: str) -> Workspace | None:
    parts = hub_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    if len(parts) != 8 or lowered[4:7] != ["providers", PROVIDER.lower(), "workspaces"]:
        return None
    hub = state.workspace(parts[7])
    if hub is None or hub.kind != "hub" or hub.resource_group.lower() != lowered[3]:
        return None
    return hub


def _dependency_problem(
    deps: HubDependencies, props: dict[str, Any], key: str, required: bool
) -> Response | None:
    value = props.get(key)
    if not value:
        if not required:
            return None
        return aml_error(
            400, "UserError", f"properties.{key} is required for a workspace of kind Hub."
        )
    found = deps.storage_by_id(str(value)) if key == "storageAccount" else deps.vault_by_id(
        str(value)
    )
    if found is None:
        return aml_error(400, "UserError", f"The resource '{value}' ({key}) was not found.")
    if found.provisioning.state() != "Succeeded":
        return aml_error(
            400,
            "UserError",
            f"The resource '{value}' ({key}) is not ready: its provisioningState is "
            f"{found.provisioning.state()}.",
        )
    return None


def register(router: Router, state: AmlState) -> None:
    ops: Operations = state.world.extra["operations"]
    deps: HubDependencies = state.world.extra["hub_dependencies"]

    def put(request: Request, _tok: IssuedToken) -> Response:
        new = creation(
            state.world,
            request,
            provider=PROVIDER,
            resource_type="workspaces",
            name_rule=WORKSPACE_NAME,
            name_error=(
                "UserError",
                "Workspace name '{name}' is not valid: it must be 3 to 33 characters long, "
                "start with a letter or digit and contain only letters, digits, '-' and '_'.",
            ),
            checked=True,   # arm() checked token, subscription and role
        )
        if isinstance(new, Response):
            return new
        name, rg, body, location = new.name, new.rg, new.body, new.location
        kind = KINDS.get(str(body.get("kind") or "default").lower())
        if kind is None:
            return aml_error(
                400,
                "UserError",
                f"The workspace kind '{body.get('kind')}' is not served here (Hub, Project or "
                "Default).",
            )
        props = body.get("properties") if isinstance(body.get("properties"), dict) else {}
        hub: Workspace | None = None
        if kind == "hub":
            for key, required in (("storageAccount", True), ("keyVault", False)):
                problem = _dependency_problem(deps, props, key, required)
                if problem is not None:
                    return problem
        if kind == "project":
            hub_id = props.get("hubResourceId")
            if not hub_id:
                return aml_error(
                    400, "UserError", "properties.hubResourceId is required for a project."
                )
            hub = _hub_of(state, str(hub_id))
            if hub is None or hub.provisioning.state() != "Succeeded":
                return aml_error(400, "UserError", f"The hub '{hub_id}' was not found.")
            if hub.location != location:
                return aml_error(
                    400,
                    "UserError",
                    f"A project must be in the region of its hub ('{hub.location}'), not "
                    f"'{location}'.",
                )
        existing = state.workspace(name)
        if existing is not None:
            if existing.resource_group.lower() != rg.lower():
                return emulator_limitation("a workspace", name)
            if existing.kind != kind or existing.location != location:
                return aml_error(
                    400,
                    "UserError",
                    "The kind and location of an existing workspace cannot be changed.",
                )
            existing.friendly_name = str(props.get("friendlyName") or existing.friendly_name)
            existing.description = str(props.get("description") or existing.description)
            again = ops.retried(PROVIDER, existing.provisioning)
            if again is None:
                return Response.json_body(workspace_json(state, existing))
            existing.provisioning = again
            ws = existing
        else:
            ws = Workspace(
                name,
                kind,
                location,
                rg,
                hub_name=hub.name if hub is not None else None,
                friendly_name=str(props.get("friendlyName") or ""),
                provisioning=ops.provisioning(PROVIDER),
                description=str(props.get("description") or ""),
                storage_account="" if kind == "project" else str(props.get("storageAccount") or ""),
                key_vault="" if kind == "project" else str(props.get("keyVault") or ""),
                application_insights=(
                    "" if kind == "project" else str(props.get("applicationInsights") or "")
                ),
            )
            state.add_workspace(ws)
        headers = ops.begin(
            request,
            PROVIDER,
            location,
            "location",
            ws.provisioning,
            lambda: workspace_json(state, ws),
        )
        return Response(202, b"", headers)

    router.add("PUT", ARM_HOST, PATH, arm(state, "workspaces/write", put))
