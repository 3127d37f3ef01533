"""The original Nomis download of T09a: NUTS3 (2016) columns summed into NUTS1 regions.

The file stacks seven blocks (Jan–Dec 2015 … 2021), each: a ``Date :`` line, a ``Cell`` header
naming the areas (``country:England``, ``lep:…``, ``nuts316:UKC11 Hartlepool …``; each area is
three columns: value, an unnamed column, ``Conf``), then one line per cell
``T09a:1 (All people - Corporate Managers and Directors (SOC2010) : All people )``. A NUTS1
region's figure is the sum of its NUTS3 areas' published estimates (APS estimates are weighted
to local-authority populations, so areas add up); NUTS1 codes of 2016 are the ITL1 codes with
``UK`` in place of ``TL``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lmi.checks.bounded import TooLarge, read_bounded_text
from lmi.checks.frame import MAX_PROBLEMS_PER_CHECK
from lmi.checks.report import Problem

__all__ = ["RegionCell", "read_regions"]

_DATE = re.compile(r"Jan (\d{4})-Dec (\d{4})")
_CELL = re.compile(
    r"(T09a:\d+) \((All people|Males|Females) - (.+) \(SOC2010\) : "
    r"(All people|Full-time|Part-time) ?\)"
)
_NUTS3 = re.compile(r"nuts316:(UK[C-N])(\w\w)\b")


@dataclass
class RegionCell:
    year: int
    population: str
    title: str
    pattern: str
    itl1: str
    value: float = 0.0
    areas: int = 0
    unpublished: int = 0  # NUTS3 cells `!` or `~`
    unreliable: int = 0  # NUTS3 cells whose confidence interval is `*`


@dataclass
class Regions:
    cells: list[RegionCell] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lines: int = 0


def read_regions(path: Path, label: str) -> Regions:
    """Region sums of every block; problems name the line (never raise)."""
    found = Regions()
    try:
        text = read_bounded_text(path, label=label)
    except TooLarge as exc:
        found.problems.append(exc.problem)
        return found
    except (OSError, UnicodeDecodeError) as exc:
        found.problems.append(Problem("error", "unreadable", f"cannot read file: {exc}", label))
        return found
    year: int | None = None
    columns: dict[int, str] = {}  # column of a NUTS3 value → ITL1 code of its region
    cells: dict[tuple[int, str, str, str, str], RegionCell] = {}
    bad: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            found.lines = reader.line_num
            first = row[0].strip() if row else ""
            if first.startswith("Date"):
                year = _year(row, reader.line_num, label, bad)
                columns = {}
            elif first == "Cell":
                columns = {
                    i: "TL" + m.group(1)[2]
                    for i, name in enumerate(row)
                    if (m := _NUTS3.match(name.strip())) is not None
                }
                if not columns:
                    bad.append(
                        Problem(
                            "error", "missing-column", "no nuts316: columns", label, reader.line_num
                        )
                    )
            elif first.startswith("T09a:"):
                match = _CELL.fullmatch(first)
                if match is None or year is None or not columns:
                    bad.append(
                        Problem(
                            "error",
                            "bad-format",
                            f"cannot read cell label {first[:80]!r}",
                            label,
                            reader.line_num,
                        )
                    )
                    continue
                _, population, title, pattern = match.groups()
                for i, itl1 in columns.items():
                    key = (year, population, title, pattern, itl1)
                    cell = cells.get(key)
                    if cell is None:
                        cell = cells[key] = RegionCell(year, population, title, pattern, itl1)
                    _add(cell, row, i, reader.line_num, label, bad)
    except csv.Error as exc:
        bad.append(Problem("error", "bad-csv", f"malformed CSV: {exc}", label, reader.line_num))
    if not cells and not bad:
        bad.append(Problem("error", "no-rows", "no T09a cells found", label))
    found.cells = list(cells.values())
    found.problems = _limited(bad, label)
    return found


def _year(row: list[str], line: int, label: str, bad: list[Problem]) -> int | None:
    match = _DATE.search(",".join(row))
    if match is None or match.group(1) != match.group(2):
        bad.append(
            Problem("error", "bad-format", "Date is not a Jan–Dec period of one year", label, line)
        )
        return None
    return int(match.group(1))


def _add(
    cell: RegionCell, row: list[str], i: int, line: int, label: str, bad: list[Problem]
) -> None:
    value = row[i].strip() if i < len(row) else ""
    conf = row[i + 2].strip() if i + 2 < len(row) else ""
    cell.areas += 1
    if value.isdigit():
        cell.value += float(value)
        if conf == "*":
            cell.unreliable += 1
    elif value in {"!", "~"}:
        cell.unpublished += 1
    else:
        bad.append(
            Problem(
                "error", "bad-number", f"{value!r} is not a number or Nomis symbol", label, line
            )
        )


def _limited(problems: list[Problem], label: str) -> list[Problem]:
    by_code: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        by_code[p.code].append(p)
    kept: list[Problem] = []
    for code, listed in by_code.items():
        kept += listed[:MAX_PROBLEMS_PER_CHECK]
        if len(listed) > MAX_PROBLEMS_PER_CHECK:
            more = len(listed) - MAX_PROBLEMS_PER_CHECK
            kept.append(Problem("error", code, f"… and {more} more like these", label))
    return kept
