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

import threading

_lock = threading.Lock()
_configured = False


def configure_network() -> None:
    """Trust the OS certificate store in every client. Idempotent; call once at start-up."""
    global _configured
    with _lock:
        if _configured:
            return
        import truststore

        truststore.inject_into_ssl()
        _configured = True


def is_configured() -> bool:
    return _configured
