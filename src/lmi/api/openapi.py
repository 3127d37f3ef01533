"""Endpoint declarations, from which both the routes and the OpenAPI 3.1 document are made.

Declaring each endpoint once keeps ``/openapi.json`` listing every route by construction.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import Response

__all__ = ["Endpoint", "Param", "openapi_document", "parameter_example"]

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    location: str = "query"  # query | path
    type: str = "string"  # string | integer | number | boolean
    required: bool = False
    enum: tuple[str, ...] = ()
    example: str | None = None
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": self.type}
        if self.enum:
            schema["enum"] = list(self.enum)
        if self.pattern:
            schema["pattern"] = self.pattern
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema


@dataclass(frozen=True)
class Endpoint:
    path: str
    handler: Handler
    summary: str
    tag: str
    params: tuple[Param, ...] = ()
    description: str = ""
    example: str | None = None  # a working example URL path, for the docs page
    methods: tuple[str, ...] = ("GET",)
    responses: dict[int, str] = field(default_factory=dict)
    envelope: bool = True  # False: LMI for All shape or plain probe
    scope: str | None = None  # an API key with this scope is required
    request_body: dict[str, Any] | None = None  # JSON schema of a POST body

    @property
    def operation_id(self) -> str:
        return self.handler.__name__


# -- declarations shared by every theme's routes ------------------------------------------------

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


ENVELOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ok", "data", "meta"],
    "properties": {
        "ok": {"const": True},
        "data": {},
        "meta": {
            "type": "object",
            "properties": {
                "release": {"$ref": "#/components/schemas/Release"},
                "provenance": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Provenance"},
                },
            },
        },
    },
}

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ok", "status", "error", "errors"],
    "properties": {
        "ok": {"const": False},
        "status": {"type": "integer"},
        "error": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"parameter": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

RELEASE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The data release that answered",
    "required": ["id"],
    "properties": {
        "id": {"type": "integer"},
        "label": {"type": ["string", "null"]},
        "status": {"type": ["string", "null"], "description": "production, test, archived…"},
        "kind": {"type": ["string", "null"], "description": "official or synthetic (demo)"},
        "created_at": {"type": ["string", "null"], "format": "date-time"},
        "promoted_at": {"type": ["string", "null"], "format": "date-time"},
    },
}

PROVENANCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["source", "release", "method"],
    "properties": {
        "dataset": {"type": "string"},
        "source": {"type": "string"},
        "publisher": {"type": ["string", "null"]},
        "licence": {"type": ["string", "null"]},
        "release": {"type": "integer"},
        "method": {"enum": ["observed", "modelled", "synthetic"]},
    },
}


#: examples of parameters that neither declare one nor appear in their endpoint's example URL
#: (by name: these mean the same wherever they appear)
FALLBACK_EXAMPLES: dict[str, tuple[str, ...]] = {
    "callback": ("handleData",),
    "context": ("software house",),
    "parent": ("2",),
    "level": ("unit_group", "3"),  # a SOC level, or an apprenticeship level (integer)
    "q": ("nurse",),
    "filters": ("region:7",),
    "breakdown": ("region",),
    "filterBy": ("gender:2",),
    "domain": ("skills",),
    "sections": ("skills,knowledge",),
    "pool": ("true",),
    "coarse": ("true",),
    "rank": ("1",),
    "route": ("Digital",),
    "limit": ("5",),
    "year": ("2021",),
    "region": ("7",),
    "minYear": ("2020",),
    "maxYear": ("2022",),
    "job_zone": ("4,5",),
    "knowledge": ("2.C.3.a",),  # O*NET element ids: Computers and Electronics
    "interests": ("1.B.1.b",),  # Investigative
    "abilities": ("1.A.1.a.1",),  # Oral Comprehension
    "work_activities": ("4.A.3.b.1",),  # Working with Computers
}
#: answers that are not cached per release, so carry no ETag and never answer 304
UNCONDITIONAL = frozenset({"healthz", "readyz", "code_titles"})
JSONP_CALLBACK = FALLBACK_EXAMPLES["callback"][0]


def _coerce(value: str, kind: str) -> str | int | float | bool:
    """An example in its parameter's JSON type (query strings are text; the schema is not)."""
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean":
        return value.lower() in ("1", "true", "yes")
    return value


