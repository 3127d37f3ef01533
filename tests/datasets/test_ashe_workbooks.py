"""ONS ASHE Table 14 workbooks: the reader, the CV join, the policy, and serving from them."""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from lmi.datasets.ashe.cells import UK, Cell, workbook_cells
from lmi.datasets.ashe.cube import PayCube, Request
from lmi.datasets.ashe.workbooks import read_workbook, read_workbooks
from lmi.sdc import Served
from lmi.store import Database
from tests.datasets.ashe_workbook_fixtures import SHEETS, data_sheet, write_pair
from tests.datasets.xlsx import write_xlsx

FIXTURES = Path(__file__).parent.parent / "data" / "ashe_workbooks"
FOLDER = "2024provisional_soc2020"


def _cells(root: Path) -> dict[tuple[object, ...], Cell]:
    found = read_workbooks(root)
    assert [p.render() for p in found.all_problems()] == []
    cvs = found.cvs()
    return {c.key: c for w in found.estimates() for c in workbook_cells(w, cvs.get(w.key))}


def _key(code: str, measure: str = "weekly", sex: str = "all", pattern: str = "all") -> tuple:
    return (2024, "p", "soc2020", code, measure, sex, pattern, UK)


def test_the_committed_fixtures_read_every_sheet_by_content() -> None:
    found = read_workbooks(FIXTURES)
    assert found.all_problems() == []
    assert sorted((w.table, w.part) for w in found.workbooks) == [
        ("14.1", "a"), ("14.1", "b"), ("14.7", "a"), ("14.7", "b")
    ]  # fmt: skip
    weekly = next(w for w in found.estimates() if w.table == "14.1")
    assert (weekly.measure, weekly.year, weekly.edition, weekly.soc_version) == (
        "weekly", 2024, "p", "soc2020"
    )  # fmt: skip
    assert len(weekly.sheets) == len(SHEETS) == 9
    codes = [r.code for r in weekly.sheets[("female", "part-time")]]
    assert codes == ["all", "2", "21", "213", "2134", "2135", "2136"]  # Not Classified dropped


def test_each_sheet_is_its_own_sex_and_pattern() -> None:
    cells = _cells(FIXTURES)
    everyone = cells[_key("2134")].value("median")
    women_pt = cells[_key("2134", sex="female", pattern="part-time")].value("median")
    assert everyone == 1150.0  # All is the first sheet: unscaled
    assert women_pt == pytest.approx(1150.0 * (1 + SHEETS.index("Female Part-Time") / 100))
    assert cells[_key("2134", sex="female", pattern="part-time")].method == "observed"


def test_cv_joined_to_its_estimate_with_the_ons_band() -> None:
    cells = _cells(FIXTURES)
    cell = cells[_key("21")]
    median, mean = cell.stats["median"], cell.stats["mean"]
    assert (median.cv, median.band, median.status) == (3.2, "precise", "ok")
    assert (mean.cv, mean.band, mean.status) == (6.5, "reasonably_precise", "ok")
    it = cells[_key("213")]
    assert (it.stats["mean"].band, it.stats["mean"].status) == ("use_with_caution", "caution")


def test_a_printed_number_with_cv_over_20_is_withheld_by_policy() -> None:
    """2134's mean is printed but its CV is 25 %: the declared policy withholds it."""
    mean = _cells(FIXTURES)[_key("2134")].stats["mean"]
    assert (mean.value, mean.status, mean.band, mean.cv) == (
        None, "suppressed_quality", "unreliable", 25.0
    )  # fmt: skip


@pytest.mark.parametrize(
    ("code", "stat", "status"),
    [
        ("2135", "median", "suppressed_quality"),  # x
        ("2136", "median", "suppressed_disclosure"),  # ..
        ("2136", "mean_change", "not_applicable"),  # :
        ("2136", "p10", "not_available"),  # -
    ],
)
def test_ons_symbols_become_statuses_never_numbers(code: str, stat: str, status: str) -> None:
    served = _cells(FIXTURES)[_key(code)].stats[stat]
    assert (served.value, served.status) == (None, status)


