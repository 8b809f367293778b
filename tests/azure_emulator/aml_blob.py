"""Emulated Blob storage for the hub's storage account (contosohubstorage.blob.core.windows.net).

Stores uploaded bytes for real (``AmlState.blobs``) so tests can read back exactly what the
SDK uploaded.  Serves what azure-storage-blob sends for AML uploads: put blob, put block /
block list, metadata, properties (HEAD), download (with ranges), delete and list.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
import uuid
from email.utils import formatdate
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from tests.azure_emulator.aml_state import STORAGE_ACCOUNT, AmlState, BlobEntry
from tests.azure_emulator.http import Request, Response, Router

HOST = re.escape(STORAGE_ACCOUNT) + r"\.blob\.core\.windows\.net"
STORAGE_AUDIENCES = ("https://storage.azure.com", "https://storage.azure.com/")


def _headers(request: Request, **extra: str) -> dict[str, str]:
    return {
        "x-ms-request-id": str(uuid.uuid4()),
        "x-ms-version": request.headers.get("x-ms-version", "2025-01-05"),
        "Date": formatdate(usegmt=True),
        **extra,
    }


def _error(request: Request, status: int, code: str, message: str) -> Response:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>'
        + code
        + "</Code><Message>"
        + escape(f"{message}\nRequestId:{uuid.uuid4()}\nTime:{time.strftime('%Y-%m-%dT%H:%M:%S')}Z")
        + "</Message></Error>"
    )
    # The proxy drops the body of a HEAD answer but keeps its length, as HTTP does.
    payload = body.encode()
    return Response(
        status,
        payload,
        _headers(
            request,
            **{
                "x-ms-error-code": code,
                "Content-Type": "application/xml",
            },
        ),
    )


def _auth(state: AmlState, request: Request) -> Response | None:
    sig = request.q("sig")
    if sig is not None:
        from urllib.parse import quote

        if sig in state.sas_tokens or quote(sig, safe="") in state.sas_tokens:
            return None
        return _error(
            request,
            403,
            "AuthenticationFailed",
            "Server failed to authenticate the request. Make sure the value of "
            "Authorization header is formed correctly including the signature.",
        )
    header = request.headers.get("authorization", "")
    if (
        header.startswith(f"SharedKey {STORAGE_ACCOUNT}:")
        and len(header) > len(STORAGE_ACCOUNT) + 20
    ):
        return None
    if header.lower().startswith("bearer "):
        tok = state.world.tokens.get(header.split(" ", 1)[1])
        if tok is not None and tok.audience in STORAGE_AUDIENCES and tok.expires_on > time.time():
            return None
        return _error(
            request,
            403,
            "AuthenticationFailed",
            "Server failed to authenticate the request. Please refer to the information "
            "in the www-authenticate header.",
        )
    return _error(
        request,
        401,
        "NoAuthenticationInformation",
        "Server failed to authenticate the request. Please refer to the information in "
        "the www-authenticate header.",
    )


def _entry_headers(request: Request, entry: BlobEntry, meta: dict[str, str]) -> dict[str, str]:
    return _headers(
        request,
        ETag=entry.etag,
        **{
            "Last-Modified": formatdate(entry.created, usegmt=True),
            "Content-Type": entry.content_type,
            "Content-MD5": base64.b64encode(hashlib.md5(entry.data).digest()).decode(),
            "x-ms-blob-type": "BlockBlob",
            "x-ms-creation-time": formatdate(entry.created, usegmt=True),
            "x-ms-server-encrypted": "true",
            "x-ms-lease-state": "available",
            "x-ms-lease-status": "unlocked",
            "Accept-Ranges": "bytes",
            **{f"x-ms-meta-{k}": v for k, v in meta.items()},
        },
    )


def register(router: Router, state: AmlState) -> None:
    metadata = state.blob_metadata

    def key_of(request: Request) -> str:
        return f"{request.params['container']}/{request.params['blob']}"

    def store(request: Request, key: str, data: bytes) -> Response:
        entry = BlobEntry(
            data,
            request.headers.get("x-ms-blob-content-type", "application/octet-stream"),
            state.now(),
            f'"0x{uuid.uuid4().hex[:15].upper()}"',
        )
        state.blobs[key] = entry
        meta = {
            k.removeprefix("x-ms-meta-"): v
            for k, v in request.headers.items()
            if k.startswith("x-ms-meta-")
        }
        metadata[key] = meta
        return Response(
            201,
            b"",
            _headers(
                request,
                ETag=entry.etag,
                **{
                    "Last-Modified": formatdate(entry.created, usegmt=True),
                    "Content-MD5": base64.b64encode(hashlib.md5(data).digest()).decode(),
                    "x-ms-request-server-encrypted": "true",
                    "Content-Length": "0",
                },
            ),
        )

    def guarded(handler: Any) -> Any:
        def wrapped(request: Request) -> Response:
            state.record(request.method, request.host + request.path, request.q("comp"))
            denied = _auth(state, request)
            if denied is not None:
                return denied
            with state.lock:
                return handler(request)

        return wrapped

    def put(request: Request) -> Response:
        key = key_of(request)
        comp = request.q("comp")
        if comp == "block":
            block_id = request.q("blockid") or ""
            state.staged_blocks.setdefault(key, {})[block_id] = request.body
            return Response(
                201,
                b"",
                _headers(
                    request, **{"Content-Length": "0", "x-ms-request-server-encrypted": "true"}
                ),
            )
        if comp == "blocklist":
            staged = state.staged_blocks.get(key, {})
            root = ElementTree.fromstring(request.body)
            parts = []
            for el in root:
                block = staged.get(el.text or "")
                if block is None:
                    return _error(
                        request, 400, "InvalidBlockList", "The specified block list is invalid."
                    )
                parts.append(block)
            state.staged_blocks.pop(key, None)
            return store(request, key, b"".join(parts))
        if comp == "metadata":
            entry = state.blobs.get(key)
            if entry is None:
                return _error(request, 404, "BlobNotFound", "The specified blob does not exist.")
            metadata[key] = {
                k.removeprefix("x-ms-meta-"): v
                for k, v in request.headers.items()
                if k.startswith("x-ms-meta-")
            }
            return Response(200, b"", _headers(request, ETag=entry.etag, **{"Content-Length": "0"}))
        if comp is None:
            if request.headers.get("x-ms-blob-type", "") != "BlockBlob":
                return _error(
                    request,
                    400,
                    "MissingRequiredHeader",
                    "An HTTP header that's mandatory for this request is not specified.",
                )
            return store(request, key, request.body)
        return _error(
            request, 400, "UnsupportedQueryParameter", f"The emulator does not support comp={comp}."
        )

    def head(request: Request) -> Response:
        entry = state.blobs.get(key_of(request))
        if entry is None:
            return _error(request, 404, "BlobNotFound", "The specified blob does not exist.")
        headers = _entry_headers(request, entry, metadata.get(key_of(request), {}))
        # The proxy sends only the head of a HEAD answer, with this body's Content-Length.
        return Response(200, entry.data, headers)

    def get(request: Request) -> Response:
        entry = state.blobs.get(key_of(request))
        if entry is None:
            return _error(request, 404, "BlobNotFound", "The specified blob does not exist.")
        headers = _entry_headers(request, entry, metadata.get(key_of(request), {}))
        rng = request.headers.get("x-ms-range") or request.headers.get("range")
        data = entry.data
        if rng:
            m = re.match(r"bytes=(\d+)-(\d*)", rng)
            if m:
                start = int(m[1])
                end = int(m[2]) if m[2] else len(data) - 1
                if start >= len(data) and len(data) > 0:
                    return _error(
                        request,
                        416,
                        "InvalidRange",
                        "The range specified is invalid for the current size of the resource.",
                    )
                chunk = data[start : end + 1]
                headers["Content-Range"] = f"bytes {start}-{start + len(chunk) - 1}/{len(data)}"
                headers.pop("Content-MD5", None)
                return Response(206 if data else 200, chunk, headers)
        return Response(200, data, headers)

    def delete(request: Request) -> Response:
        if state.blobs.pop(key_of(request), None) is None:
            return _error(request, 404, "BlobNotFound", "The specified blob does not exist.")
        return Response(202, b"", _headers(request, **{"Content-Length": "0"}))

    def container(request: Request) -> Response:
        name = request.params["container"]
        if name != state.container:
            return _error(
                request, 404, "ContainerNotFound", "The specified container does not exist."
            )
        if request.q("comp") != "list":
            return Response(
                200,
                b"",
                _headers(
                    request,
                    ETag='"0x8DC000000000000"',
                    **{"Last-Modified": formatdate(usegmt=True), "Content-Length": "0"},
                ),
            )
        prefix = request.q("prefix") or ""
        delimiter = request.q("delimiter")
        with_meta = "metadata" in (request.q("include") or "")
        blobs, prefixes = [], set()
        for key in sorted(state.blobs):
            cont, _, blob = key.partition("/")
            if cont != name or not blob.startswith(prefix):
                continue
            rest = blob[len(prefix) :]
            if delimiter and delimiter in rest:
                prefixes.add(prefix + rest.split(delimiter, 1)[0] + delimiter)
                continue
            blobs.append(blob)
        parts = [
            f'<?xml version="1.0" encoding="utf-8"?><EnumerationResults '
            f'ServiceEndpoint="https://{request.host}/" ContainerName="{escape(name)}">'
            f"<Prefix>{escape(prefix)}</Prefix><Blobs>"
        ]
        for blob in blobs:
            entry = state.blobs[f"{name}/{blob}"]
            meta = "".join(
                f"<{k}>{escape(v)}</{k}>" for k, v in metadata.get(f"{name}/{blob}", {}).items()
            )
            parts.append(
                f"<Blob><Name>{escape(blob)}</Name><Properties>"
                f"<Creation-Time>{formatdate(entry.created, usegmt=True)}</Creation-Time>"
                f"<Last-Modified>{formatdate(entry.created, usegmt=True)}</Last-Modified>"
                f"<Etag>{entry.etag}</Etag><Content-Length>{len(entry.data)}</Content-Length>"
                f"<Content-Type>{escape(entry.content_type)}</Content-Type>"
                "<BlobType>BlockBlob</BlobType><LeaseStatus>unlocked</LeaseStatus>"
                "<LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted>"
                "</Properties>" + (f"<Metadata>{meta}</Metadata>" if with_meta else "") + "</Blob>"
            )
        for p in sorted(prefixes):
            parts.append(f"<BlobPrefix><Name>{escape(p)}</Name></BlobPrefix>")
        parts.append("</Blobs><NextMarker /></EnumerationResults>")
        return Response(
            200, "".join(parts).encode(), _headers(request, **{"Content-Type": "application/xml"})
        )

    blob_path = r"/(?P<container>[a-z0-9-]+)/(?P<blob>.+)"
    router.add("PUT", HOST, blob_path, guarded(put))
    router.add("HEAD", HOST, blob_path, guarded(head))
    router.add("GET", HOST, blob_path, guarded(get))
    router.add("DELETE", HOST, blob_path, guarded(delete))
    router.add("GET", HOST, r"/(?P<container>[a-z0-9-]+)", guarded(container))
