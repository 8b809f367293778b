"""The emulator as one object: proxy + CA + the services registered on a fresh Router.

``reset()`` swaps in a new World, Router, fault list and request log without restarting
the proxy, so a session-scoped proxy can give every test fresh state in microseconds.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

from tests.azure_emulator import arm, arm_async, entra, hub_dependencies
from tests.azure_emulator.http import Router
from tests.azure_emulator.proxy import Faults, ProxyServer, Recorded, Recorder
from tests.azure_emulator.tls import CertificateAuthority
from tests.azure_emulator.world import World

NO_PROXY = "localhost,127.0.0.1,::1"


class AmlUnavailableError(RuntimeError):
    """tests/azure_emulator/aml.py is missing or failed to import/register."""


class Emulator:
    def __init__(
        self, ca: CertificateAuthority | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.ca = ca or CertificateAuthority.create()
        self.proxy = ProxyServer(self.ca, host=host, port=port)
        self.world = World()
        self.router = Router()
        self.entra: entra.EntraState
        self.arm: arm.ArmState
        self.provisioning: arm_async.Operations
        self.hub_dependencies: hub_dependencies.HubDependencies
        self.openai: Any = None
        self._aml: Any = None
        self._aml_error: str | None = None
        self.reset()

    # -- life cycle ---------------------------------------------------------------------
    def start(self) -> Emulator:
        self.proxy.start()
        return self

    def stop(self) -> None:
        self.proxy.stop()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Fresh world and service state; the proxy and CA stay."""
        world = World()
        router = Router()
        self.entra = entra.register(router, world)
        self.arm = arm.register(router, world)
        self.provisioning = arm_async.register(router, world)
        self.hub_dependencies = hub_dependencies.register(router, world)
        self.openai = self._register_optional("tests.azure_emulator.aoai", router, world)
        self._aml, self._aml_error = None, None
        try:
            module = importlib.import_module("tests.azure_emulator.aml")
            register = getattr(module, "register", None)
            if register is None:
                self._aml_error = "tests/azure_emulator/aml.py has no register(router, world)"
            else:
                self._aml = register(router, world)
        except ModuleNotFoundError as exc:
            self._aml_error = f"tests/azure_emulator/aml.py is not available ({exc})"
        except Exception as exc:  # noqa: BLE001 - H5b's module mid-development must not break us
            self._aml_error = f"tests/azure_emulator/aml.py failed: {exc!r}"
        self.world, self.router = world, router
        self.proxy.router = router
        self.proxy.faults = Faults()
        self.proxy.recorder = Recorder()

    @staticmethod
    def _register_optional(module_name: str, router: Router, world: World) -> Any:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            return None
        return module.register(router, world)

    # -- what tests use -----------------------------------------------------------------
    @property
    def proxy_url(self) -> str:
        return self.proxy.url

    @property
    def ca_bundle(self) -> Path:
        """certifi's roots + the emulator CA."""
        return self.ca.bundle_file

    @property
    def ca_cert(self) -> Path:
        return self.ca.ca_file

    @property
    def faults(self) -> Faults:
        return self.proxy.faults

    @property
    def recorder(self) -> Recorder:
        return self.proxy.recorder

    @property
    def requests(self) -> list[Recorded]:
        return self.proxy.recorder.requests

    def calls(
        self, method: str | None = None, path: str | None = None, host: str | None = None
    ) -> list[Recorded]:
        return self.proxy.recorder.calls(method, path, host)

    def unserved(self) -> list[Recorded]:
        return self.proxy.recorder.unserved()

    @property
    def errors(self) -> list[str]:
        """Tracebacks of emulator handler crashes (answered as 500 EmulatorError)."""
        return list(self.proxy.recorder.errors)

    @property
    def aml(self) -> Any:
        if self._aml is None:
            raise AmlUnavailableError(self._aml_error or "no AML state")
        return self._aml

    @property
    def aml_error(self) -> str | None:
        return self._aml_error

    def env(self) -> dict[str, str]:
        """The standard variables a real user environment would set for a corporate proxy."""
        bundle = str(self.ca_bundle)
        return {
            "HTTPS_PROXY": self.proxy_url,
            "HTTP_PROXY": self.proxy_url,
            "https_proxy": self.proxy_url,
            "http_proxy": self.proxy_url,
            "NO_PROXY": NO_PROXY,
            "no_proxy": NO_PROXY,
            "REQUESTS_CA_BUNDLE": bundle,
            "SSL_CERT_FILE": bundle,
            "CURL_CA_BUNDLE": bundle,
        }

    def apply_env(self, environ: Any = os.environ) -> None:
        environ.update(self.env())
