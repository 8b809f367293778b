"""Emulated Microsoft.Storage storage accounts and Microsoft.KeyVault vaults (ARM only).

A Foundry hub is an Azure ML workspace of kind Hub; it needs the ARM id of a storage account
(and, unless Microsoft-managed credentials are used, of a key vault). azure-ai-ml's own hub
template (``azure/ai/ml/_arm_deployments/arm_templates/workspace_base.json``, SDK 1.35) creates
both next to the hub and passes ``properties.storageAccount`` / ``properties.keyVault``;
Application Insights is optional (``applicationInsightsOption: none``). This module serves
what such a client sends, with the rules the services apply:

* Storage account (``StorageAccounts_Create``): name 3-24 characters, lower-case letters and
  digits, unique across Azure (``StorageAccountAlreadyTaken``); ``sku.name``, ``kind`` and
  ``location`` required; a new account answers 202 + ``Location`` (see arm_async.py).
* Key vault (``Vaults_CreateOrUpdate``): name 3-24 letters, digits and hyphens, starting with
  a letter, ending with a letter or digit, no ``--``, unique across Azure
  (``VaultAlreadyExists``); ``properties.tenantId`` and ``properties.sku`` (family ``A``,
  ``standard``/``premium``) required; 201 with ``provisioningState: RegisteringDns`` until
  ``Succeeded``.

The exact wording of these errors is paraphrased from what the services are known to send; the
codes and rules are what clients act on.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.azure_emulator.arm import ARM_HOST, creation, guard_resource, resource_not_found
from tests.azure_emulator.arm_async import Operations, Provisioning
from tests.azure_emulator.http import Request, Response, Router
from tests.azure_emulator.world import RESOURCE_GROUP, World

STORAGE = "Microsoft.Storage"
KEY_VAULT = "Microsoft.KeyVault"
STORAGE_NAME = re.compile(r"[a-z0-9]{3,24}")
VAULT_NAME = re.compile(r"[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]")
RG_PATH = r"/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)/providers/"
# The account and vault the seeded hubs name (aml_state.STORAGE_ACCOUNT, aml.workspace_json).
SEEDED_STORAGE = "contosohubstorage"
SEEDED_VAULT = "contosohubkv"


@dataclass
class StorageAccount:
    name: str
    resource_group: str
    location: str
    sku: str
    kind: str
    provisioning: Provisioning = field(default_factory=Provisioning)
    created: float = field(default_factory=time.time)


@dataclass
class KeyVault:
    name: str
    resource_group: str
    location: str
    tenant_id: str
    sku: str
    provisioning: Provisioning = field(default_factory=lambda: Provisioning(busy="RegisteringDns"))
    created: float = field(default_factory=time.time)


class HubDependencies:
    """Storage accounts and key vaults by (globally unique, case-insensitive) name."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.lock = threading.RLock()
        self.storage: dict[str, StorageAccount] = {
            SEEDED_STORAGE: StorageAccount(
                SEEDED_STORAGE, RESOURCE_GROUP, "westus", "Standard_LRS", "StorageV2"
            )
        }
        self.vaults: dict[str, KeyVault] = {
            SEEDED_VAULT: KeyVault(
                SEEDED_VAULT, RESOURCE_GROUP, "westus", world.tenant_id, "standard"
            )
        }

    def arm_id(self, provider_type: str, resource_group: str, name: str) -> str:
        return (
            f"/subscriptions/{self.world.subscription_id}/resourceGroups/{resource_group}"
            f"/providers/{provider_type}/{name}"
        )

    def _by_id(self, arm_id: str, provider_type: str) -> StorageAccount | KeyVault | None:
        """The resource an ARM id names, if it exists in this subscription and group."""
        parts = [p.lower() for p in arm_id.strip("/").split("/")]
        if len(parts) != 8 or parts[0::2][:3] != ["subscriptions", "resourcegroups", "providers"]:
            return None
        if parts[1] != self.world.subscription_id.lower():
            return None
        if "/".join(parts[5:7]) != provider_type.lower():
            return None
        store: dict[str, StorageAccount] | dict[str, KeyVault] = (
            self.storage if provider_type.startswith(STORAGE) else self.vaults
        )
        found = store.get(parts[7])
        if found is None or found.resource_group.lower() != parts[3]:
            return None
        return found

    def storage_by_id(self, arm_id: str) -> StorageAccount | None:
        found = self._by_id(arm_id, f"{STORAGE}/storageAccounts")
        return found if isinstance(found, StorageAccount) else None

    def vault_by_id(self, arm_id: str) -> KeyVault | None:
        found = self._by_id(arm_id, f"{KEY_VAULT}/vaults")
        return found if isinstance(found, KeyVault) else None


