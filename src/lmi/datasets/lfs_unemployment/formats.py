"""Format of the ONS "unemployment by previous occupation" table, as a tidy CSV.

ONS publishes LFS unemployment by the occupation of the last job (people who left it in the
last 8 years) by SOC major group, with levels in thousands and rates, by sex, age and area.
The file read here is that table in long form — one row per period × occupation × sex × age
band × area — with ONS's labels, GSS area codes and symbols kept as published.
"""

from __future__ import annotations

from lmi.checks.spec import PERCENT, Column, FileSpec
from lmi.datasets.lfs_unemployment.tables import AGE_BANDS, SEXES

__all__ = ["AREAS", "LFS_SPEC", "PERIOD", "SYMBOLS"]

PERIOD = r"(Jan-Mar|Apr-Jun|Jul-Sep|Oct-Dec|Jan-Dec) (19|20)\d\d"
SYMBOLS = (
    ("*", "ONS: sample too small for a reliable estimate (not shown)"),
    ("..", "ONS: not available"),
)
#: GSS codes accepted: UK, the four countries, the nine English regions
AREAS = {
    "K02000001": "United Kingdom",
    "E92000001": "England",
    "W92000004": "Wales",
    "S92000003": "Scotland",
    "N92000002": "Northern Ireland",
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}

LFS_SPEC = FileSpec(
    columns=(
        Column(
            "period",
            "code",
            "LFS period: a calendar quarter or the annual average (Jan-Dec)",
            PERIOD,
            blank=False,
        ),
        Column("soc_version", "code", "SOC version", values=("SOC2010", "SOC2020"), blank=False),
        Column(
            "occupation_code",
            "code",
            "SOC major (1 digit) or sub-major (2 digits) group of the last job; all = every "
            "occupation",
            r"\d{1,2}|all",
            blank=False,
        ),
        Column("occupation", "text", "group title as ONS writes it", blank=False),
        Column("sex", "code", "People, Men or Women", values=tuple(SEXES), blank=False),
        Column("age", "code", "age band", values=tuple(AGE_BANDS), blank=False),
        Column(
            "area_code",
            "code",
            "GSS code: UK, country or English region",
            values=tuple(AREAS),
            blank=False,
        ),
        Column("area", "text", "area name", blank=False),
        Column(
            "unemployed",
            "number",
            "unemployed people whose last job was in the occupation",
            unit="thousands",
            symbols=SYMBOLS,
            blank=False,
        ),
        Column(
            "economically_active",
            "number",
            "unemployed (last job in the occupation) + employed in the occupation",
            unit="thousands",
            symbols=SYMBOLS,
            blank=False,
        ),
        Column(
            "rate",
            "number",
            "unemployment rate: unemployed / economically active × 100",
            unit="%",
            symbols=SYMBOLS,
            plausible=PERCENT,
            blank=False,
        ),
    ),
    key=("period", "soc_version", "occupation_code", "sex", "age", "area_code"),
    min_rows=10,
    notes=(
        "ONS Labour Force Survey, unemployment by previous occupation (not seasonally "
        "adjusted), in long form: one row per period × occupation × sex × age band × area. "
        "Periods are calendar quarters (`Apr-Jun 2023`) or annual averages (`Jan-Dec 2023`); "
        "a year's figure is its Jan-Dec row, or else the mean of its four quarters. Levels in "
        "thousands, rates in per cent, with ONS's symbols. Rates of groups with fewer than "
        "10 thousand unemployed are served with caution."
    ),
)
