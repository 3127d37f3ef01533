"""An immutable in-memory view of one production release, built once per release.

The API answers from this snapshot, so the hot path is a dictionary lookup. A new snapshot is
built beside the old one when a release is promoted and swapped in with one assignment: no
request ever sees a half-loaded release.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from lmi.api.cache import ResponseCache
from lmi.datasets import registry
from lmi.datasets.aps.index import load_aps_index, load_unit_industry_index
from lmi.datasets.graduate_outcomes.index import load_pathway_index
from lmi.datasets.onet_profiles.index import load_profile_index
from lmi.datasets.onspd.index import load_postcode_index
from lmi.errors import NotReady
from lmi.search.coder import Coder, load_coders
from lmi.store.database import Database
from lmi.store.releases import Release, ReleaseStore
from lmi.store.schema import metadata

__all__ = ["Group", "Snapshot", "load_snapshot"]


@dataclass(frozen=True, slots=True)
class Group:
    """A SOC group at any level, in one version."""

    version: str
    code: str
    level: str
    title: str
    parent: str | None
    description: str | None
    entry_routes: str | None
    tasks: tuple[str, ...]
    related_titles: tuple[str, ...]


@dataclass
class Snapshot:
    release: Release
    datasets: dict[str, dict[str, Any]]  # loaded dataset name → provenance
    groups: dict[tuple[str, str], Group]
    children: dict[tuple[str, str], list[str]]
    index_titles: dict[tuple[str, str], list[str]]
    #: job-title coders by SOC version (``soc2010``, ``soc2020``)
    coders: dict[str, Coder]
    tables: dict[str, list[dict[str, Any]]]
    #: derived structures computed lazily from this release (grouped rows, headers)
    cache: dict[Any, Any] = field(default_factory=dict)
    #: rendered response bodies for this release, within a byte budget
    responses: ResponseCache = field(default_factory=ResponseCache)

    def provenance(self, dataset: str, *, method: str | None = None) -> dict[str, Any]:
        """``{source, release, method}`` for figures from ``dataset`` in this release."""
        info = self.datasets.get(dataset, {})
        return {
            "dataset": dataset,
            "source": info.get("source", dataset),
            "publisher": info.get("publisher"),
            "licence": info.get("licence"),
            "release": self.release.id,
            "method": method or self.release.method,
        }

    def has(self, dataset: str) -> bool:
        return dataset in self.datasets

    def rows(self, table: str) -> list[dict[str, Any]]:
        return self.tables.get(table, [])

    def grouped(self, table: str, *key: str) -> dict[Any, list[dict[str, Any]]]:
        """Rows of ``table`` grouped by ``key`` columns (cached per snapshot)."""
        cache_key = ("grouped", table, key)
        found: dict[Any, list[dict[str, Any]]] | None = self.cache.get(cache_key)
        if found is None:
            groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
            for row in self.rows(table):
                groups[row[key[0]] if len(key) == 1 else tuple(row[k] for k in key)].append(row)
            found = dict(groups)
            self.cache[cache_key] = found
        return found


#: tables loaded whole into the snapshot (small reference tables)
SNAPSHOT_TABLES = (
    "soc2010_soc2020_dual_coding",
    "soc2010_soc2020_index_shares",
    "soc_isco08",
    "isco08_groups",
    "isco08_us_soc2010",
    "us_soc2010_soc2018",
    "onet_occupations",
    "onet_uk_soc",
    "sic2007",
    "regions",
    "itl_areas",
    "subjects",
    "onet_content_model",
    "ashe_cells",
    "wf_employment",
    "wf_replacement",
    "leo_earnings",
    "ess_occupations",
    "lfs_unemployment",
    "census_occupation",
    "census_distance",
)


def load_snapshot(db: Database, release_id: int | None = None) -> Snapshot:
    """Read a release (by default the production one) into memory."""
    store = ReleaseStore(db)
    release = store.get(release_id) if release_id is not None else store.production()
    if release is None:
        raise NotReady("no release is in production: run `lmi data build`")
    datasets = _loaded_datasets(store, release.id)
    groups = _groups(db, release.id)
    children: dict[tuple[str, str], list[str]] = defaultdict(list)
    for group in groups.values():
        if group.parent:
            children[(group.version, group.parent)].append(group.code)
    index_titles = _index_titles(db, release.id)
    owner = {table.name: d.name for d in registry.DATASETS for table in d.tables}
    tables = {  # only tables of datasets this release loaded: an older store may lack the rest
        name: db.release_rows(metadata.tables[name], release.id)
        for name in SNAPSHOT_TABLES
        if name in metadata.tables and (name not in owner or owner[name] in datasets)
    }
    snapshot = Snapshot(
        release=release,
        datasets=datasets,
        groups=groups,
        children={k: sorted(v) for k, v in children.items()},
        index_titles=index_titles,
        coders=load_coders(db, release.id),
        tables=tables,
    )
    snapshot.cache["onet_profiles"] = load_profile_index(db, release.id)  # see lmi.api.skills
    if "aps" in datasets:
        snapshot.cache["aps_index"] = load_aps_index(db, release.id)  # see lmi.api.outlook
        snapshot.cache["aps_unit_industry"] = load_unit_industry_index(db, release.id)
    if "onspd" in datasets:  # postcodes are read from the store one at a time (lmi.api.postcodes)
        snapshot.cache["postcode_index"] = load_postcode_index(db, release.id)
    snapshot.cache["pathway_index"] = load_pathway_index(db, release.id, set(datasets))  # pathways
    _warm(snapshot)
    return snapshot


def _warm(snapshot: Snapshot) -> None:
    """Build the structures hot endpoints need now, not on their first request."""
    from lmi.api import outlook, pay

    if snapshot.has(pay.DATASET):
        pay.cube(snapshot)
    if snapshot.has(outlook.DATASET):
        outlook.outlook(snapshot)


def _loaded_datasets(store: ReleaseStore, release_id: int) -> dict[str, dict[str, Any]]:
    known = {d.name: d for d in registry.DATASETS}
    found: dict[str, dict[str, Any]] = {}
    for row in store.datasets(release_id):
        if row["status"] != "loaded":
            continue
        ds = known.get(row["dataset"])
        found[row["dataset"]] = ds.provenance() if ds else {"source": row["dataset"]}
    return found


def _groups(db: Database, release_id: int) -> dict[tuple[str, str], Group]:
    table = metadata.tables["soc_groups"]
    groups: dict[tuple[str, str], Group] = {}
    for row in db.release_rows(table, release_id):
        groups[(row["soc_version"], row["code"])] = Group(
            version=row["soc_version"],
            code=row["code"],
            level=row["level"],
            title=row["title"],
            parent=row["parent_code"],
            description=row["description"],
            entry_routes=row["entry_routes"],
            tasks=tuple(json.loads(row["tasks_json"] or "[]")),
            related_titles=tuple(json.loads(row["related_titles_json"] or "[]")),
        )
    return groups


def _index_titles(db: Database, release_id: int) -> dict[tuple[str, str], list[str]]:
    table = metadata.tables["soc_index_entries"]
    statement = (
        sa.select(table.c.soc_version, table.c.soc_code, table.c.indexocc)
        .where(table.c.release_id == release_id, table.c.soc_code.is_not(None))
        .order_by(table.c.soc_version, table.c.entry_id)
    )
    titles: dict[tuple[str, str], list[str]] = defaultdict(list)
    with db.engine.connect() as conn:
        for version, code, indexocc in conn.execute(statement):
            bucket = titles[(version, code)]
            if not bucket or bucket[-1] != indexocc:
                bucket.append(indexocc)
    return {key: list(dict.fromkeys(value)) for key, value in titles.items()}
