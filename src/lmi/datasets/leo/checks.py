"""Checks on the LEO files the format specs cannot express: cross-column and cross-row rules."""

from __future__ import annotations

import math
from collections import defaultdict

from lmi.checks import Frame
from lmi.datasets.leo.codes import ALL_SUBJECTS, cah2_of

__all__ = [
    "EARNINGS_COLUMNS",
    "INDUSTRY_COLUMNS",
    "check_earnings",
    "check_industry",
    "number",
    "tax_year_of",
    "yag_of",
]

EARNINGS_COLUMNS = [
    "time_period",
    "academic_year",
    "YAG",
    "sex",
    "subject_name",
    "grads",
    "earnings_include",
    "earnings_LQ",
    "earnings_median",
    "earnings_UQ",
    "sust_emp_fs_or_both",
]
INDUSTRY_COLUMNS = [
    "YAG",
    "region",
    "SECTIONNAME",
    "trained_in_region",
    "number_of_providers",
    "subject_name",
    "living_in_region",
    "earnings_median",
    "difference",
    "difference_prop",
]

#: a subject total may differ from the sum of its (each rounded to 5) parts by this many people
#: per part, plus 1 % (DfE rounds every count independently)
ROUNDING_SLACK = 2.5


def number(text: str) -> float | None:
    """A published cell as a number, or None for a symbol, a blank or garbage."""
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def yag_of(text: str) -> int | None:
    """``"5 YAG"`` → 5."""
    head = text.strip().removesuffix("YAG").strip()
    return int(head) if head.isdigit() else None


def tax_year_of(time_period: str) -> str | None:
    """``"202223"`` → ``"2022-23"``."""
    text = time_period.strip()
    if len(text) != 6 or not text.isdigit() or (int(text[:4]) + 1) % 100 != int(text[4:]):
        return None
    return f"{text[:4]}-{text[4:]}"


def check_earnings(frame: Frame) -> None:
    """Subjects known, cohorts consistent with YAG, quartiles ordered, totals adding up."""
    if not frame.require_columns(EARNINGS_COLUMNS):
        return
    frame.check(
        "subject_name",
        lambda v: cah2_of(v) is not None,
        code="unknown-code",
        message="{value!r} is not a CAH2 subject name (or Total)",
    )
    frame.check(
        "time_period",
        lambda v: tax_year_of(v) is not None,
        code="bad-format",
        message="{value!r} is not a tax year such as 202223",
    )
    frame.check_unique("time_period", "YAG", "sex", "subject_name")
    bad: list[tuple[int, str, str]] = []
    rows = frame.rows(
        "time_period",
        "academic_year",
        "YAG",
        "grads",
        "earnings_include",
        "earnings_LQ",
        "earnings_median",
        "earnings_UQ",
        "sust_emp_fs_or_both",
    )
    for i, (period, cohort, yag_text, grads, incl, lq, median, uq, rate) in enumerate(rows):
        yag = yag_of(yag_text)
        if yag is not None and period[:4].isdigit() and cohort[:4].isdigit():
            # the cohort graduating in academic year Y/Y+1 is YAG years on in tax year T/T+1
            if (
                int(period[:4]) - int(cohort[:4]) != yag + 1
                and int(period[:4]) - int(cohort[:4]) != yag
            ):
                bad.append((i, "academic_year", f"cohort {cohort} is not {yag} YAG in {period}"))
        q = [number(lq), number(median), number(uq)]
        if all(x is not None for x in q) and not (q[0] <= q[1] <= q[2]):  # type: ignore[operator]
            bad.append((i, "earnings_median", f"quartiles not ordered: {lq}, {median}, {uq}"))
        g, n = number(grads), number(incl)
        if g is not None and n is not None and n > g:
            bad.append((i, "earnings_include", f"{incl} graduates with earnings > {grads} in all"))
        r = number(rate)
        if r is not None and not 0 <= r <= 100:
            bad.append((i, "sust_emp_fs_or_both", f"{rate} is not a percentage"))
    frame.report_rows(bad, code="inconsistent")
    _check_totals(frame)


def _check_totals(frame: Frame) -> None:
    """Subject rows sum to the Total row (and female + male to Total) within rounding."""
    parts: dict[tuple[str, str, str], float] = defaultdict(float)
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    totals: dict[tuple[str, str, str], tuple[int, float]] = {}
    sexes: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    total_rows: dict[tuple[str, str, str], int] = {}
    for i, (period, yag, sex, name, grads) in enumerate(
        frame.rows("time_period", "YAG", "sex", "subject_name", "grads")
    ):
        value = number(grads)
        if value is None:
            continue
        sexes[(period, yag, name)][sex] = value
        if sex == "Total":
            total_rows[(period, yag, name)] = i
        if cah2_of(name) == ALL_SUBJECTS:
            totals[(period, yag, sex)] = (i, value)
        else:
            parts[(period, yag, sex)] += value
            counts[(period, yag, sex)] += 1
    bad: list[tuple[int, str, str]] = []
    for key, (i, total) in totals.items():
        if key in parts and abs(parts[key] - total) > ROUNDING_SLACK * counts[key] + total / 100:
            bad.append((i, "grads", f"subjects sum to {parts[key]:,.0f}, Total is {total:,.0f}"))
    for key, by_sex in sexes.items():
        if {"Female", "Male", "Total"} <= set(by_sex):
            gap = abs(by_sex["Female"] + by_sex["Male"] - by_sex["Total"])
            if gap > 0.05 * by_sex["Total"] + 10:
                message = f"{key[2]}: female + male differ from total by {gap:,.0f}"
                bad.append((total_rows[key], "grads", message))
    frame.report_rows(bad, code="inconsistent-total", severity="warning")


def check_industry(frame: Frame) -> None:
    if not frame.require_columns(INDUSTRY_COLUMNS):
        return
    frame.check(
        "subject_name",
        lambda v: cah2_of(v) is not None,
        code="unknown-code",
        message="{value!r} is not a CAH2 subject name (or All)",
    )
    frame.check_unique("YAG", "region", "SECTIONNAME", "subject_name")
