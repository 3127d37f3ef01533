"""The ASGI application factory: ``create_app(settings)`` with the explicit route table."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from lmi import __version__
from lmi.admin import UPLOAD_PATH, admin_routes
from lmi.api.envelope import dumps, error_body, error_response, json_response, valid_callback
from lmi.api.maintenance import flush_usage, maintain, maintenance_loop
from lmi.api.middleware import EdgeMiddleware, EdgeState, Limits
from lmi.api.openapi import Endpoint, openapi_document
from lmi.api.router import IndexedRouter
from lmi.api.routes import ENDPOINTS
from lmi.api.served import ServedRelease
from lmi.datasets import registry  # noqa: F401  (registers every dataset's tables)
from lmi.errors import LMIError
from lmi.ops.keys import KeyRing
from lmi.ops.metrics import RequestStats, render_metrics
from lmi.ops.ratelimit import RateLimiter
from lmi.ops.usage import UsageFlusher
from lmi.settings import Settings
from lmi.store.database import Database
from lmi.vacancies.store import summary as advert_summary
from lmi.widgets import site_routes

__all__ = ["create_app", "create_app_from_env"]

log = logging.getLogger("lmi.api")


def create_app(settings: Settings, db: Database | None = None) -> Starlette:
    database = db or Database(settings.effective_database_url)
    served = ServedRelease(database)
    spec = dumps(openapi_document(ENDPOINTS, version=__version__))
    templates = Environment(
        loader=PackageLoader("lmi.api", "templates"), autoescape=select_autoescape()
    )

    edge = edge_state(settings)
    edge.served = served

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(maintain, served, edge)
        if not served.ready:
            log.warning("not ready: %s", served.last_error)
        upkeep = None
        if settings.release_poll_seconds > 0:
            upkeep = asyncio.create_task(maintenance_loop(settings, served, edge))
        try:
            yield
        finally:
            if upkeep:
                upkeep.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await upkeep
            else:
                await run_in_threadpool(flush_usage, served, edge)

    def gauges() -> dict[str, Any]:
        release_id = served.snapshot.release.id if served.ready else None
        try:
            rows = database.execute("SELECT status, count(*) FROM lmi_releases GROUP BY status")
            releases = {status: count for status, count in rows.rows}
        except LMIError:
            releases = {}
        try:
            adverts = advert_summary(database)
        except LMIError:
            adverts = {}
        return {"release_id": release_id, "releases": releases, "adverts": adverts}

    async def metrics(request: Request) -> Response:
        body = await run_in_threadpool(render_metrics, edge.stats, edge.metrics_dir, gauges)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    async def openapi_json(request: Request) -> Response:
        return Response(spec, media_type="application/json")

    async def docs(request: Request) -> Response:
        sections: dict[str, list[Endpoint]] = {}
        for endpoint in ENDPOINTS:
            sections.setdefault(endpoint.tag, []).append(endpoint)
        html = templates.get_template("docs.html").render(
            sections=sections,
            version=__version__,
            served=served,
            base=str(request.base_url).rstrip("/"),
        )
        return HTMLResponse(html)

    routes = [
        Route(e.path, e.handler, methods=list(e.methods), name=e.operation_id) for e in ENDPOINTS
    ]
    routes += [
        Route("/openapi.json", openapi_json, include_in_schema=False),
        Route("/metrics", metrics, include_in_schema=False),
        Route("/docs", docs, include_in_schema=False),
        *site_routes(),  # website and widgets: /, /data, /developers, /widgets
        *admin_routes(),  # the admin dashboard: /admin
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(EdgeMiddleware, state=edge)],
        exception_handlers={
            LMIError: handle_lmi_error,
            HTTPException: handle_http_error,
            Exception: handle_unexpected,
        },
        lifespan=lifespan,
    )
    app.router = IndexedRouter(routes=routes, lifespan=lifespan)
    app.state.served = served
    app.state.edge = edge
    app.state.settings = settings
    return app


def edge_state(settings: Settings) -> EdgeState:
    limits = Limits(
        anonymous_per_minute=settings.rate_limit_anonymous,
        keyed_per_minute=settings.rate_limit_keyed,
        max_body_bytes=settings.max_body_bytes,
        max_query_length=settings.max_query_length,
        access_log=settings.access_log,
        own_body_limit=frozenset({UPLOAD_PATH}),  # limited by LMI_ADMIN_MAX_UPLOAD_BYTES
    )
    stats = RequestStats()
    metrics_dir = settings.metrics_dir
    if metrics_dir is not None:
        metrics_dir.mkdir(parents=True, exist_ok=True)
    return EdgeState(limits, stats, UsageFlusher(stats), KeyRing(), RateLimiter(), metrics_dir)


def _callback(request: Request) -> str | None:
    if not request.url.path.startswith("/api/"):
        return None
    callback = request.query_params.get("callback")
    return callback if callback and valid_callback(callback) else None


async def handle_lmi_error(request: Request, exc: Exception) -> Response:
    return error_response(exc, callback=_callback(request))


async def handle_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = "no such endpoint: see /docs" if exc.status_code == 404 else str(exc.detail)
    headers: dict[str, Any] = dict(exc.headers or {})
    return json_response(
        error_body(exc.status_code, message),
        status=exc.status_code,
        headers=headers,
        callback=_callback(request),
    )


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return json_response(error_body(500, "internal error"), status=500)


def create_app_from_env() -> Starlette:
    """Factory for ``uvicorn --factory`` (each worker builds its own settings and app)."""
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level.upper())
    return create_app(settings)
