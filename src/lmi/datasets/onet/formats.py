"""Format specification of O*NET ``Occupation Data.txt`` (validator and docs)."""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = ["OCCUPATION_DATA_SPEC"]

OCCUPATION_DATA_SPEC = FileSpec(
    columns=(
        Column("O*NET-SOC Code", "code", "O*NET-SOC 2019 code", r"\d\d-\d{4}\.\d\d", blank=False),
        Column("Title", "text", "occupation title", blank=False),
        Column("Description", "text", "occupation description"),
    ),
    format="tsv",
    key=("O*NET-SOC Code",),
    notes="O*NET's tab-delimited text format, without quoting; UTF-8 without BOM.",
)
