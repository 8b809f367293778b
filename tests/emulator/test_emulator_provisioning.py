"""Creating places to fine-tune, through the real azure-identity and requests clients: resource
groups, storage accounts, key vaults, Foundry hubs and projects, AI Services accounts, and
ARM's asynchronous-operation pattern (Location / Azure-AsyncOperation, Retry-After)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from azure.identity import ClientSecretCredential
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import (
    ARM_SCOPE,
    RESOURCE_GROUP,
    SP_CLIENT_ID,
    SP_CLIENT_SECRET,
    SUBSCRIPTION_ID,
    TENANT_ID,
)

ARM = "https://management.azure.com"
SUB = f"{ARM}/subscriptions/{SUBSCRIPTION_ID}"
WS_API = "api-version=2024-10-01-preview"
RG = "tunedesk-new"


@pytest.fixture
def arm(azure_emulator: Emulator) -> Iterator[requests.Session]:
    azure_emulator.provisioning.retry_after = 0
    azure_emulator.provisioning.delay = 0.2
    cred = ClientSecretCredential(TENANT_ID, SP_CLIENT_ID, SP_CLIENT_SECRET)
    with cred, requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {cred.get_token(ARM_SCOPE).token}"
        yield session


def rg_url(name: str = RG) -> str:
    return f"{SUB}/resourcegroups/{name}?api-version=2021-04-01"


def in_rg(path: str, api: str, rg: str = RG) -> str:
    return f"{SUB}/resourceGroups/{rg}/providers/{path}?{api}"


def storage_url(name: str, rg: str = RG) -> str:
    return in_rg(f"Microsoft.Storage/storageAccounts/{name}", "api-version=2023-05-01", rg)


def vault_url(name: str, rg: str = RG) -> str:
    return in_rg(f"Microsoft.KeyVault/vaults/{name}", "api-version=2023-07-01", rg)


def ws_url(name: str, rg: str = RG) -> str:
    return in_rg(f"Microsoft.MachineLearningServices/workspaces/{name}", WS_API, rg)


def account_url(name: str, rg: str = RG) -> str:
    return in_rg(f"Microsoft.CognitiveServices/accounts/{name}", "api-version=2024-10-01", rg)


def wait_location(arm: requests.Session, url: str) -> requests.Response:
    """Poll a Location URL the way ARM clients do: 202 while running, then the result."""
    for _ in range(100):
        r = arm.get(url, timeout=10)
        if r.status_code != 202:
            return r
        assert r.headers["Location"] == url
        time.sleep(0.05)
    raise AssertionError("operation never finished")


def create_hub_dependencies(arm: requests.Session) -> tuple[str, str]:
    assert arm.put(rg_url(), json={"location": "westus"}, timeout=10).status_code == 201
    r = arm.put(
        storage_url("tdstoretest1"),
        json={"location": "westus", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2"},
        timeout=10,
    )
    assert r.status_code == 202
    assert wait_location(arm, r.headers["Location"]).json()["properties"][
        "provisioningState"
    ] == "Succeeded"
    r = arm.put(
        vault_url("td-kv-test1"),
        json={
            "location": "westus",
            "properties": {"tenantId": TENANT_ID, "sku": {"family": "A", "name": "standard"}},
        },
        timeout=10,
    )
    assert r.status_code == 201
    assert r.json()["properties"]["provisioningState"] == "RegisteringDns"
    time.sleep(0.25)
    assert arm.get(vault_url("td-kv-test1"), timeout=10).json()["properties"][
        "provisioningState"
    ] == "Succeeded"
    storage_id = arm.get(storage_url("tdstoretest1"), timeout=10).json()["id"]
    vault_id = arm.get(vault_url("td-kv-test1"), timeout=10).json()["id"]
    return storage_id, vault_id


def hub_body(storage_id: str | None, vault_id: str | None, location: str = "westus") -> Any:
    props = {"friendlyName": "Hub"}
    if storage_id:
        props["storageAccount"] = storage_id
    if vault_id:
        props["keyVault"] = vault_id
    return {
        "location": location,
        "kind": "Hub",
        "identity": {"type": "SystemAssigned"},
        "properties": props,
    }


def test_resource_group_put_is_create_or_update(
    azure_emulator: Emulator, arm: requests.Session
) -> None:
    r = arm.put(rg_url(), json={"location": "westus"}, timeout=10)
    assert r.status_code == 201
    assert r.json()["properties"]["provisioningState"] == "Succeeded"
    assert arm.put(rg_url(), json={"location": "westus"}, timeout=10).status_code == 200
    clash = arm.put(rg_url(), json={"location": "eastus"}, timeout=10)
    assert clash.status_code == 409
    assert clash.json()["error"]["code"] == "InvalidResourceGroupLocation"
    assert arm.get(rg_url(), timeout=10).json()["location"] == "westus"
    assert azure_emulator.world.resource_groups[RG] == "westus"
    listed = arm.get(f"{SUB}/resourcegroups?api-version=2021-04-01", timeout=10).json()
    names = [g["name"] for g in listed["value"]]
    while "nextLink" in listed:
        listed = arm.get(listed["nextLink"], timeout=10).json()
        names += [g["name"] for g in listed["value"]]
    assert names.count(RG) == 1

    bad = arm.put(rg_url("ends-with."), json={"location": "westus"}, timeout=10)
    assert bad.status_code == 400
    assert arm.put(rg_url("x"), json={}, timeout=10).json()["error"]["code"] == "LocationRequired"
    assert arm.put(rg_url("x"), json={"location": "mars"}, timeout=10).json()["error"][
        "code"
    ] == "LocationNotAvailableForResourceGroup"

    azure_emulator.world.denied[SP_CLIENT_ID] = {"Microsoft.Resources"}
    denied = arm.put(rg_url("another"), json={"location": "westus"}, timeout=10)
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "AuthorizationFailed"


def test_hub_and_project_are_created_asynchronously(
    azure_emulator: Emulator, arm: requests.Session
) -> None:
    storage_id, vault_id = create_hub_dependencies(arm)
    # A hub needs an existing storage account; a key vault it names must exist too.
    no_storage = arm.put(ws_url("hub-one"), json=hub_body(None, vault_id), timeout=10)
    assert no_storage.status_code == 400
    assert "storageAccount" in no_storage.json()["error"]["message"]
    ghost = vault_id.replace("td-kv-test1", "td-kv-ghost")
    missing_vault = arm.put(ws_url("hub-one"), json=hub_body(storage_id, ghost), timeout=10)
    assert missing_vault.status_code == 400
    assert arm.put(ws_url("x"), json=hub_body(storage_id, vault_id), timeout=10).status_code == 400
    elsewhere = arm.put(
        ws_url("hub-one", rg="no-such-group"), json=hub_body(storage_id, vault_id), timeout=10
    )
    assert elsewhere.json()["error"]["code"] == "ResourceGroupNotFound"

    r = arm.put(ws_url("hub-one"), json=hub_body(storage_id, vault_id), timeout=10)
    assert r.status_code == 202
    location = r.headers["Location"]
    assert "/providers/Microsoft.MachineLearningServices/locations/westus/" in location
    assert "/workspaceOperationsStatus/" in location
    assert r.headers["Retry-After"] == "0"
    hub = arm.get(ws_url("hub-one"), timeout=10).json()
    assert hub["properties"]["provisioningState"] == "Creating"
    assert hub["properties"]["storageAccount"] == storage_id
    done = wait_location(arm, location)
    assert done.status_code == 200
    assert done.json()["properties"]["provisioningState"] == "Succeeded"
    hub_id = done.json()["id"]

    project = {
        "location": "westus",
        "kind": "Project",
        "identity": {"type": "SystemAssigned"},
        "properties": {"friendlyName": "Family", "hubResourceId": hub_id},
    }
    no_hub = {**project, "properties": {"friendlyName": "Family"}}
    assert arm.put(ws_url("proj-one"), json=no_hub, timeout=10).status_code == 400
    wrong_region = {**project, "location": "eastus"}
    assert arm.put(ws_url("proj-one"), json=wrong_region, timeout=10).status_code == 400
    r = arm.put(ws_url("proj-one"), json=project, timeout=10)
    assert r.status_code == 202
    assert wait_location(arm, r.headers["Location"]).json()["properties"]["hubResourceId"] == hub_id
    again = arm.put(ws_url("proj-one"), json=project, timeout=10)
    assert again.status_code == 200                       # same name: an update, no duplicate

    listed = arm.get(
        f"{SUB}/providers/Microsoft.MachineLearningServices/workspaces?{WS_API}&kind=hub,project",
        timeout=10,
    ).json()["value"]
    assert [w["name"] for w in listed].count("proj-one") == 1
    assert [w["name"] for w in listed].count("hub-one") == 1
    hub = arm.get(ws_url("hub-one"), timeout=10).json()
    assert hub["properties"]["associatedWorkspaces"] == [
        w["id"] for w in listed if w["name"] == "proj-one"
    ]
    assert not azure_emulator.unserved()
    assert not azure_emulator.errors


def test_dependency_names_follow_azure_rules(
    azure_emulator: Emulator, arm: requests.Session
) -> None:
    assert arm.put(rg_url(), json={"location": "westus"}, timeout=10).status_code == 201
    storage = {"location": "westus", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2"}
    bad = arm.put(storage_url("Has-Capitals"), json=storage, timeout=10)
    assert bad.json()["error"]["code"] == "AccountNameInvalid"
    # Storage account and vault names are global: the seeded hub's are taken.
    taken = arm.put(storage_url("contosohubstorage"), json=storage, timeout=10)
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "StorageAccountAlreadyTaken"
    vault = {
        "location": "westus",
        "properties": {"tenantId": TENANT_ID, "sku": {"family": "A", "name": "standard"}},
    }
    assert arm.put(vault_url("contosohubkv"), json=vault, timeout=10).json()["error"][
        "code"
    ] == "VaultAlreadyExists"
    for name in ("1starts-with-digit", "double--hyphen", "ab"):
        r = arm.put(vault_url(name), json=vault, timeout=10)
        assert r.json()["error"]["code"] == "VaultNameNotValid", name
    no_sku = {"location": "westus", "properties": {"tenantId": TENANT_ID}}
    assert arm.put(vault_url("td-kv-nosku"), json=no_sku, timeout=10).status_code == 400
    azure_emulator.world.denied[SP_CLIENT_ID] = {"Microsoft.Storage"}
    assert arm.put(storage_url("tdstoreok"), json=storage, timeout=10).status_code == 403


def test_ai_services_account_needs_a_unique_subdomain_and_serves_its_endpoint(
    azure_emulator: Emulator, arm: requests.Session
) -> None:
    assert arm.put(rg_url(), json={"location": "swedencentral"}, timeout=10).status_code == 201
    body: dict[str, Any] = {
        "location": "swedencentral",
        "kind": "AIServices",
        "sku": {"name": "S0"},
        "identity": {"type": "SystemAssigned"},
        "properties": {},
    }
    missing = arm.put(account_url("td-ais"), json=body, timeout=10)
    assert missing.status_code == 400
    body["properties"] = {"customSubDomainName": "contoso-aoai-swc"}   # a seeded account's
    assert arm.put(account_url("td-ais"), json=body, timeout=10).json()["error"][
        "code"
    ] == "CustomDomainInUse"
    body["properties"] = {"customSubDomainName": "td-ais-sub"}
    # Long enough that "still in progress" is seen on a loaded 2-core CI machine (at 0.2 s a
    # slow GET after the PUT already found it finished), short enough for the polls below.
    azure_emulator.provisioning.delay = 1.0
    r = arm.put(account_url("td-ais"), json=body, timeout=10)
    assert r.status_code == 201
    assert r.json()["properties"]["provisioningState"] == "Creating"
    status_url = r.headers["Azure-AsyncOperation"]
    assert "/providers/Microsoft.CognitiveServices/locations/swedencentral/" in status_url
    assert arm.get(status_url, timeout=10).json()["status"] == "InProgress"
    for _ in range(100):
        status = arm.get(status_url, timeout=10).json()
        if status["status"] != "InProgress":
            break
        time.sleep(0.05)
    assert status["status"] == "Succeeded"
    account = arm.get(account_url("td-ais"), timeout=10).json()
    assert account["properties"]["endpoint"] == "https://td-ais-sub.cognitiveservices.azure.com/"
    assert account["properties"]["endpoints"]["OpenAI Language Model Instance API"] == (
        "https://td-ais-sub.openai.azure.com/"
    )
    assert arm.put(account_url("td-ais"), json=body, timeout=10).status_code == 200
    listed = arm.get(
        f"{SUB}/providers/Microsoft.CognitiveServices/accounts?api-version=2024-10-01",
        timeout=10,
    ).json()["value"]
    assert [a["name"] for a in listed].count("td-ais") == 1

    # The data plane answers on the new subdomain with the new account's key.
    key = arm.post(
        account_url("td-ais").replace("?", "/listKeys?"), timeout=10
    ).json()["key1"]
    models = requests.get(
        "https://td-ais-sub.openai.azure.com/openai/models?api-version=2024-10-21",
        headers={"api-key": key},
        timeout=10,
    )
    assert models.status_code == 200, models.text

    azure_emulator.world.denied[SP_CLIENT_ID] = {"Microsoft.CognitiveServices"}
    body["properties"] = {"customSubDomainName": "td-ais-two"}
    denied = arm.put(account_url("td-ais-two"), json=body, timeout=10)
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "AuthorizationFailed"


def test_failed_provisioning_shows_in_status_and_resource(
    azure_emulator: Emulator, arm: requests.Session
) -> None:
    assert arm.put(rg_url(), json={"location": "swedencentral"}, timeout=10).status_code == 201
    azure_emulator.provisioning.fail_next(
        "Microsoft.CognitiveServices", "InternalServerError", "Provisioning failed."
    )
    body = {
        "location": "swedencentral",
        "kind": "AIServices",
        "sku": {"name": "S0"},
        "properties": {"customSubDomainName": "td-fails"},
    }
    r = arm.put(account_url("td-fails"), json=body, timeout=10)
    time.sleep(0.25)
    status = arm.get(r.headers["Azure-AsyncOperation"], timeout=10).json()
    assert status["status"] == "Failed"
    assert status["error"]["code"] == "InternalServerError"
    account = arm.get(account_url("td-fails"), timeout=10).json()
    assert account["properties"]["provisioningState"] == "Failed"
    # PUT again re-drives a failed resource (same account, a new operation).
    again = arm.put(account_url("td-fails"), json=body, timeout=10)
    assert again.status_code == 200
    assert again.json()["properties"]["provisioningState"] == "Creating"
    time.sleep(0.25)
    assert arm.get(again.headers["Azure-AsyncOperation"], timeout=10).json()["status"] == (
        "Succeeded"
    )

    azure_emulator.provisioning.fail_next(
        "Microsoft.Storage", "StorageAccountCreationFailed", "No capacity."
    )
    storage = {"location": "swedencentral", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2"}
    r = arm.put(storage_url("tdstorefails"), json=storage, timeout=10)
    done = wait_location(arm, r.headers["Location"])
    assert done.status_code == 400
    assert done.json()["error"]["code"] == "StorageAccountCreationFailed"


def test_seeded_places_are_unchanged(azure_emulator: Emulator, arm: requests.Session) -> None:
    hub = arm.get(ws_url("contoso-hub", rg=RESOURCE_GROUP), timeout=10).json()
    assert hub["properties"]["provisioningState"] == "Succeeded"
    assert hub["properties"]["storageAccount"].endswith("/storageAccounts/contosohubstorage")
    project = arm.get(ws_url("family-project", rg=RESOURCE_GROUP), timeout=10).json()
    assert project["properties"]["keyVault"].endswith("/vaults/contosohubkv")
    seeded = arm.get(storage_url("contosohubstorage", rg=RESOURCE_GROUP), timeout=10)
    assert seeded.json()["properties"]["provisioningState"] == "Succeeded"
