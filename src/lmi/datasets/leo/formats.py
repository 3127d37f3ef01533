"""Format specifications of the LEO files (validator and docs/datasets.md)."""

from __future__ import annotations

from lmi.checks.spec import PAY, PERCENT, Column, FileSpec
from lmi.datasets.leo.codes import CAH2_NAMES, REGION_OF_NAME, SECTION_OF_NAME

__all__ = ["DFE_SYMBOLS", "EARNINGS_SPEC", "INDUSTRY_SPEC"]

#: DfE (Explore Education Statistics) symbols: each keeps its own meaning
DFE_SYMBOLS = (
    ("c", "suppressed: small numbers (disclosure control)"),
    ("z", "not applicable"),
    ("x", "not available"),
    ("low", "rounds to zero but is not zero"),
    ("u", "low reliability"),
)

EARNINGS_SPEC = FileSpec(
    columns=(
        Column(
            "time_period", "code", "tax year as YYYYYY (202223 = 2022-23)", r"\d{6}", blank=False
        ),
        Column("academic_year", "code", "graduating cohort", r"\d{4}/\d{4}", blank=False),
        Column(
            "YAG",
            "code",
            "years after graduation",
            values=("1 YAG", "3 YAG", "5 YAG", "10 YAG"),
            blank=False,
        ),
        Column("sex", "code", "sex", values=("Female", "Male", "Total"), blank=False),
        Column(
            "subject_name",
            "code",
            "CAH2 subject name as DfE publishes it, or Total",
            values=(*CAH2_NAMES.values(), "Total"),
            blank=False,
        ),
        Column("grads", "integer", "graduates", unit="people (rounded to 5)", symbols=DFE_SYMBOLS),
        Column(
            "earnings_include",
            "integer",
            "graduates included in the earnings figures",
            unit="people (rounded to 5)",
            symbols=DFE_SYMBOLS,
        ),
        Column(
            "earnings_LQ",
            "number",
            "lower quartile of earnings",
            unit="£ a year (to £100)",
            plausible=PAY,
            symbols=DFE_SYMBOLS,
        ),
        Column(
            "earnings_median",
            "number",
            "median earnings",
            unit="£ a year (to £100)",
            plausible=PAY,
            symbols=DFE_SYMBOLS,
        ),
        Column(
            "earnings_UQ",
            "number",
            "upper quartile of earnings",
            unit="£ a year (to £100)",
            plausible=PAY,
            symbols=DFE_SYMBOLS,
        ),
        Column(
            "sust_emp_fs_or_both",
            "number",
            "in sustained employment, further study or both",
            unit="%",
            plausible=PERCENT,
            symbols=DFE_SYMBOLS,
        ),
    ),
    key=("time_period", "YAG", "sex", "subject_name"),
    min_rows=100,
    notes=(
        "Third-party extract of DfE's LEO Graduate and Postgraduate Outcomes (2022-23 tax year), "
        "UK-domiciled first-degree graduates, national level: one row per CAH2 subject (or "
        "Total) × sex × YAG. Earnings are nominal; DfE symbols are kept distinct (`c` "
        "suppressed, `z` not applicable, `x` not available)."
    ),
)

_INDUSTRY_SYMBOLS = (("NA", "no data (not available)"),)

INDUSTRY_SPEC = FileSpec(
    columns=(
        Column("", "integer", "row number written by R"),
        Column("YAG", "code", "years after graduation", values=("1", "3", "5", "10"), blank=False),
        Column("region", "code", "English region", values=tuple(REGION_OF_NAME), blank=False),
        Column(
            "SECTIONNAME",
            "code",
            "SIC 2007 section name (upper case)",
            values=tuple(SECTION_OF_NAME),
            blank=False,
        ),
        Column(
            "trained_in_region",
            "integer",
            "graduates who studied in the region",
            unit="people",
            symbols=_INDUSTRY_SYMBOLS,
        ),
        Column(
            "number_of_providers", "integer", "providers in the region", symbols=_INDUSTRY_SYMBOLS
        ),
        Column(
            "subject_name",
            "code",
            "CAH2 subject name, or All",
            values=(*CAH2_NAMES.values(), "All"),
            blank=False,
        ),
        Column(
            "living_in_region",
            "integer",
            "graduates living in the region",
            unit="people",
            symbols=_INDUSTRY_SYMBOLS,
        ),
        Column(
            "earnings_median",
            "number",
            "median earnings; -10000 = suppressed",
            unit="£ a year",
            symbols=_INDUSTRY_SYMBOLS,
        ),
        Column("difference", "number", "living − trained", symbols=_INDUSTRY_SYMBOLS),
        Column(
            "difference_prop",
            "number",
            "difference ÷ trained",
            symbols=(*_INDUSTRY_SYMBOLS, ("Inf", "division by zero")),
        ),
    ),
    key=("YAG", "region", "SECTIONNAME", "subject_name"),
    min_rows=1000,
    notes=(
        "DfE LEO graduate industry dashboard map data (tax year 2019-20, as published in "
        "dfe-analytical-services/leo-graduate-industry-dashboard). `-10000` in "
        "`earnings_median` is DfE's suppression sentinel and is stored as `c`."
    ),
)
