"""Reading ONS's own ASHE Table 14 workbooks exactly as ONS publishes them.

ONS ships each year's Table 14 (occupation, 4-digit SOC) as a zip of workbooks, one per table
(14.1 weekly gross … 14.11 paid overtime hours), each an ``a`` file (estimates) and a ``b … CV``
file (coefficients of variation), in ``.xls`` (up to 2023) or ``.xlsx`` (2024 on). A workbook
holds a notes sheet and nine data sheets (All, Male, Female, Full-Time, Part-Time and the four
sex × pattern combinations).

Nothing is found by position: the table, measure, sex, pattern and year come from each sheet's
title line ("Table 14.7a   Annual pay - Gross (£) - For male employee jobs: United Kingdom,
2024") and its name; the header row is the one holding ``Description`` and ``Code``; each
column is named by its heading. The SOC version and edition come from the file name (``SOC10``
/ ``SOC20``, ``PROV`` / ``REV``) or its folder (``…provisional_soc2010``). Cells stay raw
(a float, or the text ONS printed: ``x``, ``..``, ``:``, ``-``, ``.`` in CV files) so that the
loader applies the disclosure policy in one place.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmi.checks.report import Problem

__all__ = [
    "MEASURES",
    "SHEETS",
    "SheetRow",
    "Workbook",
    "WorkbookSet",
    "read_workbook",
    "read_workbooks",
]

Raw = float | str

#: Table 14 number → (lmi measure, ONS title of the table)
MEASURES: dict[str, tuple[str, str]] = {
    "14.1": ("weekly", "Weekly pay - Gross"),
    "14.2": ("weekly_excl_overtime", "Weekly pay - Excluding overtime"),
    "14.3": ("weekly_basic", "Basic pay - Including other pay"),
    "14.4": ("weekly_overtime", "Overtime pay"),
    "14.5": ("hourly", "Hourly pay - Gross"),
    "14.6": ("hourly_excl_overtime", "Hourly pay - Excluding overtime"),
    "14.7": ("annual", "Annual pay - Gross"),
    "14.8": ("annual_incentive", "Annual pay - Incentive"),
    "14.9": ("hours", "Paid hours worked - Total"),
    "14.10": ("hours_basic", "Paid hours worked - Basic"),
    "14.11": ("hours_overtime", "Paid hours worked - Overtime"),
}
#: data sheet name (case and spacing folded) → (sex, pattern)
SHEETS: dict[str, tuple[str, str]] = {
    "all": ("all", "all"),
    "male": ("male", "all"),
    "female": ("female", "all"),
    "full-time": ("all", "full-time"),
    "part-time": ("all", "part-time"),
    "male full-time": ("male", "full-time"),
    "male part-time": ("male", "part-time"),
    "female full-time": ("female", "full-time"),
    "female part-time": ("female", "part-time"),
}
_TITLE = re.compile(r"Table\s+(14\.\d{1,2})([ab])\b", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d{2})\s*$")
_CODE = re.compile(r"[1-9]\d{0,3}")
_PERCENTILES = {10, 20, 25, 30, 40, 60, 70, 75, 80, 90}
WORKBOOK_SUFFIXES = (".xls", ".xlsx")


@dataclass(frozen=True)
class SheetRow:
    """One occupation row of a data sheet: ``cells`` maps a statistic to the raw cell."""

    line: int  # 1-based row in the sheet
    code: str  # "all" for the All employees row
    title: str
    cells: dict[str, Raw]


@dataclass
class Workbook:
    """One published file (``a`` estimates or ``b`` CVs) with its data sheets."""

    label: str
    table: str = ""  # "14.7"
    part: str = ""  # a | b
    year: int = 0
    edition: str = ""  # p | r
    soc_version: str = ""  # soc2010 | soc2020
    #: (sex, pattern) → rows
    sheets: dict[tuple[str, str], list[SheetRow]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def measure(self) -> str:
        return MEASURES[self.table][0]

    @property
    def key(self) -> tuple[str, int, str, str]:
        """What pairs an estimates file with its CV file."""
        return (self.table, self.year, self.edition, self.soc_version)

    def problem(self, severity: str, code: str, message: str, **where: Any) -> None:
        self.problems.append(Problem(severity, code, message, self.label, **where))  # type: ignore[arg-type]


@dataclass
class WorkbookSet:
    """Every Table 14 workbook found under a folder (or inside zips in it)."""

    workbooks: list[Workbook] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def estimates(self) -> list[Workbook]:
        return [w for w in self.workbooks if w.part == "a" and not _fatal(w)]

    def cvs(self) -> dict[tuple[str, int, str, str], Workbook]:
        return {w.key: w for w in self.workbooks if w.part == "b" and not _fatal(w)}

    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for w in self.workbooks for p in w.problems)]


def _fatal(workbook: Workbook) -> bool:
    return any(p.severity == "error" for p in workbook.problems)


# -- finding the files -------------------------------------------------------------------------


def read_workbooks(root: Path, *, label_root: Path | None = None) -> WorkbookSet:
    """Every ``.xls``/``.xlsx`` Table 14 workbook under ``root``, unpacked or inside ``.zip``s.

    Files that are not Table 14 workbooks (other tables, notes) are skipped with a warning so
    that an operator who drops a whole ONS zip in place sees what was not read.
    """
    found = WorkbookSet()
    base = label_root or root
    if not root.exists():
        return found
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in paths:
        label = str(path.relative_to(base)) if path != base else path.name
        lower = path.name.lower()
        if lower.endswith(".zip"):
            found.workbooks += _from_zip(path, label, found)
        elif lower.endswith(WORKBOOK_SUFFIXES):
            found.workbooks.append(read_workbook(path.read_bytes(), label))
    return found


def _from_zip(path: Path, label: str, found: WorkbookSet) -> Iterator[Workbook]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        found.problems.append(Problem("error", "corrupt-zip", f"cannot open zip: {exc}", label))
        return
    with archive:
        for member in sorted(archive.namelist()):
            if member.endswith("/") or not member.lower().endswith(WORKBOOK_SUFFIXES):
                continue
            yield read_workbook(archive.read(member), f"{label}!{member}")


# -- one workbook ------------------------------------------------------------------------------


def read_workbook(data: bytes, label: str) -> Workbook:
    """Parse one workbook's bytes; problems name the file, sheet and row."""
    from python_calamine import CalamineError, CalamineWorkbook

    found = Workbook(label)
    found.edition, found.soc_version = _from_name(label)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in book.sheet_names:
            split = SHEETS.get(" ".join(name.replace("_", " ").split()).casefold())
            if split is None:
                continue  # Notes, CV notes
            grid: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            _read_sheet(found, name, split, grid)
    except (CalamineError, OSError, ValueError) as exc:
        found.problem("error", "corrupt-workbook", f"cannot read workbook: {exc}")
        return found
    if not found.sheets and not found.problems:
        found.problem("error", "not-table14", "no data sheet (All, Male, … Female Part-Time)")
    if found.sheets and not found.soc_version:
        found.soc_version = _version_from_codes(found)
    if found.sheets and not found.edition:
        found.problem(
            "error",
            "unknown-edition",
            "cannot tell provisional from revised: the file or folder name should say PROV / "
            "provisional or REV / revised, as ONS names them",
        )
    return found


