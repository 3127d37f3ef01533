"""The staging source directory: uploaded files waiting for the next build.

Uploads are accepted only under the exact name of a file some dataset reads (see
:mod:`lmi.datasets.registry`) and are stored at that file's source path, e.g.
``STAGING/soc2010/soc2010_unit_groups.csv``: a client's file name never becomes a path. A file
published under a dated name (``onspd/Data/ONSPD_*_UK.csv``) is accepted under any name its
pattern matches, in the pattern's folder, and replaces any other staged file of that pattern.
Each is written to a temporary file beside its target, size-limited while it is copied, flushed
and renamed into place, so a reader sees the old file or the new one, never a part. Nothing is
unpacked or executed; the validator reads workbooks' zip directories without extracting them.

A build reads a *build folder*: the staged files (hard-linked, so replacing one mid-build does
not change what the build reads) over the configured source directory (symlinked).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from lmi.datasets.base import Dataset, SourceFile
from lmi.errors import InvalidQuery, NotFound

__all__ = ["StagedFile", "Staging", "UploadTooLarge", "write_json_atomic"]

CHUNK = 1 << 20
VALIDATION_FILE = ".validation.json"
BUILDS_KEEP = 10


class UploadTooLarge(InvalidQuery):
    """An uploaded file is larger than ``LMI_ADMIN_MAX_UPLOAD_BYTES`` (413)."""


@dataclass(frozen=True)
class StagedFile:
    dataset: str
    path: str  # the source path, relative to the source directory
    bytes: int
    sha256: str
    modified_at: str

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_json_atomic(path: Path, value: Any) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(value, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Staging:
    """Uploads at their source paths under ``folder``; builds read them over ``source_dir``."""

    def __init__(
        self,
        folder: Path,
        *,
        source_dir: Path | None,
        datasets: Sequence[Dataset],
        max_bytes: int,
        builds_dir: Path | None = None,
    ) -> None:
        self.folder = folder
        self.source_dir = source_dir
        self.datasets = tuple(datasets)
        self.max_bytes = max_bytes
        self.builds_dir = builds_dir or folder.parent / f"{folder.name}-builds"
        self._sha_cache: dict[tuple[str, int, int], str] = {}

    # -- what may be uploaded ------------------------------------------------------------------
    def known(self) -> dict[str, tuple[Dataset, SourceFile]]:
        """Every accepted file name → (dataset, file)."""
        return {PurePosixPath(f.path).name: (ds, f) for ds in self.datasets for f in ds.files}

    def target_for(self, filename: str) -> tuple[Dataset, SourceFile, str]:
        """The dataset file an upload named ``filename`` is, and the source path to store it at;
        :class:`InvalidQuery` otherwise."""
        name = unicodedata.normalize("NFC", filename.replace("\\", "/").rsplit("/", 1)[-1])
        if not name or any(unicodedata.category(c) == "Cc" for c in name):
            raise InvalidQuery("the upload has no usable file name")
        found = self.known().get(name)
        if found is not None:
            return (*found, found[1].path)
        for dataset, source in self.known().values():
            if source.is_pattern and source.matches_name(name):
                return dataset, source, str(PurePosixPath(source.folder) / name)
        import difflib

        close = difflib.get_close_matches(name, sorted(self.known()), n=3)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise InvalidQuery(
            f"{name!r} is not the name of a file any dataset reads, so it was not stored."
            f"{hint} The accepted names are listed below."
        )

    def _path(self, relative: str) -> Path:
        target = (self.folder / relative).resolve()
        root = self.folder.resolve()
        if root not in target.parents:  # declared paths are relative; defence in depth
            raise InvalidQuery(f"{relative!r} is outside the staging directory")
        return target

    # -- uploading -----------------------------------------------------------------------------
    def save(self, filename: str, stream: IO[bytes]) -> StagedFile:
        """Store an upload atomically at its source path; refuses unknown names and big files."""
        dataset, source, relative = self.target_for(filename)
        target = self._path(relative)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(8)}.part")
        digest = hashlib.sha256()
        size = 0
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise UploadTooLarge(
                            f"{target.name} is larger than the upload limit of "
                            f"{self.max_bytes:,} bytes (LMI_ADMIN_MAX_UPLOAD_BYTES); not stored"
                        )
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
            for older in [] if source.many else source.found_in(self.folder):
                if older != target:  # one dated file per pattern (a set keeps every file)
                    older.unlink(missing_ok=True)
            _fsync_dir(target.parent)
        finally:
            temporary.unlink(missing_ok=True)
        stat = target.stat()
        self._sha_cache[(relative, stat.st_size, stat.st_mtime_ns)] = digest.hexdigest()
        return StagedFile(dataset.name, relative, size, digest.hexdigest(), _stamp(stat.st_mtime))

    def files(self) -> list[StagedFile]:
        """The staged files, in registry order."""
        found: list[StagedFile] = []
        for ds in self.datasets:
            for source in ds.files:
                for path in source.found_in(self.folder):
                    try:
                        stat = path.stat()
                    except OSError:
                        continue
                    relative = path.relative_to(self.folder).as_posix()
                    key = (relative, stat.st_size, stat.st_mtime_ns)
                    sha = self._sha_cache.get(key)
                    if sha is None:
                        sha = self._sha_cache[key] = _sha256(path)
                    found.append(
                        StagedFile(ds.name, relative, stat.st_size, sha, _stamp(stat.st_mtime))
                    )
        return found

    def fingerprint(self, files: Sequence[StagedFile] | None = None) -> str:
        """Identifies the staged set: a validation is current only for the same fingerprint."""
        staged = self.files() if files is None else files
        text = "\n".join(f"{f.path}\t{f.sha256}" for f in staged)
        return hashlib.sha256(text.encode()).hexdigest()

    def remove(self, relative: str) -> None:
        declared = any(f.matches(relative) for ds in self.datasets for f in ds.files)
        if not declared or ".." in PurePosixPath(relative).parts:  # a pattern's * matches "/"
            raise NotFound(f"{relative!r} is not a staged file")
        path = self._path(relative)
        if not path.is_file():
            raise NotFound(f"{relative!r} is not a staged file")
        path.unlink()
        _fsync_dir(path.parent)

    def clear(self) -> int:
        staged = self.files()
        for f in staged:
            self.remove(f.path)
        return len(staged)

    # -- validation state ----------------------------------------------------------------------
    def validation(self) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(
                (self.folder / VALIDATION_FILE).read_text(encoding="utf-8")
            )
        except (OSError, ValueError):
            return None
        return data

    def save_validation(self, state: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o750)
        write_json_atomic(self.folder / VALIDATION_FILE, state)

    # -- builds --------------------------------------------------------------------------------
    def build_folder(self) -> Path:
        """A new folder with every dataset's files: staged ones over the source directory's."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")  # sorts in creation order
        folder = self.builds_dir / f"{stamp}-{secrets.token_hex(3)}"
        folder.mkdir(parents=True, mode=0o750)
        for ds in self.datasets:
            for source in ds.files:
                staged = source.found_in(self.folder)
                for path in staged:
                    target = folder / path.relative_to(self.folder)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        os.link(path, target)
                    except OSError:
                        shutil.copy2(path, target)
                if staged or self.source_dir is None:
                    continue
                for original in source.found_in(self.source_dir):
                    target = folder / original.relative_to(self.source_dir)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.symlink_to(original.resolve())
        self._prune_builds(keep=BUILDS_KEEP, spare=folder)
        return folder

    def _prune_builds(self, *, keep: int, spare: Path) -> None:
        others = sorted(p for p in self.builds_dir.iterdir() if p.is_dir() and p != spare)
        for old in others[: max(len(others) - (keep - 1), 0)]:
            shutil.rmtree(old, ignore_errors=True)


def _stamp(mtime: float) -> str:
    return datetime.fromtimestamp(mtime, UTC).isoformat(timespec="seconds")


def host_and_pid() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid()}
