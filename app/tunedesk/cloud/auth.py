"""Signing in: browser, device code, service principal, or an Azure OpenAI key.

Every sign-in returns an :class:`AuthSession`, which the discovery client and the training
routes take. People stay signed in across launches through azure-identity's persistent token
cache plus a saved :class:`~azure.identity.AuthenticationRecord` (JSON, not secret) in the
user data folder; credentials are built with ``disable_automatic_authentication=True`` so a
restart never pops a browser: if a silent token is not possible, :class:`SignInRequired` is
raised and the UI shows the sign-in page.

Threading: the browser and device-code flows block until the person finishes, so they run on
a worker thread. The device-code ``prompt`` callback is called **on that worker thread**; the
UI must marshal it to the GUI thread (a Qt signal or ``loop.call_soon_threadsafe``) and must
not touch widgets inside it.

Token cache: on Linux without a working libsecret, azure-identity cannot encrypt the cache.
We never allow unencrypted storage; the session then uses an in-memory cache and
``AuthSession.cache_note`` tells the person they will need to sign in at every launch.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tunedesk import APP_ID
from tunedesk.cloud.errors import (
    ErrorContext,
    SignInFailed,
    SignInRequired,
    to_user_error,
    user_errors,
)
from tunedesk.cloud.executor import run_sync, run_waiting_for_person
from tunedesk.cloud.net import configure_network
from tunedesk.cloud.secrets import SecretStore, account_for_service_principal
from tunedesk.core.i18n import Text, lazy

if TYPE_CHECKING:
    from azure.core.credentials import AccessToken, TokenCredential
    from azure.identity import TokenCachePersistenceOptions

log = logging.getLogger(__name__)

ARM_SCOPE = "https://management.azure.com/.default"
# Azure OpenAI data plane, dated and v1 (/openai/v1/), on classic Azure OpenAI accounts and on
# Foundry resources: the v1 docs' token example uses this scope (Microsoft Learn, "Azure
# OpenAI in Microsoft Foundry Models v1 API", api-version-lifecycle: get_bearer_token_provider(
# DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default")).
COGNITIVE_SCOPE = "https://cognitiveservices.azure.com/.default"
# Foundry's own APIs (https://<name>.services.ai.azure.com/api/projects/...: agents,
# evaluations) take this audience; TuneDesk's /openai/v1 calls do not need it.
AI_FOUNDRY_SCOPE = "https://ai.azure.com/.default"
CACHE_NAME = "tunedesk"
RECORD_FILE = "sign-in.json"
DEFAULT_TENANT = "organizations"


def openai_scope(endpoint: str) -> str:
    """The token scope for an Azure OpenAI data-plane ``endpoint`` (``*.openai.azure.com``,
    ``*.cognitiveservices.azure.com`` or a Foundry ``*.services.ai.azure.com``): the
    Cognitive Services audience for all of them, whose ``/openai/...`` paths it opens."""
    del endpoint  # one audience today; the endpoint is named so a change stays here
    return COGNITIVE_SCOPE


class SignInMethod(StrEnum):
    BROWSER = "browser"
    DEVICE_CODE = "device_code"
    SERVICE_PRINCIPAL = "service_principal"
    API_KEY = "api_key"


@dataclass(frozen=True, slots=True)
class DeviceCodePrompt:
    verification_uri: str
    user_code: str
    expires_on: datetime

    @property
    def message(self) -> Text:
        return lazy.translate(
            "CloudAuth", "Open {uri} on any device and enter the code {code}."
        ).format(uri=self.verification_uri, code=self.user_code)


DeviceCodeCallback = Callable[[DeviceCodePrompt], None]


# ----------------------------------------------------------------------------- token cache
_cache_lock = threading.Lock()
_cache_probe: bool | None = None


def _persistent_cache_works() -> bool:
    """Can azure-identity encrypt its token cache here? (probed once per process)

    azure-identity only fails lazily, at the first token request, which would be in the
    middle of a browser sign-in. We probe with its own loader first. It is private API, so
    any surprise counts as "no" (the session then keeps tokens in memory, which is safe).
    """
    global _cache_probe
    with _cache_lock:
        if _cache_probe is None:
            try:
                from azure.identity import TokenCachePersistenceOptions
                from azure.identity._persistent_cache import _load_persistent_cache

                _load_persistent_cache(TokenCachePersistenceOptions(name=CACHE_NAME))
                _cache_probe = True
            except Exception:  # noqa: BLE001 - any failure means: no encrypted cache here
                log.info("Encrypted token cache unavailable; tokens stay in memory")
                _cache_probe = False
        return _cache_probe


def _cache_options() -> TokenCachePersistenceOptions | None:
    if not _persistent_cache_works():
        return None
    from azure.identity import TokenCachePersistenceOptions

    # allow_unencrypted_storage stays False: never a plain-text token cache.
    return TokenCachePersistenceOptions(name=CACHE_NAME, allow_unencrypted_storage=False)


def _memory_cache_note() -> Text:
    return lazy.translate(
        "CloudAuth",
        "This computer cannot store your sign-in securely, so you will need to sign in "
        "each time you start TuneDesk.",
    )


# ----------------------------------------------------------------------------- records
def record_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_ID, appauthor=False) / RECORD_FILE


def _save_record(data: dict[str, Any]) -> None:
    path = record_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    tmp.replace(path)


def _load_record() -> dict[str, Any] | None:
    try:
        data = json.loads(record_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# ----------------------------------------------------------------------------- session
class _TenantCredential:
    """A TokenCredential that asks for tokens in one tenant (multi-tenant sign-in)."""

    def __init__(self, inner: TokenCredential, tenant_id: str) -> None:
        self._inner = inner
        self._tenant_id = tenant_id

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        return self._inner.get_token(
            *scopes,
            claims=claims,
            tenant_id=tenant_id or self._tenant_id,
            enable_cae=enable_cae,
            **kwargs,
        )

    def close(self) -> None:
        pass


@dataclass
class AuthSession:
    """A signed-in Microsoft identity (user or service principal)."""

    method: SignInMethod
    credential: TokenCredential
    tenant_id: str | None
    username: str | None
    persistent: bool
    cache_note: Text | None = None

    def credential_for(self, tenant_id: str | None) -> TokenCredential:
        """The credential to use against resources of ``tenant_id`` (None: home tenant)."""
        if not tenant_id or tenant_id == self.tenant_id:
            return self.credential
        return _TenantCredential(self.credential, tenant_id)

    def _token(self, scope: str, tenant_id: str | None) -> str:
        kwargs: dict[str, Any] = {}
        if tenant_id and tenant_id != self.tenant_id:
            kwargs["tenant_id"] = tenant_id
        return self.credential.get_token(scope, **kwargs).token

    async def get_token(self, scope: str, tenant_id: str | None = None) -> str:
        """A bearer token (never log it). Raises SignInRequired/SignInFailed/NetworkProblem."""
        with user_errors(ErrorContext(route="arm")):
            return await run_sync(self._token, scope, tenant_id)

    def async_token_provider(
        self, scope: str = COGNITIVE_SCOPE, tenant_id: str | None = None
    ) -> Callable[[], Awaitable[str]]:
        """For AsyncAzureOpenAI(azure_ad_token_provider=...): tokens fetched off the loop."""

        async def provide() -> str:
            return await self.get_token(scope, tenant_id)

        return provide

    def describe(self) -> Text:
        if self.method is SignInMethod.SERVICE_PRINCIPAL:
            return lazy.translate("CloudAuth", "Signed in as the app {client_id}").format(
                client_id=self.username or ""
            )
        if self.username:
            return lazy.translate("CloudAuth", "Signed in as {user}").format(user=self.username)
        return lazy.translate("CloudAuth", "Signed in")


@dataclass(frozen=True, slots=True)
class ApiKeyAuth:
    """Azure OpenAI key sign-in: the key lives in the SecretStore under ``account``."""

    endpoint: str
    account: str

    async def key(self, store: SecretStore) -> str:
        value = await store.get(self.account)
        if not value:
            raise SignInRequired()
        return value


# ----------------------------------------------------------------------------- sign-in flows
def _common_kwargs(cache: TokenCachePersistenceOptions | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"additionally_allowed_tenants": ["*"]}
    if cache is not None:
        kwargs["cache_persistence_options"] = cache
    return kwargs


def _session_from_record(
    method: SignInMethod, credential: TokenCredential, record: Any, persistent: bool
) -> AuthSession:
    return AuthSession(
        method=method,
        credential=credential,
        tenant_id=record.tenant_id,
        username=record.username,
        persistent=persistent,
        cache_note=None if persistent else _memory_cache_note(),
    )


async def _interactive(
    method: SignInMethod, build: Callable[[TokenCachePersistenceOptions | None], Any]
) -> AuthSession:
    # Before any connection: OS trust store, proxy, log scrubbing (truststore, requests and
    # certifi load here the first time, ~90 ms: on a worker, never on the UI loop).
    await run_sync(configure_network)

    cancelled = threading.Event()

    def work() -> AuthSession | None:
        cache = _cache_options()
        credential = build(cache)
        record = credential.authenticate(scopes=[ARM_SCOPE])
        if cancelled.is_set():
            return None  # the person gave up before finishing: remember nothing
        _save_record(
            {"version": 1, "method": method.value, "record": record.serialize()}
        )
        return _session_from_record(method, credential, record, cache is not None)

    try:
        session = await run_waiting_for_person(work)
    except asyncio.CancelledError:
        cancelled.set()
        raise
    except Exception as exc:
        mapped = to_user_error(exc)
        if mapped is None:
            raise
        raise mapped from exc
    assert session is not None  # only a cancelled sign-in gives None, and it raised above
    return session


async def sign_in_browser(
    *, tenant_id: str = DEFAULT_TENANT, login_hint: str | None = None, wait_seconds: int = 300
) -> AuthSession:
    """Open the system browser for Microsoft sign-in (loopback redirect)."""

    def build(cache: TokenCachePersistenceOptions | None) -> Any:
        from azure.identity import InteractiveBrowserCredential

        return InteractiveBrowserCredential(
            tenant_id=tenant_id,
            login_hint=login_hint,
            timeout=wait_seconds,
            disable_automatic_authentication=True,
            **_common_kwargs(cache),
        )

    return await _interactive(SignInMethod.BROWSER, build)


async def sign_in_device_code(
    prompt: DeviceCodeCallback, *, tenant_id: str = DEFAULT_TENANT, wait_seconds: int | None = None
) -> AuthSession:
    """Sign in with a code entered on another device. ``prompt`` runs on a worker thread."""

    def on_code(uri: str, code: str, expires_on: datetime) -> None:
        prompt(DeviceCodePrompt(uri, code, expires_on))

    def build(cache: TokenCachePersistenceOptions | None) -> Any:
        from azure.identity import DeviceCodeCredential

        return DeviceCodeCredential(
            tenant_id=tenant_id,
            prompt_callback=on_code,
            timeout=wait_seconds,
            disable_automatic_authentication=True,
            **_common_kwargs(cache),
        )

    return await _interactive(SignInMethod.DEVICE_CODE, build)


def _service_principal_credential(tenant_id: str, client_id: str, secret: str) -> Any:
    from azure.identity import ClientSecretCredential

    # App-only tokens are cheap to get again; an in-memory cache is enough.
    return ClientSecretCredential(
        tenant_id, client_id, secret, additionally_allowed_tenants=["*"]
    )


async def sign_in_service_principal(
    tenant_id: str, client_id: str, store: SecretStore, *, secret: str | None = None
) -> AuthSession:
    """Sign in as an app registration. A new ``secret`` is checked, then kept in ``store``."""
    # Before any connection: OS trust store, proxy, log scrubbing (truststore, requests and
    # certifi load here the first time, ~90 ms: on a worker, never on the UI loop).
    await run_sync(configure_network)
    account = account_for_service_principal(tenant_id, client_id)
    if secret is None:
        secret = await store.get(account)
        if not secret:
            raise SignInRequired()

    def check() -> Any:
        # Built here: importing azure-identity (MSAL, cryptography) takes ~0.1 s.
        credential = _service_principal_credential(tenant_id, client_id, secret)
        credential.get_token(ARM_SCOPE)
        return credential

    try:
        credential = await run_sync(check)
    except Exception as exc:
        mapped = to_user_error(exc)
        if mapped is None:
            raise
        raise mapped from exc
    await store.set(account, secret)
    await run_sync(
        _save_record,
        {
            "version": 1,
            "method": SignInMethod.SERVICE_PRINCIPAL.value,
            "tenant_id": tenant_id,
            "client_id": client_id,
        },
    )
    return AuthSession(
        method=SignInMethod.SERVICE_PRINCIPAL,
        credential=credential,
        tenant_id=tenant_id,
        username=client_id,
        persistent=True,
    )


async def sign_in_api_key(endpoint: str, key: str, store: SecretStore, account: str) -> ApiKeyAuth:
    """Keep an Azure OpenAI key in ``store`` (checked by the route on first use).

    The endpoint and the keyring account name (not the key) are saved so the next launch
    can use the key again without asking (:func:`restore_api_key`).
    """
    # Before any connection: OS trust store, proxy, log scrubbing (truststore, requests and
    # certifi load here the first time, ~90 ms: on a worker, never on the UI loop).
    await run_sync(configure_network)
    await store.set(account, key)
    await run_sync(
        _save_record,
        {
            "version": 1,
            "method": SignInMethod.API_KEY.value,
            "endpoint": endpoint,
            "account": account,
        },
    )
    return ApiKeyAuth(endpoint=endpoint, account=account)


async def restore_api_key(store: SecretStore) -> ApiKeyAuth | None:
    """The Azure OpenAI key sign-in saved by the last session, if its key is still stored."""
    data = await run_sync(_load_record)
    if not data or data.get("method") != SignInMethod.API_KEY.value:
        return None
    auth = ApiKeyAuth(endpoint=str(data["endpoint"]), account=str(data["account"]))
    if not await store.get(auth.account):
        return None
    return auth


async def restore_session(store: SecretStore) -> AuthSession | None:
    """Sign in silently with what the last session saved.

    Returns None when nobody signed in before; raises :class:`SignInRequired` when a person
    must sign in again (the saved user name is then on ``saved_username()``).
    """
    # Before any connection: OS trust store, proxy, log scrubbing (truststore, requests and
    # certifi load here the first time, ~90 ms: on a worker, never on the UI loop).
    await run_sync(configure_network)
    data = await run_sync(_load_record)
    if data is None:
        return None
    method = data.get("method")
    if method == SignInMethod.SERVICE_PRINCIPAL.value:
        return await sign_in_service_principal(
            str(data["tenant_id"]), str(data["client_id"]), store
        )
    if method not in (SignInMethod.BROWSER.value, SignInMethod.DEVICE_CODE.value):
        return None

    def work() -> AuthSession:
        from azure.identity import (
            AuthenticationRecord,
            DeviceCodeCredential,
            InteractiveBrowserCredential,
        )

        record = AuthenticationRecord.deserialize(str(data["record"]))
        cache = _cache_options()
        if cache is None:
            raise SignInRequired()
        cls: Any = (
            InteractiveBrowserCredential
            if method == SignInMethod.BROWSER.value
            else DeviceCodeCredential
        )
        credential = cls(
            tenant_id=record.tenant_id,
            client_id=record.client_id,
            authentication_record=record,
            disable_automatic_authentication=True,
            **_common_kwargs(cache),
        )
        credential.get_token(ARM_SCOPE)
        return _session_from_record(SignInMethod(method), credential, record, True)

    try:
        return await run_sync(work)
    except SignInRequired:
        raise
    except Exception as exc:
        mapped = to_user_error(exc)
        if mapped is None:
            raise
        if isinstance(mapped, SignInFailed):
            raise SignInRequired() from exc
        raise mapped from exc


def saved_username() -> str | None:
    """The user name of the last sign-in (to prefill the sign-in page), if any."""
    data = _load_record()
    if not data or "record" not in data:
        return None
    try:
        return str(json.loads(str(data["record"])).get("username") or "") or None
    except ValueError:
        return None


def _clear_token_cache() -> None:
    """Remove every account and token TuneDesk's persistent MSAL cache holds.

    azure-identity has no public sign-out; its cache is an msal-extensions
    ``PersistedTokenCache`` (encrypted by the OS), whose ``modify(kind, entry)`` with no new
    values deletes the entry and saves the file. Nothing to do where no encrypted cache
    works: tokens then only ever lived in memory.
    """
    if not _persistent_cache_works():
        return
    from azure.identity import TokenCachePersistenceOptions
    from azure.identity._persistent_cache import _load_persistent_cache

    options = TokenCachePersistenceOptions(name=CACHE_NAME)
    for is_cae in (False, True):
        cache = _load_persistent_cache(options, is_cae)
        kinds = cache.CredentialType
        for kind in (
            kinds.ACCESS_TOKEN,
            kinds.REFRESH_TOKEN,
            kinds.ID_TOKEN,
            kinds.ACCOUNT,
            kinds.APP_METADATA,
        ):
            for entry in list(cache.search(kind)):
                cache.modify(kind, entry)


async def sign_out(store: SecretStore | None = None) -> None:
    """Forget the saved sign-in, the cached tokens and, when ``store`` is given, every
    secret TuneDesk stored in it (service-principal secret, Azure OpenAI and endpoint keys).
    """
    if store is not None:
        await store.delete_all()
    await run_sync(_clear_token_cache)
    await run_sync(lambda: record_path().unlink(missing_ok=True))
