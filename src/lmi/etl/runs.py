"""The run log: every data operation is recorded with its progress, timing, outcome and who.

:func:`tracked_run` wraps an operation: it records the run, takes the data lock (a refused run
is recorded as ``refused``), keeps the lock's heartbeat fresh on each progress line, records the
outcome and notifies (:mod:`lmi.etl.notify`). A run whose process died is marked ``died`` when
the next run recovers its stale lock.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmi.errors import Locked
from lmi.etl.lock import DataLock
from lmi.etl.notify import Notifier
from lmi.settings import Settings
from lmi.store.database import Database
from lmi.store.releases import utc_now
from lmi.store.schema import runs

__all__ = ["OpsConfig", "Run", "list_runs", "tracked_run"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpsConfig:
    """How data operations behave: notifications, lock staleness, backups, jump warnings."""

    notifier: Notifier = field(default_factory=Notifier)
    stale_seconds: float = 600.0
    #: automatic backups before promotion go here (None: no automatic backup)
    backup_dir: Path | None = None
    backup_keep: int = 10
    jump_warn_percent: float = 20.0

    @classmethod
    def from_settings(cls, settings: Settings) -> OpsConfig:
        return cls(
            notifier=Notifier.from_settings(settings),
            stale_seconds=settings.lock_stale_seconds,
            backup_dir=settings.data_dir / "backups" if settings.backup_keep > 0 else None,
            backup_keep=settings.backup_keep,
            jump_warn_percent=settings.jump_warn_percent,
        )


@dataclass
class Run:
    """A running operation: report progress with :meth:`progress`; set the outcome fields."""

    id: int
    kind: str
    db: Database
    lock: DataLock
    echo: Callable[[str], None] | None = None
    release_id: int | None = None
    ok: bool = True
    message: str = ""
    report: dict[str, Any] | None = None

    def progress(self, message: str) -> None:
        if self.echo is not None:
            self.echo(message)
        with self.db.transaction() as tx:
            tx.connection.execute(
                runs.update().where(runs.c.id == self.id).values(progress=message[:2000])
            )
        self.lock.heartbeat()


@contextmanager
def tracked_run(
    db: Database,
    kind: str,
    *,
    by: str,
    detail: str = "",
    ops: OpsConfig | None = None,
    echo: Callable[[str], None] | None = None,
) -> Iterator[Run]:
    """Record, lock and notify one data operation; :class:`Locked` when another is running."""
    config = ops or OpsConfig()
    run_id = _start(db, kind, by, detail)
    lock = DataLock(db, holder=f"{kind} by {by}", stale_seconds=config.stale_seconds)
    try:
        lock.acquire(run_id)
    except Locked as exc:
        _finish(db, run_id, "refused", str(exc), 0.0, None, None)
        raise
    if lock.recovered is not None and lock.recovered.run_id is not None:
        _mark_died(db, lock.recovered.run_id, run_id)
    run = Run(id=run_id, kind=kind, db=db, lock=lock, echo=echo)
    started = time.perf_counter()
    try:
        yield run
    except BaseException as exc:
        run.ok = False
        run.message = run.message or f"{type(exc).__name__}: {exc}"
        raise
    finally:
        seconds = time.perf_counter() - started
        status = "succeeded" if run.ok else "failed"
        _finish(db, run_id, status, run.message, seconds, run.release_id, run.report)
        lock.release()
        config.notifier.notify(
            {
                "run_id": run_id,
                "kind": kind,
                "status": status,
                "by": by,
                "detail": detail,
                "release_id": run.release_id,
                "message": run.message,
                "seconds": round(seconds, 2),
            }
        )


def list_runs(db: Database, limit: int = 50) -> list[dict[str, Any]]:
    return db.execute(
        "SELECT id, kind, status, started_at, finished_at, seconds, by, host, pid, release_id, "
        "detail, progress, message FROM lmi_runs ORDER BY id DESC LIMIT :n",
        {"n": limit},
    ).dicts()


def _start(db: Database, kind: str, by: str, detail: str) -> int:
    with db.transaction() as tx:
        result = tx.connection.execute(
            runs.insert().returning(runs.c.id),
            {
                "kind": kind,
                "status": "running",
                "started_at": utc_now(),
                "by": by,
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "detail": detail,
            },
        )
        return int(result.scalar_one())


def _finish(
    db: Database,
    run_id: int,
    status: str,
    message: str,
    seconds: float,
    release_id: int | None,
    report: dict[str, Any] | None,
) -> None:
    with db.transaction() as tx:
        tx.connection.execute(
            runs.update()
            .where(runs.c.id == run_id)
            .values(
                status=status,
                finished_at=utc_now(),
                seconds=round(seconds, 3),
                message=message[:2000],
                release_id=release_id,
                report_json=json.dumps(report) if report is not None else None,
            )
        )


def _mark_died(db: Database, dead_run: int, by_run: int) -> None:
    with db.transaction() as tx:
        tx.connection.execute(
            runs.update()
            .where(runs.c.id == dead_run, runs.c.status == "running")
            .values(
                status="died",
                finished_at=utc_now(),
                message=f"its process died; stale lock recovered by run {by_run}",
            )
        )
