"""Checks on the subject files: CAH hierarchy, HECoS → CAH3, JACS 3.0 and JACS → CAH3."""

from __future__ import annotations

import re

from lmi.checks import Frame

__all__ = [
    "CAH_COLUMNS",
    "CAH_PATTERNS",
    "HECOS_COLUMNS",
    "ILR_COLUMNS",
    "JACS_COLUMNS",
    "check_cah",
    "check_hecos",
    "check_ilr",
    "check_jacs",
]

CAH_COLUMNS = ["cah_code", "level", "cah_label", "parent"]
HECOS_COLUMNS = ["HECoS_Code", "HECoS_Label", "CAH3_Code"]
JACS_COLUMNS = [
    "area_code_per_principal_codes_website",
    "JACS_3.0_subject_area",
    "principal_code",
    "JACS_3.0_principal_subject",
    "detailed_code",
    "JACS_3.0_detailed_subject",
]
ILR_COLUMNS = ["JACS", "CAH3 code", "CAH3 name"]

#: CAH code form by level of the hierarchy file (1, 2, 3)
CAH_PATTERNS = {
    "1": re.compile(r"\d\d"),
    "2": re.compile(r"\d\d-\d\d"),
    "3": re.compile(r"\d\d-\d\d-\d\d"),
}


def check_cah(frame: Frame) -> None:
    """CAH1 ``25``, CAH2 ``25-01``, CAH3 ``25-01-03``, each within its parent."""
    if not frame.require_columns(CAH_COLUMNS):
        return
    frame.check_in("level", set(CAH_PATTERNS), what="a CAH level (1, 2 or 3)")
    frame.check_unique("cah_code")
    frame.check_not_blank("cah_label")
    known = set(frame.columns["cah_code"])
    bad: list[tuple[int, str, str]] = []
    for i, (code, level, parent) in enumerate(frame.rows("cah_code", "level", "parent")):
        pattern = CAH_PATTERNS.get(level)
        if pattern is None:
            continue
        if not pattern.fullmatch(code):
            bad.append((i, "cah_code", f"{code!r} is not a CAH{level} code"))
        elif parent != (code[:-3] if level != "1" else "") or (parent and parent not in known):
            bad.append((i, "parent", f"{code!r} has parent {parent!r}"))
    _add_all(frame, bad)


def check_hecos(frame: Frame, cah3: set[str]) -> None:
    if not frame.require_columns(HECOS_COLUMNS):
        return
    frame.check_pattern("HECoS_Code", r"\d{6}", what="a 6-digit HECoS code")
    frame.check_unique("HECoS_Code")
    frame.check_not_blank("HECoS_Label")
    frame.check_in("CAH3_Code", cah3, what="a CAH3 code of the CAH hierarchy")


def check_jacs(frame: Frame) -> None:
    """Detailed ``A100`` within principal ``A1`` within a subject area ``1``…``9``, ``A``…``J``."""
    if not frame.require_columns(JACS_COLUMNS):
        return
    frame.check_pattern("detailed_code", r"[A-Z]\d{3}", what="a JACS 3.0 detailed code")
    frame.check_pattern("principal_code", r"[A-Z]\d", what="a JACS 3.0 principal code")
    frame.check_pattern(
        "area_code_per_principal_codes_website", r"[1-9A-J]", what="a JACS 3.0 subject area"
    )
    frame.check_unique("detailed_code")
    for column in (
        "JACS_3.0_subject_area",
        "JACS_3.0_principal_subject",
        "JACS_3.0_detailed_subject",
    ):
        frame.check_not_blank(column)
    _check_consistent(frame, "principal_code", "area_code_per_principal_codes_website")
    _check_consistent(frame, "principal_code", "JACS_3.0_principal_subject")
    _check_consistent(frame, "area_code_per_principal_codes_website", "JACS_3.0_subject_area")


def check_ilr(frame: Frame) -> None:
    """JACS → CAH3 pairs: one CAH3 per JACS code; blank rows are skipped with a warning."""
    if not frame.require_columns(ILR_COLUMNS):
        return
    frame.check(
        "JACS",
        lambda v: v.strip() != "",
        code="blank-value",
        message="row without a JACS code: skipped",
        severity="warning",
    )
    frame.check(
        "JACS",
        lambda v: v == "" or re.fullmatch(r"[A-Z]\d{3}", v) is not None,
        code="bad-format",
        message="{value!r} is not a JACS code",
    )
    frame.check(
        "CAH3 code",
        lambda v: v == "" or re.fullmatch(r"(CAH)?\d\d-\d\d-\d\d", v) is not None,
        code="bad-format",
        message="{value!r} is not a CAH3 code",
    )
    frame.check_unique("JACS")


def _check_consistent(frame: Frame, key: str, column: str) -> None:
    """Every row of one ``key`` has the same ``column`` (a parent code or a label)."""
    first: dict[str, str] = {}
    bad: list[tuple[int, str, str]] = []
    for i, (code, value) in enumerate(frame.rows(key, column)):
        seen = first.setdefault(code, value)
        if seen != value:
            bad.append((i, column, f"{key} {code!r} has {column} {value!r} and {seen!r}"))
    _add_all(frame, bad, code="inconsistent")


def _add_all(frame: Frame, bad: list[tuple[int, str, str]], *, code: str = "bad-parent") -> None:
    frame.report_rows(bad, code=code)
