"""Each worker's background upkeep: newly promoted releases, API keys, usage counts, gauges."""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.concurrency import run_in_threadpool

from lmi.api.middleware import EdgeState
from lmi.errors import StoreError
from lmi.serve.served import ServedRelease
from lmi.settings import Settings

__all__ = ["maintain", "maintenance_loop"]

log = logging.getLogger(__name__)


def maintain(served: ServedRelease, edge: EdgeState) -> None:
    """One pass: swap in a newly promoted release (and prepare the next one in the
    background), reload keys, publish this worker's counts."""
    served.refresh()
    served.prepare_in_background()
    try:
        edge.keys.refresh(served.db)
    except StoreError as exc:
        log.warning("maintenance: %s", exc)
    if edge.metrics_dir is not None:
        edge.stats.write(edge.metrics_dir)


def flush_usage(served: ServedRelease, edge: EdgeState) -> None:
    try:
        edge.usage.flush(served.db)
    except Exception as exc:  # the counts stay and are written at the next flush
        log.warning("usage flush failed: %s", exc)


async def maintenance_loop(settings: Settings, served: ServedRelease, edge: EdgeState) -> None:
    """Until cancelled: upkeep every ``release_poll_seconds``, usage every flush interval."""
    every = settings.release_poll_seconds
    next_flush = time.monotonic() + settings.usage_flush_seconds
    try:
        while True:
            await asyncio.sleep(every)
            try:
                await run_in_threadpool(maintain, served, edge)
                if time.monotonic() >= next_flush:
                    await run_in_threadpool(flush_usage, served, edge)
                    next_flush = time.monotonic() + settings.usage_flush_seconds
            except Exception:  # keep serving whatever happens
                log.exception("maintenance failed")
    finally:
        await run_in_threadpool(flush_usage, served, edge)
