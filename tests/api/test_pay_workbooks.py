"""Served ASHE figures against the ONS workbooks, read here independently of the loader.

For every workbook table in ../shared/data/ashe_workbooks, a sample of rows of several sheets
(sex × pattern) is looked up through ``/v1/pay`` and compared with the cell in the estimates
file (by the header's own column) and its CV in the ``b`` file: the value (or its absence),
the CV, the ONS quality band and the method ``observed``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

pytestmark = pytest.mark.realdata

MEASURE = {"14.1": "weekly", "14.2": "weekly_excl_overtime", "14.5": "hourly"}
MEASURE |= {"14.6": "hourly_excl_overtime", "14.7": "annual", "14.9": "hours"}
SHEETS = {
    "All": ("all", "all"),
    "Male Part-Time": ("male", "part-time"),
    "Female Full-Time": ("female", "full-time"),
    "Part-Time": ("all", "part-time"),
}
STATS = {"Median": "median", "Mean": "mean"}


def _grid(path: Path, sheet: str) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    rows: list[list[Any]] = (
        CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    )
    return rows


def _band(cv: float) -> str:
    return (
        "precise"
        if cv <= 5
        else "reasonably_precise"
        if cv <= 10
        else "use_with_caution"
        if cv <= 20
        else "unreliable"
    )


def _code(cell: Any) -> str:
    return str(int(cell)) if isinstance(cell, float) else str(cell).strip()


def test_a_sample_of_served_figures_equals_the_workbook_cells(
    real_client: TestClient, source_dir: Path
) -> None:
    checked = suppressed = 0
    for folder in sorted((source_dir / "ashe_workbooks").iterdir()):
        if not folder.is_dir():
            continue
        version = "soc2010" if folder.name.endswith("soc2010") else "soc2020"
        year = int(folder.name[:4])
        for estimates in sorted(folder.glob("* Table 14.*a *")):
            table = estimates.name.split("Table ")[1].split("a")[0]
            cvs = next(folder.glob(f"* Table {table}b *"))
            for sheet, (sex, pattern) in SHEETS.items():
                grid, cv_grid = _grid(estimates, sheet), _grid(cvs, sheet)
                header = next(i for i, r in enumerate(grid) if "Description" in r)
                rows = [r for r in grid[header + 1 :] if len(_code(r[1])) == 4]
                cv_rows = {_code(r[1]): r for r in cv_grid if len(_code(r[1])) == 4}
                for row in rows[::97]:  # a spread of unit groups through the sheet
                    code = _code(row[1])
                    for heading, stat in STATS.items():
                        column = grid[header].index(heading)
                        published, cv = row[column], cv_rows[code][column]
                        query = (
                            f"/v1/pay/{version}/{code}?measure={MEASURE[table]}&statistic={stat}"
                            f"&year={year}&sex={sex}&pattern={pattern}&coarse=false"
                        )
                        [item] = real_client.get(query).json()["data"]["series"]
                        where = f"{estimates.name} {sheet} {code} {stat}"
                        assert item["method"] == "observed", where
                        if isinstance(cv, float):
                            assert item["cv"] == cv and item["quality"] == _band(cv), where
                        if isinstance(published, float) and (not isinstance(cv, float) or cv <= 20):
                            assert item["value"] == pytest.approx(published), where
                            checked += 1
                        else:
                            assert item["value"] is None and item["status"] != "ok", where
                            suppressed += 1
    assert checked > 300 and suppressed > 10, (checked, suppressed)
