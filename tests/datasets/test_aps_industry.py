"""APS employment by SOC 2020 unit group × industry section (ONS user-requested table)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmi.datasets.aps.index import IndustryShare, UnitIndustryIndex
from lmi.datasets.aps.industry import read_industry_workbook
from lmi.datasets.aps.view import compat_industry_breakdown, industry_answer
from lmi.errors import NotFound
from tests.datasets.xlsx import Cell, write_xlsx

SECTIONS = ["1 A  Agriculture, forestry and fishing", "2 B  Mining and quarrying"]
SECTIONS += ["3 C  Manufacturing", "4 D  Electricity, gas, air cond supply"]
SECTIONS += ["5 E  Water supply, sewerage, waste", "6 F  Construction"]


def _sheet(year: int, rows: list[list[Cell]]) -> list[list[Cell]]:
    """A sheet in ONS's layout: notes, the section header on row 8, unit groups from row 9."""
    return [
        ["Office For National Statistics"],
        ["Annual Population Survey, filtered for industry sections A-S"],
        [f"January-December {year}"],
        ["Weighted 2022"],
        ["Variables used: PWTA22, SOC20M, INDS07M"],
        [],
        ["", "", "INDS07M Industry section in main job (1 charac)"],
        ["", "", *SECTIONS],
        *rows,
        [],
        ["* = Sample sizes are too small to provide reliable estimates."],
        ["( - ) = No figures to report"],
    ]


LABEL = "SOC20M Occupation in Main Job SOC2020 Unit Level"
ROWS: list[list[Cell]] = [
    [LABEL, "2134 Programmers", 100, "*", 5000, "-", 40, 900],
    ["", "2135 IT business analysts", "*", "-", 3000, 200, "*", 100],
]


def _workbook(tmp_path: Path, rows: list[list[Cell]] = ROWS) -> Path:
    path = tmp_path / "employmentby4digitsoc1digitindustryatosuk20212022final.xlsx"
    return write_xlsx(path, {"2021": _sheet(2021, rows), "2022": _sheet(2022, rows)})


def _index(tmp_path: Path) -> UnitIndustryIndex:
    table = read_industry_workbook(_workbook(tmp_path), "t.xlsx")
    assert table.problems == []
    index = UnitIndustryIndex()
    for row in table.rows():
        key = (row["soc2020"], row["year"])
        index.cells.setdefault(key, {})[row["section"]] = IndustryShare(
            row["section"], row["section_name"], row["value"], row["status"]
        )
    return index


def test_cells_symbols_and_years(tmp_path: Path) -> None:
    table = read_industry_workbook(_workbook(tmp_path), "t.xlsx")
    assert table.problems == [] and len(table.cells) == 2 * 2 * 6
    rows = {(r["year"], r["soc2020"], r["section"]): r for r in table.rows()}
    assert rows[(2021, "2134", "C")]["value"] == 5000.0
    star, dash = rows[(2021, "2134", "B")], rows[(2021, "2134", "D")]
    assert (star["value"], star["status"]) == (None, "suppressed_quality")
    assert (dash["value"], dash["status"]) == (None, "not_available")
    assert rows[(2022, "2135", "D")]["section_name"] == "Electricity, gas, air cond supply"


def test_a_letter_in_a_cell_is_named(tmp_path: Path) -> None:
    bad = [[*ROWS[0][:4], "5OOO", *ROWS[0][5:]], ROWS[1]]
    table = read_industry_workbook(_workbook(tmp_path, bad), "t.xlsx")
    [problem, _] = table.problems  # one per sheet
    assert (problem.code, problem.row, problem.column) == ("bad-number", 9, "C")


def test_level_is_a_lower_bound_when_sections_are_suppressed(tmp_path: Path) -> None:
    index = _index(tmp_path)
    assert index.level("2134", 2021) == (100 + 5000 + 40 + 900, 1)
    assert [s.section for s in index.industries("2134", 2021)][:3] == ["C", "F", "A"]


def test_native_answer_top_industries_and_suppressed_kept(tmp_path: Path) -> None:
    data = industry_answer(_index(tmp_path), "soc2020", "2134", [], top=2)
    [first, _] = data["years"]
    assert first["employment"]["value"] == 6040 and first["employment"]["status"] == "caution"
    assert "lower bound" in first["employment"]["note"]
    assert [i["section"] for i in first["industries"]] == ["C", "F"]
    assert first["industries"][0]["method"] == "observed"
    assert first["industries"][0]["share_percent"] == pytest.approx(100 * 5000 / 6040, abs=0.1)
    assert first["suppressed"] == [{"section": "B", "name": "Mining and quarrying"}]
    with pytest.raises(NotFound, match="unit group"):
        industry_answer(_index(tmp_path), "soc2020", "213", [])


