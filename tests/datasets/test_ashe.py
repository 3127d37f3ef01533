"""ASHE: loaders, checks and the build-time disclosure control, on the real files and fixtures."""

from __future__ import annotations

import json
import shutil
from collections.abc import Hashable
from dataclasses import replace
from pathlib import Path

import pytest

from lmi.checks import read_csv
from lmi.datasets.ashe.cells import table14_cells
from lmi.datasets.ashe.checks import check_table14
from lmi.datasets.ashe.protection import PATTERNS, protect_differencing, relations_for
from lmi.sdc import revealed
from lmi.sdc.policy import POLICIES
from lmi.store import Database

FIXTURE = Path(__file__).parent.parent / "data" / "ashe" / "table14_tiny.csv"
KNOWN = {"2", "21", "213", "2135", "2136", "2137"}


def _frame(tmp_path: Path, edit: tuple[str, str] | None = None) -> object:
    target = tmp_path / "2021p_annual_FT.csv"
    shutil.copy(FIXTURE, target)
    if edit:
        target.write_text(target.read_text().replace(*edit))
    return read_csv(target, label="ashe/2021p_annual_FT.csv")


def test_fixture_passes_the_checks(tmp_path: Path) -> None:
    frame = _frame(tmp_path)
    check_table14(frame, KNOWN)  # type: ignore[arg-type]
    assert frame.problems == []  # type: ignore[attr-defined]


def test_letters_in_a_numeric_column_name_row_and_column(tmp_path: Path) -> None:
    frame = _frame(tmp_path, ("2137,120,39000", "2137,120,39OOO"))
    check_table14(frame, KNOWN)  # type: ignore[arg-type]
    [problem] = frame.problems  # type: ignore[attr-defined]
    assert (problem.code, problem.row, problem.column) == ("bad-number", 8, "Median")


def test_unknown_soc_code_is_an_error(tmp_path: Path) -> None:
    frame = _frame(tmp_path, (",2137,", ",2199,"))
    check_table14(frame, KNOWN)  # type: ignore[arg-type]
    assert [(p.code, p.row, p.column) for p in frame.problems] == [  # type: ignore[attr-defined]
        ("unknown-code", 8, "Code")
    ]


def test_missing_column_is_reported(tmp_path: Path) -> None:
    frame = _frame(tmp_path, (",change.1,", ",change_mean,"))
    check_table14(frame, KNOWN)  # type: ignore[arg-type]
    assert [(p.code, p.column) for p in frame.problems] == [  # type: ignore[attr-defined]
        ("missing-column", "change.1")
    ]


def test_suppressed_unit_forces_a_secondary_suppression(tmp_path: Path) -> None:
    """2136's job count is x; 213 = 2135 + 2136 + 2137 would give it back: one more goes."""
    frame = _frame(tmp_path)
    cells = {
        c.key: c
        for c in table14_cells(
            frame,  # type: ignore[arg-type]
            year=2021,
            edition="p",
            version="soc2010",
            measure="annual",
            pattern="full-time",
        )
    }
    assert (
        cells[(2021, "p", "soc2010", "2136", "annual", "all", "full-time", "K02000001")]
        .stats["mean"]
        .value
        is None
    )
    assert protect_differencing(cells) == 1
    withheld = {
        (c.code, stat)
        for c in cells.values()
        for stat, s in c.stats.items()
        if s.rule.endswith("secondary-differencing")
    }
    # the cheapest sibling's job count goes; its mean stays (its pay total is now unknown)
    assert withheld == {("2135", "jobs")}
    assert (
        cells[(2021, "p", "soc2010", "2135", "annual", "all", "full-time", "K02000001")]
        .stats["mean"]
        .servable
    )


# -- the real files ----------------------------------------------------------------------------


