"""Endpoint declarations, from which both the routes and the OpenAPI 3.1 document are made.

Declaring each endpoint once keeps ``/openapi.json`` listing every route by construction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

__all__ = ["Endpoint", "Param", "openapi_document"]

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
                "release": {"type": "object"},
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


def _operation(endpoint: Endpoint, method: str) -> dict[str, Any]:
    ok_schema: dict[str, Any] = (
        {"$ref": "#/components/schemas/Envelope"} if endpoint.envelope else {}
    )
    responses: dict[str, Any] = {
        "200": {
            "description": "Success",
            "content": {"application/json": {"schema": ok_schema}},
        },
    }
    error_ref = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    }
    for status, text in {400: "Invalid parameter", **endpoint.responses}.items():
        responses[str(status)] = {"description": text, **error_ref}
    operation: dict[str, Any] = {
        "operationId": endpoint.operation_id
        if len(endpoint.methods) == 1
        else f"{endpoint.operation_id}_{method.lower()}",
        "summary": endpoint.summary,
        "tags": [endpoint.tag],
        "parameters": [
            {
                "name": p.name,
                "in": p.location,
                "required": p.required or p.location == "path",
                "description": p.description,
                "schema": p.schema(),
                **({"example": p.example} if p.example is not None else {}),
            }
            for p in endpoint.params
        ],
        "responses": responses,
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
            "schemas": {
                "Envelope": ENVELOPE_SCHEMA,
                "Error": ERROR_SCHEMA,
                "Provenance": PROVENANCE_SCHEMA,
            },
        },
    }
