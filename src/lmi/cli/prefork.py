"""`lmi serve --workers N` (N > 1): load the release once, then fork the workers.

uvicorn's own multi-worker mode starts each worker afresh (spawn), so every worker builds or
reads its own copy of the served snapshot: hundreds of MB each. Here the supervising process
reads the snapshot once, freezes it out of the cyclic collector (``gc.freeze``: the collector
never touches those objects, so their memory pages stay shared) and forks the workers, which
start serving it at once and share its pages copy-on-write. The supervisor binds the socket,
forwards SIGINT/SIGTERM to the workers, and starts a new worker when one dies unexpectedly.

A release promoted later is loaded by each worker itself (as with one worker): restarting
``lmi serve`` shares the new release's memory again.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

from lmi.errors import LMIError
from lmi.serve import served
from lmi.serve.snapshot import load_snapshot
from lmi.settings import Settings
from lmi.store.database import Database

__all__ = ["serve_forked"]

log = logging.getLogger("lmi.serve")

#: a worker that dies this soon after it started is not restarted again and again
RESTART_BACKOFF_SECONDS = 1.0


def preload(settings: Settings) -> None:
    """Read the production release's snapshot here, before forking (none yet: each worker
    waits for one as usual)."""
    db = Database(settings.effective_database_url)
    cache = settings.data_dir / "snapshots" if settings.snapshot_cache else None
    try:
        snapshot = load_snapshot(db, cache_dir=cache)
    except LMIError as exc:
        log.warning("no release preloaded: %s", exc)
        return
    finally:
        db.engine.dispose()  # no pooled connection may cross the fork
    served.preloaded(snapshot)
    gc.collect()
    gc.freeze()


def serve_forked(settings: Settings, workers: int, make_server: Callable[[], Any]) -> None:
    """Run ``workers`` forked copies of ``make_server()`` (a ``uvicorn.Server``) on one socket."""
    server = make_server()
    sock: socket.socket = server.config.bind_socket()
    preload(settings)
    children: dict[int, float] = {}
    stopping = False

    def start() -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            code = 0
            try:
                make_server().run(sockets=[sock])
            except BaseException:
                log.exception("worker %s failed", os.getpid())
                code = 1
            finally:
                os._exit(code)
        children[pid] = time.monotonic()

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                children.pop(pid, None)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for _ in range(workers):
        start()
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        started = children.pop(pid, None)
        if stopping or started is None:
            continue
        log.warning("worker %s exited (status %s): starting another", pid, status)
        if time.monotonic() - started < RESTART_BACKOFF_SECONDS:
            time.sleep(RESTART_BACKOFF_SECONDS)
        start()
    sock.close()
    sys.exit(0)