def test_a_zip_as_downloaded_reads_like_the_folder(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "ashetable142024provisional.zip", "w") as archive:
        for path in sorted((FIXTURES / FOLDER).iterdir()):
            archive.write(path, f"{FOLDER}/{path.name}")
    zipped = _cells(tmp_path)
    assert set(zipped) == set(_cells(FIXTURES))
    assert zipped[_key("2134")].value("median") == 1150.0


def test_header_found_by_content_when_rows_and_columns_move(tmp_path: Path) -> None:
    """Two extra lines above the header and the columns reordered: still the same cells."""
    sheets = {}
    for sheet in SHEETS:
        grid = data_sheet("14.1", "a", "Weekly pay - Gross", sheet, 2024)
        grid[1:1] = [["Some note ONS added"], []]
        for i, row in enumerate(grid):  # swap Median and Mean (with their change columns)
            if len(row) >= 7:
                grid[i] = [*row[:3], *row[5:7], *row[3:5], *row[7:]]
        sheets[sheet] = grid
    name = "PROV - Occupation SOC20 (4) Table 14.1a   Weekly pay - Gross 2024.xlsx"
    path = write_xlsx(tmp_path / name, sheets)
    workbook = read_workbook(path.read_bytes(), name)
    assert workbook.problems == []
    row = next(r for r in workbook.sheets[("all", "all")] if r.code == "2134")
    assert (row.cells["median"], row.cells["mean"], row.line) == (1150.0, 1200.0, 12)


def test_title_spread_over_cells_takes_the_year_from_the_file_name(tmp_path: Path) -> None:
    """The .xls years print 'Table 14.1a Weekly pay - Gross' and the year only in the name."""
    a, _ = write_pair(tmp_path, year=2023, split_title=True)
    workbook = read_workbook(a.read_bytes(), a.name)
    assert (workbook.problems, workbook.year, workbook.table) == ([], 2023, "14.1")


def test_soc2010_named_file_is_soc2010(tmp_path: Path) -> None:
    a, _ = write_pair(tmp_path, soc="SOC10", year=2021)
    assert read_workbook(a.read_bytes(), a.name).soc_version == "soc2010"


def test_without_a_cv_file_figures_have_no_band(tmp_path: Path) -> None:
    write_pair(tmp_path, with_cv=False)
    cell = _cells(tmp_path)[_key("21")]
    assert (cell.stats["median"].band, cell.stats["median"].cv, cell.cvs) == (
        "not_published", None, {}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "code", "where"),
    [
        (("1150.0", "11x0"), "bad-number", "sheet All"),
        (("Description", "Occupation"), "missing-header", "no row with Description"),
        (("Table 14.1a", "Table 99.1a"), "not-table14", "is not a Table 14 title"),
        (("2134", "21AB"), "bad-code", "'21AB' is not a SOC code"),
    ],
)
def test_malformed_workbooks_are_named_not_loaded(
    tmp_path: Path, change: tuple[str, str], code: str, where: str
) -> None:
    sheets = {"Notes": [["Notes"]]}
    for sheet in SHEETS:
        grid = data_sheet("14.1", "a", "Weekly pay - Gross", sheet, 2024)
        sheets[sheet] = [
            [change[1] if str(c) == change[0] or (c == 1150.0 and change[0] == "1150.0")
             else (str(c).replace(*change) if isinstance(c, str) else c) for c in row]
            for row in grid
        ]  # fmt: skip
    name = "PROV - Occupation SOC20 (4) Table 14.1a   Weekly pay - Gross 2024.xlsx"
    workbook = read_workbook(write_xlsx(tmp_path / name, sheets).read_bytes(), name)
    problems = [p for p in workbook.problems if p.code == code]
    assert problems and where in problems[0].message
    assert problems[0].file == name


def test_unknown_edition_is_an_error(tmp_path: Path) -> None:
    a, _ = write_pair(tmp_path)
    renamed = a.with_name(a.name.replace("PROV - ", ""))
    shutil.move(a, renamed)
    workbook = read_workbook(renamed.read_bytes(), renamed.name)
    assert [p.code for p in workbook.problems] == ["unknown-edition"]


def test_not_a_workbook_is_a_clear_error() -> None:
    workbook = read_workbook(b"this is not a spreadsheet", "Table 14.1a.xlsx")
    assert [p.code for p in workbook.problems] == ["corrupt-workbook"]


