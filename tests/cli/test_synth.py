"""``lmi synth leo``: generate, aggregate and report from the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from lmi.cli.main import cli
from tests.leo_fixtures import write_leo_fixture


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_leo_fixture(tmp_path / "source")


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["synth", "leo", *args])
    return result.exit_code, result.output


def test_l2_writes_a_watermarked_file_and_both_reports(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = invoke(
        "--tier", "L2", "--rows", "100000", "--out", str(out), "--source", str(source),
        "--format", "both",
    )  # fmt: skip
    assert code == 0, output
    assert "wrote 100,000 synthetic L2 records" in output
    assert "disclosure: all four checks passed" in output
    for name in ("leo_synthetic_L2.parquet", "leo_synthetic_L2.csv"):
        for suffix in ("", ".metadata.json", ".utility.json", ".utility.md",
                       ".disclosure.json", ".disclosure.md"):  # fmt: skip
            assert (out / f"{name}{suffix}").is_file(), name + suffix
    table = pq.read_table(out / "leo_synthetic_L2.parquet")
    assert table.num_rows == 100000 and all(table.column("synthetic").to_pylist())
    with (out / "leo_synthetic_L2.csv").open(encoding="utf-8") as handle:
        assert len(handle.readlines()) == 100001
    utility = json.loads((out / "leo_synthetic_L2.parquet.utility.json").read_text("utf-8"))
    assert utility["tier"] == "L2" and utility["target_analyses"]["cells"]["within_tolerance"]


def test_default_rows_are_the_published_population(source: Path, tmp_path: Path) -> None:
    code, output = invoke(
        "--tier", "L1", "--out", str(tmp_path), "--source", str(source), "--no-reports",
        "--no-progress",
    )  # fmt: skip
    assert code == 0, output
    with source.open(newline="", encoding="utf-8") as handle:
        population = sum(
            int(r["grads"])
            for r in csv.DictReader(handle)
            if r["subject_name"] != "Total" and r["sex"] != "Total"
        )
    assert f"wrote {population:,} synthetic L1 records" in output
    assert not (tmp_path / "leo_synthetic_L1.parquet.utility.json").exists()


def test_aggregate_writes_the_published_layout(source: Path, tmp_path: Path) -> None:
    code, output = invoke(
        "--rows", "5000", "--out", str(tmp_path), "--source", str(source), "--no-reports"
    )
    assert code == 0, output
    table = tmp_path / "table.csv"
    code, output = invoke(
        "aggregate", str(tmp_path / "leo_synthetic_L2.parquet"), "--out", str(table)
    )
    assert code == 0, output
    assert "5,000 records aggregated" in output
    with table.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 432 and rows[0]["time_period"] == "202223"
    total = next(
        r for r in rows if (r["subject_name"], r["sex"], r["YAG"]) == ("Total", "Total", "1 YAG")
    )
    assert int(total["grads"]) % 5 == 0


def test_report_rewrites_the_reports(source: Path, tmp_path: Path) -> None:
    invoke("--rows", "3000", "--out", str(tmp_path), "--source", str(source), "--no-reports")
    path = tmp_path / "leo_synthetic_L2.parquet"
    code, output = invoke("report", str(path), "--tier", "L2", "--source", str(source))
    assert code == 0, output
    assert (tmp_path / "leo_synthetic_L2.parquet.disclosure.md").is_file()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--rows", "10"), 2, "--out DIR is required"),
        (("--rows", "0", "--out", "x"), 2, "Invalid value for '--rows'"),
        (("--tier", "L3", "--out", "x"), 2, "Invalid value for '--tier'"),
        (("--out", "OUT", "--source", "/nonexistent/leo.csv"), 1, "error:"),
        (("aggregate", "/nonexistent.parquet", "--out", "t.csv"), 1, "no such file"),
    ],
)
def test_bad_arguments_fail_cleanly(
    tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    args = tuple(str(tmp_path / a) if a in ("x", "OUT", "t.csv") else a for a in args)
    found, output = invoke(*args)
    assert found == code and message in output, output
    assert "Traceback" not in output
