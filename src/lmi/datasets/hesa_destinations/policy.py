"""Disclosure-control policy of HESA Graduate Outcomes open data."""

from __future__ import annotations

from lmi.sdc.policy import Policy

__all__ = ["HESA_GO", "MIN_PERCENT_BASE"]

#: HESA does not show a percentage based on fewer people than this (unrounded)
MIN_PERCENT_BASE = 22.5

HESA_GO = Policy(
    name="hesa-go",
    version="1",
    description=(
        "HESA rounding methodology: counts rounded to the nearest 5 (0, 1 and 2 to 0); "
        "percentages not shown for populations under 22.5 (lmi serves a share only when the "
        "subject's rounded total is at least 25); `..` and `x` suppressed."
    ),
    count_unit="people",
    rounding={"count": 5},
    symbols={
        "..": ("suppressed_disclosure", "HESA: suppressed (population under 22.5)"),
        "x": ("suppressed_disclosure", "HESA: suppressed"),
        "": ("not_available", "blank in the source file"),
    },
    additive=("count",),
)
