"""Bounded reading: no file, however large or strange, makes a check or build use much memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lmi.checks import read_csv
from lmi.checks.bounded import MAX_LINE_CHARS, MAX_TEXT_BYTES
from lmi.checks.spec import PAY, PERCENT, WEEKLY_HOURS, Column, FileSpec, validate_frame
from lmi.checks.spec import check_file_bytes as byte_problems

GIB = 1024**3
#: the issue's ceiling for a check or build on any input
MAX_RSS_BYTES = 500 * 1024 * 1024

_PROBE = """
import json, sys
from pathlib import Path
from lmi.datasets import registry
from lmi.etl import build_release
from lmi.etl.check import check_files
from lmi.store import Database, migrate
def peak_kib():
    # this process's own peak: VmHWM belongs to its address space, made afresh by exec, while
    # getrusage's ru_maxrss keeps the high-water mark of the (large) test runner that forked it
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
source, target = Path(sys.argv[1]), Path(sys.argv[2])
checked = check_files([target], registry.DATASETS, source)
db = Database("sqlite:///" + sys.argv[3])
migrate(db)
built = build_release(db, source, registry.DATASETS, promote=True)
problems = [p for d in built.datasets for f in d.files for p in f.problems]
print(json.dumps({
    "check": [p.__dict__ for p in checked.files[0].problems],
    "build": [p.__dict__ for p in problems if p.code == "too-large"],
    "promoted": built.promoted,
    "maxrss_kib": peak_kib(),
}))
"""


def _sparse(path: Path, head: bytes, size: int) -> None:
    """A file of ``size`` bytes that takes no disk: ``head``, a hole, then one more row."""
    with path.open("wb") as handle:
        handle.write(head)
        tail = b"\n9999,unit,x,\n"
        handle.seek(size - len(tail))
        handle.write(tail)


@pytest.mark.slow
def test_a_multi_gigabyte_sparse_file_is_refused_unread(tmp_path: Path) -> None:
    """`lmi data check` and a build on a 3 GB file (valid text at its start, so the NUL check
    of its first bytes passes) refuse it by size, naming file and limit, in well under 500 MB."""
    from tests.soc_fixtures import write_soc_sources

    source = write_soc_sources(tmp_path / "src")
    target = source / "soc2010" / "soc2010_structure.csv"
    head = target.read_bytes()
    _sparse(target, head, 3 * GIB)
    assert target.stat().st_size == 3 * GIB
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMI_")}  # as a user runs it
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(source), str(target), str(tmp_path / "db.sqlite")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["maxrss_kib"] * 1024 < MAX_RSS_BYTES
    refused = [p for p in found["check"] if p["code"] == "too-large"]
    assert refused and refused[0]["severity"] == "error"
    limit = f"{MAX_TEXT_BYTES // (1024 * 1024)} MiB"
    assert "soc2010/soc2010_structure.csv" in refused[0]["message"]
    assert limit in refused[0]["message"]
    assert found["build"] and limit in found["build"][0]["message"]
    assert not found["promoted"]


def test_one_endless_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("code,level\n" + "1" * (3 * MAX_LINE_CHARS) + "\n")
    frame = read_csv(path)
    assert [(p.code, p.row) for p in frame.problems] == [("line-too-long", 2)]
    assert f"{MAX_LINE_CHARS:,} characters" in frame.problems[0].message
    assert frame.height == 0


SPEC = FileSpec(
    columns=(
        Column("code", "code", blank=False),
        Column("measure", "code"),
        Column("median", "number", plausible=PAY),
        Column("share", "number", plausible=PERCENT),
    ),
    plausible_when=(("measure", "hours", WEEKLY_HOURS),),
)


def test_utf16_is_named_not_called_binary(tmp_path: Path) -> None:
    text = "code,measure,median,share\n1111,pay,1,1\n"
    for encoding, name in (("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16")):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        problems = byte_problems(path, SPEC, label=path.name)
        assert [p.code for p in problems] == ["wrong-encoding"], encoding
        assert name in problems[0].message and "NUL" not in problems[0].message


def test_impossible_values_and_extra_columns_are_warned(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(
        "code,measure,median,share,surprise\n"
        "1111,pay,-5,50,x\n"  # negative pay
        "1112,pay,0,101,x\n"  # zero pay, a percentage over 100
        "1113,hours,120,10,x\n"  # 120 paid hours a week
        "1114,hours,37.5,100,x\n"  # all plausible
        "1115,pay,40000,12.5,x\n"  # plausible pay (would be impossible as hours)
    )
    problems = validate_frame(read_csv(path), SPEC)
    found = sorted((p.severity, p.code, p.row, p.column) for p in problems)
    assert found == [
        ("warning", "implausible-value", 2, "median"),
        ("warning", "implausible-value", 3, "median"),
        ("warning", "implausible-value", 3, "share"),
        ("warning", "implausible-value", 4, "median"),
        ("warning", "unexpected-column", None, "surprise"),
    ]
    messages = " ".join(p.message for p in problems)
    assert "pay (> 0)" in messages and "paid hours a week" in messages


def test_real_files_have_no_unexpected_columns(source_dir: Path) -> None:
    """Columns the publishers include and lmi does not read are listed, so a real build warns
    only about columns that are new."""
    from lmi.checks import read_delimited
    from lmi.datasets import registry

    for dataset in registry.DATASETS:
        for file in dataset.files:
            spec = file.spec
            path = file.find(source_dir)
            if spec is None or spec.format == "xlsx" or spec.loader_checks or path is None:
                continue
            encoding = "utf-8" if spec.format == "tsv" else "utf-8-sig"
            frame = read_delimited(path, delimiter=spec.delimiter, encoding=encoding)
            codes = {p.code for p in validate_frame(frame, spec)}
            assert "unexpected-column" not in codes, file.path
