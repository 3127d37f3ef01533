"""Reading the Skills Imperative 2035 workbook (values-only ``.xlsx``): three of its tables.

The workbook is laid out for reading, not for machines: tables sit side by side, headed by a
title row and a ``thousands`` / ``Levels (000s)`` header, and end at their ``All occupations``
row. The reader finds each table by those labels (not by fixed cell addresses), so a moved
block is still found, and reports — never raises — what it cannot read, naming the sheet and
cell. Only levels in thousands are read; shares and growth rates are recomputed when served.

* **Occ F2**: employment of every SOC 2020 major and sub-major group, each year 2010–2035;
* **Occ T5**: employment by status (full-time, part-time employees; self-employed) of the
  major groups, by sex, 2015, 2020 and 2035;
* **Basic T2**: employment of the sub-major groups by RQF qualification level, 2015–2035, with
  net change, replacement demand and total requirement 2020–2035.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmi.checks.frame import MAX_PROBLEMS_PER_CHECK
from lmi.checks.report import Problem, Severity

__all__ = ["QUALIFICATION_LABELS", "Workbook", "read_workbook"]

ANNUAL_SHEET = "Occ F2"
STATUS_SHEET = "Occ T5"
QUALIFICATION_SHEET = "Basic T2"
ALL = "All occupations"
LEVELS = "Levels (000s)"
STATUS_CODES = {"FT": "full-time", "PT": "part-time", "SE": "self-employed"}
#: start of a Basic T2 title's qualification name → qualification code (RQF levels)
QUALIFICATION_LABELS = {
    "RQF8": "rqf8",
    "RQF7": "rqf7",
    "RQF6": "rqf6",
    "RQF5": "rqf5",
    "RQF4": "rqf4",
    "RQF3": "rqf3",
    "RQF2": "rqf2",
    "RQF1": "rqf1",
    "No Qualification": "none",
}
_SUB_MAJOR_LABEL = re.compile(r"([1-9][1-9])\s+(\S.*)")

Cell = Any
Employment = tuple[str, str, str, str, int, float]  # code, sex, status, qualification, year, k
Replacement = tuple[str, str, float, float, float]  # code, qualification, net, RD, total


@dataclass
class Workbook:
    """What was read: employment cells, replacement cells and the problems found."""

    label: str
    employment: list[Employment] = field(default_factory=list)
    replacement: list[Replacement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    qualification_names: dict[str, str] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def problem(
        self, severity: Severity, code: str, message: str, sheet: str, row: int, col: int
    ) -> None:
        where = f"{sheet}!{column_letter(col)}{row + 1}" if row >= 0 else sheet
        self.problems.append(Problem(severity, code, message, self.label, None, where))


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_workbook(
    path: Path, label: str, *, sub_majors: set[str], majors: dict[str, str]
) -> Workbook:
    """Read the three tables; ``majors`` maps a major group's title (any case) to its code."""
    from python_calamine import CalamineError, CalamineWorkbook

    book = Workbook(label)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = {name: _grid(workbook, name) for name in workbook.sheet_names}
    except (CalamineError, OSError, ValueError) as exc:
        book.problem("error", "corrupt-xlsx", f"cannot read workbook: {exc}", "workbook", -1, 0)
        return book
    titles = {_words(title): code for title, code in majors.items()}
    for name, reader in (
        (ANNUAL_SHEET, _read_annual),
        (STATUS_SHEET, _read_status),
        (QUALIFICATION_SHEET, _read_qualifications),
    ):
        grid = sheets.get(name)
        if grid is None:
            book.problem("error", "missing-sheet", f"sheet {name!r} is missing", name, -1, 0)
            continue
        reader(book, name, grid, sub_majors, titles)
    return book


def _grid(workbook: Any, name: str) -> list[list[Cell]]:
    rows: list[list[Cell]] = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return rows


# -- Occ F2: every year -----------------------------------------------------------------------


def _read_annual(
    book: Workbook, sheet: str, grid: list[list[Cell]], sub_majors: set[str], titles: dict[str, str]
) -> None:
    header = next(
        _find(grid, "thousands", lambda r, c: _year(_at(grid, r, c + 1)) is not None), None
    )
    if header is None:
        book.problem(
            "error", "missing-table", "no 'thousands' header followed by years", sheet, -1, 0
        )
        return
    r0, c0 = header
    years = _years_right(grid, r0, c0 + 1)
    found = _read_rows(book, sheet, grid, r0 + 1, c0, sub_majors, titles)
    for r, code in found:
        for c, year in years:
            value = _thousands(book, sheet, grid, r, c)
            if value is not None:
                book.employment.append((code, "all", "all", "all", year, value))
    expected = sub_majors | set(titles.values()) | {"all"}
    _require_all(book, sheet, r0, c0, {code for _, code in found}, expected)


