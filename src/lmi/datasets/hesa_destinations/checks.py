"""Parsing and checks of HESA's open-data CSVs: the metadata block, codes and their levels."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmi.checks import Frame
from lmi.checks.bounded import TooLarge, read_bounded_text

__all__ = [
    "CAH_LEVELS",
    "SOC_LEVELS",
    "HesaTable",
    "parse_cah",
    "parse_percent",
    "parse_soc",
    "read_hesa_csv",
]

CAH_LEVELS = {"CAH level 1": "cah1", "CAH level 2": "cah2", "CAH level 3": "cah3"}
SOC_LEVELS = {"major": "major", "sub-major": "sub_major", "minor": "minor", "unit": "unit_group"}
SOC_DIGITS = {"major": 1, "sub_major": 2, "minor": 3, "unit_group": 4}
CAH_LENGTH = {"cah1": 2, "cah2": 5, "cah3": 8}
_CAH = re.compile(r"\(?(?:CAH)?(\d\d(?:-\d\d){0,2})\)?\s+(.+)", re.IGNORECASE)
_SOC = re.compile(r"\(?(\d{1,4})\)?\s+(.+)")
_SOC_MARKER = re.compile(r"SOC (2010|2020) (major|sub-major|minor|unit) group", re.IGNORECASE)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%?")


@dataclass
class HesaTable:
    frame: Frame
    #: the metadata block above the table: ``{"title": …, "licence": …}`` (keys lower case)
    metadata: dict[str, str] = field(default_factory=dict)


def read_hesa_csv(path: Path, *, label: str, columns: tuple[str, ...], start: str) -> HesaTable:
    """Read a HESA open-data CSV: metadata rows, then the table from the row starting ``start``.

    Header names equal to one of ``columns`` without regard to case are given that spelling.
    Problems are reported on the frame, never raised.
    """
    frame = Frame(file=label, columns={})
    table = HesaTable(frame)
    try:
        text = read_bounded_text(path, label=label)
    except TooLarge as exc:
        frame.problems.append(exc.problem)
        return table
    except UnicodeDecodeError as exc:
        frame._add("error", "bad-encoding", f"not valid UTF-8 text: {exc.reason}")
        return table
    except OSError as exc:
        frame._add("error", "unreadable", f"cannot read file: {exc.strerror}")
        return table
    reader = csv.reader(io.StringIO(text, newline=""))
    canonical = {c.lower(): c for c in columns}
    try:
        for record in reader:
            cells = [c.strip() for c in record]
            if cells and cells[0].lower() == start:
                header = [canonical.get(c.lower(), c) for c in cells]
                _fill(frame, header, reader)
                return table
            if len(cells) >= 2 and cells[0]:
                table.metadata[cells[0].lower()] = cells[1]
    except csv.Error as exc:
        frame._add("error", "bad-csv", f"malformed CSV: {exc}")
        return table
    frame._add(
        "error",
        "missing-header",
        f"no header row starting with {start!r} (is this a HESA open-data table?)",
    )
    return table


def _fill(frame: Frame, header: list[str], reader: Any) -> None:
    if len(set(header)) != len(header):
        frame._add("error", "duplicate-column", "duplicate column names in the header row")
    width = len(header)
    values: list[list[str]] = [[] for _ in header]
    line = reader.line_num + 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in record):
                continue
            if len(record) != width:
                frame._add(
                    "error",
                    "ragged-row",
                    f"row has {len(record)} fields, header has {width}",
                    row=start,
                )
                record = (record + [""] * width)[:width]
            for column, value in zip(values, record, strict=True):
                column.append(value.strip())
            frame.line_numbers.append(start)
    except csv.Error as exc:
        frame._add("error", "bad-csv", f"malformed CSV: {exc}")
    frame.columns = dict(zip(header, values, strict=True))
    if frame.height == 0:
        frame._add("error", "no-rows", "the table has a header but no data rows")


def parse_cah(marker: str, value: str) -> tuple[str, str] | str:
    """``("CAH level 2", "(CAH11-01) computing")`` → ``("11-01", "cah2")``, or a problem."""
    if marker.strip().lower() == "total" or value.strip().lower() == "total":
        return ("total", "total")
    level = CAH_LEVELS.get(marker.strip()) or CAH_LEVELS.get(marker.strip().capitalize())
    match = _CAH.fullmatch(value.strip())
    if level is None:
        return f"{marker!r} is not a CAH level marker"
    if match is None:
        return f"{value!r} is not a CAH code and label"
    code = match.group(1)
    if len(code) != CAH_LENGTH[level]:
        return f"{value!r} is not a {marker} subject"
    return (code, level)


def parse_soc(marker: str, value: str) -> tuple[str, str, str] | str:
    """``("SOC 2020 unit group", "2134 Programmers …")`` → ``("soc2020", "2134", "unit_group")``.

    A Total row gives ``(version or "", "total", "total")``.
    """
    if marker.strip().lower() == "total" or value.strip().lower() == "total":
        return ("", "total", "total")
    found = _SOC_MARKER.fullmatch(marker.strip())
    match = _SOC.fullmatch(value.strip())
    if found is None:
        return f"{marker!r} is not a SOC marker such as 'SOC 2020 unit group'"
    if match is None:
        return f"{value!r} is not a SOC code and title"
    level = SOC_LEVELS[found.group(2).lower()]
    code = match.group(1)
    if len(code) != SOC_DIGITS[level]:
        return f"{code!r} is not a {marker}"
    return (f"soc{found.group(1)}", code, level)


def parse_percent(value: str) -> float | None:
    match = _PERCENT.fullmatch(value.strip())
    return float(match.group(1)) if match else None