def _from_name(label: str) -> tuple[str, str]:
    """(edition, SOC version) from the file and folder names ONS and operators use."""
    text = label.casefold()
    edition = ""
    if re.search(r"\bprov\b|provisional", text):
        edition = "p"
    elif re.search(r"\brev\b|revised", text):
        edition = "r"
    version = ""
    if re.search(r"soc\s*(20)?10\b", text):
        version = "soc2010"
    elif re.search(r"soc\s*(20)?20\b", text):
        version = "soc2020"
    return edition, version


def _version_from_codes(found: Workbook) -> str:
    """SOC 2010 and SOC 2020 share most codes but not these unit groups (1115/1116 in 2010;
    1111/1112 in 2020): the first one present decides."""
    codes = {row.code for rows in found.sheets.values() for row in rows}
    if codes & {"1115", "1116", "2135", "2136"}:
        return "soc2010"
    if codes & {"1111", "1112", "2134"}:
        return "soc2020"
    found.problem("error", "unknown-soc-version", "cannot tell SOC 2010 from SOC 2020")
    return ""


def _year(title: str, label: str) -> int | None:
    """The survey year: ending the title (2024 on), else the last year in the file name."""
    found = _YEAR.search(title.split(":")[-1]) if ":" in title else None
    if found is None:
        found = _YEAR.search(title)
    if found is None:
        names = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", label.rsplit("/", 1)[-1])
        return int(names[-1]) if names else None
    return int(found.group(1))