# -- Occ T5: status by sex, major groups --------------------------------------------------------


def _read_status(
    book: Workbook, sheet: str, grid: list[list[Cell]], sub_majors: set[str], titles: dict[str, str]
) -> None:
    blocks = list(_find(grid, LEVELS, lambda r, c: True))
    if not blocks:
        book.problem("error", "missing-table", f"no {LEVELS!r} header", sheet, -1, 0)
        return
    seen: set[str] = set()
    for r0, c0 in _first_per_column(blocks):
        sex = _sex(_title_above(grid, r0, c0))
        if sex in seen:
            continue
        seen.add(sex)
        columns = []  # (column, year, status)
        year = None
        c = c0 + 1
        while ((label := _at(grid, r0, c)) != "" or _at(grid, r0, c + 1) != "") and label != LEVELS:
            year = _year(_at(grid, r0 - 1, c)) or year
            if label in STATUS_CODES and year is not None:
                columns.append((c, year, STATUS_CODES[label]))
            c += 1
        if not columns:
            book.problem("error", "missing-table", "no FT/PT/SE columns under years", sheet, r0, c0)
            continue
        found = _read_rows(book, sheet, grid, r0 + 1, c0, set(), titles)
        for r, code in found:
            for c, year_, status in columns:
                value = _thousands(book, sheet, grid, r, c)
                if value is not None:
                    book.employment.append((code, sex, status, "all", year_, value))
        _require_all(book, sheet, r0, c0, {code for _, code in found}, {*titles.values(), "all"})
    if seen != {"all", "male", "female"}:
        missing = ", ".join(sorted({"all", "male", "female"} - seen))
        book.problem("error", "missing-table", f"no status block for {missing}", sheet, -1, 0)


# -- Basic T2: qualification × sub-major group ---------------------------------------------------


def _read_qualifications(
    book: Workbook, sheet: str, grid: list[list[Cell]], sub_majors: set[str], titles: dict[str, str]
) -> None:
    found_levels: set[str] = set()
    for r0, c0 in _first_per_column(list(_find(grid, LEVELS, lambda r, c: True))):
        title = _title_above(grid, r0, c0)
        qualification = _qualification(title)
        if qualification is None or qualification[0] in found_levels:
            book.problem(
                "error", "unknown-code", f"no qualification level in title {title!r}", sheet, r0, c0
            )
            continue
        code_q, name = qualification
        found_levels.add(code_q)
        book.qualification_names[code_q] = name
        years = _years_right(grid, r0, c0 + 1)
        labels = {_at(grid, r0, c): c for c in range(c0 + 1, c0 + 12)}
        rd_columns = [labels.get(k) for k in ("Change", "Demand", "Requirement")]
        found = _read_rows(book, sheet, grid, r0 + 1, c0, sub_majors, {})
        for r, code in found:
            for c, year in years:
                value = _thousands(book, sheet, grid, r, c)
                if value is not None:
                    book.employment.append((code, "all", "all", code_q, year, value))
            if all(c is not None for c in rd_columns):
                net, rd, total = (_number(_at(grid, r, c)) for c in rd_columns if c is not None)
                if net is None or rd is None or total is None:
                    book.problem(
                        "error",
                        "bad-number",
                        "replacement demand cells are not numbers",
                        sheet,
                        r,
                        c0,
                    )
                else:
                    book.replacement.append((code, code_q, net, rd, total))
        if any(c is None for c in rd_columns):
            book.problem(
                "error", "missing-column", "no Change / Demand / Requirement columns", sheet, r0, c0
            )
        _require_all(book, sheet, r0, c0, {code for _, code in found}, {*sub_majors, "all"})
    missing = set(QUALIFICATION_LABELS.values()) - found_levels
    if missing:
        book.problem(
            "error",
            "missing-table",
            f"no block for qualification {', '.join(sorted(missing))}",
            sheet,
            -1,
            0,
        )


