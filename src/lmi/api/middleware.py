"""The request edge, as one plain ASGI middleware (no BaseHTTPMiddleware on the hot path).

For every HTTP request, in order: refuse oversized requests (413/414, and 431 for too many or
too large headers; a body without Content-Length, e.g. chunked, is counted as it is read and
refused with 413 once past the limit); identify the client
(API key or address) and apply its rate limit (429 with Retry-After); give the request an id;
answer CORS preflights; resolve the release an API request pins (``?release=ID`` or
``X-LMI-Release``: 400 malformed, 404 unknown, 410 no longer retained), loading it if needed;
answer a GET or HEAD whose exact target that release (else the served one) has already answered
from its cache (a :class:`~lmi.serve.cache.Shortcut`: same body, ETag/304 and compression,
without routing; a pinned request never gets the current release's shortcut); then, on the
way out, add CORS, security and ``X-Request-ID`` headers, record Prometheus metrics and usage
counts, and optionally log one JSON line.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lmi.api.envelope import error_body, status_for
from lmi.api.releases import PIN_HEADER, requested_release
from lmi.errors import LMIError
from lmi.ops.keys import KeyRing
from lmi.ops.metrics import RequestStats
from lmi.ops.ratelimit import RateLimiter
from lmi.ops.usage import UsageFlusher
from lmi.serve.cache import Answer
from lmi.serve.served import ServedRelease
from lmi.serve.snapshot import Snapshot

__all__ = ["BodyTooLarge", "EdgeMiddleware", "EdgeState", "Limits"]

access_log = logging.getLogger("lmi.access")

_ALLOW_ORIGIN = (b"access-control-allow-origin", b"*")
_COMMON = [
    _ALLOW_ORIGIN,
    (
        b"access-control-expose-headers",
        b"etag, x-request-id, x-lmi-release, x-lmi-method, x-lmi-methods, x-lmi-source, x-lmi-note",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
_PREFLIGHT_HEADERS = [
    _ALLOW_ORIGIN,
    (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
    (b"access-control-allow-headers", b"*"),
    (b"access-control-max-age", b"86400"),
]
_REQUEST_ID = re.compile(rb"[A-Za-z0-9._-]{1,64}")
_INTERESTING = frozenset(
    {
        b"content-length",
        b"x-api-key",
        b"access-control-request-method",
        b"if-none-match",
        b"accept-encoding",
        PIN_HEADER,
    }
)
#: paths whose answers come from a release, so a request there may pin one
_PINNABLE = ("/v1/", "/api/")
#: methods the edge may answer from the cache (the server drops the body of a HEAD answer)
_READS = frozenset({"GET", "HEAD"})
#: query parameter names an API key may come in: ``api_key`` and the names LMI for All's
#: estimatePayMD clients plausibly used for their "access key" (the real one is unknown)
_API_KEY_PARAM = re.compile(r"(?:^|&)(?:api_key|apikey|key|accessKey|access_key)=([^&]*)")


@dataclass(frozen=True)
class Limits:
    anonymous_per_minute: int
    keyed_per_minute: int
    max_body_bytes: int
    max_query_length: int
    access_log: bool
    #: paths whose handler enforces its own body limit (the dashboard's file upload)
    own_body_limit: frozenset[str] = frozenset()
    max_header_count: int = 100
    max_header_bytes: int = 32_768


class BodyTooLarge(HTTPException):
    """A body sent without Content-Length (chunked) grew past the limit while it was read."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


