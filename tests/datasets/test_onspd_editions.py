"""ONSPD editions: the column-name mapping table, the per-area split, coverage, lat,lng."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lmi.datasets.onspd import ONSPD
from lmi.datasets.onspd.checks import Findings, check_header
from lmi.datasets.onspd.formats import COLUMN_EDITIONS, POSTCODE_AREAS
from lmi.datasets.onspd.index import load_postcode_index, postcode_area
from lmi.datasets.onspd.lookup import nearest_postcode
from lmi.errors import InvalidQuery, NotFound
from lmi.store import Database
from tests.datasets.helpers import FIXTURES, build

OLD = FIXTURES / "onspd" / "Data" / "ONSPD_FEB_2024_UK.csv"
#: the hand-written fixture's older names → ONS's 2025 names (as in ONSPD_NOV_2025_UK.csv)
RENAMED = {
    "oscty": "cty25cd",
    "oslaua": "lad25cd",
    "rgn": "rgn25cd",
    "ctry": "ctry25cd",
    "lep1": "lep21cd1",
    "lep2": "lep21cd2",
}


def _write_split(source: Path, areas: set[str] | None = None) -> dict[str, int]:
    """The fixture in the 2025 naming, split into per-area files; rows per area written."""
    with OLD.open(newline="") as handle:
        rows = list(csv.reader(handle))
    header = [RENAMED.get(h, h) for h in rows[0]]
    by_area: dict[str, list[list[str]]] = {}
    for row in rows[1:]:
        area = postcode_area(row[header.index("pcds")].replace(" ", ""))
        if areas is None or area in areas:
            by_area.setdefault(area, []).append(row)
    folder = source / "onspd" / "Data" / "multi_csv"
    folder.mkdir(parents=True)
    for area, area_rows in by_area.items():
        with (folder / f"ONSPD_NOV_2025_UK_{area}.csv").open("w", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerows([header, *area_rows])
    return {a: len(r) for a, r in by_area.items()}


@pytest.mark.parametrize("edition", sorted(COLUMN_EDITIONS))
def test_every_edition_of_the_mapping_table_is_accepted(edition: str) -> None:
    names = COLUMN_EDITIONS[edition]
    header = ["pcd7", *names.values(), "imd20ind"]
    findings = Findings("x.csv")
    found = check_header(header, findings)
    assert findings.problems() == []
    assert {field: header[i] for field, i in found.items()} == names


def test_the_latest_boundary_year_wins_when_several_are_given() -> None:
    findings = Findings("x.csv")
    header = ["pcds", "doterm", "cty25cd", "lad24cd", "lad25cd", "rgn25cd", "ctry25cd"]
    found = check_header([*header, "lat", "long"], findings)
    assert header[found["district"]] == "lad25cd"


def test_a_missing_column_names_both_namings() -> None:
    findings = Findings("x.csv")
    check_header(["pcds", "doterm", "cty25cd", "rgn25cd", "ctry25cd", "lat", "long"], findings)
    [problem] = [p for p in findings.problems() if p.severity == "error"]
    assert "'oslaua' or 'laua'" in problem.message and "lad(YY)cd" in problem.message


def test_a_split_in_the_2025_naming_loads_and_reports_its_coverage(
    tmp_path: Path, database: Database
) -> None:
    written = _write_split(tmp_path, {"SW", "WC", "EH"})
    built = build(database, tmp_path, [ONSPD])
    assert built.promoted, built.problems
    [coverage] = [w for w in built.warnings() if "partial-coverage" in w]
    assert "3 of 124 postcode areas loaded (EH, SW, WC)" in coverage and " M," in coverage
    rows = dict(database.execute("SELECT area, postcodes FROM onspd_coverage").rows)
    assert rows == written == {"SW": 1, "WC": 1, "EH": 1}
    release = built.report.release_id
    index = load_postcode_index(database, release)
    camden = index.find("WC1E6BT")
    assert camden is not None and camden.district is not None and camden.region is not None
    assert (camden.district.code, camden.region.code) == ("E09000007", "E12000007")
    edinburgh = index.find("EH11YZ")
    assert edinburgh is not None and edinburgh.region is None  # S99999999: no region
    assert index.find("M11AE") is None and index.missing_area("M11AE") == "M"
    assert index.missing_area("WC1E6BT") is None


def test_the_whole_file_is_read_when_both_are_present(tmp_path: Path, database: Database) -> None:
    _write_split(tmp_path, {"SW"})
    (tmp_path / "onspd" / "Data" / "ONSPD_FEB_2024_UK.csv").write_bytes(OLD.read_bytes())
    built = build(database, tmp_path, [ONSPD])
    assert built.promoted and any("split-ignored" in w for w in built.warnings())
    index = load_postcode_index(database, built.report.release_id)
    assert index.areas is None and index.find("M11AE") is not None


def test_split_files_of_two_editions_are_refused(tmp_path: Path, database: Database) -> None:
    _write_split(tmp_path, {"SW", "WC"})
    folder = tmp_path / "onspd" / "Data" / "multi_csv"
    (folder / "ONSPD_NOV_2025_UK_WC.csv").rename(folder / "ONSPD_AUG_2025_UK_WC.csv")
    built = build(database, tmp_path, [ONSPD])
    assert not built.promoted and any("mixed-editions" in e for e in built.errors())


def test_lat_lng_gives_the_nearest_postcode(tmp_path: Path, database: Database) -> None:
    _write_split(tmp_path)
    built = build(database, tmp_path, [ONSPD])
    index = load_postcode_index(database, built.report.release_id)
    # 100 m south-east of Buckingham Palace's SW1A 1AA centroid (51.501009, -0.141588)
    assert nearest_postcode(index, "51.5001,-0.1405", "area") == "SW1A 1AA"
    assert nearest_postcode(index, "55.95, -3.19", "area") == "EH1 1YZ"
    with pytest.raises(NotFound, match="within about 50 km"):
        nearest_postcode(index, "0.0,0.0", "area")
    with pytest.raises(InvalidQuery, match="latitude,longitude"):
        nearest_postcode(index, "95.0,0.0", "area")


def test_postcode_areas_are_one_or_two_letters() -> None:
    assert (postcode_area("WC1E6BT"), postcode_area("M11AE"), postcode_area("G11AA")) == (
        "WC", "M", "G"
    )  # fmt: skip
    assert len(POSTCODE_AREAS) == 124 and all(1 <= len(a) <= 2 for a in POSTCODE_AREAS)


@pytest.mark.realdata
def test_real_a_postcode_of_each_2025_area_file_resolves(
    source_dir: Path, sqlite_database: Database
) -> None:
    """The four real per-area files (ONSPD NOV 2025, 2025 column names)."""
    from lmi.store.migrations import migrate

    migrate(sqlite_database)
    built = build(sqlite_database, source_dir, [ONSPD])
    assert built.promoted, built.errors()
    index = load_postcode_index(sqlite_database, built.report.release_id)
    assert index.areas == {"HG", "LD", "WC", "ZE"}
    expected = {  # postcode: (local authority, region or country)
        "WC1E6BT": ("E09000007", "E12000007"),  # Camden, London
        "HG11AA": ("E06000065", "E12000003"),  # North Yorkshire, Yorkshire and The Humber
        "LD15AB": ("W06000023", "W92000004"),  # Powys, Wales (no English region)
        "ZE10AA": ("S12000027", "S92000003"),  # Shetland Islands, Scotland
    }
    for postcode, (district, area) in expected.items():
        found = index.find(postcode)
        assert found is not None and found.district is not None, postcode
        region = found.region or found.country
        assert region is not None
        assert (found.district.code, region.code) == (district, area)
    assert index.missing_area("SW1A1AA") == "SW"
