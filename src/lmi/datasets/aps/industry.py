"""ONS user-requested APS table: employment by 4-digit SOC 2020 × industry section, UK.

``Employment by 4-digit SOC and 1-digit industry at UK level`` (ONS publishes it as
``employmentby4digitsoc1digitindustryatosuk<years>final.xlsx``): one sheet per year (``2021`` …),
notes on top ("January-December 2021", the weighting and variables), a header row of industry
sections ("1 A  Agriculture, forestry and fishing" … "19 S  Other service activities"), then one
row per unit group ("1111 Chief executives and senior officials"), people in employment. ``*``
is a cell ONS suppressed (sample too small); ``-`` is no figure to report. Nothing is found by
position: the header row is the one holding section labels, unit-group rows are those whose
label starts with a 4-digit code, the year is the sheet's ``January-December YYYY`` line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from lmi.checks.report import Problem
from lmi.sdc import classify
from lmi.sdc.policy import APS_USER_REQUESTED as POLICY
from lmi.store.schema import release_table

__all__ = ["IndustryCell", "IndustryTable", "aps_unit_industry", "read_industry_workbook"]

_SECTION = re.compile(r"\d{1,2}\s+([A-U])\s+(.+)")
_UNIT = re.compile(r"([1-9]\d{3})\s+(.+)")
_PERIOD = re.compile(r"January\s*-\s*December\s+((?:19|20)\d{2})", re.IGNORECASE)

aps_unit_industry = release_table(
    "aps_unit_industry",
    sa.Column("year", sa.Integer, primary_key=True),  # calendar-year APS period (Jan–Dec)
    sa.Column("soc2020", sa.String(4), primary_key=True),  # SOC 2020 unit group
    sa.Column("section", sa.String(1), primary_key=True),  # SIC 2007 section A–S
    sa.Column("section_name", sa.Text, nullable=False),  # as ONS labels it
    sa.Column("value", sa.Float),  # people in employment; NULL when not servable
    sa.Column("status", sa.String(24), nullable=False),  # SDC status (policy aps-user-requested)
    sa.Column("rule", sa.String(60), nullable=False),
    since=1,
)


@dataclass(frozen=True)
class IndustryCell:
    year: int
    soc2020: str
    section: str
    section_name: str
    raw: str | float
    line: int


@dataclass
class IndustryTable:
    label: str
    cells: list[IndustryCell] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # unit group → title as published
    problems: list[Problem] = field(default_factory=list)

    def problem(self, code: str, message: str, **where: Any) -> None:
        self.problems.append(Problem("error", code, message, self.label, **where))

    def rows(self) -> Iterator[dict[str, Any]]:
        """Table rows, each cell through the policy (``*`` and ``-`` never become numbers)."""
        for cell in self.cells:
            served = classify(POLICY, cell.raw, measure="count")
            yield {
                "year": cell.year,
                "soc2020": cell.soc2020,
                "section": cell.section,
                "section_name": cell.section_name,
                "value": served.value,
                "status": served.status,
                "rule": served.rule,
            }


def _text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def read_industry_workbook(path: Path, label: str) -> IndustryTable:
    from python_calamine import CalamineError, CalamineWorkbook

    found = IndustryTable(label)
    try:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            grid: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            _read_sheet(found, name, grid)
    except (CalamineError, OSError, ValueError) as exc:
        found.problem("corrupt-xlsx", f"cannot read workbook: {exc}")
    if not found.cells and not found.problems:
        found.problem("no-data", "no sheet with industry sections and unit groups")
    return found


def _read_sheet(found: IndustryTable, name: str, grid: list[list[Any]]) -> None:
    year = None
    header: int | None = None
    for r, row in enumerate(grid):
        texts = [_text(c) for c in row]
        period = next((m for t in texts if (m := _PERIOD.search(t))), None)
        if period and year is None:
            year = int(period.group(1))
        if sum(1 for t in texts if _SECTION.fullmatch(t)) >= 5:
            header = r
            break
    if header is None:
        return  # a notes sheet
    if year is None:
        year = int(name) if re.fullmatch(r"(19|20)\d{2}", name.strip()) else None
    if year is None:
        found.problem("missing-period", f"sheet {name}: no 'January-December YYYY' line")
        return
    sections: dict[int, tuple[str, str]] = {}
    for c, cell in enumerate(grid[header]):
        match = _SECTION.fullmatch(_text(cell))
        if match:
            sections[c] = (match.group(1), match.group(2).strip())
    for r in range(header + 1, len(grid)):
        row = grid[r]
        unit = next((m for c in row[:3] if (m := _UNIT.fullmatch(_text(c)))), None)
        if unit is None:
            continue
        code = unit.group(1)
        found.titles.setdefault(code, unit.group(2).strip())
        for c, (section, section_name) in sections.items():
            value = row[c] if c < len(row) else ""
            raw: str | float = float(value) if isinstance(value, int | float) else _text(value)
            if isinstance(raw, str) and raw not in POLICY.symbols:
                try:
                    raw = float(raw.replace(",", ""))
                except ValueError:
                    found.problem(
                        "bad-number",
                        f"sheet {name}: {raw!r} is neither a number nor * or -",
                        row=r + 1,
                        column=section,
                    )
                    continue
            found.cells.append(IndustryCell(year, code, section, section_name, raw, r + 1))
