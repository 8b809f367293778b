"""pytest fixtures: one emulator proxy per session, fresh Azure state per test.

Use ``azure_emulator`` in a test: the standard proxy and CA variables are set for the test
(HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE, SSL_CERT_FILE), so the real azure-identity,
azure-ai-ml, openai and requests clients reach the emulator under the real Azure names.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.azure_emulator.server import Emulator

# Variables a developer's shell may carry that would route clients elsewhere.
_CLEARED = (
    "ALL_PROXY",
    "all_proxy",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_AD_TOKEN",
    "AZURE_OPENAI_ENDPOINT",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_API_VERSION",
    "AZUREML_DEV_URL_MFE",
    "AZUREML_CURRENT_CLOUD",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_TENANT_ID",
    "AZURE_AUTHORITY_HOST",
    "MSAL_FORCE_REGION",
    "SSL_CERT_DIR",
)


@pytest.fixture(scope="session")
def azure_emulator_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    from tests.azure_emulator.tls import CertificateAuthority

    ca = CertificateAuthority.create(tmp_path_factory.mktemp("azure-emulator-ca"))
    emulator = Emulator(ca).start()
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def azure_emulator(
    azure_emulator_server: Emulator, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Emulator]:
    emulator = azure_emulator_server
    emulator.reset()
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    for name, value in emulator.env().items():
        monkeypatch.setenv(name, value)
    yield emulator
    emulator.faults.clear()
