"""What a data page shows: a dataset from the registry, its files, tables and release history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from lmi.datasets.base import Dataset
from lmi.store.database import Database
from lmi.store.releases import Release, ReleaseStore

__all__ = ["METHODS", "DatasetPage", "HistoryRow", "dataset_page", "dataset_tables"]

#: provenance labels carried by every figure (``meta.provenance[].method``, ``X-LMI-Method``)
METHODS = (
    (
        "observed",
        "Published by the source as it stands, or derived exactly from published figures.",
    ),
    (
        "modelled",
        "Estimated from real inputs by a stated method (for example re-expressed in another SOC "
        "version through ONS dual-coding proportions). The method is named beside the figure.",
    ),
    (
        "synthetic",
        "A labelled stand-in from lmi's generator where no real input exists: it has the shape of "
        "the real data but is not an official statistic. Never use it for decisions.",
    ),
)

#: tables shared by several datasets, and the column whose value is the dataset's name
SHARED_TABLE_KEYS = {"soc_groups": "soc_version", "soc_index_entries": "soc_version"}
HISTORY_LIMIT = 20


@dataclass(frozen=True)
class HistoryRow:
    release: Release
    status: str
    rows_loaded: int
    errors: int
    warnings: int


@dataclass
class DatasetPage:
    dataset: Dataset
    production: Release | None
    files: list[dict[str, Any]] = field(default_factory=list)
    table_rows: dict[str, int] = field(default_factory=dict)
    history: list[HistoryRow] = field(default_factory=list)

    @property
    def loaded(self) -> bool:
        return any(h.release.status == "production" and h.status == "loaded" for h in self.history)


def dataset_tables(dataset: Dataset) -> list[str]:
    return [table.name for table in dataset.tables]


def dataset_page(db: Database, dataset: Dataset) -> DatasetPage:
    store = ReleaseStore(db)
    production = store.production()
    page = DatasetPage(dataset=dataset, production=production)
    if production is not None:
        recorded = {
            f["path"]: f for f in store.files(production.id) if f["dataset"] == dataset.name
        }
        page.files = [
            {
                "path": f.path,
                "description": f.description,
                "required": f.required,
                **recorded.get(f.path, {}),
            }
            for f in dataset.files
        ]
        counts = store.table_counts(production.id)
        page.table_rows = {
            table.name: _shared_count(db, dataset, table, production.id)
            if table.name in SHARED_TABLE_KEYS
            else counts.get(table.name, 0)
            for table in dataset.tables
        }
    else:
        page.files = [
            {"path": f.path, "description": f.description, "required": f.required}
            for f in dataset.files
        ]
    page.history = _history(store, dataset.name)
    return page


def _shared_count(db: Database, dataset: Dataset, table: sa.Table, release_id: int) -> int:
    """Rows of a table shared by several datasets that belong to ``dataset``."""
    key = table.c[SHARED_TABLE_KEYS[table.name]]
    statement = (
        sa.select(sa.func.count())
        .select_from(table)
        .where(table.c.release_id == release_id, key == dataset.name)
    )
    with db.engine.connect() as conn:
        return int(conn.execute(statement).scalar_one())


def _history(store: ReleaseStore, name: str) -> list[HistoryRow]:
    rows: list[HistoryRow] = []
    for release in store.all_releases()[:HISTORY_LIMIT]:
        for record in store.datasets(release.id):
            if record["dataset"] == name:
                rows.append(
                    HistoryRow(
                        release=release,
                        status=str(record["status"]),
                        rows_loaded=int(record["rows_loaded"]),
                        errors=int(record["errors"]),
                        warnings=int(record["warnings"]),
                    )
                )
    return rows
