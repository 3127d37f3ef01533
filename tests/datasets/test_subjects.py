"""HE subject codes (CAH, HECoS, JACS 3.0) and JACS → CAH3: real files and fixtures."""

from __future__ import annotations

from pathlib import Path

from lmi.datasets.subjects import SUBJECTS
from lmi.datasets.subjects.parse import resolve_cah3
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, rewrite_csv

CAH3 = {"02-04-01": "nursing (non-specific)", "25-01-03": "design studies"}


def test_resolve_cah3() -> None:
    assert resolve_cah3("CAH25-01-03", "Design studies", CAH3) == "25-01-03"
    assert resolve_cah3("CAH02-01-01", "Nursing  (non-specific)", CAH3) == "02-04-01"
    assert resolve_cah3("CAH02-03-12", "Others in subjects allied to medicine", CAH3) is None


# -- real files --------------------------------------------------------------------------------


def test_real_subject_counts(real_release_db: Database) -> None:
    counts = {
        (scheme, level): n
        for scheme, level, n in real_release_db.execute(
            "SELECT scheme, level, count(*) FROM subjects GROUP BY scheme, level"
        ).rows
    }
    assert counts == {
        ("cah", "cah1"): 21,
        ("cah", "cah2"): 35,
        ("cah", "cah3"): 166,
        ("hecos", "hecos"): 1092,
        ("jacs", "subject_area"): 19,
        ("jacs", "principal"): 165,
        ("jacs", "detailed"): 1569,
    }


def test_real_codes_and_their_cah3(real_release_db: Database) -> None:
    rows = {
        (scheme, code): (level, label, parent, cah3)
        for scheme, code, level, label, parent, cah3 in real_release_db.execute(
            "SELECT scheme, code, level, label, parent_code, cah3_code FROM subjects "
            "WHERE code IN ('25-01-03', '100003', 'A100', 'A1', '1', 'B700', 'B990')"
        ).rows
    }
    assert rows[("cah", "25-01-03")] == ("cah3", "design studies", "25-01", None)
    assert rows[("hecos", "100003")] == ("hecos", "ceramics", None, "25-01-03")
    assert rows[("jacs", "A100")] == ("detailed", "Pre-clinical medicine", "A1", "01-01-02")
    assert rows[("jacs", "A1")] == ("principal", "Pre-clinical medicine", "1", None)
    assert rows[("jacs", "1")] == ("subject_area", "Medicine & dentistry", None, None)
    assert rows[("jacs", "B700")][3] == "02-04-01"  # ILR's CAH v1.2 code 02-01-01, by label
    assert rows[("jacs", "B990")][3] is None  # 02-03-12 has no current equivalent
    unmapped = real_release_db.execute(
        "SELECT count(*) FROM subjects WHERE scheme = 'jacs' AND level = 'detailed' "
        "AND cah3_code IS NULL"
    ).scalar()
    assert unmapped == 12
    dangling = real_release_db.execute(
        "SELECT count(*) FROM subjects s WHERE s.cah3_code IS NOT NULL AND NOT EXISTS ("
        "SELECT 1 FROM subjects c WHERE c.release_id = s.release_id AND c.scheme = 'cah' "
        "AND c.level = 'cah3' AND c.code = s.cah3_code)"
    ).scalar()
    assert dangling == 0


# -- fixture files -----------------------------------------------------------------------------


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [SUBJECTS])


def test_fixture_files_load(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, "subjects")
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    cah3 = dict(
        database.execute(
            "SELECT code, cah3_code FROM subjects WHERE scheme IN ('hecos', 'jacs') "
            "AND level IN ('hecos', 'detailed')"
        ).rows
    )
    assert cah3 == {
        "100003": "25-01-03",
        "100290": "02-04-01",
        "A100": "01-01-02",
        "B700": "02-04-01",
        "B990": None,
        "W200": None,  # not in the ILR fixture
    }
    warnings = built.warnings()
    assert any("CAH02-01-01 → 02-04-01" in p for p in warnings), warnings
    assert any(":4 [CAH3 code]" in p and "JACS B990 gets no CAH3" in p for p in warnings)
    area = database.execute("SELECT label FROM subjects WHERE scheme = 'jacs' AND code = 'H'")
    assert area.scalar() == "Creative arts & design"


def test_unknown_cah3_in_hecos_names_row_and_column(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, "subjects")
    rewrite_csv(folder / "original/HECoS_CAH_Mappings.csv", {1: {"CAH3_Code": "99-99-99"}})
    built = _build(database, tmp_path)
    assert not built.promoted
    assert built.status("subjects") == "failed"
    assert any(
        p.startswith("ERROR   subjects/original/HECoS_CAH_Mappings.csv:3 [CAH3_Code]")
        and "'99-99-99' is not a CAH3 code" in p
        for p in built.errors()
    ), built.problems


def test_bad_jacs_and_missing_column_are_errors(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, "subjects")
    rewrite_csv(folder / "original/flatJACS_3.0.csv", {1: {"detailed_code": "B70"}})
    path = folder / "cah_hierarchy_from_hecos_mapping.csv"
    path.write_text(path.read_text().replace("cah_label", "label", 1))
    built = _build(database, tmp_path)
    assert not built.promoted
    errors = built.errors()
    assert any(":3 [detailed_code]" in p and "'B70'" in p for p in errors), errors
    assert any("column 'cah_label' is missing" in p for p in errors), errors


def test_cah_code_outside_its_parent_is_an_error(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, "subjects")
    rewrite_csv(folder / "cah_hierarchy_from_hecos_mapping.csv", {8: {"parent": "01-01"}})
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any(
        ":10 [parent]" in p and "'25-01-03' has parent '01-01'" in p for p in built.errors()
    ), built.problems