@dataclass
class EdgeState:
    """What the edge shares with the app: counters, the key ring and the limiter."""

    limits: Limits
    stats: RequestStats
    usage: UsageFlusher
    keys: KeyRing
    limiter: RateLimiter
    metrics_dir: Path | None = None
    #: the release being served, whose cached answers the edge may send without routing
    served: ServedRelease | None = None


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, state: EdgeState) -> None:
        self.app = app
        self.state = state
        self._ids = itertools.count(1)
        self._prefix = os.urandom(4).hex().encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers, count, size = _interesting_headers(scope)
        request_id = headers.get(b"x-request-id") or b"%s-%x" % (self._prefix, next(self._ids))
        refusal = self._header_refusal(count, size) or self._refusal(scope, headers)
        status = 500
        started_response = False

        async def send_wrapped(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                started_response = True
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", ()),
                    *_COMMON,
                    (b"x-request-id", request_id),
                ]
            await send(message)

        try:
            if refusal is not None:
                await _send_json(send_wrapped, *refusal)
            elif scope["method"] == "OPTIONS" and b"access-control-request-method" in headers:
                await _send_preflight(send_wrapped)
            elif isinstance(pin := await self._pin(scope, headers), tuple):
                await _send_json(send_wrapped, *pin)
            elif scope["method"] in _READS and (answer := self._shortcut(scope, headers, pin)):
                await _send_answer(send_wrapped, answer)
            else:
                if pin is not None:
                    scope["lmi.snapshot"] = pin  # served_snapshot() answers from it
                scope["lmi.request_id"] = request_id.decode()
                await self.app(scope, self._bounded(scope, headers, receive), send_wrapped)
        except BodyTooLarge as exc:  # raised while the app read the body; unhandled by it
            if started_response:
                raise
            await _send_json(send_wrapped, exc.status_code, exc.detail, [])
        finally:
            self._record(scope, status, time.perf_counter() - started, request_id)

    def _header_refusal(
        self, count: int, size: int
    ) -> tuple[int, str, list[tuple[bytes, bytes]]] | None:
        limits = self.state.limits
        if count > limits.max_header_count:
            return 431, f"more than {limits.max_header_count} request headers", []
        if size > limits.max_header_bytes:
            return 431, f"request headers larger than {limits.max_header_bytes} bytes", []
        return None

    def _bounded(self, scope: Scope, headers: dict[bytes, bytes], receive: Receive) -> Receive:
        """``receive``, counting a body sent without Content-Length (a chunked body) and
        raising :class:`BodyTooLarge` past ``max_body_bytes``: the same limit for every framing."""
        if b"content-length" in headers or scope["path"] in self.state.limits.own_body_limit:
            return receive  # checked up front (or by the handler itself)
        limit = self.state.limits.max_body_bytes
        received = 0

        async def bounded() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        return bounded

    def _refusal(
        self, scope: Scope, headers: dict[bytes, bytes]
    ) -> tuple[int, str, list[tuple[bytes, bytes]]] | None:
        """Status, message and headers when the request is refused at the edge."""
        limits = self.state.limits
        if len(scope["query_string"]) > limits.max_query_length:
            return 414, f"query string longer than {limits.max_query_length} bytes", []
        length = headers.get(b"content-length")
        if (
            length is not None
            and (not length.isdigit() or int(length) > limits.max_body_bytes)
            and scope["path"] not in limits.own_body_limit
        ):
            return 413, f"request body larger than {limits.max_body_bytes} bytes", []
        key_text = _api_key(scope, headers)
        if key_text is not None:
            key = self.state.keys.lookup(key_text)
            if key is None and self.state.served is not None:
                # a key created since the last background pass works at once (one indexed read)
                key = self.state.keys.load(self.state.served.db, key_text)
            if key is None:
                return 401, "unknown or revoked API key", []
            scope["lmi.api_key"] = key
            client = f"key:{key.id}"
            per_minute = key.rate_per_minute or limits.keyed_per_minute
        else:
            per_minute = limits.anonymous_per_minute
            if per_minute <= 0:
                return None
            client = f"ip:{scope['client'][0] if scope.get('client') else '-'}"
        wait = self.state.limiter.acquire(client, per_minute)
        if wait:
            message = f"rate limit of {per_minute} requests per minute exceeded; retry later"
            return 429, message, [(b"retry-after", str(int(wait)).encode())]
        return None

    async def _pin(
        self, scope: Scope, headers: dict[bytes, bytes]
    ) -> Snapshot | tuple[int, str, list[tuple[bytes, bytes]]] | None:
        """None for a request that pins no release; else the pinned release's snapshot, or
        the refusal (status, message, headers) to send instead."""
        served = self.state.served
        header = headers.get(PIN_HEADER)
        if served is None or (header is None and b"release=" not in scope["query_string"]):
            return None
        if not scope["path"].startswith(_PINNABLE):
            return None
        try:
            release_id = requested_release(scope["query_string"], header)
            if release_id is None:
                return None
            found = served.loaded(release_id)
            if found is None:  # a store read, and perhaps a load: off the event loop
                found = await run_in_threadpool(served.pinned, release_id)
        except LMIError as exc:  # 400 malformed, 404 unknown, 410 gone, 503 not ready
            return status_for(exc), str(exc), []
        except Exception:  # a release that cannot be loaded must not take the worker down
            access_log.exception("cannot load a pinned release")
            return 503, "the pinned release cannot be loaded now; retry later", []
        return found

    def _shortcut(
        self, scope: Scope, headers: dict[bytes, bytes], pinned: Snapshot | None = None
    ) -> Answer | None:
        """The cached answer to this exact target, if the pinned (else the served) release
        holds one."""
        snapshot = pinned or (self.state.served.current if self.state.served else None)
        if snapshot is None:
            return None
        responses = snapshot.responses
        found = responses.shortcut(scope["path"], scope["query_string"])
        if found is None:
            return None
        scope["endpoint"] = found.endpoint  # for metrics and usage, as routing would set it
        return responses.answer(
            found, headers.get(b"if-none-match"), headers.get(b"accept-encoding")
        )

    def _record(self, scope: Scope, status: int, seconds: float, request_id: bytes) -> None:
        endpoint = scope.get("endpoint")
        route = getattr(endpoint, "__name__", "unmatched")
        self.state.stats.observe(route, scope["method"], status, seconds)
        if self.state.limits.access_log:
            access_log.info(
                json.dumps(
                    {
                        "request_id": request_id.decode(),
                        # the connection's address, or a trusted proxy's X-Forwarded-For
                        "client": scope["client"][0] if scope.get("client") else None,
                        "method": scope["method"],
                        "path": scope["path"],
                        "route": route,
                        "status": status,
                        "ms": round(seconds * 1000, 3),
                    }
                )
            )


def _interesting_headers(scope: Scope) -> tuple[dict[bytes, bytes], int, int]:
    """The headers the edge reads, and the count and total size of all of them."""
    found: dict[bytes, bytes] = {}
    count = size = 0
    for name, value in scope["headers"]:
        count += 1
        size += len(name) + len(value)
        if name == b"x-request-id":
            if _REQUEST_ID.fullmatch(value):
                found[name] = value
        elif name in _INTERESTING:
            found[name] = value
    return found, count, size


def _api_key(scope: Scope, headers: dict[bytes, bytes]) -> str | None:
    if b"x-api-key" in headers:
        return headers[b"x-api-key"].decode("latin-1")
    query = scope["query_string"]
    if b"key=" in query or b"Key=" in query:
        match = _API_KEY_PARAM.search(query.decode("latin-1"))
        if match:
            return match.group(1)
    return None


async def _send_json(
    send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]]
) -> None:
    body = error_body(status, message)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_answer(send: Send, answer: Answer) -> None:
    status, body, headers = answer
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_preflight(send: Send) -> None:
    headers = [*_PREFLIGHT_HEADERS[1:], (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 204, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
