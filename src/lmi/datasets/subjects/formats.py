"""Format specifications of the subject files (validator and docs)."""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = ["CAH_SPEC", "HECOS_SPEC", "ILR_SPEC", "JACS_SPEC"]

CAH_SPEC = FileSpec(
    columns=(
        Column(
            "cah_code",
            "code",
            "`25`, `25-01` or `25-01-03` by level",
            r"\d\d(-\d\d(-\d\d)?)?",
            blank=False,
        ),
        Column("level", "code", "CAH level", values=("1", "2", "3"), blank=False),
        Column("cah_label", "text", "label", blank=False),
        Column("parent", "code", "parent code; blank for CAH1", r"\d\d(-\d\d)?"),
    ),
    key=("cah_code",),
)

HECOS_SPEC = FileSpec(
    columns=(
        Column("HECoS_Code", "code", "6-digit HECoS code", r"\d{6}", blank=False),
        Column("HECoS_Label", "text", "label", blank=False),
        Column("CAH3_Code", "code", "CAH3 code", r"\d\d-\d\d-\d\d", blank=False),
    ),
    key=("HECoS_Code",),
    notes="HESA's file starts with a UTF-8 byte-order mark. Other columns are ignored.",
    ignored=(
        "CAH3_Label",
        "CAH2_Code",
        "CAH2_Label",
        "CAH1_Code",
        "CAH1_Label",
    ),
)

JACS_SPEC = FileSpec(
    columns=(
        Column(
            "area_code_per_principal_codes_website",
            "code",
            "subject area",
            r"[1-9A-J]",
            blank=False,
        ),
        Column("JACS_3.0_subject_area", "text", "subject area label", blank=False),
        Column("principal_code", "code", "principal subject", r"[A-Z]\d", blank=False),
        Column("JACS_3.0_principal_subject", "text", "principal subject label", blank=False),
        Column("detailed_code", "code", "detailed subject", r"[A-Z]\d{3}", blank=False),
        Column("JACS_3.0_detailed_subject", "text", "detailed subject label", blank=False),
    ),
    key=("detailed_code",),
    notes="Other columns are ignored.",
    ignored=(
        "area_code_per_detailed_codes_website",
        "area_per_detailed_codes_website",
        "flatJACS_3.0_detailed_subject",
    ),
)

ILR_SPEC = FileSpec(
    columns=(
        Column(
            "JACS", "code", "JACS detailed code; blank rows are skipped (warning)", r"[A-Z]\d{3}"
        ),
        Column(
            "CAH3 code",
            "code",
            "CAH3 code, with or without a `CAH` prefix",
            r"(CAH)?\d\d-\d\d-\d\d",
        ),
        Column("CAH3 name", "text", "CAH3 label"),
    ),
    notes="Other columns are ignored.",
    ignored=("JACS specific title",),
)