def _qualification(title: str) -> tuple[str, str] | None:
    """``'…, RQF8 Doctorate, 2015-2035, England'`` → ``('rqf8', 'RQF8 Doctorate')``."""
    for part in (p.strip() for p in title.split(",")):
        for prefix, code in QUALIFICATION_LABELS.items():
            if part.startswith(prefix):
                # "RQF5 Foundation degree;Nursing;Teaching" keeps its semicolons
                return code, part
    return None


# -- shared ---------------------------------------------------------------------------------


def _read_rows(
    book: Workbook,
    sheet: str,
    grid: list[list[Cell]],
    start: int,
    col: int,
    sub_majors: set[str],
    titles: dict[str, str],
) -> list[tuple[int, str]]:
    """Rows of one table from ``start`` to its ``All occupations`` row: ``(row, code)``."""
    found: list[tuple[int, str]] = []
    for r in range(start, len(grid)):
        label = _at(grid, r, col)
        if not isinstance(label, str) or label.strip() == "":
            continue
        label = label.strip()
        if label == ALL:
            found.append((r, "all"))
            return found
        match = _SUB_MAJOR_LABEL.fullmatch(label)
        if match is not None:
            code = match.group(1)
            if code not in sub_majors:
                book.problem(
                    "error",
                    "unknown-code",
                    f"{code!r} is not a SOC 2020 sub-major group",
                    sheet,
                    r,
                    col,
                )
                continue
            found.append((r, code))
        elif _words(label) in titles:
            found.append((r, titles[_words(label)]))
        else:
            book.problem(
                "error", "unknown-code", f"{label!r} is not a SOC 2020 group title", sheet, r, col
            )
    book.problem("error", "truncated", f"no {ALL!r} row ends the table", sheet, start, col)
    return found


def _require_all(
    book: Workbook,
    sheet: str,
    r0: int,
    c0: int,
    found: set[str],
    expected: set[str],
) -> None:
    missing = sorted(expected - found)
    if missing:
        book.problem(
            "error",
            "missing-row",
            f"groups missing from the table: {', '.join(missing)}",
            sheet,
            r0,
            c0,
        )


def _thousands(book: Workbook, sheet: str, grid: list[list[Cell]], r: int, c: int) -> float | None:
    value = _number(_at(grid, r, c))
    if value is None:
        book.problem("error", "bad-number", f"{_at(grid, r, c)!r} is not a number", sheet, r, c)
    elif value < 0:
        book.problem(
            "error", "out-of-range", f"{value!r}: employment cannot be negative", sheet, r, c
        )
        return None
    return value


def _find(grid: list[list[Cell]], text: str, accept: Any) -> Iterator[tuple[int, int]]:
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, str) and value.strip() == text and accept(r, c):
                yield r, c


def _first_per_column(cells: list[tuple[int, int]]) -> list[tuple[int, int]]:
    first: dict[int, int] = {}
    for r, c in cells:
        first.setdefault(c, r)
    return sorted((r, c) for c, r in first.items())


def _title_above(grid: list[list[Cell]], row: int, col: int) -> str:
    for r in range(row - 1, -1, -1):
        value = _at(grid, r, col)
        if isinstance(value, str) and "Table" in value:
            return value
    return ""


def _sex(title: str) -> str:
    if "Females:" in title:
        return "female"
    if "Males:" in title:
        return "male"
    return "all"


def _years_right(grid: list[list[Cell]], row: int, col: int) -> list[tuple[int, int]]:
    years = []
    while (year := _year(_at(grid, row, col))) is not None:
        years.append((col, year))
        col += 1
    return years


def _year(value: Cell) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() and 1990 <= value <= 2100 else None


def _number(value: Cell) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def _at(grid: list[list[Cell]], r: int, c: int) -> Cell:
    if 0 <= r < len(grid) and 0 <= c < len(grid[r]):
        return grid[r][c]
    return ""


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def limit(problems: list[Problem]) -> list[Problem]:
    """At most ``MAX_PROBLEMS_PER_CHECK`` problems of each code, then a count of the rest."""
    kept: list[Problem] = []
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem.code] = counts.get(problem.code, 0) + 1
        if counts[problem.code] <= MAX_PROBLEMS_PER_CHECK:
            kept.append(problem)
    for code, count in counts.items():
        if count > MAX_PROBLEMS_PER_CHECK:
            severity = next(p.severity for p in problems if p.code == code)
            more = count - MAX_PROBLEMS_PER_CHECK
            kept.append(Problem(severity, code, f"… and {more} more like these", problems[0].file))
    return kept
