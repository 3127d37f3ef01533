"""SOC 2010 and SOC 2020 loaders: on the real ONS files, and on broken fixture files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.datasets.soc.parse import natural_order
from lmi.etl import build_release
from lmi.store import Database
from tests.soc_fixtures import write_soc_sources


@pytest.mark.parametrize(
    ("inverted", "natural"),
    [
        ("Engineer, software", "Software engineer"),
        ("Analyst, project, IT", "IT project analyst"),
        ("Author, software, application", "Application software author"),
        ("Analyst-programmer", "Analyst-programmer"),
        ("IT, manager", "Manager IT"),
    ],
)
def test_natural_order(inverted: str, natural: str) -> None:
    assert natural_order(inverted) == natural


# -- real files --------------------------------------------------------------------------------


def test_real_soc_counts(real_release_db: Database) -> None:
    rows = real_release_db.execute(
        "SELECT soc_version, level, count(*) FROM soc_groups GROUP BY soc_version, level"
    ).rows
    counts = {(v, lvl): n for v, lvl, n in rows}
    assert counts[("soc2010", "unit_group")] == 369
    assert counts[("soc2020", "unit_group")] == 412
    assert counts[("soc2010", "sub_major")] == 25 and counts[("soc2020", "sub_major")] == 26
    assert counts[("soc2010", "minor")] == 90 and counts[("soc2020", "minor")] == 104


def test_real_soc2010_2136_has_its_ons_text(real_release_db: Database) -> None:
    row = real_release_db.execute(
        "SELECT title, description, tasks_json, parent_code FROM soc_groups "
        "WHERE soc_version = 'soc2010' AND code = '2136'"
    ).first()
    assert row is not None
    title, description, tasks, parent = row
    assert title == "Programmers and software development professionals"
    assert description.startswith("Programmers and software development professionals design")
    assert "writes and codes individual programs according to specifications;" in json.loads(tasks)
    assert parent == "213"


def test_real_coding_index_sizes(real_release_db: Database) -> None:
    rows = dict(
        real_release_db.execute(
            "SELECT soc_version, count(*) FROM soc_index_entries GROUP BY soc_version"
        ).rows
    )
    assert rows == {"soc2010": 28748, "soc2020": 32195}
    see = real_release_db.execute(
        "SELECT count(*) FROM soc_index_entries WHERE soc_version = 'soc2010' "
        "AND soc_code IS NULL AND see IS NOT NULL"
    ).scalar()
    assert see == 227


def test_real_soc2020_index_carries_soc2010_and_isco(real_release_db: Database) -> None:
    row = real_release_db.execute(
        "SELECT soc_code, soc2010, isco08, natural_title, soc2020_ext FROM soc_index_entries "
        "WHERE soc_version = 'soc2020' AND indexocc = 'Analyst, database'"
    ).first()
    assert row == ("2134", "2136", "2521", "Database analyst", "2134/99")


# -- fixture files -----------------------------------------------------------------------------


def _build(tmp_path: Path, database: Database) -> tuple[bool, list[str]]:
    report = build_release(database, tmp_path, [SOC2010, SOC2020])
    problems = [p.render() for d in report.datasets for p in d.all_problems()]
    return report.promoted, problems


def test_fixture_sources_load(tmp_path: Path, database: Database) -> None:
    promoted, problems = _build(write_soc_sources(tmp_path), database)
    assert promoted, problems
    assert database.execute("SELECT count(*) FROM soc_groups").scalar() == 493 + 551


def _rewrite(path: Path, change: dict[int, dict[str, str]], drop_from: int | None = None) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    for index, values in change.items():
        rows[index].update(values)
    if drop_from is not None:
        rows = rows[:drop_from]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)


def test_truncated_structure_is_rejected(tmp_path: Path, database: Database) -> None:
    write_soc_sources(tmp_path)
    _rewrite(tmp_path / "soc2010/soc2010_structure.csv", {}, drop_from=400)
    promoted, problems = _build(tmp_path, database)
    assert not promoted
    assert any(
        "expected 369 SOC codes at level 'unit', found 300" in p and "wrong-count" in p
        for p in problems
    )


def test_letter_in_a_code_is_reported_with_row_and_column(
    tmp_path: Path, database: Database
) -> None:
    write_soc_sources(tmp_path)
    _rewrite(tmp_path / "soc2020/soc2020_unit_groups.csv", {4: {"soc2020": "11x5"}})
    promoted, problems = _build(tmp_path, database)
    assert not promoted
    assert any(
        p.startswith("ERROR   soc2020/soc2020_unit_groups.csv:6 [soc2020]") for p in problems
    )


def test_unknown_code_in_the_index_is_reported(tmp_path: Path, database: Database) -> None:
    write_soc_sources(tmp_path)
    _rewrite(tmp_path / "soc2010/soc2010_coding_index.csv", {0: {"SOC_2010": "9999"}})
    promoted, problems = _build(tmp_path, database)
    assert not promoted
    assert any("'9999' is not a unit group" in p and ":2 [SOC_2010]" in p for p in problems)


def test_missing_column_is_reported(tmp_path: Path, database: Database) -> None:
    write_soc_sources(tmp_path)
    path = tmp_path / "soc2010/soc2010_unit_groups.csv"
    path.write_text(path.read_text().replace("entry_routes", "entry_route", 1))
    promoted, problems = _build(tmp_path, database)
    assert not promoted
    assert any("column 'entry_routes' is missing" in p for p in problems)


def test_bad_tasks_json_is_reported(tmp_path: Path, database: Database) -> None:
    write_soc_sources(tmp_path)
    _rewrite(tmp_path / "soc2010/soc2010_unit_groups.csv", {0: {"tasks": "[not json"}})
    promoted, problems = _build(tmp_path, database)
    assert not promoted
    assert any("not a JSON list of strings" in p for p in problems)
