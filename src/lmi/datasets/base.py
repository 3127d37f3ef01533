"""What a dataset is: the files it reads, the tables it fills, and its loader.

Each dataset lives in its own folder under :mod:`lmi.datasets` holding its parser (``parse.py``),
checks, tables (``tables.py``) and read queries. Adding a dataset means adding one folder and
listing it in :mod:`lmi.datasets.registry`.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import sqlalchemy as sa

from lmi.checks import DatasetReport, FileReport, Frame, Problem, read_csv, read_delimited
from lmi.checks.spec import FileSpec, check_file_bytes, validate_frame
from lmi.store.database import Database, Transaction

__all__ = [
    "About",
    "Dataset",
    "Fetch",
    "LoadContext",
    "SourceFile",
    "View",
    "ViewSource",
    "merge_problems",
]

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class SourceFile:
    """A file a dataset reads, relative to the source directory.

    ``path`` may be a glob pattern (``onspd/Data/ONSPD_*_UK.csv``) for a file published under a
    dated name: the file is then whichever one matches.
    """

    path: str
    description: str
    required: bool = True
    #: the file's format: columns, types, codes (checked by every build and `lmi data check`)
    spec: FileSpec | None = None
    #: a pattern naming a set of files read together (ONS workbooks, per-area files), not
    #: one dated file: a newly staged one does not replace the others
    many: bool = False

    @property
    def folder(self) -> str:
        """The fixed folder of the path (before any glob component): where uploads go."""
        fixed = []
        for part in self.path.split("/")[:-1]:
            if any(c in part for c in "*?["):
                break
            fixed.append(part)
        return "/".join(fixed)

    @property
    def is_pattern(self) -> bool:
        return any(c in self.path for c in "*?[")

    def matches(self, relative: str) -> bool:
        """True when ``relative`` (a path under the source directory) is this file."""
        if self.is_pattern:
            return fnmatch.fnmatchcase(relative, self.path)
        return relative == self.path

    def matches_name(self, name: str) -> bool:
        """True when a file called ``name`` (no folder) may be this file."""
        own = self.path.rsplit("/", 1)[-1]
        return fnmatch.fnmatchcase(name, own) if self.is_pattern else name == own

    def found_in(self, source_dir: Path) -> list[Path]:
        """The files in ``source_dir`` that are this file (several only for a pattern)."""
        if not self.is_pattern:
            path = source_dir / self.path
            return [path] if path.is_file() else []
        return sorted(p for p in source_dir.glob(self.path) if p.is_file())

    def find(self, source_dir: Path) -> Path | None:
        """The file in ``source_dir``, or ``None`` (for a pattern: the first match by name)."""
        found = self.found_in(source_dir)
        return found[0] if found else None


@dataclass(frozen=True)
class About:
    """What a user of the data needs to know before relying on it (shown on its data page).

    Each field is a sentence or two of plain prose, for a careers adviser as much as a developer.
    """

    #: who or what is counted, where, and at what detail ("employees in UK jobs, SOC 2020 unit
    #: groups; Northern Ireland has no regional rows")
    coverage: str
    #: the reference period of the files in the source directory ("April 2025, provisional")
    currency: str
    #: how often the publisher updates it, and when lmi would pick that up ("annually, in
    #: October (provisional) with revisions a year later")
    frequency: str
    #: what it cannot tell you, sampling error and suppression, known caveats
    limitations: str


class ViewSource(Protocol):
    """What a view is built from: one release's rows, and the other views it builds on.

    The serving layer's snapshot provides it; a view never sees the snapshot itself, so a
    dataset's query model depends on nothing above :mod:`lmi.datasets`.
    """

    @property
    def db(self) -> Database: ...

    @property
    def release_id(self) -> int: ...

    def has(self, dataset: str) -> bool:
        """True when the release loaded ``dataset``."""
        ...

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of a table the release keeps in memory (a dataset's ``snapshot_tables``)."""
        ...

    def unit_groups(self, version: str) -> set[str]:
        """The SOC unit-group codes of ``version`` (``soc2010`` or ``soc2020``)."""
        ...

    def view(self, key: View[U]) -> U:
        """Another view of the same release (built first if need be)."""
        ...


@dataclass(frozen=True, eq=False)
class View(Generic[T]):
    """A dataset's query model: built once per release from its tables, then read-only.

    The object itself is the typed key a snapshot hands the model out by
    (``snapshot.view(PAY) -> PayCube``). ``dataset`` is the dataset whose loading makes the view
    exist; ``None`` for a view that is built whatever the release holds (it copes with missing
    inputs itself).
    """

    dataset: str | None
    name: str
    build: Callable[[ViewSource], T]
    #: False for a model holding a live connection (it reads the store per request): it is
    #: built afresh by every worker instead of being read back from a stored snapshot
    storable: bool = True

    def __repr__(self) -> str:
        return f"View({self.dataset!r}, {self.name!r})"


