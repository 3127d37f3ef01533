"""Printed hints name the command as it can be run; files of the data folder are recognised."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmi.cli.hints import command_name, hint
from lmi.datasets import registry
from lmi.etl.check import check_files


def test_a_virtualenv_command_is_named_by_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / ".venv" / "bin" / "lmi"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # the virtualenv is not activated
    assert command_name(str(program), tmp_path) == ".venv/bin/lmi"
    assert command_name("/usr/lib/python3/lmi/__main__.py") == "python -m lmi"
    message = "No source directory:\n    LMI_SOURCE_DIR=/path/to/data lmi data build"
    assert hint(message, ".venv/bin/lmi").endswith(
        "LMI_SOURCE_DIR=/path/to/data .venv/bin/lmi data build"
    )
    assert hint("run `lmi data build` or `lmi data demo`", ".venv/bin/lmi") == (
        "run `.venv/bin/lmi data build` or `.venv/bin/lmi data demo`"
    )
    assert hint("the lmi service", ".venv/bin/lmi") == "the lmi service"  # prose is left alone


def test_an_activated_command_stays_lmi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "bin" / "lmi"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(program.parent))
    assert command_name(str(program), tmp_path / "elsewhere") == "lmi"


def test_a_data_folder_file_no_dataset_reads_is_recognised(tmp_path: Path) -> None:
    """A publisher's original kept beside the loaded files is named as such, not 'unknown'."""
    folder = tmp_path / "data" / "soc2020"
    (folder / "original").mkdir(parents=True)
    (folder / "PROVENANCE.md").write_text("# SOC 2020\n")
    original = folder / "original" / "volume1.xlsx"
    original.write_bytes(b"PK\x03\x04")
    report = check_files([original], registry.DATASETS, None)
    problem = report.files[0].problems[0]
    assert (problem.severity, problem.code) == ("warning", "not-read")
    assert "soc2020/" in problem.message and "soc2020/soc2020_structure.csv" in problem.message
    stray = tmp_path / "holiday.csv"
    stray.write_text("x\n")
    assert check_files([stray], registry.DATASETS, None).files[0].problems[0].code == "unknown-file"
