"""The response kit every endpoint uses: one way to answer natively and one LMI-for-All way.

A handler parses its request, reads the snapshot's views and returns data; the wrappers here do
the rest once for every endpoint: the release-scoped response cache, ETag/304, br/gzip, the
envelope and provenance (native), LMI for All's bare shapes with provenance in ``X-LMI-*``
headers made ASCII (compatible), JSONP, and the edge shortcut (never for an endpoint that needs
a scoped API key: its route is marked ``restricted``). Nothing here knows the route table.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from lmi.api.envelope import (
    PreparedResponse,
    dumps,
    encode_headers,
    json_response,
    ok_body,
    valid_callback,
)
from lmi.api.openapi import Handler
from lmi.errors import InvalidQuery
from lmi.serve.cache import make_entry, make_shortcut
from lmi.serve.snapshot import Derived, Snapshot

__all__ = [
    "CompatResult",
    "NativeResult",
    "Result",
    "cached_or_jsonp",
    "cached_response",
    "compat_callback",
    "compat_endpoint",
    "compat_response",
    "meta",
    "native_endpoint",
    "native_handler",
    "served_snapshot",
]

Query = Mapping[str, str]
Path = Mapping[str, str]
#: what a native handler returns: its data and the datasets whose provenance the envelope lists
Result = tuple[Any, tuple[str, ...]]
#: a native handler that states its own provenance (e.g. synthetic stand-ins)
NativeResult = tuple[Any, list[dict[str, Any]]]
#: an LMI-for-All-shaped body and the ``X-LMI-*`` headers that say where it comes from
CompatResult = tuple[Any, dict[str, str]]


def served_snapshot(request: Request) -> Snapshot:
    snapshot: Snapshot = request.app.state.served.snapshot
    return snapshot


def request_conditions(scope: Scope) -> tuple[bytes | None, bytes | None]:
    """The raw ``If-None-Match`` and ``Accept-Encoding`` request headers."""
    if_none_match, accept_encoding = None, None
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            if_none_match = value
        elif name == b"accept-encoding":
            accept_encoding = value
    return if_none_match, accept_encoding


Render = Callable[[], bytes | tuple[bytes, list[tuple[bytes, bytes]]]]


def _body_and_headers(render: Render) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    rendered = render()
    return rendered if isinstance(rendered, tuple) else (rendered, [])


def cached_response(
    request: Request,
    snap: Snapshot,
    key: Hashable,
    render: Render,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> Response:
    """A body rendered once per release, with ETag/304, Cache-Control and br/gzip.

    ``render`` may return the body, or the body with headers that belong to it. Unless the
    endpoint is restricted to API keys with a scope, the answer is also remembered by its request
    target, for the edge to send again without routing (see :class:`lmi.serve.cache.Shortcut`).
    """
    entry = snap.responses.get(key)
    if entry is None:
        entry = make_entry(snap.release.id, *_body_and_headers(render))
        snap.responses.put(key, entry)
    scope = request.scope
    endpoint = scope.get("endpoint")
    found = make_shortcut(endpoint, entry, extra or [])
    if endpoint is not None and not getattr(scope.get("route"), "restricted", False):
        snap.responses.add_shortcut(scope["path"], scope["query_string"], found)
    return PreparedResponse(snap.responses.answer(found, *request_conditions(scope)))


def meta(snap: Snapshot, datasets: tuple[str, ...]) -> dict[str, Any]:
    return {
        "release": snap.release.as_dict(),
        "provenance": [snap.provenance(d) for d in datasets],
    }


def native_handler(fn: Callable[..., Result], *path_args: str) -> Handler:
    """Wrap a ``fn(snapshot, *path_args, query) -> (data, datasets)`` as a cached endpoint."""

    async def endpoint(request: Request) -> Response:
        snap = served_snapshot(request)
        args = [request.path_params[name] for name in path_args]
        key = (fn.__name__, *args, request.scope["query_string"])

        def render() -> bytes:
            data, datasets = fn(snap, *args, request.query_params)
            return ok_body(data, meta(snap, datasets))

        return cached_response(request, snap, key, render)

    endpoint.__name__ = fn.__name__
    return endpoint


def compat_callback(request: Request) -> str | None:
    if b"callback=" not in request.scope["query_string"]:  # the common case: no parsing
        return None
    callback = request.query_params.get("callback")
    if callback is None or callback == "":
        return None
    if not valid_callback(callback):
        raise InvalidQuery(
            "parameter 'callback' must be a JavaScript identifier (letters, digits, _, $, dots)",
            parameter="callback",
        )
    return callback


def compat_headers(snap: Snapshot) -> list[tuple[bytes, bytes]]:
    """Provenance headers of compatible responses (their bodies keep LMI for All's shape)."""
    return snap.derived(COMPAT_HEADERS)


def _compat_headers(snap: Snapshot) -> list[tuple[bytes, bytes]]:
    return encode_headers(
        {
            "X-LMI-Release": str(snap.release.id),
            "X-LMI-Method": snap.release.method,
            "X-LMI-Source": snap.provenance("soc2010")["source"],
        }
    )


COMPAT_HEADERS = Derived("compat provenance headers", _compat_headers)


def cached_or_jsonp(
    request: Request,
    snap: Snapshot,
    key: Hashable,
    callback: str | None,
    render: Render,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> Response:
    """:func:`cached_response`, or for a JSONP ``callback`` the same body wrapped (not cached)."""
    if callback is None:
        return cached_response(request, snap, key, render, extra)
    entry = snap.responses.get(key)
    body, own = (entry.body, entry.headers) if entry is not None else _body_and_headers(render)
    return json_response(body, callback=callback, headers=[*own, *(extra or [])])


def compat_response(
    request: Request, snap: Snapshot, key: Hashable, callback: str | None, render: Render
) -> Response:
    """A compatible body (LMI for All's shape) with the provenance headers it lacks."""
    return cached_or_jsonp(request, snap, key, callback, render, compat_headers(snap))


def compat_endpoint(name: str, fn: Callable[[Snapshot, Path, Query], CompatResult]) -> Handler:
    """An LMI-for-All-shaped endpoint: rendered once per release (ETag, gzip) or JSONP."""

    async def endpoint(request: Request) -> Response:
        snap = served_snapshot(request)
        callback = compat_callback(request)
        scope = request.scope
        key: Hashable = (name, scope["path"], scope["query_string"])

        def render() -> tuple[bytes, list[tuple[bytes, bytes]]]:
            data, headers = fn(snap, request.path_params, request.query_params)
            ascii_headers = {k: ascii_header(v) for k, v in headers.items()}
            return dumps(data), encode_headers(ascii_headers)

        return cached_or_jsonp(request, snap, key, callback, render)

    endpoint.__name__ = name
    return endpoint


def ascii_header(text: str) -> str:
    for wide, narrow in (("–", "-"), ("—", "-"), ("’", "'"), ("×", "x"), ("→", "->")):
        text = text.replace(wide, narrow)
    return text.encode("ascii", "replace").decode()


def native_endpoint(fn: Callable[..., NativeResult], *path_args: str) -> Handler:
    """A native endpoint whose handler names its own provenance (e.g. synthetic stand-ins)."""

    async def endpoint(request: Request) -> Response:
        snap = served_snapshot(request)
        args = [request.path_params[name] for name in path_args]
        key: Hashable = (fn.__name__, *args, request.scope["query_string"])

        def render() -> bytes:
            data, prov = fn(snap, *args, request.query_params)
            return ok_body(data, {"release": snap.release.as_dict(), "provenance": prov})

        return cached_response(request, snap, key, render)

    endpoint.__name__ = fn.__name__
    return endpoint
