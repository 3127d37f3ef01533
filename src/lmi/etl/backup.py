"""Backups of a release: a portable gzip JSON-lines file, verified by a SHA-256 on restore.

Line 1 is a header (format, version, the release row, its datasets, files and table counts);
then, per table, ``{"table": name, "columns": [...]}`` followed by one JSON array per row; the
last line is ``{"end": true, "rows": N, "sha256": …}``, the digest of every line before it. A
file without that line (truncated) or with another digest is refused before anything is written.
A restore creates a **new** test release (never touching production); promote it as usual.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from lmi.errors import ReleaseError
from lmi.store.database import Database
from lmi.store.migrations import applied_versions
from lmi.store.releases import ReleaseStore, utc_now
from lmi.store.schema import release_datasets, release_files, release_scoped_tables, releases

__all__ = [
    "FORMAT",
    "backup_release",
    "default_backup_name",
    "existing_backup",
    "prune_backups",
    "remove_partials",
    "restore_release",
]

FORMAT = "lmi-backup"
VERSION = 1
PATTERN = "lmi-release-*.jsonl.gz"
#: rows read from the store at a time
BATCH = 5000


def default_backup_name(release_id: int) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"lmi-release-{release_id}-{stamp}.jsonl.gz"


def backup_release(db: Database, release_id: int, output: Path) -> dict[str, Any]:
    """Write release ``release_id`` to ``output`` (atomically: a temporary file, then renamed)."""
    store = ReleaseStore(db)
    release = db.execute("SELECT * FROM lmi_releases WHERE id = :id", {"id": release_id}).dicts()
    if not release:
        raise ReleaseError(f"release {release_id} does not exist")
    header = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": utc_now(),
        "schema_versions": sorted(applied_versions(db)),
        "release": release[0],
        "datasets": store.datasets(release_id),
        "files": store.files(release_id),
        "tables": store.table_counts(release_id),
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_partials(output.parent)
    partial = output.with_name(output.name + ".partial")
    digest = hashlib.sha256()
    rows = 0
    with gzip.open(partial, "wb") as handle:
        for line in _lines(db, release_id, header):
            data = (json.dumps(line, default=str, ensure_ascii=False) + "\n").encode()
            digest.update(data)
            handle.write(data)
            rows += isinstance(line, list)
        trailer = {"end": True, "rows": rows, "sha256": digest.hexdigest()}
        handle.write((json.dumps(trailer) + "\n").encode())
    os.replace(partial, output)
    return {
        "path": str(output),
        "release_id": release_id,
        "rows": rows,
        "sha256": digest.hexdigest(),
    }


def _lines(db: Database, release_id: int, header: dict[str, Any]) -> Iterator[Any]:
    yield header
    for table in release_scoped_tables():
        columns = [c for c in table.columns if c.name != "release_id"]
        statement = sa.select(*columns).where(table.c.release_id == release_id)
        with db.engine.connect() as conn:  # streamed: a table of millions of rows stays on disk
            result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(statement)
            first = True
            for batch in result.partitions(BATCH):
                if first:
                    yield {"table": table.name, "columns": [str(c.name) for c in columns]}
                    first = False
                yield from (list(row) for row in batch)


def verify_backup(path: Path) -> dict[str, Any]:
    """Read the whole file and check its digest; returns the header. Raises ReleaseError."""
    digest = hashlib.sha256()
    header: dict[str, Any] | None = None
    trailer: dict[str, Any] | None = None
    rows = 0
    try:
        with gzip.open(path, "rb") as handle:
            for data in handle:
                if trailer is not None:
                    raise ReleaseError(f"{path}: data after the end marker")
                line = json.loads(data)
                if isinstance(line, dict) and line.get("end") is True:
                    trailer = line
                    continue
                digest.update(data)
                rows += isinstance(line, list)
                if header is None:
                    header = line
    except (OSError, EOFError, ValueError) as exc:
        raise ReleaseError(f"{path} is not a readable lmi backup: {exc}") from exc
    if header is None or header.get("format") != FORMAT:
        raise ReleaseError(f"{path} is not an lmi backup")
    if trailer is None:
        raise ReleaseError(f"{path} is truncated: no end marker")
    if trailer.get("sha256") != digest.hexdigest() or trailer.get("rows") != rows:
        raise ReleaseError(f"{path} is damaged: its checksum does not match")
    return header


def restore_release(db: Database, path: Path) -> int:
    """Restore the backup at ``path`` as a new ``test`` release; returns its id."""
    header = verify_backup(path)
    tables = {t.name: t for t in release_scoped_tables()}
    unknown = sorted(set(header["tables"]) - set(tables))
    if unknown:
        raise ReleaseError(f"{path} has tables this version of lmi does not know: {unknown}")
    original = header["release"]
    store = ReleaseStore(db)
    release_id = store.create(
        f"restored from {path.name}: {original['label']}"[:200],
        kind=original["kind"],
        source_dir=original.get("source_dir"),
    )
    try:
        with db.transaction() as tx:
            _insert_rows(tx.connection, path, tables, release_id)
            for row in header["datasets"]:
                tx.connection.execute(release_datasets.insert(), {**row, "release_id": release_id})
            for row in header["files"]:
                tx.connection.execute(release_files.insert(), {**row, "release_id": release_id})
            tx.connection.execute(
                releases.update()
                .where(releases.c.id == release_id)
                .values(note=f"restored from {path} (release {original['id']})")
            )
    except Exception:
        store.finish(release_id, ok=False, report_json=json.dumps({"restore": str(path)}))
        raise
    store.finish(release_id, ok=True, report_json=original.get("report_json") or "{}")
    return release_id


def _insert_rows(
    conn: sa.Connection, path: Path, tables: dict[str, sa.Table], release_id: int
) -> None:
    table: sa.Table | None = None
    columns: list[str] = []
    batch: list[dict[str, Any]] = []
    with gzip.open(path, "rb") as handle:
        next(handle)  # the header
        for data in handle:
            line = json.loads(data)
            if isinstance(line, list):
                batch.append({"release_id": release_id, **dict(zip(columns, line, strict=True))})
                if len(batch) >= 5000:
                    assert table is not None
                    conn.execute(table.insert(), batch)
                    batch = []
                continue
            if batch and table is not None:
                conn.execute(table.insert(), batch)
                batch = []
            if line.get("end"):
                break
            table, columns = tables[line["table"]], line["columns"]
            missing = set(columns) - {str(c.name) for c in table.columns}
            if missing:
                raise ReleaseError(f"{path}: {table.name} has unknown columns {sorted(missing)}")


def remove_partials(folder: Path) -> list[Path]:
    """Delete backups left half-written in ``folder`` by a killed run (``*.partial``).

    Backups are written under the data lock, so no other backup is being written meanwhile.
    """
    doomed = sorted(folder.glob(PATTERN + ".partial"))
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


_NAMED = re.compile(r"lmi-release-(\d+)-")


def _release_of(path: Path) -> int | None:
    match = _NAMED.match(path.name)
    return int(match.group(1)) if match else None


def existing_backup(folder: Path, release_id: int) -> Path | None:
    """The newest complete automatic backup of ``release_id`` in ``folder``, if any.

    Releases never change once built, so a backup written at build time still holds the
    release at promotion. A file only gets its final name once fully written (renamed from
    ``*.partial``); its header must name the release. The SHA-256 is checked on restore.
    """
    if not folder.is_dir():
        return None
    found = sorted(
        (p for p in folder.glob(f"lmi-release-{release_id}-*.jsonl.gz") if p.stat().st_size),
        key=lambda p: p.name,
        reverse=True,
    )
    for path in found:
        try:
            with gzip.open(path, "rb") as handle:
                header = json.loads(handle.readline(1 << 20))
        except (OSError, EOFError, ValueError):
            continue
        if header.get("format") == FORMAT and header.get("release", {}).get("id") == release_id:
            return path
    return None


def prune_backups(folder: Path, keep: int, protect: Collection[int] = ()) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``folder`` and any half-written ones;
    the newest backup of each release in ``protect`` is always kept. Returns those deleted."""
    removed = remove_partials(folder) if folder.is_dir() else []
    found = sorted(folder.glob(PATTERN), key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    kept: set[int] = set()
    doomed = []
    for index, path in enumerate(found if keep > 0 else []):
        release = _release_of(path)
        if release is not None and release in protect and release not in kept:
            kept.add(release)
        elif index >= keep:
            doomed.append(path)
    for path in doomed:
        path.unlink(missing_ok=True)
    return removed + doomed