def test_soc2010_is_re_expressed_and_labelled_modelled(tmp_path: Path) -> None:
    dual = [  # ONS dual coding: 3 of 4 weighted records went to 2134, 1 to 2135
        {"soc2010": "2136", "soc2020": "2134", "men_census_base": 3.0, "men_census_prop": 1.0},
        {"soc2010": "2136", "soc2020": "2135", "men_census_base": 1.0, "men_census_prop": 1.0},
    ]
    data = industry_answer(_index(tmp_path), "soc2010", "2136", dual)
    assert data["method"] == "modelled" and {g["code"] for g in data["soc2020_groups"]} == {
        "2134", "2135"
    }  # fmt: skip
    body, method, note = compat_industry_breakdown(_index(tmp_path), "2136", dual, [2021])
    assert method == "modelled" and "Annual Population Survey" in note
    [year] = body["predictedEmployment"]
    sections = {b["section"]: b["code"] for b in year["breakdown"]}
    assert "C" in sections and "B" not in sections  # B is suppressed or nil in both unit groups
    # clients declare `int Code` (the careers service importer's LmiBreakdownYearValueModel):
    # SIC 2007 sections are numbered as ONS numbers them in the table, A = 1, C = 3, F = 6
    assert sections["C"] == 3 and all(type(code) is int for code in sections.values())
    numbered = {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6}  # the SECTIONS header above
    assert sections == {letter: numbered[letter] for letter in sections}
    empty, method, note = compat_industry_breakdown(_index(tmp_path), "2136", dual, [1999])
    assert empty["predictedEmployment"] == [] and method == "none" and "2021" in note


def test_a_sub_major_group_is_the_sum_of_its_unit_groups_labelled_modelled(
    tmp_path: Path,
) -> None:
    data = industry_answer(_index(tmp_path), "soc2020", "21", [], units=["2134", "2135"])
    assert data["method"] == "modelled" and data["unit_groups"] == ["2134", "2135"]
    assert "lmi's sum of its 2 unit group(s)" in data["note"]
    first = data["years"][0]
    by_section = {i["section"]: i for i in first["industries"]}
    # ROWS by hand: C 5000 + 3000; F 900 + 100; D "-" + 200; A 100 + "*"; E 40 + "*"
    assert {k: (v["value"], v["status"]) for k, v in by_section.items()} == {
        "C": (8000, "ok"),
        "F": (1000, "ok"),
        "D": (200, "ok"),  # "-" is nil, not suppressed
        "A": (100, "caution"),  # 2135's A is suppressed: a lower bound, never filled in
        "E": (40, "caution"),
    }
    assert all(i["method"] == "modelled" for i in first["industries"])
    assert first["suppressed"] == [{"section": "B", "name": "Mining and quarrying"}]
    employment = first["employment"]
    assert (employment["value"], employment["status"]) == (9340, "caution")
    assert "3 section(s)" in employment["note"] and first["soc2020_groups_in_table"] == 2


def test_a_soc2010_group_sums_its_re_expressed_unit_groups(tmp_path: Path) -> None:
    dual = [
        {"soc2010": "2136", "soc2020": "2134", "men_census_base": 3.0, "men_census_prop": 1.0},
        {"soc2010": "2136", "soc2020": "2135", "men_census_base": 1.0, "men_census_prop": 1.0},
    ]
    unit = industry_answer(_index(tmp_path), "soc2010", "2136", dual)
    group = industry_answer(_index(tmp_path), "soc2010", "213", dual, units=["2136"])
    assert group["method"] == "modelled" and "dual coding" in group["note"]
    assert group["soc2020_groups"] == unit["soc2020_groups"]
    values = [[(i["section"], i["value"]) for i in y["industries"]] for y in unit["years"]]
    assert [[(i["section"], i["value"]) for i in y["industries"]] for y in group["years"]] == values
    with pytest.raises(NotFound, match="no unit group"):
        industry_answer(_index(tmp_path), "soc2010", "213", dual, units=[])
