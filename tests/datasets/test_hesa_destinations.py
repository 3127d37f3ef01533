"""HESA Graduate Outcomes occupation-by-subject table: fixtures in HESA's open-data layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmi.datasets.hesa_destinations import HESA_DESTINATIONS
from lmi.datasets.hesa_destinations.checks import parse_cah, parse_percent, parse_soc
from lmi.datasets.hesa_destinations.parse import HESA_FILE
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.datasets.subjects import SUBJECTS
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture
from tests.soc_fixtures import write_soc_sources


def _source(tmp_path: Path) -> Path:
    write_soc_sources(tmp_path)
    copy_fixture(tmp_path, "subjects")
    copy_fixture(tmp_path, "hesa_destinations")
    return tmp_path


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [SOC2010, SOC2020, SUBJECTS, HESA_DESTINATIONS])


def _rows(database: Database) -> dict[tuple[str, str], tuple[object, ...]]:
    return {
        (cah, soc): (level, n, pct, status)
        for cah, soc, level, n, pct, status in database.execute(
            "SELECT cah_code, soc_code, soc_level, number, percent, status "
            "FROM hesa_destinations WHERE soc_version = 'soc2020'"
        ).rows
    }


@pytest.mark.parametrize(
    ("marker", "value", "expected"),
    [
        ("CAH level 2", "(CAH11-01) computing", ("11-01", "cah2")),
        ("CAH level 3", "CAH25-01-03 design studies", ("25-01-03", "cah3")),
        ("CAH level 1", "01 Medicine and dentistry", ("01", "cah1")),
        ("Total", "Total", ("total", "total")),
    ],
)
def test_parse_cah(marker: str, value: str, expected: tuple[str, str]) -> None:
    assert parse_cah(marker, value) == expected


def test_parse_cah_and_soc_report_mismatched_levels() -> None:
    assert isinstance(parse_cah("CAH level 1", "(CAH11-01) computing"), str)
    assert isinstance(parse_cah("CAH level 4", "(CAH11) computing"), str)
    assert parse_soc("SOC 2020 unit group", "2134 Programmers") == ("soc2020", "2134", "unit_group")
    assert parse_soc("SOC 2010 major group", "(2) Professional") == ("soc2010", "2", "major")
    assert isinstance(parse_soc("SOC 2020 unit group", "213 Programmers"), str)
    assert isinstance(parse_soc("ISCO unit group", "2134 Programmers"), str)
    assert parse_percent("12.5%") == 12.5 and parse_percent("..") is None


def test_fixture_table_loads_below_the_metadata_block(tmp_path: Path, database: Database) -> None:
    built = _build(database, _source(tmp_path))
    assert built.promoted, built.problems
    rows = _rows(database)
    assert rows[("02-04", "total")] == ("total", 1000, 100.0, "ok")
    assert rows[("02-04", "2231")] == ("unit_group", 700, 70.0, "ok")
    assert rows[("02-04", "2")] == ("major", 870, 87.0, "ok")
    # 22 is rounded to 20 by the HESA policy
    assert rows[("02-04", "6131")] == ("unit_group", 20, 2.2, "ok")
    # subject total 20 < 25: HESA shows no percentage for populations under 22.5
    assert rows[("01", "2211")] == ("unit_group", 15, None, "ok")
    assert rows[("25-01-03", "2134")] == ("unit_group", None, None, "suppressed_disclosure")
    assert len(rows) == 10
    report = next(d for d in built.report.datasets if d.dataset == "hesa_destinations")
    assert report.files[0].rows_read == 10 and report.files[0].sha256


def test_unknown_codes_are_warnings_and_skipped(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path)
    path = source / HESA_FILE
    text = path.read_text().replace("2232 Fixture unit 2232", "9999 Nowhere")
    path.write_text(text.replace("(CAH01) medicine", "(CAH99) nothing"))
    built = _build(database, source)
    assert built.promoted, built.problems
    warnings = built.warnings()
    assert any(f"{HESA_FILE}:12 [Standard" in p and "'9999'" in p for p in warnings), warnings
    assert any(f"{HESA_FILE}:14 [CAH level subject]" in p and "'99'" in p for p in warnings)
    assert ("02-04", "2232") not in _rows(database)


def test_a_file_without_the_table_header_is_an_error(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path)
    path = source / HESA_FILE
    path.write_text(path.read_text().replace('"Academic year","Level', '"Year","Level'))
    built = _build(database, source)
    assert not built.promoted
    assert any("no header row starting with 'academic year'" in p for p in built.errors())


def test_bad_cells_and_mixed_versions_are_errors(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path)
    path = source / HESA_FILE
    lines = path.read_text().splitlines()
    lines[10] = lines[10].replace('"700"', '"seven hundred"')
    lines[11] = lines[11].replace("SOC 2020 unit group", "SOC 2010 unit group")
    path.write_text("\n".join(lines) + "\n")
    built = _build(database, source)
    assert not built.promoted
    errors = built.errors()
    assert any(f"{HESA_FILE}:11 [Number]" in p and "seven hundred" in p for p in errors), errors


def test_one_soc_version_per_file(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path)
    path = source / HESA_FILE
    path.write_text(
        path.read_text().replace(
            '"SOC 2020 unit group","2232 Fixture', '"SOC 2010 unit group","2134 Fixture'
        )
    )
    built = _build(database, source)
    assert not built.promoted
    assert any("mixes SOC versions (soc2010, soc2020)" in p for p in built.errors())


def test_column_names_match_without_regard_to_case(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path)
    path = source / HESA_FILE
    path.write_text(path.read_text().replace('"Academic year","Level', '"Academic Year","level'))
    built = _build(database, source)
    assert built.promoted, built.problems
