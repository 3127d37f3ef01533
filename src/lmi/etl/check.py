"""``lmi data check FILE…``: the checks of a build, on files, without loading anything.

Each file is matched to the dataset that reads it, by its path relative to the source directory
or else by its name. Every file gets its format checks (:mod:`lmi.checks.spec`: corrupt or
truncated files, columns, types, codes). When the rest of the dataset's files (and those of the
datasets it depends on) are available, the dataset's loader also runs exactly as in a build —
cross-file checks such as unknown SOC codes — but into a throw-away SQLite store in a temporary
directory, never into the configured store.
"""

from __future__ import annotations

import difflib
import fnmatch
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmi.checks import DatasetReport, FileReport, Problem, read_delimited
from lmi.checks.spec import FileSpec, check_file_bytes, validate_frame
from lmi.datasets.base import Dataset, SourceFile, merge_problems

__all__ = ["CheckReport", "FileCheck", "check_files", "match_file"]

#: problems after which the file's content is not worth reporting on
_BYTE_ERRORS = {
    "empty-file",
    "wrong-format",
    "binary-file",
    "corrupt-xlsx",
    "too-large",
    "unreadable",
    "wrong-encoding",
    "line-too-long",
}


@dataclass
class FileCheck:
    """The problems of one checked file."""

    path: str
    dataset: str | None = None
    source_path: str | None = None
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "dataset": self.dataset,
            "source_path": self.source_path,
            "rows_read": self.rows_read,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [p.__dict__ for p in self.problems],
        }


@dataclass
class CheckReport:
    files: list[FileCheck] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "files": [f.as_dict() for f in self.files],
        }


def match_file(
    path: Path, datasets: Sequence[Dataset], source_dir: Path | None
) -> tuple[Dataset, SourceFile] | None:
    """The dataset file ``path`` is: by its path under ``source_dir``, else by its name."""
    pairs = [(ds, f) for ds in datasets for f in ds.files]
    if source_dir is not None:
        try:
            relative = path.resolve().relative_to(source_dir.resolve()).as_posix()
        except ValueError:
            relative = None
        for ds, f in pairs:
            if relative is not None and f.matches(relative):
                return ds, f
    named = [(ds, f) for ds, f in pairs if f.matches_name(path.name)]
    return named[0] if len(named) == 1 else None


def check_files(
    paths: Sequence[Path], datasets: Sequence[Dataset], source_dir: Path | None
) -> CheckReport:
    """Check ``paths`` as a build would, without touching any store."""
    report = CheckReport()
    given: dict[str, dict[str, Path]] = {}  # dataset → source path → file given
    for path in paths:
        check = FileCheck(path=str(path))
        report.files.append(check)
        found = match_file(path, datasets, source_dir)
        if found is None:
            check.problems.append(_unknown(path, datasets, source_dir))
            continue
        ds, source = found
        check.dataset, check.source_path = ds.name, source.path
        given.setdefault(ds.name, {})[source.path] = path
        if source.spec is not None:
            check.problems += _format_problems(path, source.path, source.spec, check)
    if given:
        _run_loaders(report, given, datasets, source_dir)
    return report


def _unknown(path: Path, datasets: Sequence[Dataset], source_dir: Path | None) -> Problem:
    """Why ``path`` is not checked: a file of the data folder that no dataset reads (kept for
    provenance, such as a publisher's original workbook) is named as such, as a warning."""
    folder = _data_folder(path, source_dir)
    if folder is not None:
        root, top = folder
        reads = sorted(f.path for ds in datasets for f in ds.files if f.path.split("/")[0] == top)
        listed = f"; lmi reads {', '.join(reads[:4])}" + (" …" if len(reads) > 4 else "")
        return Problem(
            "warning",
            "not-read",
            f"{path.name} is in the data folder {root} ({top}/) but no dataset reads it "
            f"(an original or extra file: see {top}/PROVENANCE.md){listed if reads else ''}",
            str(path),
        )
    names = sorted({Path(f.path).name for ds in datasets for f in ds.files})
    close = difflib.get_close_matches(path.name, names, n=3)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return Problem(
        "error",
        "unknown-file",
        f"{path.name} is not a file of any dataset (see `lmi data sources` for the names){hint}",
        str(path),
    )


def _data_folder(path: Path, source_dir: Path | None) -> tuple[Path, str] | None:
    """(data folder, the dataset folder ``path`` is in) when ``path`` lies in the configured
    source directory or in a folder laid out like one (a ``PROVENANCE.md`` per dataset folder)."""
    resolved = path.resolve()
    roots = [source_dir.resolve()] if source_dir is not None else []
    roots += [p.parent for p in resolved.parents if (p / "PROVENANCE.md").is_file()]
    for root in roots:
        try:
            relative = resolved.relative_to(root)
        except ValueError:
            continue
        if len(relative.parts) > 1:
            return root, relative.parts[0]
    return None