def _cell(db: Database, **where: object) -> dict[str, object]:
    clause = " AND ".join(f"{k} = :{k}" for k in where)
    rows = db.execute(f"SELECT * FROM ashe_cells WHERE {clause}", where).dicts()
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.realdata
def test_real_2136_2021p_annual_full_time_median(real_release_db: Database) -> None:
    row = _cell(
        real_release_db,
        year=2021,
        edition="p",
        soc_version="soc2010",
        code="2136",
        measure="annual",
        pattern="full-time",
        sex="all",
        area="K02000001",
    )
    assert row["median"] == 44024 and row["method"] == "observed"
    assert row["p90"] is None  # `x` in the file
    flags = json.loads(str(row["flags_json"]))
    assert flags["p90"] == ["suppressed_quality", "ashe-workbook@1:symbol'x'"]
    # the ONS workbook (14.7a/b 2021, SOC 2010) replaced the extract's cell: with its CV
    assert "Table 14.7a workbook, Full-Time" in str(row["source"])
    assert json.loads(str(row["cv_json"]))["median"] > 0


@pytest.mark.realdata
def test_real_every_row_keeps_year_edition_and_version(real_release_db: Database) -> None:
    found = real_release_db.execute(
        "SELECT year, edition, soc_version, count(*) FROM ashe_cells "
        "WHERE method = 'observed' GROUP BY year, edition, soc_version ORDER BY 1, 2 DESC"
    ).rows
    assert [tuple(r[:3]) for r in found] == [
        (2010, "r", "soc2000"),
        (2011, "r", "soc2010"),
        (2011, "p", "soc2000"),
        (2021, "r", "soc2020"),
        (2021, "p", "soc2010"),
        (2022, "p", "soc2020"),  # ONS workbooks only
        (2023, "p", "soc2020"),
        (2024, "p", "soc2020"),  # ONS workbooks only
        (2025, "p", "soc2020"),
    ]


@pytest.mark.realdata
def test_real_no_x_in_the_source_is_stored_as_a_number(real_release_db: Database) -> None:
    rows = real_release_db.execute(
        "SELECT median, mean, p90, flags_json FROM ashe_cells WHERE flags_json != '{}'"
    ).dicts()
    for row in rows:
        for stat, (status, _rule) in json.loads(row["flags_json"]).items():
            if status.startswith("suppressed") and stat in row:
                assert row[stat] is None


@pytest.mark.realdata
def test_real_job_counts_cannot_be_recovered_by_differencing(real_release_db: Database) -> None:
    rows = real_release_db.execute(
        "SELECT year, edition, measure, code, pattern, jobs, flags_json FROM ashe_cells "
        "WHERE sex = 'all' AND area = 'K02000001' AND year < 2025"
    ).dicts()
    tables: dict[tuple[object, ...], list[dict[str, object]]] = {}
    for row in rows:
        tables.setdefault((row["year"], row["edition"], row["measure"]), []).append(row)
    checked = 0
    for table in tables.values():
        codes = {str(r["code"]) for r in table}
        served = {(r["code"], r["pattern"]) for r in table if r["jobs"] is not None}
        hidden: set[Hashable] = {(c, p) for c in codes for p in PATTERNS} - served
        protected: set[Hashable] = set()
        for r in table:
            status, rule = json.loads(str(r["flags_json"])).get("jobs", ["", ""])
            # each cell's own policy says what it protects: ashe@1 (the extract) every
            # suppressed count; ashe-workbook@1 none (the cells are ONS's table as published)
            if status in POLICIES[rule.split("@")[0]].protect if rule else False:
                protected.add((r["code"], r["pattern"]))
        assert not (revealed(hidden | protected, relations_for(codes)) & protected)
        checked += bool(protected)
    assert checked >= 4  # the extract-only editions (2010r, 2011p, 2011r, 2021r)


def test_fixture_matches_the_table14_spec_and_a_letter_is_named(tmp_path: Path) -> None:
    from lmi.checks.spec import validate_frame
    from lmi.datasets.ashe.formats import T14_SPEC

    good = _frame(tmp_path)
    truncated = validate_frame(good, T14_SPEC)  # type: ignore[arg-type]
    assert [p.code for p in truncated] == ["too-few-rows"]  # 8 rows: a real sheet has 400+
    small = replace(T14_SPEC, min_rows=1)
    assert validate_frame(good, small) == []  # type: ignore[arg-type]
    bad = _frame(tmp_path, ("2136,", "21X6,"))
    problems = validate_frame(bad, small)  # type: ignore[arg-type]
    assert [(p.column, p.code) for p in problems] == [("Code", "bad-format")]
