"""APS unit-group employment by industry, served from the real ONS user-requested table."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

pytestmark = pytest.mark.realdata


def _cell(source_dir: Path, year: str, code: str, letter: str) -> object:
    """The table's cell, read here independently of the loader."""
    from python_calamine import CalamineWorkbook

    [path] = (source_dir / "aps" / "ons_user_requested").glob("*.xlsx")
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(year).to_python()
    header = next(r for r in grid if any(f" {letter}  " in str(c) for c in r))
    column = next(i for i, c in enumerate(header) if f" {letter}  " in str(c))
    row = next(r for r in grid if str(r[1]).startswith(f"{code} "))
    return row[column]


def test_top_industries_of_a_unit_group_are_the_published_cells(
    real_client: TestClient, source_dir: Path
) -> None:
    body = real_client.get("/v1/industries/soc2020/2134?top=3").json()
    assert body["ok"] is True
    data = body["data"]
    assert data["method"] == "observed" and "Annual Population Survey" in data["source"]
    years = {y["year"]: y for y in data["years"]}
    assert set(years) == {2021, 2022, 2023, 2024}
    top = years[2024]["industries"]
    assert len(top) == 3 and top[0]["value"] >= top[1]["value"] >= top[2]["value"]
    for item in top:
        assert item["value"] == _cell(source_dir, "2024", "2134", item["section"])
    for hidden in years[2024]["suppressed"]:  # kept suppressed: listed with no number
        assert _cell(source_dir, "2024", "2134", hidden["section"]) == "*"


def test_compat_industry_breakdown_names_its_source(real_client: TestClient) -> None:
    response = real_client.get("/api/v1/wf/predict/breakdown/industry?soc=2136")
    assert response.status_code == 200
    body = response.json()
    assert body["breakdown"] == "industry" and "Annual Population Survey" in body["note"]
    rows = body["predictedEmployment"]
    assert [r["year"] for r in rows] == [2021, 2022, 2023, 2024]
    assert rows[0]["breakdown"] and all(b["employment"] > 0 for b in rows[0]["breakdown"])
    assert response.headers["x-lmi-method"] == "modelled"
    assert "Annual Population Survey" in response.headers["x-lmi-source"]


def test_a_sub_major_group_sums_the_published_unit_group_cells(
    real_client: TestClient, source_dir: Path
) -> None:
    from python_calamine import CalamineWorkbook

    body = real_client.get("/v1/industries/soc2020/21").json()
    assert body["ok"] is True, body
    data = body["data"]
    assert data["method"] == "modelled" and "lmi's sum" in data["note"]
    [path] = (source_dir / "aps" / "ons_user_requested").glob("*.xlsx")
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("2024").to_python()
    header = next(r for r in grid if any(" C  " in str(c) for c in r))
    units = [r for r in grid if len(r) > 1 and str(r[1])[:2] == "21" and str(r[1])[4:5] == " "]
    assert sorted(str(r[1])[:4] for r in units) == data["unit_groups"]  # all 28 are published
    year = next(y for y in data["years"] if y["year"] == 2024)
    checked = 0
    for item in year["industries"]:
        column = next(i for i, c in enumerate(header) if f" {item['section']}  " in str(c))
        cells = [r[column] for r in units]
        published = [c for c in cells if isinstance(c, int | float)]
        assert item["value"] == pytest.approx(sum(published))  # read independently
        assert item["method"] == "modelled"
        assert (item["status"] == "caution") == ("*" in cells)  # suppressed: a lower bound
        checked += 1
    assert checked >= 5
