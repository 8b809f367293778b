"""Network set-up shared by every SDK: the operating system's certificate store and proxy.

Corporate networks often inspect TLS with a company root certificate that lives only in the
OS store, and reach the internet through a proxy. :func:`configure_network` makes Python's
``ssl`` module trust the OS store (``truststore``) for requests (azure-core, azure-identity,
azure-ai-ml, azure-storage) and httpx (openai). Proxies come from the environment
(``HTTPS_PROXY``/``NO_PROXY``) or the system settings, which both HTTP stacks read because we
leave ``trust_env`` on. Explicit bundles still win: ``REQUESTS_CA_BUNDLE`` (requests) and
``SSL_CERT_FILE`` (httpx, and OpenSSL's default paths under truststore on Linux) are honoured.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from typing import Any

_lock = threading.Lock()
_configured = False
_redacting = False

# Loggers of the HTTP stacks and SDKs: at DEBUG some print full URLs (SAS signatures) or
# request/response details. Their records are scrubbed when they are created.
_THIRD_PARTY = ("urllib3", "requests", "azure", "msal", "openai", "httpx", "httpcore")
_SECRET_PATTERNS = [
    re.compile(
        r"((?:^|[?&\s])(?:sig|code|client_secret|refresh_token|assertion)=)[^&\s'\"]+", re.I
    ),
    re.compile(
        r"((?:api-key|authorization|ocp-apim-subscription-key)['\"]?\s*[:=]\s*['\"]?)"
        r"(?:Bearer\s+)?[^'\",\s}]+",
        re.I,
    ),
    re.compile(
        r"(['\"](?:access_token|refresh_token|id_token|client_secret|key1|key2|primaryKey|"
        r"secondaryKey|primary_key|secondary_key|sas|password)['\"]\s*:\s*['\"])[^'\"]+",
        re.I,
    ),
]
REDACTED = "***"


def redact(text: str) -> str:
    """Replace secrets in ``text`` (SAS signatures, keys, bearer tokens) with ***."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


def install_log_redaction() -> None:
    """Scrub secrets from third-party log records at creation (covers every handler)."""
    global _redacting
    with _lock:
        if _redacting:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            if record.name.startswith(_THIRD_PARTY):
                try:
                    message = record.getMessage()
                except Exception:  # noqa: BLE001 - a broken record stays as it is
                    return record
                clean = redact(message)
                if clean != message:
                    record.msg, record.args = clean, None
            return record

        logging.setLogRecordFactory(factory)
        _redacting = True


def configure_network() -> None:
    """Trust the OS certificate store in every client and scrub secrets from SDK logs.

    Idempotent; the app calls it once at start-up (tests call it too).
    """
    global _configured
    install_log_redaction()
    with _lock:
        if _configured:
            return
        import truststore

        truststore.inject_into_ssl()
        _configured = True


def is_configured() -> bool:
    return _configured


_tls: Any = None


def tls_context() -> Any:
    """What the asyncio HTTP clients (httpx, under openai) verify servers with: built once.

    On Linux, truststore gives exactly OpenSSL's default verify paths (``SSL_CERT_FILE`` /
    ``SSL_CERT_DIR`` or the system bundle), but reads them again on every TLS handshake:
    48 ms for the system bundle on the development machine, on the event loop, for each new
    connection (bench/drafting.py saw 63-88 ms stalls as its three streams connected). A
    standard context that loaded the same paths once trusts the same certificates, plus
    certifi's roots as httpx adds them when no ``SSL_CERT_FILE`` is set. Elsewhere truststore
    verifies through the operating system's own API and reads no file: ``True`` (httpx's
    default context, which is truststore's). Call it on a worker the first time.
    """
    global _tls
    with _lock:
        if _tls is not None:
            return _tls
        if not sys.platform.startswith("linux"):
            _tls = True
            return _tls
        import ssl

        # the standard library's SSLContext, also once truststore has replaced ssl.SSLContext
        standard = next(c for c in ssl.SSLContext.__mro__ if c.__module__ == "ssl")
        context = standard(ssl.PROTOCOL_TLS_CLIENT)
        context.set_default_verify_paths()
        if not os.environ.get("SSL_CERT_FILE"):
            import certifi

            context.load_verify_locations(cafile=certifi.where())
        _tls = context
        return _tls


def async_http_client() -> Any:
    """An httpx client for an openai async client (openai's own defaults: timeouts,
    connection limits, proxies from the environment) verifying with :func:`tls_context`."""
    import openai

    return openai.DefaultAsyncHttpxClient(verify=tls_context())
