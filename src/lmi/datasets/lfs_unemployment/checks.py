"""Checks on the LFS unemployment-by-previous-occupation file (report, never raise)."""

from __future__ import annotations

import re

from lmi.checks import Frame
from lmi.datasets.lfs_unemployment.formats import AREAS, PERIOD, SYMBOLS
from lmi.datasets.lfs_unemployment.tables import AGE_BANDS, SEXES

__all__ = ["COLUMNS", "check_lfs", "number"]

COLUMNS = [
    "period",
    "soc_version",
    "occupation_code",
    "occupation",
    "sex",
    "age",
    "area_code",
    "area",
    "unemployed",
    "economically_active",
    "rate",
]
NUMBER = re.compile(r"(\d+(\.\d*)?|\.\d+)")
SYMBOL_TEXT = {s for s, _ in SYMBOLS}
#: published rates are rounded to 0.1 and levels to thousands: allowed gap (percentage points)
RATE_TOLERANCE = 1.0


def number(value: str) -> float | None:
    text = value.strip().replace(",", "")
    return float(text) if NUMBER.fullmatch(text) else None


def check_lfs(frame: Frame) -> None:
    if not frame.require_columns(COLUMNS):
        return
    frame.check_pattern(
        "period", PERIOD, what="an LFS period such as 'Apr-Jun 2023' or 'Jan-Dec 2023'"
    )
    frame.check_in("soc_version", {"SOC2010", "SOC2020"}, what="SOC2010 or SOC2020")
    frame.check_pattern(
        "occupation_code", r"\d{1,2}|all", what="a SOC major or sub-major group, or all"
    )
    frame.check_in("sex", set(SEXES), what="People, Men or Women")
    frame.check_in("age", set(AGE_BANDS), what="an age band (" + ", ".join(AGE_BANDS) + ")")
    frame.check_in(
        "area_code", set(AREAS), what="the UK, a country or an English region (GSS code)"
    )
    for column in ("unemployed", "economically_active", "rate"):
        frame.check(
            column,
            lambda v: v.strip() in SYMBOL_TEXT or number(v) is not None,
            code="bad-number",
            message="{value!r} is neither a number ≥ 0 nor an ONS symbol (*, ..)",
        )
    frame.check(
        "rate",
        lambda v: (n := number(v)) is None or n <= 100,
        code="out-of-range",
        message="{value!r} is not a rate between 0 and 100",
    )
    frame.check_unique("period", "soc_version", "occupation_code", "sex", "age", "area_code")
    if frame.has_errors:
        return
    findings = []
    for i, (unemployed, active, rate) in enumerate(
        frame.rows("unemployed", "economically_active", "rate")
    ):
        u, a, r = number(unemployed), number(active), number(rate)
        if u is None or a is None:
            continue
        if u > a:
            findings.append((i, "unemployed", f"unemployed {u:g} > economically active {a:g}"))
        elif r is not None and a > 0 and abs(100 * u / a - r) > RATE_TOLERANCE:
            message = f"rate {r:g} but unemployed / active = {100 * u / a:.1f} %"
            findings.append((i, "rate", message))
    frame.report_rows(findings, code="inconsistent", severity="warning")
