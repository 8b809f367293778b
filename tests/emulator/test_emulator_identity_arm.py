"""Entra ID and ARM basics through the real azure-identity / MSAL and requests clients."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import pytest
import requests
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import (
    ClientSecretCredential,
    DeviceCodeCredential,
    InteractiveBrowserCredential,
)
from tests.azure_emulator.browser import use_browser_script
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import (
    ARM_SCOPE,
    SANDBOX_SUBSCRIPTION_ID,
    SP_CLIENT_ID,
    SP_CLIENT_SECRET,
    SUBSCRIPTION_ID,
    TENANT_ID,
)

ARM = "https://management.azure.com"


def arm_get_all(url: str, token: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        next_url: str | None = url
        while next_url:
            response = session.get(next_url, timeout=10)
            response.raise_for_status()
            body = response.json()
            items += body["value"]
            next_url = body.get("nextLink")
    return items


def test_client_secret_credential_lists_subscriptions_across_pages(
    azure_emulator: Emulator,
) -> None:
    cred = ClientSecretCredential(TENANT_ID, SP_CLIENT_ID, SP_CLIENT_SECRET)
    with cred:
        token = cred.get_token(ARM_SCOPE).token
    subs = arm_get_all(f"{ARM}/subscriptions?api-version=2022-12-01", token)
    assert {s["subscriptionId"] for s in subs} == {SUBSCRIPTION_ID, SANDBOX_SUBSCRIPTION_ID}
    pages = azure_emulator.calls("GET", r"^/subscriptions$")
    assert len(pages) == 2
    assert pages[1].q("$skiptoken") == "1"
    assert pages[0].q("api-version") == "2022-12-01"
    tenants = arm_get_all(f"{ARM}/tenants?api-version=2022-12-01", token)
    assert tenants[0]["tenantId"] == TENANT_ID
    rgs = arm_get_all(
        f"{ARM}/subscriptions/{SUBSCRIPTION_ID}/resourcegroups?api-version=2021-04-01", token
    )
    assert len(rgs) == len(azure_emulator.world.resource_groups)
    assert not azure_emulator.unserved()


def test_wrong_client_secret_is_rejected_like_entra(azure_emulator: Emulator) -> None:
    cred = ClientSecretCredential(TENANT_ID, SP_CLIENT_ID, "not-the-secret")
    with cred, pytest.raises(ClientAuthenticationError, match="AADSTS7000215"):
        cred.get_token(ARM_SCOPE)


def test_device_code_credential_signs_in_after_a_pending_poll(azure_emulator: Emulator) -> None:
    prompts: list[tuple[str, str]] = []
    cred = DeviceCodeCredential(
        tenant_id="organizations",
        prompt_callback=lambda uri, code, expires: prompts.append((uri, code)),
    )
    record = cred.authenticate(scopes=[ARM_SCOPE])
    assert record.username == "expert@contoso.com"
    assert record.tenant_id == TENANT_ID
    assert prompts
    assert prompts[0][0] == "https://microsoft.com/devicelogin"
    polls = azure_emulator.calls("POST", r"/oauth2/v2\.0/token$")
    assert [p.status for p in polls] == [400, 200]
    # The token is cached: a second get_token is silent.
    token = cred.get_token(ARM_SCOPE)
    assert token.token in azure_emulator.world.tokens
    assert len(azure_emulator.calls("POST", r"/oauth2/v2\.0/token$")) == 2


def test_arm_rejects_missing_and_wrong_audience_tokens(azure_emulator: Emulator) -> None:
    url = f"{ARM}/subscriptions?api-version=2022-12-01"
    assert requests.get(url, timeout=10).status_code == 401
    cog = azure_emulator.world.issue_token("https://cognitiveservices.azure.com", "someone")
    r = requests.get(url, headers={"Authorization": f"Bearer {cog.token}"}, timeout=10)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "InvalidAuthenticationTokenAudience"
    legacy = azure_emulator.world.issue_token("https://management.core.windows.net/", "someone")
    r = requests.get(url, headers={"Authorization": f"Bearer {legacy.token}"}, timeout=10)
    assert r.status_code == 200


def test_tls_verification_is_really_on(
    azure_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE")
    # Once the app has called truststore.inject_into_ssl() (earlier tests do), requests
    # verifies against the system store, which SSL_CERT_FILE extends: drop it too.
    monkeypatch.delenv("SSL_CERT_FILE")
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{ARM}/tenants?api-version=2022-12-01", timeout=10)
    import certifi

    ctx = ssl.create_default_context(cafile=certifi.where())
    assert ctx.verify_mode == ssl.CERT_REQUIRED


def test_interactive_browser_credential_via_a_browser_script(
    azure_emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_browser_script(tmp_path, monkeypatch)
    cred = InteractiveBrowserCredential(tenant_id="organizations", timeout=30)
    record = cred.authenticate(scopes=[ARM_SCOPE])
    assert record.username == "expert@contoso.com"
    authorize = azure_emulator.calls("GET", r"/oauth2/v2\.0/authorize$")[0]
    assert authorize.q("code_challenge_method") == "S256"
    assert (authorize.q("redirect_uri") or "").startswith("http://localhost:")
    token = cred.get_token(ARM_SCOPE)
    assert token.token in azure_emulator.world.tokens
