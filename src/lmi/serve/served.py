"""The release a worker is serving, and the poller that swaps in newly promoted releases."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from lmi.errors import NotReady, StoreError
from lmi.serve.snapshot import Snapshot, load_snapshot
from lmi.store.database import Database
from lmi.store.releases import ReleaseStore

__all__ = ["ServedRelease"]

log = logging.getLogger(__name__)


class ServedRelease:
    """Holds the current :class:`Snapshot`; :meth:`refresh` replaces it in one assignment."""

    def __init__(self, db: Database, *, cache_dir: Path | None = None) -> None:
        self.db = db
        #: where built snapshots are kept for the next worker (None: always build)
        self.cache_dir = cache_dir
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self.last_error: str | None = None

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
        with self._lock:
            try:
                production = ReleaseStore(self.db).production_id()
            except StoreError as exc:
                self.last_error = str(exc)
                return False
            current = self._snapshot.release.id if self._snapshot else None
            if production is None:
                self.last_error = "no release is in production: run `lmi data build`"
                return False
            if production == current:
                return False
            try:
                snapshot = load_snapshot(self.db, production, cache_dir=self.cache_dir)
            except (NotReady, StoreError) as exc:
                self.last_error = str(exc)
                return False
            except Exception as exc:  # a broken release must not take the worker down
                log.exception("cannot load release %s", production)
                self.last_error = f"cannot load release {production}: {type(exc).__name__}"
                return False
            self._snapshot = snapshot
            self.last_error = None
            log.info("serving release %s (%s)", snapshot.release.id, snapshot.release.label)
            return True
