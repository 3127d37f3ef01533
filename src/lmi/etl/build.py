"""``lmi data build``: load every dataset found in a source directory into a new release.

A build never touches production: rows go into a new release (status ``building``); if every
required dataset is present and no dataset has errors it becomes ``test`` and, unless asked not
to, is promoted; otherwise it is marked ``failed`` and its rows are deleted.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmi.checks import DatasetReport, Problem
from lmi.checks.report import Severity
from lmi.datasets.base import Dataset, LoadContext
from lmi.errors import ConfigurationError
from lmi.store.database import Database
from lmi.store.releases import ReleaseStore, utc_now

__all__ = ["BuildReport", "build_release"]

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


class _Rejected(Exception):
    """Raised inside a dataset's transaction to discard its rows after failed checks."""


@dataclass
class BuildReport:
    release_id: int
    source_dir: str
    datasets: list[DatasetReport] = field(default_factory=list)
    promoted: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(d.status in {"loaded", "missing"} for d in self.datasets) and not any(
            d.errors for d in self.datasets
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "release_id": self.release_id,
            "source_dir": self.source_dir,
            "ok": self.ok,
            "promoted": self.promoted,
            "seconds": round(self.seconds, 2),
            "datasets": [d.as_dict() for d in self.datasets],
        }


def build_release(
    db: Database,
    source_dir: Path,
    datasets: Sequence[Dataset],
    *,
    promote: bool = True,
    by: str = "lmi data build",
    progress: Progress | None = None,
) -> BuildReport:
    """Load ``datasets`` from ``source_dir`` into a new release; promote it when all passed."""
    if not source_dir.is_dir():
        raise ConfigurationError(f"source directory {source_dir} does not exist")
    say = progress or (lambda _message: None)
    store = ReleaseStore(db)
    _fail_stale_builds(store)
    started = time.perf_counter()
    release_id = store.create(f"{utc_now()[:10]} from {source_dir}", source_dir=str(source_dir))
    report = BuildReport(release_id=release_id, source_dir=str(source_dir))
    status: dict[str, str] = {}
    for number, ds in enumerate(datasets, start=1):
        say(f"[{number}/{len(datasets)}] {ds.name}: {ds.title}")
        dataset_report = _load_one(db, store, ds, source_dir, release_id, status)
        report.datasets.append(dataset_report)
        status[ds.name] = dataset_report.status
        say(_summary_line(dataset_report))
    report.seconds = time.perf_counter() - started
    store.finish(release_id, ok=report.ok, report_json=json.dumps(report.as_dict()))
    if report.ok and promote:
        store.promote(release_id, by=by, note=f"built from {source_dir}")
        report.promoted = True
    return report


def _load_one(
    db: Database,
    store: ReleaseStore,
    ds: Dataset,
    source_dir: Path,
    release_id: int,
    status: dict[str, str],
) -> DatasetReport:
    report = DatasetReport(dataset=ds.name, loader=ds.loader)
    started = time.perf_counter()
    absent = [d for d in ds.depends_on if status.get(d) == "missing"]
    # a dependency outside this build (e.g. a stub in tests) does not block
    blocked = [d for d in ds.depends_on if status.get(d, "loaded") not in {"loaded", "missing"}]
    if absent and not blocked:
        report.status = "missing"
        report.problems.append(
            Problem(
                "error" if ds.required else "warning",
                "missing-input",
                f"needs {', '.join(absent)}, whose files are not in {source_dir}",
            )
        )
    elif not ds.present(source_dir):
        report.status = "missing"
        severity: Severity = "error" if ds.required else "warning"
        for path in ds.missing_files(source_dir):
            report.problems.append(
                Problem(severity, "missing-file", f"{path} not found in {source_dir}", file=path)
            )
    elif blocked:
        report.status = "skipped"
        report.problems.append(
            Problem("error", "dependency-failed", f"needs {', '.join(blocked)}, which did not load")
        )
    else:
        try:
            with db.transaction() as tx:
                ds.load(LoadContext(source_dir, release_id, tx, report))
                if report.errors:
                    raise _Rejected
            report.status = "loaded"
        except _Rejected:
            report.status = "failed"
            report.rows_loaded = {}
        except Exception as exc:  # a loader bug must not take the build down without a report
            log.exception("loader %s crashed", ds.loader)
            report.status = "failed"
            report.rows_loaded = {}
            report.problems.append(
                Problem("error", "loader-crashed", f"{type(exc).__name__}: {exc}")
            )
    report.seconds = time.perf_counter() - started
    _record(store, release_id, report)
    return report


def _record(store: ReleaseStore, release_id: int, report: DatasetReport) -> None:
    with store.db.transaction() as tx:
        store.record_dataset(
            tx,
            release_id,
            dataset=report.dataset,
            loader=report.loader,
            status=report.status,
            rows_read=report.rows_read,
            rows_loaded=sum(report.rows_loaded.values()),
            errors=report.errors,
            warnings=report.warnings,
            seconds=report.seconds,
        )
        for f in report.files:
            if f.sha256:
                store.record_file(
                    tx,
                    release_id,
                    dataset=report.dataset,
                    path=f.path,
                    sha256=f.sha256,
                    bytes=f.bytes,
                )


def _fail_stale_builds(store: ReleaseStore) -> None:
    """A build left ``building`` by a crash or kill is marked failed and its rows removed."""
    for release in store.all_releases():
        if release.status == "building":
            store.finish(release.id, ok=False, report_json=json.dumps({"stale": True}))


def _summary_line(report: DatasetReport) -> str:
    loaded = sum(report.rows_loaded.values())
    return (
        f"      {report.status}: {report.rows_read:,} rows read, {loaded:,} loaded, "
        f"{report.errors} errors, {report.warnings} warnings ({report.seconds:.1f} s)"
    )
