"""Format specifications of the ISCO-08 and BLS crosswalk files (validator and docs)."""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = ["BLS_2018_SPEC", "BLS_ISCO_SPEC", "STRUCTURE_SPEC"]

US_SOC = r"\s*\d\d-\d{4}\s*"

STRUCTURE_SPEC = FileSpec(
    columns=(
        Column("isco08", "code", "ISCO-08 code of 1 to 4 digits", r"\d{1,4}", blank=False),
        Column(
            "level", "code", "level", values=("major", "sub_major", "minor", "unit"), blank=False
        ),
        Column("title", "text", "title", blank=False),
        Column("parent", "code", "parent code; blank for major groups", r"\d{1,3}"),
    ),
    key=("isco08",),
)

BLS_ISCO_SPEC = FileSpec(
    columns=(
        Column(
            "ISCO-08 Code",
            "code",
            "ISCO-08 code (spaces around it are ignored)",
            r"\s*\d{3,4}\s*",
            blank=False,
        ),
        Column("ISCO-08 Title EN", "text", "ISCO-08 title"),
        Column("part", "code", "`*` marks a partial match", values=("*",)),
        Column("2010 SOC Code", "code", "US SOC 2010 code", US_SOC, blank=False),
        Column("2010 SOC Title", "text", "US SOC 2010 title", blank=False),
    ),
    notes="Other columns (the BLS comment column) are ignored.",
    ignored=("Comment 8/17/11",),
)

BLS_2018_SPEC = FileSpec(
    columns=(
        Column("2010 SOC Code", "code", "US SOC 2010 code", US_SOC, blank=False),
        Column("2010 SOC Title", "text", "title; `(#)` marks a split code"),
        Column("2018 SOC Code", "code", "US SOC 2018 code", US_SOC, blank=False),
        Column("2018 SOC Title", "text", "title; `(##)` marks a merged code", blank=False),
    ),
)
