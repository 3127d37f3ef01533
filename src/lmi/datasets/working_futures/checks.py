"""Checks on the Working Futures CSV: codes, numbers, sums (report, never raise)."""

from __future__ import annotations

import math
import re

from lmi.checks import Frame
from lmi.datasets.working_futures.formats import EMPLOYMENT_YEARS

__all__ = ["CSV_COLUMNS", "NUMERIC", "check_csv", "number"]

NUMERIC = [f"emp_{y}" for y in EMPLOYMENT_YEARS] + [
    "net_change_2020_2035",
    "replacement_demand_2020_2035",
    "total_requirement_2020_2035",
]
CSV_COLUMNS = ["area", "sex", "soc2020_sub_major", "title", *NUMERIC]
_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
#: relative tolerance of the published identities (sums of rounded model output)
TOLERANCE = 0.002


def number(raw: str) -> float | None:
    text = raw.strip()
    if _NUMBER.fullmatch(text) is None:
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def check_csv(frame: Frame, sub_majors: dict[str, str]) -> None:
    """Occupation Table 2 as CSV: known SOC 2020 sub-major groups, numbers, identities.

    ``sub_majors`` maps the SOC 2020 sub-major codes of this release to their titles. Errors:
    missing columns, unknown codes, non-numbers, negative employment. Warnings: a title that
    differs from the SOC 2020 title, and identities of the workbook that do not hold
    (male + female = all; sub-major groups sum to all occupations; net change =
    2035 − 2020; total requirement = net change + replacement demand).
    """
    if not frame.require_columns(CSV_COLUMNS):
        return
    frame.check_in("area", {"England"}, what="England (the only area of this file)")
    frame.check_in("sex", {"all", "male", "female"}, what="all, male or female")
    frame.check_in("soc2020_sub_major", {"all", *sub_majors}, what="a SOC 2020 sub-major group")
    for column in NUMERIC:
        frame.check(
            column,
            lambda v: number(v) is not None,
            code="bad-number",
            message="{value!r} is not a number",
        )
    for column in NUMERIC[:-3] + ["replacement_demand_2020_2035"]:
        frame.check(
            column,
            lambda v: (number(v) or 0.0) >= 0,
            code="out-of-range",
            message="{value!r} is negative: employment cannot be",
        )
    frame.check_unique("sex", "soc2020_sub_major")
    if frame.has_errors:
        return
    _check_titles(frame, sub_majors)
    _check_identities(frame)


def _check_titles(frame: Frame, sub_majors: dict[str, str]) -> None:
    findings = []
    for i, (code, title) in enumerate(frame.rows("soc2020_sub_major", "title")):
        official = sub_majors.get(code)
        if official is not None and _words(official) != _words(title):
            findings.append((i, "title", f"{title!r} differs from the SOC 2020 title {official!r}"))
    frame.report_rows(findings, code="title-mismatch", severity="warning")


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _check_identities(frame: Frame) -> None:
    values: dict[tuple[str, str], dict[str, float]] = {}
    lines: dict[tuple[str, str], int] = {}
    for i, (sex, code) in enumerate(frame.rows("sex", "soc2020_sub_major")):
        values[(sex, code)] = {c: number(frame.columns[c][i]) or 0.0 for c in NUMERIC}
        lines[(sex, code)] = i
    findings: list[tuple[int, str, str]] = []
    codes = {code for _, code in values}
    for (sex, code), row in values.items():
        i = lines[(sex, code)]
        net = row["emp_2035"] - row["emp_2020"]
        if not _close(row["net_change_2020_2035"], net, scale=row["emp_2020"]):
            findings.append(
                (i, "net_change_2020_2035", f"net change is not emp_2035 − emp_2020 ({net:.3f})")
            )
        total = row["net_change_2020_2035"] + row["replacement_demand_2020_2035"]
        if not _close(row["total_requirement_2020_2035"], total, scale=row["emp_2020"]):
            findings.append(
                (
                    i,
                    "total_requirement_2020_2035",
                    f"total requirement is not net change + replacement demand ({total:.3f})",
                )
            )
        if sex == "all" and ("male", code) in values and ("female", code) in values:
            for column in NUMERIC:
                both = values[("male", code)][column] + values[("female", code)][column]
                if not _close(row[column], both, scale=row["emp_2020"]):
                    findings.append((i, column, f"all ≠ male + female ({both:.3f})"))
    for sex in ("all", "male", "female"):
        if (sex, "all") not in values:
            continue
        for column in NUMERIC:
            total = sum(
                values[(sex, c)][column] for c in codes if c != "all" and (sex, c) in values
            )
            published = values[(sex, "all")][column]
            if not _close(published, total, scale=values[(sex, "all")]["emp_2020"]):
                findings.append(
                    (
                        lines[(sex, "all")],
                        column,
                        f"sub-major groups sum to {total:.3f}, not to all occupations",
                    )
                )
    frame.report_rows(findings, code="inconsistent", severity="warning")


def _close(a: float, b: float, *, scale: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(scale), 1.0)
