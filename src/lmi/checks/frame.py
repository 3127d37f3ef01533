"""Column-oriented tables read from published files, and the checks that run on whole columns."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmi.checks.bounded import LineTooLong, bounded_lines, size_problem
from lmi.checks.report import Problem, Severity

__all__ = ["Frame", "read_csv", "read_delimited"]

MAX_PROBLEMS_PER_CHECK = 20


@dataclass
class Frame:
    """A table as columns of strings, remembering the file line each row came from."""

    file: str
    columns: dict[str, list[str]]
    problems: list[Problem] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)

    @property
    def height(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def rows(self, *names: str) -> Iterator[tuple[str, ...]]:
        return zip(*(self.columns[n] for n in names), strict=True)

    def line(self, index: int) -> int:
        """The file line where row ``index`` starts."""
        return self.line_numbers[index]

    # -- checks: each appends problems and returns the indexes of rows that passed ----------
    def require_columns(self, names: Iterable[str]) -> bool:
        missing = [n for n in names if n not in self.columns]
        for name in missing:
            self._add("error", "missing-column", f"column {name!r} is missing", column=name)
        return not missing

    def check(
        self,
        column: str,
        predicate: Callable[[str], bool],
        *,
        code: str,
        message: str,
        severity: Severity = "error",
    ) -> list[int]:
        """Flag every value of ``column`` failing ``predicate``; ``message`` may use {value}."""
        values = self.columns[column]
        bad = [i for i, v in enumerate(values) if not predicate(v)]
        findings = [(i, column, message.format(value=values[i])) for i in bad]
        self.report_rows(findings, code=code, severity=severity)
        return bad

    def report_rows(
        self, findings: Sequence[tuple[int, str, str]], *, code: str, severity: Severity = "error"
    ) -> None:
        """Report ``(row index, column, message)`` findings: the first few, then how many more."""
        for i, column, message in findings[:MAX_PROBLEMS_PER_CHECK]:
            self._add(severity, code, message, row=self.line(i), column=column)
        if len(findings) > MAX_PROBLEMS_PER_CHECK:
            more = len(findings) - MAX_PROBLEMS_PER_CHECK
            self._add(
                severity,
                code,
                f"… and {more} more rows like these",
                column=findings[MAX_PROBLEMS_PER_CHECK][1],
            )

    def check_counts(self, column: str, expected: Mapping[str, int], *, what: str) -> None:
        """A fixed classification has fixed counts per level: any other count is an error."""
        values = self.columns[column]
        for level, count in expected.items():
            found = values.count(level)
            if found != count:
                self._add(
                    "error",
                    "wrong-count",
                    f"expected {count} {what} codes at level {level!r}, found {found} "
                    "(truncated or wrong file?)",
                    column=column,
                )

    def check_pattern(self, column: str, pattern: str, *, what: str) -> list[int]:
        regex = re.compile(pattern)
        return self.check(
            column,
            lambda v: regex.fullmatch(v) is not None,
            code="bad-format",
            message=f"{{value!r}} is not {what}",
        )

    def check_not_blank(self, column: str, *, severity: Severity = "error") -> list[int]:
        return self.check(
            column,
            lambda v: v.strip() != "",
            code="blank-value",
            message="value is blank",
            severity=severity,
        )

    def check_in(self, column: str, allowed: set[str], *, what: str) -> list[int]:
        return self.check(
            column,
            lambda v: v in allowed,
            code="unknown-code",
            message=f"{{value!r}} is not {what}",
        )

    def check_unique(self, *columns: str, severity: Severity = "error") -> list[int]:
        keys = list(self.rows(*columns))
        counts = Counter(keys)
        dupes = [i for i, k in enumerate(keys) if counts[k] > 1]
        label = "+".join(columns)
        for i in dupes[:MAX_PROBLEMS_PER_CHECK]:
            self._add(
                severity,
                "duplicate-key",
                f"duplicate {label} {'/'.join(keys[i])!r}",
                row=self.line(i),
                column=label,
            )
        return dupes

    def _add(
        self,
        severity: Severity,
        code: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.problems.append(Problem(severity, code, message, self.file, row, column))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def read_csv(path: Path, *, label: str | None = None, encoding: str = "utf-8-sig") -> Frame:
    """Read a comma-separated file with a header row."""
    return read_delimited(path, label=label, delimiter=",", encoding=encoding)


def read_delimited(
    path: Path, *, label: str | None = None, delimiter: str = ",", encoding: str = "utf-8-sig"
) -> Frame:
    """Read a delimited text file into a :class:`Frame`, reporting (not raising) what is wrong."""
    name = label or path.name
    frame = Frame(file=name, columns={})
    refused = size_problem(path, name)
    if refused is not None:
        frame.problems.append(refused)
        return frame
    try:
        with path.open(encoding=encoding, newline="") as handle:
            lines = bounded_lines(handle)
            if delimiter == "\t":  # tab-separated text formats (O*NET) do not quote
                reader = csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_NONE)
            else:
                reader = csv.reader(lines, delimiter=delimiter)
            try:
                header = next(reader)
            except StopIteration:
                frame._add("error", "empty-file", "file is empty")
                return frame
            _fill(frame, [h.strip() for h in header], reader)
    except UnicodeDecodeError as exc:
        frame.columns = {}
        frame.line_numbers = []
        frame._add(
            "error", "bad-encoding", f"not valid {encoding} text: {exc.reason} at byte {exc.start}"
        )
    except LineTooLong as exc:
        frame.columns = {}
        frame.line_numbers = []
        frame._add("error", "line-too-long", str(exc), row=exc.line)
    except OSError as exc:
        frame._add("error", "unreadable", f"cannot read file: {exc.strerror}")
    return frame


def _fill(frame: Frame, header: Sequence[str], reader: Any) -> None:
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        frame._add("error", "duplicate-column", f"duplicate column names: {', '.join(dupes)}")
    columns: list[list[str]] = [[] for _ in header]
    width = len(header)
    try:
        line_no = reader.line_num + 1
        for record in reader:
            start, line_no = line_no, reader.line_num + 1
            if not record:
                continue
            if len(record) != width:
                frame._add(
                    "error",
                    "ragged-row",
                    f"row has {len(record)} fields, header has {width}",
                    row=start,
                )
                record = (record + [""] * width)[:width]
            for column, value in zip(columns, record, strict=True):
                column.append(value)
            frame.line_numbers.append(start)
    except csv.Error as exc:
        frame._add("error", "bad-csv", f"malformed CSV: {exc}")
    frame.columns = dict(zip(header, columns, strict=False))
    if frame.height == 0:
        frame._add("error", "no-rows", "file has a header but no data rows")
