"""Checks on the ITL code lists: code forms, LMI for All's regions present, parents known."""

from __future__ import annotations

from lmi.checks import Frame
from lmi.checks.frame import MAX_PROBLEMS_PER_CHECK

__all__ = ["COUNTRIES", "check_itl1", "check_itl2", "check_itl3"]

COUNTRIES = {"England", "Wales", "Scotland", "Northern Ireland"}

ITL1_COLUMNS = ["itl121cd", "itl121nm", "rgn23cd_if_english_region", "country"]


def check_itl1(frame: Frame, lmi_regions: set[str]) -> None:
    """The 12 ITL1 regions LMI for All numbered, each once, with a name and a country."""
    if not frame.require_columns(ITL1_COLUMNS):
        return
    frame.check_in("itl121cd", lmi_regions, what="an ITL1 region with an LMI for All code")
    frame.check_unique("itl121cd")
    frame.check_not_blank("itl121nm")
    frame.check_in("country", COUNTRIES, what="a UK country")
    frame.check(
        "rgn23cd_if_english_region",
        lambda v: v == "" or (len(v) == 9 and v.startswith("E12") and v[3:].isdigit()),
        code="bad-format",
        message="{value!r} is not an English region code (E12…)",
    )
    missing = sorted(lmi_regions - set(frame.columns["itl121cd"]))
    for code in missing:
        frame._add(
            "error",
            "missing-code",
            f"ITL1 region {code} (LMI for All region) is missing",
            column="itl121cd",
        )


def check_itl2(frame: Frame, itl1: set[str]) -> None:
    if not frame.require_columns(["itl221cd", "itl221nm", "itl121cd"]):
        return
    frame.check_pattern("itl221cd", r"TL[C-N][0-9A-Z]", what="an ITL2 code like TLC1")
    frame.check_unique("itl221cd")
    frame.check_not_blank("itl221nm")
    frame.check_in("itl121cd", itl1, what="an ITL1 region of uk_itl1_2021.csv")
    _check_prefix(frame, "itl221cd", "itl121cd")


def check_itl3(frame: Frame, itl2: set[str]) -> None:
    if not frame.require_columns(["itl321cd", "itl321nm", "itl221cd"]):
        return
    frame.check_pattern("itl321cd", r"TL[C-N][0-9A-Z]{2}", what="an ITL3 code like TLC11")
    frame.check_unique("itl321cd")
    frame.check_not_blank("itl321nm")
    frame.check_in("itl221cd", itl2, what="an ITL2 area of uk_itl2_2021.csv")
    _check_prefix(frame, "itl321cd", "itl221cd")


def _check_prefix(frame: Frame, column: str, parent: str) -> None:
    """ITL codes nest: a code starts with the code of its parent."""
    bad = [i for i, (c, p) in enumerate(frame.rows(column, parent)) if not c.startswith(p)]
    for i in bad[:MAX_PROBLEMS_PER_CHECK]:
        frame._add(
            "error",
            "bad-parent",
            f"{frame.columns[column][i]!r} is not within {frame.columns[parent][i]!r}",
            row=frame.line(i),
            column=parent,
        )
