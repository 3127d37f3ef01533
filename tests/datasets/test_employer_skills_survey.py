"""Employer Skills Survey 2017: the real files when present, format fixtures otherwise."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lmi.datasets.employer_skills_survey import EMPLOYER_SKILLS_SURVEY
from lmi.datasets.employer_skills_survey.parse import LEA
from lmi.datasets.employer_skills_survey.quality import figures, reliability
from lmi.datasets.employer_skills_survey.tables import OCCUPATIONS
from lmi.sdc.policy import SERVABLE
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, rewrite_csv
from tests.datasets.xlsx import write_xlsx

FOLDER = "employer_skills_survey"
LONG = "ess2017_england_lep_tables_long.csv"
INDEX = "ess2017_england_lep_tables_index.csv"
SHEETS = ("T7", "T54", "T56", "T63", "53", "3", "20", "25")


def _rows(db: Database, where: str = "1=1") -> list[dict[str, Any]]:
    result = db.execute(f"SELECT * FROM ess_occupations WHERE {where}")
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def _long_cells(path: Path) -> dict[tuple[str, str, str], str]:
    """(sheet, row label, column) → value of the labelled rows, read independently."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {
            (r["sheet"], r["row_label"], r["column_heading"]): r["value"]
            for r in csv.DictReader(handle)
            if r["row_kind"] == "value"
        }


# -- real files ------------------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_ess_england_matches_the_provenance_checks(real_release_db: Database) -> None:
    england = _rows(real_release_db, "area = 'E92000001' AND occupation = 'all'")
    assert len(england) == 1
    # PROVENANCE.md: T56 England total HTFVs = 286,818; T63 England SSVs = 193,843
    assert england[0]["htf"] == 286_818
    assert england[0]["ssv"] == 193_843
    managers = _rows(real_release_db, "area = 'E92000001' AND occupation = '1'")[0]
    assert managers["htf"] == 6_119  # "Managers 6,119" in PROVENANCE.md


@pytest.mark.realdata
def test_real_ess_has_every_lep_local_authority_and_region(real_release_db: Database) -> None:
    counts = dict(
        real_release_db.execute(
            "SELECT area_type, count(DISTINCT area) FROM ess_occupations GROUP BY area_type"
        ).rows
    )
    assert counts == {"country": 1, "lep": 39, "la": 152, "region": 9}
    northants = _rows(real_release_db, "area = 'E37000026'")
    assert northants and all(r["vacancies"] is None for r in northants)
    assert all("vacancies" in json.loads(r["flags_json"]) for r in northants)


@pytest.mark.realdata
def test_real_lep_shares_are_the_published_ratios(
    real_release_db: Database, source_dir: Path
) -> None:
    cells = _long_cells(source_dir / FOLDER / LONG)
    row = _rows(real_release_db, "area = 'E37000015' AND occupation = '2'")[0]
    assert row["area_name"] == "Greater Manchester"
    htf = float(cells[("T56", "Professionals", "Greater Manchester")])
    vacancies = float(cells[("T54", "Professionals", "Greater Manchester")])
    assert (row["htf"], row["vacancies"]) == (htf, vacancies)
    served = figures(row).shares["htf_share"]
    assert served.servable and served.value == round(100 * htf / vacancies, 1)


@pytest.mark.realdata
def test_real_london_region_sum_is_close_to_london_lep(real_release_db: Database) -> None:
    """London region (summed from 33 authorities) and London LEP share one boundary."""
    region = _rows(real_release_db, "area = 'E12000007' AND occupation = 'all'")[0]
    lep = _rows(real_release_db, "area = 'E37000051' AND occupation = 'all'")[0]
    assert region["method"] == "modelled"
    partial = json.loads(region["flags_json"])
    for measure in ("employment", "vacancies", "htf", "ssv"):
        if measure in partial:  # some boroughs' columns are under ESS's 30 base: left out
            assert partial[measure].startswith("ess@1:sum:")
            assert lep[measure] * 0.95 < region[measure] < lep[measure]
        else:
            assert region[measure] == pytest.approx(lep[measure], rel=0.01)


@pytest.mark.realdata
def test_real_build_is_quick(tmp_path: Path, source_dir: Path) -> None:
    import time

    db = Database(f"sqlite:///{tmp_path / 'ess.sqlite'}")
    from lmi.store import migrate

    migrate(db)
    started = time.perf_counter()
    built = build(db, source_dir, [EMPLOYER_SKILLS_SURVEY])
    assert built.promoted, built.errors()
    assert time.perf_counter() - started < 30
    assert built.warnings() == []


# -- fixtures --------------------------------------------------------------------------------------


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [EMPLOYER_SKILLS_SURVEY])


