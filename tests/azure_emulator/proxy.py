"""The TLS-intercepting HTTP proxy that puts the emulator behind the real Azure host names.

Clients reach it through the standard ``HTTPS_PROXY`` variable: they send ``CONNECT
host:443``, the proxy answers 200, terminates TLS with a leaf certificate for that host
(signed by the emulator CA the client trusts through ``REQUESTS_CA_BUNDLE`` /
``SSL_CERT_FILE``), reads HTTP/1.1 requests, records them, applies injected faults and
asks the :class:`~tests.azure_emulator.http.Router` for the answer.
"""

from __future__ import annotations

import contextlib
import http
import json
import math
import re
import secrets
import socket
import socketserver
import ssl
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

from tests.azure_emulator.http import Request, Response, Router
from tests.azure_emulator.tls import CertificateAuthority

MAX_LINE = 65536
FAULT_KINDS = ("429", "500", "503", "drop_after", "drop_before", "slow", "expired_token")


# --------------------------------------------------------------------------------------
# Recording
# --------------------------------------------------------------------------------------
@dataclass
class Recorded:
    method: str
    host: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    time: float
    status: int | None = None  # None: the connection was dropped without an answer
    response_body: bytes = b""
    response_headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    duration: float = 0.0
    fault: str | None = None

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}"

    def q(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def __repr__(self) -> str:
        return f"<{self.method} {self.url} -> {self.status} fault={self.fault}>"


class Recorder:
    """Thread-safe log of every request the proxy saw, in arrival order."""

    def __init__(self) -> None:
        self._items: list[Recorded] = []
        self._lock = threading.Lock()
        self.errors: list[str] = []  # tracebacks of handler crashes (emulator bugs)

    def append(self, item: Recorded) -> None:
        with self._lock:
            self._items.append(item)

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._items)

    def calls(
        self, method: str | None = None, path: str | None = None, host: str | None = None
    ) -> list[Recorded]:
        """Requests with this method whose path/host *search*-match the regexes."""
        out = []
        for r in self.requests:
            if method and r.method != method.upper():
                continue
            if path and not re.search(path, r.path, re.IGNORECASE):
                continue
            if host and not re.search(host, r.host, re.IGNORECASE):
                continue
            out.append(r)
        return out

    def unserved(self) -> list[Recorded]:
        """Requests the emulator has no route for (the gaps to fill)."""
        return [r for r in self.requests if r.status == 404 and b'"NoRoute"' in r.response_body]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.errors.clear()


# --------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------
@dataclass
class Fault:
    kind: str
    method: str | None = None
    host: str | None = None  # regex, searched in the host name
    path: str | None = None  # regex, searched in the path
    times: int = 1  # how many matching calls fail
    after_calls: int = 0  # let this many matching calls through first
    seconds: float = 1.0  # Retry-After for 429/503, delay for "slow"
    # 429 only: False sends Retry-After alone (whole seconds), as some Azure answers do.
    retry_after_ms: bool = True
    seen: int = 0
    fired: int = 0

    def matches(self, request: Request) -> bool:
        if self.method and request.method != self.method.upper():
            return False
        if self.host and not re.search(self.host, request.host, re.IGNORECASE):
            return False
        return not (self.path and not re.search(self.path, request.path, re.IGNORECASE))

    @property
    def exhausted(self) -> bool:
        return self.fired >= self.times


