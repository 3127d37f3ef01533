"""The build: new release beside production, promotion only when everything required passed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lmi.datasets.base import Dataset, LoadContext, SourceFile
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.datasets.soc.tables import soc_groups
from lmi.errors import ConfigurationError
from lmi.etl import build_release
from lmi.store import Database, ReleaseStore
from tests.soc_fixtures import write_soc_sources


def _crashing_loader(ctx: LoadContext) -> None:
    ctx.write(soc_groups, [{"soc_version": "x", "code": "1", "level": "major", "title": "t"}])
    raise RuntimeError("boom")


def _optional(name: str, load: object = None, depends_on: tuple[str, ...] = ()) -> Dataset:
    return Dataset(
        name=name,
        title=name,
        publisher="p",
        licence="l",
        files=(SourceFile(f"{name}/file.csv", "a file"),),
        tables=(),
        load=load or (lambda ctx: None),
        depends_on=depends_on,  # type: ignore[arg-type]
    )


def test_missing_required_dataset_fails_and_leaves_production(
    tmp_path: Path, database: Database
) -> None:
    write_soc_sources(tmp_path)
    first = build_release(database, tmp_path, [SOC2010, SOC2020])
    assert first.promoted
    shutil.rmtree(tmp_path / "soc2020")
    second = build_release(database, tmp_path, [SOC2010, SOC2020])
    assert not second.ok and not second.promoted
    status = {d.dataset: d.status for d in second.datasets}
    assert status == {"soc2010": "loaded", "soc2020": "missing"}
    assert ReleaseStore(database).production_id() == first.release_id
    left = database.execute(
        "SELECT count(*) FROM soc_groups WHERE release_id = :r", {"r": second.release_id}
    ).scalar()
    assert left == 0  # the failed release's rows are gone


def test_missing_optional_dataset_is_a_warning(tmp_path: Path, database: Database) -> None:
    write_soc_sources(tmp_path)
    report = build_release(database, tmp_path, [SOC2010, SOC2020, _optional("extra")])
    assert report.promoted
    extra = report.datasets[-1]
    assert extra.status == "missing" and extra.warnings == 1 and extra.errors == 0


def test_loader_crash_is_reported_and_its_rows_discarded(
    tmp_path: Path, database: Database
) -> None:
    write_soc_sources(tmp_path)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "file.csv").write_text("a\n1\n")
    report = build_release(
        database, tmp_path, [SOC2010, SOC2020, _optional("bad", _crashing_loader)]
    )
    assert not report.promoted
    bad = report.datasets[-1]
    assert bad.status == "failed"
    assert [p.code for p in bad.problems] == ["loader-crashed"]
    assert "RuntimeError: boom" in bad.problems[0].message
    assert database.execute("SELECT count(*) FROM soc_groups WHERE soc_version = 'x'").scalar() == 0


def test_dependants_of_a_failed_dataset_are_skipped(tmp_path: Path, database: Database) -> None:
    write_soc_sources(tmp_path)
    for name in ("bad", "child"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "file.csv").write_text("a\n1\n")
    report = build_release(
        database,
        tmp_path,
        [
            SOC2010,
            SOC2020,
            _optional("bad", _crashing_loader),
            _optional("child", depends_on=("bad",)),
        ],
    )
    child = report.datasets[-1]
    assert child.status == "skipped" and child.problems[0].code == "dependency-failed"


def test_stale_building_release_is_failed_by_the_next_build(
    tmp_path: Path, database: Database
) -> None:
    store = ReleaseStore(database)
    stale = store.create("killed mid-build")
    write_soc_sources(tmp_path)
    build_release(database, tmp_path, [SOC2010, SOC2020])
    assert store.get(stale).status == "failed"  # type: ignore[union-attr]


def test_report_records_files_with_checksums(tmp_path: Path, database: Database) -> None:
    write_soc_sources(tmp_path)
    report = build_release(database, tmp_path, [SOC2010, SOC2020])
    files = ReleaseStore(database).files(report.release_id)
    assert len(files) == 8 and all(len(f["sha256"]) == 64 and f["bytes"] > 0 for f in files)
    datasets = ReleaseStore(database).datasets(report.release_id)
    assert [d["loader"] for d in datasets] == ["soc2010@1", "soc2020@1"]


def test_no_promote_leaves_a_test_release(tmp_path: Path, database: Database) -> None:
    write_soc_sources(tmp_path)
    report = build_release(database, tmp_path, [SOC2010, SOC2020], promote=False)
    assert report.ok and not report.promoted
    assert ReleaseStore(database).get(report.release_id).status == "test"  # type: ignore[union-attr]


def test_missing_source_directory(tmp_path: Path, database: Database) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        build_release(database, tmp_path / "nowhere", [SOC2010])
