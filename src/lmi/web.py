"""The composition root: ``create_app(settings)`` assembles the whole web application.

The only module that knows every part: the API's route table (``lmi.api.routes``), the site and
widgets (``lmi.widgets``) and the admin dashboard (``lmi.admin``), the request edge, the served
release and the error handlers. Every layer below is handed what it needs from here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from lmi import __version__
from lmi.admin import UPLOAD_PATH, admin_routes
from lmi.api.envelope import dumps, error_body, error_response, json_response, valid_callback
from lmi.api.maintenance import flush_usage, maintain, maintenance_loop
from lmi.api.middleware import EdgeMiddleware, EdgeState, Limits
from lmi.api.openapi import openapi_document
from lmi.api.router import EndpointRoute, IndexedRouter
from lmi.api.routes import ENDPOINTS
from lmi.datasets import registry
from lmi.errors import LMIError
from lmi.ops.keys import KeyRing
from lmi.ops.metrics import RequestStats, render_metrics
from lmi.ops.oncall import Currency, on_call_facts
from lmi.ops.ratelimit import RateLimiter
from lmi.ops.usage import UsageFlusher
from lmi.serve.changes import ChangeLog
from lmi.serve.served import ServedRelease
from lmi.settings import Settings
from lmi.store.database import Database
from lmi.vacancies.store import summary as advert_summary
from lmi.widgets import site_routes
from lmi.widgets.docs import docs_route

__all__ = ["create_app", "create_app_from_env"]

log = logging.getLogger("lmi.api")


def create_app(settings: Settings, db: Database | None = None) -> Starlette:
    database = db or Database(settings.effective_database_url)
    snapshots = settings.data_dir / "snapshots" if settings.snapshot_cache else None
    served = ServedRelease(
        database,
        prepare=settings.prepare_next_release,
        cache_dir=snapshots,
        retention=settings.release_retention,
        max_pinned=settings.pinned_snapshots,
    )
    changes = settings.data_dir / "changes" if settings.snapshot_cache else None
    spec = dumps(openapi_document(ENDPOINTS, version=__version__))

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

    route_paths = {e.operation_id: e.path for e in ENDPOINTS}
    stated = {ds.name: ds.about.currency for ds in registry.DATASETS if ds.about}
    currency_cache: dict[int, Currency] = {}

    def gauges() -> dict[str, Any]:
        snapshot = served.current
        release_id = snapshot.release.id if snapshot else None
        try:
            rows = database.execute("SELECT status, count(*) FROM lmi_releases GROUP BY status")
            releases = {status: count for status, count in rows.rows}
        except LMIError:
            releases = {}
        release = snapshot.release if snapshot else None
        oncall = on_call_facts(database, release, stated, currency_cache)
        try:
            adverts = advert_summary(database)
        except LMIError:
            adverts = {}
        return {
            "adverts": adverts,
            "release_id": release_id,
            "releases": releases,
            "routes": route_paths,
            "oncall": oncall,
        }

    async def metrics(request: Request) -> Response:
        body = await run_in_threadpool(render_metrics, edge.stats, edge.metrics_dir, gauges)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    async def openapi_json(request: Request) -> Response:
        return Response(spec, media_type="application/json")

    routes: list[BaseRoute] = [
        EndpointRoute(
            e.path,
            e.handler,
            methods=list(e.methods),
            name=e.operation_id,
            restricted=e.scope is not None,
        )
        for e in ENDPOINTS
    ]
    routes += [
        Route("/openapi.json", openapi_json, include_in_schema=False),
        Route("/metrics", metrics, include_in_schema=False),
        docs_route(ENDPOINTS),  # the API reference with its try-it explorer
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
    app.state.changelog = ChangeLog(database, changes)
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
        max_header_count=settings.max_header_count,
        max_header_bytes=settings.max_header_bytes,
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
