"""Discover Uni sector earnings and job types: real files, fixtures in the official format."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from lmi.checks import Frame
from lmi.datasets.graduate_outcomes import GRADUATE_OUTCOMES
from lmi.datasets.graduate_outcomes.parse import GOSECSAL, JOBTYPE, LEO5SEC, job_type_rows
from lmi.datasets.subjects import SUBJECTS
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, rewrite_csv

FOLDER = "graduate_outcomes/original/discover_uni_v7.4"


def _source(tmp_path: Path) -> Path:
    copy_fixture(tmp_path, "subjects")
    copy_fixture(tmp_path, "graduate_outcomes")
    return tmp_path


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [SUBJECTS, GRADUATE_OUTCOMES])


def _earnings(database: Database, where: str) -> list[tuple[object, ...]]:
    return list(
        database.execute(
            "SELECT measure, cah_code, kismode, kislevel, area, lower_quartile, median, "
            f"upper_quartile, population, status FROM graduate_earnings WHERE {where} "
            "ORDER BY measure, cah_code, kismode, kislevel, area"
        ).rows
    )


# -- real files --------------------------------------------------------------------------------


def test_real_go_salary_matches_the_source_file(
    real_release_db: Database, source_dir: Path
) -> None:
    with (source_dir / GOSECSAL).open(encoding="utf-8-sig", newline="") as handle:
        source = {(r["GOSECSBJ"], r["KISMODE"], r["KISLEVEL"]): r for r in csv.DictReader(handle)}
    computing = source[("CAH11-01", "01", "03")]
    rows = _earnings(
        real_release_db,
        "measure = 'go15' AND cah_code = '11-01' AND kismode = '01' AND kislevel = '03'",
    )
    by_area = {r[4]: r for r in rows}
    assert set(by_area) == {"UK", "E", "NI", "S", "W"}
    for area, row in by_area.items():
        if computing[f"GOSECMED_{area}"] == "NA":
            assert row[5:9] == (None, None, None, None) and row[9] == "not_available"
        else:
            assert row[5:9] == (
                float(computing[f"GOSECLQ_{area}"]),
                float(computing[f"GOSECMED_{area}"]),
                float(computing[f"GOSECUQ_{area}"]),
                int(computing[f"GOSECPOP_{area}"]),
            )
            assert row[9] == "ok"
    counts = dict(
        real_release_db.execute(
            "SELECT measure, count(*) FROM graduate_earnings GROUP BY measure"
        ).rows
    )
    assert counts == {"go15": 600 * 5, "leo3": 682 * 16, "leo5": 689 * 16}


def test_real_leo5_na_cells_stay_not_available(real_release_db: Database, source_dir: Path) -> None:
    with (source_dir / LEO5SEC).open(encoding="utf-8-sig", newline="") as handle:
        na = sum(
            1 for r in csv.DictReader(handle) for k, v in r.items() if "MED_" in k and v == "NA"
        )
    stored = real_release_db.execute(
        "SELECT count(*) FROM graduate_earnings WHERE measure = 'leo5' AND median IS NULL "
        "AND status = 'not_available'"
    ).scalar()
    assert stored == na > 0


def test_real_job_types_are_weighted_means_within_range(
    real_release_db: Database, source_dir: Path
) -> None:
    rows = {
        (c, m): (units, pop, pm)
        for c, m, units, pop, pm in real_release_db.execute(
            "SELECT cah_code, kismode, units, population, professional_managerial "
            "FROM graduate_job_types"
        ).rows
    }
    with (source_dir / JOBTYPE).open(encoding="utf-8-sig", newline="") as handle:
        nursing = [
            int(r["PROFMAN"])
            for r in csv.DictReader(handle)
            if r["JOBSBJ"].startswith("CAH02-04") and r["KISMODE"] == "01" and r["JOBPOP"]
        ]
    units, pop, pm = rows[("02-04", "01")]
    assert units > 10 and pop > 1000
    assert min(nursing) <= pm <= max(nursing)
    assert all(0 <= v[2] <= 100 for v in rows.values())


# -- fixtures ----------------------------------------------------------------------------------


def test_fixture_files_load(tmp_path: Path, database: Database) -> None:
    built = _build(database, _source(tmp_path))
    assert built.promoted, built.problems
    assert built.errors() == []
    # 7 subject rows × 5 nations; 7 × 16 areas for each LEO file
    counts = dict(
        database.execute("SELECT measure, count(*) FROM graduate_earnings GROUP BY measure").rows
    )
    assert counts == {"go15": 35, "leo3": 112, "leo5": 112}
    uk = _earnings(database, "measure = 'go15' AND cah_code = '01-01' AND area = 'UK'")
    assert uk == [("go15", "01-01", "01", "03", "UK", 20500.0, 24500.0, 29500.0, 995, "ok")]
    part_time_wales = _earnings(
        database, "measure = 'go15' AND cah_code = '02-04' AND kismode = '02' AND area = 'W'"
    )
    assert part_time_wales == [
        ("go15", "02-04", "02", "04", "W", None, None, None, None, "not_available")
    ]


def test_fixture_job_types(tmp_path: Path, database: Database) -> None:
    """Hand-computed: duplicate course rows of one aggregate count once; no-subject rows skipped."""
    built = _build(database, _source(tmp_path))
    assert built.promoted, built.problems
    found = {
        (c, m): (units, pop, pm, other, unknown)
        for c, m, units, pop, pm, other, unknown in database.execute(
            "SELECT cah_code, kismode, units, population, professional_managerial, other_job, "
            "unknown FROM graduate_job_types"
        ).rows
    }
    assert found[("02-04-01", "01")] == (1, 100, 90.0, 5.0, 5.0)
    # (100 × 90 + 50 × 60) / 150 = 80; (100 × 5 + 50 × 35) / 150 = 15
    assert found[("02-04", "01")] == (2, 150, 80.0, 15.0, 5.0)
    assert found[("02", "01")] == found[("02-04", "01")]
    assert found[("01", "01")] == (1, 200, 95.0, 0.0, 5.0)
    assert ("01-01", "01") not in found  # the aggregate is at CAH1 only
    assert found[("25-01-03", "01")] == (1, 30, 40.0, 50.0, 10.0)
    assert not any(m == "02" for _, m in found)


def test_unknown_subject_is_a_warning_and_skipped(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path)
    rewrite_csv(source / GOSECSAL, {1: {"GOSECSBJ": "CAH99-01"}})
    built = _build(database, source)
    assert built.promoted, built.problems
    assert any(
        f"{GOSECSAL}:3 [GOSECSBJ]" in p and "'CAH99-01' is not a CAH code" in p
        for p in built.warnings()
    ), built.problems
    assert _earnings(database, "cah_code IN ('01-01', '99-01') AND measure = 'go15'") == []


def test_letters_in_a_salary_and_a_bad_mode_are_errors(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path)
    rewrite_csv(source / GOSECSAL, {0: {"GOSECMED_UK": "24k"}, 2: {"KISMODE": "03"}})
    built = _build(database, source)
    assert not built.promoted
    errors = built.errors()
    assert any(":2 [GOSECMED_UK]" in p and "'24k'" in p for p in errors), errors
    assert any(":4 [KISMODE]" in p and "'03'" in p for p in errors), errors


def test_optional_files_may_be_absent(tmp_path: Path, database: Database) -> None:
    source = _source(tmp_path)
    for name in ("LEO3SEC.csv", "LEO5SEC.csv", "JOBTYPE.csv"):
        (source / FOLDER / name).unlink()
    built = _build(database, source)
    assert built.promoted, built.problems
    assert database.execute("SELECT count(*) FROM graduate_job_types").scalar() == 0
    assert database.execute("SELECT DISTINCT measure FROM graduate_earnings").rows == [("go15",)]


def test_missing_required_file_leaves_the_dataset_missing(
    tmp_path: Path, database: Database
) -> None:
    source = _source(tmp_path)
    (source / GOSECSAL).unlink()
    built = _build(database, source)
    assert built.status("graduate_outcomes") == "missing"


# -- property: a weighted mean lies within its parts ------------------------------------------

unit = st.tuples(
    st.sampled_from(["CAH02-04", "CAH02-04-01", "CAH02-04-02"]),
    st.integers(min_value=5, max_value=500),
    st.integers(min_value=0, max_value=100),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(unit, min_size=1, max_size=12))
def test_job_type_shares_lie_within_the_aggregates(units: list[tuple[str, int, int]]) -> None:
    names = ("PUBUKPRN", "UKPRN", "KISMODE", "JOBAGG", "JOBAGGYEAR", "JOBSBJ")
    columns: dict[str, list[str]] = {
        n: [] for n in (*names, "JOBPOP", "PROFMAN", "OTHERJOB", "UNKWN")
    }
    for i, (subject, pop, pm) in enumerate(units):
        values = (f"{10000000 + i}", f"{10000000 + i}", "01", "23", "2021-23", subject)
        for name, value in zip(names, values, strict=True):
            columns[name].append(value)
        for figure, number in (("JOBPOP", pop), ("PROFMAN", pm), ("OTHERJOB", 100 - pm)):
            columns[figure].append(str(number))
        columns["UNKWN"].append("0")
    frame = Frame("JOBTYPE.csv", columns, line_numbers=list(range(2, len(units) + 2)))
    known = {"02", "02-04", "02-04-01", "02-04-02"}
    rows = {r["cah_code"]: r for r in job_type_rows(frame, known, set())}
    shares = [pm for _, _, pm in units]
    top = rows["02"]
    assert min(shares) - 0.05 <= top["professional_managerial"] <= max(shares) + 0.05
    assert abs(top["professional_managerial"] + top["other_job"] - 100) <= 0.11
    assert top["population"] == sum(p for _, p, _ in units)
    assert rows["02"] == {**rows["02-04"], "cah_code": "02", "cah_level": "cah1"}
