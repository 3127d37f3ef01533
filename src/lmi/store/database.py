"""The one thin database facade: SQLAlchemy Core engines, plain parameterised SQL, `Results`.

Backend differences (SQLite vs PostgreSQL) stay inside this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from lmi.errors import StoreError

__all__ = ["Database", "Results", "normalise_url"]

INSERT_BATCH = 5000


@dataclass(frozen=True)
class Results:
    """Rows of one query, with their column names."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def first(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None

    def scalar(self) -> Any:
        row = self.first()
        return row[0] if row else None

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Database:
    """A store reached by URL: ``sqlite:///path`` (default) or ``postgresql://…``."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine: Engine = self._create_engine(self.url)

    @staticmethod
    def _create_engine(url: str) -> Engine:
        parsed = sa.engine.make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(url)
            sa.event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        if parsed.get_backend_name() == "postgresql":
            return sa.create_engine(url, pool_pre_ping=True)
        raise StoreError(f"unsupported database URL {url!r}: use sqlite:/// or postgresql://")

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Results:
        """Run one read query (``:name`` parameters) and return all its rows."""
        try:
            with self.engine.connect() as conn:
                return _results(conn.execute(sa.text(sql), dict(params or {})))
        except sa.exc.OperationalError as exc:
            raise StoreError(f"database unavailable: {exc.orig}") from exc

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A unit of work: commits on success, rolls back on any exception."""
        try:
            with self.engine.begin() as conn:
                yield Transaction(conn)
        except sa.exc.OperationalError as exc:
            raise StoreError(f"database unavailable: {exc.orig}") from exc

    def has_table(self, name: str) -> bool:
        try:
            with self.engine.connect() as conn:
                return sa.inspect(conn).has_table(name)
        except sa.exc.OperationalError as exc:
            raise StoreError(f"database unavailable: {exc.orig}") from exc

    def release_rows(self, table: sa.Table, release_id: int) -> list[dict[str, Any]]:
        """Every row of a release-scoped table for one release, without ``release_id``."""
        columns = [c for c in table.c if c.name != "release_id"]
        names = [str(c.name) for c in columns]  # plain str keys (not SQLAlchemy quoted_name)
        statement = sa.select(*columns).where(table.c.release_id == release_id)
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(statement).fetchall()  # one driver call, not one per row
            return [dict(zip(names, row, strict=True)) for row in rows]
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot read {table.name}: {exc.orig}") from exc

    def ping(self) -> bool:
        try:
            self.execute("SELECT 1")
        except StoreError:
            return False
        return True

    def close(self) -> None:
        self.engine.dispose()


class Transaction:
    """The connection of one transaction, with the two operations writers need."""

    def __init__(self, conn: Connection) -> None:
        self.connection = conn

    def execute(self, sql: str | sa.Executable, params: Mapping[str, Any] | None = None) -> Results:
        statement = sa.text(sql) if isinstance(sql, str) else sql
        return _results(self.connection.execute(statement, dict(params or {})))

    def refresh_statistics(self, table: sa.Table) -> None:
        """Let PostgreSQL's planner see rows just written in this transaction.

        Without it, a table filled moments ago looks empty to the planner, which then joins it
        by nested loops: a derived dataset's join took 100 s instead of 1 s.
        """
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(sa.text(f'ANALYZE "{table.name}"'))

    def insert_rows(self, table: sa.Table, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert rows in batches; returns how many were written."""
        count = 0
        batch: list[Mapping[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= INSERT_BATCH:
                self.connection.execute(table.insert(), batch)
                count += len(batch)
                batch = []
        if batch:
            self.connection.execute(table.insert(), batch)
            count += len(batch)
        return count

    def insert_tuples(
        self, table: sa.Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """Insert rows given as tuples in ``columns`` order; returns how many were written.

        For millions of rows (the postcode directory): ``COPY`` on PostgreSQL, one prepared
        ``INSERT`` run by the driver's ``executemany`` on SQLite — several times faster than
        :meth:`insert_rows`, which builds a statement from dictionaries.
        """
        unknown = [name for name in columns if name not in table.c]
        if unknown:  # names go into the SQL text: only the table's own columns
            raise StoreError(f"{table.name} has no columns {unknown}")
        quoted = ", ".join(f'"{name}"' for name in columns)
        if self.connection.dialect.name == "postgresql":
            raw: Any = self.connection.connection.dbapi_connection
            count = 0
            with (
                raw.cursor() as cursor,
                cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        statement = (
            f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(columns))})'
        )
        count = 0
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= INSERT_BATCH * 4:
                self.connection.exec_driver_sql(statement, batch)
                count += len(batch)
                batch = []
        if batch:
            self.connection.exec_driver_sql(statement, batch)
            count += len(batch)
        return count


def _results(result: sa.CursorResult[Any]) -> Results:
    if not result.returns_rows:
        return Results(columns=(), rows=[])
    columns: Sequence[str] = tuple(result.keys())
    return Results(columns=tuple(columns), rows=[tuple(row) for row in result.fetchall()])
