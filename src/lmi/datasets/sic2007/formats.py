"""Format specification of the SIC 2007 structure file (validator and docs)."""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = ["STRUCTURE_SPEC"]

STRUCTURE_SPEC = FileSpec(
    columns=(
        Column("section", "code", "section letter", r"[A-U]", blank=False),
        Column(
            "level",
            "code",
            "level",
            values=("section", "division", "group", "class", "subclass"),
            blank=False,
        ),
        Column(
            "code",
            "code",
            "`A`, `01`, `01.1`, `01.11` or `01.11/1` by level",
            r"[A-U]|\d\d(\.\d(\d(/\d)?)?)?",
            blank=False,
        ),
        Column("title", "text", "title", blank=False),
        Column("detail", "text", "ONS notes; `<BR>` line breaks, `##` before cited codes"),
        Column("includes", "list", "Python list literal of strings"),
        Column("excludes", "list", "Python list literal of strings"),
    ),
    key=("code",),
    notes="Other columns (`key`, `code_digits`) are ignored.",
    ignored=(
        "key",
        "code_digits",
    ),
)
