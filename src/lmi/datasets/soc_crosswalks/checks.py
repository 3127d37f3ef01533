"""Checks on the crosswalk files: known unit groups, numbers that parse, proportions in [0, 1]."""

from __future__ import annotations

import math
import re
from collections import defaultdict

from lmi.checks import Frame
from lmi.checks.frame import MAX_PROBLEMS_PER_CHECK

__all__ = [
    "CROSS_REFERENCE",
    "SUM_TOLERANCE",
    "check_counts",
    "check_isco_codes",
    "check_proportions",
    "check_sums",
    "check_unit_groups",
    "parse_float",
    "parse_int",
]

#: what the coding index has instead of a code for an entry that only points to another entry
CROSS_REFERENCE = "}}}}"
#: a unit group's shares may fall short of 1 by this much (small categories left out, rounding)
SUM_TOLERANCE = 0.06

_INTEGER = re.compile(r"\d+")
_ISCO_UNIT = re.compile(r"\d{4}")


def parse_int(value: str) -> int | None:
    """A whole number ≥ 0, or None for a blank or anything else."""
    value = value.strip()
    return int(value) if _INTEGER.fullmatch(value) else None


def parse_float(value: str) -> float | None:
    """A finite number, or None for a blank or anything else."""
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def check_unit_groups(frame: Frame, column: str, unit_groups: set[str], *, version: str) -> None:
    frame.check_in(column, unit_groups, what=f"a {version} unit group loaded in this release")


def check_counts(frame: Frame, *columns: str, blank_ok: bool = False) -> None:
    """Whole numbers ≥ 0 (sample sizes, numbers of index entries)."""
    for column in columns:
        frame.check(
            column,
            lambda v: parse_int(v) is not None or (blank_ok and v.strip() == ""),
            code="bad-number",
            message="{value!r} is not a whole number",
        )


def check_proportions(frame: Frame, *columns: str, blank_ok: bool = False) -> None:
    """Numbers between 0 and 1; a value that is not a number is reported once, as such."""
    for column in columns:
        frame.check(
            column,
            lambda v: parse_float(v) is not None or (blank_ok and v.strip() == ""),
            code="bad-number",
            message="{value!r} is not a number",
        )
        frame.check(
            column,
            _in_unit_interval_or_not_number,
            code="out-of-range",
            message="{value!r} is not a proportion between 0 and 1",
        )


def check_isco_codes(frame: Frame, column: str) -> None:
    """4-digit ISCO-08 unit groups; the index's cross-references are skipped with a warning."""
    frame.check(
        column,
        lambda v: v != CROSS_REFERENCE,
        code="cross-reference",
        message="index cross-reference {value!r} instead of an ISCO-08 code: row skipped",
        severity="warning",
    )
    frame.check(
        column,
        lambda v: v == CROSS_REFERENCE or _ISCO_UNIT.fullmatch(v) is not None,
        code="bad-format",
        message="{value!r} is not a 4-digit ISCO-08 unit group",
    )


def check_sums(
    frame: Frame, key: str, column: str, *, base: str | None = None, what: str = "shares"
) -> None:
    """Warn when the values of ``column`` of one ``key`` do not add up to 1 (± tolerance).

    With ``base``, keys whose sample size is 0 are skipped (their proportions are all 0).
    """
    totals: dict[str, float] = defaultdict(float)
    first_row: dict[str, int] = {}
    empty: set[str] = set()
    for i, (code, value) in enumerate(frame.rows(key, column)):
        first_row.setdefault(code, i)
        totals[code] += parse_float(value) or 0.0
        if base is not None and parse_int(frame.columns[base][i]) == 0:
            empty.add(code)
    off = [c for c, total in totals.items() if c not in empty and abs(total - 1) > SUM_TOLERANCE]
    for code in off[:MAX_PROBLEMS_PER_CHECK]:
        frame._add(
            "warning",
            "bad-sum",
            f"{what} of {key} {code!r} add up to {totals[code]:.4f}, not 1",
            row=frame.line(first_row[code]),
            column=column,
        )
    if len(off) > MAX_PROBLEMS_PER_CHECK:
        frame._add(
            "warning",
            "bad-sum",
            f"… and {len(off) - MAX_PROBLEMS_PER_CHECK} more {key} codes like these",
            column=column,
        )


def _in_unit_interval_or_not_number(value: str) -> bool:
    number = parse_float(value)
    return number is None or 0 <= number <= 1
