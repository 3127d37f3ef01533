"""O*NET 29.0 Occupation Data: on the real file and on fixtures in the O*NET text format."""

from __future__ import annotations

from pathlib import Path

from lmi.datasets.onet import ONET_OCCUPATIONS
from lmi.datasets.onet.parse import OCCUPATION_DATA
from lmi.store import Database
from tests.datasets.helpers import build, copy_fixture


def test_real_onet_occupations(real_release_db: Database) -> None:
    assert real_release_db.execute("SELECT count(*) FROM onet_occupations").scalar() == 1016
    row = real_release_db.execute(
        "SELECT title, description FROM onet_occupations WHERE onet_code = '15-1252.00'"
    ).first()
    assert row is not None
    assert row[0] == "Software Developers"
    assert row[1].startswith("Research, design, and develop computer and network software")


def test_fixture_file_loads(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, "onet", "onet/original")
    built = build(database, tmp_path, [ONET_OCCUPATIONS])
    assert built.promoted, built.problems
    rows = database.execute("SELECT onet_code, description FROM onet_occupations").rows
    assert len(rows) == 5
    assert ("15-1255.01", 'Design core features of video games. Use "quotes" freely.') in rows


def test_bad_code_names_row_and_column(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, "onet", "onet/original")
    path = folder / "Occupation Data.txt"
    path.write_text(path.read_text().replace("15-1254.00\t", "15-1254\t"))
    built = build(database, tmp_path, [ONET_OCCUPATIONS])
    assert not built.promoted
    assert any(
        p.startswith(f"ERROR   {OCCUPATION_DATA}:3 [O*NET-SOC Code]") and "'15-1254'" in p
        for p in built.errors()
    ), built.problems


def test_wrong_encoding_and_missing_column_are_errors(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, "onet", "onet/original")
    path = folder / "Occupation Data.txt"
    path.write_bytes(path.read_bytes().replace(b"Air Crew", b"Air Cr\xe9w"))
    built = build(database, tmp_path, [ONET_OCCUPATIONS])
    assert not built.promoted
    assert any("not valid utf-8 text" in p for p in built.errors()), built.problems
    path.write_text("O*NET-SOC Code\tTitle\n15-1252.00\tSoftware Developers\n")
    built = build(database, tmp_path, [ONET_OCCUPATIONS])
    assert any("column 'Description' is missing" in p for p in built.errors()), built.problems
