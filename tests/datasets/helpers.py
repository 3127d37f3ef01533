"""Helpers of the dataset tests: fixture source folders, stub datasets, build and report."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from lmi.datasets.base import Dataset, LoadContext
from lmi.datasets.soc.tables import soc_groups
from lmi.etl import BuildReport, build_release
from lmi.store import Database

__all__ = ["Built", "build", "copy_fixture", "rewrite_csv", "soc_stub", "stub"]

FIXTURES = Path(__file__).parent.parent / "data"


def copy_fixture(source: Path, dataset: str, folder: str | None = None) -> Path:
    """Copy the files of ``tests/data/<dataset>`` to ``source/<folder>``; returns the folder."""
    target = source / (folder or dataset)
    shutil.copytree(FIXTURES / dataset, target, dirs_exist_ok=True)
    return target


def stub(name: str, rows: Mapping[sa.Table, Sequence[Mapping[str, Any]]]) -> Dataset:
    """A dataset without files that writes ``rows`` into its tables (stands in for a real one)."""

    def load(ctx: LoadContext) -> None:
        for table, table_rows in rows.items():
            ctx.write(table, table_rows)

    return Dataset(
        name=name,
        title=name,
        publisher="tests",
        licence="tests",
        files=(),
        tables=tuple(rows),
        load=load,
    )


def soc_stub(units: Mapping[str, Sequence[str]]) -> Dataset:
    """SOC unit groups of each version (``{"soc2010": ["2136"]}``), as the SOC loaders write."""
    rows = [
        {"soc_version": version, "code": code, "level": "unit_group", "title": f"Unit {code}"}
        for version, codes in units.items()
        for code in codes
    ]
    return stub("soc_stub", {soc_groups: rows})


class Built:
    """A build of some datasets, with its problems rendered as text."""

    def __init__(self, report: BuildReport) -> None:
        self.report = report
        self.problems = [p.render() for d in report.datasets for p in d.all_problems()]

    @property
    def promoted(self) -> bool:
        return self.report.promoted

    def status(self, dataset: str) -> str:
        return next(d.status for d in self.report.datasets if d.dataset == dataset)

    def errors(self) -> list[str]:
        return [p for p in self.problems if p.startswith("ERROR")]

    def warnings(self) -> list[str]:
        return [p for p in self.problems if p.startswith("WARNING")]


def build(database: Database, source: Path, datasets: Sequence[Dataset]) -> Built:
    return Built(build_release(database, source, datasets))


def rewrite_csv(path: Path, change: Mapping[int, Mapping[str, str]]) -> None:
    """Set some values of data rows (0-based, header excluded) of a CSV file."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    for index, values in change.items():
        rows[index].update(values)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
