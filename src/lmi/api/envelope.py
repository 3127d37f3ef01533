"""The one JSON envelope, and the one place mapping exceptions to HTTP statuses.

Success: ``{"ok": true, "data": …, "meta": {…}}``.
Error:   ``{"ok": false, "status": 404, "error": "message", "errors": [{"parameter", "message"}]}``.
The compatible layer returns LMI for All's bare shapes on success and this error shape on errors.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from starlette.responses import Response

from lmi.errors import (
    Busy,
    Forbidden,
    Gone,
    InvalidQuery,
    LMIError,
    NotFound,
    NotReady,
    ReleaseError,
    StoreError,
    Unauthorized,
)

__all__ = [
    "JSON_TYPE",
    "PreparedResponse",
    "RawResponse",
    "dumps",
    "encode_headers",
    "error_body",
    "error_response",
    "json_response",
    "ok_body",
    "status_for",
    "valid_callback",
]

JSON_TYPE = "application/json"
_CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")

STATUS_BY_ERROR: tuple[tuple[type[LMIError], int], ...] = (
    (InvalidQuery, 400),
    (Unauthorized, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Gone, 410),
    (ReleaseError, 409),
    (NotReady, 503),
    (Busy, 503),
    (StoreError, 503),
)


def dumps(value: Any) -> bytes:
    return orjson.dumps(value)


def ok_body(data: Any, meta: dict[str, Any]) -> bytes:
    return dumps({"ok": True, "data": data, "meta": meta})


def error_body(status: int, message: str, errors: list[dict[str, Any]] | None = None) -> bytes:
    return dumps({"ok": False, "status": status, "error": message, "errors": errors or []})


def status_for(exc: Exception, extra: tuple[tuple[type[LMIError], int], ...] = ()) -> int:
    """The HTTP status of an error: ``extra`` (a surface's own errors) first, then the one
    table every surface shares (:data:`STATUS_BY_ERROR`); anything else is a 500."""
    for cls, status in (*extra, *STATUS_BY_ERROR):
        if isinstance(exc, cls):
            return status
    return 500


def error_response(exc: Exception, *, callback: str | None = None) -> Response:
    status = status_for(exc)
    message = str(exc) if status != 500 else "internal error"
    errors: list[dict[str, Any]] = []
    if isinstance(exc, InvalidQuery) and exc.parameter:
        errors.append({"parameter": exc.parameter, "message": message})
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Busy) else None
    return json_response(
        error_body(status, message, errors), status=status, callback=callback, headers=headers
    )


def valid_callback(name: str) -> bool:
    return len(name) <= 100 and _CALLBACK.fullmatch(name) is not None


class RawResponse(Response):
    """A response whose headers are given ready-encoded: the cheapest path Starlette allows."""

    def __init__(
        self, body: bytes, status: int, media_type: bytes, extra: list[tuple[bytes, bytes]]
    ) -> None:
        self.body = body
        self.status_code = status
        self.background = None
        self.raw_headers = [
            (b"content-type", media_type),
            (b"content-length", str(len(body)).encode()),
            *extra,
        ]


class PreparedResponse(Response):
    """A status, body and complete raw headers prepared elsewhere (e.g. a cached answer)."""

    def __init__(self, answer: tuple[int, bytes, list[tuple[bytes, bytes]]]) -> None:
        self.status_code, self.body, self.raw_headers = answer
        self.background = None


def encode_headers(headers: dict[str, str] | None) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]


def json_response(
    body: bytes,
    *,
    status: int = 200,
    callback: str | None = None,
    headers: dict[str, str] | list[tuple[bytes, bytes]] | None = None,
) -> Response:
    """A JSON response, or JSONP (``callback(…)``) when a validated callback name is given."""
    extra = headers if isinstance(headers, list) else encode_headers(headers)
    if callback:
        body = b"/**/" + callback.encode() + b"(" + body + b");"
        return RawResponse(
            body,
            status,
            b"application/javascript; charset=utf-8",
            extra,
        )
    return RawResponse(body, status, b"application/json", extra)
