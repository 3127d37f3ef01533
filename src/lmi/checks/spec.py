"""Format specifications of source files: the one source of truth for the validator and the docs.

Each dataset declares, on every :class:`~lmi.datasets.base.SourceFile`, a :class:`FileSpec`: the
file's format, its columns (name, type, code pattern or code list, unit, special symbols), its
key and the fewest rows a complete file has. :func:`check_file_bytes` finds corrupt or truncated
files before they are parsed; :func:`validate_frame` checks a parsed table against its spec.
Both return problems and never raise.
"""

from __future__ import annotations

import ast
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from lmi.checks.frame import MAX_PROBLEMS_PER_CHECK, Frame
from lmi.checks.report import Problem, Severity

__all__ = [
    "Column",
    "ColumnType",
    "FileSpec",
    "MAX_XLSX_UNCOMPRESSED",
    "PAY",
    "PERCENT",
    "Plausible",
    "WEEKLY_HOURS",
    "check_file_bytes",
    "validate_frame",
]

ColumnType = Literal["code", "text", "integer", "number", "proportion", "json-list", "list"]
#: ``workbook``: a spreadsheet as a publisher ships it (.xls, .xlsx, or a zip of them) that
#: its loader reads and checks itself (no byte check here)
FileFormat = Literal["csv", "tsv", "xlsx", "workbook"]

#: an xlsx (a zip) whose members would unpack to more than this is refused, never unpacked
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024

_TYPE_HELP: dict[str, str] = {
    "code": "code",
    "text": "text",
    "integer": "whole number ≥ 0",
    "number": "number",
    "proportion": "number from 0 to 1",
    "json-list": "JSON list of strings",
    "list": "list of strings",
}

_INTEGER = re.compile(r"\d+")
_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


@dataclass(frozen=True)
class Plausible:
    """The values a measure can take; a number outside is impossible for what the column
    measures (negative pay, a percentage over 100) and is warned about, not refused."""

    what: str
    #: values must be greater than this
    above: float | None = None
    at_least: float | None = None
    at_most: float | None = None

    def fails(self, number: float) -> bool:
        return (
            (self.above is not None and number <= self.above)
            or (self.at_least is not None and number < self.at_least)
            or (self.at_most is not None and number > self.at_most)
        )

    def label(self) -> str:
        bounds = []
        if self.above is not None:
            bounds.append(f"> {self.above:g}")
        if self.at_least is not None:
            bounds.append(f"≥ {self.at_least:g}")
        if self.at_most is not None:
            bounds.append(f"≤ {self.at_most:g}")
        return f"{self.what} ({' and '.join(bounds)})"


#: pay of any period: more than zero
PAY = Plausible("pay", above=0)
#: a percentage share of a whole
PERCENT = Plausible("a percentage", at_least=0, at_most=100)
#: paid hours in a week (a week has 168; more than 100 paid hours is not a real job)
WEEKLY_HOURS = Plausible("paid hours a week", above=0, at_most=100)


@dataclass(frozen=True)
class Column:
    """One column of a source file."""

    name: str
    type: ColumnType = "text"
    description: str = ""
    #: a code's form (regular expression the whole value matches)
    pattern: str | None = None
    #: the code list: every value must be one of these
    values: tuple[str, ...] = ()
    #: blank cells are allowed
    blank: bool = True
    unit: str | None = None
    #: special values accepted besides the type, and what they mean
    symbols: tuple[tuple[str, str], ...] = ()
    #: the values this measure can take (numbers outside are warned about)
    plausible: Plausible | None = None

    def type_label(self) -> str:
        label = _TYPE_HELP[self.type]
        if self.pattern:
            label += f" `{self.pattern}`"
        if self.values:
            label += ": " + ", ".join(f"`{v}`" for v in self.values)
        return label


@dataclass(frozen=True)
class FileSpec:
    """What a source file must look like."""

    columns: tuple[Column, ...]
    format: FileFormat = "csv"
    encoding: str = "utf-8"
    #: columns whose values together are unique
    key: tuple[str, ...] = ()
    #: a complete file has at least this many data rows (fewer: truncated or wrong file)
    min_rows: int = 1
    #: free text: conventions of the publisher
    notes: str = ""
    #: the loader checks the columns itself (a file of millions of rows, too large for the
    #: generic whole-file reader, or headers that vary by edition); generic checks: bytes only
    loader_checks: bool = False
    #: rows whose ``column`` has ``value`` measure something else: ``(column, value, range)``
    #: replaces the range of every column that has one (``plausible``) on those rows
    plausible_when: tuple[tuple[str, str, Plausible], ...] = ()
    #: columns the publisher includes that lmi knowingly does not read (any other column not
    #: in ``columns`` is warned about as unexpected)
    ignored: tuple[str, ...] = ()
    #: a regular expression of further columns the loader reads by their heading's form (one
    #: column per category, ``<topic>: <category>``): not reported as unexpected
    read_by_form: str | None = None

    @property
    def delimiter(self) -> str:
        return "\t" if self.format == "tsv" else ","

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def markdown(self, path: str) -> list[str]:
        """The spec as Markdown: a heading line and a table of columns (for docs/datasets.md)."""
        facts = [f"format {self.format.upper()}", f"encoding {self.encoding}"]
        if self.key:
            facts.append("unique " + " + ".join(f"`{k}`" for k in self.key))
        if self.min_rows > 1:
            facts.append(f"at least {self.min_rows:,} rows")
        lines = [f"Format of `{path}`: {', '.join(facts)}.", ""]
        lines += [
            "| column | type | blank | unit | symbols | meaning |",
            "|---|---|---|---|---|---|",
        ]
        for c in self.columns:
            symbols = "; ".join(f"`{s}` {meaning}" for s, meaning in c.symbols)
            blank = "yes" if c.blank else "no"
            cells = [f"`{c.name}`", c.type_label(), blank, c.unit or "", symbols, c.description]
            lines.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
        if self.notes:
            lines += ["", self.notes]
        return lines


