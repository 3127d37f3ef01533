"""`lmi data check`: a build's checks on files, without loading anything into the store."""

from __future__ import annotations

from pathlib import Path

from lmi.datasets import registry
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.etl.check import check_files, match_file
from lmi.store import Database, ReleaseStore
from tests.soc_fixtures import write_soc_sources


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_files_are_matched_by_relative_path_or_name(tmp_path: Path) -> None:
    source = write_soc_sources(tmp_path / "src")
    found = match_file(source / "soc2010" / "soc2010_structure.csv", registry.DATASETS, source)
    assert found is not None and found[0].name == "soc2010"
    elsewhere = tmp_path / "soc2020_unit_groups.csv"
    elsewhere.write_text("x\n")
    found = match_file(elsewhere, registry.DATASETS, None)
    assert found is not None and found[1].path == "soc2020/soc2020_unit_groups.csv"
    assert match_file(tmp_path / "holiday.csv", registry.DATASETS, source) is None


def test_good_files_pass(tmp_path: Path) -> None:
    source = write_soc_sources(tmp_path / "src")
    report = check_files(sorted((source / "soc2010").glob("*.csv")), registry.DATASETS, source)
    assert report.ok, [p.render() for f in report.files for p in f.problems]
    assert len(report.files) == 4 and report.files[0].rows_read > 0


def test_malformed_files_are_rejected_with_each_problem_named(tmp_path: Path) -> None:
    source = write_soc_sources(tmp_path / "src")
    upload = tmp_path / "upload"
    upload.mkdir()
    units = upload / "soc2010_unit_groups.csv"
    units.write_text((source / "soc2010" / "soc2010_unit_groups.csv").read_text())
    _edit(units, "\n1111,", "\n9999,")  # unknown SOC unit group
    index = upload / "soc2010_coding_index.csv"
    index.write_text((source / "soc2010" / "soc2010_coding_index.csv").read_text())
    _edit(index, "\n2,0,", "\n2x,0,")  # a letter in a number column
    groups = upload / "soc2010_group_descriptions.csv"
    groups.write_bytes((source / "soc2010" / "soc2010_group_descriptions.csv").read_bytes()[:900])
    report = check_files([units, index, groups], registry.DATASETS, source)
    assert not report.ok
    codes = {Path(f.path).name: {(p.code, p.column) for p in f.problems} for f in report.files}
    assert ("bad-number", "REC_NO") in codes["soc2010_coding_index.csv"]
    assert ("unknown-code", "soc2010") in codes["soc2010_unit_groups.csv"]
    truncated = codes["soc2010_group_descriptions.csv"]
    assert ("no-final-newline", None) in truncated and ("too-few-rows", None) in truncated


def test_wrong_column_is_rejected(tmp_path: Path) -> None:
    source = write_soc_sources(tmp_path / "src")
    structure = tmp_path / "soc2010_structure.csv"
    structure.write_text((source / "soc2010" / "soc2010_structure.csv").read_text())
    _edit(structure, "parent_code", "parent")
    report = check_files([structure], registry.DATASETS, source)
    assert not report.ok
    assert [(p.severity, p.code, p.column) for p in report.files[0].problems] == [
        ("error", "missing-column", "parent_code"),
        ("warning", "unexpected-column", "parent"),
    ]


def test_cross_file_checks_use_the_loader(tmp_path: Path) -> None:
    """An unknown unit group is only known from the structure file: the loader finds it."""
    source = write_soc_sources(tmp_path / "src")
    _edit(source / "soc2010" / "soc2010_coding_index.csv", ',1111,"Worker', ',1119,"Worker')
    report = check_files(
        [source / "soc2010" / "soc2010_coding_index.csv"], registry.DATASETS, source
    )
    problems = report.files[0].problems
    assert [(p.code, p.column) for p in problems] == [("unknown-code", "SOC_2010")]
    assert "'1119' is not a unit group" in problems[0].message


def test_missing_companion_files_only_skip_cross_file_checks(tmp_path: Path) -> None:
    alone = tmp_path / "soc2010_structure.csv"
    write_soc_sources(tmp_path / "src")
    alone.write_text((tmp_path / "src" / "soc2010" / "soc2010_structure.csv").read_text())
    report = check_files([alone], registry.DATASETS, None)
    assert report.ok and [p.code for p in report.files[0].problems] == ["checks-skipped"]


def test_unknown_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "soc2010_structur.csv"
    path.write_text("a\n1\n")
    report = check_files([path], registry.DATASETS, None)
    assert not report.ok and report.files[0].problems[0].code == "unknown-file"
    assert "did you mean soc2010_structure.csv" in report.files[0].problems[0].message


def test_check_never_touches_the_store_and_build_finds_the_same(
    tmp_path: Path, database: Database
) -> None:
    source = write_soc_sources(tmp_path / "src")
    first = build_release(database, source, [SOC2010, SOC2020])
    _edit(source / "soc2010" / "soc2010_coding_index.csv", "\n3,0,", "\n3y,0,")
    report = check_files(
        [source / "soc2010" / "soc2010_coding_index.csv"], registry.DATASETS, source
    )
    assert len(ReleaseStore(database).all_releases()) == 1
    build = build_release(database, source, [SOC2010, SOC2020])
    assert not build.ok and ReleaseStore(database).production_id() == first.release_id
    built = {p.render() for d in build.datasets for p in d.all_problems()}
    assert {p.render() for p in report.files[0].problems} <= built