class Faults:
    """Per-endpoint, per-call fault injection; each fault applies to the first matching
    call(s) (after ``after_calls``) and then disappears."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        kind: str,
        *,
        method: str | None = None,
        host: str | None = None,
        path: str | None = None,
        times: int = 1,
        after_calls: int = 0,
        seconds: float = 1.0,
        retry_after_ms: bool = True,
    ) -> Fault:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {FAULT_KINDS}")
        fault = Fault(kind, method, host, path, times, after_calls, seconds, retry_after_ms)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, request: Request) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.exhausted or not fault.matches(request):
                    continue
                fault.seen += 1
                if fault.seen <= fault.after_calls:
                    continue
                fault.fired += 1
                return fault
        return None

    @property
    def pending(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if not f.exhausted]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()


# Azure OpenAI names the throttled operation in its 429 text (operation ids of the
# data-plane REST spec); the rest of the sentence is the same for all of them.
_AOAI_HOST = re.compile(r"\.(openai|cognitiveservices)\.azure\.com$", re.I)
_AOAI_OPERATIONS = (
    (r"/chat/completions$", "ChatCompletions_Create"),
    (r"/embeddings$", "Embeddings_Create"),
    (r"/completions$", "Completions_Create"),
    (r"/fine_tuning/jobs$", "FineTuning_Create"),
    (r"/files$", "Files_Upload"),
)


def aoai_throttle_message(request: Request, seconds: int) -> str:
    """Azure OpenAI's own 429 wording, ending in the quota-increase link (issue 13)."""
    operation = next(
        (name for pattern, name in _AOAI_OPERATIONS if re.search(pattern, request.path)),
        "Default",
    )
    version = request.q("api-version") or "v1"
    unit = "second" if seconds == 1 else "seconds"
    return (
        f"Requests to the {operation} Operation under Azure OpenAI API version {version} "
        "have exceeded token rate limit of your current AIServices S0 pricing tier. "
        f"Please retry after {seconds} {unit}. Please go here: "
        "https://aka.ms/oai/quotaincrease if you would like to further increase the default "
        "rate limit."
    )


def fault_response(fault: Fault, request: Request) -> Response:
    arm = request.host.endswith("management.azure.com")
    if fault.kind == "429":
        secs = max(fault.seconds, 0.0)
        headers = {"Retry-After": str(max(math.ceil(secs), 0))}
        if fault.retry_after_ms:
            headers["retry-after-ms"] = str(int(secs * 1000))
            headers["x-ms-retry-after-ms"] = str(int(secs * 1000))
        if arm:
            return Response.error(
                429,
                "TooManyRequests",
                "The request is being throttled as the limit has been reached for operation "
                "type - Read_ObservationWindow_00:05:00. Please try again after "
                f"{headers['Retry-After']} seconds.",
                **headers,
            )
        if _AOAI_HOST.search(request.host):
            headers["x-ratelimit-remaining-requests"] = "0"
            headers["x-ratelimit-remaining-tokens"] = "0"
            return Response.error(
                429,
                "429",
                aoai_throttle_message(request, int(headers["Retry-After"])),
                **headers,
            )
        return Response.error(
            429,
            "429",
            "Rate limit is exceeded. Try again in "
            f"{headers['Retry-After']} seconds.",
            **headers,
        )
    if fault.kind == "500":
        return Response.error(
            500,
            "InternalServerError",
            "The server had an error while processing your request. Sorry about that!",
        )
    if fault.kind == "503":
        return Response.error(
            503,
            "ServiceUnavailable",
            "The service is temporarily unavailable. Please try again later.",
            **{"Retry-After": str(max(round(fault.seconds), 0))},
        )
    if fault.kind == "expired_token":
        challenge = {
            "WWW-Authenticate": "Bearer "
            'authorization_uri="https://login.microsoftonline.com/common", '
            'error="invalid_token", error_description="The access token has expired"'
        }
        if arm:
            now = time.strftime("%m/%d/%Y %H:%M:%S", time.gmtime())
            return Response.error(
                401,
                "ExpiredAuthenticationToken",
                f"The access token expiry UTC time '{now}' is earlier than current UTC time "
                f"'{now}'.",
                **challenge,
            )
        return Response.error(
            401, "401", "Unauthorized. Access token has expired or is not yet valid.", **challenge
        )
    raise AssertionError(fault.kind)


# --------------------------------------------------------------------------------------
# The proxy server
# --------------------------------------------------------------------------------------
class _Dropped(Exception):
    """Close the connection without writing a response."""