def _from_example_url(endpoint: Endpoint) -> dict[str, str]:
    """Parameter values read from the endpoint's working example URL (path and query)."""
    if not endpoint.example:
        return {}
    parts = urlsplit(endpoint.example)
    found = {name: values[0] for name, values in parse_qs(parts.query).items()}
    pattern = re.sub(r"\\{(\w+)(?::\w+)?\\}", r"(?P<\1>[^/]+)", re.escape(endpoint.path))
    match = re.fullmatch(pattern, parts.path)
    if match:
        found.update(match.groupdict())
    return found


def parameter_example(endpoint: Endpoint, param: Param) -> str | int | float | bool | None:
    """The declared example, else the value in the endpoint's example URL, else a known one.

    Deriving examples from the one working URL each endpoint already declares keeps a single
    source: the docs page, the try-it explorer and the OpenAPI document all show the same values.
    """
    candidates = [param.example, _from_example_url(endpoint).get(param.name)]
    candidates += [*param.enum[:1], *FALLBACK_EXAMPLES.get(param.name, ())]
    if param.type in ("integer", "number"):
        candidates.append(str(param.minimum if param.minimum is not None else 10))
    if param.type == "boolean":
        candidates.append("true")
    for candidate in candidates:
        if candidate is None:
            continue
        value = _coerce(candidate, param.type)
        if param.type in ("integer", "number") and isinstance(value, str):
            continue  # not a number: try the next candidate
        return value
    return None


