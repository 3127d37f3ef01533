"""The public change log: what changed, per dataset, between a release and the one before it.

The admin diff (:func:`lmi.etl.diff.diff_releases`) compares every release-scoped table by
primary key. The public log groups its tables by the dataset that loads them and publishes the
counts (rows added, removed and changed; changed columns; sample keys) for every dataset. The
largest value changes are published only for datasets whose stored values are public as stored
(classifications and O*NET): other datasets' figures pass disclosure control when they are
served, and a raw stored value (or its change) could reveal a figure the API withholds.

Two releases never change once built, so their diff never does: it is computed once per worker,
and kept as a JSON file in ``DATA_DIR/changes`` (named by a fingerprint of the store, both
releases and lmi's code, like the snapshot cache) so other workers and restarts read it back.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from lmi.datasets import registry
from lmi.errors import NotFound
from lmi.etl.diff import SAMPLE, ReleaseDiff, TableDiff, diff_releases
from lmi.serve.stored import fingerprint
from lmi.store.database import Database
from lmi.store.releases import Release, ReleaseStore

__all__ = ["VALUES_PUBLIC", "ChangeLog", "dataset_of_tables"]

log = logging.getLogger(__name__)

#: datasets whose stored values are published as stored (no disclosure control when served),
#: so their value changes may be listed; every other dataset publishes counts only
VALUES_PUBLIC = frozenset(
    {
        "soc2010",
        "soc2020",
        "soc_crosswalks",
        "isco",
        "sic2007",
        "subjects",
        "regions",
        "apprenticeships",
        "onet_reference",
        "onet_occupations",
        "onet_abilities",
        "onet_education",
        "onet_interests",
        "onet_job_zones",
        "onet_knowledge",
        "onet_related_occupations",
        "onet_skills",
        "onet_tasks",
        "onet_technology_skills",
        "onet_work_activities",
        "onet_work_styles",
        "onet_work_values",
    }
)
WITHHELD = (
    "value changes withheld: this dataset's figures pass disclosure control when served, so "
    "compare the two releases' answers instead"
)


def dataset_of_tables() -> dict[str, str]:
    """Each release-scoped table's dataset (``soc2010+soc2020`` for a table both load)."""
    owners: dict[str, list[str]] = {}
    for dataset in registry.DATASETS:
        for table in dataset.tables:
            owners.setdefault(table.name, []).append(dataset.name)
    return {table: "+".join(names) for table, names in owners.items()}


def public_changes(diff: ReleaseDiff, release: Release, previous: Release) -> dict[str, Any]:
    """The public change log entry of ``release`` (the admin ``diff`` grouped by dataset)."""
    owners = dataset_of_tables()
    grouped: dict[str, list[TableDiff]] = {}
    for table in diff.tables:
        grouped.setdefault(owners.get(table.table, "other"), []).append(table)
    datasets = []
    for name, tables in sorted(grouped.items()):
        names = name.split("+")
        entry: dict[str, Any] = {
            "dataset": name,
            "rows_old": sum(t.rows_old for t in tables),
            "rows_new": sum(t.rows_new for t in tables),
            "added": sum(t.added for t in tables),
            "removed": sum(t.removed for t in tables),
            "changed": sum(t.changed for t in tables),
            "tables": [t.as_dict() for t in tables],
        }
        if all(n in VALUES_PUBLIC for n in names):
            mine = {t.table for t in tables}
            changes = [c for c in diff.changes if c.table in mine]
            ranked = sorted(changes, key=lambda c: (-abs(c.percent), str(c.key)))[:SAMPLE]
            entry["largest_changes"] = [c.as_dict() for c in ranked]
        else:
            entry["largest_changes"] = None
            entry["largest_changes_note"] = WITHHELD
        datasets.append(entry)
    return {
        "release": _summary(release),
        "previous": _summary(previous),
        "unchanged": all(t.unchanged for t in diff.tables),
        "datasets": datasets,
    }


def _summary(release: Release) -> dict[str, Any]:
    public = release.as_dict()
    return {k: public[k] for k in ("id", "label", "kind", "created_at")}


class ChangeLog:
    """Computes each published release's changes once, and keeps them (memory, then disk)."""

    def __init__(self, db: Database, cache_dir: Path | None = None) -> None:
        self.db = db
        self.cache_dir = cache_dir
        self._known: dict[tuple[int, int], dict[str, Any]] = {}
        self._lock = threading.Lock()

    def changes(self, release_id: int) -> dict[str, Any]:
        """The change log entry of published release ``release_id`` (:class:`NotFound` for an
        unknown or unpublished one: a test release's changes are not public)."""
        store = ReleaseStore(self.db)
        release = store.get(release_id)
        if release is None or release.promoted_at is None or release.status == "failed":
            raise NotFound(
                f"there is no published release {release_id}: see /v1/releases",
            )
        previous = store.get(release.previous_id) if release.previous_id is not None else None
        if previous is None:
            return {
                "release": _summary(release),
                "previous": None,
                "unchanged": False,
                "datasets": [],
                "note": "the first release published: there is no earlier release to compare",
            }
        key = (previous.id, release.id)
        found = self._known.get(key)
        if found is not None:
            return found
        with self._lock:  # one computation at a time; a waiting request finds it done
            found = self._known.get(key) or self._read(release, previous)
            if found is None:
                diff = diff_releases(self.db, previous.id, release.id)
                found = public_changes(diff, release, previous)
                self._write(release, previous, found)
            self._known[key] = found
        return found

    def _path(self, release: Release, previous: Release) -> Path | None:
        if self.cache_dir is None:
            return None
        stamp = f"{previous.id}:{previous.created_at}|{release.created_at}"
        name = fingerprint(self.db.url, release.id, stamp)
        return self.cache_dir / f"changes-{previous.id}-{release.id}-{name}.json"

    def _read(self, release: Release, previous: Release) -> dict[str, Any] | None:
        path = self._path(release, previous)
        if path is None:
            return None
        try:
            found: dict[str, Any] = json.loads(path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:  # truncated or foreign: recompute
            log.warning("change log file %s unreadable (%s): recomputing", path.name, exc)
            return None
        return found

    def _write(self, release: Release, previous: Release, found: dict[str, Any]) -> None:
        """Keep the entry for other workers (atomically); never fails the request."""
        path = self._path(release, previous)
        if path is None:
            return
        temporary: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".partial")
            with os.fdopen(handle, "w") as out:
                json.dump(found, out)
            os.replace(temporary, path)
            temporary = None
        except OSError as exc:
            log.warning("cannot store the changes of release %s: %s", release.id, exc)
        finally:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
