"""Synthetic LEO: fitting, generator invariants (property tests), aggregation, reports."""

from __future__ import annotations

import csv
import json
import math
import statistics
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmi.checks import read_csv
from lmi.checks.spec import validate_frame
from lmi.datasets.leo.checks import check_earnings
from lmi.datasets.leo.formats import EARNINGS_SPEC
from lmi.datasets.leo.parse import EARNINGS
from lmi.synth.leo.aggregate import (
    SUBJECT_CODES,
    Records,
    Rules,
    aggregate,
    aggregate_files,
    read_records,
    write_table,
)
from lmi.synth.leo.fitting import Model, Published, SynthError, fit, read_published
from lmi.synth.leo.generator import allocate, generate, ndtri, write
from lmi.synth.leo.reports import TOLERANCE, _structure, write_reports
from lmi.synth.leo.variables import (
    ACTIVITIES,
    CATEGORICAL,
    COLUMNS,
    EARNING_ACTIVITY,
    ENGLISH_REGIONS,
    SUSTAINED_ACTIVITIES,
    YAGS,
    cohort_of,
)
from tests.leo_fixtures import write_leo_fixture


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """The invented fixture table, with a suppressed cell (quartiles from a parent)."""
    c = {"earnings_LQ": "c", "earnings_median": "c", "earnings_UQ": "c"}
    path = write_leo_fixture(
        tmp_path_factory.mktemp("leo"),
        {("Celtic studies", "Male", 5): {"grads": "10", "earnings_include": "5", **c}},
    )
    return read_published(path)


@pytest.fixture(scope="module")
def models(published: Published) -> dict[str, Model]:
    return {tier: fit(published, tier) for tier in ("L1", "L2")}


def _table(model: Model, rows: int, seed: int, chunk_rows: int = 1 << 18) -> pa.Table:
    return pa.concat_tables(generate(model, rows, seed, chunk_rows))


# -- numerics ----------------------------------------------------------------------------------


@given(st.floats(min_value=1e-12, max_value=1 - 1e-12))
def test_ndtri_inverts_the_normal_cdf(p: float) -> None:
    expected = statistics.NormalDist().inv_cdf(p)
    assert math.isclose(float(ndtri(np.array([p]))[0]), expected, rel_tol=1e-7, abs_tol=1e-8)


@given(
    st.integers(min_value=0, max_value=10**7),
    st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=50).filter(
        lambda w: sum(w) > 0
    ),
)
def test_allocate_is_exact_and_proportional(total: int, weights: list[float]) -> None:
    found = allocate(total, np.array(weights))
    assert int(found.sum()) == total and (found >= 0).all()
    exact = np.array(weights) / sum(weights) * total
    assert (np.abs(found - exact) < 1 + 1e-9).all()


# -- fitting -----------------------------------------------------------------------------------


def test_fit_uses_published_quartiles_and_a_parent_for_c(models: dict[str, Model]) -> None:
    model = models["L2"]
    assert len(model.cells) == 35 * 2 * 4
    borrowed = model.laws[model.cells.index(("19-02", "M", 5))]
    assert borrowed.source == "subject_both_sexes"
    own = model.laws[model.cells.index(("11-01", "F", 10))]
    pub = model.published.get("11-01", "F", 10)
    assert pub is not None and own.source == "cell"
    assert (own.lq, own.median, own.uq) == (pub.lq, pub.median, pub.uq)
    assert np.allclose(model.activity.sum(axis=1), 1.0)
    assert any("19-02 M 5 YAG" in note for note in model.notes)


def test_raking_keeps_cell_quartiles_and_meets_totals(models: dict[str, Model]) -> None:
    model = models["L2"]
    z75 = statistics.NormalDist().inv_cdf(0.75)
    for law in model.laws:  # the cell's own quartiles never move
        assert math.isclose(law.z_of(math.log(law.lq)), -z75, abs_tol=1e-9)
        assert math.isclose(law.z_of(math.log(law.median)), 0.0, abs_tol=1e-9)
        assert math.isclose(law.z_of(math.log(law.uq)), z75, abs_tol=1e-9)
        zs = [z for z, _ in law.knots]
        logs = [v for _, v in law.knots]
        assert zs == sorted(zs) and logs == sorted(logs)  # still a distribution
    earners = model.weights * model.activity[:, EARNING_ACTIVITY]
    met = 0
    for subject in {c[0] for c in model.cells}:
        for yag in YAGS:
            total = model.published.get(subject, "all", yag)
            assert total is not None and total.median is not None
            members = [model.cells.index((subject, x, yag)) for x in ("F", "M")]
            w = earners[members] / earners[members].sum()
            cdf = sum(
                wi * statistics.NormalDist().cdf(model.laws[i].z_of(math.log(total.median)))
                for wi, i in zip(w, members, strict=True)
            )
            met += abs(cdf - 0.5) < 1e-6
    assert met >= 0.9 * 35 * len(YAGS)
    assert fit(model.published, "L1").laws[0].knots == fit(model.published, "L1").laws[0].knots