@dataclass(frozen=True)
class Fetch:
    """What to download: the publisher's page, the files to get there, the editions read."""

    #: the publisher's page for the data (a URL)
    page: str
    #: the file names to download from it, and where to put them under the source directory
    files: tuple[str, ...]
    #: the editions (years, formats, namings) this loader reads
    editions: str
    #: what a source directory holds, in the dataset's own terms (editions and tables found)
    holdings: Callable[[Path], list[str]] | None = None


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    publisher: str
    licence: str
    files: tuple[SourceFile, ...]
    tables: tuple[sa.Table, ...]
    load: Callable[[LoadContext], None]
    #: a release cannot be promoted without this dataset
    required: bool = False
    depends_on: tuple[str, ...] = ()
    version: str = "1"
    #: coverage, currency, update frequency and limitations, for the data page
    about: About | None = None
    #: tables every serving worker keeps whole in memory (read through ``ViewSource.rows``)
    snapshot_tables: tuple[str, ...] = ()
    #: the query models this dataset serves, built once per release (see :class:`View`)
    views: tuple[View[Any], ...] = ()
    #: where an operator gets the files, and which editions lmi reads (``lmi data sources``)
    fetch: Fetch | None = None

    @property
    def loader(self) -> str:
        return f"{self.name}@{self.version}"

    def present(self, source_dir: Path) -> bool:
        """True when every required file of the dataset exists in ``source_dir``."""
        return all(f.find(source_dir) is not None for f in self.files if f.required)

    def missing_files(self, source_dir: Path) -> list[str]:
        return [f.path for f in self.files if f.required and f.find(source_dir) is None]

    def specs(self) -> dict[str, FileSpec]:
        return {f.path: f.spec for f in self.files if f.spec is not None}

    def provenance(self) -> dict[str, str]:
        return {"source": self.title, "publisher": self.publisher, "licence": self.licence}


@dataclass
class LoadContext:
    """What a loader gets: where the files are, the release being built, and a report to fill."""

    source_dir: Path
    release_id: int
    tx: Transaction
    report: DatasetReport
    #: format specifications by relative path (see :meth:`apply_specs`)
    specs: dict[str, FileSpec] = field(default_factory=dict)
    _files: dict[str, FileReport] = field(default_factory=dict)
    _frames: dict[str, Frame] = field(default_factory=dict)

    def read_csv(
        self, relative: str, *, delimiter: str = ",", encoding: str = "utf-8-sig"
    ) -> Frame:
        path = self.source_dir / relative
        file_report = self._file_report(relative, path)
        spec = self.specs.get(relative)
        found = check_file_bytes(path, spec, label=relative) if spec and path.is_file() else []
        if any(p.severity == "error" for p in found):
            frame = Frame(file=relative, columns={})  # unreadable as text: never read it whole
        elif delimiter == ",":
            frame = read_csv(path, label=relative, encoding=encoding)
        else:
            frame = read_delimited(path, label=relative, delimiter=delimiter, encoding=encoding)
        file_report.rows_read = frame.height
        frame.problems[:0] = found
        file_report.problems = frame.problems  # shared: later column checks land in the report
        self._frames[relative] = frame
        return frame

    def apply_specs(self) -> None:
        """Check every present file against its spec, after the loader's own checks.

        Files the loader did not read (it stopped early) are read now, so one run reports
        everything; a cell or column the loader already reported is not reported twice.
        """
        for relative, spec in self.specs.items():
            if spec.format == "xlsx" or spec.loader_checks:
                continue
            if not (self.source_dir / relative).is_file():
                continue
            frame = self._frames.get(relative)
            if frame is None:
                encoding = "utf-8" if spec.format == "tsv" else "utf-8-sig"
                frame = self.read_csv(relative, delimiter=spec.delimiter, encoding=encoding)
            merge_problems(frame.problems, validate_frame(frame, spec))

    def write_tuples(
        self, table: sa.Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """Like :meth:`write` for rows given as tuples in ``columns`` order, written the fastest
        way the store has (``COPY`` on PostgreSQL): for tables of millions of rows."""
        release_id = self.release_id
        count = self.tx.insert_tuples(
            table, ["release_id", *columns], ((release_id, *row) for row in rows)
        )
        self.tx.refresh_statistics(table)
        self.report.rows_loaded[table.name] = self.report.rows_loaded.get(table.name, 0) + count
        return count

    def file_report(self, relative: str) -> FileReport:
        """The report of a file the loader reads itself (checksum and size recorded once)."""
        return self._file_report(relative, self.source_dir / relative)

    def problem(self, severity: str, code: str, message: str, **where: Any) -> None:
        self.report.problems.append(Problem(severity, code, message, **where))  # type: ignore[arg-type]

    def write(self, table: sa.Table, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert rows into ``table`` for the release being built."""
        release_id = self.release_id
        count = self.tx.insert_rows(table, ({"release_id": release_id, **r} for r in rows))
        self.tx.refresh_statistics(table)
        self.report.rows_loaded[table.name] = self.report.rows_loaded.get(table.name, 0) + count
        return count

    def _file_report(self, relative: str, path: Path) -> FileReport:
        if relative not in self._files:
            report = FileReport(path=relative)
            if path.is_file():
                report.sha256, report.bytes = _checksum(path)
            self._files[relative] = report
            self.report.files.append(report)
        return self._files[relative]


def merge_problems(into: list[Problem], extra: Iterable[Problem]) -> None:
    """Append ``extra`` problems except those at a cell (or of a column) already reported."""
    cells = {(p.row, p.column) for p in into if p.row is not None}
    general = {(p.code, p.column) for p in into if p.row is None}
    for problem in extra:
        if problem.row is not None and (problem.row, problem.column) in cells:
            continue
        if problem.row is None and (problem.code, problem.column) in general:
            continue
        into.append(problem)


def _checksum(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
