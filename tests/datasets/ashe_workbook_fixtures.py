"""Small ASHE Table 14 workbooks in ONS's layout, for the workbook loader's tests.

The figures are made up (a handful of SOC 2020 codes); the layout is ONS's: a notes sheet, nine
data sheets, the title on row 1, heading fragments on rows 3–4, the header on row 5, data from
row 6 with indented descriptions, ``Not Classified`` and footnotes at the bottom. ``write_pair``
writes an estimates (``a``) workbook and its ``b … CV`` companion. Run this module to rewrite
the committed copies in ``tests/data/ashe_workbooks``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tests.datasets.xlsx import Cell, write_xlsx

__all__ = ["ROWS", "SHEETS", "data_sheet", "write_pair"]

SHEETS = (
    "All",
    "Male",
    "Female",
    "Full-Time",
    "Part-Time",
    "Male Full-Time",
    "Male Part-Time",
    "Female Full-Time",
    "Female Part-Time",
)
HEADER: list[Cell] = ["Description", "Code", "(thousand)", "Median", "change", "Mean", "change"]
HEADER += [10, 20, 25, 30, 40, 60, 70, 75, 80, 90]
#: description, code, jobs, median, change, mean, change, p10 … p90 (All sheet, weekly £)
ROWS: list[list[Cell]] = [
    [
        "All employees",
        "",
        1000,
        700.0,
        5.0,
        800.0,
        6.0,
        300,
        450,
        500,
        550,
        620,
        780,
        900,
        980,
        1080,
        1400,
    ],
    [
        "Professional occupations",
        "2",
        300,
        900.0,
        4.0,
        950.0,
        4.5,
        500,
        600,
        650,
        700,
        800,
        950,
        1050,
        1100,
        1200,
        1500,
    ],
    [
        " Science, research, engineering and technology professionals",
        "21",
        120,
        1000.0,
        3.0,
        1050.0,
        3.2,
        550,
        700,
        750,
        800,
        900,
        1100,
        1200,
        1250,
        1300,
        1600,
    ],
    [
        "  Information technology professionals",
        "213",
        60,
        1100.0,
        2.0,
        1150.0,
        2.5,
        600,
        750,
        800,
        850,
        1000,
        1150,
        1250,
        1300,
        1400,
        "x",
    ],
    [
        "   Programmers and software development professionals",
        "2134",
        40,
        1150.0,
        1.5,
        1200.0,
        2.0,
        650,
        800,
        850,
        900,
        1050,
        1200,
        1300,
        1350,
        1450,
        "x",
    ],
    [
        "   IT business analysts, architects and systems designers",
        "2135",
        "x",
        "x",
        "",
        1180.0,
        "",
        "x",
        "x",
        "x",
        "x",
        "x",
        "x",
        "x",
        "x",
        "x",
        "x",
    ],
    [
        "   IT quality and testing professionals",
        "2136",
        5,
        "..",
        "",
        990.0,
        ":",
        "-",
        "x",
        "x",
        "x",
        "x",
        "x",
        "x",
        "x",
        "x",
        "x",
    ],
    ["Not Classified", "", ":", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
]
#: CVs (%) per row of ROWS: jobs, median, change, mean, change, p10 … p90
CVS: list[list[Cell]] = [
    [0.0, 0.2, ".", 0.4, ".", 1.0, 0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3, 0.5],
    [0.5, 0.9, ".", 1.1, ".", 1.4, 0.9, 0.8, 0.7, 0.9, 1.0, 0.9, 1.0, 1.0, 1.1],
    [1.0, 3.2, ".", 6.5, ".", 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0],
    [2.0, 7.5, ".", 15.0, ".", 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, "x"],
    [4.0, 12.0, ".", 25.0, ".", 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, "x"],
    [21.0, "x", ".", 9.0, ".", "x", "x", "x", "x", "x", "x", "x", "x", "x", "x"],
    [19.0, "x", ".", 8.0, ".", "x", "x", "x", "x", "x", "x", "x", "x", "x", "x"],
    [":", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
]
FOOTNOTES = [
    "a  Employees on adult rates whose pay for the survey pay-period was not affected by absence.",
    "Source: Annual Survey of Hours and Earnings, Office for National Statistics.",
]


def _who(sheet: str) -> str:
    return f"For {sheet.lower()} employee jobs"


def _scale(sheet: str) -> float:
    """Each sheet's figures differ, so a test can tell which sheet a cell came from."""
    return 1.0 + SHEETS.index(sheet) / 100


def data_sheet(
    table: str,
    part: str,
    what: str,
    sheet: str,
    year: int,
    *,
    split_title: bool = False,
    rows: Sequence[Sequence[Cell]] | None = None,
) -> list[list[Cell]]:
    """One data sheet: the title (one cell, or spread as in the .xls years), header, rows."""
    cv = part == "b"
    prefix = f"Table {table}{part}   " + ("Coefficients of variation for " if cv else "")
    if split_title:
        title: list[Cell] = [f"Table {table}{part} {what}", "", f"{_who(sheet)}a: United Kingdom"]
    else:
        title = [f"{prefix}{what} (£) - {_who(sheet)}a: United Kingdom, {year}"]
    grid: list[list[Cell]] = [
        title,
        [],
        ["", "", "Number", "", "Annual", "", "Annual"],
        ["", "", "of jobsb", "", "percentage", "", "percentage", "Percentiles"],
        list(HEADER),
    ]
    scale = _scale(sheet)
    source = rows if rows is not None else ROWS
    for r, row in enumerate(source):
        if cv:
            grid.append([row[0], row[1], *CVS[r]])
        else:
            grid.append([v * scale if isinstance(v, float) else v for v in row])
    grid += [[], *([note] for note in FOOTNOTES)]
    return grid


def write_pair(
    folder: Path,
    *,
    table: str = "14.1",
    what: str = "Weekly pay - Gross",
    year: int = 2024,
    soc: str = "SOC20",
    suffix: str = ".xlsx",
    split_title: bool = False,
    with_cv: bool = True,
) -> tuple[Path, Path | None]:
    """The ``a`` and ``b … CV`` workbooks of one table, named as ONS names them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path | None] = []
    for part in ("a", "b") if with_cv else ("a",):
        notes = "CV notes" if part == "b" else "Notes"
        sheets: dict[str, list[list[Cell]]] = {notes: [["Notes"], ["Made-up figures for tests."]]}
        for sheet in SHEETS:
            sheets[sheet] = data_sheet(table, part, what, sheet, year, split_title=split_title)
        cv = " CV" if part == "b" else ""
        name = f"PROV - Occupation {soc} (4) Table {table}{part}   {what} {year}{cv}{suffix}"
        paths.append(write_xlsx(folder / name, sheets))
    return paths[0], (paths[1] if with_cv else None)  # type: ignore[return-value]


if __name__ == "__main__":  # pragma: no cover - regenerates the committed fixtures
    root = Path(__file__).parent.parent / "data" / "ashe_workbooks" / "2024provisional_soc2020"
    write_pair(root)
    write_pair(root, table="14.7", what="Annual pay - Gross")
