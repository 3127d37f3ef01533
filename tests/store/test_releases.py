"""Release lifecycle, run on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lmi.datasets.soc.tables import soc_groups
from lmi.errors import ReleaseError
from lmi.store import Database, ReleaseStore


def _build(db: Database, store: ReleaseStore, title: str) -> int:
    release_id = store.create(title)
    with db.transaction() as tx:
        tx.insert_rows(
            soc_groups,
            [
                {
                    "release_id": release_id,
                    "soc_version": "soc2010",
                    "code": "1",
                    "level": "major",
                    "title": title,
                }
            ],
        )
    store.finish(release_id, ok=True, report_json="{}")
    return release_id


def test_promotion_replaces_production_and_keeps_the_previous(database: Database) -> None:
    store = ReleaseStore(database)
    first = _build(database, store, "first")
    store.promote(first, by="test")
    second = _build(database, store, "second")
    assert store.production_id() == first  # building a release does not touch production
    promoted = store.promote(second, by="test", note="why")
    assert promoted.status == "production" and promoted.previous_id == first
    statuses = {r.id: r.status for r in store.all_releases()}
    assert statuses == {first: "archived", second: "production"}
    assert store.table_counts(second)["soc_groups"] == 1


def test_rollback_restores_the_previous_release(database: Database) -> None:
    store = ReleaseStore(database)
    first = _build(database, store, "first")
    store.promote(first, by="test")
    second = _build(database, store, "second")
    store.promote(second, by="test")
    restored = store.rollback(by="test", note="bad data")
    assert restored.id == first and store.production_id() == first
    assert store.get(second) is not None and store.get(second).status == "rolled_back"  # type: ignore[union-attr]
    again = store.promote(second, by="test", note="the rollback was a mistake")
    assert again.status == "production" and again.previous_id == first
    assert store.rollback(by="test").id == first  # and that can be rolled back in turn


def test_rollback_without_previous_release_is_refused(database: Database) -> None:
    store = ReleaseStore(database)
    store.promote(_build(database, store, "only"), by="test")
    with pytest.raises(ReleaseError, match="no previous release"):
        store.rollback(by="test")


def test_failed_build_deletes_its_rows_and_cannot_be_promoted(database: Database) -> None:
    store = ReleaseStore(database)
    release_id = store.create("broken")
    with database.transaction() as tx:
        tx.insert_rows(
            soc_groups,
            [
                {
                    "release_id": release_id,
                    "soc_version": "soc2010",
                    "code": "1",
                    "level": "major",
                    "title": "x",
                }
            ],
        )
    store.finish(release_id, ok=False, report_json="{}")
    left = database.execute(
        "SELECT count(*) FROM soc_groups WHERE release_id = :r", {"r": release_id}
    ).scalar()
    assert left == 0
    with pytest.raises(ReleaseError, match="is failed"):
        store.promote(release_id, by="test")


def test_at_most_one_production_release_is_enforced_by_the_database(database: Database) -> None:
    store = ReleaseStore(database)
    store.promote(_build(database, store, "a"), by="test")
    other = _build(database, store, "b")
    with pytest.raises(sa.exc.IntegrityError), database.transaction() as tx:
        tx.execute("UPDATE lmi_releases SET status = 'production' WHERE id = :id", {"id": other})


def test_promoting_an_unknown_release_is_an_error(database: Database) -> None:
    with pytest.raises(ReleaseError, match="does not exist"):
        ReleaseStore(database).promote(999, by="test")
