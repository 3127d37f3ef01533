"""Data operations as tracked runs: promote, roll back, back up, restore.

Each takes the data lock, is recorded in the run log and notified (:mod:`lmi.etl.runs`).
With automatic backups on, production is always backed up before it is replaced: a build
backs up the release it made (:func:`ensure_backup`), so promoting it later finds the backup
already written and takes a second or so instead of minutes; a production release without a
backup (built before this, or restored) is backed up at promotion as before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lmi.errors import ReleaseError
from lmi.etl.backup import (
    backup_release,
    default_backup_name,
    existing_backup,
    prune_backups,
    restore_release,
)
from lmi.etl.runs import OpsConfig, Run, tracked_run
from lmi.store.database import Database
from lmi.store.releases import PROMOTABLE, Release, ReleaseStore, not_promotable

__all__ = [
    "backup_now",
    "ensure_backup",
    "promote_in_run",
    "promote_release",
    "restore_now",
    "rollback_release",
]

Echo = Callable[[str], None]


def promote_in_run(
    db: Database, run: Run, release_id: int, *, by: str, note: str | None, ops: OpsConfig
) -> Release:
    """Promote inside a run that holds the lock: back up production, then one transaction."""
    store = ReleaseStore(db)
    release = store.get(release_id)
    if release is None:
        raise ReleaseError(f"release {release_id} does not exist")
    if release.status not in PROMOTABLE:
        raise ReleaseError(not_promotable(release))
    current = store.production_id()
    if current is not None and current != release_id:
        ensure_backup(db, run, current, ops, why="before promotion")
    run.progress(f"promoting release {release_id} …")
    promoted = store.promote(release_id, by=by, note=note)
    if ops.backup_dir is not None:
        prune_backups(ops.backup_dir, ops.backup_keep, protect={release_id, current or 0})
    run.release_id = promoted.id
    run.message = f"release {promoted.id} is production" + (
        f" (was {current})" if current is not None else ""
    )
    return promoted


def ensure_backup(db: Database, run: Run, release_id: int, ops: OpsConfig, *, why: str) -> None:
    """Back up ``release_id`` into the automatic backups unless a backup of it is there."""
    if ops.backup_dir is None:
        return
    found = existing_backup(ops.backup_dir, release_id)
    if found is not None:
        run.progress(f"release {release_id} is already backed up: {found.name}")
        return
    run.progress(f"backing up release {release_id} {why} …")
    written = backup_release(db, release_id, ops.backup_dir / default_backup_name(release_id))
    run.progress(f"backup of release {release_id}: {written['path']} ({written['rows']:,} rows)")


def promote_release(
    db: Database,
    release_id: int,
    *,
    by: str,
    note: str | None = None,
    ops: OpsConfig | None = None,
    echo: Echo | None = None,
) -> Release:
    config = ops or OpsConfig()
    with tracked_run(
        db, "promote", by=by, detail=f"release {release_id}", ops=config, echo=echo
    ) as run:
        return promote_in_run(db, run, release_id, by=by, note=note, ops=config)


def rollback_release(
    db: Database,
    *,
    by: str,
    note: str | None = None,
    ops: OpsConfig | None = None,
    echo: Echo | None = None,
) -> Release:
    with tracked_run(db, "rollback", by=by, detail=note or "", ops=ops, echo=echo) as run:
        current = ReleaseStore(db).production_id()
        run.progress(f"rolling back production release {current} …")
        restored = ReleaseStore(db).rollback(by=by, note=note)
        run.release_id = restored.id
        run.message = f"release {restored.id} is production again (was {current})"
        return restored


def backup_now(
    db: Database,
    *,
    by: str,
    release_id: int | None = None,
    output: Path | None = None,
    folder: Path | None = None,
    ops: OpsConfig | None = None,
    echo: Echo | None = None,
) -> dict[str, Any]:
    """Back up a release (default: production) to ``output`` (default: a file in ``folder``)."""
    with tracked_run(db, "backup", by=by, detail=str(output or folder), ops=ops, echo=echo) as run:
        chosen = release_id or ReleaseStore(db).production_id()
        if chosen is None:
            raise ReleaseError("no release is in production: name the release to back up")
        target = output or (folder or Path(".")) / default_backup_name(chosen)
        run.progress(f"backing up release {chosen} to {target} …")
        written = backup_release(db, chosen, target)
        run.release_id = chosen
        run.message = f"release {chosen}: {written['rows']:,} rows, sha256 {written['sha256']}"
        return written


def restore_now(
    db: Database,
    path: Path,
    *,
    by: str,
    promote: bool = False,
    ops: OpsConfig | None = None,
    echo: Echo | None = None,
) -> Release:
    """Restore a backup as a new test release, promoted on request."""
    config = ops or OpsConfig()
    with tracked_run(db, "restore", by=by, detail=str(path), ops=config, echo=echo) as run:
        run.progress(f"verifying and restoring {path} …")
        release_id = restore_release(db, path)
        run.release_id = release_id
        run.message = f"restored as release {release_id} (test)"
        if promote:
            promote_in_run(db, run, release_id, by=by, note=f"restored from {path}", ops=config)
        restored = ReleaseStore(db).get(release_id)
        assert restored is not None
        return restored
