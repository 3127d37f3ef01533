"""The route table: every endpoint, declared once (routing, OpenAPI and the docs page)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from lmi.api import compat, native
from lmi.api.cache import make_entry, make_shortcut
from lmi.api.envelope import (
    PreparedResponse,
    dumps,
    encode_headers,
    error_body,
    json_response,
    ok_body,
    valid_callback,
)
from lmi.api.industries import industry_routes
from lmi.api.labour import labour_routes
from lmi.api.leo import leo_routes
from lmi.api.openapi import Endpoint, Handler, Param
from lmi.api.outlook import outlook_routes
from lmi.api.pathways import pathway_routes
from lmi.api.pay import pay_routes
from lmi.api.skills import skills_routes
from lmi.api.snapshot import Snapshot
from lmi.api.vacancies import vacancies_routes
from lmi.errors import InvalidQuery

__all__ = ["ENDPOINTS", "served_snapshot"]


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
    target, for the edge to send again without routing (see :class:`lmi.api.cache.Shortcut`).
    """
    entry = snap.responses.get(key)
    if entry is None:
        entry = make_entry(snap.release.id, *_body_and_headers(render))
        snap.responses.put(key, entry)
    scope = request.scope
    endpoint = scope.get("endpoint")
    found = make_shortcut(endpoint, entry, extra or [])
    if endpoint is not None and endpoint not in RESTRICTED_HANDLERS:
        snap.responses.add_shortcut(scope["path"], scope["query_string"], found)
    return PreparedResponse(snap.responses.answer(found, *request_conditions(scope)))


def meta(snap: Snapshot, datasets: tuple[str, ...]) -> dict[str, Any]:
    return {
        "release": snap.release.as_dict(),
        "provenance": [snap.provenance(d) for d in datasets],
    }


def native_handler(fn: Callable[..., native.Result], *path_args: str) -> Handler:
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
    found: list[tuple[bytes, bytes]] | None = snap.cache.get("compat_headers")
    if found is None:
        found = encode_headers(
            {
                "X-LMI-Release": str(snap.release.id),
                "X-LMI-Method": snap.release.method,
                "X-LMI-Source": snap.provenance("soc2010")["source"],
            }
        )
        snap.cache["compat_headers"] = found
    return found


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


async def compat_soc_code(request: Request) -> Response:
    snap = served_snapshot(request)
    callback = compat_callback(request)
    soc = request.path_params["soc"]
    return compat_response(
        request, snap, ("compat_soc_code", soc), callback, lambda: dumps(compat.soc_code(snap, soc))
    )


async def compat_soc_search(request: Request) -> Response:
    snap = served_snapshot(request)
    callback = compat_callback(request)
    query = request.query_params
    key = ("compat_soc_search", query.get("q"), query.get("limit"))
    return compat_response(
        request, snap, key, callback, lambda: dumps(compat.soc_search(snap, query))
    )


#: largest ``POST /v1/code`` body accepted (10,000 titles of 100 characters fit easily)
MAX_CODE_BODY = 4_000_000


def _too_large(message: str) -> Response:
    return json_response(
        error_body(413, message, [{"parameter": "titles", "message": message}]), status=413
    )


async def code_titles(request: Request) -> Response:
    """``GET /v1/code?title=…&title=…`` or ``POST /v1/code`` with a JSON body: batch coding."""
    snap = served_snapshot(request)
    body: Any = None
    if request.method == "POST":
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_CODE_BODY:
            return _too_large(f"request body larger than {MAX_CODE_BODY} bytes")
        raw = await request.body()
        if len(raw) > MAX_CODE_BODY:
            return _too_large(f"request body larger than {MAX_CODE_BODY} bytes")
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise InvalidQuery(
                "the body must be JSON: a list of titles", parameter="titles"
            ) from None
        if not isinstance(body, list | dict):
            raise InvalidQuery("the body must be a JSON list or object", parameter="titles")
    try:
        parsed = native.code_request(request.query_params, body)
    except native.TooManyTitles as exc:
        return _too_large(str(exc))
    data, datasets = native.code_titles(snap, parsed)
    return json_response(ok_body(data, meta(snap, datasets)))


async def healthz(request: Request) -> Response:
    return json_response(dumps({"ok": True, "data": {"status": "alive"}}))


