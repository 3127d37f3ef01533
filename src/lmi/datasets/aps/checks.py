"""Checks on the APS T09a CSV: SOC 2010 titles, symbols, full + part time = all (warnings)."""

from __future__ import annotations

import re

from lmi.checks import Frame

__all__ = ["COLUMNS", "POPULATIONS", "WORKING_PATTERNS", "check_derived", "title_key"]

COLUMNS = [
    "year",
    "cell",
    "population",
    "soc2010_sub_major_title",
    "working_pattern",
    "area_type",
    "area",
    "value",
    "conf_95",
]
POPULATIONS = {"All people": "all", "Males": "male", "Females": "female"}
WORKING_PATTERNS = {"All people": "all", "Full-time": "full-time", "Part-time": "part-time"}
VALUE = re.compile(r"\d+|[!~]")
CONF = re.compile(r"\d+|[!*]")
#: Nomis rounds estimates to 100: full-time + part-time may differ from all by rounding
ROUNDING = 200


def title_key(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().casefold()


def check_derived(frame: Frame, titles: dict[str, str]) -> None:
    """Every title a SOC 2010 sub-major group of this release (``titles``: key → code)."""
    if not frame.require_columns(COLUMNS):
        return
    frame.check_pattern("year", r"20\d\d", what="a year")
    frame.check_in("population", set(POPULATIONS), what="All people, Males or Females")
    frame.check_in(
        "working_pattern", set(WORKING_PATTERNS), what="All people, Full-time or Part-time"
    )
    frame.check_in("area_type", {"country", "lep"}, what="country or lep")
    frame.check(
        "soc2010_sub_major_title",
        lambda v: title_key(v) in titles,
        code="unknown-code",
        message="{value!r} is not the title of a SOC 2010 sub-major group",
    )
    frame.check(
        "value",
        lambda v: VALUE.fullmatch(v.strip()) is not None,
        code="bad-number",
        message="{value!r} is neither a whole number nor a Nomis symbol (!, ~)",
    )
    frame.check(
        "conf_95",
        lambda v: CONF.fullmatch(v.strip()) is not None,
        code="bad-number",
        message="{value!r} is neither a whole number nor a Nomis symbol (*, !)",
    )
    frame.check_unique("year", "population", "soc2010_sub_major_title", "working_pattern", "area")
    if not frame.has_errors:
        _check_parts(frame)


def _check_parts(frame: Frame) -> None:
    """Full-time + part-time ≤ all people (+ rounding), where all three are published.

    Full and part time can sum to less than all people (people who did not say), never to
    more: an excess beyond Nomis rounding is reported as a warning.
    """
    cells: dict[tuple[str, ...], tuple[int, int]] = {}
    for i, (year, pop, title, pattern, area, value) in enumerate(
        frame.rows(
            "year", "population", "soc2010_sub_major_title", "working_pattern", "area", "value"
        )
    ):
        if value.isdigit():
            cells[(year, pop, title, area, pattern)] = (i, int(value))
    findings = []
    for (year, pop, title, area, pattern), (i, people) in cells.items():
        if pattern != "All people":
            continue
        full = cells.get((year, pop, title, area, "Full-time"))
        part = cells.get((year, pop, title, area, "Part-time"))
        if full is not None and part is not None and full[1] + part[1] - people > ROUNDING:
            both = full[1] + part[1]
            message = f"full-time + part-time = {both}, more than all people ({people})"
            findings.append((i, "value", message))
    frame.report_rows(findings, code="inconsistent", severity="warning")
