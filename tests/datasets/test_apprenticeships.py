"""IfATE apprenticeship standards: the JSON (API) and CSV exports, on fixtures."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from lmi.datasets.apprenticeships import APPRENTICESHIPS
from lmi.datasets.apprenticeships.parse import CSV_FILE, JSON_FILE, split_list
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, rewrite_csv
from tests.soc_fixtures import write_soc_sources


def _source(tmp_path: Path, keep: str) -> Path:
    write_soc_sources(tmp_path)
    folder = copy_fixture(tmp_path, "apprenticeships")
    for name in ("apprenticeship_standards.json", "apprenticeship_standards.csv"):
        if not name.endswith(keep):
            (folder / name).unlink()
    return tmp_path


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [SOC2010, SOC2020, APPRENTICESHIPS])


def _standards(database: Database) -> dict[str, tuple[object, ...]]:
    return {
        r[0]: r[1:]
        for r in database.execute(
            "SELECT reference, version, title, level, route, status, typical_duration_months, "
            "lars_code, job_titles_json FROM apprenticeship_standards"
        ).rows
    }


def _links(database: Database) -> set[tuple[str, str, str]]:
    return set(
        database.execute(
            "SELECT reference, soc_version, soc_code FROM apprenticeship_standard_soc"
        ).rows
    )


EXPECTED_LINKS = {
    ("ST0116", "soc2010", "2134"),
    ("ST0116", "soc2020", "2134"),
    ("ST0116", "soc2020", "2133"),
    ("ST0152", "soc2010", "5241"),
    ("ST0152", "soc2020", "5241"),
    ("ST0781", "soc2020", "2231"),
}


def test_json_export_loads_keeping_the_latest_version(tmp_path: Path, database: Database) -> None:
    built = _build(database, _source(tmp_path, ".json"))
    assert built.promoted, built.problems
    standards = _standards(database)
    assert set(standards) == {"ST0116", "ST0152", "ST0781"}
    assert standards["ST0116"][:7] == (
        "1.1",
        "Fixture software developer",
        4,
        "Digital",
        "Approved for delivery",
        18,
        2,
    )
    assert json.loads(str(standards["ST0116"][7])) == ["Fixture developer", "Fixture programmer"]
    assert json.loads(str(standards["ST0152"][7])) == ["Fixture electrician", "Fixture installer"]
    assert standards["ST0781"][6] is None  # no LARS code in the record
    assert _links(database) == EXPECTED_LINKS


def test_csv_export_gives_the_same_tables(tmp_path: Path, database: Database) -> None:
    built = _build(database, _source(tmp_path, ".csv"))
    assert built.promoted, built.problems
    assert set(_standards(database)) == {"ST0116", "ST0152", "ST0781"}
    assert _links(database) == EXPECTED_LINKS


def test_both_exports_read_the_json_and_say_so(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path, ".json")
    copy_fixture(source, "apprenticeships")
    built = _build(database, source)
    assert built.promoted, built.problems
    assert any("both exports present" in p for p in built.warnings())


def test_no_export_leaves_the_dataset_missing(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path, ".json")
    (source / JSON_FILE).unlink()
    built = _build(database, source)
    assert built.status("apprenticeships") == "missing"
    assert any(f"{JSON_FILE} or {CSV_FILE} not found" in p for p in built.warnings())


def test_unknown_soc_and_route_are_warnings(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path, ".csv")
    rewrite_csv(source / CSV_FILE, {1: {"soc2020": "5241|9999", "route": "Space travel"}})
    built = _build(database, source)
    assert built.promoted, built.problems
    warnings = built.warnings()
    assert any(f"{CSV_FILE}:3 [soc2020]" in p and "'9999'" in p for p in warnings), warnings
    assert any(f"{CSV_FILE}:3 [route]" in p and "Space travel" in p for p in warnings)
    assert ("ST0152", "soc2020", "5241") in _links(database)


def test_bad_reference_and_level_are_errors(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path, ".json")
    path = source / JSON_FILE
    records = json.loads(path.read_text())
    records[2]["referenceNumber"] = "STX152"
    records[3]["level"] = 9
    path.write_text(json.dumps(records))
    built = _build(database, source)
    assert not built.promoted
    errors = built.errors()
    assert any(f"{JSON_FILE}:3 [referenceNumber]" in p and "STX152" in p for p in errors), errors
    assert any(f"{JSON_FILE}:4 [level]" in p and "'9'" in p for p in errors), errors


def test_broken_json_is_an_error_not_a_crash(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path, ".json")
    (source / JSON_FILE).write_text('{"standards": [{"referenceNumber": "ST0001"')
    built = _build(database, source)
    assert not built.promoted
    assert any("not valid JSON" in p for p in built.errors()), built.problems
    (source / JSON_FILE).write_text('{"items": 3}')
    assert any("expected an array" in p for p in _build(database, source).errors())


@given(st.lists(st.from_regex(r"[1-9]\d{3}", fullmatch=True), max_size=6))
def test_split_list_reads_json_lists_and_joined_text_alike(codes: list[str]) -> None:
    assert split_list(codes) == codes
    assert split_list(json.dumps(codes)) == codes
    assert split_list("|".join(codes)) == codes
    assert split_list(", ".join(codes)) == codes