# -- file integrity (before parsing) ---------------------------------------------------------


def check_file_bytes(path: Path, spec: FileSpec, *, label: str) -> list[Problem]:
    """Corrupt, truncated or wrong-kind files, found from their bytes."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8192)
            handle.seek(max(0, size - 1))
            last = handle.read(1)
    except OSError as exc:
        return [Problem("error", "unreadable", f"cannot read file: {exc.strerror}", label)]
    if size == 0:
        return [Problem("error", "empty-file", "file is empty (0 bytes)", label)]
    if spec.format == "xlsx":
        return _check_xlsx(path, label)
    if spec.format == "workbook":
        return []  # .xls (not a zip), .xlsx or a zip of them: the loader reads every one
    return _check_text(head, last, label)


def _check_text(head: bytes, last: bytes, label: str) -> list[Problem]:
    if head.startswith(b"PK\x03\x04"):
        return [
            Problem(
                "error",
                "wrong-format",
                "file is a zip archive (an .xlsx workbook?), not delimited text: "
                "export the sheet as CSV",
                label,
            )
        ]
    encoding = _wide_encoding(head)
    if encoding is not None:
        return [
            Problem(
                "error",
                "wrong-encoding",
                f"file is {encoding} text, not UTF-8: save or export it as UTF-8 (in Excel: "
                "CSV UTF-8) and try again",
                label,
            )
        ]
    if b"\x00" in head:
        return [Problem("error", "binary-file", "file contains NUL bytes: not a text file", label)]
    if last not in {b"\n", b"\r"}:
        return [
            Problem(
                "warning",
                "no-final-newline",
                "file does not end with a line break: it may be truncated",
                label,
            )
        ]
    return []


_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)


def _wide_encoding(head: bytes) -> str | None:
    """The name of a UTF-16 or UTF-32 encoding ``head`` is in (by its byte-order mark, or by
    ASCII text with every other byte NUL), so such a file is named, not called binary."""
    for bom, name in _WIDE_BOMS:
        if head.startswith(bom):
            return name
    sample = head[: len(head) - len(head) % 2][:4096]
    if len(sample) < 4:
        return None
    evens, odds = sample[0::2], sample[1::2]
    if evens.count(0) == 0 and odds.count(0) == len(odds):
        return "UTF-16 (little-endian)"
    if odds.count(0) == 0 and evens.count(0) == len(evens):
        return "UTF-16 (big-endian)"
    return None


def _check_xlsx(path: Path, label: str) -> list[Problem]:
    """A workbook is a zip: check its directory and members without unpacking it to disk."""
    if not zipfile.is_zipfile(path):
        return [
            Problem(
                "error", "corrupt-xlsx", "not a valid .xlsx (zip) file: corrupt or truncated", label
            )
        ]
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(m.file_size for m in members)
            if total > MAX_XLSX_UNCOMPRESSED:
                return [
                    Problem(
                        "error",
                        "too-large",
                        f"workbook would unpack to {total:,} bytes (limit "
                        f"{MAX_XLSX_UNCOMPRESSED:,}): refused",
                        label,
                    )
                ]
            if "xl/workbook.xml" not in {m.filename for m in members}:
                return [Problem("error", "corrupt-xlsx", "zip has no xl/workbook.xml", label)]
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return [Problem("error", "corrupt-xlsx", f"corrupt .xlsx: {exc}", label)]
    if broken is not None:
        return [
            Problem("error", "corrupt-xlsx", f"corrupt .xlsx: member {broken} is damaged", label)
        ]
    return []


# -- table content ---------------------------------------------------------------------------


def validate_frame(frame: Frame, spec: FileSpec) -> list[Problem]:
    """Problems of a parsed table against its spec (columns, types, codes, key, row count)."""
    problems: list[Problem] = []
    if not frame.columns:
        return problems
    missing = [c.name for c in spec.columns if c.name not in frame.columns]
    for name in missing:
        problems.append(
            Problem(
                "error", "missing-column", f"column {name!r} is missing", frame.file, None, name
            )
        )
    known = {c.name for c in spec.columns} | set(spec.ignored)
    form = re.compile(spec.read_by_form) if spec.read_by_form else None
    for name in frame.columns:
        if name not in known and not (form is not None and form.fullmatch(name)):
            problems.append(
                Problem(
                    "warning",
                    "unexpected-column",
                    f"column {name!r} is not in this file's format (ignored; a new edition?)",
                    frame.file,
                    None,
                    name,
                )
            )
    overrides = _plausible_overrides(frame, spec)
    for column in spec.columns:
        if column.name in frame.columns:
            problems += _check_column(frame, column)
            problems += _check_plausible(frame, column, overrides)
    if spec.key and not set(spec.key) & set(missing):
        problems += _check_key(frame, spec.key)
    if 0 < frame.height < spec.min_rows:
        problems.append(
            Problem(
                "error",
                "too-few-rows",
                f"{frame.height:,} data rows, a complete file has at least {spec.min_rows:,} "
                "(truncated or wrong file?)",
                frame.file,
            )
        )
    return problems


def _check_column(frame: Frame, column: Column) -> list[Problem]:
    symbols = {s for s, _ in column.symbols}
    pattern = re.compile(column.pattern) if column.pattern else None
    found: dict[str, list[tuple[int, str]]] = {}
    for i, raw in enumerate(frame.columns[column.name]):
        value = raw.strip()
        if value in symbols:
            continue
        for code, message in _cell_problems(value, column, pattern):
            found.setdefault(code, []).append((i, message))
    problems: list[Problem] = []
    for code, cells in found.items():
        problems += _limited(frame, column.name, code, cells)
    return problems


def _plausible_overrides(frame: Frame, spec: FileSpec) -> dict[int, Plausible]:
    """Row index → the range that replaces each number column's own on that row."""
    found: dict[int, Plausible] = {}
    for name, value, plausible in spec.plausible_when:
        if name in frame.columns:
            for i, cell in enumerate(frame.columns[name]):
                if cell.strip() == value:
                    found[i] = plausible
    return found


