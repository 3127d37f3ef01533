"""SOC crosswalks: ONS dual coding and coding-index shares, on the real files and on fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmi.datasets.soc_crosswalks import SOC_CROSSWALKS
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, rewrite_csv, soc_stub

UNITS = {"soc2010": ["1115", "2136"], "soc2020": ["1111", "2134", "2141"]}
FOLDER = "soc_crosswalks"


# -- real files --------------------------------------------------------------------------------


def test_real_2136_goes_to_2134_in_the_dual_coding(real_release_db: Database) -> None:
    rows = real_release_db.execute(
        "SELECT soc2020, men_lfs_base, men_lfs_prop, women_census_prop "
        "FROM soc2010_soc2020_dual_coding WHERE soc2010 = '2136' ORDER BY soc2020"
    ).rows
    assert [r[0] for r in rows] == ["2134", "2141", "3543"]
    soc2020, base, men_lfs, women_census = rows[0]
    assert base == 1173
    assert men_lfs == pytest.approx(0.99915, abs=1e-5)
    assert women_census == pytest.approx(0.97654, abs=1e-5)


def test_real_crosswalk_sizes(real_release_db: Database) -> None:
    counts = {
        table: real_release_db.execute(f"SELECT count(*) FROM {table}").scalar()
        for table in ("soc2010_soc2020_dual_coding", "soc2010_soc2020_index_shares")
    }
    assert counts == {"soc2010_soc2020_dual_coding": 714, "soc2010_soc2020_index_shares": 675}
    isco = dict(
        real_release_db.execute(
            "SELECT soc_version, count(*) FROM soc_isco08 GROUP BY soc_version"
        ).rows
    )
    assert isco == {"soc2010": 1795, "soc2020": 1893}  # one '}}}}' cross-reference skipped
    covered = real_release_db.execute(
        "SELECT count(DISTINCT soc2010), count(DISTINCT soc2020) FROM soc2010_soc2020_index_shares"
    ).first()
    assert covered == (369, 412)


def test_real_isco_shares_of_2136(real_release_db: Database) -> None:
    rows = dict(
        real_release_db.execute(
            "SELECT isco08, share FROM soc_isco08 WHERE soc_version = 'soc2010' "
            "AND soc_code = '2136'"
        ).rows
    )
    assert rows["2512"] == pytest.approx(0.5905)
    assert sum(rows.values()) == pytest.approx(1, abs=0.001)


# -- fixture files -----------------------------------------------------------------------------


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [soc_stub(UNITS), SOC_CROSSWALKS])


def test_fixture_files_load(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, FOLDER)
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    assert built.errors() == []
    assert any("'}}}}' instead of an ISCO-08 code" in p for p in built.warnings())
    row = database.execute(
        "SELECT women_census_base, women_census_prop FROM soc2010_soc2020_dual_coding "
        "WHERE soc2010 = '2136' AND soc2020 = '2141'"
    ).first()
    assert row == (40, None)  # blank in the file
    isco = database.execute(
        "SELECT soc_version, soc_code, isco08, n_entries, share FROM soc_isco08 "
        "ORDER BY soc_version, soc_code, isco08"
    ).rows
    assert ("soc2020", "2134", "2512", 7, 0.7) in isco
    assert len(isco) == 6


def test_letter_in_a_number_column_names_row_and_column(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    rewrite_csv(
        folder / "soc2010_to_soc2020_ons_dual_coding.csv", {2: {"men_lfs_perc_2020": "0.1x"}}
    )
    built = _build(database, tmp_path)
    assert not built.promoted
    assert built.status("soc_crosswalks") == "failed"
    assert any(
        p.startswith(
            "ERROR   soc_crosswalks/soc2010_to_soc2020_ons_dual_coding.csv:4 [men_lfs_perc_2020]"
        )
        and "'0.1x' is not a number" in p
        for p in built.errors()
    ), built.problems
    assert database.execute("SELECT count(*) FROM soc2010_soc2020_dual_coding").scalar() == 0


def test_letter_in_a_count_is_an_error(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    rewrite_csv(folder / "soc2010_to_isco08_from_coding_index.csv", {1: {"n_index_entries": "6a"}})
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any(
        ":3 [n_index_entries]" in p and "'6a' is not a whole number" in p for p in built.errors()
    ), built.problems


def test_unknown_unit_group_is_an_error(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    rewrite_csv(folder / "soc2010_to_soc2020_from_coding_index.csv", {0: {"soc2020": "9999"}})
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any(
        "soc2010_to_soc2020_from_coding_index.csv:2 [soc2020]" in p
        and "'9999' is not a SOC 2020 unit group loaded in this release" in p
        for p in built.errors()
    ), built.problems


def test_share_above_one_is_an_error(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    rewrite_csv(
        folder / "soc2020_to_isco08_from_coding_index.csv",
        {3: {"share_of_soc2020_entries": "1.5"}},
    )
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any(
        ":5 [share_of_soc2020_entries]" in p and "not a proportion between 0 and 1" in p
        for p in built.errors()
    ), built.problems


def test_duplicate_pair_and_missing_column_are_errors(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    rewrite_csv(folder / "soc2010_to_isco08_from_coding_index.csv", {2: {"isco08": "2512"}})
    path = folder / "soc2010_to_soc2020_from_coding_index.csv"
    path.write_text(path.read_text().replace("n_index_entries", "entries", 1))
    built = _build(database, tmp_path)
    assert not built.promoted
    errors = built.errors()
    assert any("duplicate soc2010+isco08 '2136/2512'" in p for p in errors), errors
    assert any("column 'n_index_entries' is missing" in p for p in errors), errors


def test_shares_not_adding_up_are_a_warning(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    rewrite_csv(
        folder / "soc2010_to_soc2020_from_coding_index.csv",
        {1: {"share_of_soc2010_entries": "0.5"}},
    )
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    assert any("shares of soc2010 '2136' add up to 0.6000, not 1" in p for p in built.warnings()), (
        built.problems
    )


def test_without_soc_unit_groups_nothing_loads(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, FOLDER)
    built = build(database, tmp_path, [SOC_CROSSWALKS])
    assert not built.promoted
    assert any("no soc2010 unit groups in this release" in p for p in built.errors())
