"""Checks on the ASHE files: missing columns, unknown SOC codes, letters in numeric columns."""

from __future__ import annotations

import re

from lmi.checks import Frame

__all__ = [
    "T14_COLUMNS",
    "T14_NUMERIC",
    "check_2025",
    "check_numbers",
    "check_table14",
    "is_number_or_symbol",
]

T14_NUMERIC = ["No_jobs", "Median", "change", "Mean", "change.1"] + [
    str(p) for p in (10, 20, 25, 30, 40, 60, 70, 75, 80, 90)
]
T14_COLUMNS = ["Description", "Code", *T14_NUMERIC]
ONS_SYMBOLS = frozenset({"x", "..", ":", "-", ""})
_NUMBER = re.compile(r"-?\d[\d,]*(\.\d+)?|-?\.\d+")
_T14_CODE = re.compile(r"XX|[1-9]\d{0,3}")


def is_number_or_symbol(value: str) -> bool:
    text = value.strip()
    return text in ONS_SYMBOLS or _NUMBER.fullmatch(text) is not None


def check_numbers(frame: Frame, columns: list[str]) -> None:
    """Every numeric cell is a number or an ONS symbol (letters are reported with row/column)."""
    for column in columns:
        frame.check(
            column,
            is_number_or_symbol,
            code="bad-number",
            message="{value!r} is neither a number nor an ONS symbol (x, .., :, -)",
        )


def check_table14(frame: Frame, known: set[str] | None) -> None:
    """A Table 14 sheet: all columns, known codes, numbers or symbols in numeric columns.

    ``known`` is the set of codes of the file's SOC version in this release; ``None`` (SOC
    2000, whose structure lmi does not hold) checks that every code's parent is in the file.
    """
    if not frame.require_columns(T14_COLUMNS):
        return
    codes = [c.strip() for c in frame.columns["Code"]]
    listed = set(codes)
    findings = []
    for i, (code, description) in enumerate(zip(codes, frame.columns["Description"], strict=True)):
        if code == "":
            if description.strip().lower() != "not classified":
                findings.append((i, "Code", f"blank code for {description.strip()!r}"))
        elif _T14_CODE.fullmatch(code) is None:
            findings.append((i, "Code", f"{code!r} is not a SOC code"))
        elif code != "XX" and not _known(code, known, listed):
            findings.append((i, "Code", f"{code!r} is not a code of this SOC version"))
    frame.report_rows(findings, code="unknown-code")
    check_numbers(frame, T14_NUMERIC)


def _known(code: str, known: set[str] | None, listed: set[str]) -> bool:
    if known is not None:
        return code in known
    return len(code) == 1 or code[:-1] in listed


STATS_2025 = ["median", "mean", "p10", "p20", "p25", "p30", "p40", "p60", "p70", "p75"]
STATS_2025 += ["p80", "p90"]
MEASURES_2025 = {
    "annual_gross_pay_gbp": "annual",
    "weekly_gross_pay_gbp": "weekly",
    "hourly_gross_pay_gbp": "hourly",
    "paid_hours_worked_total": "hours",
}


PATTERNS_2025 = {"all": "all", "full-time": "full-time", "ft": "full-time"}


def check_2025(frame: Frame, code_column: str, known: set[str], numeric: list[str]) -> None:
    """A 2025p extract: columns present, SOC 2020 codes known, measures/sex/pattern known."""
    needed = ["year", "release", "measure", "work_pattern", code_column, "title", *numeric]
    if not frame.require_columns(needed):
        return
    frame.check_in(code_column, known, what="a SOC 2020 code")
    if "sex" in frame.columns:
        frame.check_in("sex", {"all", "male", "female"}, what="all, male or female")
        frame.check_in("measure", set(MEASURES_2025), what="a known ASHE measure")
    frame.check_in("work_pattern", set(PATTERNS_2025), what="all or full-time (ft)")
    check_numbers(frame, numeric)
