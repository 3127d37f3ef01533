"""Checks on the ISCO-08 structure and the BLS crosswalk files."""

from __future__ import annotations

from lmi.checks import Frame

__all__ = [
    "FILE_LEVELS",
    "ISCO08_COUNTS",
    "US_SOC_PATTERN",
    "check_isco_structure",
    "check_us_soc_codes",
]

#: level names used in the structure file, by number of digits
FILE_LEVELS: dict[int, str] = {1: "major", 2: "sub_major", 3: "minor", 4: "unit"}
#: ISCO-08 as published by the ILO: 10 major … 436 unit groups
ISCO08_COUNTS = {"major": 10, "sub_major": 43, "minor": 130, "unit": 436}
#: a US SOC detailed occupation, ``15-1132``
US_SOC_PATTERN = r"\d\d-\d{4}"


def check_isco_structure(frame: Frame) -> None:
    """Codes of 1–4 digits, level matching the digits, parents present, counts as published."""
    if not frame.require_columns(["isco08", "level", "title", "parent"]):
        return
    frame.check_pattern("isco08", r"\d{1,4}", what="an ISCO-08 code of 1 to 4 digits")
    frame.check_unique("isco08")
    frame.check_not_blank("title")
    frame.check(
        "level",
        lambda v: v in FILE_LEVELS.values(),
        code="unknown-code",
        message="{value!r} is not an ISCO-08 level",
    )
    _check_levels_and_parents(frame)
    frame.check_counts("level", ISCO08_COUNTS, what="ISCO-08")


def check_us_soc_codes(frame: Frame, *columns: str) -> None:
    for column in columns:
        frame.check_pattern(column, US_SOC_PATTERN, what="a US SOC code like 15-1132")


def _check_levels_and_parents(frame: Frame) -> None:
    codes = frame.columns["isco08"]
    known = set(codes)
    levels: list[tuple[int, str, str]] = []
    parents: list[tuple[int, str, str]] = []
    for i, (code, level, parent) in enumerate(frame.rows("isco08", "level", "parent")):
        if level in FILE_LEVELS.values() and FILE_LEVELS.get(len(code)) != level:
            levels.append((i, "level", f"code {code!r} has level {level!r}"))
        expected = code[:-1] if len(code) > 1 else ""
        if parent != expected or (parent and parent not in known):
            parents.append((i, "parent", f"code {code!r} has parent {parent!r}"))
    frame.report_rows(levels, code="level-mismatch")
    frame.report_rows(parents, code="bad-parent")
