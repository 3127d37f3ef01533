"""Checks on the SIC 2007 structure: codes per level, parents, fixed counts, text lists."""

from __future__ import annotations

import ast
import re

from lmi.checks import Frame

__all__ = [
    "CODE_PATTERNS",
    "SIC2007_COUNTS",
    "STRUCTURE_COLUMNS",
    "check_structure",
    "parent_of",
    "parse_text_list",
]

STRUCTURE_COLUMNS = ["section", "level", "code", "title", "detail", "includes", "excludes"]

#: UK SIC 2007 as published: 21 sections … 191 subclasses; the classification is fixed
SIC2007_COUNTS = {"section": 21, "division": 88, "group": 272, "class": 615, "subclass": 191}

CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    "section": re.compile(r"[A-U]"),
    "division": re.compile(r"\d\d"),
    "group": re.compile(r"\d\d\.\d"),
    "class": re.compile(r"\d\d\.\d\d"),
    "subclass": re.compile(r"\d\d\.\d\d/\d"),
}


def parent_of(code: str, level: str, section: str) -> str | None:
    """Division → its section; group → division; class → group; subclass → class."""
    if level == "section":
        return None
    if level == "division":
        return section
    return {"group": code[:2], "class": code[:4], "subclass": code[:5]}[level]


def parse_text_list(value: str) -> list[str] | None:
    """The file's lists (``['growing of rice, see ##01.12', …]``, a Python literal) or None."""
    if value.strip() == "":
        return []
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
        return parsed
    return None


def check_structure(frame: Frame) -> None:
    if not frame.require_columns(STRUCTURE_COLUMNS):
        return
    frame.check_in("level", set(SIC2007_COUNTS), what="a SIC 2007 level")
    frame.check(
        "code",
        lambda v: any(p.fullmatch(v) for p in CODE_PATTERNS.values()),
        code="bad-format",
        message="{value!r} is not a SIC 2007 code",
    )
    frame.check_unique("code")
    frame.check_not_blank("title")
    for column in ("includes", "excludes"):
        frame.check(
            column,
            lambda v: parse_text_list(v) is not None,
            code="bad-format",
            message="not a list of strings",
        )
    _check_hierarchy(frame)
    _check_counts(frame)


def _check_hierarchy(frame: Frame) -> None:
    """Each code has the form of its level, and its parent exists in the same section."""
    section_of = dict(zip(frame.columns["code"], frame.columns["section"], strict=True))
    bad: list[tuple[int, str, str]] = []
    for i, (code, level, section) in enumerate(frame.rows("code", "level", "section")):
        pattern = CODE_PATTERNS.get(level)
        if pattern is None:
            continue
        if not pattern.fullmatch(code):
            bad.append((i, "level", f"code {code!r} does not have the form of a {level}"))
            continue
        parent = parent_of(code, level, section)
        if level == "section" and section != code:
            bad.append((i, "section", f"section {code!r} has section {section!r}"))
        elif parent is not None and section_of.get(parent) != section:
            bad.append((i, "section", f"{level} {code!r} has no parent {parent!r} in {section}"))
    frame.report_rows(bad, code="bad-parent")


def _check_counts(frame: Frame) -> None:
    frame.check_counts("level", SIC2007_COUNTS, what="SIC 2007")
