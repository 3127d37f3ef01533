from __future__ import annotations

from pathlib import Path

import pytest

from lmi.errors import StoreError
from lmi.store import Database, migrate
from lmi.store.database import normalise_url
from lmi.store.migrations import MIGRATION_NAMES, applied_versions


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_normalise_url(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_unsupported_url_is_refused() -> None:
    with pytest.raises(StoreError, match="unsupported database URL"):
        Database("mysql://root@localhost/x")


def test_results_helpers(database: Database) -> None:
    results = database.execute("SELECT 1 AS a, 'x' AS b")
    assert results.columns == ("a", "b")
    assert results.first() == (1, "x") and results.scalar() == 1
    assert results.dicts() == [{"a": 1, "b": "x"}]


def test_migrations_apply_once(database: Database) -> None:
    assert applied_versions(database) == set(MIGRATION_NAMES)
    assert migrate(database) == []


def test_sqlite_file_is_created_in_a_new_directory(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new' / 'dir' / 'lmi.sqlite'}")
    assert migrate(db) == sorted(MIGRATION_NAMES)
    assert (tmp_path / "new" / "dir" / "lmi.sqlite").exists()
    db.close()


def test_unreachable_postgres_is_a_store_error() -> None:
    db = Database("postgresql://postgres@127.0.0.1:1/none?connect_timeout=1")
    with pytest.raises(StoreError, match="database unavailable"):
        db.execute("SELECT 1")
    assert db.ping() is False


def test_tables_declared_after_first_migration_are_created(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from lmi.store.schema import metadata

    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    migrate(db)
    late = sa.Table(
        "late_dataset_table",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        info={"since": 1},
    )
    try:
        assert not sa.inspect(db.engine).has_table("late_dataset_table")
        assert migrate(db) == []  # no numbered migration runs again…
        assert sa.inspect(db.engine).has_table("late_dataset_table")  # …but the table exists
    finally:
        metadata.remove(late)
        db.close()
