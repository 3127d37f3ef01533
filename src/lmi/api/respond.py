"""The response kit every endpoint uses: one way to answer natively and one LMI-for-All way.

A handler parses its request, reads the snapshot's views and returns data; the wrappers here do
the rest once for every endpoint: the release-scoped response cache, ETag/304, br/gzip, the
envelope and provenance (native), LMI for All's bare shapes with provenance in ``X-LMI-*``
headers made ASCII (compatible), JSONP, and the edge shortcut (never for an endpoint that needs
a scoped API key: its route is marked ``restricted``). Nothing here knows the route table.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from lmi.api.access import require_scope
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
    "Answer",
    "ascii_header",
    "cached_or_jsonp",
    "cached_response",
    "compat",
    "compat_callback",
    "meta",
    "native",
    "no_data",
    "served_snapshot",
]

Query = Mapping[str, str]
#: a dataset's name (its provenance in the served release), or a provenance record outright
Provenance = str | dict[str, Any]


@dataclass(frozen=True, slots=True)
class Answer:
    """What every handler returns: its data, where the figures come from, and its own headers.

    ``provenance`` names datasets (the envelope lists each one's provenance in the served
    release) or gives provenance records outright (synthetic stand-ins, modelled sources).
    ``headers`` are an endpoint's own ``X-LMI-*`` headers, made ASCII when sent; a compatible
    answer without them carries the release's (:func:`compat_headers`). ``no_standin`` is set
    when ``data`` holds a synthetic stand-in for a dataset the release lacks: it is LMI for
    All's "no data" form of the same answer, which a compatible endpoint serves instead unless
    the operator opted in to stand-ins (``LMI_COMPAT_STANDINS``): strict clients cannot see a
    label, so invented figures must not reach them under a real shape by default.
    """

    data: Any
    provenance: Sequence[Provenance] = ()
    headers: Mapping[str, str] | None = None
    no_standin: Any = None


def served_snapshot(request: Request) -> Snapshot:
    """The snapshot answering this request: the release it pins (resolved by the edge, see
    :mod:`lmi.api.middleware`), else the one being served."""
    pinned: Snapshot | None = request.scope.get("lmi.snapshot")
    if pinned is not None:
        return pinned
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


#: renders an answer: its body and the headers that belong to it
Render = Callable[[], tuple[bytes, list[tuple[bytes, bytes]]]]


def cached_response(request: Request, snap: Snapshot, key: Hashable, render: Render) -> Response:
    """A body rendered once per release, with ETag/304, Cache-Control and br/gzip.

    Unless the endpoint is restricted to API keys with a scope, the answer is also remembered by
    its request target, for the edge to send again without routing (see
    :class:`lmi.serve.cache.Shortcut`).
    """
    entry = snap.responses.get(key)
    if entry is None:
        entry = make_entry(snap.release.id, *render())
        snap.responses.put(key, entry)
    scope = request.scope
    endpoint = scope.get("endpoint")
    found = make_shortcut(endpoint, entry, [])
    if endpoint is not None and not getattr(scope.get("route"), "restricted", False):
        snap.responses.add_shortcut(scope["path"], scope["query_string"], found)
    return PreparedResponse(snap.responses.answer(found, *request_conditions(scope)))


def meta(snap: Snapshot, provenance: Sequence[Provenance]) -> dict[str, Any]:
    return {
        "release": snap.release.as_dict(),
        "provenance": [snap.provenance(p) if isinstance(p, str) else p for p in provenance],
    }


def native(fn: Callable[..., Answer], *path_args: str) -> Handler:
    """Wrap ``fn(snapshot, *path_args, query) -> Answer`` as a cached ``/v1`` endpoint."""

    async def endpoint(request: Request) -> Response:
        snap = served_snapshot(request)
        args = [request.path_params[name] for name in path_args]
        key: Hashable = (fn.__name__, *args, request.scope["query_string"])

        def render() -> tuple[bytes, list[tuple[bytes, bytes]]]:
            answer = fn(snap, *args, request.query_params)
            own = _ascii_headers(answer.headers) if answer.headers else []
            return ok_body(answer.data, meta(snap, answer.provenance)), own

        return cached_response(request, snap, key, render)

    endpoint.__name__ = fn.__name__
    return endpoint


def compat(
    fn: Callable[..., Answer],
    *path_args: str,
    name: str | None = None,
    scope: str | None = None,
    keyed_by: tuple[str, ...] | None = None,
) -> Handler:
    """Wrap ``fn(snapshot, *path_args, query) -> Answer`` as an LMI-for-All-shaped endpoint.

    The bare body keeps LMI for All's shape; provenance travels in ``X-LMI-*`` headers (the
    answer's own, else the release's); ``?callback=`` wraps it as JSONP (not cached). ``name``
    is the endpoint's name in the route table, metrics and usage (default: the function's);
    ``scope``, the API-key scope it needs (checked before any cached answer is sent);
    ``keyed_by``, the only query parameters the answer depends on, so requests differing in
    others (a client's cache-busting ``_=``) share one cached answer.
    """

    async def endpoint(request: Request) -> Response:
        if scope is not None:
            require_scope(request, scope)
        snap = served_snapshot(request)
        callback = compat_callback(request)
        standins = compat_standins(request)
        args = [request.path_params[name] for name in path_args]
        key: Hashable = (endpoint.__name__, *args, _query_key(request, keyed_by))

        def render() -> tuple[bytes, list[tuple[bytes, bytes]]]:
            answer = fn(snap, *args, request.query_params)
            data = answer.data
            if answer.no_standin is not None and not standins:
                return dumps(answer.no_standin), _ascii_headers(
                    {**(answer.headers or {}), "X-LMI-Method": "none", **NO_STANDIN_HEADER}
                )
            if answer.headers is None:
                return dumps(data), compat_headers(snap)
            return dumps(data), _ascii_headers(answer.headers)

        return cached_or_jsonp(request, snap, key, callback, render)

    endpoint.__name__ = name or fn.__name__
    return endpoint


def _query_key(request: Request, keyed_by: tuple[str, ...] | None) -> Hashable:
    if keyed_by is None:
        query: bytes = request.scope["query_string"]
        return query
    return tuple(request.query_params.get(name) for name in keyed_by)


def no_data(
    snap: Snapshot,
    body: Any,
    note: str,
    *,
    source: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Answer:
    """A compatible answer with no figures: LMI for All's shape, empty, and why in words.

    The rule of the ``/api/v1`` layer: a well-formed request for figures lmi does not hold (a
    dataset the release lacks, a cell withheld, an area or year outside the data) keeps the
    endpoint's shape with nothing in it, never a 4xx (one 4xx takes down a page that awaits
    many calls together). ``note`` goes in ``X-LMI-Note``; a ``body`` that is an object should
    carry it too (lists and maps of numbers have no room for it). ``X-LMI-Method`` is ``none``.
    """
    found = {"X-LMI-Release": str(snap.release.id), "X-LMI-Method": "none", "X-LMI-Note": note}
    if source:
        found["X-LMI-Source"] = source
    return Answer(body, headers={**found, **(headers or {})})


NO_STANDIN_HEADER = {
    "X-LMI-Note": "lmi holds no figures for this dataset; a synthetic stand-in exists but is "
    "served here only when the operator sets LMI_COMPAT_STANDINS=true"
}


def compat_standins(request: Request) -> bool:
    """Whether the operator opted in to synthetic stand-ins under LMI for All's shapes."""
    settings = getattr(request.app.state, "settings", None)
    return bool(getattr(settings, "compat_standins", False))


