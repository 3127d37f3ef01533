"""Static assets (widget scripts, the site stylesheet), held in memory with ETag and gzip.

A request carrying ``?v=<etag hash>`` of the current file is cached for a year (``immutable``);
the plain URL embedders paste is cached for a day and revalidated in the background.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from starlette.requests import Request
from starlette.responses import Response

__all__ = ["Asset", "asset", "asset_response", "asset_url"]

MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
SHORT_CACHE = "public, max-age=86400, stale-while-revalidate=604800"
LONG_CACHE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    name: str
    body: bytes
    gzipped: bytes
    version: str
    media_type: str

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


@cache
def asset(name: str) -> Asset | None:
    """The static file ``name`` (no sub-folders), or None when there is no such asset."""
    suffix = name[name.rfind(".") :] if "." in name else ""
    if "/" in name or suffix not in MEDIA_TYPES:
        return None
    resource = resources.files("lmi.widgets").joinpath("static", name)
    if not resource.is_file():
        return None
    body = resource.read_bytes()
    return Asset(
        name=name,
        body=body,
        gzipped=gzip.compress(body, 9, mtime=0),
        version=hashlib.sha256(body).hexdigest()[:12],
        media_type=MEDIA_TYPES[suffix],
    )


def asset_url(prefix: str, name: str) -> str:
    """A versioned URL (long-cached) for an asset that exists."""
    found = asset(name)
    return f"{prefix}/{name}?v={found.version}" if found else f"{prefix}/{name}"


def asset_response(request: Request, found: Asset) -> Response:
    versioned = request.query_params.get("v") == found.version
    headers = {
        "etag": found.etag,
        "cache-control": LONG_CACHE if versioned else SHORT_CACHE,
        "vary": "accept-encoding",
    }
    if found.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["content-encoding"] = "gzip"
        return Response(found.gzipped, media_type=found.media_type, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)