def test_fit_refuses_unknown_tier(published: Published) -> None:
    with pytest.raises(SynthError, match="unknown tier"):
        fit(published, "L3")


def test_read_published_refuses_a_broken_table(tmp_path: Path) -> None:
    path = write_leo_fixture(tmp_path, {("Law", "Male", 3): {"subject_name": "Alchemy"}})
    with pytest.raises(SynthError, match="not a CAH2 subject name"):
        read_published(path)


# -- generator invariants ----------------------------------------------------------------------


def _check_invariants(table: pa.Table, rows: int) -> None:
    assert table.num_rows == rows
    assert table.column_names == list(COLUMNS)
    structure = _structure(table)
    assert structure["passed"], structure
    activity = table.column("activity").cast(pa.string()).to_pylist()
    earnings = table.column("earnings").to_pylist()
    for act, money in zip(activity, earnings, strict=True):
        assert (money is not None) == (act == ACTIVITIES[EARNING_ACTIVITY])
    assert table.column("synthetic").to_pylist() == [True] * rows
    assert table.column("person_id").to_pylist() == list(range(1, rows + 1))
    home = table.column("home_region").cast(pa.string()).to_pylist()
    fsm = table.column("fsm").to_pylist()
    assert all(f is None for h, f in zip(home, fsm, strict=True) if h not in ENGLISH_REGIONS)
    for y, cohort in zip(
        table.column("yag").to_pylist(),
        table.column("academic_year").cast(pa.string()).to_pylist(),
        strict=True,
    ):
        assert cohort == cohort_of(y)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tier=st.sampled_from(["L1", "L2"]),
    rows=st.integers(min_value=1, max_value=4000),
    seed=st.integers(min_value=0, max_value=2**32),
    chunk_rows=st.integers(min_value=1, max_value=1500),
)
def test_every_file_keeps_the_structure(
    models: dict[str, Model], tier: str, rows: int, seed: int, chunk_rows: int
) -> None:
    _check_invariants(_table(models[tier], rows, seed, chunk_rows), rows)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.integers(min_value=1, max_value=20000), chunk_rows=st.integers(200, 5000))
def test_l2_cells_and_activities_follow_the_published_shares_exactly(
    models: dict[str, Model], rows: int, chunk_rows: int
) -> None:
    """Cell counts are the exact allocation of the rows to the published graduates."""
    model = models["L2"]
    table = _table(model, rows, 7, chunk_rows)
    expected = allocate(rows, model.weights)
    keys = list(
        zip(
            table.column("subject_cah2").cast(pa.string()).to_pylist(),
            table.column("sex").cast(pa.string()).to_pylist(),
            table.column("yag").to_pylist(),
            strict=True,
        )
    )
    counts = {cell: 0 for cell in model.cells}
    for key in keys:
        counts[key] += 1
    assert [counts[c] for c in model.cells] == expected.tolist()
    earners = table.column("activity").cast(pa.string()).to_pylist().count(ACTIVITIES[0])
    exact = sum(
        int(allocate(int(n), p)[EARNING_ACTIVITY]) if n else 0
        for n, p in zip(expected, model.activity, strict=True)
    )
    assert earners == exact


def test_same_seed_same_records_other_seed_other_records(models: dict[str, Model]) -> None:
    for model in models.values():
        first = _table(model, 3000, 11, 1000)
        assert first.equals(_table(model, 3000, 11, 1000))
        assert not first.equals(_table(model, 3000, 12, 1000))


def test_bad_arguments_are_refused(models: dict[str, Model]) -> None:
    with pytest.raises(SynthError):
        next(generate(models["L1"], 0, 1))
    with pytest.raises(SynthError):
        next(generate(models["L1"], 10, 1, chunk_rows=0))


