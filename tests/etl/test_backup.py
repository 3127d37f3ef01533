"""Backups: a release round-trips through a checksummed file into a fresh store."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.errors import ReleaseError
from lmi.etl import build_release
from lmi.etl.backup import backup_release, default_backup_name, prune_backups, restore_release
from lmi.etl.ops import promote_release
from lmi.etl.runs import OpsConfig
from lmi.store import Database, ReleaseStore, migrate
from lmi.store.schema import release_scoped_tables
from tests.soc_fixtures import write_soc_sources


def _contents(db: Database, release_id: int) -> dict[str, list[tuple[object, ...]]]:
    found = {}
    for table in release_scoped_tables():
        rows = db.release_rows(table, release_id)
        if rows:
            found[table.name] = sorted(tuple(r.values()) for r in rows)
    return found


def test_backup_restores_into_a_fresh_store(tmp_path: Path, database: Database) -> None:
    """Back up from either backend, restore into a fresh SQLite store and into the same one."""
    source = write_soc_sources(tmp_path / "src")
    built = build_release(database, source, [SOC2010, SOC2020])
    path = tmp_path / "backup.jsonl.gz"
    written = backup_release(database, built.release_id, path)
    assert written["rows"] == sum(ReleaseStore(database).table_counts(built.release_id).values())
    fresh = Database(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    migrate(fresh)
    restored = restore_release(fresh, path)
    assert _contents(fresh, restored) == _contents(database, built.release_id)
    store = ReleaseStore(fresh)
    assert store.get(restored).status == "test"  # type: ignore[union-attr]
    assert store.files(restored) == ReleaseStore(database).files(built.release_id)
    again = restore_release(database, path)  # beside the original, as a new release
    assert again != built.release_id
    assert _contents(database, again) == _contents(database, built.release_id)
    fresh.close()


def test_damaged_or_truncated_backups_are_refused(tmp_path: Path, database: Database) -> None:
    source = write_soc_sources(tmp_path / "src")
    built = build_release(database, source, [SOC2010, SOC2020])
    path = tmp_path / "backup.jsonl.gz"
    backup_release(database, built.release_id, path)
    lines = gzip.decompress(path.read_bytes()).splitlines(keepends=True)
    truncated = tmp_path / "truncated.jsonl.gz"
    truncated.write_bytes(gzip.compress(b"".join(lines[:-5])))
    with pytest.raises(ReleaseError, match="truncated"):
        restore_release(database, truncated)
    tampered = tmp_path / "tampered.jsonl.gz"
    tampered.write_bytes(gzip.compress(b"".join(lines).replace(b'"Group 1"', b'"Group X"')))
    with pytest.raises(ReleaseError, match="checksum"):
        restore_release(database, tampered)
    not_gzip = tmp_path / "junk.jsonl.gz"
    not_gzip.write_bytes(b"hello")
    with pytest.raises(ReleaseError, match="not a readable lmi backup"):
        restore_release(database, not_gzip)
    assert len(ReleaseStore(database).all_releases()) == 1  # nothing was created


def test_promotion_backs_up_production_and_keeps_the_newest(
    tmp_path: Path, database: Database
) -> None:
    source = write_soc_sources(tmp_path / "src")
    folder = tmp_path / "backups"
    ops = OpsConfig(backup_dir=folder, backup_keep=2)
    first = build_release(database, source, [SOC2010, SOC2020], ops=ops)
    written = [p.name for p in folder.glob("*.jsonl.gz")]  # the build backs up what it made
    assert len(written) == 1 and written[0].startswith(f"lmi-release-{first.release_id}-")
    for _ in range(3):
        report = build_release(database, source, [SOC2010, SOC2020], promote=False)
        promote_release(database, report.release_id, by="tester", ops=ops)
    kept = sorted(folder.glob("*.jsonl.gz"))
    assert len(kept) == 2
    assert not any(p.name.startswith(f"lmi-release-{first.release_id}-") for p in kept)


def test_a_release_backed_up_at_build_time_is_promoted_without_a_second_backup(
    tmp_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backup of the outgoing production release is written when it was built, so the
    promotion itself only switches releases (seconds, not minutes, on a real release)."""
    source = write_soc_sources(tmp_path / "src")
    ops = OpsConfig(backup_dir=tmp_path / "backups", backup_keep=1)
    first = build_release(database, source, [SOC2010, SOC2020], ops=ops)
    second = build_release(database, source, [SOC2010, SOC2020], promote=False, ops=ops)

    def no_backup(*args: object) -> None:
        raise AssertionError("promotion wrote a backup although one existed")

    monkeypatch.setattr("lmi.etl.ops.backup_release", no_backup)
    promote_release(database, second.release_id, by="tester", ops=ops)
    names = sorted(p.name for p in (tmp_path / "backups").glob("*.jsonl.gz"))
    # keep=1, yet both survive: the outgoing production's backup is never pruned by promotion
    assert [n.split("-")[2] for n in names] == sorted(
        [str(first.release_id), str(second.release_id)]
    )
    restored = restore_release(database, tmp_path / "backups" / names[0])
    assert ReleaseStore(database).get(restored) is not None


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    for n in range(4):
        (tmp_path / f"lmi-release-{n}-x.jsonl.gz").write_text("x")
    deleted = prune_backups(tmp_path, 3)
    assert len(deleted) == 1 and len(list(tmp_path.glob("*.gz"))) == 3


def test_a_killed_backups_partial_file_is_removed_by_the_next_run(
    tmp_path: Path, database: Database
) -> None:
    """kill -9 during a backup leaves ``*.partial``; the next backup or pruning removes it."""
    source = write_soc_sources(tmp_path / "src")
    report = build_release(database, source, [SOC2010, SOC2020])
    folder = tmp_path / "backups"
    folder.mkdir()
    leftover = folder / "lmi-release-1-20260101T000000000000Z.jsonl.gz.partial"
    leftover.write_bytes(b"half a backup")
    unrelated = folder / "notes.partial"  # not lmi's: left alone
    unrelated.write_text("mine")
    backup_release(database, report.release_id, folder / default_backup_name(report.release_id))
    assert not leftover.exists() and unrelated.exists()
    leftover.write_bytes(b"half a backup")
    assert leftover in prune_backups(folder, 5)
    assert not leftover.exists()
