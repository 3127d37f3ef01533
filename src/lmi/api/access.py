"""Scoped endpoints: a handler calls :func:`require_scope` before answering."""

from __future__ import annotations

from starlette.requests import Request

from lmi.errors import Forbidden, Unauthorized
from lmi.ops.keys import ApiKey

__all__ = ["require_scope"]


def require_scope(request: Request, scope: str) -> ApiKey:
    """The request's API key, which must carry ``scope`` (401 without a key, 403 without it)."""
    key: ApiKey | None = request.scope.get("lmi.api_key")
    if key is None:
        raise Unauthorized(
            f"this endpoint needs an API key with scope {scope!r} (header X-API-Key or "
            "parameter api_key)"
        )
    if scope not in key.scopes:
        raise Forbidden(f"API key {key.prefix}… does not carry scope {scope!r}")
    return key
