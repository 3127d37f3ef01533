"""The method vocabulary: one test per label, each on a figure that must carry it."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmi.datasets.ashe.cells import UK, Cell, derive_part_time, workbook_cells
from lmi.datasets.ashe.cube import PayCube, Request
from lmi.datasets.ashe.workbooks import read_workbooks
from lmi.datasets.working_futures.model import BASE_YEAR, Figure, published_method
from lmi.sdc import Served
from lmi.sdc.methods import METHODS, combine

FIXTURES = Path(__file__).parent.parent / "data" / "ashe_workbooks"


def _workbook_cells() -> dict[tuple[object, ...], Cell]:
    found = read_workbooks(FIXTURES)
    cvs = found.cvs()
    return {c.key: c for w in found.estimates() for c in workbook_cells(w, cvs.get(w.key))}


def test_observed_is_a_published_workbook_value() -> None:
    cube = PayCube([c.row() for c in _workbook_cells().values()], [])
    served = cube.estimate(Request("soc2020", "21", 2024, "weekly", "median")).served
    assert (served.method, served.value, served.rule) == ("observed", 1000.0, "published")
    assert (served.cv, served.band) == (3.2, "precise")


def test_projection_is_what_skills_imperative_forecasts_after_its_base_year() -> None:
    assert published_method(BASE_YEAR) == "observed"
    assert published_method(BASE_YEAR + 1) == "projection"
    assert Figure(1.0, published_method(2035), "wf:published").method == "projection"


def _annual_only_cells() -> dict[tuple[object, ...], Cell]:
    """An extract-like edition: annual pay for all and full-time employees, with job counts."""
    cells = {}
    for pattern, jobs, mean in (("all", 100.0, 30000.0), ("full-time", 70.0, 36000.0)):
        cell = Cell(2023, "p", "soc2020", "2134", "annual", "all", pattern, UK, "T", "extract")
        cell.stats["jobs"] = Served(jobs, "ok", "not_published", "published")
        cell.stats["mean"] = Served(mean, "ok", "not_published", "published")
        cells[cell.key] = cell
    return cells


def test_modelled_weekly_from_annual_states_its_input() -> None:
    cube = PayCube([c.row() for c in _annual_only_cells().values()], [])
    served = cube.estimate(Request("soc2020", "2134", 2023, "weekly", "mean")).served
    assert served.method == "modelled" and served.rule == "ashe:weekly=annual/52"
    assert served.value == pytest.approx(round(30000.0 / 52, 1))  # rounded as ONS publishes


def test_exact_part_time_arithmetic_is_modelled_not_observed() -> None:
    cells = _annual_only_cells()
    cells.update({c.key: c for c in derive_part_time(cells)})
    cube = PayCube([c.row() for c in cells.values()], [])
    served = cube.estimate(
        Request("soc2020", "2134", 2023, "annual", "mean", pattern="part-time")
    ).served
    assert served.method == "modelled" and served.note and "full-time" in served.note
    assert served.value == pytest.approx((30000 * 100 - 36000 * 70) / 30)


def test_published_part_time_is_never_replaced_by_arithmetic() -> None:
    cells = _workbook_cells()
    derived = derive_part_time(cells)
    assert derived == []  # the workbooks publish part-time: nothing to derive


def test_synthetic_wins_when_combined_and_the_vocabulary_is_closed() -> None:
    assert combine(["observed", "synthetic", "projection"]) == "synthetic"
    assert combine(["observed", "projection"]) == "projection"
    assert combine(["observed", "modelled", "projection"]) == "modelled"
    assert combine(["observed", "derived"]) == "modelled"  # unknown label: never observed
    assert combine(["observed"]) == "observed"
    assert METHODS == ("observed", "projection", "modelled", "synthetic")


def test_every_figure_the_cube_serves_uses_the_vocabulary() -> None:
    cells = _workbook_cells()
    cells.update(_annual_only_cells())
    cells.update({c.key: c for c in derive_part_time(cells)})
    cube = PayCube([c.row() for c in cells.values()], [])
    seen = set()
    for year in (2023, 2024):
        for measure in ("weekly", "annual", "hourly"):
            for pattern in ("all", "full-time", "part-time"):
                request = Request("soc2020", "2134", year, measure, "mean", pattern=pattern)
                seen.add(cube.estimate(request).served.method)
    assert seen <= set(METHODS) and {"observed", "modelled"} <= seen


def test_a_published_region_cell_is_observed_not_a_ratio() -> None:
    """Table 3 publishes London × major group 2: that figure, not UK × (London ÷ UK)."""
    cells = {}
    for area, median in (("K02000001", 800.0), ("E12000007", 1000.0)):
        cell = Cell(2025, "p", "soc2020", "2", "weekly", "all", "all", area, "T", "Table 3")
        cell.stats["median"] = Served(median, "ok", "not_published", "published")
        cells[cell.key] = cell
    cube = PayCube([c.row() for c in cells.values()], [])
    served = cube.estimate(Request("soc2020", "2", 2025, "weekly", "median", region=1)).served
    assert (served.value, served.method) == (1000.0, "observed")
    ni = cube.estimate(Request("soc2020", "2", 2025, "weekly", "median", region=12)).served
    assert (ni.value, ni.fallback_area) == (800.0, "K02000001")  # NI: no Table 3 rows
    assert ni.note is not None and "Northern Ireland" in ni.note and "UK figure" in ni.note
