"""SOC occupations, crosswalks and reference classifications: native /v1 and LMI for All's SOC.

Also batch job-title coding (``/v1/code``). The compatible SOC shapes follow
``shared/reference/lmiforall-v1-api.md`` §1.1: SOC codes are SOC 2010 unit groups as JSON
integers; ``tasks`` is one string with items separated by ``;`` and newlines; ``add_titles``
lists the unit group's ONS coding-index titles (inverted form). Unknown query parameters are
ignored. Provenance travels in ``X-LMI-*`` headers so bodies keep their shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from lmi.api import classifications, params, release_info
from lmi.api.envelope import (
    error_body,
    json_response,
    ok_body,
)
from lmi.api.openapi import (
    CODE,
    NOT_FOUND,
    TAG_COMPAT,
    TAG_OPS,
    TAG_REF,
    TAG_SOC,
    TAG_XW,
    VERSION,
    Endpoint,
    Param,
)
from lmi.api.respond import Answer, compat, meta, native, served_snapshot
from lmi.errors import InvalidQuery
from lmi.search.service import MAX_CODE_TITLES, TooManyTitles, code_batch, code_request
from lmi.serve.snapshot import Group, Snapshot

Query = Mapping[str, str]

__all__ = [
    "compat_soc_routes",
    "crosswalk_routes",
    "occupation_routes",
    "reference_routes",
]


# -- LMI for All compatible: soc/code and soc/search -----------------------------------------

COMPAT_VERSION = "soc2010"


def soc_info(snap: Snapshot, group: Group) -> dict[str, Any]:
    return {
        "soc": int(group.code),
        "title": group.title,
        "description": group.description or "",
        "qualifications": group.entry_routes or "",
        "tasks": "\n ".join(group.tasks),
        "add_titles": snap.index_titles.get((COMPAT_VERSION, group.code), []),
    }


def compat_soc_code(snap: Snapshot, raw: str, query: Query) -> Answer:
    """Any SOC 2010 group (1 to 4 digits): apps follow ``ess/regions/ranksocs`` major groups
    (``soc: 5``) and ``coarse=true`` answers (``soc: 41``) up with ``soc/code/{soc}``."""
    group = params.soc_group(snap, COMPAT_VERSION, raw, parameter="soc", named=True)
    return Answer(soc_info(snap, group))


def compat_soc_search(snap: Snapshot, query: Query) -> Answer:
    q = params.text(query, "q", required=True, max_length=200)
    assert q is not None
    limit = params.integer(query, "limit", default=20, minimum=1, maximum=100)
    coder = snap.coders.get(COMPAT_VERSION)
    if coder is None:
        return Answer([])
    coding = coder.code(q, top=limit, expand=True)
    return Answer(
        [soc_info(snap, snap.groups[(COMPAT_VERSION, c.code)]) for c in coding.candidates]
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
        parsed = code_request(request.query_params, body)
    except TooManyTitles as exc:
        return _too_large(str(exc))
    data = await code_batch(snap.coders, parsed, request.app.state.settings)
    return json_response(ok_body(data, meta(snap, parsed.versions)))


# -- declarations ------------------------------------------------------------------------------

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
            "additionalProperties": False,
            "properties": {
                "titles": {
                    "type": "array",
                    "maxItems": 10_000,
                    "items": {
                        "oneOf": [
                            {"type": "string"},
                            {
                                "type": "object",
                                "required": ["title"],
                                "additionalProperties": False,
                                "properties": {
                                    k: {"type": "string"}
                                    for k in ("title", "industry", "description", "context")
                                },
                            },
                        ]
                    },
                },
                "soc": {"enum": ["2010", "2020", "soc2010", "soc2020", "both"]},
                "top": {"type": "integer", "minimum": 1, "maximum": 10},
            },
        },
    ],
    "example": ["snr java dev - London", "HGV class 1 driver (nights)", "manager"],
}


def occupation_routes() -> list[Endpoint]:
    sub = "/v1/occupations/{version}/{code}"
    return [
        Endpoint(
            "/v1/occupations",
            native(classifications.list_occupations),
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
            native(classifications.get_occupation, "version", "code"),
            "An occupation: title, ONS description, entry routes, tasks, related titles",
            TAG_SOC,
            (VERSION, CODE),
            responses=NOT_FOUND,
            example="/v1/occupations/soc2010/2136",
        ),
        Endpoint(
            f"{sub}/children",
            native(classifications.get_children, "version", "code"),
            "The groups directly below a code",
            TAG_SOC,
            (VERSION, CODE),
            responses=NOT_FOUND,
            example="/v1/occupations/soc2020/213/children",
        ),
        Endpoint(
            f"{sub}/ancestors",
            native(classifications.get_ancestors, "version", "code"),
            "The groups above a code, major group first",
            TAG_SOC,
            (VERSION, CODE),
            responses=NOT_FOUND,
            example="/v1/occupations/soc2020/2134/ancestors",
        ),
        Endpoint(
            f"{sub}/index-titles",
            native(classifications.get_index_titles, "version", "code"),
            "ONS coding-index job titles of a unit group",
            TAG_SOC,
            (VERSION, CODE),
            responses=NOT_FOUND,
            example="/v1/occupations/soc2010/2136/index-titles",
        ),
        Endpoint(
            "/v1/hierarchy/{version}",
            native(classifications.get_hierarchy, "version"),
            "The whole classification as a tree",
            TAG_SOC,
            (VERSION,),
            example="/v1/hierarchy/soc2020",
        ),
        Endpoint(
            "/v1/search/occupations",
            native(classifications.search_occupations),
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
                Param("soc", "SOC version, or both", enum=("2010", "2020", "both")),
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
                f'"top": 3}}: at most {MAX_CODE_TITLES:,} titles per request '
                "(413 beyond; 503 with Retry-After when the coder is busy). A title may be an "
                'object {"title", "industry", "description"} giving context; unknown keys are '
                "400. Each result: input, code, title, score, method, matched, route, status "
                "(coded, ambiguous or uncodable), normalised, ambiguous and alternatives; a "
                "blank or unrecognisable title has a null code. With soc=both each result "
                "holds a soc2010 and a soc2020 answer. " + CODER_NOTE
            ),
            methods=("GET", "POST"),
            request_body=CODE_BODY_SCHEMA,
            responses={413: "Too many titles or body too large"},
            example="/v1/code?title=snr+java+dev+-+London&title=HGV+class+1+driver&soc=2020",
        ),
    ]


def crosswalk_routes() -> list[Endpoint]:
    sub = "/v1/occupations/{version}/{code}"
    return [
        Endpoint(
            f"{sub}/convert",
            native(classifications.convert, "version", "code"),
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
            native(classifications.get_isco, "version", "code"),
            "ISCO-08 unit groups of a UK SOC unit group",
            TAG_XW,
            (VERSION, CODE),
            responses=NOT_FOUND,
            example="/v1/occupations/soc2020/2134/isco",
        ),
        Endpoint(
            f"{sub}/onet",
            native(classifications.get_onet, "version", "code"),
            "O*NET-SOC occupations mapped to a UK SOC unit group, with weights",
            TAG_XW,
            (VERSION, CODE),
            description=classifications.ONET_METHOD_NOTE,
            responses=NOT_FOUND,
            example="/v1/occupations/soc2010/2136/onet",
        ),
        Endpoint(
            "/v1/isco08/{code}",
            native(classifications.get_isco_group, "code"),
            "An ISCO-08 group, its UK SOC and US SOC mappings",
            TAG_XW,
            (Param("code", "ISCO-08 code", location="path", example="2512"),),
            responses=NOT_FOUND,
            example="/v1/isco08/2512",
        ),
        Endpoint(
            "/v1/onet/{code}",
            native(classifications.get_onet_occupation, "code"),
            "An O*NET-SOC occupation and the UK SOC unit groups it maps to",
            TAG_XW,
            (Param("code", "O*NET-SOC code", location="path", example="15-1252.00"),),
            responses=NOT_FOUND,
            example="/v1/onet/15-1252.00",
        ),
    ]


def reference_routes() -> list[Endpoint]:
    scheme = Param(
        "scheme", "cah, hecos or jacs", location="path", enum=classifications.SCHEMES, example="cah"
    )
    return [
        Endpoint(
            "/v1/regions",
            native(classifications.list_regions),
            "UK countries and English regions (ITL1) with LMI for All's 1–12 codes",
            TAG_REF,
            example="/v1/regions",
        ),
        Endpoint(
            "/v1/qualifications",
            native(classifications.list_qualifications),
            "The nine qualification levels",
            TAG_REF,
            example="/v1/qualifications",
        ),
        Endpoint(
            "/v1/sic2007",
            native(classifications.list_sic),
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
            native(classifications.get_sic, "code"),
            "A SIC 2007 group with its notes",
            TAG_REF,
            (Param("code", "SIC 2007 code", location="path", example="62.01"),),
            responses=NOT_FOUND,
            example="/v1/sic2007/62.01",
        ),
        Endpoint(
            "/v1/subjects/{scheme}",
            native(classifications.list_subjects, "scheme"),
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
            native(classifications.get_subject, "scheme", "code"),
            "A subject code, with its CAH mapping",
            TAG_REF,
            (scheme, Param("code", "Subject code", location="path", example="11-01")),
            responses=NOT_FOUND,
            example="/v1/subjects/cah/11-01",
        ),
        Endpoint(
            "/v1/release",
            release_info.get_release,
            "The release being served: datasets, sources and provenance",
            TAG_OPS,
            example="/v1/release",
        ),
    ]


def compat_soc_routes() -> list[Endpoint]:
    callback = Param("callback", "JSONP: wrap the JSON in callback(...)")
    return [
        Endpoint(
            "/api/v1/soc/code/{soc}",
            compat(compat_soc_code, "soc"),
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
            compat(compat_soc_search, keyed_by=("q", "limit")),
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