def _storage_json(deps: HubDependencies, a: StorageAccount) -> dict[str, Any]:
    return {
        "id": deps.arm_id(f"{STORAGE}/storageAccounts", a.resource_group, a.name),
        "name": a.name,
        "type": f"{STORAGE}/storageAccounts",
        "location": a.location,
        "kind": a.kind,
        "sku": {"name": a.sku, "tier": "Premium" if a.sku.startswith("Premium") else "Standard"},
        "tags": {},
        "properties": {
            "provisioningState": a.provisioning.state(),
            "creationTime": time.strftime("%Y-%m-%dT%H:%M:%S.0000000Z", time.gmtime(a.created)),
            "primaryLocation": a.location,
            "statusOfPrimary": "available",
            "supportsHttpsTrafficOnly": True,
            "allowBlobPublicAccess": False,
            "minimumTlsVersion": "TLS1_2",
            "isHnsEnabled": False,
            "primaryEndpoints": {
                "blob": f"https://{a.name}.blob.core.windows.net/",
                "file": f"https://{a.name}.file.core.windows.net/",
                "queue": f"https://{a.name}.queue.core.windows.net/",
                "table": f"https://{a.name}.table.core.windows.net/",
                "dfs": f"https://{a.name}.dfs.core.windows.net/",
            },
        },
    }


def _vault_json(deps: HubDependencies, v: KeyVault) -> dict[str, Any]:
    return {
        "id": deps.arm_id(f"{KEY_VAULT}/vaults", v.resource_group, v.name),
        "name": v.name,
        "type": f"{KEY_VAULT}/vaults",
        "location": v.location,
        "tags": {},
        "properties": {
            "tenantId": v.tenant_id,
            "sku": {"family": "A", "name": v.sku},
            "accessPolicies": [],
            "enableRbacAuthorization": True,
            "enableSoftDelete": True,
            "softDeleteRetentionInDays": 90,
            "vaultUri": f"https://{v.name}.vault.azure.net/",
            "provisioningState": v.provisioning.state(),
            "publicNetworkAccess": "Enabled",
        },
    }