def test_fixture_files_load(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    # the fixture has 3 of the 38 current LEPs: a warning names the missing ones
    assert any("3 of the 38 LEPs have a column" in w for w in built.warnings())
    areas = {(r["area_type"], r["area"]) for r in _rows(database)}
    assert areas == {
        ("country", "E92000001"),
        ("lep", "E37000051"),  # London
        ("lep", "E37000007"),  # Cumbria
        ("lep", "E37000025"),  # "North Eastern" in ESS 2017
        ("lep", "E37000026"),  # Northamptonshire: suppressed throughout
    }
    cells = _long_cells(folder / LONG)
    row = _rows(database, "area = 'E37000051' AND occupation = '5'")[0]
    label = OCCUPATIONS["5"]
    assert row["employment"] == float(cells[("T7", label, "London")])
    assert row["vacancies"] == float(cells[("T54", label, "London")])
    # estimated base: unweighted establishments × the occupation's weighted share (Table 20)
    unweighted = float(cells[("20", "Unweighted row", "London")])
    share = float(cells[("20", label, "London")]) / float(cells[("20", "Total", "London")])
    assert row["n_vacancies"] == pytest.approx(unweighted * share, abs=0.1)
    unclassified = _rows(database, "area = 'E92000001' AND occupation = 'U'")[0]
    assert unclassified["employment"] is None and unclassified["vacancies"] is not None


def test_suppressed_area_is_stored_without_numbers(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, FOLDER)
    assert _build(database, tmp_path).promoted
    for row in _rows(database, "area = 'E37000026'"):
        assert all(row[m] is None for m in ("employment", "vacancies", "htf", "ssv"))
        flags = json.loads(row["flags_json"])
        assert flags["htf"] == "ess@1:symbol'**'"
        found = figures(row)
        assert found.shares["htf_share"].status == "suppressed_quality"
        assert found.reliability == 0


def test_bad_value_unknown_lep_and_wrong_table_are_errors(
    tmp_path: Path, database: Database
) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    with (folder / LONG).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    first = next(i for i, r in enumerate(rows) if r["sheet"] == "T56" and r["row_kind"] == "value")
    cumbria = [i for i, r in enumerate(rows) if r["column_heading"] == "Cumbria"]
    change: dict[int, dict[str, str]] = {first: {"value": "lots"}}
    change.update({i: {"column_heading": "Atlantis"} for i in cumbria})
    rewrite_csv(folder / LONG, change)
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any("'lots' is neither a number nor an ESS symbol" in e for e in built.errors())
    # the file is rejected at the number: fix it and the unknown LEP is reported next
    rewrite_csv(folder / LONG, {first: {"value": "12"}})
    built = _build(database, tmp_path)
    assert any("'Atlantis' is not a LEP" in e for e in built.errors())


def test_renumbered_table_is_caught_by_its_title(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    with (folder / INDEX).open(encoding="utf-8") as handle:
        sheets = [r["sheet"] for r in csv.DictReader(handle)]
    rewrite_csv(folder / INDEX, {sheets.index("T56"): {"table_title": "Training by occupation"}})
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any("sheet T56 should hold hard-to-fill vacancies" in e for e in built.errors())


def test_missing_occupation_row_is_an_error(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    path = folder / LONG
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(line for line in lines if not line.startswith("T63,Machine operatives,")),
        encoding="utf-8",
    )
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any("sheet T63" in e and "'Machine operatives'" in e for e in built.errors())


def test_more_hard_to_fill_than_vacancies_is_a_warning(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    with (folder / LONG).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    target = next(
        i
        for i, r in enumerate(rows)
        if (r["sheet"], r["row_label"], r["row_kind"], r["column_heading"])
        == ("T56", "Managers", "value", "London")
    )
    rewrite_csv(folder / LONG, {target: {"value": "99999999"}})
    built = _build(database, tmp_path)
    assert built.promoted, built.errors()
    assert any("London, occupation 1: htf 99,999,999 > vacancies" in w for w in built.warnings())


# -- the LEA workbook --------------------------------------------------------------------------

LABELS = {
    "T7": "Total",
    "T54": "Total",
    "T56": "Total",
    "T63": "Total",
    "53": "Total not fully proficient",
    "3": "Total",
    "20": "Total",
    "25": "Total",
}
TITLES = {
    "T7": "D5/D6/D7/D8. Profile of employment by occupation (employment base)",
    "T54": "C7/C8. Profile of vacancies by occupation (vacancy base)",
    "T56": "C10. Profile of hard-to-fill vacancies by occupation (hard-to-fill vacancy base)",
    "T63": "C11A/C12. Profile of skill-shortage vacancies by occupation",
    "53": "D9. Number of staff that are not fully proficient by occupation (employment base)",
    "3": "D5/D6/D7. Incidence of employment by occupation (employer base)",
    "20": "C7. Incidence of vacancies by occupation (employer base)",
    "25": "C10. Incidence of hard-to-fill vacancies by occupation (employer base)",
}
#: invented counts per sheet for one authority of scale 1 (occupation 1–9, unclassified)
BASE_COUNTS: dict[str, list[int | None]] = {
    "T7": [900, 800, 700, 600, 500, 400, 300, 200, 100, None],
    "T54": [40, 60, 50, 30, 40, 30, 20, 10, 20, 5],
    "T56": [10, 30, 20, 5, 20, 10, 5, 5, 4, 1],
    "T63": [5, 20, 10, 2, 15, 5, 2, 4, 1, 0],
    "53": [30, 20, 20, 15, 10, 12, 14, 6, 8, None],
    "3": [90, 40, 30, 60, 20, 15, 25, 10, 30, None],
    "20": [5, 10, 10, 6, 8, 7, 6, 3, 6, 1],
    "25": [2, 5, 4, 2, 4, 3, 2, 1, 2, 0],
}
UNWEIGHTED: dict[str, int] = {
    "T7": 4000,
    "T54": 200,
    "T56": 80,
    "T63": 50,
    "53": 4000,
    "3": 600,
    "20": 400,
    "25": 200,
}


def _lea_sheet(sheet: str, columns: Mapping[str, float | None]) -> list[list[Any]]:
    headings = ["Total", *columns]
    grid: list[list[Any]] = [
        ["27-September-2018"],
        ["Employer Skills Survey (ESS) 2017"],
        [f"Table {sheet}/ 1"],
        [],
        [TITLES[sheet]],
        ["Base: invented"],
        ["", "", "LEA"],
        ["", *headings],
    ]
    scales = {"Total": sum(s or 0 for s in columns.values()), **columns}

    def row(values: list[Any]) -> None:
        grid.append(values)
        grid.append([""] + [0.1] * len(headings))  # the unlabelled share row

    row(["Unweighted row", *(UNWEIGHTED[sheet] * (s or 0) for s in scales.values())])
    counts = BASE_COUNTS[sheet]
    if sheet == "53":
        row(["Total", *(10_000 * (s or 0) for s in scales.values())])
    total = sum(c or 0 for c in counts) * (2 if sheet in ("3", "20", "25") else 1)
    row([LABELS[sheet], *(total * s if s else "**" for s in scales.values())])
    for code, count in zip("123456789U", counts, strict=True):
        if count is None:
            continue
        values = [count * s if s else "**" for s in scales.values()]
        row([OCCUPATIONS[code], *values])
    grid.append(["Tables produced by IFF"])
    return grid


def _lea_workbook(path: Path, columns: Mapping[str, float | None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_xlsx(path, {s: _lea_sheet(s, columns) for s in SHEETS})


def test_lea_workbook_gives_local_authorities_and_region_sums(
    tmp_path: Path, database: Database
) -> None:
    copy_fixture(tmp_path, FOLDER)
    columns = {"Camden": 1.0, "Islington": 2.0, "Cumbria": 3.0, "Hackney": None, "Atlantis": 1.0}
    _lea_workbook(tmp_path / LEA, {**columns, "Not in England": 0.5})
    built = _build(database, tmp_path)
    assert built.promoted, built.errors()
    assert any("'Atlantis' is not a known local authority" in w for w in built.warnings())
    camden = _rows(database, "area = 'la-camden' AND occupation = '2'")[0]
    assert (camden["vacancies"], camden["htf"]) == (60, 30)
    hackney = _rows(database, "area = 'la-hackney' AND occupation = '2'")[0]
    assert hackney["vacancies"] is None  # '**' in the workbook
    london = _rows(database, "area = 'E12000007' AND occupation = '2'")[0]
    assert london["method"] == "modelled"
    assert london["vacancies"] == 60 * (1.0 + 2.0)  # Camden + Islington; Hackney unpublished
    assert json.loads(london["flags_json"])["vacancies"] == "ess@1:sum:1-of-33-unpublished"
    share = figures(london).shares["htf_share"]
    assert share.status == "caution" and share.value == 50.0
    north_west = _rows(database, "area = 'E12000002' AND occupation = 'all'")[0]
    assert north_west["employment"] == sum(c or 0 for c in BASE_COUNTS["T7"]) * 3.0


def test_corrupt_lea_workbook_is_an_error(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, FOLDER)
    (tmp_path / LEA).parent.mkdir(parents=True)
    (tmp_path / LEA).write_bytes(b"PK\x03\x04 not really a workbook")
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any("corrupt" in e for e in built.errors())


# -- reliability -------------------------------------------------------------------------------


@given(st.floats(min_value=0, max_value=1e6), st.floats(min_value=0, max_value=1e6))
def test_reliability_grows_with_the_base(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert reliability(low) <= reliability(high)
    assert reliability(None) == 0


@given(
    vacancies=st.integers(min_value=0, max_value=10**6),
    htf_part=st.floats(min_value=0, max_value=1),
    base=st.one_of(st.none(), st.floats(min_value=0, max_value=10_000)),
)
def test_shares_are_served_only_when_reliable_and_lie_in_0_100(
    vacancies: int, htf_part: float, base: float | None
) -> None:
    row = {
        "employment": 10 * vacancies,
        "vacancies": vacancies,
        "htf": round(vacancies * htf_part),
        "ssv": 0,
        "skills_gaps": 0,
        "n_employing": base,
        "n_vacancies": base,
        "n_htf": base,
        "flags_json": "{}",
        "method": "observed",
    }
    share = figures(row).shares["htf_share"]
    assert (share.value is not None) == (share.status in SERVABLE)
    if vacancies == 0:
        assert share.status == "not_applicable"
    elif base is None or base < 10:
        assert share.status == "suppressed_quality"
    else:
        assert share.value is not None and 0 <= share.value <= 100
        assert share.status == ("caution" if base < 30 else "ok")