async def readyz(request: Request) -> Response:
    served = request.app.state.served
    if not served.ready:
        return json_response(error_body(503, served.last_error or "not ready"), status=503)
    release = served.snapshot.release
    return json_response(
        dumps({"ok": True, "data": {"status": "ready", "release": release.as_dict()}})
    )


# -- declarations ------------------------------------------------------------------------------

VERSION = Param(
    "version",
    "SOC version: soc2010 or soc2020 (2010 and 2020 accepted)",
    location="path",
    enum=("soc2010", "soc2020"),
    example="soc2010",
)
CODE = Param(
    "code", "SOC code, 1 to 4 digits", location="path", example="2136", pattern="^[0-9]{1,4}$"
)
NOT_FOUND = {404: "Unknown code or dataset not loaded"}
TAG_SOC, TAG_XW, TAG_REF, TAG_COMPAT, TAG_OPS = (
    "Occupations",
    "Crosswalks",
    "Reference classifications",
    "LMI for All compatible",
    "Operations",
)


CODER_NOTE = (
    "Scores are calibrated (0–1: the observed precision of answers with that score on the "
    "development set); method is exact (an ONS coding-index title after normalisation), alias "
    "(a cross-reference, Volume 1 related title or group title) or fuzzy (similarity); "
    "ambiguous flags bare titles such as 'manager' that the index codes only with an industry."
)
CODE_BODY_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "array", "items": {"type": "string"}, "maxItems": 10_000},
        {
            "type": "object",
            "required": ["titles"],
            "properties": {
                "titles": {"type": "array", "items": {"type": "string"}, "maxItems": 10_000},
                "soc": {"enum": ["2010", "2020", "soc2010", "soc2020"]},
                "top": {"type": "integer", "minimum": 1, "maximum": 10},
            },
        },
    ],
    "example": ["snr java dev - London", "HGV class 1 driver (nights)", "manager"],
}


def _occupation_routes() -> list[Endpoint]:
    sub = "/v1/occupations/{version}/{code}"
    return [
        Endpoint(
            "/v1/occupations",
            native_handler(native.list_occupations),
            "List occupations",
            TAG_SOC,
            (
                Param("soc", "SOC version", enum=("2010", "2020")),
                Param("level", "Level", enum=("major", "sub_major", "minor", "unit_group")),
                Param("parent", "Only groups within this code", example="21"),
            ),
            example="/v1/occupations?soc=2020&level=unit_group&parent=213",
        ),
        Endpoint(
            sub,
            native_handler(native.get_occupation, "version", "code"),
            "An occupation: title, ONS description, entry routes, tasks, related titles",
            TAG_SOC,
            (VERSION, CODE),
            responses=NOT_FOUND,
            example="/v1/occupations/soc2010/2136",
        ),
        Endpoint(
            f"{sub}/children",
            native_handler(native.get_children, "version", "code"),
            "The groups directly below a code",
            TAG_SOC,
            (VERSION, CODE),
            responses=NOT_FOUND,
            example="/v1/occupations/soc2020/213/children",
        ),
        Endpoint(
            f"{sub}/ancestors",
            native_handler(native.get_ancestors, "version", "code"),
            "The groups above a code, major group first",
            TAG_SOC,
            (VERSION, CODE),
            responses=NOT_FOUND,
            example="/v1/occupations/soc2020/2134/ancestors",
        ),
        Endpoint(
            f"{sub}/index-titles",
            native_handler(native.get_index_titles, "version", "code"),
            "ONS coding-index job titles of a unit group",
            TAG_SOC,
            (VERSION, CODE),
            responses=NOT_FOUND,
            example="/v1/occupations/soc2010/2136/index-titles",
        ),
        Endpoint(
            "/v1/hierarchy/{version}",
            native_handler(native.get_hierarchy, "version"),
            "The whole classification as a tree",
            TAG_SOC,
            (VERSION,),
            example="/v1/hierarchy/soc2020",
        ),
        Endpoint(
            "/v1/search/occupations",
            native_handler(native.search_occupations),
            "Search unit groups by job title",
            TAG_SOC,
            (
                Param(
                    "q",
                    "Job title as written, e.g. in an advert",
                    required=True,
                    example="snr java dev - London",
                ),
                Param("soc", "SOC version", enum=("2010", "2020")),
                Param("limit", "Maximum results (1–100)", type="integer", minimum=1, maximum=100),
                Param("context", "Optional industry or description text, to break ties"),
            ),
            description=CODER_NOTE,
            example="/v1/search/occupations?q=software+developer&soc=2020",
        ),
        Endpoint(
            "/v1/code",
            code_titles,
            "Code job titles to SOC unit groups in batch (up to 10,000 per request)",
            TAG_SOC,
            (
                Param(
                    "title", "A job title (GET; repeat for several)", example="HGV class 1 driver"
                ),
                Param("soc", "SOC version", enum=("2010", "2020")),
                Param(
                    "top",
                    "Answers per title, best first (1–10)",
                    type="integer",
                    minimum=1,
                    maximum=10,
                ),
            ),
            description=(
                f'POST a JSON list of titles, or {{"titles": [...], "soc": "2020", '
                f'"top": 3}}: at most {native.MAX_CODE_TITLES:,} titles per request '
                "(413 beyond). Each result: input, code, title, score, method, matched, "
                "ambiguous and alternatives; a blank or unrecognisable title has a null code. "
                + CODER_NOTE
            ),
            methods=("GET", "POST"),
            request_body=CODE_BODY_SCHEMA,
            responses={413: "Too many titles or body too large"},
            example="/v1/code?title=snr+java+dev+-+London&title=HGV+class+1+driver&soc=2020",
        ),
    ]