def register(router: Router, world: World) -> HubDependencies:
    deps = HubDependencies(world)
    world.extra["hub_dependencies"] = deps
    ops: Operations = world.extra["operations"]
    storage_path = RG_PATH + r"Microsoft\.Storage/storageAccounts/(?P<name>[^/]+)"
    vault_path = RG_PATH + r"Microsoft\.KeyVault/vaults/(?P<name>[^/]+)"

    def taken(found: StorageAccount | KeyVault | None, rg: str) -> bool:
        return found is not None and found.resource_group.lower() != rg.lower()

    def getter(
        provider: str, resource_type: str, store: dict[str, Any], to_json: Callable[..., Any]
    ) -> Callable[[Request], Response]:
        def get(request: Request) -> Response:
            tok = guard_resource(world, request, provider, f"{resource_type}/read")
            if isinstance(tok, Response):
                return tok
            name, rg = request.params["name"], request.params["rg"]
            found = store.get(name.lower())
            if found is None or taken(found, rg):
                return resource_not_found(f"{provider}/{resource_type}", name, rg)
            return Response.json_body(to_json(deps, found))

        return get

    def put_storage(request: Request) -> Response:
        new = creation(
            world,
            request,
            provider=STORAGE,
            resource_type="storageAccounts",
            name_rule=STORAGE_NAME,
            name_error=(
                "AccountNameInvalid",
                "{name} is not a valid storage account name. Storage account name must be "
                "between 3 and 24 characters in length and use numbers and lower-case letters "
                "only.",
            ),
        )
        if isinstance(new, Response):
            return new
        body = new.body
        sku = body["sku"].get("name") if isinstance(body.get("sku"), dict) else None
        if not sku or not body.get("kind"):
            return Response.error(
                400,
                "InvalidRequestContent",
                "The request content was invalid: 'sku.name' and 'kind' are required.",
            )
        with deps.lock:
            found = deps.storage.get(new.name.lower())
            if taken(found, new.rg):
                return Response.error(
                    409,
                    "StorageAccountAlreadyTaken",
                    f"The storage account named {new.name} is already taken.",
                )
            if found is not None:
                found.sku, found.kind = str(sku), str(body["kind"])
                return Response.json_body(_storage_json(deps, found))
            account = StorageAccount(
                new.name,
                new.rg,
                new.location,
                str(sku),
                str(body["kind"]),
                ops.provisioning(STORAGE),
            )
            deps.storage[new.name.lower()] = account
        headers = ops.begin(
            request,
            STORAGE,
            new.location,
            "location",
            account.provisioning,
            lambda: _storage_json(deps, account),
        )
        return Response(202, b"", headers)

    def put_vault(request: Request) -> Response:
        new = creation(
            world,
            request,
            provider=KEY_VAULT,
            resource_type="vaults",
            name_rule=VAULT_NAME,
            name_error=(
                "VaultNameNotValid",
                "The vault name '{name}' is invalid. A vault's name must be between 3-24 "
                "alphanumeric characters. The name must begin with a letter, end with a letter "
                "or digit, and not contain consecutive hyphens.",
            ),
        )
        if isinstance(new, Response):
            return new
        body = new.body
        props = body["properties"] if isinstance(body.get("properties"), dict) else {}
        sku = props["sku"] if isinstance(props.get("sku"), dict) else {}
        sku_name = str(sku.get("name", "")).lower()
        if not props.get("tenantId") or sku.get("family") != "A" or sku_name not in (
            "standard",
            "premium",
        ):
            return Response.error(
                400,
                "BadRequest",
                "The request is invalid: 'properties.tenantId' and 'properties.sku' (family "
                "'A', name 'standard' or 'premium') are required.",
            )
        if str(props["tenantId"]).lower() != world.tenant_id.lower():
            return Response.error(
                400,
                "BadRequest",
                f"The tenant '{props['tenantId']}' is not the tenant of the subscription.",
            )
        with deps.lock:
            found = deps.vaults.get(new.name.lower())
            if taken(found, new.rg):
                return Response.error(
                    409,
                    "VaultAlreadyExists",
                    f"The vault name '{new.name}' is already in use. Vault names are globally "
                    "unique so it is possible that the name is already taken.",
                )
            if found is not None:
                found.sku = sku_name
                return Response.json_body(_vault_json(deps, found))
            vault = KeyVault(
                new.name,
                new.rg,
                new.location,
                world.tenant_id,
                sku_name,
                ops.provisioning(KEY_VAULT, busy="RegisteringDns"),
            )
            deps.vaults[new.name.lower()] = vault
        return Response.json_body(_vault_json(deps, vault), 201)

    get_storage = getter(STORAGE, "storageAccounts", deps.storage, _storage_json)
    get_vault = getter(KEY_VAULT, "vaults", deps.vaults, _vault_json)
    router.add("GET", ARM_HOST, storage_path, get_storage)
    router.add("PUT", ARM_HOST, storage_path, put_storage)
    router.add("GET", ARM_HOST, vault_path, get_vault)
    router.add("PUT", ARM_HOST, vault_path, put_vault)
    return deps
