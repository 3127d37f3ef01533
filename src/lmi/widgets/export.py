"""CSV and Parquet downloads of the production release's rows of a dataset's tables, streamed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from lmi.datasets.base import Dataset
from lmi.store.database import Database
from lmi.widgets.datapages import SHARED_TABLE_KEYS

__all__ = ["csv_rows", "parquet_chunks", "table_for"]

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


class _Chunks:
    """A write-only file collecting what a writer writes, handed out chunk by chunk."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        found, self.parts = b"".join(self.parts), []
        return found


def _arrow_type(column: sa.Column[Any]) -> Any:
    import pyarrow as pa

    kind = column.type
    if isinstance(kind, sa.Boolean):
        return pa.bool_()
    if isinstance(kind, sa.Integer):
        return pa.int64()
    if isinstance(kind, sa.Float | sa.Numeric):
        return pa.float64()
    return pa.string()


def parquet_chunks(
    db: Database, dataset: Dataset, table: sa.Table, release_id: int
) -> Iterator[bytes]:
    """The rows as a Parquet file (one row group per batch, zstd), yielded as it is written.

    Column types come from the table's declaration, so a column that is empty in the first
    batch keeps its type. A sync iterator: run it in a thread.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    statement = _statement(dataset, table, release_id)
    chosen = [table.c[c.name] for c in statement.selected_columns]
    schema = pa.schema([pa.field(c.name, _arrow_type(c)) for c in chosen])
    sink = _Chunks()
    metadata = {b"lmi.dataset": dataset.name.encode(), b"lmi.release": str(release_id).encode()}
    with (
        pq.ParquetWriter(
            pa.PythonFile(sink, mode="w"), schema.with_metadata(metadata), compression="zstd"
        ) as writer,
        db.engine.connect() as conn,
    ):
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(statement)
        for batch in result.partitions(BATCH * 10):
            columns = list(zip(*batch, strict=True))
            writer.write_batch(pa.record_batch(columns, schema=schema))
            if chunk := sink.take():
                yield chunk
    if chunk := sink.take():
        yield chunk
