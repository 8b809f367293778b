"""Secrets (API keys, endpoint keys, service-principal secrets) live only in the OS keyring.

:class:`KeyringSecretStore` wraps ``keyring`` and runs every call on a worker thread (the OS
may show a prompt). When no keyring backend works it raises :class:`KeyringUnavailable`; the
UI can then offer :class:`SessionSecretStore`, which keeps secrets in memory until the app
closes. Nothing here ever writes a secret to disk in plain text, and nothing logs one.

Account names are stable ids (never the secret itself), e.g. ``aoai-key:<ARM id>``; use the
helpers below so every module spells them the same way. The OS keyring cannot list what an
app stored, so :class:`KeyringSecretStore` keeps the *names* of its accounts (no secrets) in
``secret-accounts.json`` in the user data folder; :meth:`SecretStore.delete_all` uses it to
remove every secret at sign-out.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

from tunedesk import APP_ID, KEYRING_SERVICE
from tunedesk.cloud.errors import KeyringUnavailable
from tunedesk.cloud.executor import run_sync


@runtime_checkable
class SecretStore(Protocol):
    async def get(self, account: str) -> str | None: ...

    async def set(self, account: str, secret: str) -> None: ...

    async def delete(self, account: str) -> None: ...

    async def delete_all(self) -> None:
        """Remove every secret this store holds for TuneDesk (sign-out)."""
        ...


def account_for_openai_key(resource_id: str) -> str:
    """Keyring account for an Azure OpenAI / AI Services key (resource ARM id or endpoint)."""
    return f"aoai-key:{resource_id.lower()}"


def account_for_service_principal(tenant_id: str, client_id: str) -> str:
    return f"sp-secret:{tenant_id.lower()}:{client_id.lower()}"


def account_for_endpoint_key(endpoint_id: str) -> str:
    """Keyring account for a serverless endpoint key (endpoint ARM id or scoring URI)."""
    return f"endpoint-key:{endpoint_id.lower()}"


ACCOUNTS_FILE = "secret-accounts.json"
_index_lock = threading.Lock()


def accounts_index_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_ID, appauthor=False) / ACCOUNTS_FILE


def _read_index() -> list[str]:
    try:
        data = json.loads(accounts_index_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [str(a) for a in data] if isinstance(data, list) else []


def _write_index(accounts: list[str]) -> None:
    path = accounts_index_path()
    if not accounts:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(sorted(set(accounts)), indent=1), encoding="utf-8")
    tmp.replace(path)


def _update_index(account: str, *, present: bool) -> None:
    with _index_lock:
        accounts = [a for a in _read_index() if a != account]
        if present:
            accounts.append(account)
        _write_index(accounts)


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
        _update_index(account, present=True)

    def _delete(self, account: str) -> None:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

        self._backend_ok()
        try:
            keyring.delete_password(self.service, account)
        except PasswordDeleteError:
            pass  # nothing stored: deleting is done
        except (NoKeyringError, KeyringError) as exc:
            raise KeyringUnavailable() from exc
        _update_index(account, present=False)

    def _delete_all(self) -> None:
        for account in _read_index():
            self._delete(account)

    async def get(self, account: str) -> str | None:
        return await run_sync(self._get, account)

    async def set(self, account: str, secret: str) -> None:
        await run_sync(self._set, account, secret)

    async def delete(self, account: str) -> None:
        await run_sync(self._delete, account)

    async def delete_all(self) -> None:
        await run_sync(self._delete_all)

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

    async def delete_all(self) -> None:
        with self._lock:
            self._values.clear()

    def __repr__(self) -> str:  # never show values
        return f"SessionSecretStore({len(self._values)} secrets)"
