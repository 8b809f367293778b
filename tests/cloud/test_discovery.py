"""Sign-in and discovery through the real azure-identity/azure-core against the emulator."""

from __future__ import annotations

import pytest

from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import SP_CLIENT_ID, SP_CLIENT_SECRET, SUBSCRIPTION_ID, TENANT_ID
from tests.cloud.conftest import run
from tunedesk.cloud import auth
from tunedesk.cloud.discovery import Discovery, ai_resource_from, check_place, check_region
from tunedesk.cloud.errors import PermissionDenied, SignInFailed
from tunedesk.cloud.secrets import KeyringSecretStore, account_for_service_principal
from tunedesk.core.catalog import load_catalog


def test_service_principal_sign_in_lists_tenants_subscriptions_workspaces_and_resources(
    azure_emulator: Emulator, memory_keyring: object
) -> None:
    store = KeyringSecretStore()

    async def scenario() -> None:
        session = await auth.sign_in_service_principal(
            TENANT_ID, SP_CLIENT_ID, store, secret=SP_CLIENT_SECRET
        )
        d = Discovery(session)
        tenants = await d.list_tenants()
        assert TENANT_ID in [t.tenant_id for t in tenants]
        subs = await d.list_subscriptions()
        assert SUBSCRIPTION_ID in [s.subscription_id for s in subs]
        assert len(subs) >= 2  # the emulator pages subscriptions with nextLink
        workspaces = await d.list_workspaces(SUBSCRIPTION_ID)
        by_name = {w.name: w for w in workspaces}
        project = by_name["family-project"]
        assert project.kind == "project"
        assert project.location == "westus"
        assert project.hub_id
        assert project.hub_id.endswith("/workspaces/contoso-hub")
        resources = await d.list_ai_resources(SUBSCRIPTION_ID)
        kinds = {r.name: r.kind for r in resources}
        assert kinds["contoso-aoai-swc"] == "OpenAI"
        assert kinds["contoso-ais-ncus"] == "AIServices"
        swc = next(r for r in resources if r.name == "contoso-aoai-swc")
        assert swc.endpoint.startswith("https://contoso-aoai-swc.")
        auth_key = await d.store_resource_key(swc, store)
        assert await store.get(auth_key.account) == azure_emulator.openai.key("contoso-aoai-swc")
        d.close()

    run(scenario())
    # The SP secret lives in the keyring (and nowhere else), under a stable account name.
    assert (
        memory_keyring.store[  # type: ignore[attr-defined]
            ("com.tunedesk.app", account_for_service_principal(TENANT_ID, SP_CLIENT_ID))
        ]
        == SP_CLIENT_SECRET
    )
    calls = azure_emulator.calls(host="management.azure.com")
    assert calls
    assert all(c.q("api-version") for c in calls)


def test_wrong_secret_is_a_sign_in_error_and_is_not_stored(
    azure_emulator: Emulator, memory_keyring: object
) -> None:
    store = KeyringSecretStore()

    async def scenario() -> None:
        with pytest.raises(SignInFailed):
            await auth.sign_in_service_principal(TENANT_ID, SP_CLIENT_ID, store, secret="nope")
        assert await store.get(account_for_service_principal(TENANT_ID, SP_CLIENT_ID)) is None

    run(scenario())


def test_missing_role_names_the_role(azure_emulator: Emulator) -> None:
    azure_emulator.world.denied[SP_CLIENT_ID] = {"Microsoft.MachineLearningServices"}
    store = KeyringSecretStore()

    async def scenario() -> None:
        session = await auth.sign_in_service_principal(
            TENANT_ID, SP_CLIENT_ID, store, secret=SP_CLIENT_SECRET
        )
        with pytest.raises(PermissionDenied) as info:
            await Discovery(session).list_workspaces(SUBSCRIPTION_ID)
        assert info.value.status == 403

    run(scenario())


def test_region_marks_come_from_the_catalog() -> None:
    tokyo = check_region("Phi-4-mini-instruct", "japaneast")
    assert not tokyo.supported
    assert "West US" in tokyo.regions
    assert tokyo.reason is not None
    assert "Japan East" in str(tokyo.reason)
    assert check_region("Phi-4-mini-instruct", "westus").supported
    # A Global-only open model is accepted in every global-training region, with a note.
    for location in ("japaneast", "westus", "swedencentral"):
        glob = check_region("Ministral-3B", location)
        assert glob.supported, location
        assert glob.global_only
        assert glob.reason is not None
        assert "global training" in str(glob.reason)
    nowhere = check_region("Ministral-3B", "uaenorth")  # not a global-training region
    assert not nowhere.supported
    assert "Japan East" in nowhere.regions


def test_retired_and_restricted_models_are_refused_with_their_status() -> None:
    catalog = load_catalog()
    restricted = catalog.get("gpt-4.1-mini-2025-04-14")
    retired = catalog.get("Meta-Llama-3.1-8B-Instruct")
    assert restricted is not None
    assert retired is not None
    for check in (
        check_region(restricted, "swedencentral"),  # a region that trained it
        check_place(restricted, "openai", "swedencentral"),
        check_place(restricted, "openai", ""),  # a key sign-in: no region known
        check_place(retired, "hub", "westus"),
    ):
        assert not check.supported
        assert check.reason is not None
    assert restricted.status_note in str(check_place(restricted, "openai", "northcentralus").reason)
    assert retired.status_note in str(check_place(retired, "hub", "westus").reason)
    assert check_place("Ministral-3B", "openai", "").supported
    assert check_place("Qwen-32B", "openai", "koreacentral").global_only
    assert not check_place("Qwen-32B", "hub", "westus").supported  # not a hub-route model


def test_foundry_resources_are_told_from_classic_accounts(azure_emulator: Emulator) -> None:
    store = KeyringSecretStore()

    async def scenario() -> None:
        session = await auth.sign_in_service_principal(
            TENANT_ID, SP_CLIENT_ID, store, secret=SP_CLIENT_SECRET
        )
        d = Discovery(session)
        resources = {r.name: r for r in await d.list_ai_resources(SUBSCRIPTION_ID)}
        d.close()
        foundry, classic = resources["contoso-ais-ncus"], resources["contoso-aoai-swc"]
        assert foundry.is_foundry
        assert foundry.foundry_endpoint == "https://contoso-ais-ncus.services.ai.azure.com"
        assert foundry.endpoint == "https://contoso-ais-ncus.openai.azure.com"
        assert not classic.is_foundry
        assert classic.foundry_endpoint == ""
        assert classic.endpoint == "https://contoso-aoai-swc.openai.azure.com"

    run(scenario())
    # A Foundry resource as ARM lists it when only its Foundry endpoint is given.
    raw = {
        "id": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg/providers/"
        "Microsoft.CognitiveServices/accounts/f1",
        "name": "f1",
        "kind": "AIServices",
        "location": "westus",
        "properties": {"endpoint": "https://f1.services.ai.azure.com/"},
    }
    only = ai_resource_from(raw, SUBSCRIPTION_ID, None)
    assert only.is_foundry
    assert only.endpoint == only.foundry_endpoint == "https://f1.services.ai.azure.com"
