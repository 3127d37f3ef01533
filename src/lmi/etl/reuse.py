"""Reload or replace some datasets without rebuilding the rest.

:func:`plan_only` splits the datasets into those to load from files (the named ones, every
dataset sharing a table with them, and everything derived from them) and those whose rows are
copied from the production release (:func:`copy_datasets`, one ``INSERT … SELECT`` per table).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from lmi.checks import DatasetReport
from lmi.datasets.base import Dataset
from lmi.store.database import Database
from lmi.store.schema import release_datasets, release_files

__all__ = ["copy_datasets", "plan_only"]


def plan_only(
    names: Sequence[str], datasets: Sequence[Dataset]
) -> tuple[list[Dataset], list[Dataset]]:
    """(datasets to load, datasets to copy from production), in registry order."""
    known = {ds.name for ds in datasets}
    unknown = sorted(set(names) - known)
    if unknown:
        raise KeyError(", ".join(unknown))
    load = set(names)
    changed = True
    while changed:
        changed = False
        tables = {t.name for ds in datasets if ds.name in load for t in ds.tables}
        for ds in datasets:
            if ds.name in load:
                continue
            shares = any(t.name in tables for t in ds.tables)
            derived = any(d in load for d in ds.depends_on)
            if shares or derived:
                load.add(ds.name)
                changed = True
    return [d for d in datasets if d.name in load], [d for d in datasets if d.name not in load]


def copy_datasets(
    db: Database, reused: Sequence[Dataset], source: int, target: int
) -> list[DatasetReport]:
    """Copy the rows and records of ``reused`` from release ``source`` to ``target``.

    One transaction; each table once, even when several datasets share it (SOC 2010 and 2020).
    """
    reports = [DatasetReport(dataset=ds.name, loader=ds.loader, status="copied") for ds in reused]
    copied: set[str] = set()
    with db.transaction() as tx:
        for ds, report in zip(reused, reports, strict=True):
            for table in ds.tables:
                if table.name not in copied:
                    copied.add(table.name)
                    report.rows_loaded[table.name] = _copy_rows(
                        tx.connection, table, source, target
                    )
            for record in (release_datasets, release_files):
                _copy_records(tx.connection, record, ds.name, source, target)
    return reports


def _copy_rows(conn: sa.Connection, table: sa.Table, source: int, target: int) -> int:
    others = [c for c in table.columns if c.name != "release_id"]
    select = sa.select(sa.literal(target).label("release_id"), *others).where(
        table.c.release_id == source
    )
    result = conn.execute(
        table.insert().from_select(["release_id", *[c.name for c in others]], select)
    )
    return max(result.rowcount, 0)


def _copied(status: sa.Column[Any]) -> sa.ColumnElement[Any]:
    """A dataset production loaded is held by the new release as ``copied``; one production
    lacked (``missing``, ``skipped``) keeps its status, so the release never claims it."""
    return sa.case((status == "loaded", sa.literal("copied")), else_=status).label("status")


def _copy_records(
    conn: sa.Connection, record: sa.Table, dataset: str, source: int, target: int
) -> None:
    others = [c for c in record.columns if c.name != "release_id"]
    values = [_copied(c) if c.name == "status" else c for c in others]
    select = sa.select(sa.literal(target).label("release_id"), *values).where(
        record.c.release_id == source, record.c.dataset == dataset
    )
    conn.execute(record.insert().from_select(["release_id", *[c.name for c in others]], select))
