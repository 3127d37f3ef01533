"""CSV downloads of the production release's rows of a dataset's tables, streamed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from lmi.datasets.base import Dataset
from lmi.store.database import Database
from lmi.widgets.datapages import SHARED_TABLE_KEYS

__all__ = ["csv_rows", "table_for"]

BATCH = 2000


def table_for(dataset: Dataset, name: str | None) -> sa.Table | None:
    """The dataset's table called ``name`` (its first table when ``name`` is None)."""
    if not dataset.tables:
        return None
    if name is None:
        return dataset.tables[0]
    return next((t for t in dataset.tables if t.name == name), None)


def _statement(dataset: Dataset, table: sa.Table, release_id: int) -> sa.Select[Any]:
    columns = [c for c in table.c if c.name != "release_id"]
    statement = sa.select(*columns).where(table.c.release_id == release_id)
    key = SHARED_TABLE_KEYS.get(table.name)
    if key is not None and key in table.c:
        statement = statement.where(table.c[key] == dataset.name)
    primary = [c for c in table.primary_key.columns if c.name != "release_id"]
    return statement.order_by(*primary)


def csv_rows(db: Database, dataset: Dataset, table: sa.Table, release_id: int) -> Iterator[bytes]:
    """The header then the rows as UTF-8 CSV, in batches (a sync iterator: run in a thread)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    statement = _statement(dataset, table, release_id)
    with db.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(statement)
        writer.writerow(result.keys())
        for batch in result.partitions(BATCH):
            writer.writerows(batch)
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()
