"""Checks on the O*NET Occupation Data file."""

from __future__ import annotations

from lmi.checks import Frame

__all__ = ["ONET_CODE_PATTERN", "OCCUPATION_COLUMNS", "check_occupations"]

#: an O*NET-SOC 2019 code: the US SOC 2018 code and a 2-digit suffix, ``15-1252.00``
ONET_CODE_PATTERN = r"\d\d-\d{4}\.\d\d"
OCCUPATION_COLUMNS = ["O*NET-SOC Code", "Title", "Description"]


def check_occupations(frame: Frame) -> None:
    if not frame.require_columns(OCCUPATION_COLUMNS):
        return
    frame.check_pattern("O*NET-SOC Code", ONET_CODE_PATTERN, what="an O*NET-SOC code")
    frame.check_unique("O*NET-SOC Code")
    frame.check_not_blank("Title")
    frame.check_not_blank("Description", severity="warning")
