"""Sign-in flows, staying signed in, secrets and permissions (real azure-identity/MSAL)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from tests.azure_emulator.browser import use_browser_script
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import SP_CLIENT_ID, TENANT_ID, USER_NAME
from tests.cloud.conftest import run
from tests.cloud.helpers import sp_session, training_files
from tests.cloud.test_hub_route import _route as hub_route
from tests.cloud.test_openai_route import _route as openai_route
from tunedesk.cloud import auth
from tunedesk.cloud.discovery import Discovery
from tunedesk.cloud.errors import (
    ROLE_HUB,
    ROLE_OPENAI,
    KeyringUnavailable,
    PermissionDenied,
    SignInRequired,
)
from tunedesk.cloud.routes.base import JobRequest
from tunedesk.cloud.secrets import KeyringSecretStore, SessionSecretStore


def test_device_code_sign_in_then_discovery(azure_emulator: Emulator) -> None:
    prompts: list[auth.DeviceCodePrompt] = []
    threads: list[str] = []

    def prompt(p: auth.DeviceCodePrompt) -> None:
        threads.append(threading.current_thread().name)  # the UI must marshal this call
        prompts.append(p)

    async def scenario() -> auth.AuthSession:
        session = await auth.sign_in_device_code(prompt, tenant_id=TENANT_ID)
        subs = await Discovery(session).list_subscriptions()
        assert subs
        return session

    session = run(scenario())
    assert session.method is auth.SignInMethod.DEVICE_CODE
    assert session.username == USER_NAME
    assert len(prompts) == 1
    assert threads[0] != threading.main_thread().name
    assert prompts[0].user_code in str(prompts[0].message)
    assert prompts[0].verification_uri.startswith("https://")
    # The record (no secrets) is saved for the next launch.
    record = json.loads(auth.record_path().read_text(encoding="utf-8"))
    assert record["method"] == "device_code"
    assert auth.saved_username() == USER_NAME
    # This Linux test machine has no libsecret: tokens stay in memory, and we say so.
    assert session.persistent is False
    assert session.cache_note is not None


def test_browser_sign_in(
    azure_emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_browser_script(tmp_path, monkeypatch)

    async def scenario() -> None:
        session = await auth.sign_in_browser(wait_seconds=30)
        assert session.method is auth.SignInMethod.BROWSER
        assert session.username == USER_NAME
        assert await Discovery(session).list_subscriptions()

    run(scenario())
    assert json.loads(auth.record_path().read_text(encoding="utf-8"))["method"] == "browser"
    authorize = azure_emulator.calls("GET", r"/oauth2/v2\.0/authorize$")
    assert authorize
    assert authorize[0].q("code_challenge_method") == "S256"


def test_restart_without_encrypted_cache_asks_to_sign_in_again(azure_emulator: Emulator) -> None:
    async def scenario() -> None:
        await auth.sign_in_device_code(lambda prompt: None, tenant_id=TENANT_ID)
        with pytest.raises(SignInRequired):
            await auth.restore_session(KeyringSecretStore())
        await auth.sign_out()
        assert await auth.restore_session(KeyringSecretStore()) is None

    run(scenario())
    # never a plain-text token cache
    assert not (Path.home() / ".IdentityService").exists() or not any(
        (Path.home() / ".IdentityService").glob("tunedesk*")
    )


def test_service_principal_restores_silently_from_the_keyring(azure_emulator: Emulator) -> None:
    store = KeyringSecretStore()

    async def scenario() -> None:
        await sp_session(store)
        again = await auth.restore_session(store)
        assert again is not None
        assert again.method is auth.SignInMethod.SERVICE_PRINCIPAL
        assert await Discovery(again).list_tenants()
        await auth.sign_out(store)
        assert await auth.restore_session(store) is None

    run(scenario())
    assert [c for c in azure_emulator.calls("POST", r"/oauth2/v2\.0/token$")]


def test_no_keyring_backend_is_said_plainly_and_session_store_works() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        async def scenario() -> None:
            with pytest.raises(KeyringUnavailable):
                await KeyringSecretStore().set("a", "b")
            with pytest.raises(KeyringUnavailable):
                await KeyringSecretStore().check()
            fallback = SessionSecretStore()
            await fallback.set("a", "secret-value")
            assert await fallback.get("a") == "secret-value"
            assert "secret-value" not in repr(fallback)
            await fallback.delete("a")
            assert await fallback.get("a") is None

        run(scenario())
    finally:
        keyring.set_keyring(previous)


def test_missing_openai_role_names_cognitive_services_openai_contributor(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await openai_route()
        try:
            azure_emulator.world.denied[SP_CLIENT_ID] = {"Microsoft.CognitiveServices"}
            with pytest.raises(PermissionDenied) as info:
                await route.upload(str(train), None)
            assert info.value.role == ROLE_OPENAI
            assert ROLE_OPENAI in str(info.value)
            assert "contoso-aoai-swc" in str(info.value)
        finally:
            await route.aclose()
            d.close()

    run(scenario())


def test_missing_hub_role_names_azure_ai_developer(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route = await hub_route()
        try:
            data = await route.upload(str(train), None)
            azure_emulator.world.denied[SP_CLIENT_ID] = {"Microsoft.MachineLearningServices"}
            with pytest.raises(PermissionDenied) as info:
                await route.submit(JobRequest("p1", "Phi-4-mini-instruct", data), lambda r: None)
            assert info.value.role == ROLE_HUB
            assert "family-project" in str(info.value)
        finally:
            await route.aclose()

    run(scenario())
    assert azure_emulator.aml.jobs_named("tunedesk-p1") == []


def test_api_key_sign_in_restores_and_sign_out_removes_every_stored_secret(
    azure_emulator: Emulator, memory_keyring: object
) -> None:
    from tunedesk.cloud.secrets import account_for_openai_key, accounts_index_path

    store = KeyringSecretStore()
    endpoint = azure_emulator.openai.endpoint("contoso-aoai-swc")
    key = azure_emulator.openai.key("contoso-aoai-swc")

    async def scenario() -> None:
        account = account_for_openai_key(endpoint)
        await auth.sign_in_api_key(endpoint, key, store, account)
        assert key not in auth.record_path().read_text(encoding="utf-8")
        await store.set("endpoint-key:some-endpoint", "another-secret")
        again = await auth.restore_api_key(store)
        assert again is not None
        assert again.endpoint == endpoint
        assert await again.key(store) == key
        await auth.sign_out(store)
        assert await auth.restore_api_key(store) is None
        assert await store.get(account) is None
        assert await store.get("endpoint-key:some-endpoint") is None

    run(scenario())
    assert not auth.record_path().exists()
    assert not accounts_index_path().exists()
    assert memory_keyring.store == {}  # type: ignore[attr-defined]
