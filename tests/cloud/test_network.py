"""Corporate-network settings with truststore active: proxy from the environment, and the
explicit CA bundles (REQUESTS_CA_BUNDLE for requests, SSL_CERT_FILE for httpx) still honoured.
The emulator's CA is in neither the OS store nor certifi, so each success proves the variable
was used, and each failure proves verification is on."""

from __future__ import annotations

import pytest

from tests.azure_emulator.server import Emulator
from tests.cloud.conftest import run
from tests.cloud.helpers import sp_session
from tests.cloud.test_openai_route import _route as openai_route
from tunedesk.cloud import net
from tunedesk.cloud.errors import NetworkProblem
from tunedesk.cloud.secrets import KeyringSecretStore


def test_truststore_is_active() -> None:
    import ssl

    import truststore

    assert net.is_configured()
    assert issubclass(ssl.SSLContext, truststore.SSLContext)


def test_requests_stack_honours_requests_ca_bundle_alone(
    azure_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.delenv("CURL_CA_BUNDLE")

    async def scenario() -> None:
        await sp_session(KeyringSecretStore())  # azure-identity/MSAL over requests

    run(scenario())


def test_requests_stack_honours_ssl_cert_file_alone(
    azure_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE")

    async def scenario() -> None:
        await sp_session(KeyringSecretStore())

    run(scenario())


def test_httpx_stack_honours_ssl_cert_file(
    azure_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        route, d = await openai_route()   # ARM over requests, with both variables
        monkeypatch.delenv("REQUESTS_CA_BUNDLE")
        monkeypatch.delenv("CURL_CA_BUNDLE")
        try:
            models = await route.list_base_models()  # openai over httpx: SSL_CERT_FILE only
            assert models.from_service
        finally:
            await route.aclose()
            d.close()

    run(scenario())


def test_without_the_ca_the_connection_is_refused_as_a_tls_problem(
    azure_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name)

    async def scenario() -> None:
        with pytest.raises(NetworkProblem) as info:
            await sp_session(KeyringSecretStore())
        assert info.value.kind == "tls"

    run(scenario())


def test_redaction_of_sdk_log_text() -> None:
    text = (
        'GET /c/train.jsonl?sv=2023&sig=abc%3D&sp=r "api-key": "k123" '
        "Authorization: Bearer eyJ.x.y {'access_token': 'tok-value'} client_secret=s3"
    )
    clean = net.redact(text)
    for secret in ("abc%3D", "k123", "eyJ.x.y", "tok-value", "s3"):
        assert secret not in clean
    assert "sv=2023" in clean