#: JSONP parameter names clients use: jQuery's ``callback=?`` and the ``jsonp=`` some widgets send
CALLBACK_PARAMS = ("callback", "jsonp")


def compat_callback(request: Request) -> str | None:
    query: bytes = request.scope["query_string"]
    if b"callback=" not in query and b"jsonp=" not in query:  # the common case: no parsing
        return None
    for name in CALLBACK_PARAMS:
        callback = request.query_params.get(name)
        if callback is None or callback == "":
            continue
        if not valid_callback(callback):
            raise InvalidQuery(
                f"parameter {name!r} must be a JavaScript identifier (letters, digits, _, $, dots)",
                parameter=name,
            )
        return callback
    return None


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
    request: Request, snap: Snapshot, key: Hashable, callback: str | None, render: Render
) -> Response:
    """:func:`cached_response`, or for a JSONP ``callback`` the same body wrapped (not cached)."""
    if callback is None:
        return cached_response(request, snap, key, render)
    entry = snap.responses.get(key)
    body, own = (entry.body, entry.headers) if entry is not None else render()
    return json_response(body, callback=callback, headers=own)


def ascii_header(text: str) -> str:
    """Header text in ASCII: typographic dashes, quotes and signs spelled out, the rest ``?``."""
    for wide, narrow in ASCII_SPELLINGS:
        text = text.replace(wide, narrow)
    return text.encode("ascii", "replace").decode()


ASCII_SPELLINGS = (
    ("–", "-"),
    ("—", "-"),
    ("’", "'"),
    ("×", "x"),
    ("→", "->"),
    ("≥", ">="),
)


def _ascii_headers(headers: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    return encode_headers({name: ascii_header(value) for name, value in headers.items()})
