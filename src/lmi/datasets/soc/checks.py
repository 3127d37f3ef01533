"""Checks on SOC files: fixed structure, valid codes, descriptions and index entries."""

from __future__ import annotations

import json

from lmi.checks import Frame

__all__ = ["FILE_LEVELS", "check_index_codes", "check_json_lists", "check_structure"]

#: level names used in the published structure files, by number of digits
FILE_LEVELS: dict[int, str] = {1: "major", 2: "sub_major", 3: "minor", 4: "unit"}

CODE_PATTERN = r"[1-9]\d{0,3}"


def check_structure(frame: Frame, expected_counts: dict[str, int]) -> None:
    """Codes of 1–4 digits, level matching the digits, parents present, counts as published."""
    if not frame.require_columns(["code", "level", "title", "parent_code"]):
        return
    frame.check_pattern("code", CODE_PATTERN, what="a SOC code of 1 to 4 digits")
    frame.check_unique("code")
    frame.check_not_blank("title")
    codes = frame.columns["code"]
    frame.check(
        "level",
        lambda v: v in FILE_LEVELS.values(),
        code="unknown-code",
        message="{value!r} is not a SOC level",
    )
    frame.report_rows(
        [
            (i, "level", f"code {code!r} has level {level!r}")
            for i, (code, level) in enumerate(frame.rows("code", "level"))
            if FILE_LEVELS.get(len(code)) != level
        ],
        code="level-mismatch",
    )
    known = set(codes)
    frame.report_rows(
        [
            (i, "parent_code", f"code {code!r} has parent {parent!r}")
            for i, (code, parent) in enumerate(frame.rows("code", "parent_code"))
            if len(code) > 1 and (parent != code[:-1] or parent not in known)
        ],
        code="bad-parent",
    )
    frame.check_counts("level", expected_counts, what="SOC")


def check_json_lists(frame: Frame, *columns: str) -> None:
    for column in columns:
        frame.check(
            column,
            _is_json_list,
            code="bad-format",
            message="not a JSON list of strings",
        )


def check_index_codes(frame: Frame, column: str, unit_groups: set[str]) -> None:
    """Index entries code to a known unit group, or are ``}}}}`` cross-references."""
    frame.check(
        column,
        lambda v: v in unit_groups or v == "}}}}",
        code="unknown-code",
        message="{value!r} is not a unit group of this classification",
    )


def _is_json_list(value: str) -> bool:
    if value.strip() == "":
        return True
    try:
        parsed = json.loads(value)
    except ValueError:
        return False
    return isinstance(parsed, list) and all(isinstance(item, str) for item in parsed)