# -- serving ----------------------------------------------------------------------------------


def _cube(cells: dict[tuple[object, ...], Cell]) -> PayCube:
    return PayCube([c.row() for c in cells.values()], [])


def test_served_figures_are_observed_with_cv_and_band() -> None:
    cube = _cube(_cells(FIXTURES))
    for sex, pattern in [("all", "all"), ("male", "full-time"), ("female", "part-time")]:
        request = Request("soc2020", "21", 2024, "weekly", "median", sex, pattern)
        served = cube.estimate(request).served
        expected = _cells(FIXTURES)[_key("21", sex=sex, pattern=pattern)].value("median")
        assert (served.value, served.method, served.cv, served.band) == (
            expected, "observed", 3.2, "precise"
        )  # fmt: skip
    annual = cube.estimate(Request("soc2020", "21", 2024, "annual", "median")).served
    assert (annual.method, annual.value) == ("observed", 1000.0)


def test_weekly_is_never_modelled_where_the_workbook_publishes_it() -> None:
    cube = _cube(_cells(FIXTURES))
    served = cube.estimate(Request("soc2020", "2134", 2024, "weekly", "median")).served
    assert "annual/52" not in served.rule and served.method == "observed"


def test_a_withheld_sex_split_is_not_modelled_back_but_a_parent_stands_in_with_a_note() -> None:
    """Women's 2134 median withheld in 2024 (all employees' published): with a 2025 edition
    present the sex-ratio model could re-create it; it must not, a parent stands in."""
    cells = _cells(FIXTURES)
    later = [replace(c, year=2025, stats=dict(c.stats)) for c in cells.values()]
    cells.update({c.key: c for c in later})
    withheld = Served(None, "suppressed_quality", "none", "ashe-workbook@1:symbol'x'")
    cells[_key("2134", sex="female")].stats["median"] = withheld
    cube = _cube(cells)
    exact = Request("soc2020", "2134", 2024, "weekly", "median", "female", coarse=False)
    assert cube.estimate(exact).served.status == "suppressed_quality"
    coarse = cube.estimate(Request("soc2020", "2134", 2024, "weekly", "median", "female"))
    served = coarse.served
    assert (served.fallback_level, served.method) == (3, "observed")
    assert served.note is not None and "parent group" in served.note


def test_stored_row_keeps_the_cvs() -> None:
    row = _cells(FIXTURES)[_key("21")].row()
    assert json.loads(row["cv_json"])["median"] == 3.2


# -- a build from ONS's workbooks alone -------------------------------------------------------


def test_a_source_of_ons_workbooks_alone_builds(tmp_path: Path, database: Database) -> None:
    from lmi.datasets.ashe.parse import ASHE
    from tests.datasets.helpers import build, copy_fixture, soc_stub

    copy_fixture(tmp_path, "ashe_workbooks")
    units = {"soc2020": ["2", "21", "213", "2134", "2135", "2136"], "soc2010": ["2136"]}
    built = build(database, tmp_path, [soc_stub(units), ASHE])
    assert built.status("ashe") == "loaded", built.problems
    rows = database.execute(
        "SELECT measure, sex, pattern, median, cv_json, method FROM ashe_cells "
        "WHERE code = '21' AND year = 2024"
    ).dicts()
    assert len(rows) == 2 * 9  # weekly and annual × nine sheets
    assert all(
        r["method"] == "observed" and json.loads(r["cv_json"])["median"] == 3.2 for r in rows
    )


def test_a_workbook_code_unknown_to_the_release_is_an_error(
    tmp_path: Path, database: Database
) -> None:
    from lmi.datasets.ashe.parse import ASHE
    from tests.datasets.helpers import build, copy_fixture, soc_stub

    copy_fixture(tmp_path, "ashe_workbooks")
    units = {"soc2020": ["2", "21", "213", "2134", "2135"], "soc2010": ["2136"]}  # no 2136
    built = build(database, tmp_path, [soc_stub(units), ASHE])
    assert built.status("ashe") == "failed"
    assert any("'2136'" in e and "unknown-code" in e for e in built.errors())
