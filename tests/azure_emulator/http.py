"""The tiny HTTP vocabulary shared by every emulated service.

Services register handlers on a :class:`Router`; the TLS-intercepting proxy (proxy.py)
decrypts each request for a real Azure host name, builds a :class:`Request`, asks the
router for a handler, applies injected faults, and writes the :class:`Response` back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Request:
    method: str
    host: str                      # lower-case host name without port, e.g. "management.azure.com"
    path: str                      # URL path without query, e.g. "/subscriptions"
    query: dict[str, list[str]]
    headers: dict[str, str]        # lower-case names
    body: bytes = b""
    params: dict[str, str] = field(default_factory=dict)  # named groups matched from host/path

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}"

    def q(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8")).items()}


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # For server-sent events: chunks written one by one with a flush in between.
    chunks: Iterable[bytes] | None = None

    @classmethod
    def json_body(cls, data: Any, status: int = 200, **headers: str) -> Response:
        return cls(
            status,
            json.dumps(data).encode(),
            {"Content-Type": "application/json; charset=utf-8", **headers},
        )

    @classmethod
    def error(cls, status: int, code: str, message: str, **headers: str) -> Response:
        """Azure's common error envelope (ARM and data plane alike)."""
        return cls.json_body({"error": {"code": code, "message": message}}, status, **headers)


Handler = Callable[[Request], Response]


@dataclass
class Route:
    method: str
    host: re.Pattern[str]
    path: re.Pattern[str]
    handler: Handler


class Router:
    """Maps (method, host regex, path regex) to handlers. Paths match case-insensitively,
    as ARM does; named groups become ``request.params``."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, host: str, path: str, handler: Handler) -> None:
        self.routes.append(
            Route(
                method.upper(),
                re.compile(host + r"\Z", re.IGNORECASE),
                re.compile(path + r"\Z", re.IGNORECASE),
                handler,
            )
        )

    def route(self, method: str, host: str, path: str) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            self.add(method, host, path, handler)
            return handler

        return decorate

    def dispatch(self, request: Request) -> Response:
        path_matched = False
        for route in self.routes:
            hm = route.host.match(request.host)
            pm = route.path.match(request.path) if hm else None
            if not (hm and pm):
                continue
            path_matched = True
            if route.method != request.method:
                continue
            request.params = {**hm.groupdict(), **pm.groupdict()}
            return route.handler(request)
        if path_matched:
            return Response.error(405, "MethodNotAllowed", f"{request.method} is not allowed here")
        return Response.error(
            404, "NoRoute", f"The emulator does not serve {request.method} {request.url}"
        )
