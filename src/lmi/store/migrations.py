"""Versioned schema migrations, recorded in ``lmi_schema_migrations``.

Migration N creates the tables whose ``info["since"]`` is N (see :mod:`lmi.store.schema`) and
then runs any extra statements listed for N. Migrations are applied in order, once each; after
them, any declared table still missing (a dataset added later) is created, and so is any
declared index an existing table lacks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from lmi.store import adverts as _advert_tables  # noqa: F401  (declares the advert tables)
from lmi.store.database import Database, Transaction
from lmi.store.schema import metadata, schema_migrations

__all__ = ["MIGRATION_NAMES", "applied_versions", "migrate"]

MIGRATION_NAMES: dict[int, str] = {
    1: "releases and classifications",
    2: "data operations: run log and locks",
    3: "API keys and usage counts",
    4: "admin dashboard: users, sessions and events",
    5: "job adverts beside releases: adverts, pull runs, feed cursors, weekly counts",
    6: "ASHE: coefficients of variation per statistic (ashe_cells.cv_json)",
}


def _ashe_cv_json(tx: Transaction) -> None:
    """Stores made before the ASHE workbooks were read lack ``ashe_cells.cv_json``."""
    import sqlalchemy as sa

    inspector = sa.inspect(tx.connection)
    if not inspector.has_table("ashe_cells"):
        return  # created whole, with the column, by _create_missing_tables
    columns = {c["name"] for c in inspector.get_columns("ashe_cells")}
    if "cv_json" not in columns:
        tx.connection.exec_driver_sql(
            "ALTER TABLE ashe_cells ADD COLUMN cv_json TEXT NOT NULL DEFAULT '{}'"
        )


EXTRA_STEPS: dict[int, Callable[[Transaction], None]] = {6: _ashe_cv_json}


def applied_versions(db: Database) -> set[int]:
    if not db.has_table(schema_migrations.name):
        return set()
    return {row[0] for row in db.execute("SELECT version FROM lmi_schema_migrations").rows}


def migrate(db: Database) -> list[int]:
    """Bring the schema up to date; returns the versions applied now."""
    done = applied_versions(db)
    applied: list[int] = []
    for version in sorted(MIGRATION_NAMES):
        if version in done:
            continue
        tables = [t for t in metadata.sorted_tables if t.info.get("since") == version]
        with db.transaction() as tx:
            metadata.create_all(tx.connection, tables=tables, checkfirst=True)
            if version in EXTRA_STEPS:
                EXTRA_STEPS[version](tx)
            tx.connection.execute(
                schema_migrations.insert(),
                {
                    "version": version,
                    "name": MIGRATION_NAMES[version],
                    "applied_at": datetime.now(UTC).isoformat(timespec="seconds"),
                },
            )
        applied.append(version)
    _create_missing_tables(db)
    _create_missing_indexes(db)
    return applied


def _create_missing_tables(db: Database) -> None:
    """New tables need no migration step: any declared table the store lacks is created.

    (A dataset added after a store was first migrated declares its tables like the others;
    changes to existing tables still need a numbered migration with an extra step.)
    """
    with db.transaction() as tx:
        metadata.create_all(tx.connection, checkfirst=True)


def _create_missing_indexes(db: Database) -> None:
    """An index declared on a table that already exists is created (it changes no answer).

    ``create_all`` leaves existing tables alone, indexes included, so a store made before an
    index was declared (the postcode directory's lat,lng index) would never get it. Building
    one on a large table takes a while, once; later runs only inspect the store.
    """
    import sqlalchemy as sa

    declared = [t for t in metadata.sorted_tables if t.indexes]
    if not declared:
        return
    with db.transaction() as tx:
        inspector = sa.inspect(tx.connection)
        for table in declared:
            if not inspector.has_table(table.name):
                continue
            present = {i["name"] for i in inspector.get_indexes(table.name)}
            for index in sorted(table.indexes, key=lambda i: str(i.name)):
                if index.name not in present:
                    index.create(tx.connection, checkfirst=True)
