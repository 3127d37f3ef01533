"""Where each dataset's files come from and what a source directory holds for it.

One function, :func:`source_rows`, answers this for ``lmi data sources`` (text and Markdown)
and for the admin dashboard's Sources page, so an operator reads the same publisher's page,
file names, editions and holdings wherever they look.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lmi.datasets.base import Dataset, SourceFile
from lmi.datasets.registry import DATASETS
from lmi.errors import LMIError

__all__ = ["NOT_RECORDED", "FileHeld", "SourceRow", "fetch_lines", "source_rows"]

log = logging.getLogger("lmi.datasets.sources")

NOT_RECORDED = "where to get it: not recorded yet (see PROVENANCE.md in the source folder)"


@dataclass(frozen=True)
class FileHeld:
    """One file a dataset reads, and the files of the source directory that are it."""

    #: the path under the source directory (a glob pattern for dated or per-area files)
    path: str
    description: str
    required: bool
    is_pattern: bool
    #: paths (relative to the source directory, POSIX) found for it; empty when missing
    held: tuple[str, ...]

    @property
    def found(self) -> bool:
        return bool(self.held)


@dataclass(frozen=True)
class SourceRow:
    """Everything an operator needs to fetch one dataset, and what is already in place."""

    name: str
    title: str
    publisher: str
    licence: str
    required: bool
    depends_on: tuple[str, ...]
    #: the publisher's page, the downloads and the editions read (``None``: not recorded yet)
    page: str | None
    downloads: tuple[str, ...]
    editions: str | None
    #: the dataset's own account of what the source directory holds (editions, tables)
    holdings: tuple[str, ...]
    files: tuple[FileHeld, ...]
    #: ``None`` when no source directory was given (nothing was looked at)
    source_dir: Path | None

    @property
    def missing(self) -> list[FileHeld]:
        """Files not found (only meaningful when a source directory was given)."""
        return [f for f in self.files if not f.found]

    @property
    def complete(self) -> bool:
        """Every required file is present (derived datasets, reading no file, are complete)."""
        return self.source_dir is not None and all(f.found for f in self.files if f.required)


def fetch_lines(row: SourceRow) -> list[str]:
    """Where to get a dataset's files and which editions lmi reads, as text lines."""
    if row.page is None:
        return [NOT_RECORDED]
    return [
        f"publisher's page: {row.page}",
        *(f"download: {line}" for line in row.downloads),
        f"editions read: {row.editions}",
    ]


def source_rows(
    source_dir: Path | None, datasets: Iterable[Dataset] | None = None
) -> list[SourceRow]:
    """One row per dataset (registry order): how to fetch it and what ``source_dir`` holds.

    With ``source_dir`` ``None`` only the declared facts are given (for docs/datasets.md).
    """
    return [_row(ds, source_dir) for ds in (DATASETS if datasets is None else datasets)]


def _row(ds: Dataset, source_dir: Path | None) -> SourceRow:
    fetch = ds.fetch
    return SourceRow(
        name=ds.name,
        title=ds.title,
        publisher=ds.publisher,
        licence=ds.licence,
        required=ds.required,
        depends_on=ds.depends_on,
        page=fetch.page if fetch else None,
        downloads=fetch.files if fetch else (),
        editions=fetch.editions if fetch else None,
        holdings=tuple(_holdings(ds, source_dir)),
        files=tuple(_held(f, source_dir) for f in ds.files),
        source_dir=source_dir,
    )


def _holdings(ds: Dataset, source_dir: Path | None) -> list[str]:
    """The dataset's own holdings report; a file it cannot read is said, not raised."""
    if ds.fetch is None or ds.fetch.holdings is None or source_dir is None:
        return []
    try:
        fingerprint = _fingerprint(source_dir)
        return list(_remembered_holdings(ds.fetch.holdings, source_dir, fingerprint))
    except (LMIError, OSError) as exc:  # a page listing sources must not fail on one bad file
        log.warning("holdings of %s in %s: %s", ds.name, source_dir, exc)
        return [f"could not read what {source_dir} holds: {exc}"]


def _fingerprint(source_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under ``source_dir`` with its size and modification time (a few ms for the
    official folder): a holdings report is read again only when one of them changed."""
    found = []
    for root, _dirs, files in os.walk(source_dir):
        for name in files:
            try:
                stat = os.stat(os.path.join(root, name))
            except OSError:  # removed while walking
                continue
            found.append((os.path.join(root, name), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


@functools.lru_cache(maxsize=32)
def _remembered_holdings(
    holdings: Callable[[Path], list[str]],
    source_dir: Path,
    fingerprint: tuple[tuple[str, int, int], ...],
) -> tuple[str, ...]:
    """Reading ASHE's workbooks takes seconds: the dashboard page asks again only when a file
    under the source directory changed (``fingerprint`` is part of the cache key)."""
    return tuple(holdings(source_dir))


def _held(f: SourceFile, source_dir: Path | None) -> FileHeld:
    held = f.found_in(source_dir) if source_dir is not None and source_dir.is_dir() else []
    return FileHeld(
        path=f.path,
        description=f.description,
        required=f.required,
        is_pattern=f.is_pattern,
        held=tuple(p.relative_to(source_dir).as_posix() for p in held if source_dir),
    )
