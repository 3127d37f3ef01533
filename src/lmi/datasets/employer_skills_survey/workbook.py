"""Reading ESS "standard tables" sheets of an IFF workbook (the LEA workbook).

A sheet: title lines, a row with the geography word (``LEA``) above the headings, the heading
row (``Total`` in column B, then one column per area), then labelled rows each followed by an
unlabelled share row, and the footer ``Tables produced by IFF``. Only labelled rows are kept:
``{heading: {row label: cell}}`` with cells as float or the source's text symbol.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmi.checks.report import Problem

__all__ = ["Sheet", "StandardTables", "read_standard_tables"]

Cell = float | str
#: heading → row label → cell
Sheet = dict[str, dict[str, Cell]]
FOOTER = "tables produced by iff"


@dataclass
class StandardTables:
    label: str
    sheets: dict[str, Sheet] = field(default_factory=dict)
    #: sheet → its title line (for checking that a sheet holds the table expected)
    titles: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, severity: str, code: str, message: str, *, column: str | None = None) -> None:
        self.problems.append(Problem(severity, code, message, self.label, None, column))  # type: ignore[arg-type]


def read_standard_tables(path: Path, label: str, sheets: Iterable[str]) -> StandardTables:
    from python_calamine import CalamineError, CalamineWorkbook

    found = StandardTables(label)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = set(workbook.sheet_names)
        for name in sheets:
            if name not in names:
                found.problem("error", "missing-sheet", f"sheet {name!r} is missing", column=name)
                continue
            grid: list[list[Any]] = workbook.get_sheet_by_name(name).to_python(
                skip_empty_area=False
            )
            _read_sheet(found, name, grid)
    except (CalamineError, OSError, ValueError) as exc:
        found.problem("error", "corrupt-xlsx", f"cannot read workbook: {exc}")
    return found


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _read_sheet(found: StandardTables, name: str, grid: list[list[Any]]) -> None:
    header = next(
        (
            r
            for r, row in enumerate(grid)
            if len(row) > 2 and _text(row[0]) == "" and _text(row[1]) == "Total"
        ),
        None,
    )
    if header is None:
        found.problem(
            "error", "missing-table", f"sheet {name}: no heading row with 'Total'", column=name
        )
        return
    titles = [_text(row[0]) for row in grid[:header] if row and _text(row[0])]
    found.titles[name] = " ".join(titles)
    headings = [_text(c) for c in grid[header]]
    columns = [(c, h) for c, h in enumerate(headings) if c >= 1 and h]
    sheet: Sheet = {h: {} for _, h in columns}
    for row in grid[header + 1 :]:
        row_label = _text(row[0]) if row else ""
        if row_label.casefold().startswith(FOOTER):
            break
        if not row_label:
            continue  # the share row under a labelled row, or a blank line
        for c, heading in columns:
            cell = row[c] if c < len(row) else None
            if isinstance(cell, bool):
                continue
            if isinstance(cell, int | float):
                sheet[heading][row_label] = float(cell)
            elif _text(cell):
                sheet[heading][row_label] = _text(cell)
    found.sheets[name] = sheet
