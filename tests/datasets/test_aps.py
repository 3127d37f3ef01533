"""APS T09a: loader, Nomis symbols, NUTS3 → region sums; real files and format fixtures."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lmi.datasets.aps import APS
from lmi.datasets.aps.index import ENGLAND, load_aps_index
from lmi.datasets.aps.nomis import read_regions
from lmi.datasets.aps.parse import DERIVED, NOMIS
from lmi.datasets.soc.tables import soc_groups
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, rewrite_csv, stub

FIXTURES = Path(__file__).parent.parent / "data" / "aps"
DERIVED_FIXTURE = FIXTURES / Path(DERIVED).name
NOMIS_FIXTURE = FIXTURES / "original" / Path(NOMIS).name


def _titles() -> dict[str, str]:
    """SOC 2010 sub-major codes of the fixture's titles (SOC 2010 structure order)."""
    with DERIVED_FIXTURE.open(newline="") as handle:
        titles = list(dict.fromkeys(r["soc2010_sub_major_title"] for r in csv.DictReader(handle)))
    codes = "11 12 21 22 23 24 31 32 33 34 35 41 42 51 52 53 54 61 62 71 72 81 82 91 92".split()
    return dict(zip(titles, codes, strict=True))


def _build(database: Database, source: Path) -> Built:
    rows = [
        {"soc_version": "soc2010", "code": code, "level": "sub_major", "title": title.upper()}
        for title, code in _titles().items()
    ]
    return build(database, source, [stub("soc2010", {soc_groups: rows}), APS])


def _cell(database: Database, where: str) -> tuple[float | None, str, str]:
    found = database.execute(f"SELECT value, status, rule FROM aps_employment WHERE {where}").rows
    assert len(found) == 1, found
    value, status, rule = found[0]
    return value, status, rule


def test_fixture_loads_with_region_sums(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, "aps")
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    assert built.errors() == [] and built.warnings() == [], built.problems
    counts = dict(
        database.execute("SELECT area_type, count(*) FROM aps_employment GROUP BY area_type").rows
    )
    assert counts == {"country": 225, "lep": 450, "region": 450}  # TLC (2 NUTS3), TLI (1)
    with NOMIS_FIXTURE.open(newline="") as handle:
        lines = list(csv.reader(handle))
    header = next(row for row in lines if row and row[0] == "Cell")
    first = next(row for row in lines if row and row[0].startswith("T09a:1 "))
    ukc = [int(first[i]) for i, name in enumerate(header) if name.startswith("nuts316:UKC")]
    value, status, rule = _cell(
        database,
        "year = 2019 AND soc2010 = '11' AND sex = 'all' AND pattern = 'all' AND area = 'TLC'",
    )
    assert len(ukc) == 2 and value == sum(ukc) and status == "ok"
    assert rule == "aps@1:sum-of-nuts3"


def test_nomis_symbols_become_statuses(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, "aps")
    assert _build(database, tmp_path).promoted
    bang = _cell(
        database, "soc2010 = '42' AND sex = 'male' AND pattern = 'part-time' AND area = 'London'"
    )
    assert bang == (None, "suppressed_disclosure", "aps@1:symbol'!'")
    tilde = _cell(
        database,
        "soc2010 = '91' AND sex = 'female' AND pattern = 'part-time' AND area = 'Black Country'",
    )
    assert tilde[0] is None and tilde[1] == "caution"  # under 500: no figure
    star = _cell(
        database,
        "soc2010 = '22' AND sex = 'male' AND pattern = 'part-time' AND area = 'Black Country'",
    )
    assert star[0] is not None and star[1:] == ("caution", "aps@1:symbol'*'")
    # a region whose NUTS3 cell was `!` is a partial sum, served with caution
    partial = _cell(
        database, "soc2010 = '22' AND sex = 'female' AND pattern = 'all' AND area = 'TLC'"
    )
    assert partial[0] is not None and partial[1] == "caution"
    assert partial[2] == "aps@1:sum-of-nuts3:1-of-2-unpublished"


