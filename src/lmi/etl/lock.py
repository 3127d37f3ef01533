"""The data-operation lock: one build, promotion, rollback, backup or restore at a time.

The lock is a row of ``lmi_locks`` (its primary key makes taking it atomic on every backend).
A lock whose process died (same host: the pid is gone) or, held from another host, whose
heartbeat is older than ``stale_seconds`` is stale: the next run recovers it and says so.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from lmi.errors import Locked
from lmi.store.database import Database
from lmi.store.releases import utc_now
from lmi.store.schema import locks

__all__ = ["DATA_LOCK", "DataLock", "LockInfo", "pid_alive"]

log = logging.getLogger(__name__)

DATA_LOCK = "data"


@dataclass(frozen=True)
class LockInfo:
    run_id: int | None
    holder: str
    host: str
    pid: int
    acquired_at: str
    heartbeat_at: str

    def describe(self) -> str:
        run = f"run {self.run_id} " if self.run_id is not None else ""
        return (
            f"{run}({self.holder}, pid {self.pid} on {self.host}) since {self.acquired_at}, "
            f"last heartbeat {self.heartbeat_at}"
        )


def pid_alive(pid: int) -> bool:
    """True when process ``pid`` exists on this host and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


class DataLock:
    """Take with :meth:`acquire` (raises :class:`Locked`), keep fresh, :meth:`release`."""

    def __init__(
        self, db: Database, *, holder: str, stale_seconds: float = 600.0, name: str = DATA_LOCK
    ) -> None:
        self.db = db
        self.name = name
        self.holder = holder
        self.stale_seconds = stale_seconds
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.recovered: LockInfo | None = None

    def acquire(self, run_id: int | None = None) -> None:
        """Take the lock, recovering a stale one; :class:`Locked` when a live run holds it."""
        if self._insert(run_id):
            return
        current = self.current()
        if current is None:  # released in between
            if self._insert(run_id):
                return
            current = self.current()
        if current is not None and not self.is_stale(current):
            raise Locked(
                f"another data operation is running: {current.describe()}. Wait for it to "
                "finish (see `lmi data runs`); a lock whose process died is recovered "
                "automatically."
            )
        if current is not None and self._delete_if(current):
            self.recovered = current
            log.warning("recovered a stale lock held by %s", current.describe())
        if not self._insert(run_id):
            raise Locked("another data operation took the lock at the same moment; try again")

    def heartbeat(self) -> None:
        with self.db.transaction() as tx:
            tx.connection.execute(
                locks.update()
                .where(
                    locks.c.name == self.name, locks.c.pid == self.pid, locks.c.host == self.host
                )
                .values(heartbeat_at=utc_now())
            )

    def release(self) -> None:
        with self.db.transaction() as tx:
            tx.connection.execute(
                locks.delete().where(
                    locks.c.name == self.name, locks.c.pid == self.pid, locks.c.host == self.host
                )
            )

    def current(self) -> LockInfo | None:
        row = self.db.execute(
            "SELECT run_id, holder, host, pid, acquired_at, heartbeat_at FROM lmi_locks "
            "WHERE name = :n",
            {"n": self.name},
        ).first()
        return LockInfo(*row) if row else None

    def is_stale(self, info: LockInfo) -> bool:
        if info.host == self.host:
            return not pid_alive(info.pid)
        beat = datetime.fromisoformat(info.heartbeat_at)
        return (datetime.now(UTC) - beat).total_seconds() > self.stale_seconds

    def _insert(self, run_id: int | None) -> bool:
        now = utc_now()
        try:
            with self.db.transaction() as tx:
                tx.connection.execute(
                    locks.insert(),
                    {
                        "name": self.name,
                        "run_id": run_id,
                        "holder": self.holder,
                        "host": self.host,
                        "pid": self.pid,
                        "acquired_at": now,
                        "heartbeat_at": now,
                    },
                )
        except sa.exc.IntegrityError:
            return False
        return True

    def _delete_if(self, info: LockInfo) -> bool:
        """Delete the lock only if it is still the stale one (another run may have won)."""
        with self.db.transaction() as tx:
            result = tx.connection.execute(
                locks.delete().where(
                    locks.c.name == self.name,
                    locks.c.pid == info.pid,
                    locks.c.host == info.host,
                    locks.c.acquired_at == info.acquired_at,
                )
            )
            return result.rowcount == 1
