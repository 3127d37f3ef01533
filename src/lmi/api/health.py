"""Liveness and readiness probes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from lmi.api.envelope import dumps, error_body, json_response
from lmi.api.openapi import TAG_OPS, Endpoint

__all__ = ["health_routes"]


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


def health_routes() -> list[Endpoint]:
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
