"""Checks on the ESS files: the tables read are there and are what they should be, every cell
a number or an ESS symbol, every area known, and the counts coherent (warnings)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from lmi.checks import Frame
from lmi.checks.report import Problem
from lmi.datasets.employer_skills_survey.formats import SHEETS, SYMBOLS, TITLE_WORDS
from lmi.datasets.employer_skills_survey.tables import OCCUPATIONS
from lmi.datasets.employer_skills_survey.workbook import Sheet

__all__ = [
    "INDEX_COLUMNS",
    "LONG_COLUMNS",
    "check_coherence",
    "check_index",
    "check_long",
    "check_sheet_rows",
    "label_of",
]

LONG_COLUMNS = ["sheet", "row_label", "row_kind", "area_type", "column_heading", "value"]
INDEX_COLUMNS = ["sheet", "table_ref", "table_title", "base"]
NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
SYMBOL_TEXT = {s for s, _ in SYMBOLS}
#: sheets without an "Unclassified staff" row
NO_UNCLASSIFIED = {"T7", "3", "53"}
#: the total row of the skills-gap count table is labelled differently
TOTAL_LABEL = {"53": "Total not fully proficient"}
#: counts may exceed what contains them by this (weighted counts are rounded to whole numbers)
ROUNDING = 2.0


def label_of(sheet: str, occupation: str) -> str:
    if occupation == "all":
        return TOTAL_LABEL.get(sheet, "Total")
    return OCCUPATIONS[occupation]


def expected_labels(sheet: str) -> list[str]:
    wanted = [label_of(sheet, o) for o in OCCUPATIONS if o != "U" or sheet not in NO_UNCLASSIFIED]
    return ["Unweighted row", *wanted] + (["Total"] if sheet in TOTAL_LABEL else [])


def check_index(frame: Frame) -> None:
    """Every sheet read is listed, with a title naming the table expected."""
    if not frame.require_columns(INDEX_COLUMNS):
        return
    titles: dict[str, str] = {s: t for s, t in frame.rows("sheet", "table_title")}
    for sheet, words in TITLE_WORDS.items():
        if sheet not in titles:
            frame._add(
                "error",
                "missing-table",
                f"sheet {sheet} ({SHEETS[sheet]}) is not listed",
                column="sheet",
            )
        elif not all(w in titles[sheet].casefold() for w in words):
            frame._add(
                "error",
                "wrong-table",
                f"sheet {sheet} should hold {' / '.join(words)}, its title is {titles[sheet]!r}",
                column="table_title",
            )


def check_long(frame: Frame) -> None:
    """Columns, row kinds, area types, numbers or ESS symbols."""
    if not frame.require_columns(LONG_COLUMNS):
        return
    frame.check_in("row_kind", {"value", "column_share"}, what="value or column_share")
    frame.check_in(
        "area_type",
        {"england_total", "lep", "other_column"},
        what="england_total, lep or other_column",
    )
    frame.check(
        "value",
        lambda v: v.strip() in SYMBOL_TEXT or NUMBER.fullmatch(v.strip()) is not None,
        code="bad-number",
        message="{value!r} is neither a number nor an ESS symbol (**, *%)",
    )
    read = [i for i, s in enumerate(frame.columns["sheet"]) if s in SHEETS]
    negative = [
        (i, "value", f"{frame.columns['value'][i]!r} is negative")
        for i in read
        if frame.columns["value"][i].strip().startswith("-")
    ]
    frame.report_rows(negative, code="out-of-range")
    seen: set[tuple[str, ...]] = set()
    duplicates = []
    keys = frame.rows("sheet", "row_label", "row_kind", "column_heading")
    for i, key in enumerate(keys):
        if key[0] in SHEETS:
            if key in seen:
                duplicates.append((i, "row_label", f"duplicate row {'/'.join(key)!r}"))
            seen.add(key)
    frame.report_rows(duplicates, code="duplicate-key")


def check_sheet_rows(sheets: Mapping[str, Sheet], label: str) -> list[Problem]:
    """Every column of every sheet read has the rows of the occupations (errors otherwise)."""
    problems: list[Problem] = []
    for sheet in SHEETS:
        columns = sheets.get(sheet)
        if not columns:
            problems.append(
                Problem("error", "missing-table", f"sheet {sheet} has no data", label, None, sheet)
            )
            continue
        for heading, cells in columns.items():
            missing = [name for name in expected_labels(sheet) if name not in cells]
            if missing:
                problems.append(
                    Problem(
                        "error",
                        "missing-row",
                        f"sheet {sheet}, column {heading!r}: no row "
                        + ", ".join(map(repr, missing)),
                        label,
                        None,
                        sheet,
                    )
                )
                break  # one column tells: the rest of the sheet is laid out the same way
    return problems


def check_coherence(rows: Iterable[Mapping[str, Any]], label: str) -> list[Problem]:
    """Warnings: hard-to-fill ≤ vacancies, skill-shortage ≤ hard-to-fill (SSVs are the
    hard-to-fill vacancies due to a lack of skills), and occupations summing to the total."""
    found: list[str] = []
    totals: dict[tuple[str, str, str], float] = {}
    parts: dict[tuple[str, str, str], list[float]] = {}
    for row in rows:
        for small, big in (("htf", "vacancies"), ("ssv", "htf")):
            a, b = row[small], row[big]
            if a is not None and b is not None and a > b + ROUNDING:
                found.append(
                    f"{row['area_name']}, occupation {row['occupation']}: {small} {a:,.0f} > "
                    f"{big} {b:,.0f}"
                )
        for measure in ("vacancies", "htf", "ssv"):
            key = (row["area_type"], row["area_name"], measure)
            if row[measure] is None:
                continue
            if row["occupation"] == "all":
                totals[key] = row[measure]
            else:
                parts.setdefault(key, []).append(row[measure])
    whole = len(OCCUPATIONS) - 1  # every occupation published, the unclassified included
    for key, total in totals.items():
        found_parts = parts.get(key, [])
        summed = sum(found_parts)
        if len(found_parts) == whole and abs(summed - total) > max(ROUNDING * whole, 0.01 * total):
            found.append(
                f"{key[1]}: {key[2]} by occupation sum to {summed:,.0f}, the total is {total:,.0f}"
            )
    problems = [Problem("warning", "inconsistent", text, label) for text in found[:20]]
    if len(found) > 20:
        problems.append(Problem("warning", "inconsistent", f"… and {len(found) - 20} more", label))
    return problems