def test_l1_keeps_no_relationship_between_subject_and_earnings(models: dict[str, Model]) -> None:
    table = _table(models["L1"], 60000, 3)
    agg = aggregate(_records(table))
    subjects = ("01-01", "25-02", "15-02")
    medians = [agg.median(s, "all", 5) or 0.0 for s in subjects]
    published = [models["L1"].published.get(s, "all", 5) for s in subjects]
    spread = max(p.median or 0 for p in published if p) - min(p.median or 0 for p in published if p)
    # the published subject medians differ by > £15,000; L1 pools them (sampling noise only)
    assert spread > 15000
    assert max(medians) - min(medians) < spread / 3


def _records(table: pa.Table) -> Records:
    path = Path(f"/tmp/lmi-test-{id(table)}.parquet")
    pq.write_table(table, path)
    try:
        return read_records([path])
    finally:
        path.unlink()


# -- aggregation -------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),  # subject index (of the first three)
            st.integers(0, 1),  # sex
            st.integers(0, 3),  # YAG index
            st.integers(0, 4),  # activity
            st.integers(1, 200_000),  # earnings
        ),
        min_size=1,
        max_size=300,
    )
)
def test_quartiles_are_numpy_quantiles_per_cell(records: list[tuple[int, ...]]) -> None:
    data = np.array(records)
    earning = data[:, 3] == EARNING_ACTIVITY
    recs = Records(
        tax_year="2022-23",
        cohorts={},
        subject=data[:, 0].astype(np.int16),
        sex=data[:, 1].astype(np.int8),
        yag=data[:, 2].astype(np.int8),
        activity=data[:, 3].astype(np.int8),
        earnings=np.where(earning, data[:, 4], np.nan).astype(np.float64),
    )
    agg = aggregate(recs)
    for s, x, y in {(r[0], r[1], r[2]) for r in records}:
        mine = data[(data[:, 0] == s) & (data[:, 1] == x) & (data[:, 2] == y)]
        assert agg.grads[s, x, y] == len(mine)
        values = mine[mine[:, 3] == EARNING_ACTIVITY][:, 4]
        assert agg.earners[s, x, y] == values.size
        assert agg.sustained[s, x, y] == np.isin(mine[:, 3], SUSTAINED_ACTIVITIES).sum()
        if values.size:
            expected = np.quantile(values.astype(float), [0.25, 0.5, 0.75])
            assert np.allclose(agg.quartiles[s, x, y], expected)
    assert agg.grads[-1, 2].sum() == len(records)  # all subjects, both sexes


def test_sdc_rules_round_and_suppress(models: dict[str, Model]) -> None:
    table = _table(models["L2"], 40000, 5)
    agg = aggregate(_records(table), Rules(min_earners=15, min_graduates=3))
    rows = agg.rows()
    assert len(rows) == 36 * 3 * 4
    for row in rows:
        assert int(row["grads"]) % 5 == 0 and int(row["earnings_include"]) % 5 == 0
        for column in ("earnings_LQ", "earnings_median", "earnings_UQ"):
            assert row[column] == "c" or int(row[column]) % 100 == 0
    # Celtic studies, male, 5 YAG: a handful of records
    s, x, y = SUBJECT_CODES.index("19-02"), 1, YAGS.index(5)
    earners = int(agg.earners[s, x, y])
    celtic = next(
        r
        for r in rows
        if (r["subject_name"], r["sex"], r["YAG"]) == ("Celtic studies", "Male", "5 YAG")
    )
    assert (celtic["earnings_median"] == "c") == (earners < 15)
    strict = aggregate(_records(table), Rules(min_earners=10**6, min_graduates=10**6)).rows()
    assert all(r["earnings_median"] == "c" and r["sust_emp_fs_or_both"] == "c" for r in strict)


def test_aggregate_output_is_a_valid_leo_table(models: dict[str, Model], tmp_path: Path) -> None:
    written = write(models["L2"], tmp_path, rows=30000, seed=2, formats=("csv",), progress=False)
    out = write_table(aggregate_files(written.paths), tmp_path / "table.csv")
    frame = read_csv(out, label="table.csv")
    check_earnings(frame)
    problems = [
        p for p in [*frame.problems, *validate_frame(frame, EARNINGS_SPEC)] if p.severity == "error"
    ]
    assert problems == []


