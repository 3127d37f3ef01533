"""Releases: every build writes a new release; promotion makes it production atomically.

Statuses: ``building`` → ``test`` (built, checks passed) → ``production`` → ``archived`` when a
newer release is promoted; ``building`` → ``failed`` when a build fails (its rows are deleted);
``production`` → ``rolled_back`` when :func:`ReleaseStore.rollback` restores the previous one.
A test, archived or rolled-back release may be promoted (its rows are intact): so a rollback made
in error is undone by promoting that release again.
At most one release is in production: a partial unique index enforces it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from lmi.errors import ReleaseError
from lmi.store.database import Database, Transaction
from lmi.store.schema import (
    release_datasets,
    release_files,
    release_scoped_tables,
    release_tables,
    releases,
)

__all__ = ["PROMOTABLE", "Release", "ReleaseStore", "not_promotable", "public_text", "utc_now"]

#: an absolute POSIX or Windows path (or one under ~) starting a word, up to a space or quote
_PATH = re.compile(r"(?<![^\s(\"'=])(?:~|[A-Za-z]:)?[/\\](?:[^\s/\\'\"]+[/\\])*([^\s/\\'\"]*)")


def public_text(text: str | None) -> str | None:
    """``text`` with every filesystem path cut to its last part (``from /srv/x/data`` →
    ``from data``): labels and notes name source directories and backup files, which public
    answers must not reveal."""
    if text is None:
        return None
    return _PATH.sub(lambda m: m.group(1) or "…", text)


#: statuses a release may be promoted from
PROMOTABLE = frozenset({"test", "archived", "rolled_back"})


def not_promotable(release: Release) -> str:
    return (
        f"release {release.id} is {release.status}: only a test, archived or rolled-back "
        "release can be promoted"
    )


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Release:
    id: int
    label: str
    status: str
    kind: str
    created_at: str
    finished_at: str | None
    promoted_at: str | None
    promoted_by: str | None
    note: str | None
    previous_id: int | None
    source_dir: str | None

    @property
    def method(self) -> str:
        """Provenance method of figures that come straight from this release's files."""
        return "synthetic" if self.kind == "synthetic" else "observed"

    def as_dict(self) -> dict[str, Any]:
        """The public summary of the release (in every API answer's ``meta``): no paths."""
        return {
            "id": self.id,
            "label": public_text(self.label),
            "status": self.status,
            "kind": self.kind,
            "created_at": self.created_at,
            "promoted_at": self.promoted_at,
        }


_COLUMNS = (
    "id, label, status, kind, created_at, finished_at, promoted_at, promoted_by, note, "
    "previous_id, source_dir"
)


