"""The release a worker is serving, and the poller that swaps in newly promoted releases.

Loading a real release takes seconds, longer than the poll interval. So that every worker
serves a newly promoted (or rolled-back-to) release within one poll, a worker also prepares, in a
background thread, the release most likely to be served next — the newest test release, else
the one a rollback would return to — and swaps it in without loading when it is promoted.

Clients may pin a request to an earlier release (``?release=ID`` or ``X-LMI-Release``) while it is
retained (production and the ``retention`` most recently promoted archived releases): a worker
keeps a small, bounded set of such pinned snapshots, loaded on demand through the same snapshot
cache, least recently used dropped first. Which releases are retained changes only when
production does, so it is read once per production release, not per request.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from lmi.errors import Gone, NotFound, NotReady, StoreError
from lmi.serve.cache import ResponseCache
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
        self,
        db: Database,
        *,
        prepare: bool = False,
        cache_dir: Path | None = None,
        retention: int = 2,
        max_pinned: int = 2,
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
        #: earlier promoted releases servable beside production (``LMI_RELEASE_RETENTION``)
        self.retention = max(retention, 0)
        #: pinned snapshots kept loaded at once (``LMI_PINNED_SNAPSHOTS``; at least one)
        self.max_pinned = max(max_pinned, 1)
        self._pinned: OrderedDict[int, Snapshot] = OrderedDict()
        #: held while a pinned release loads (one load at a time)
        self._load_lock = threading.Lock()
        #: held only to change ``_pinned`` (never during a load, so a swap never waits for one)
        self._pins_lock = threading.Lock()
        #: ids of the retained releases, read once per production release (None: not read yet)
        self._retained: frozenset[int] | None = None
        #: a request has pinned a release (so clients pin: keep the release a promotion replaces)
        self.pins_seen = False

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
            with self._pins_lock:
                pinned = self._pinned.pop(production.id, None)
            if spare is not None and spare.release.id == production.id:
                snapshot = spare  # prepared in the background: no load while the switch waits
                log.info("release %s was prepared in advance", production.id)
            elif forked is not None:
                snapshot = forked  # read once before the workers were forked, shared by them
                snapshot.db = self.db
            elif pinned is not None:  # a rollback to a release clients had pinned
                snapshot = pinned
                snapshot.responses = ResponseCache()  # its answers named it archived
                log.info("release %s was loaded as a pinned release", production.id)
            else:
                try:
                    snapshot = self._load(production.id)
                except (NotReady, StoreError) as exc:
                    self.last_error = str(exc)
                    return False
                except Exception as exc:  # a broken release must not take the worker down
                    log.exception("cannot load release %s", production.id)
                    self.last_error = f"cannot load release {production.id}: {type(exc).__name__}"
                    return False
            snapshot.release = production  # the row as it is now: production, promoted_at, …
            previous, self._snapshot = self._snapshot, snapshot
            self._retained = None  # promotion and rollback change which releases are retained
            if previous is not None and self.pins_seen:
                self._keep_pinnable(previous)
            self.last_error = None
            log.info("serving release %s (%s)", snapshot.release.id, snapshot.release.label)
            return True

    def _load(self, release_id: int) -> Snapshot:
        """Load a release through the snapshot cache, which keeps a file for each release this
        worker may serve: the retained ones, and the next one being prepared."""
        return load_snapshot(self.db, release_id, cache_dir=self.cache_dir, keep=self.retention + 2)

    # -- pinned releases -----------------------------------------------------------------------
    def _keep_pinnable(self, previous: Snapshot) -> None:
        """Keep the release just replaced as a pinned one while it is retained: clients pinned
        to it keep their answers without a load. Only once some request has pinned a release
        (a snapshot costs hundreds of MB on real data: a worker whose clients never pin keeps
        none). Its answers are dropped (they named it production), and it is dropped as soon as
        it is not retained (a rollback withdrew it)."""
        try:
            retained = self.retained_ids()
            row = ReleaseStore(self.db).get(previous.release.id)
        except StoreError:
            return
        if row is None or row.id not in retained:
            return
        previous.release = row
        previous.responses = ResponseCache()
        with self._pins_lock:
            self._pinned[row.id] = previous
            while len(self._pinned) > self.max_pinned:
                self._pinned.popitem(last=False)

    def retained_ids(self) -> frozenset[int]:
        """Ids of the releases a request may pin (read from the store once per production)."""
        found = self._retained
        if found is None:
            found = frozenset(r.id for r in ReleaseStore(self.db).retained(self.retention))
            self._retained = found
            with self._pins_lock:  # drop snapshots of releases no longer retained
                for gone in [i for i in self._pinned if i not in found]:
                    del self._pinned[gone]
        return found

    def loaded(self, release_id: int) -> Snapshot | None:
        """The snapshot answering a request pinned to ``release_id`` when it is at hand (the
        current one, or a retained one already loaded); None when :meth:`pinned` must look."""
        self.pins_seen = True
        current = self._snapshot
        if current is not None and current.release.id == release_id:
            return current
        retained = self._retained
        if retained is None or release_id not in retained:
            return None
        return self._pinned.get(release_id)

    def pinned(self, release_id: int) -> Snapshot:
        """The snapshot of retained release ``release_id``, loaded now if needed (seconds for a
        real release the first time; the snapshot cache makes it about one).

        :class:`NotFound` for a release that does not exist or was never published,
        :class:`Gone` for one that was but is no longer retained.
        """
        found = self.loaded(release_id)
        if found is not None:
            return found
        if self.snapshot.release.id == release_id:  # NotReady before any release is loaded
            return self.snapshot
        if release_id not in self.retained_ids():
            raise self._refusal(release_id)
        with self._load_lock:  # one load at a time: concurrent requests wait for the same load
            found = self._pinned.get(release_id)
            if found is None:
                row = ReleaseStore(self.db).get(release_id)
                if row is None:
                    raise self._refusal(release_id)
                found = self._load(release_id)
                found.release = row
                log.info("loaded pinned release %s (%s)", release_id, row.label)
            with self._pins_lock:
                self._pinned[release_id] = found
                self._pinned.move_to_end(release_id)
                while len(self._pinned) > self.max_pinned:
                    self._pinned.popitem(last=False)
        return found

    def _refusal(self, release_id: int) -> NotFound | Gone:
        listed = "the releases that can be pinned are listed at /v1/releases"
        row = ReleaseStore(self.db).get(release_id)
        if row is None:
            return NotFound(f"there is no release {release_id}: {listed}")
        if row.promoted_at is None:
            return NotFound(f"release {release_id} was never published: {listed}")
        if row.status == "rolled_back":
            return Gone(f"release {release_id} was withdrawn (rolled back): {listed}")
        return Gone(
            f"release {release_id} is no longer served (this server keeps production and the "
            f"{self.retention} releases promoted before it): {listed}"
        )

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
            snapshot = self._load(wanted)
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

    def serving(self, snapshot: Snapshot | None = None) -> ServingStatus:
        """What this worker serves (or the pinned ``snapshot``), checked against the store now
        (not as it was loaded)."""
        snapshot = snapshot or self.snapshot
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