def _crosswalk_routes() -> list[Endpoint]:
    sub = "/v1/occupations/{version}/{code}"
    return [
        Endpoint(
            f"{sub}/convert",
            native_handler(native.convert, "version", "code"),
            "Re-express a unit group in the other SOC version, with proportions",
            TAG_XW,
            (
                VERSION,
                CODE,
                Param("to", "Target version (default: the other one)", enum=("soc2010", "soc2020")),
                Param(
                    "basis",
                    "census or lfs (ONS dual coding) or index (job-title counts)",
                    enum=("census", "lfs", "index"),
                ),
                Param("sex", "all, men or women (dual-coding bases)", enum=("all", "men", "women")),
                Param("value", "A figure to apportion across the targets", type="number"),
            ),
            description=(
                "SOC2010→SOC2020 uses the ONS dual-coding proportions (observed); "
                "SOC2020→SOC2010 the share of each SOC2020 group's dual-coded records "
                "coming from each SOC2010 group (modelled)."
            ),
            responses=NOT_FOUND,
            example="/v1/occupations/soc2010/2136/convert?to=soc2020&value=1000",
        ),
        Endpoint(
            f"{sub}/isco",
            native_handler(native.get_isco, "version", "code"),
            "ISCO-08 unit groups of a UK SOC unit group",
            TAG_XW,
            (VERSION, CODE),
            responses=NOT_FOUND,
            example="/v1/occupations/soc2020/2134/isco",
        ),
        Endpoint(
            f"{sub}/onet",
            native_handler(native.get_onet, "version", "code"),
            "O*NET-SOC occupations mapped to a UK SOC unit group, with weights",
            TAG_XW,
            (VERSION, CODE),
            description=native.ONET_METHOD_NOTE,
            responses=NOT_FOUND,
            example="/v1/occupations/soc2010/2136/onet",
        ),
        Endpoint(
            "/v1/isco08/{code}",
            native_handler(native.get_isco_group, "code"),
            "An ISCO-08 group, its UK SOC and US SOC mappings",
            TAG_XW,
            (Param("code", "ISCO-08 code", location="path", example="2512"),),
            responses=NOT_FOUND,
            example="/v1/isco08/2512",
        ),
        Endpoint(
            "/v1/onet/{code}",
            native_handler(native.get_onet_occupation, "code"),
            "An O*NET-SOC occupation and the UK SOC unit groups it maps to",
            TAG_XW,
            (Param("code", "O*NET-SOC code", location="path", example="15-1252.00"),),
            responses=NOT_FOUND,
            example="/v1/onet/15-1252.00",
        ),
    ]


