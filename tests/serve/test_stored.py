"""Built snapshots kept on disk: read back for the same store, release and code, never else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.serve import snapshot as snapshot_module
from lmi.serve import stored
from lmi.serve.snapshot import Snapshot, load_snapshot
from lmi.store import Database, ReleaseStore, migrate
from tests.soc_fixtures import write_soc_sources


@pytest.fixture
def soc_store(tmp_path: Path) -> Database:
    source = tmp_path / "source"
    write_soc_sources(source)
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    migrate(db)
    assert build_release(db, source, [SOC2010, SOC2020]).promoted
    return db


def no_building(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> Snapshot:
        raise AssertionError("the snapshot was built, not read back")

    monkeypatch.setattr(snapshot_module, "_build", refuse)


def test_a_second_load_reads_the_stored_snapshot(
    soc_store: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "snapshots"
    built = load_snapshot(soc_store, cache_dir=cache)
    assert len(list(cache.glob("*.snapshot"))) == 1
    no_building(monkeypatch)
    read = load_snapshot(soc_store, cache_dir=cache)
    assert read.groups == built.groups and read.index_titles == built.index_titles
    assert set(read.coders) == set(built.coders)
    title = next(iter(built.index_titles.values()))[0]
    assert read.coders["soc2010"].code(title) == built.coders["soc2010"].code(title)
    assert read.coders["soc2010"].code(title).candidates
    assert read.release == built.release


def test_the_release_record_is_read_from_the_store_not_the_file(
    soc_store: Database, tmp_path: Path
) -> None:
    cache = tmp_path / "snapshots"
    first = load_snapshot(soc_store, cache_dir=cache)
    with soc_store.transaction() as tx:
        tx.connection.execute(sa.text("UPDATE lmi_releases SET note = 'changed' WHERE id = 1"))
    again = load_snapshot(soc_store, cache_dir=cache)
    assert first.release.note != "changed" and again.release.note == "changed"


def test_other_code_or_another_store_misses(
    soc_store: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "snapshots"
    load_snapshot(soc_store, cache_dir=cache)
    release = ReleaseStore(soc_store).production()
    assert release is not None
    key = stored.fingerprint(soc_store.url, release.id, release.created_at)
    assert stored.read_parts(cache, release.id, key) is not None
    assert stored.fingerprint("sqlite:///elsewhere", release.id, release.created_at) != key
    assert stored.fingerprint(soc_store.url, release.id, "2001-01-01") != key
    monkeypatch.setattr(stored, "code_fingerprint", lambda: "other code")
    assert stored.fingerprint(soc_store.url, release.id, release.created_at) != key


def test_an_unreadable_file_is_dropped_and_the_snapshot_rebuilt(
    soc_store: Database, tmp_path: Path
) -> None:
    cache = tmp_path / "snapshots"
    load_snapshot(soc_store, cache_dir=cache)
    (stored_file,) = cache.glob("*.snapshot")
    stored_file.write_bytes(b"not a pickle")
    snap = load_snapshot(soc_store, cache_dir=cache)
    assert snap.groups and stored_file.read_bytes() != b"not a pickle"


def test_without_a_cache_directory_nothing_is_written(soc_store: Database, tmp_path: Path) -> None:
    load_snapshot(soc_store)
    assert not list(tmp_path.rglob("*.snapshot"))


def test_a_worker_serving_pinned_releases_keeps_a_file_for_each(tmp_path: Path) -> None:
    """Production, the next release and every retained one must stay cached: the default of
    three files would evict a retained release, whose next pinned load would rebuild it."""
    for release_id in range(1, 7):
        stored.write_parts(tmp_path, release_id, "k", {"n": release_id}, keep=5)
        (written,) = tmp_path.glob(f"release-{release_id}-*")
        os.utime(written, (1_000 + release_id, 1_000 + release_id))  # in order: newest kept
    kept = sorted(int(p.name.split("-")[1]) for p in tmp_path.glob("*.snapshot"))
    assert kept == [2, 3, 4, 5, 6]
    stored.write_parts(tmp_path, 7, "k", {"n": 7})
    assert len(list(tmp_path.glob("*.snapshot"))) == stored.KEEP
