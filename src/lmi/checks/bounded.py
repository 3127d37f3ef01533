"""Size-bounded reading of source files, so a hostile or broken file cannot exhaust memory.

A check or build must stay within a few hundred megabytes whatever it is given: a multi-gigabyte
sparse file, or one line of gigabytes with no line break. Every whole-file text reader goes
through :func:`size_problem` (a file larger than the reader's limit is refused, named with the
limit, before a byte is read) and reads lines through :func:`bounded_lines` (a line longer than
:data:`MAX_LINE_CHARS` stops the read with a clear error instead of being buffered).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from lmi.checks.report import Problem

__all__ = [
    "MAX_LINE_CHARS",
    "MAX_TEXT_BYTES",
    "LineTooLong",
    "TooLarge",
    "bounded_lines",
    "read_bounded_text",
    "size_problem",
]

#: largest text file read whole into a table (the largest official file is about 10 MB; a
#: column-wise table takes several times its file size in memory, and checks stay under 500 MB)
MAX_TEXT_BYTES = 64 * 1024 * 1024
#: longest line accepted (official files have lines of at most a few kilobytes)
MAX_LINE_CHARS = 1024 * 1024


class TooLarge(ValueError):
    """The file is larger than its reader accepts; ``problem`` says so."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class LineTooLong(ValueError):
    """A line is longer than :data:`MAX_LINE_CHARS`; ``line`` is its 1-based number."""

    def __init__(self, line: int, limit: int) -> None:
        super().__init__(f"line {line} is longer than {limit:,} characters: not a table file?")
        self.line = line
        self.limit = limit


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MiB"


def size_problem(path: Path, label: str, limit: int = MAX_TEXT_BYTES) -> Problem | None:
    """A ``too-large`` error when ``path`` is larger than ``limit`` bytes (before reading it)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None  # the reader reports the file as unreadable
    if size <= limit:
        return None
    return Problem(
        "error",
        "too-large",
        f"{label} is {size:,} bytes, over the {_mib(limit)} limit for this file: refused "
        "unread (wrong file, or a damaged or padded copy?)",
        label,
    )


def read_bounded_text(
    path: Path, *, label: str, encoding: str = "utf-8-sig", limit: int = MAX_TEXT_BYTES
) -> str:
    """The whole file as text, refused (:class:`TooLarge`) beyond ``limit`` bytes.

    Raises OSError and UnicodeDecodeError like :meth:`Path.read_text`.
    """
    problem = size_problem(path, label, limit)
    if problem is not None:
        raise TooLarge(problem)
    with path.open("rb") as handle:
        data = handle.read(limit + 1)  # the file may have grown since stat
    if len(data) > limit:
        raise TooLarge(
            Problem("error", "too-large", f"{label} grew past {_mib(limit)} while read", label)
        )
    return data.decode(encoding)


def bounded_lines(handle: TextIO, limit: int = MAX_LINE_CHARS) -> Iterator[str]:
    """The lines of ``handle`` (line breaks kept), each read at most ``limit`` + 1 characters
    at a time, so a file of one endless line never sits whole in memory."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit:
            raise LineTooLong(number, limit)
        yield line
