"""DfE LEO graduate outcomes: earnings by subject × sex × years after graduation, and by industry.

``leo_earnings`` holds one row per published cell of the DfE LEO table (2022-23 tax year,
UK-domiciled first-degree graduates, national level): CAH2 subject (or ``all``) × sex × years
after graduation (YAG). Every figure has a value column and a ``*_symbol`` column. The symbol is
NULL when the value was published, otherwise it keeps DfE's symbol exactly as published, so the
three kinds of missing figure stay distinct:

* ``c`` — suppressed (small numbers, disclosure control);
* ``z`` — not applicable (the figure cannot exist);
* ``x`` — not available (the figure exists but DfE does not publish it);

(``low`` and ``u``, DfE's "rounds to zero" and "low reliability" symbols, are kept too.) The
value column is NULL whenever a symbol is set. Counts are as published (rounded to 5), earnings
in £ a year (nominal, rounded to £100), the sustained-employment rate in per cent (0.1).

``leo_industry_region`` holds the DfE graduate industry dashboard cells (tax year 2019-20): YAG
× English region × SIC 2007 section × CAH2 subject (or ``all``), with graduates trained in and
living in the region and their median earnings. DfE's map data marks suppressed medians with
the sentinel ``-10000`` (kept as symbol ``c``) and missing ones with ``NA`` (symbol ``x``).
"""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = [
    "EARNINGS_FIGURES",
    "INDUSTRY_FIGURES",
    "SEXES",
    "YAGS",
    "leo_earnings",
    "leo_industry_region",
]

#: years after graduation published by DfE
YAGS = (1, 3, 5, 10)
#: sex codes (the LEO file's Female / Male / Total)
SEXES = ("female", "male", "all")

#: figure columns of ``leo_earnings`` (each has a ``<name>_symbol`` column)
EARNINGS_FIGURES = (
    "graduates",  # graduates in the cohort (rounded to 5)
    "earnings_included",  # graduates counted in the earnings figures (rounded to 5)
    "earnings_lq",  # lower quartile, £ a year
    "earnings_median",  # median, £ a year
    "earnings_uq",  # upper quartile, £ a year
    "sustained_rate",  # % in sustained employment, further study or both
)


def _figure(name: str, kind: type[sa.Float] | type[sa.Integer] = sa.Float) -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column(name, kind), sa.Column(f"{name}_symbol", sa.String(4))]


leo_earnings = release_table(
    "leo_earnings",
    sa.Column("tax_year", sa.String(7), primary_key=True),  # "2022-23"
    sa.Column("cah_code", sa.String(8), primary_key=True),  # CAH2 "11-01", or "all"
    sa.Column("sex", sa.String(6), primary_key=True),  # female | male | all
    sa.Column("yag", sa.Integer, primary_key=True),  # 1 | 3 | 5 | 10
    sa.Column("cah_level", sa.String(4), nullable=False),  # cah2 | all
    sa.Column("subject_name", sa.Text, nullable=False),  # as published
    sa.Column("academic_year", sa.String(9), nullable=False),  # graduating cohort "2016/2017"
    *_figure("graduates", sa.Integer),
    *_figure("earnings_included", sa.Integer),
    *_figure("earnings_lq"),
    *_figure("earnings_median"),
    *_figure("earnings_uq"),
    *_figure("sustained_rate"),
    sa.Column("source", sa.String(80), nullable=False),  # file the row came from
)

#: figure columns of ``leo_industry_region`` (each has a ``<name>_symbol`` column)
INDUSTRY_FIGURES = (
    "trained_in_region",  # graduates who studied in the region
    "providers",  # number of providers in the region
    "living_in_region",  # graduates living (working) in the region
    "earnings_median",  # £ a year
)

leo_industry_region = release_table(
    "leo_industry_region",
    sa.Column("tax_year", sa.String(7), primary_key=True),  # "2019-20"
    sa.Column("yag", sa.Integer, primary_key=True),
    sa.Column("region", sa.String(9), primary_key=True),  # GSS code E12000001…E12000009
    sa.Column("sic_section", sa.String(2), primary_key=True),  # SIC 2007 section A…U, or "NK"
    sa.Column("cah_code", sa.String(8), primary_key=True),  # CAH2, or "all"
    *_figure("trained_in_region", sa.Integer),
    *_figure("providers", sa.Integer),
    *_figure("living_in_region", sa.Integer),
    *_figure("earnings_median"),
    sa.Column("difference", sa.Float),  # living − trained, as published (NULL for NA)
    sa.Column("difference_prop", sa.Float),  # difference ÷ trained (NULL for NA or Inf)
)
