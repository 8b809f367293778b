"""Secrets (API keys, endpoint keys, service-principal secrets) live only in the OS keyring.

:class:`KeyringSecretStore` wraps ``keyring`` and runs every call on a worker thread (the OS
may show a prompt). When no keyring backend works it raises :class:`KeyringUnavailable`; the
UI can then offer :class:`SessionSecretStore`, which keeps secrets in memory until the app
closes. Nothing here ever writes a secret to disk in plain text, and nothing logs one.

Account names are stable ids (never the secret itself), e.g. ``aoai-key:<ARM id>``; use the
helpers below so every module spells them the same way.
"""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

from tunedesk import KEYRING_SERVICE
from tunedesk.cloud.errors import KeyringUnavailable
from tunedesk.cloud.executor import run_sync


@runtime_checkable
class SecretStore(Protocol):
    async def get(self, account: str) -> str | None: ...

    async def set(self, account: str, secret: str) -> None: ...

    async def delete(self, account: str) -> None: ...


def account_for_openai_key(resource_id: str) -> str:
    """Keyring account for an Azure OpenAI / AI Services key (resource ARM id or endpoint)."""
    return f"aoai-key:{resource_id.lower()}"


def account_for_service_principal(tenant_id: str, client_id: str) -> str:
    return f"sp-secret:{tenant_id.lower()}:{client_id.lower()}"


def account_for_endpoint_key(endpoint_id: str) -> str:
    """Keyring account for a serverless endpoint key (endpoint ARM id or scoring URI)."""
    return f"endpoint-key:{endpoint_id.lower()}"


class KeyringSecretStore:
    """The production store: the OS keyring, off the event loop."""

    def __init__(self, service: str = KEYRING_SERVICE) -> None:
        self.service = service

    def _backend_ok(self) -> None:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            raise KeyringUnavailable()

    def _get(self, account: str) -> str | None:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError

        self._backend_ok()
        try:
            value = keyring.get_password(self.service, account)
        except NoKeyringError as exc:
            raise KeyringUnavailable() from exc
        except KeyringError as exc:  # locked/denied keychain: say so, never fall back silently
            raise KeyringUnavailable() from exc
        return str(value) if value is not None else None

    def _set(self, account: str, secret: str) -> None:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError, PasswordSetError

        self._backend_ok()
        try:
            keyring.set_password(self.service, account, secret)
        except (NoKeyringError, PasswordSetError, KeyringError) as exc:
            raise KeyringUnavailable() from exc

    def _delete(self, account: str) -> None:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

        self._backend_ok()
        try:
            keyring.delete_password(self.service, account)
        except PasswordDeleteError:
            return  # nothing stored: deleting is done
        except (NoKeyringError, KeyringError) as exc:
            raise KeyringUnavailable() from exc

    async def get(self, account: str) -> str | None:
        return await run_sync(self._get, account)

    async def set(self, account: str, secret: str) -> None:
        await run_sync(self._set, account, secret)

    async def delete(self, account: str) -> None:
        await run_sync(self._delete, account)

    async def check(self) -> None:
        """Raise :class:`KeyringUnavailable` now if no backend works (for an early warning)."""
        await run_sync(self._backend_ok)


class SessionSecretStore:
    """Secrets kept in memory for this session only (when the keyring is unavailable)."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}
        self._lock = threading.Lock()

    async def get(self, account: str) -> str | None:
        with self._lock:
            return self._values.get(account)

    async def set(self, account: str, secret: str) -> None:
        with self._lock:
            self._values[account] = secret

    async def delete(self, account: str) -> None:
        with self._lock:
            self._values.pop(account, None)

    def __repr__(self) -> str:  # never show values
        return f"SessionSecretStore({len(self._values)} secrets)"
