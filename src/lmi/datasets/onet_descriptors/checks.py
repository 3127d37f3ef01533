"""Checks shared by the O*NET descriptor files: codes, numbers, flags and scales.

Every check reports the file line and column of each bad value (see :class:`lmi.checks.Frame`)
and returns nothing: a loader writes rows only when its frame has no errors.
"""

from __future__ import annotations

import math

from lmi.checks import Frame
from lmi.datasets.base import LoadContext
from lmi.datasets.onet.checks import ONET_CODE_PATTERN

__all__ = [
    "MISSING",
    "check_flags",
    "check_numbers",
    "check_onet_codes",
    "check_range",
    "flag",
    "integer",
    "known_onet_codes",
    "number",
]

#: how O*NET's text files write a missing value
MISSING = frozenset({"", "n/a"})
FLAGS = frozenset({"Y", "N"})


def number(raw: str) -> float | None:
    value = raw.strip()
    return None if value in MISSING else float(value)


def integer(raw: str) -> int | None:
    value = number(raw)
    return None if value is None else int(value)


def flag(raw: str) -> bool | None:
    value = raw.strip()
    return None if value in MISSING else value == "Y"


def known_onet_codes(ctx: LoadContext) -> set[str]:
    """The O*NET-SOC codes of ``onet_occupations`` in the release being built."""
    rows = ctx.tx.execute(
        "SELECT onet_code FROM onet_occupations WHERE release_id = :r", {"r": ctx.release_id}
    ).rows
    if not rows:
        ctx.problem("error", "missing-dependency", "onet_occupations has no rows in this release")
    return {code for (code,) in rows}


def check_onet_codes(frame: Frame, column: str, known: set[str]) -> None:
    """Well-formed O*NET-SOC codes that are occupations of the release's Occupation Data."""
    bad = set(frame.check_pattern(column, ONET_CODE_PATTERN, what="an O*NET-SOC code"))
    values = frame.columns[column]
    unknown = [
        (i, column, f"{values[i]!r} is not an occupation of O*NET Occupation Data")
        for i in range(frame.height)
        if i not in bad and values[i] not in known
    ]
    frame.report_rows(unknown, code="unknown-onet-code")


def _is_number(raw: str, *, optional: bool, whole: bool) -> bool:
    value = raw.strip()
    if value in MISSING:
        return optional
    try:
        parsed = float(value)
    except ValueError:
        return False
    return math.isfinite(parsed) and (not whole or parsed.is_integer())


def check_numbers(
    frame: Frame, column: str, *, optional: bool = False, whole: bool = False
) -> list[int]:
    """Values that are numbers (``n/a`` and blank allowed when ``optional``)."""
    what = "a whole number" if whole else "a number"
    return frame.check(
        column,
        lambda v: _is_number(v, optional=optional, whole=whole),
        code="not-a-number",
        message=f"{{value!r}} is not {what}" + (" or n/a" if optional else ""),
    )


def check_range(
    frame: Frame,
    value_column: str,
    scale_column: str | None,
    ranges: dict[str, tuple[float, float]],
) -> None:
    """Numeric values within their scale's minimum and maximum (O*NET Scales Reference)."""
    values = frame.columns[value_column]
    scales = frame.columns[scale_column] if scale_column else [""] * frame.height
    findings: list[tuple[int, str, str]] = []
    for i, (raw, scale) in enumerate(zip(values, scales, strict=True)):
        bounds = ranges.get(scale) or ranges.get("")
        if bounds is None or not _is_number(raw, optional=False, whole=False):
            continue
        if not bounds[0] <= float(raw) <= bounds[1]:
            where = f"the {scale} range" if scale else "the allowed range"
            message = f"{raw.strip()!r} is outside {where} {bounds[0]:g}–{bounds[1]:g}"
            findings.append((i, value_column, message))
    frame.report_rows(findings, code="out-of-range")


def check_flags(frame: Frame, column: str) -> None:
    frame.check(
        column,
        lambda v: v.strip() in FLAGS or v.strip() in MISSING,
        code="bad-flag",
        message="{value!r} is not Y, N or n/a",
    )
