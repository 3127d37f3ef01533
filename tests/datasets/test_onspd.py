"""ONS Postcode Directory: the loader on a fixture in the published format, and its checks."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from lmi.datasets import registry
from lmi.datasets.onspd import ONSPD
from lmi.datasets.onspd.index import load_postcode_index, normalise_postcode
from lmi.datasets.onspd.parse import postcode_keys
from lmi.etl import build_release
from lmi.etl.check import check_files, match_file
from lmi.etl.diff import diff_releases
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture

FOLDER = "onspd"
DATA = "Data/ONSPD_FEB_2024_UK.csv"


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [ONSPD])


def _postcodes(db: Database) -> dict[str, tuple[object, ...]]:
    rows = db.execute(
        "SELECT postcode, country, region, county, district, lep1, lep2, latitude, longitude "
        "FROM onspd_postcodes"
    ).rows
    return {str(r[0]): tuple(r[1:]) for r in rows}


def _rewrite(path: Path, change: dict[str, dict[str, str]]) -> None:
    """Set values of the rows whose ``pcds`` is a key, keeping the file's quoting."""
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for row in rows[1:]:
        for column, value in change.get(row[header.index("pcds")], {}).items():
            row[header.index(column)] = value
    with path.open("w", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)


def test_fixture_loads_live_postcodes_without_spaces(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, FOLDER)
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    assert [w for w in built.warnings() if "partial-file" not in w] == []
    found = _postcodes(database)
    assert len(found) == 9 and "M11AA" not in found  # M1 1AA was terminated in 2012
    westminster = found["SW1A1AA"]
    assert westminster[:6] == ("E92000001", "E12000007", None, "E09000033", "E37000051", None)
    assert westminster[6:] == pytest.approx((51.501009, -0.141588))
    assert found["CT12EH"][2:4] == ("E10000016", "E07000106")  # Kent, Canterbury
    # pseudo-codes are stored as none; Guernsey has no grid reference
    assert found["EH11YZ"][:6] == ("S92000003", None, None, "S12000036", None, None)
    assert found["GY11AA"] == ("L93000001", None, None, None, None, None, None, None)
    names = dict(database.execute("SELECT code, name FROM onspd_areas").rows)
    assert names["E06000058"] == "Bournemouth, Christchurch and Poole"
    assert names["W06000001"] == "Isle of Anglesey" and "E99999999" not in names
    report = next(d for d in built.report.datasets if d.dataset == "onspd")
    files = {f.path: f for f in report.files}
    assert files[f"{FOLDER}/{DATA}"].rows_read == 10 and files[f"{FOLDER}/{DATA}"].sha256


def test_partial_file_is_a_warning(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, FOLDER)
    built = _build(database, tmp_path)
    assert any("9 live postcodes; the complete UK directory" in w for w in built.warnings())