class ReleaseStore:
    """Release bookkeeping over a :class:`Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- reading -------------------------------------------------------------------------
    def get(self, release_id: int) -> Release | None:
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM lmi_releases WHERE id = :id", {"id": release_id}
        ).rows
        return Release(*rows[0]) if rows else None

    def production(self) -> Release | None:
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM lmi_releases WHERE status = 'production'"
        ).rows
        return Release(*rows[0]) if rows else None

    def production_id(self) -> int | None:
        value = self.db.execute("SELECT id FROM lmi_releases WHERE status = 'production'").scalar()
        return int(value) if value is not None else None

    def all_releases(self) -> list[Release]:
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM lmi_releases ORDER BY id DESC").rows
        return [Release(*row) for row in rows]

    def retained(self, earlier: int) -> list[Release]:
        """The releases a client may pin: production, then the ``earlier`` most recently
        promoted archived releases (newest first).

        A rolled-back release was withdrawn and a test one never published, so neither is
        servable; an archived one keeps its rows (only failed builds are deleted).
        """
        production = self.production()
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM lmi_releases WHERE status = 'archived' "
            "AND promoted_at IS NOT NULL ORDER BY promoted_at DESC, id DESC LIMIT :n",
            {"n": max(earlier, 0)},
        ).rows
        found = [production] if production is not None else []
        return found + [Release(*row) for row in rows]

    def loaded_datasets(self, release_ids: list[int]) -> dict[int, list[str]]:
        """The datasets each release holds (by name): loaded from files, or copied from
        production by ``lmi data build --only``."""
        found: dict[int, list[str]] = {release_id: [] for release_id in release_ids}
        if not release_ids:
            return found
        rows = self.db.execute(
            "SELECT release_id, dataset FROM lmi_release_datasets "
            "WHERE status IN ('loaded', 'copied') "
            "ORDER BY release_id, dataset"
        ).rows
        for release_id, dataset in rows:
            if release_id in found:
                found[release_id].append(str(dataset))
        return found

    def table_counts(self, release_id: int) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT table_name, rows FROM lmi_release_tables WHERE release_id = :id "
            "ORDER BY table_name",
            {"id": release_id},
        ).rows
        return {name: int(count) for name, count in rows}

    def files(self, release_id: int) -> list[dict[str, Any]]:
        return self.db.execute(
            "SELECT dataset, path, sha256, bytes FROM lmi_release_files WHERE release_id = :id "
            "ORDER BY dataset, path",
            {"id": release_id},
        ).dicts()

    def datasets(self, release_id: int) -> list[dict[str, Any]]:
        return self.db.execute(
            "SELECT dataset, loader, status, rows_read, rows_loaded, errors, warnings, seconds "
            "FROM lmi_release_datasets WHERE release_id = :id ORDER BY dataset",
            {"id": release_id},
        ).dicts()

    # -- building ------------------------------------------------------------------------
    def create(self, label: str, *, kind: str = "official", source_dir: str | None = None) -> int:
        with self.db.transaction() as tx:
            result = tx.connection.execute(
                releases.insert().returning(releases.c.id),
                {
                    "label": label,
                    "status": "building",
                    "kind": kind,
                    "source_dir": source_dir,
                    "created_at": utc_now(),
                },
            )
            return int(result.scalar_one())

    def record_dataset(self, tx: Transaction, release_id: int, **values: Any) -> None:
        tx.connection.execute(release_datasets.insert(), {"release_id": release_id, **values})

    def record_file(self, tx: Transaction, release_id: int, **values: Any) -> None:
        tx.connection.execute(release_files.insert(), {"release_id": release_id, **values})

    def finish(self, release_id: int, *, ok: bool, report_json: str) -> None:
        """Close a build: count its rows and mark it ``test``, or delete its rows if it failed."""
        with self.db.transaction() as tx:
            self._require_status(tx, release_id, {"building"})
            if ok:
                self._count_tables(tx, release_id)
            else:
                self._delete_rows(tx, release_id)
            tx.connection.execute(
                releases.update()
                .where(releases.c.id == release_id)
                .values(
                    status="test" if ok else "failed",
                    finished_at=utc_now(),
                    report_json=report_json,
                )
            )

    # -- promotion -----------------------------------------------------------------------
    def promote(self, release_id: int, *, by: str, note: str | None = None) -> Release:
        """Make a tested release production in one transaction; the old one is kept."""
        with self.db.transaction() as tx:
            self._require_status(tx, release_id, PROMOTABLE)
            current = tx.execute("SELECT id FROM lmi_releases WHERE status = 'production'").scalar()
            if current is not None:
                tx.connection.execute(
                    releases.update().where(releases.c.id == current).values(status="archived")
                )
            tx.connection.execute(
                releases.update()
                .where(releases.c.id == release_id)
                .values(
                    status="production",
                    promoted_at=utc_now(),
                    promoted_by=by,
                    note=note,
                    previous_id=current,
                )
            )
        promoted = self.get(release_id)
        assert promoted is not None
        return promoted

    def rollback(self, *, by: str, note: str | None = None) -> Release:
        """Return production to the release it replaced."""
        with self.db.transaction() as tx:
            row = tx.execute(
                "SELECT id, previous_id FROM lmi_releases WHERE status = 'production'"
            ).first()
            if row is None:
                raise ReleaseError("there is no production release to roll back")
            current, previous = row
            if previous is None:
                raise ReleaseError(f"release {current} has no previous release to roll back to")
            self._require_status(tx, previous, {"archived"})
            tx.connection.execute(
                releases.update().where(releases.c.id == current).values(status="rolled_back")
            )
            tx.connection.execute(
                releases.update()
                .where(releases.c.id == previous)
                .values(status="production", promoted_at=utc_now(), promoted_by=by, note=note)
            )
        restored = self.get(previous)
        assert restored is not None
        return restored

    # -- helpers -------------------------------------------------------------------------
    def _require_status(
        self, tx: Transaction, release_id: int, allowed: set[str] | frozenset[str]
    ) -> None:
        status = tx.execute(
            "SELECT status FROM lmi_releases WHERE id = :id", {"id": release_id}
        ).scalar()
        if status is None:
            raise ReleaseError(f"release {release_id} does not exist")
        if status not in allowed:
            wanted = " or ".join(sorted(allowed))
            raise ReleaseError(f"release {release_id} is {status}; this needs it to be {wanted}")

    def _count_tables(self, tx: Transaction, release_id: int) -> None:
        for table in release_scoped_tables():
            count = tx.connection.execute(
                sa.select(sa.func.count())
                .select_from(table)
                .where(table.c.release_id == release_id)
            ).scalar_one()
            tx.connection.execute(
                release_tables.insert(),
                {"release_id": release_id, "table_name": table.name, "rows": count},
            )

    def _delete_rows(self, tx: Transaction, release_id: int) -> None:
        for table in release_scoped_tables():
            tx.connection.execute(table.delete().where(table.c.release_id == release_id))
