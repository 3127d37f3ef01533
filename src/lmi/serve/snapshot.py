"""An immutable in-memory view of one production release, built once per release.

The API answers from this snapshot, so the hot path is a dictionary lookup. A new snapshot is
built beside the old one when a release is promoted and swapped in with one assignment: no
request ever sees a half-loaded release.

What a snapshot holds is declared by the datasets, never listed here: each loaded dataset's
``snapshot_tables`` (rows kept whole) and ``views`` (its query model, handed out by the typed
key ``snapshot.view(PAY)``). Structures the serving side derives from several datasets are
:class:`Derived` keys declared where they are used.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from lmi.datasets import registry
from lmi.datasets.base import View
from lmi.errors import NotFound, NotReady
from lmi.pickling import by_constructor
from lmi.search.coder import Coder, load_coders
from lmi.serve import stored
from lmi.serve.cache import ResponseCache
from lmi.store.database import Database
from lmi.store.releases import Release, ReleaseStore
from lmi.store.schema import metadata
from lmi.synth.demo import demo_provenance

__all__ = ["Derived", "Group", "Snapshot", "load_snapshot"]

T = TypeVar("T")


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

    __reduce__ = by_constructor


@dataclass(frozen=True, eq=False)
class Derived(Generic[T]):
    """A structure the serving side derives from a whole snapshot (headers, averages, models).

    Like a dataset's :class:`~lmi.datasets.base.View`, the object is its own typed key:
    ``snapshot.derived(COMPAT_HEADERS)`` builds it on first use and then returns the same object
    for the life of that release.
    """

    name: str
    build: Callable[[Snapshot], T]

    def __repr__(self) -> str:
        return f"Derived({self.name!r})"


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
    db: Database
    #: rendered response bodies for this release, within a byte budget
    responses: ResponseCache = field(default_factory=ResponseCache)
    _views: dict[View[Any], Any] = field(default_factory=dict, repr=False)
    _derived: dict[Derived[Any], Any] = field(default_factory=dict, repr=False)
    _grouped: dict[tuple[str, tuple[str, ...]], Any] = field(default_factory=dict, repr=False)

    @property
    def release_id(self) -> int:
        return self.release.id

    def provenance(self, dataset: str, *, method: str | None = None) -> dict[str, Any]:
        """``{source, release, method}`` for figures from ``dataset`` in this release."""
        info = self.datasets.get(dataset, {})
        return {
            "dataset": dataset,
            "source": info.get("source", dataset),
            "publisher": info.get("publisher"),
            "licence": info.get("licence"),
            "release": self.release.id,
            "method": self.release.method
            if self.release.kind == "synthetic"
            else method or self.release.method,
        }

    def has(self, dataset: str) -> bool:
        return dataset in self.datasets

    def rows(self, table: str) -> list[dict[str, Any]]:
        return self.tables.get(table, [])

    def unit_groups(self, version: str) -> set[str]:
        return {
            code
            for (group_version, code), group in self.groups.items()
            if group_version == version and group.level == "unit_group"
        }

    def view(self, key: View[T]) -> T:
        """A dataset's query model; :class:`NotFound` when the release did not load the dataset."""
        found = self.view_or_none(key)
        if found is None:
            raise NotFound(f"the {key.dataset} dataset is not loaded in release {self.release.id}")
        return found

    def view_or_none(self, key: View[T]) -> T | None:
        """A dataset's query model, or ``None`` when the release did not load the dataset."""
        if key in self._views:
            found: T | None = self._views[key]
            return found
        if key.dataset is not None and not self.has(key.dataset):
            return None
        built = key.build(self)
        self._views[key] = built
        return built

    def derived(self, key: Derived[T]) -> T:
        """A structure derived from this snapshot, built on first use."""
        if key in self._derived:
            found: T = self._derived[key]
            return found
        built = key.build(self)
        self._derived[key] = built
        return built

    def grouped(self, table: str, *key: str) -> dict[Any, list[dict[str, Any]]]:
        """Rows of ``table`` grouped by ``key`` columns (built once per snapshot)."""
        found: dict[Any, list[dict[str, Any]]] | None = self._grouped.get((table, key))
        if found is None:
            groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
            for row in self.rows(table):
                groups[row[key[0]] if len(key) == 1 else tuple(row[k] for k in key)].append(row)
            found = dict(groups)
            self._grouped[(table, key)] = found
        return found


