"""Format specification of the APS T09a CSV (validator and docs/datasets.md)."""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = ["DERIVED_SPEC", "NOMIS_TEXT_SPEC", "NOMIS_SYMBOLS"]

NOMIS_SYMBOLS = (
    (
        "!",
        "estimate and confidence interval not available: group sample size zero or "
        "disclosive (0–2)",
    ),
    ("~", "estimate is less than 500"),
)
CONF_SYMBOLS = (
    ("*", "estimate and confidence interval unreliable: group sample size small (3–9)"),
    ("!", "not available (as the estimate)"),
)

DERIVED_SPEC = FileSpec(
    columns=(
        Column(
            "year", "integer", "calendar year of the APS period (Jan–Dec)", r"20\d\d", blank=False
        ),
        Column("cell", "code", "Nomis cell id", r"T09a:\d{1,3}", blank=False),
        Column(
            "population",
            "code",
            "people counted",
            values=("All people", "Males", "Females"),
            blank=False,
        ),
        Column(
            "soc2010_sub_major_title",
            "text",
            "SOC 2010 sub-major group title (no code in the source: joined on title)",
            blank=False,
        ),
        Column(
            "working_pattern",
            "code",
            "full or part time",
            values=("All people", "Full-time", "Part-time"),
            blank=False,
        ),
        Column("area_type", "code", "kind of area", values=("country", "lep"), blank=False),
        Column("area", "text", "England or a Local Enterprise Partnership (2021)", blank=False),
        Column(
            "value",
            "integer",
            "people in employment",
            unit="people",
            symbols=NOMIS_SYMBOLS,
            blank=False,
        ),
        Column(
            "conf_95",
            "integer",
            "95 % confidence interval (±)",
            unit="people",
            symbols=CONF_SYMBOLS,
            blank=False,
        ),
    ),
    key=("year", "population", "soc2010_sub_major_title", "working_pattern", "area_type", "area"),
    min_rows=225,
    notes=(
        "ONS Annual Population Survey table T09a (Nomis), stacked: one row per year × cell "
        "(25 SOC 2010 sub-major groups × all / full-time / part-time × all / males / females) "
        "× area (England and 38 LEPs, 2021 geography). Values rounded to 100 by Nomis."
    ),
)

#: byte-level checks of the original Nomis download (it is not a one-header table)
NOMIS_TEXT_SPEC = FileSpec(columns=(), format="csv")