def _format_problems(path: Path, label: str, spec: FileSpec, check: FileCheck) -> list[Problem]:
    """The file's own checks: bytes (corrupt, truncated) and its format specification."""
    problems = check_file_bytes(path, spec, label=label)
    if spec.format == "xlsx" or spec.loader_checks or any(p.severity == "error" for p in problems):
        return problems  # loader_checks: the loader (run below) checks the columns
    encoding = "utf-8" if spec.format == "tsv" else "utf-8-sig"
    frame = read_delimited(path, label=label, delimiter=spec.delimiter, encoding=encoding)
    check.rows_read = frame.height
    return problems + frame.problems + validate_frame(frame, spec)


def _run_loaders(
    report: CheckReport,
    given: dict[str, dict[str, Path]],
    datasets: Sequence[Dataset],
    source_dir: Path | None,
) -> None:
    """Run the loaders of the checked datasets (and their dependencies) in a scratch store."""
    from lmi.etl.build import build_release
    from lmi.etl.notify import Notifier
    from lmi.etl.runs import OpsConfig
    from lmi.store import Database, migrate

    wanted = _with_dependencies(set(given), datasets)
    selected = [ds for ds in datasets if ds.name in wanted]
    with tempfile.TemporaryDirectory(prefix="lmi-check-") as tmp:
        overlay = Path(tmp) / "source"
        incomplete = _overlay(overlay, selected, given, source_dir)
        checked = [ds for ds in selected if ds.name not in incomplete]
        for name, missing in incomplete.items():
            _note_incomplete(report, name, missing)
        if not any(ds.name in given for ds in checked):
            return
        db = Database(f"sqlite:///{Path(tmp) / 'scratch.sqlite'}")
        try:
            migrate(db)
            quiet = OpsConfig(notifier=Notifier(quiet=True))  # not a real run: no notification
            build = build_release(
                db, overlay, checked, promote=False, by="lmi data check", ops=quiet
            )
        finally:
            db.close()
    for dataset_report in build.datasets:
        if dataset_report.dataset in given:
            _merge(report, dataset_report)


def _with_dependencies(names: set[str], datasets: Sequence[Dataset]) -> set[str]:
    by_name = {ds.name: ds for ds in datasets}
    found: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in found or name not in by_name:
            continue
        found.add(name)
        todo += by_name[name].depends_on
    return found


def _overlay(
    overlay: Path,
    selected: Sequence[Dataset],
    given: dict[str, dict[str, Path]],
    source_dir: Path | None,
) -> dict[str, list[str]]:
    """Link the files given, and the others from the source directory; returns what is missing."""
    missing: dict[str, list[str]] = {}
    for ds in selected:
        for source in ds.files:
            found = given.get(ds.name, {}).get(source.path)
            if found is None and source_dir is not None:
                found = source.find(source_dir)
            if found is None:
                if source.required:
                    missing.setdefault(ds.name, []).append(source.path)
                continue
            # a pattern's file keeps its own (dated) name, which the pattern matches
            target = overlay / source.path
            if source.is_pattern:
                target = overlay / Path(source.path).parent / found.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(found.resolve())
    return missing


def _note_incomplete(report: CheckReport, dataset: str, missing: list[str]) -> None:
    for check in report.files:
        if check.dataset == dataset:
            check.problems.append(
                _skipped(
                    dataset,
                    f"{', '.join(missing)} not given and not in "
                    "the source directory (pass them too, or --source DIR)",
                    check.source_path,
                )
            )


def _skipped(dataset: str, why: str, where: str | None) -> Problem:
    return Problem(
        "warning", "checks-skipped", f"cross-file checks of {dataset} not run: {why}", where
    )


def _merge(report: CheckReport, dataset_report: DatasetReport) -> None:
    """Use the build's problems of each checked file, keeping any format problem it lacks."""
    by_source = {f.path: f for f in dataset_report.files}
    checks = [c for c in report.files if c.dataset == dataset_report.dataset]
    if not checks:
        return
    if dataset_report.status not in {"loaded", "failed"}:  # a dependency missing or failed
        why = "; ".join(p.message for p in dataset_report.problems) or dataset_report.status
        checks[0].problems.append(_skipped(dataset_report.dataset, why, checks[0].source_path))
        return
    for check in checks:
        built = by_source.get(check.source_path or "") or _matching(by_source, check.source_path)
        unreadable = any(
            p.severity == "error" and p.row is None and p.column is None and p.code in _BYTE_ERRORS
            for p in check.problems
        )
        if built is not None and not unreadable:
            merged = list(built.problems)
            merge_problems(merged, _dedupe(merged, check.problems))
            check.problems = merged
            check.rows_read = built.rows_read
    # problems of the dataset as a whole (dependencies, loader crashes)
    merge_problems(checks[0].problems, dataset_report.problems)


def _matching(by_source: dict[str, FileReport], pattern: str | None) -> FileReport | None:
    """The build's report of the file a pattern path (``onspd/Data/ONSPD_*_UK.csv``) matched."""
    if pattern is None:
        return None
    return next((f for path, f in by_source.items() if fnmatch.fnmatchcase(path, pattern)), None)


def _dedupe(existing: list[Problem], extra: list[Problem]) -> list[Problem]:
    """Drop problems identical to one already found (same code, place and message)."""
    seen = {(p.code, p.row, p.column, p.message) for p in existing}
    return [p for p in extra if (p.code, p.row, p.column, p.message) not in seen]
