"""UK ITL regions and areas with LMI for All's region codes: real files and fixtures."""

from __future__ import annotations

from pathlib import Path

from lmi.datasets.regions import REGIONS
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, rewrite_csv


def test_real_regions(real_release_db: Database) -> None:
    rows = real_release_db.execute(
        "SELECT lmi_code, itl1_code, name, rgn23_code, country FROM regions ORDER BY lmi_code"
    ).rows
    assert len(rows) == 12
    assert rows[0] == (1, "TLI", "London", "E12000007", "England")
    assert rows[2][:3] == (3, "TLH", "East")
    assert rows[-1] == (12, "TLN", "Northern Ireland", None, "Northern Ireland")


def test_real_itl_areas(real_release_db: Database) -> None:
    counts = dict(
        real_release_db.execute("SELECT level, count(*) FROM itl_areas GROUP BY level").rows
    )
    assert counts == {"itl2": 41, "itl3": 179}
    row = real_release_db.execute(
        "SELECT level, name, parent_code FROM itl_areas WHERE code = 'TLI31'"
    ).first()
    assert row == ("itl3", "Camden and City of London", "TLI3")


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [REGIONS])


def test_fixture_files_load(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, "regions")
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    rows = database.execute("SELECT code, parent_code FROM itl_areas ORDER BY code").rows
    assert rows == [("TLI3", "TLI"), ("TLI31", "TLI3"), ("TLN0", "TLN"), ("TLN0A", "TLN0")]
    london = database.execute("SELECT lmi_code FROM regions WHERE itl1_code = 'TLI'").scalar()
    assert london == 1


def test_missing_lmi_region_is_an_error(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, "regions")
    path = folder / "uk_itl1_2021.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("TLI,")))
    built = _build(database, tmp_path)
    assert not built.promoted
    assert built.status("regions") == "failed"
    assert any("ITL1 region TLI (LMI for All region) is missing" in p for p in built.errors())


def test_unknown_region_and_parent_name_row_and_column(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, "regions")
    rewrite_csv(folder / "uk_itl1_2021.csv", {11: {"itl121cd": "TLZ"}})
    built = _build(database, tmp_path)
    assert any(
        p.startswith("ERROR   regions/uk_itl1_2021.csv:13 [itl121cd]") and "'TLZ'" in p
        for p in built.errors()
    ), built.problems
    copy_fixture(tmp_path, "regions")
    rewrite_csv(folder / "uk_itl3_2021.csv", {1: {"itl221cd": "TLN9"}})
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any(
        "regions/uk_itl3_2021.csv:3 [itl221cd]" in p and "'TLN9' is not an ITL2 area" in p
        for p in built.errors()
    ), built.problems
