"""Work the dashboard starts in the background: validation, builds, promotion and rollback.

Builds, promotions and rollbacks are ordinary tracked runs (:mod:`lmi.etl.runs`): they take
the data lock, write their progress to the run log (which the runs page polls) and notify.
Before starting one the dashboard checks the lock, so a concurrent operation is refused at once
with who holds it; should another take the lock in between, the run is recorded as refused.
Validation runs the checks of ``lmi data check`` (:func:`lmi.etl.check.check_files`) and keeps
its report in the staging directory, tied to the staged files' checksums.
"""

from __future__ import annotations

import logging
import secrets
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from lmi.admin.staging import Staging, host_and_pid
from lmi.datasets.base import Dataset
from lmi.errors import InvalidQuery, Locked, ReleaseError
from lmi.etl.build import BuildReport, build_release
from lmi.etl.check import check_files
from lmi.etl.lock import DataLock, LockInfo, pid_alive
from lmi.etl.ops import promote_release, rollback_release
from lmi.etl.reuse import plan_only
from lmi.etl.runs import OpsConfig
from lmi.store.database import Database
from lmi.store.releases import PROMOTABLE, ReleaseStore, not_promotable, utc_now

__all__ = ["BuildPlan", "Jobs", "lock_holder", "plan_build", "validation_alive"]

log = logging.getLogger("lmi.admin")

#: a validation "running" for longer than this is taken to have died with its process
VALIDATION_TIMEOUT = timedelta(hours=2)


def lock_holder(db: Database) -> LockInfo | None:
    """Who holds the data lock, unless it is stale (it would be recovered)."""
    probe = DataLock(db, holder="dashboard probe")
    current = probe.current()
    return current if current is not None and not probe.is_stale(current) else None


@dataclass(frozen=True)
class BuildPlan:
    load: list[Dataset]
    reuse: list[Dataset]
    production: int | None
    staged_datasets: list[str] = field(default_factory=list)


def plan_build(db: Database, staging: Staging) -> BuildPlan:
    """Load the staged datasets (and those sharing tables or derived); copy the rest."""
    staged = sorted({f.dataset for f in staging.files()})
    production = ReleaseStore(db).production_id()
    if production is None:  # nothing to copy from: load everything from the build folder
        return BuildPlan(list(staging.datasets), [], None, staged)
    load, reuse = plan_only(staged, staging.datasets)
    return BuildPlan(load, reuse, production, staged)


class Jobs:
    """Background threads of one worker (tests wait for them with :meth:`wait`)."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self, name: str, work: Callable[[], None]) -> None:
        def run() -> None:
            try:
                work()
            except Locked as exc:  # lost a race for the lock: recorded as a refused run
                log.warning("%s refused: %s", name, exc)
            except Exception:
                log.exception("%s failed", name)

        thread = threading.Thread(target=run, name=f"lmi-admin-{name}", daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def busy(self) -> bool:
        with self._lock:
            return any(t.is_alive() for t in self._threads)

    def wait(self, timeout: float = 60.0) -> bool:
        """Wait for every background job; True when all finished."""
        deadline = time.monotonic() + timeout
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in threads)

    # -- validation ----------------------------------------------------------------------------
    def validate(
        self, staging: Staging, by: str, datasets: Sequence[Dataset], source_dir: Path | None
    ) -> None:
        files = staging.files()
        if not files:
            raise InvalidQuery("nothing is staged: upload files first")
        state: dict[str, Any] = {
            "id": secrets.token_hex(8),
            "state": "running",
            "fingerprint": staging.fingerprint(files),
            "files": [f.path for f in files],
            "started_at": utc_now(),
            "by": by,
            **host_and_pid(),
        }
        with self._lock:
            staging.save_validation(state)

        def finish(outcome: dict[str, Any]) -> None:
            with self._lock:  # a newer validation (the files changed meanwhile) wins
                if (staging.validation() or {}).get("id") == state["id"]:
                    staging.save_validation({**state, **outcome})

        def work() -> None:
            started = time.perf_counter()
            try:
                report = check_files([staging.folder / f.path for f in files], datasets, source_dir)
            except Exception as exc:
                log.exception("validation crashed")
                finish({"state": "crashed", "error": f"{type(exc).__name__}: {exc}"})
                raise
            finish(
                {
                    "state": "done",
                    "finished_at": utc_now(),
                    "seconds": round(time.perf_counter() - started, 2),
                    "report": report.as_dict(),
                }
            )

        self.start("validate", work)

    # -- data operations -----------------------------------------------------------------------
    def build(
        self,
        db: Database,
        staging: Staging,
        by: str,
        ops: OpsConfig,
        after: Callable[[BuildReport], None] | None = None,
    ) -> BuildPlan:
        """Start a build of the staged files into a new test release (never promoted here).

        ``after`` gets the build's report once it is done (the dashboard prepares the diff).
        """
        _refuse_if_locked(db)
        files = staging.files()
        if not files:
            raise InvalidQuery("nothing is staged: upload files first")
        validation = staging.validation() or {}
        if validation.get("fingerprint") != staging.fingerprint(files) or validation.get(
            "state"
        ) not in {"done"}:
            raise InvalidQuery("validate the staged files first (they changed since)")
        if validation["report"]["errors"]:
            raise InvalidQuery(
                f"the validation found {validation['report']['errors']} errors: replace or "
                "remove the files before building"
            )
        plan = plan_build(db, staging)
        folder = staging.build_folder()

        def work() -> None:
            report = build_release(
                db,
                folder,
                plan.load,
                promote=False,
                by=by,
                ops=ops,
                reuse=plan.reuse,
            )
            if after is not None:
                after(report)

        self.start("build", work)
        return plan

    def promote(self, db: Database, release_id: int, by: str, note: str, ops: OpsConfig) -> None:
        _refuse_if_locked(db)
        release = ReleaseStore(db).get(release_id)
        if release is None:
            raise ReleaseError(f"release {release_id} does not exist")
        if release.status not in PROMOTABLE:
            raise ReleaseError(not_promotable(release))
        self.start(
            "promote",
            lambda: _quiet(promote_release, db, release_id, by=by, note=note or None, ops=ops),
        )

    def rollback(self, db: Database, by: str, note: str, ops: OpsConfig) -> None:
        _refuse_if_locked(db)
        production = ReleaseStore(db).production()
        if production is None or production.previous_id is None:
            raise ReleaseError("there is no earlier production release to roll back to")
        self.start(
            "rollback", lambda: _quiet(rollback_release, db, by=by, note=note or None, ops=ops)
        )


def _quiet(operation: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run an operation whose refusal or failure the run log already records."""
    try:
        operation(*args, **kwargs)
    except ReleaseError as exc:
        log.warning("%s: %s", operation.__name__, exc)


def _refuse_if_locked(db: Database) -> None:
    holder = lock_holder(db)
    if holder is not None:
        raise Locked(
            f"another data operation is running: {holder.describe()}. Wait for it to finish "
            "(its progress is on the runs page)."
        )


def validation_alive(state: dict[str, Any]) -> bool:
    """A validation left ``running`` by a process that died is not running any more."""
    if state.get("state") != "running":
        return False
    started = datetime.fromisoformat(str(state.get("started_at")))
    if datetime.now(UTC) - started > VALIDATION_TIMEOUT:
        return False
    return state.get("host") != socket.gethostname() or pid_alive(int(state.get("pid", 0)))
