"""LFS unemployment by previous occupation: the loader on fixtures in the ONS table's format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lmi.datasets.lfs_unemployment import LFS_UNEMPLOYMENT
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, rewrite_csv

FOLDER = "lfs_unemployment"
FILE = "lfs_unemployment_by_previous_occupation.csv"


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [LFS_UNEMPLOYMENT])


def _row(db: Database, **key: Any) -> dict[str, Any]:
    where = " AND ".join(f"{k} = :{k}" for k in key)
    result = db.execute(f"SELECT * FROM lfs_unemployment WHERE {where}", key)
    assert len(result.rows) == 1, result.rows
    return dict(zip(result.columns, result.rows[0], strict=True))


def test_fixture_loads_with_statuses(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, FOLDER)
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    assert built.warnings() == []
    professionals = _row(
        database, period="Jan-Dec 2023", occupation="2", sex="all", age_band="all", area="K02000001"
    )
    assert (professionals["year"], professionals["quarter"]) == (2023, 0)
    assert professionals["soc_version"] == "soc2020"
    assert professionals["rate"] == 1.4 and professionals["status"] == "ok"
    young = _row(database, period="Jan-Dec 2023", occupation="2", age_band="16-24")
    assert young["rate"] is None and young["status"] == "suppressed_quality"
    assert young["rule"] == "lfs@1:symbol'*'"
    small = _row(database, period="Jan-Dec 2023", occupation="1", sex="male", area="E12000001")
    assert small["rate"] == 4.0 and small["status"] == "caution"  # 6 thousand unemployed
    quarter = _row(database, period="Apr-Jun 2021", occupation="2")
    assert (quarter["year"], quarter["quarter"]) == (2021, 2)


def test_bad_codes_and_numbers_are_errors(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    rewrite_csv(
        folder / FILE,
        {
            0: {"period": "2023 Q1"},
            1: {"age": "18-21"},
            2: {"area_code": "E99999999"},
            3: {"rate": "high"},
            4: {"rate": "130"},
        },
    )
    built = _build(database, tmp_path)
    assert not built.promoted
    text = "\n".join(built.errors())
    assert "'2023 Q1' is not an LFS period" in text
    assert "'18-21' is not an age band" in text
    assert "'E99999999' is not the UK, a country or an English region" in text
    assert "'high' is neither a number" in text
    assert "'130' is not a rate between 0 and 100" in text


def test_duplicate_cell_is_an_error(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    lines = (folder / FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / FILE).write_text("".join([*lines, lines[1]]), encoding="utf-8")
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any("duplicate" in e for e in built.errors())


def test_rate_disagreeing_with_levels_is_a_warning(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    rewrite_csv(folder / FILE, {1: {"rate": "9.9"}, 2: {"unemployed": "99999"}})
    built = _build(database, tmp_path)
    assert built.promoted, built.errors()
    warnings = "\n".join(built.warnings())
    assert "rate 9.9 but unemployed / active = 1.9 %" in warnings
    assert "unemployed 99999 > economically active 7200" in warnings


def test_missing_column_is_an_error(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    text = (folder / FILE).read_text(encoding="utf-8")
    (folder / FILE).write_text(text.replace("economically_active", "active", 1), encoding="utf-8")
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any("column 'economically_active' is missing" in e for e in built.errors())
