"""ISCO-08 structure and the BLS crosswalks: on the real files and on fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmi.datasets.isco import ISCO
from lmi.datasets.isco.parse import STRUCTURE
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, rewrite_csv

# -- real files --------------------------------------------------------------------------------


def test_real_isco_structure(real_release_db: Database) -> None:
    counts = dict(
        real_release_db.execute("SELECT level, count(*) FROM isco08_groups GROUP BY level").rows
    )
    assert counts == {"major": 10, "sub_major": 43, "minor": 130, "unit_group": 436}
    row = real_release_db.execute(
        "SELECT title, parent_code FROM isco08_groups WHERE code = '0110'"
    ).first()
    assert row == ("Commissioned Armed Forces Officers", "011")


def test_real_isco_2512_maps_to_us_soc_15_1132(real_release_db: Database) -> None:
    rows = real_release_db.execute(
        "SELECT us_soc2010, partial, us_soc2010_title FROM isco08_us_soc2010 "
        "WHERE isco08 = '2512' ORDER BY us_soc2010"
    ).rows
    assert rows == [
        ("15-1132", 1, "Software Developers, Applications"),
        ("15-1133", 1, "Software Developers, Systems Software"),
    ]


def test_real_bls_codes_are_stripped(real_release_db: Database) -> None:
    assert real_release_db.execute("SELECT count(*) FROM isco08_us_soc2010").scalar() == 1125
    padded = real_release_db.execute(
        "SELECT count(*) FROM isco08_us_soc2010 WHERE us_soc2010 LIKE '% ' OR isco08 LIKE '% '"
    ).scalar()
    assert padded == 0
    row = real_release_db.execute(
        "SELECT isco08_title FROM isco08_us_soc2010 WHERE isco08 = '0110' "
        "AND us_soc2010 = '55-1011'"
    ).first()
    assert row == ("Commissioned armed forces officers",)


def test_real_us_soc_2010_to_2018(real_release_db: Database) -> None:
    assert real_release_db.execute("SELECT count(*) FROM us_soc2010_soc2018").scalar() == 900
    rows = real_release_db.execute(
        "SELECT us_soc2018, us_soc2010_title, us_soc2018_title FROM us_soc2010_soc2018 "
        "WHERE us_soc2010 = '15-1132' ORDER BY us_soc2018"
    ).rows
    assert rows == [  # BLS's (#)/(##) split markers are dropped from titles
        ("15-1252", "Software Developers, Applications", "Software Developers"),
        (
            "15-1253",
            "Software Developers, Applications",
            "Software Quality Assurance Analysts and Testers",
        ),
    ]


# -- fixture files -----------------------------------------------------------------------------


@pytest.fixture
def with_real_structure(tmp_path: Path, source_dir: Path) -> Path:
    """Fixture BLS files beside the real ISCO-08 structure (its fixed counts are checked)."""
    copy_fixture(tmp_path, "isco")
    (tmp_path / STRUCTURE).unlink()
    (tmp_path / STRUCTURE).symlink_to(source_dir / STRUCTURE)
    return tmp_path


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [ISCO])


def test_fixture_bls_files_load(with_real_structure: Path, database: Database) -> None:
    built = _build(database, with_real_structure)
    assert built.promoted, built.problems
    rows = database.execute(
        "SELECT isco08, us_soc2010, partial FROM isco08_us_soc2010 ORDER BY isco08, us_soc2010"
    ).rows
    assert rows == [
        ("0110", "55-1011", True),
        ("2512", "15-1132", True),
        ("2512", "15-1133", True),
        ("2513", "15-1134", False),
    ]


def test_bad_isco_code_names_row_and_column(with_real_structure: Path, database: Database) -> None:
    rewrite_csv(
        with_real_structure / "isco/isco08_to_us_soc2010_bls.csv", {2: {"ISCO-08 Code": "25X2"}}
    )
    built = _build(database, with_real_structure)
    assert not built.promoted
    assert built.status("isco") == "failed"
    assert any(
        p.startswith("ERROR   isco/isco08_to_us_soc2010_bls.csv:4 [ISCO-08 Code]") and "'25X2'" in p
        for p in built.errors()
    ), built.problems


def test_bad_us_soc_code_is_an_error(with_real_structure: Path, database: Database) -> None:
    rewrite_csv(
        with_real_structure / "isco/us_soc2010_to_soc2018_bls.csv", {0: {"2018 SOC Code": "151252"}}
    )
    built = _build(database, with_real_structure)
    assert not built.promoted
    assert any(
        ":2 [2018 SOC Code]" in p and "'151252' is not a US SOC code" in p for p in built.errors()
    ), built.problems


def test_truncated_structure_is_rejected(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, "isco")
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any(
        "expected 436 ISCO-08 codes at level 'unit', found 3" in p for p in built.errors()
    ), built.problems


def test_structure_with_wrong_parent_is_rejected(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, "isco")
    rewrite_csv(folder / "isco08_structure_from_ons_soc2020_index.csv", {3: {"parent": "252"}})
    built = _build(database, tmp_path)
    assert any(
        ":5 [parent]" in p and "code '2512' has parent '252'" in p for p in built.errors()
    ), built.problems