def test_bad_records_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "tax_year,academic_year,yag,sex,subject_cah2,activity,earnings\n"
        "2022-23,2016/2017,5,F,99-99,sustained_employment_only,30000\n",
        encoding="utf-8",
    )
    with pytest.raises(SynthError, match="unknown subject_cah2"):
        aggregate_files([path])
    path.write_text("tax_year,yag\n2022-23,5\n", encoding="utf-8")
    with pytest.raises(SynthError):
        aggregate_files([path])
    with pytest.raises(SynthError, match="no such file"):
        aggregate_files([tmp_path / "missing.parquet"])


# -- round trip --------------------------------------------------------------------------------


def _round_trip(model: Model, rows: int, tmp_path: Path) -> dict[str, object]:
    written = write(model, tmp_path, rows=rows, seed=9, progress=False)
    [path] = written.paths
    reports = write_reports(path, model)
    utility = json.loads(reports["utility_json"].read_text(encoding="utf-8"))
    target: dict[str, object] = utility["target_analyses"]
    return target


def test_l2_round_trip_reproduces_published_cell_medians(
    models: dict[str, Model], tmp_path: Path
) -> None:
    target = _round_trip(models["L2"], 200_000, tmp_path)
    cells = target["cells"]
    assert isinstance(cells, dict)
    assert cells["within_tolerance"], cells["outside_tolerance"]
    for row in cells["rows"]:
        enough = row["synthetic_earners"] >= TOLERANCE.cell_min_earners
        if row["median"]["difference"] is not None and enough:
            assert abs(row["median"]["difference"]) <= TOLERANCE.cell_pounds
            assert abs(row["lq"]["difference"]) <= TOLERANCE.cell_pounds
            assert abs(row["uq"]["difference"]) <= TOLERANCE.cell_pounds


def test_reports_are_written_beside_each_file(models: dict[str, Model], tmp_path: Path) -> None:
    written = write(
        models["L2"], tmp_path, rows=5000, seed=4, formats=("parquet", "csv"), progress=False
    )
    for path in written.paths:
        reports = write_reports(path, models["L2"])
        disclosure = json.loads(reports["disclosure_json"].read_text(encoding="utf-8"))
        assert disclosure["passed"], disclosure["checks"]
        assert set(disclosure["checks"]) == {
            "labelling",
            "disclosure",
            "structure",
            "documentation",
        }
        assert reports["utility_md"].read_text(encoding="utf-8").startswith("# Utility report")
        assert path.with_name(path.name + ".metadata.json").is_file()
    meta = pq.ParquetFile(written.paths[0]).schema_arrow.metadata
    assert meta[b"synthetic"] == b"true" and json.loads(meta[b"lmi"])["tier"] == "L2"


def test_disclosure_report_catches_an_unlabelled_file(
    models: dict[str, Model], tmp_path: Path
) -> None:
    written = write(models["L2"], tmp_path, rows=2000, seed=4, progress=False)
    [path] = written.paths
    table = pq.read_table(path).replace_schema_metadata(None)
    pq.write_table(table, path)
    reports = write_reports(path, models["L2"])
    disclosure = json.loads(reports["disclosure_json"].read_text(encoding="utf-8"))
    assert not disclosure["checks"]["labelling"]["passed"] and not disclosure["passed"]


def test_structure_check_catches_earnings_without_employment(
    models: dict[str, Model], tmp_path: Path
) -> None:
    written = write(models["L2"], tmp_path, rows=3000, seed=4, formats=("csv",), progress=False)
    [path] = written.paths
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    victim = next(r for r in rows if r["activity"] == "further_study_only")
    victim["earnings"] = "25000"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    reports = write_reports(path, models["L2"])
    structure = json.loads(reports["disclosure_json"].read_text(encoding="utf-8"))["checks"][
        "structure"
    ]
    assert structure["earnings_only_with_sustained_employment"] is False
    assert structure["passed"] is False


def test_categorical_columns_are_dictionary_encoded(models: dict[str, Model]) -> None:
    table = _table(models["L1"], 100, 1)
    for name in CATEGORICAL:
        assert pa.types.is_dictionary(table.schema.field(name).type), name


@pytest.mark.realdata
def test_real_l2_round_trip_within_stated_tolerance(source_dir: Path, tmp_path: Path) -> None:
    """The done-when: L2 → aggregate → published medians within the stated tolerance."""
    model = fit(read_published(source_dir / EARNINGS), "L2")
    target = _round_trip(model, 1_000_000, tmp_path)
    assert target["within_tolerance"] is True
    totals = target["totals"]
    assert isinstance(totals, dict)
    assert totals["median_max_relative_difference"] <= TOLERANCE.total_relative