def test_nspl_with_upper_case_header_and_no_names_files(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    for path in (folder / "Documents").iterdir():
        path.unlink()
    text = (folder / DATA).read_text()
    header, rest = text.split("\n", 1)
    header = header.replace('"oscty"', '"cty"').replace('"oslaua"', '"laua"').upper()
    (folder / DATA).unlink()
    (folder / "Data" / "NSPL21_FEB_2024_UK.csv").write_text(header + "\n" + rest)
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    assert _postcodes(database)["CT12EH"][2:4] == ("E10000016", "E07000106")
    assert database.execute("SELECT COUNT(*) FROM onspd_areas").scalar() == 0


def test_malformed_file_is_rejected_with_a_clear_report(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    _rewrite(
        folder / DATA,
        {
            "SW1A 1AA": {"pcds": "SW1A 1A"},
            "WC1E 6BT": {"oslaua": "Camden"},
            "M1 1AE": {"lat": "north"},
            "CT1 2EH": {"doterm": "2012"},
            "BH1 1AA": {"pcds": "NN1 1AA"},  # NN1 1AA twice
        },
    )
    built = _build(database, tmp_path)
    assert not built.promoted and built.report.datasets[0].status == "failed"
    errors = "\n".join(built.errors())
    assert f"{FOLDER}/{DATA}:2 [pcds]: 'SW1A 1A' is not a UK postcode" in errors
    assert ":3 [oslaua]: 'Camden' is not a GSS code" in errors
    assert ":4 [lat]: 'north' is not a number" in errors
    assert ":6 [doterm]: '2012' is not a year and month" in errors
    assert database.execute("SELECT COUNT(*) FROM onspd_postcodes").scalar() == 0


def test_duplicate_postcode_and_missing_column(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    _rewrite(folder / DATA, {"BH1 1AA": {"pcds": "nn1  1aa"}})
    built = _build(database, tmp_path)
    assert not built.promoted
    duplicate = [e for e in built.errors() if "duplicate-key" in e]
    assert duplicate and "NN11AA is listed more than once" in duplicate[0]
    text = (folder / DATA).read_text().replace('"oslaua"', '"district"', 1)
    (folder / DATA).write_text(text)
    built = _build(database, tmp_path)
    assert any("column 'oslaua' or 'laua' is missing" in e for e in built.errors())


def test_ragged_and_empty_files(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    lines = (folder / DATA).read_text().splitlines()
    (folder / DATA).write_text("\n".join(lines[:3] + [lines[3][:40]] + lines[4:]) + "\n")
    built = _build(database, tmp_path)
    assert any("ragged-row" in e and "the header 53" in e for e in built.errors())
    (folder / DATA).write_text(lines[0] + "\n")
    assert any("no data rows" in e for e in _build(database, tmp_path).errors())


def test_two_directory_files_are_refused(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    (folder / "Data" / "ONSPD_MAY_2024_UK.csv").write_bytes((folder / DATA).read_bytes())
    built = _build(database, tmp_path)
    assert any("several postcode directory files" in e for e in built.errors())


def test_optional_a_release_builds_without_it(tmp_path: Path, database: Database) -> None:
    assert not ONSPD.required and not ONSPD.present(tmp_path)
    built = _build(database, tmp_path)
    assert built.promoted and built.status("onspd") == "missing"
    assert any("ONSPD_*_UK.csv or onspd/Data/NSPL*_UK.csv" in w for w in built.warnings())


def test_data_check_matches_the_dated_name(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "src", FOLDER)
    found = match_file(folder / DATA, registry.DATASETS, tmp_path / "src")
    assert found is not None and found[0].name == "onspd"
    elsewhere = tmp_path / "ONSPD_AUG_2025_UK.csv"
    elsewhere.write_bytes((folder / DATA).read_bytes())
    report = check_files([elsewhere], registry.DATASETS, tmp_path / "src")
    assert report.ok, [p.render() for f in report.files for p in f.problems]
    assert report.files[0].rows_read == 10
    _rewrite(elsewhere, {"SW1A 1AA": {"rgn": "London"}})
    report = check_files([elsewhere], registry.DATASETS, tmp_path / "src")
    assert not report.ok
    assert any("'London' is not a GSS code" in p.message for p in report.files[0].problems)


def test_releases_are_diffed_in_the_database(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    first = build_release(database, tmp_path, [ONSPD])
    _rewrite(folder / DATA, {"SW1A 1AA": {"doterm": "202401"}, "M1 1AE": {"lep1": "E37000022"}})
    second = build_release(database, tmp_path, [ONSPD], promote=False)
    diff = diff_releases(database, first.release_id, second.release_id)
    postcodes = next(t for t in diff.tables if t.table == "onspd_postcodes")
    assert (postcodes.rows_old, postcodes.rows_new) == (9, 8)
    assert (postcodes.added, postcodes.removed, postcodes.changed) == (0, 1, 1)
    assert postcodes.removed_keys == ["SW1A1AA"] and postcodes.changed_columns == {"lep1": 1}


def test_index_reads_one_postcode(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, FOLDER)
    built = _build(database, tmp_path)
    index = load_postcode_index(database, built.report.release_id)
    found = index.find("CT12EH")
    assert found is not None and found.postcode == "CT1 2EH"
    assert found.upper_tier is not None and found.upper_tier.name == "Kent"
    assert found.district is not None and found.district.name == "Canterbury"
    assert [lep.code for lep in found.leps] == ["E37000056"]
    assert index.find("M11AA") is None and index.find("CT12EH") is found  # remembered


@pytest.mark.parametrize(
    ("text", "compact"),
    [("sw1a 1aa", "SW1A1AA"), (" M1  1AE ", "M11AE"), ("CF101EP", "CF101EP"), ("SW1A 1A", None)],
)
def test_postcodes_are_normalised(text: str, compact: str | None) -> None:
    assert normalise_postcode(text) == compact


def test_postcode_keys_sort_like_the_postcodes() -> None:
    postcodes = ["SW1A1AA", "M11AE", "CF101EP", "M11AE", "GY11AA", "A11AA", "ZZ99ZZZ"]
    keys = postcode_keys(pa.array(postcodes).slice(0))
    assert len(set(keys.tolist())) == 6 and keys[1] == keys[3]
    order = [postcodes[i] for i in np.argsort(keys, kind="stable")]
    assert order == sorted(postcodes, key=lambda p: p.ljust(7, "\0"))


def test_a_stray_postcode_in_a_large_file_is_skipped_with_a_warning() -> None:
    from lmi.datasets.onspd.checks import Findings, tolerate_postcodes

    findings = Findings("x.csv")
    findings.add("warning", "bad-postcode", "'QQ' is not a UK postcode", column="pcds")
    tolerate_postcodes(findings, "pcds", 1_800_000)
    assert not findings.has_errors
    tolerate_postcodes(findings, "pcds", 9_999)
    assert findings.has_errors and findings.problems()[0].severity == "error"
