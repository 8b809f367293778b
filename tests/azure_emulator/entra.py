"""Emulated Microsoft Entra ID (login.microsoftonline.com), as MSAL / azure-identity call it.

Served: instance discovery, OpenID configuration, the device-code flow, the authorization
code flow with PKCE (``/authorize`` answers with a 302 to the loopback redirect URI) and
the token endpoint for device_code, authorization_code, client_credentials and
refresh_token grants.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from tests.azure_emulator.http import Request, Response, Router
from tests.azure_emulator.world import (
    SP_CLIENT_ID,
    SP_CLIENT_SECRET,
    TENANT_DOMAIN,
    TENANT_NAME,
    USER_NAME,
    USER_OID,
    World,
)

LOGIN_HOST = "login.microsoftonline.com"
HOST_RE = r"login\.microsoftonline\.com|login\.windows\.net|login\.microsoft\.com"
AUTHORITY = f"https://{LOGIN_HOST}"
MULTI_TENANT = ("organizations", "common")
RESERVED_SCOPES = {"openid", "profile", "offline_access", "email"}
USER_DISPLAY_NAME = "Erin Expert"
SP_OBJECT_ID = "7a1c3e5f-0000-4b2d-9e8f-abcdefabcdef"
GRAPH = "https://graph.microsoft.com"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class DeviceCode:
    device_code: str
    user_code: str
    client_id: str
    scope: str
    tenant: str
    expires_at: float
    approved: bool = False
    denied: bool = False
    polls: int = 0


@dataclass
class AuthCode:
    code: str
    client_id: str
    redirect_uri: str
    code_challenge: str
    challenge_method: str
    scope: str
    nonce: str | None
    tenant: str
    expires_at: float
    redeemed: bool = False


@dataclass
class RefreshToken:
    subject: str
    client_id: str
    tenant: str
    revoked: bool = False


@dataclass
class EntraState:
    world: World
    auto_approve: bool = True  # device codes are approved after the first pending poll
    device_interval: int = 1  # seconds MSAL waits between device-code polls
    token_lifetime: int = 3600
    device_codes: dict[str, DeviceCode] = field(default_factory=dict)
    auth_codes: dict[str, AuthCode] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    # -- what tests steer -----------------------------------------------------------------
    def approve(self, code: str) -> None:
        """Approve a device code (by user code or device code), as the user in the browser."""
        with self.lock:
            for dc in self.device_codes.values():
                if code in (dc.user_code, dc.device_code):
                    dc.approved = True
                    return
        raise KeyError(code)

    def deny(self, code: str) -> None:
        with self.lock:
            for dc in self.device_codes.values():
                if code in (dc.user_code, dc.device_code):
                    dc.denied = True
                    return
        raise KeyError(code)

    def revoke_refresh_tokens(self) -> None:
        """Sign-in has to happen again (e.g. the session was revoked by an admin)."""
        with self.lock:
            for rt in self.refresh_tokens.values():
                rt.revoked = True

    @property
    def pending_device_codes(self) -> list[DeviceCode]:
        with self.lock:
            return [d for d in self.device_codes.values() if not d.approved]


# ------------------------------------------------------------------------------------------
def aad_error(status: int, error: str, code: int, description: str) -> Response:
    trace, corr = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    return Response.json_body(
        {
            "error": error,
            "error_description": f"AADSTS{code}: {description} Trace ID: {trace} "
            f"Correlation ID: {corr} Timestamp: {stamp}",
            "error_codes": [code],
            "timestamp": stamp,
            "trace_id": trace,
            "correlation_id": corr,
            "error_uri": f"{AUTHORITY}/error?code={code}",
        },
        status,
    )


def _resolve_tenant(world: World, tenant: str) -> str | None:
    t = tenant.lower()
    if t in MULTI_TENANT or t in (world.tenant_id.lower(), TENANT_DOMAIN.lower()):
        return world.tenant_id
    return None


def _audience(scope: str) -> str:
    for s in scope.split():
        if s.lower() in RESERVED_SCOPES:
            continue
        if s.endswith("/.default"):
            return s[: -len(".default")].rstrip("/") or s
        if "://" in s:
            return s.rsplit("/", 1)[0]
        return GRAPH
    return GRAPH


def _granted_scope(scope: str) -> str:
    return (
        " ".join(s for s in scope.split() if s.lower() not in RESERVED_SCOPES) or "openid profile"
    )


def register(router: Router, world: World) -> EntraState:
    state = EntraState(world)
    host = HOST_RE

    def unknown_tenant(tenant: str) -> Response:
        return aad_error(
            400,
            "invalid_tenant",
            90002,
            f"Tenant '{tenant}' not found. Check to make sure you have the correct "
            "tenant ID and are signing into the correct cloud.",
        )

    @router.route("GET", host, r"/common/discovery/instance")
    def instance_discovery(request: Request) -> Response:
        return Response.json_body(
            {
                "tenant_discovery_endpoint": (
                    f"{AUTHORITY}/common/v2.0/.well-known/openid-configuration"
                ),
                "api-version": "1.1",
                "metadata": [
                    {
                        "preferred_network": LOGIN_HOST,
                        "preferred_cache": "login.windows.net",
                        "aliases": [
                            LOGIN_HOST,
                            "login.windows.net",
                            "login.microsoft.com",
                            "sts.windows.net",
                        ],
                    }
                ],
            }
        )

    @router.route("GET", host, r"/(?P<tenant>[^/]+)(?:/v2\.0)?/\.well-known/openid-configuration")
    def openid_configuration(request: Request) -> Response:
        tenant = request.params["tenant"]
        tid = _resolve_tenant(world, tenant)
        if tid is None:
            return unknown_tenant(tenant)
        path_tenant = tenant if tenant.lower() in MULTI_TENANT else tid
        issuer_tenant = "{tenantid}" if tenant.lower() in MULTI_TENANT else tid
        base = f"{AUTHORITY}/{path_tenant}"
        return Response.json_body(
            {
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                "jwks_uri": f"{base}/discovery/v2.0/keys",
                "response_modes_supported": ["query", "fragment", "form_post"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "issuer": f"{AUTHORITY}/{issuer_tenant}/v2.0",
                "request_uri_parameter_supported": False,
                "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                "http_logout_supported": True,
                "frontchannel_logout_supported": True,
                "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
                "claims_supported": [
                    "sub",
                    "iss",
                    "aud",
                    "exp",
                    "iat",
                    "auth_time",
                    "acr",
                    "nonce",
                    "preferred_username",
                    "name",
                    "tid",
                    "ver",
                    "at_hash",
                    "c_hash",
                    "email",
                ],
                "kerberos_endpoint": f"{base}/kerberos",
                "tenant_region_scope": "EU",
                "cloud_instance_name": "microsoftonline.com",
                "cloud_graph_host_name": "graph.windows.net",
                "msgraph_host": "graph.microsoft.com",
                "rbac_url": "https://pas.windows.net",
            }
        )

    @router.route("POST", host, r"/(?P<tenant>[^/]+)/oauth2/v2\.0/devicecode")
    def devicecode(request: Request) -> Response:
        tenant = request.params["tenant"]
        if _resolve_tenant(world, tenant) is None:
            return unknown_tenant(tenant)
        form = request.form()
        if not form.get("client_id"):
            return aad_error(
                400,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'client_id'.",
            )
        user_code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))
        dc = DeviceCode(
            device_code="DAQABAAEAAAD" + secrets.token_urlsafe(48),
            user_code=user_code,
            client_id=form["client_id"],
            scope=form.get("scope", ""),
            tenant=tenant,
            expires_at=time.time() + 900,
        )
        with state.lock:
            state.device_codes[dc.device_code] = dc
        uri = "https://microsoft.com/devicelogin"
        return Response.json_body(
            {
                "user_code": user_code,
                "device_code": dc.device_code,
                "verification_uri": uri,
                "expires_in": 900,
                "interval": state.device_interval,
                "message": f"To sign in, use a web browser to open the page {uri} and enter the "
                "code "
                f"{user_code} to authenticate.",
            }
        )

    @router.route("GET", host, r"/(?P<tenant>[^/]+)/oauth2/v2\.0/authorize")
    def authorize(request: Request) -> Response:
        tenant = request.params["tenant"]
        if _resolve_tenant(world, tenant) is None:
            return unknown_tenant(tenant)
        q = {k: v[0] for k, v in request.query.items()}
        redirect_uri = q.get("redirect_uri", "")
        if not q.get("client_id"):
            return aad_error(
                400,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'client_id'.",
            )
        parts = urlsplit(redirect_uri)
        if parts.scheme != "http" or parts.hostname not in ("localhost", "127.0.0.1"):
            return aad_error(
                400,
                "invalid_request",
                50011,
                f"The redirect URI '{redirect_uri}' specified in the request does not "
                "match the redirect URIs configured for the application.",
            )
        if q.get("response_type") != "code":
            return aad_error(
                400,
                "unsupported_response_type",
                700054,
                "response_type 'id_token' is not enabled for the application.",
            )
        challenge = q.get("code_challenge", "")
        if not challenge or q.get("code_challenge_method", "plain") != "S256":
            return aad_error(
                400,
                "invalid_request",
                9002325,
                "Proof Key for Code Exchange is required for cross-origin "
                "authorization code redemption.",
            )
        ac = AuthCode(
            code="1.AQ" + secrets.token_urlsafe(40),
            client_id=q["client_id"],
            redirect_uri=redirect_uri,
            code_challenge=challenge,
            challenge_method="S256",
            scope=q.get("scope", ""),
            nonce=q.get("nonce"),
            tenant=tenant,
            expires_at=time.time() + 600,
        )
        with state.lock:
            state.auth_codes[ac.code] = ac
        params = {
            "code": ac.code,
            "client_info": _client_info(world),
            "session_state": str(uuid.uuid4()),
        }
        if "state" in q:
            params["state"] = q["state"]
        sep = "&" if "?" in redirect_uri else "?"
        return Response(
            302,
            b"",
            {
                "Location": f"{redirect_uri}{sep}{urlencode(params)}",
                "Content-Type": "text/html; charset=utf-8",
            },
        )

    @router.route("POST", host, r"/(?P<tenant>[^/]+)/oauth2/v2\.0/token")
    def token(request: Request) -> Response:
        tenant = request.params["tenant"]
        if _resolve_tenant(world, tenant) is None:
            return unknown_tenant(tenant)
        form = request.form()
        grant = form.get("grant_type", "")
        if grant == "client_credentials":
            return _client_credentials(state, form, request)
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            return _device_code_grant(state, form)
        if grant == "authorization_code":
            return _auth_code_grant(state, form)
        if grant == "refresh_token":
            return _refresh_grant(state, form)
        return aad_error(
            400,
            "unsupported_grant_type",
            70003,
            f"The app requested an unsupported grant type '{grant}'.",
        )

    return state


# ------------------------------------------------------------------------------------------
def _client_info(world: World) -> str:
    return _b64url(json.dumps({"uid": USER_OID, "utid": world.tenant_id}).encode())


def _id_token(world: World, client_id: str, nonce: str | None) -> str:
    now = int(time.time())
    claims = {
        "aud": client_id,
        "iss": f"{AUTHORITY}/{world.tenant_id}/v2.0",
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "name": USER_DISPLAY_NAME,
        "oid": USER_OID,
        "preferred_username": USER_NAME,
        "rh": "0.emulator",
        "sub": _b64url(hashlib.sha256(f"{USER_OID}{client_id}".encode()).digest()[:24]),
        "tid": world.tenant_id,
        "uti": secrets.token_urlsafe(16),
        "ver": "2.0",
    }
    if nonce:
        claims["nonce"] = nonce
    header = {"typ": "JWT", "alg": "RS256", "kid": "emulator"}
    return (
        ".".join(_b64url(json.dumps(p).encode()) for p in (header, claims))
        + "."
        + _b64url(secrets.token_bytes(64))
    )


def _access_token(state: EntraState, scope: str, subject: str, app_id: str) -> str:
    world = state.world
    audience = _audience(scope)
    claims = {
        "iss": f"https://sts.windows.net/{world.tenant_id}/",
        "tid": world.tenant_id,
        "oid": USER_OID if subject == USER_OID else SP_OBJECT_ID,
        "sub": subject,
        "appid": app_id,
        "ver": "1.0",
    }
    if subject == USER_OID:
        claims.update(
            {
                "scp": "user_impersonation",
                "upn": USER_NAME,
                "unique_name": USER_NAME,
                "name": USER_DISPLAY_NAME,
            }
        )
    else:
        claims["roles"] = []
    tok = world.issue_token(audience, subject, state.token_lifetime, claims=claims)
    return tok.token


def _user_tokens(
    state: EntraState,
    form: dict[str, str],
    client_id: str,
    scope: str,
    nonce: str | None = None,
    tenant: str = "organizations",
) -> Response:
    world = state.world
    refresh = "1.AQ-RT." + secrets.token_urlsafe(48)
    with state.lock:
        state.refresh_tokens[refresh] = RefreshToken(USER_OID, client_id, tenant)
    body: dict[str, object] = {
        "token_type": "Bearer",
        "scope": _granted_scope(scope),
        "expires_in": state.token_lifetime,
        "ext_expires_in": state.token_lifetime,
        "access_token": _access_token(state, scope, USER_OID, client_id),
        "refresh_token": refresh,
        "id_token": _id_token(world, client_id, nonce),
    }
    if form.get("client_info") == "1":
        body["client_info"] = _client_info(world)
    return Response.json_body(body)


def _client_credentials(state: EntraState, form: dict[str, str], request: Request) -> Response:
    client_id = form.get("client_id", "")
    secret = form.get("client_secret")
    auth = request.headers.get("authorization", "")
    if not client_id and auth.lower().startswith("basic "):
        client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
    if client_id != SP_CLIENT_ID:
        return aad_error(
            400,
            "unauthorized_client",
            700016,
            f"Application with identifier '{client_id}' was not found in the "
            f"directory '{TENANT_NAME}'. This can happen if the application has not "
            "been installed by the administrator of the tenant or consented to by "
            "any user in the tenant. You may have sent your authentication request "
            "to the wrong tenant.",
        )
    if secret != SP_CLIENT_SECRET:
        return aad_error(
            401,
            "invalid_client",
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the "
            "request is the client secret value, not the client secret ID, for a "
            f"secret added to app '{client_id}'.",
        )
    scope = form.get("scope", "")
    if not scope.endswith("/.default"):
        return aad_error(
            400,
            "invalid_scope",
            1002012,
            f"The provided value for scope {scope} is not valid. Client credential "
            "flows must have a scope value with /.default suffixed to the resource "
            "identifier (application ID URI).",
        )
    return Response.json_body(
        {
            "token_type": "Bearer",
            "expires_in": state.token_lifetime,
            "ext_expires_in": state.token_lifetime,
            "access_token": _access_token(state, scope, client_id, client_id),
        }
    )


def _device_code_grant(state: EntraState, form: dict[str, str]) -> Response:
    code = form.get("device_code", "")
    with state.lock:
        dc = state.device_codes.get(code)
        if dc is None:
            return aad_error(400, "invalid_grant", 70000, "Provided grant is invalid or malformed.")
        dc.polls += 1
        if dc.denied:
            return aad_error(
                400,
                "authorization_declined",
                70019,
                "The end user denied the authorization request.",
            )
        if time.time() > dc.expires_at:
            return aad_error(
                400,
                "expired_token",
                70020,
                "The provided value for the input parameter 'device_code' is not "
                "valid. This device code has expired.",
            )
        if not dc.approved:
            if state.auto_approve and dc.polls >= 2:
                dc.approved = True
            else:
                return aad_error(
                    400,
                    "authorization_pending",
                    70016,
                    "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                )
        del state.device_codes[code]
    return _user_tokens(state, form, dc.client_id, form.get("scope") or dc.scope, tenant=dc.tenant)


def _auth_code_grant(state: EntraState, form: dict[str, str]) -> Response:
    code = form.get("code", "")
    with state.lock:
        ac = state.auth_codes.get(code)
        if ac is None:
            return aad_error(
                400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid."
            )
        if ac.redeemed:
            return aad_error(
                400,
                "invalid_grant",
                54005,
                "OAuth2 Authorization code was already redeemed, please retry with a "
                "new valid code or use an existing refresh token.",
            )
        if time.time() > ac.expires_at:
            return aad_error(
                400,
                "invalid_grant",
                70008,
                "The provided authorization code or refresh token has expired due to inactivity.",
            )
        if form.get("redirect_uri") != ac.redirect_uri:
            return aad_error(
                400,
                "invalid_grant",
                500112,
                "The reply address does not match the reply address provided when "
                "requesting Authorization code.",
            )
        verifier = form.get("code_verifier", "")
        expected = _b64url(hashlib.sha256(verifier.encode()).digest())
        if not verifier or expected != ac.code_challenge:
            return aad_error(
                400,
                "invalid_grant",
                501481,
                "The Code_Verifier does not match the code_challenge supplied in the "
                "authorization request.",
            )
        ac.redeemed = True
    return _user_tokens(
        state, form, ac.client_id, form.get("scope") or ac.scope, ac.nonce, ac.tenant
    )


def _refresh_grant(state: EntraState, form: dict[str, str]) -> Response:
    rt_text = form.get("refresh_token", "")
    with state.lock:
        rt = state.refresh_tokens.get(rt_text)
    if rt is None or rt.revoked:
        return aad_error(
            400,
            "invalid_grant",
            50173,
            "The provided grant has expired due to it being revoked, a fresh auth "
            "token is needed. The user might have changed or reset their password.",
        )
    return _user_tokens(
        state, form, form.get("client_id") or rt.client_id, form.get("scope", ""), tenant=rt.tenant
    )