def load_snapshot(
    db: Database,
    release_id: int | None = None,
    *,
    cache_dir: Path | None = None,
    keep: int = stored.KEEP,
    freeze: bool = False,
) -> Snapshot:
    """Read a release (by default the production one) into memory and build its views.

    With ``cache_dir``, a snapshot built before for the same store, release and code is read
    back from there instead of being built, and a new one is stored (:mod:`lmi.serve.stored`).
    ``freeze`` moves the snapshot out of the cyclic collector's reach (``gc.freeze``): for the
    release a server reads before it starts (or forks), which it keeps for a long time.
    """
    store = ReleaseStore(db)
    release = store.get(release_id) if release_id is not None else store.production()
    if release is None:
        raise NotReady("no release is in production: run `lmi data build`")
    datasets = _loaded_datasets(store, release)
    key = stored.fingerprint(db.url, release.id, release.created_at) if cache_dir else ""
    parts = stored.read_parts(cache_dir, release.id, key, freeze=freeze) if cache_dir else None
    if parts is not None:
        views = parts.pop("views")
        snapshot = Snapshot(release=release, datasets=datasets, db=db, **parts)
        for view in registry.VIEWS:  # stored ones read back, the others built now
            if _view_name(view) in views:
                snapshot._views[view] = views[_view_name(view)]
            else:
                snapshot.view_or_none(view)
        return snapshot
    snapshot = _build(db, release, datasets)
    if cache_dir is not None:
        stored.write_parts(cache_dir, release.id, key, _parts(snapshot), keep=keep)
    if freeze:
        gc.freeze()
    return snapshot


def _build(db: Database, release: Release, datasets: dict[str, dict[str, Any]]) -> Snapshot:
    groups = _groups(db, release.id)
    children: dict[tuple[str, str], list[str]] = defaultdict(list)
    for group in groups.values():
        if group.parent:
            children[(group.version, group.parent)].append(group.code)
    loaded = [d for d in registry.DATASETS if d.name in datasets]
    tables = {  # only tables of datasets this release loaded: an older store may lack the rest
        name: db.release_rows(metadata.tables[name], release.id)
        for dataset in loaded
        for name in dataset.snapshot_tables
    }
    snapshot = Snapshot(
        release=release,
        datasets=datasets,
        groups=groups,
        children={k: sorted(v) for k, v in children.items()},
        index_titles=_index_titles(db, release.id),
        coders=load_coders(db, release.id),
        tables=tables,
        db=db,
    )
    for view in registry.VIEWS:  # every view now, so no request pays for building one
        snapshot.view_or_none(view)
    return snapshot


def _parts(snapshot: Snapshot) -> dict[str, Any]:
    """What a stored snapshot holds: everything built from the release's rows."""
    return {
        "groups": snapshot.groups,
        "children": snapshot.children,
        "index_titles": snapshot.index_titles,
        "coders": snapshot.coders,
        "tables": snapshot.tables,
        "views": {
            _view_name(view): value for view, value in snapshot._views.items() if view.storable
        },
    }


def _view_name(view: View[Any]) -> str:
    return f"{view.dataset}:{view.name}"


#: dataset statuses of a release that holds the dataset's rows: loaded from files, or copied
#: from production by ``lmi data build --only`` (lmi.etl.reuse)
HELD = frozenset({"loaded", "copied"})


def _loaded_datasets(store: ReleaseStore, release: Release) -> dict[str, dict[str, Any]]:
    known = {d.name: d for d in registry.DATASETS}
    found: dict[str, dict[str, Any]] = {}
    for row in store.datasets(release.id):
        if row["status"] not in HELD:
            continue
        ds = known.get(row["dataset"])
        found[row["dataset"]] = ds.provenance() if ds else {"source": row["dataset"]}
        if release.kind == "synthetic":  # the demo: lmi's generator, never the real publisher
            found[row["dataset"]] = demo_provenance(ds.title if ds else row["dataset"])
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