def _check_plausible(
    frame: Frame, column: Column, overrides: dict[int, Plausible]
) -> list[Problem]:
    """Warnings for numbers impossible for what the column measures."""
    if column.type not in {"integer", "number"} or column.plausible is None:
        return []
    symbols = {s for s, _ in column.symbols}
    cells: list[tuple[int, str]] = []
    for i, raw in enumerate(frame.columns[column.name]):
        plausible = overrides.get(i, column.plausible)
        value = raw.strip()
        if value in symbols or not _NUMBER.fullmatch(value):
            continue
        if plausible.fails(float(value)):
            cells.append((i, f"{value} is impossible for {plausible.label()}"))
    return _limited(frame, column.name, "implausible-value", cells, severity="warning")


def _cell_problems(
    value: str, column: Column, pattern: re.Pattern[str] | None
) -> Iterable[tuple[str, str]]:
    if value == "":
        if not column.blank:
            yield "blank-value", "value is blank"
        return
    kind = column.type
    if kind == "integer" and not _INTEGER.fullmatch(value):
        yield "bad-number", f"{value!r} is not a whole number"
    elif kind in {"number", "proportion"}:
        if not _NUMBER.fullmatch(value):
            yield "bad-number", f"{value!r} is not a number"
        elif kind == "proportion" and not 0 <= float(value) <= 1:
            yield "out-of-range", f"{value!r} is not a proportion between 0 and 1"
    elif kind in {"json-list", "list"} and not _is_list(value, kind):
        yield "bad-format", f"not a {_TYPE_HELP[kind]}"
    if pattern is not None and not pattern.fullmatch(value):
        yield "bad-format", f"{value!r} does not have the form {pattern.pattern}"
    if column.values and value not in column.values:
        yield "unknown-code", f"{value!r} is not one of {', '.join(column.values)}"


def _is_list(value: str, kind: str) -> bool:
    try:
        parsed = json.loads(value) if kind == "json-list" else ast.literal_eval(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return False
    return isinstance(parsed, list) and all(isinstance(item, str) for item in parsed)


def _limited(
    frame: Frame,
    column: str,
    code: str,
    cells: list[tuple[int, str]],
    *,
    severity: Severity = "error",
) -> list[Problem]:
    problems = [
        Problem(severity, code, message, frame.file, _line(frame, i), column)
        for i, message in cells[:MAX_PROBLEMS_PER_CHECK]
    ]
    if len(cells) > MAX_PROBLEMS_PER_CHECK:
        more = len(cells) - MAX_PROBLEMS_PER_CHECK
        problems.append(
            Problem(severity, code, f"… and {more} more rows like these", frame.file, None, column)
        )
    return problems


def _check_key(frame: Frame, key: tuple[str, ...]) -> list[Problem]:
    seen: dict[tuple[str, ...], int] = {}
    cells: list[tuple[int, str]] = []
    for i, values in enumerate(frame.rows(*key)):
        if values in seen:
            cells.append((i, f"duplicate {'+'.join(key)} {'/'.join(values)!r}"))
        seen.setdefault(values, i)
    return _limited(frame, "+".join(key), "duplicate-key", cells)


def _line(frame: Frame, index: int) -> int | None:
    return frame.line(index) if index < len(frame.line_numbers) else None
