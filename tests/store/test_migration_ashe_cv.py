"""Migration 6 adds ``ashe_cells.cv_json`` to a store made before the ASHE workbooks."""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store import Database
from lmi.store.migrations import migrate


def _columns(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return {c["name"] for c in sa.inspect(conn).get_columns("ashe_cells")}


def test_an_older_store_gets_the_column_once(database: Database) -> None:
    migrate(database)
    assert "cv_json" in _columns(database)
    with database.engine.begin() as conn:  # as a store migrated before version 6 was
        conn.exec_driver_sql("ALTER TABLE ashe_cells DROP COLUMN cv_json")
        conn.exec_driver_sql("DELETE FROM lmi_schema_migrations WHERE version = 6")
    assert "cv_json" not in _columns(database)
    assert migrate(database) == [6]
    assert "cv_json" in _columns(database)
    assert migrate(database) == []  # applied once
