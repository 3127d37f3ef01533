"""Format specifications of the ITL code lists (validator and docs)."""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = ["ITL1_SPEC", "ITL2_SPEC", "ITL3_SPEC"]

ITL1_SPEC = FileSpec(
    columns=(
        Column("itl121cd", "code", "ITL1 code", r"TL[C-N]", blank=False),
        Column("itl121nm", "text", "ITL1 name", blank=False),
        Column("rgn23cd_if_english_region", "code", "RGN23 code of an English region", r"E12\d{6}"),
        Column(
            "country",
            "code",
            "UK country",
            values=("England", "Wales", "Scotland", "Northern Ireland"),
            blank=False,
        ),
    ),
    key=("itl121cd",),
    min_rows=12,
)

ITL2_SPEC = FileSpec(
    columns=(
        Column("itl221cd", "code", "ITL2 code", r"TL[C-N][0-9A-Z]", blank=False),
        Column("itl221nm", "text", "ITL2 name", blank=False),
        Column("itl121cd", "code", "parent ITL1 code", r"TL[C-N]", blank=False),
    ),
    key=("itl221cd",),
)

ITL3_SPEC = FileSpec(
    columns=(
        Column("itl321cd", "code", "ITL3 code", r"TL[C-N][0-9A-Z]{2}", blank=False),
        Column("itl321nm", "text", "ITL3 name", blank=False),
        Column("itl221cd", "code", "parent ITL2 code", r"TL[C-N][0-9A-Z]", blank=False),
    ),
    key=("itl321cd",),
    ignored=("itl121cd",),
)