def _text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def _read_sheet(found: Workbook, name: str, split: tuple[str, str], grid: list[list[Any]]) -> None:
    header = next(
        (
            r
            for r, row in enumerate(grid)
            if any(_text(c) == "Description" for c in row) and any(_text(c) == "Code" for c in row)
        ),
        None,
    )
    if header is None:
        found.problem("error", "missing-header", f"sheet {name}: no row with Description, Code")
        return
    # the title is spread over one cell (2024 on) or several (earlier years) above the header
    title = " ".join(_text(c) for row in grid[:header] for c in row if _text(c))
    match = _TITLE.search(title)
    year = _year(title, found.label)
    if match is None or year is None:
        found.problem(
            "error",
            "not-table14",
            f"sheet {name}: title {title[:80]!r} is not a Table 14 title with a year "
            "(nor does the file name give the year)",
        )
        return
    table, part = match.group(1), match.group(2).lower()
    if table not in MEASURES:
        found.problem("error", "unknown-table", f"sheet {name}: Table {table} is not 14.1–14.11")
        return
    if found.table and (found.table, found.part, found.year) != (table, part, year):
        found.problem(
            "error",
            "mixed-tables",
            f"sheet {name}: Table {table}{part} {year} in a workbook of Table "
            f"{found.table}{found.part} {found.year}",
        )
        return
    found.table, found.part, found.year = table, part, year
    columns = _columns([_text(c) for c in grid[header]])
    missing = {"description", "code", "median", "mean"} - set(columns.values())
    if missing:
        found.problem(
            "error",
            "missing-column",
            f"sheet {name}: no {', '.join(sorted(missing))} column in the header row",
            row=header + 1,
        )
        return
    at = {stat: c for c, stat in columns.items()}
    rows: list[SheetRow] = []
    for r in range(header + 1, len(grid)):
        row = grid[r]
        description = _text(row[at["description"]]) if at["description"] < len(row) else ""
        code = _text(row[at["code"]]) if at["code"] < len(row) else ""
        if description.casefold() == "all employees":
            code = "all"
        elif not code:
            continue  # Not Classified, blank lines, footnotes
        elif _CODE.fullmatch(code) is None:
            found.problem(
                "error",
                "bad-code",
                f"sheet {name}: {code!r} is not a SOC code",
                row=r + 1,
                column="Code",
            )
            continue
        cells: dict[str, Raw] = {}
        for c, stat in columns.items():
            if stat in {"description", "code"}:
                continue
            value = row[c] if c < len(row) else ""
            cells[stat] = _raw(found, value, name, r + 1, stat)
        rows.append(SheetRow(r + 1, code, description, cells))
    if not rows:
        found.problem("error", "empty-sheet", f"sheet {name}: no occupation rows")
        return
    found.sheets[split] = rows


def _columns(headings: list[str]) -> dict[int, str]:
    """Column index → statistic, from the heading row (``change`` follows its statistic)."""
    columns: dict[int, str] = {}
    previous = ""
    for c, heading in enumerate(headings):
        lower = heading.casefold()
        if lower == "description":
            columns[c] = "description"
        elif lower == "code":
            columns[c] = "code"
        elif "thousand" in lower:
            columns[c] = "jobs"
        elif lower in {"median", "mean"}:
            columns[c] = previous = lower
        elif lower == "change" and previous:
            columns[c] = f"{previous}_change"
        elif heading.isdigit() and int(heading) in _PERCENTILES:
            columns[c] = f"p{heading}"
    return columns


_SYMBOLS = frozenset({"x", "..", ":", "-", ".", ""})


def _raw(found: Workbook, value: Any, sheet: str, line: int, stat: str) -> Raw:
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | float):
        return float(value)
    text = _text(value)
    if text in _SYMBOLS:
        return text
    try:
        return float(text.replace(",", ""))
    except ValueError:
        found.problem(
            "error",
            "bad-number",
            f"sheet {sheet}: {text!r} is neither a number nor an ONS symbol (x, .., :, -)",
            row=line,
            column=stat,
        )
        return "x"