def _with_query(url: str, extra: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{extra}"


def _error_example(status: int, text: str) -> dict[str, Any]:
    return {"ok": False, "status": status, "error": text, "errors": []}


def _error_response(status: int, text: str, **more: Any) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Error"}
    return {
        "description": text,
        "content": {
            "application/json": {"schema": schema, "example": _error_example(status, text)}
        },
        **more,
    }


#: statuses any request may meet at the edge or while no release is loaded (lmi.api.middleware)
SHARED_RESPONSES: dict[str, Any] = {
    "NotModified": {
        "description": "Not modified: the If-None-Match ETag names this release's body",
        "headers": {"ETag": {"schema": {"type": "string"}}},
    },
    "Unauthorized": _error_response(401, "Unknown or revoked API key (only when a key is sent)"),
    "TooLarge": _error_response(413, "Request body larger than LMI_MAX_BODY_BYTES"),
    "UriTooLong": _error_response(414, "Query string longer than LMI_MAX_QUERY_LENGTH"),
    "RateLimited": _error_response(
        429,
        "Rate limit exceeded: retry after the number of seconds in Retry-After",
        headers={"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}},
    ),
    "NotReady": _error_response(503, "No release loaded yet"),
    "ReleaseGone": _error_response(
        410, "The pinned release is no longer retained (or was rolled back): see /v1/releases"
    ),
}
#: paths answered from a release, where ``?release=`` / ``X-LMI-Release`` pins one
PINNABLE = ("/v1/", "/api/")
RELEASE = Param(
    "release",
    "Answer from this release while it is retained (see /v1/releases; the X-LMI-Release "
    "request header does the same); 410 once it is not, 404 for an unpublished id",
    type="integer",
    minimum=1,
    example="1",
)


def _ok_response(endpoint: Endpoint, method: str) -> dict[str, Any]:
    """The 200 answer: its schema, and the live answer of the example URL as its example."""
    ok_schema: dict[str, Any] = (
        {"$ref": "#/components/schemas/Envelope"} if endpoint.envelope else {}
    )
    json_media: dict[str, Any] = {"schema": ok_schema}
    content: dict[str, Any] = {"application/json": json_media}
    if method == "POST" and endpoint.request_body is not None:
        json_media["example"] = {"ok": True, "data": [], "meta": {"release": {}, "provenance": []}}
    elif endpoint.example:
        json_media["examples"] = {
            "live": {"summary": "What this server answers", "externalValue": endpoint.example}
        }
    if any(p.name == "callback" for p in endpoint.params):
        jsonp: dict[str, Any] = {"schema": {"type": "string"}}
        if endpoint.example:
            url = _with_query(endpoint.example, f"callback={JSONP_CALLBACK}")
            jsonp["examples"] = {"jsonp": {"summary": "JSONP", "externalValue": url}}
        content["application/javascript"] = jsonp
    headers = (
        {} if endpoint.operation_id in UNCONDITIONAL else {"ETag": {"schema": {"type": "string"}}}
    )
    return {
        "description": "Success",
        "content": content,
        **({"headers": headers} if headers else {}),
    }


def _operation(endpoint: Endpoint, method: str) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": _ok_response(endpoint, method)}
    if method == "GET" and endpoint.operation_id not in UNCONDITIONAL:
        responses["304"] = {"$ref": "#/components/responses/NotModified"}
    for status, text in sorted({400: "Invalid parameter", **endpoint.responses}.items()):
        responses[str(status)] = _error_response(status, text)
    shared = {"401": "Unauthorized", "413": "TooLarge", "414": "UriTooLong", "429": "RateLimited"}
    if endpoint.envelope or endpoint.path.startswith("/api/"):
        shared["503"] = "NotReady"
    params = list(endpoint.params)
    if endpoint.path.startswith(PINNABLE) and all(p.name != RELEASE.name for p in params):
        params.append(RELEASE)
        shared["410"] = "ReleaseGone"
        responses.setdefault("404", _error_response(404, "No published release with that id"))
    for code, name in shared.items():
        responses.setdefault(code, {"$ref": f"#/components/responses/{name}"})
    operation: dict[str, Any] = {
        "operationId": endpoint.operation_id
        if len(endpoint.methods) == 1
        else f"{endpoint.operation_id}_{method.lower()}",
        "summary": endpoint.summary,
        "tags": [endpoint.tag],
        "parameters": [_parameter(endpoint, p) for p in params],
        "responses": dict(sorted(responses.items())),
    }
    if endpoint.description:
        operation["description"] = endpoint.description
    if endpoint.request_body is not None and method in ("POST", "PUT", "PATCH"):
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": endpoint.request_body}},
        }
    if endpoint.scope:
        keyed = [{"ApiKeyHeader": [endpoint.scope]}, {"ApiKeyQuery": [endpoint.scope]}]
        operation["security"] = keyed
    return operation


def _parameter(endpoint: Endpoint, param: Param) -> dict[str, Any]:
    example = parameter_example(endpoint, param)
    return {
        "name": param.name,
        "in": param.location,
        "required": param.required or param.location == "path",
        "description": param.description,
        "schema": param.schema(),
        **({"example": example} if example is not None else {}),
    }


def openapi_document(endpoints: Sequence[Endpoint], *, version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        for method in endpoint.methods:
            paths.setdefault(endpoint.path, {})[method.lower()] = _operation(endpoint, method)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "lmi — UK labour-market information API",
            "version": version,
            "description": (
                "Read-only JSON API over official UK classifications and labour-market data. "
                "Native endpoints under /v1 answer in one envelope with provenance on every "
                "figure; /api/v1 answers LMI for All's v1 paths in their exact shapes."
            ),
            "license": {"name": "MIT (code); data under each source's licence"},
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "ApiKeyQuery": {"type": "apiKey", "in": "query", "name": "api_key"},
            },
            "responses": SHARED_RESPONSES,
            "schemas": {
                "Envelope": ENVELOPE_SCHEMA,
                "Error": ERROR_SCHEMA,
                "Provenance": PROVENANCE_SCHEMA,
                "Release": RELEASE_SCHEMA,
            },
        },
    }