class _ConnectionHandler(socketserver.BaseRequestHandler):
    server: ProxyServer

    def handle(self) -> None:
        raw: socket.socket = self.request
        raw.settimeout(self.server.idle_timeout)
        self.server.track(raw)
        conn: socket.socket | ssl.SSLSocket = raw
        try:
            preamble = raw.makefile("rb", buffering=0)
            try:
                head = _read_head(preamble)
            finally:
                preamble.close()
            if head is None:
                return
            method, target, headers = head
            if method != "CONNECT":
                # Plain-HTTP forwarding is not offered: every Azure endpoint is HTTPS.
                url = urlsplit(target)
                self._record_plain(method, url.hostname or "", url.path, headers)
                _write_response(
                    raw,
                    Response.error(
                        502, "BadGateway", "The Azure emulator proxy only tunnels HTTPS (CONNECT)."
                    ),
                    keep_alive=False,
                )
                return
            host = target.rsplit(":", 1)[0].strip("[]").lower()
            raw.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            ctx = self.server.ca.sni_context(host)
            try:
                conn = ctx.wrap_socket(raw, server_side=True)
            except (ssl.SSLError, OSError):
                return  # e.g. the client does not trust the emulator CA
            self.server.track(conn)
            self._serve_tls(conn, host)
        except (OSError, ssl.SSLError, _Dropped):
            pass
        finally:
            self.server.untrack(raw)
            self.server.untrack(conn)
            with contextlib.suppress(OSError):
                conn.close()

    def _record_plain(self, method: str, host: str, path: str, headers: dict[str, str]) -> None:
        self.server.recorder.append(
            Recorded(
                method, host, path, {}, headers, b"", time.time(), status=502, fault="plain-http"
            )
        )

    def _serve_tls(self, conn: ssl.SSLSocket, connect_host: str) -> None:
        rfile = conn.makefile("rb")
        try:
            while True:
                head = _read_head(rfile)
                if head is None:
                    return
                method, target, headers = head
                if headers.get("expect", "").lower() == "100-continue":
                    conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
                body = _read_body(rfile, headers)
                split = urlsplit(target)
                host = (headers.get("host") or connect_host).rsplit(":", 1)[0].lower()
                request = Request(
                    method,
                    host,
                    split.path or "/",
                    parse_qs(split.query, keep_blank_values=True),
                    headers,
                    body,
                )
                keep_alive = headers.get("connection", "").lower() != "close"
                if not self._answer(conn, request, keep_alive):
                    return
                if not keep_alive:
                    return
        finally:
            rfile.close()

    def _answer(self, conn: ssl.SSLSocket, request: Request, keep_alive: bool) -> bool:
        server = self.server
        rec = Recorded(
            request.method,
            request.host,
            request.path,
            request.query,
            dict(request.headers),
            request.body,
            time.time(),
        )
        server.recorder.append(rec)
        fault = server.faults.take(request)
        rec.fault = fault.kind if fault else None
        started = time.monotonic()
        if fault and fault.kind == "drop_before":
            return False
        if fault and fault.kind == "slow":
            time.sleep(fault.seconds)
        if fault and fault.kind in ("429", "500", "503", "expired_token"):
            response = fault_response(fault, request)
        else:
            try:
                response = server.router.dispatch(request)
            except Exception:  # noqa: BLE001 - an emulator bug: answer 500, keep the traceback
                tb = traceback.format_exc()
                server.recorder.errors.append(tb)
                response = Response.error(500, "EmulatorError", tb.splitlines()[-1])
            if fault and fault.kind == "drop_after":
                # The work is done (state changed) but the client never learns it.
                if response.chunks is not None:
                    for _ in response.chunks:
                        pass
                rec.duration = time.monotonic() - started
                return False
        rec.status = response.status
        rec.response_headers = {k.lower(): v for k, v in response.headers.items()}
        if response.chunks is None:
            rec.response_body = response.body
        _write_response(conn, response, keep_alive=keep_alive, head=request.method == "HEAD")
        rec.duration = time.monotonic() - started
        return True


class ProxyServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """Threaded CONNECT proxy on loopback. ``router``, ``faults`` and ``recorder`` may be
    swapped at any time (a per-test reset); connections look them up per request."""

    daemon_threads = True
    block_on_close = True
    allow_reuse_address = True

    def __init__(
        self,
        ca: CertificateAuthority,
        router: Router | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        idle_timeout: float = 300.0,
    ) -> None:
        self.ca = ca
        self.router = router or Router()
        self.faults = Faults()
        self.recorder = Recorder()
        self.idle_timeout = idle_timeout
        self._live: set[socket.socket] = set()
        self._live_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        super().__init__((host, port), _ConnectionHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def track(self, sock: socket.socket) -> None:
        with self._live_lock:
            self._live.add(sock)

    def untrack(self, sock: socket.socket) -> None:
        with self._live_lock:
            self._live.discard(sock)

    def close_connections(self) -> None:
        """Hang up on every client (wakes handler threads blocked on keep-alive reads)."""
        with self._live_lock:
            live = list(self._live)
        for sock in live:
            with contextlib.suppress(OSError, ValueError):
                sock.shutdown(socket.SHUT_RDWR)

    def start(self) -> ProxyServer:
        self._thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="azure-emulator-proxy",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.close_connections()
        self.server_close()  # joins the connection threads (block_on_close)
        if self._thread is not None:
            self._thread.join(timeout=5)


# --------------------------------------------------------------------------------------
# HTTP/1.1 wire helpers
# --------------------------------------------------------------------------------------
def _read_head(rfile: IO[bytes]) -> tuple[str, str, dict[str, str]] | None:
    line = rfile.readline(MAX_LINE + 1)
    while line in (b"\r\n", b"\n"):  # tolerate stray blank lines between requests
        line = rfile.readline(MAX_LINE + 1)
    if not line:
        return None
    parts = line.decode("latin-1").strip().split()
    if len(parts) != 3:
        raise _Dropped("malformed request line")
    method, target, _version = parts
    headers: dict[str, str] = {}
    while True:
        hline = rfile.readline(MAX_LINE + 1)
        if not hline:
            return None
        if hline in (b"\r\n", b"\n"):
            break
        name, _, value = hline.decode("latin-1").partition(":")
        key = name.strip().lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return method.upper(), target, headers


def _read_body(rfile: IO[bytes], headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        out = bytearray()
        while True:
            size_line = rfile.readline(MAX_LINE + 1)
            if not size_line:
                raise _Dropped("truncated chunked body")
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while rfile.readline(MAX_LINE + 1) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return bytes(out)
            out += rfile.read(size)
            rfile.readline(MAX_LINE + 1)
    length = int(headers.get("content-length", "0") or 0)
    body = rfile.read(length) if length else b""
    if len(body) != length:
        raise _Dropped("truncated body")
    return body


def _status_line(status: int) -> bytes:
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    return f"HTTP/1.1 {status} {reason}\r\n".encode("latin-1")


def _write_response(
    conn: socket.socket, response: Response, *, keep_alive: bool, head: bool = False
) -> None:
    headers = {
        k: v
        for k, v in response.headers.items()
        if k.lower() not in ("content-length", "transfer-encoding", "connection")
    }
    lower = {k.lower() for k in headers}
    if "date" not in lower:
        headers["Date"] = formatdate(usegmt=True)
    if "x-ms-request-id" not in lower:
        headers["x-ms-request-id"] = str(uuid.uuid4())
    if "apim-request-id" not in lower:
        headers["apim-request-id"] = headers["x-ms-request-id"]
    if "x-ms-correlation-request-id" not in lower:
        headers["x-ms-correlation-request-id"] = secrets.token_hex(16)
    headers["Connection"] = "keep-alive" if keep_alive else "close"
    streaming = response.chunks is not None and not head
    if streaming:
        headers["Transfer-Encoding"] = "chunked"
    else:
        headers["Content-Length"] = str(len(response.body))
    head_bytes = (
        _status_line(response.status)
        + "".join(f"{k}: {v}\r\n" for k, v in headers.items()).encode("latin-1")
        + b"\r\n"
    )
    if not streaming:
        conn.sendall(head_bytes + (b"" if head else response.body))
        return
    conn.sendall(head_bytes)
    assert response.chunks is not None
    for chunk in response.chunks:
        if chunk:
            conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
    conn.sendall(b"0\r\n\r\n")