def _reference_routes() -> list[Endpoint]:
    scheme = Param(
        "scheme", "cah, hecos or jacs", location="path", enum=native.SCHEMES, example="cah"
    )
    return [
        Endpoint(
            "/v1/regions",
            native_handler(native.list_regions),
            "UK countries and English regions (ITL1) with LMI for All's 1–12 codes",
            TAG_REF,
            example="/v1/regions",
        ),
        Endpoint(
            "/v1/qualifications",
            native_handler(native.list_qualifications),
            "The nine qualification levels",
            TAG_REF,
            example="/v1/qualifications",
        ),
        Endpoint(
            "/v1/sic2007",
            native_handler(native.list_sic),
            "SIC 2007 groups",
            TAG_REF,
            (
                Param(
                    "level",
                    "section, division, group, class or subclass",
                    enum=("section", "division", "group", "class", "subclass"),
                ),
                Param("parent", "Only groups directly below this code"),
            ),
            example="/v1/sic2007?level=division&parent=J",
        ),
        Endpoint(
            "/v1/sic2007/{code}",
            native_handler(native.get_sic, "code"),
            "A SIC 2007 group with its notes",
            TAG_REF,
            (Param("code", "SIC 2007 code", location="path", example="62.01"),),
            responses=NOT_FOUND,
            example="/v1/sic2007/62.01",
        ),
        Endpoint(
            "/v1/subjects/{scheme}",
            native_handler(native.list_subjects, "scheme"),
            "Higher-education subject codes (CAH, HECoS, JACS)",
            TAG_REF,
            (
                scheme,
                Param("level", "Level within the scheme"),
                Param("parent", "Only codes directly below this one"),
            ),
            example="/v1/subjects/cah?level=cah1",
        ),
        Endpoint(
            "/v1/subjects/{scheme}/{code}",
            native_handler(native.get_subject, "scheme", "code"),
            "A subject code, with its CAH mapping",
            TAG_REF,
            (scheme, Param("code", "Subject code", location="path", example="11-01")),
            responses=NOT_FOUND,
            example="/v1/subjects/cah/11-01",
        ),
        Endpoint(
            "/v1/release",
            native_handler(native.get_release),
            "The release being served: datasets, sources and provenance",
            TAG_OPS,
            example="/v1/release",
        ),
    ]


def _compat_routes() -> list[Endpoint]:
    callback = Param("callback", "JSONP: wrap the JSON in callback(...)")
    return [
        Endpoint(
            "/api/v1/soc/code/{soc}",
            compat_soc_code,
            "LMI for All: a SOC 2010 unit group",
            TAG_COMPAT,
            (
                Param(
                    "soc",
                    "SOC 2010 unit group (4 digits)",
                    location="path",
                    type="integer",
                    example="2136",
                    minimum=1000,
                    maximum=9999,
                ),
                callback,
            ),
            responses=NOT_FOUND,
            example="/api/v1/soc/code/2136",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/soc/search",
            compat_soc_search,
            "LMI for All: search SOC 2010 unit groups by job title, best first",
            TAG_COMPAT,
            (
                Param("q", "Search words", required=True, example="programmer"),
                Param("limit", "Maximum results (1–100, default 20)", type="integer"),
                callback,
            ),
            example="/api/v1/soc/search?q=programmer",
            envelope=False,
        ),
    ]


def _ops_routes() -> list[Endpoint]:
    return [
        Endpoint("/healthz", healthz, "Liveness", TAG_OPS, example="/healthz", envelope=False),
        Endpoint(
            "/readyz",
            readyz,
            "Readiness: 200 when a production release is loaded",
            TAG_OPS,
            responses={503: "No release loaded"},
            example="/readyz",
            envelope=False,
        ),
    ]


#: hottest routes first: the router tries them in order
ENDPOINTS: tuple[Endpoint, ...] = (
    *_compat_routes(),
    *_occupation_routes(),
    *_crosswalk_routes(),
    *_reference_routes(),
    *skills_routes(),
    *_ops_routes(),
    *pay_routes(),
    *outlook_routes(),
    *industry_routes(),
    *leo_routes(),
    *pathway_routes(),
    *vacancies_routes(),
    *labour_routes(),
)

#: handlers that need an API key with a scope: their answers never become edge shortcuts
RESTRICTED_HANDLERS = frozenset(endpoint.handler for endpoint in ENDPOINTS if endpoint.scope)
