"""``lmi data build``: load every dataset found in a source directory into a new release.

A build never touches production: rows go into a new release (status ``building``); if every
required dataset is present and no dataset has errors it becomes ``test`` and, unless asked not
to, is promoted; otherwise it is marked ``failed`` and its rows are deleted.

A build is a tracked run (:mod:`lmi.etl.runs`): it holds the data lock, so a concurrent build or
promotion is refused, and is recorded in the run log. Datasets passed as ``reuse`` are not
loaded: their rows are copied from production (``lmi data build --only``). Before finishing, the
new release is compared with production and suspicious jumps are reported as warnings.
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
from lmi.errors import ConfigurationError, ReleaseError
from lmi.etl.backup import prune_backups
from lmi.etl.diff import diff_releases, jump_problems
from lmi.etl.ops import ensure_backup, promote_in_run
from lmi.etl.reuse import copy_datasets
from lmi.etl.runs import OpsConfig, Run, tracked_run
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
    #: release-wide findings, e.g. suspicious jumps against production (warnings)
    checks: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(d.status in {"loaded", "missing", "copied"} for d in self.datasets) and not any(
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
            "checks": [p.__dict__ for p in self.checks],
        }


def build_release(
    db: Database,
    source_dir: Path,
    datasets: Sequence[Dataset],
    *,
    promote: bool = True,
    by: str = "lmi data build",
    progress: Progress | None = None,
    ops: OpsConfig | None = None,
    reuse: Sequence[Dataset] = (),
) -> BuildReport:
    """Load ``datasets`` from ``source_dir`` into a new release; promote it when all passed.

    Raises :class:`~lmi.errors.Locked` when another data operation is running.
    """
    if not source_dir.is_dir():
        raise ConfigurationError(f"source directory {source_dir} does not exist")
    config = ops or OpsConfig()
    detail = f"from {source_dir}"
    if reuse:
        detail += f"; only {', '.join(d.name for d in datasets)}"
    with tracked_run(db, "build", by=by, detail=detail, ops=config, echo=progress) as run:
        report = _build(db, run, source_dir, datasets, promote, by, config, reuse)
        run.ok = report.ok
        errors = sum(d.errors for d in report.datasets)
        run.message = (
            f"release {report.release_id} "
            + ("promoted" if report.promoted else "test" if report.ok else "FAILED")
            + f": {errors} errors"
        )
    return report


def _build(
    db: Database,
    run: Run,
    source_dir: Path,
    datasets: Sequence[Dataset],
    promote: bool,
    by: str,
    config: OpsConfig,
    reuse: Sequence[Dataset],
) -> BuildReport:
    say = run.progress
    store = ReleaseStore(db)
    _fail_stale_builds(store)  # safe: this run holds the lock, so no other build is running
    started = time.perf_counter()
    production = store.production_id()
    if reuse and production is None:
        raise ReleaseError("no release is in production to copy the other datasets from")
    release_id = store.create(f"{utc_now()[:10]} from {source_dir}", source_dir=str(source_dir))
    run.release_id = release_id
    report = BuildReport(release_id=release_id, source_dir=str(source_dir))
    status: dict[str, str] = {}
    if reuse:
        assert production is not None
        say(f"[copy] {', '.join(d.name for d in reuse)}: rows of production release {production}")
        report.datasets += copy_datasets(db, reuse, production, release_id)
        status.update({ds.name: "loaded" for ds in reuse})
    for number, ds in enumerate(datasets, start=1):
        say(f"[{number}/{len(datasets)}] {ds.name}: {ds.title}")
        dataset_report = _load_one(db, store, ds, source_dir, release_id, status)
        report.datasets.append(dataset_report)
        status[ds.name] = dataset_report.status
        say(_summary_line(dataset_report))
    if report.ok and production is not None:
        say(f"comparing with production release {production} …")
        diff = diff_releases(db, production, release_id)
        report.checks = jump_problems(diff, config.jump_warn_percent)
    report.seconds = time.perf_counter() - started
    store.finish(release_id, ok=report.ok, report_json=json.dumps(report.as_dict()))
    if report.ok and config.backup_dir is not None:
        # now, while servers prepare the new release, so that promoting it needs no backup
        ensure_backup(db, run, release_id, config, why="at build time")
        prune_backups(config.backup_dir, config.backup_keep, protect={release_id, production or 0})
    if report.ok and promote:
        promote_in_run(db, run, release_id, by=by, note=f"built from {source_dir}", ops=config)
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
                ctx = LoadContext(source_dir, release_id, tx, report, specs=ds.specs())
                try:
                    ds.load(ctx)
                finally:
                    ctx.apply_specs()  # the files' format specifications, whatever the loader did
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