def test_index_keeps_all_people_by_area(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, "aps")
    built = _build(database, tmp_path)
    assert built.promoted
    index = load_aps_index(database, built.report.release_id)
    assert index.years == [2019]
    assert sorted(index.areas) == [
        ("country", "England"),
        ("lep", "Black Country"),
        ("lep", "London"),
        ("region", "TLC"),
        ("region", "TLI"),
    ]
    england = index.areas[ENGLAND].cells[2019]
    assert len(england) == 25 and all(v is not None for v, _ in england.values())


def test_without_the_original_there_are_no_regions(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, "aps")
    (folder / "original" / NOMIS_FIXTURE.name).unlink()
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    assert (
        database.execute("SELECT count(*) FROM aps_employment WHERE area_type = 'region'").scalar()
        == 0
    )


def test_unknown_title_and_bad_value_name_row_and_column(
    tmp_path: Path, database: Database
) -> None:
    folder = copy_fixture(tmp_path, "aps")
    rewrite_csv(
        folder / DERIVED_FIXTURE.name,
        {0: {"soc2010_sub_major_title": "Astronauts"}, 4: {"value": "12,5OO"}},
    )
    built = _build(database, tmp_path)
    assert not built.promoted and built.status("aps") == "failed"
    errors = built.errors()
    assert any(":2 [soc2010_sub_major_title]" in p and "'Astronauts'" in p for p in errors), errors
    assert any(":6 [value]" in p and "'12,5OO'" in p for p in errors), errors


def test_full_and_part_time_above_all_people_is_a_warning(
    tmp_path: Path, database: Database
) -> None:
    folder = copy_fixture(tmp_path, "aps")
    rewrite_csv(folder / DERIVED_FIXTURE.name, {3: {"value": "99999900"}})  # Full-time, England
    built = _build(database, tmp_path)
    assert built.promoted
    assert any("more than all people" in p for p in built.warnings()), built.problems


def test_broken_original_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nomis.csv"
    text = NOMIS_FIXTURE.read_text().replace("T09a:5 (All people - ", "T09a:5 (Everyone - ", 1)
    path.write_text(text.replace("Jan 2019-Dec 2019", "Jan 2019-Dec 2020", 1))
    found = read_regions(path, "nomis.csv")
    codes = [(p.code, p.row) for p in found.problems]
    assert ("bad-format", 4) in codes  # the Date line
    assert all(code == "bad-format" for code, _ in codes)


# -- real files ----------------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_england_2019_total_matches_the_provenance_check(real_release_db: Database) -> None:
    total = real_release_db.execute(
        "SELECT sum(value) FROM aps_employment WHERE year = 2019 AND area = 'England' "
        "AND sex = 'all' AND pattern = 'all'"
    ).scalar()
    assert total == 27_463_700  # aps/PROVENANCE.md: "England 2019, all people, sum = 27,463,700"


@pytest.mark.realdata
def test_real_regions_add_up_to_england(real_release_db: Database) -> None:
    rows = real_release_db.execute(
        "SELECT year, area_type, area, sum(value) FROM aps_employment WHERE sex = 'all' "
        "AND pattern = 'all' AND area_type IN ('country', 'region') GROUP BY year, area_type, area"
    ).rows
    by_year: dict[int, dict[str, float]] = {}
    for year, kind, area, value in rows:
        by_year.setdefault(year, {})[area if kind == "region" else "England"] = value
    assert sorted(by_year) == list(range(2015, 2022))
    for year, areas in by_year.items():
        english = sum(v for a, v in areas.items() if "TLC" <= a <= "TLK")
        # regions are sums of rounded NUTS3 estimates, a few of them unpublished
        assert english == pytest.approx(areas["England"], rel=0.01), year
    suppressed = real_release_db.execute(
        "SELECT count(*) FROM aps_employment WHERE status LIKE 'suppressed%' AND value IS NOT NULL"
    ).scalar()
    assert suppressed == 0
