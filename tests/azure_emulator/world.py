"""Seed data and shared state of the emulated Azure (one World per test).

Every service module keeps its own state but reads the seed (tenant, subscription,
resource groups, regions) and checks bearer tokens here, so a token issued by the
emulated Entra ID is what every other emulated service accepts.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tests.azure_emulator.http import Request, Response

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
TENANT_NAME = "Contoso"
TENANT_DOMAIN = "contoso.onmicrosoft.com"
SUBSCRIPTION_ID = "11111111-2222-3333-4444-555555555555"
SUBSCRIPTION_NAME = "Contoso R&D"
USER_NAME = "expert@contoso.com"
USER_OID = "0d9a6f2e-3b1c-4d5e-8f70-1a2b3c4d5e6f"
# The service principal used by the "advanced" sign-in path.
SP_CLIENT_ID = "5f0b7c1e-8a44-4b8e-9d7f-123456789abc"
SP_CLIENT_SECRET = "emulator-sp-secret"  # a fake secret of the emulated tenant

# A second, empty subscription: the sign-in flow must let people pick.
SANDBOX_SUBSCRIPTION_ID = "99999999-8888-7777-6666-555555555555"
SANDBOX_SUBSCRIPTION_NAME = "Contoso Sandbox"
# Resource groups of SUBSCRIPTION_ID: name -> location.
RESOURCE_GROUP = "contoso-ai"
RESOURCE_GROUPS = {
    "contoso-ai": "westus",
    "contoso-openai": "swedencentral",
    "contoso-tokyo": "japaneast",
}

ARM_SCOPE = "https://management.azure.com/.default"
COGNITIVE_SCOPE = "https://cognitiveservices.azure.com/.default"


# Audiences that name the same resource (ARM accepts tokens for either spelling).
AUDIENCE_ALIASES = {
    "https://management.core.windows.net": "https://management.azure.com",
    "https://cognitiveservices.azure.com": "https://cognitiveservices.azure.com",
}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def canonical_audience(audience: str) -> str:
    aud = audience.rstrip("/")
    return AUDIENCE_ALIASES.get(aud, aud)


@dataclass
class IssuedToken:
    token: str
    audience: str       # e.g. "https://management.azure.com"
    subject: str        # user oid or client id
    expires_on: int


@dataclass
class World:
    """Shared by all emulated services of one test."""

    tenant_id: str = TENANT_ID
    subscription_id: str = SUBSCRIPTION_ID
    resource_groups: dict[str, str] = field(default_factory=lambda: dict(RESOURCE_GROUPS))
    # Principals that lack a role: {subject: {"Microsoft.MachineLearningServices", ...}}
    denied: dict[str, set[str]] = field(default_factory=dict)
    tokens: dict[str, IssuedToken] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    extra: dict[str, Any] = field(default_factory=dict)

    def issue_token(
        self, audience: str, subject: str, lifetime: int = 3600,
        claims: dict[str, Any] | None = None,
    ) -> IssuedToken:
        """``claims`` given: the token is an unsigned but well-formed JWT carrying them (some
        SDKs decode the access token, e.g. for the tenant or object id)."""
        text = "emu." + secrets.token_urlsafe(24)
        if claims is not None:
            now = int(time.time())
            payload = {"aud": audience, "iat": now, "nbf": now, "exp": now + lifetime,
                       "uti": secrets.token_urlsafe(16), **claims}
            text = ".".join(_b64url(json.dumps(part).encode()) for part in (
                {"typ": "JWT", "alg": "RS256", "kid": "emulator"}, payload
            )) + "." + _b64url(secrets.token_bytes(32))
        tok = IssuedToken(
            token=text,
            audience=audience.rstrip("/"),
            subject=subject,
            expires_on=int(time.time()) + lifetime,
        )
        with self.lock:
            self.tokens[tok.token] = tok
        return tok

    def expire_all_tokens(self) -> None:
        with self.lock:
            for tok in self.tokens.values():
                tok.expires_on = 0

    def authorize(self, request: Request, audience: str) -> IssuedToken | Response:
        """Return the caller's token, or the 401 Azure would send."""
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        tok = self.tokens.get(value) if scheme.lower() == "bearer" else None
        challenge = {
            "WWW-Authenticate": (
                f'Bearer authorization_uri="https://login.microsoftonline.com/{self.tenant_id}", '
                'error="invalid_token", error_description="The access token is missing or invalid"'
            )
        }
        if tok is None:
            return Response.error(
                401, "AuthenticationFailed", "Authentication failed. The 'Authorization' "
                "header is missing or invalid.", **challenge
            )
        if tok.expires_on <= time.time():
            return Response.error(
                401, "ExpiredAuthenticationToken",
                "The access token expiry UTC time is earlier than current UTC time.", **challenge
            )
        if canonical_audience(tok.audience) != canonical_audience(audience):
            return Response.error(
                401, "InvalidAuthenticationTokenAudience",
                f"The access token has an invalid audience '{tok.audience}'.", **challenge
            )
        return tok

    def forbidden(
        self, tok: IssuedToken, provider: str, action: str, scope: str
    ) -> Response | None:
        """ARM's 403 when the principal lacks a role for ``provider``."""
        if provider in self.denied.get(tok.subject, set()):
            return Response.error(
                403, "AuthorizationFailed",
                f"The client '{tok.subject}' with object id '{tok.subject}' does not have "
                f"authorization to perform action '{action}' over scope '{scope}' or the scope "
                "is invalid. If access was recently granted, please refresh your credentials.",
            )
        return None
