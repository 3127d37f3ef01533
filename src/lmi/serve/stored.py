"""Built snapshots kept on disk, so a worker starts in about a second instead of rebuilding.

Building a release's snapshot from the store (reference rows, coding indexes, every dataset's
view) takes seconds; reading back the same objects pickled takes a fraction of that. The first
worker to build a release's snapshot writes it to ``DATA_DIR/snapshots``; the next worker, or
the next start, reads it. A file is only ever read for the same store, the same release (id and
creation time) and the same lmi code: its name carries a fingerprint of all three, so a rebuilt
store, a new release or an upgrade simply misses and rebuilds. The release record itself (its
status changes with promotion and rollback) is always read from the store, never from the file.

The files are written by lmi itself, atomically (a temporary name, then a rename), into the
data directory that already holds the SQLite store: they are as trusted as the store is. A file
that cannot be read is deleted and the snapshot rebuilt.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import pickle
import tempfile
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["fingerprint", "read_parts", "write_parts"]

log = logging.getLogger(__name__)

#: snapshot files kept per data directory (the newest; older ones are removed)
KEEP = 3
SUFFIX = ".snapshot"


@cache
def code_fingerprint() -> str:
    """A hash of lmi's own source: a file written by other code is never read."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(store_url: str, release_id: int, created_at: str) -> str:
    text = f"{store_url}|{release_id}|{created_at}|{code_fingerprint()}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _path(cache_dir: Path, release_id: int, key: str) -> Path:
    return cache_dir / f"release-{release_id}-{key}{SUFFIX}"


def read_parts(
    cache_dir: Path, release_id: int, key: str, *, freeze: bool = False
) -> dict[str, Any] | None:
    """The stored parts of a snapshot, or None (no file, or one that cannot be read).

    ``freeze``: the objects read are moved out of the cyclic collector's reach
    (``gc.freeze``) before it runs again, for a snapshot that lives as long as the process.
    """
    path = _path(cache_dir, release_id, key)
    try:
        with path.open("rb") as handle, _no_cyclic_gc(freeze=freeze):
            parts: dict[str, Any] = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a truncated or foreign file: rebuild, and drop it
        log.warning("snapshot file %s unreadable (%s): rebuilding", path.name, exc)
        path.unlink(missing_ok=True)
        return None
    return parts


@contextlib.contextmanager
def _no_cyclic_gc(*, freeze: bool = False) -> Iterator[None]:
    """Millions of small objects are created and none is garbage: the cyclic collector would
    only scan them again and again (it halves the time of a read). All of them are still in its
    youngest generation afterwards, so its next run walks them all once (about 0.7 s for a full
    release) unless they are frozen first."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def write_parts(
    cache_dir: Path, release_id: int, key: str, parts: dict[str, Any], *, keep: int = KEEP
) -> None:
    """Store a snapshot's parts (atomically), keeping only the newest ``keep`` files (a worker
    serving pinned releases keeps one per retained release, production and the next one).

    Never fails the load it follows: a full or read-only disk, or a part that cannot be
    pickled (it holds a live connection), only costs the next start its speed.
    """
    temporary: str | None = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".partial")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(parts, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, _path(cache_dir, release_id, key))
        temporary = None
    except Exception as exc:
        log.warning("cannot store the snapshot of release %s: %s", release_id, exc)
        return
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    _prune(cache_dir, max(keep, KEEP))


def _prune(cache_dir: Path, keep: int = KEEP) -> None:
    files = sorted(cache_dir.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)
    stale = time.time() - 3600
    for leftover in cache_dir.glob("*.partial"):  # from a worker killed while writing
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < stale:
                leftover.unlink()
