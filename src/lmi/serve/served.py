"""The release a worker is serving, and the poller that swaps in newly promoted releases.

Loading a real release takes seconds, longer than the poll interval. So that every worker
serves a newly promoted (or rolled-back-to) release within one poll, a worker also prepares, in a
background thread, the release most likely to be served next — the newest test release, else
the one a rollback would return to — and swaps it in without loading when it is promoted.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from lmi.errors import NotReady, StoreError
from lmi.serve.snapshot import Snapshot, load_snapshot
from lmi.store.database import Database
from lmi.store.releases import Release, ReleaseStore

__all__ = ["ServedRelease", "ServingStatus", "preloaded"]

#: a snapshot read by the supervising process before it forked this worker (lmi.cli.prefork)
_PRELOADED: list[Snapshot] = []


def preloaded(snapshot: Snapshot) -> None:
    """Hand a snapshot read before forking to the worker's first :meth:`ServedRelease.refresh`."""
    _PRELOADED[:] = [snapshot]


def _take_preloaded(release_id: int) -> Snapshot | None:
    if _PRELOADED and _PRELOADED[0].release.id == release_id:
        return _PRELOADED.pop()
    return None


log = logging.getLogger(__name__)


class ServedRelease:
    """Holds the current :class:`Snapshot`; :meth:`refresh` replaces it in one assignment."""

    def __init__(
        self, db: Database, *, prepare: bool = False, cache_dir: Path | None = None
    ) -> None:
        self.db = db
        #: where built snapshots are kept for the next worker (None: always build)
        self.cache_dir = cache_dir
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self.last_error: str | None = None
        #: prepare the next release in the background (``LMI_PREPARE_NEXT_RELEASE``)
        self.prepare_next = prepare
        self._spare: Snapshot | None = None
        self._preparing: threading.Thread | None = None
        self._preparing_id: int | None = None

    @property
    def snapshot(self) -> Snapshot:
        snap = self._snapshot
        if snap is None:
            raise NotReady(self.last_error or "no release is loaded yet")
        return snap

    @property
    def current(self) -> Snapshot | None:
        """The snapshot being served, or None before one is loaded."""
        return self._snapshot

    @property
    def ready(self) -> bool:
        return self._snapshot is not None

    def refresh(self) -> bool:
        """Load the production release if it changed; True when a new one was swapped in."""
        self._await_preparation()
        with self._lock:
            try:
                production = ReleaseStore(self.db).production()
            except StoreError as exc:
                self.last_error = str(exc)
                return False
            current = self._snapshot.release.id if self._snapshot else None
            if production is None:
                self.last_error = "no release is in production: run `lmi data build`"
                return False
            if production.id == current:
                return False
            spare, self._spare = self._spare, None
            forked = _take_preloaded(production.id)
            if spare is not None and spare.release.id == production.id:
                snapshot = spare  # prepared in the background: no load while the switch waits
                log.info("release %s was prepared in advance", production.id)
            elif forked is not None:
                snapshot = forked  # read once before the workers were forked, shared by them
                snapshot.db = self.db
            else:
                try:
                    snapshot = load_snapshot(self.db, production.id, cache_dir=self.cache_dir)
                except (NotReady, StoreError) as exc:
                    self.last_error = str(exc)
                    return False
                except Exception as exc:  # a broken release must not take the worker down
                    log.exception("cannot load release %s", production.id)
                    self.last_error = f"cannot load release {production.id}: {type(exc).__name__}"
                    return False
            snapshot.release = production  # the row as it is now: production, promoted_at, …
            self._snapshot = snapshot
            self.last_error = None
            log.info("serving release %s (%s)", snapshot.release.id, snapshot.release.label)
            return True

    # -- the next release, prepared in advance ------------------------------------------------
    def _await_preparation(self) -> None:
        """When the release being prepared has just been promoted, let that load finish
        rather than start a second one beside it."""
        thread = self._preparing
        if thread is None or not thread.is_alive():
            return
        try:
            production = ReleaseStore(self.db).production_id()
        except StoreError:
            return
        if production is not None and production == self._preparing_id:
            thread.join()

    def candidate(self) -> int | None:
        """The release most likely to be served next: the newest finished test release, else
        the release a rollback would return to."""
        rows = self.db.execute(
            "SELECT id, status, previous_id FROM lmi_releases "
            "WHERE status IN ('test', 'production') ORDER BY finished_at DESC, id DESC"
        ).rows
        tests = [row[0] for row in rows if row[1] == "test"]
        if tests:
            return int(tests[0])
        previous = next((row[2] for row in rows if row[1] == "production"), None)
        return int(previous) if previous is not None else None

    def prepare(self) -> bool:
        """Load the :meth:`candidate` release as the spare; True when a new spare was loaded."""
        try:
            wanted = self.candidate()
        except StoreError:
            return False
        current = self._snapshot.release.id if self._snapshot else None
        spare = self._spare
        if wanted is None or wanted == current or (spare and spare.release.id == wanted):
            return False
        self._preparing_id = wanted
        try:
            snapshot = load_snapshot(self.db, wanted, cache_dir=self.cache_dir)
        except Exception as exc:  # the switch will load it (and report) if it is promoted
            log.warning("could not prepare release %s: %s", wanted, exc)
            return False
        with self._lock:
            if self._snapshot is None or self._snapshot.release.id != wanted:
                self._spare = snapshot
        return True

    def prepare_in_background(self) -> None:
        """Start :meth:`prepare` in a thread unless one is running (the poll never waits)."""
        if not self.prepare_next or (self._preparing and self._preparing.is_alive()):
            return
        self._preparing = threading.Thread(
            target=self.prepare, name="lmi-prepare-release", daemon=True
        )
        self._preparing.start()

    def serving(self) -> ServingStatus:
        """What this worker serves, checked against the store now (not as it was loaded)."""
        snapshot = self.snapshot
        row = self.db.execute(
            "SELECT status, (SELECT id FROM lmi_releases WHERE status = 'production') "
            "FROM lmi_releases WHERE id = :id",
            {"id": snapshot.release.id},
        ).first()
        status, production = (row[0], row[1]) if row else ("unknown", None)
        return ServingStatus(snapshot.release, str(status), production)


@dataclass(frozen=True)
class ServingStatus:
    """The served release and its status in the store right now."""

    release: Release
    status: str
    production_id: int | None
