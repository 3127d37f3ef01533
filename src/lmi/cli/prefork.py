"""`lmi serve --workers N` (N > 1): load the release once, then fork the workers.

uvicorn's own multi-worker mode starts each worker afresh (spawn), so every worker builds or
reads its own copy of the served snapshot: hundreds of MB each. Here the supervising process
reads the snapshot once, freezes it out of the cyclic collector (``gc.freeze``: the collector
never touches those objects, so their memory pages stay shared) and forks the workers, which
start serving it at once and share its pages copy-on-write. The supervisor binds the socket,
forwards SIGINT/SIGTERM to the workers, and starts a new worker when one dies unexpectedly.

Preparing the next release (``LMI_PREPARE_NEXT_RELEASE``) would cost every worker a second,
unshared snapshot. Instead one *keeper* process builds the snapshot of the release most likely to
be served next (the newest test release, else the rollback target) and stores it in
``DATA_DIR/snapshots`` without serving it; on promotion or rollback each worker reads it back in
about a second. A release promoted later is held by each worker separately: restarting
``lmi serve`` shares its memory again.
"""

from __future__ import annotations

import contextlib
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
        snapshot = load_snapshot(db, cache_dir=cache, freeze=True)
    except LMIError as exc:
        log.warning("no release preloaded: %s", exc)
        return
    finally:
        db.engine.dispose()  # no pooled connection may cross the fork
    served.preloaded(snapshot)


def keep_next_stored(settings: Settings) -> None:
    """The keeper's loop: store the snapshot of the next likely release, every poll."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    db = Database(settings.effective_database_url)
    cache = settings.data_dir / "snapshots"
    watcher = served.ServedRelease(db, cache_dir=cache)
    stored: set[int] = set()
    while True:
        time.sleep(max(settings.release_poll_seconds, 1.0))
        try:
            wanted = watcher.candidate()
            if wanted is not None and wanted not in stored:
                load_snapshot(db, wanted, cache_dir=cache)  # writes the file; not kept here
                stored.add(wanted)
        except Exception as exc:  # the workers load it themselves if need be
            log.warning("could not store the next release's snapshot: %s", exc)


def serve_forked(settings: Settings, workers: int, make_server: Callable[[], Any]) -> None:
    """Run ``workers`` forked copies of ``make_server()`` (a ``uvicorn.Server``) on one socket."""
    server = make_server()
    sock: socket.socket = server.config.bind_socket()
    preload(settings)
    keep = settings.prepare_next_release and settings.snapshot_cache
    os.environ["LMI_PREPARE_NEXT_RELEASE"] = "false"  # the keeper does it, once for all
    children: dict[int, float] = {}
    keeper: list[int] = []
    stopping = False

    def start_keeper() -> None:
        pid = os.fork()
        if pid == 0:
            try:
                keep_next_stored(settings)
            finally:
                os._exit(0)
        keeper[:] = [pid]

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
        for pid in [*keeper, *children]:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                children.pop(pid, None)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    if keep:
        start_keeper()
    for _ in range(workers):
        start()
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid in keeper:
            keeper.clear()
            if not stopping:
                log.warning("snapshot keeper %s exited (status %s)", pid, status)
            continue
        started = children.pop(pid, None)
        if stopping or started is None:
            continue
        log.warning("worker %s exited (status %s): starting another", pid, status)
        if time.monotonic() - started < RESTART_BACKOFF_SECONDS:
            time.sleep(RESTART_BACKOFF_SECONDS)
        start()
    for pid in keeper:  # the workers are gone: so is the keeper
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    sock.close()
    sys.exit(0)
