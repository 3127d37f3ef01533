"""Loader of DfE LEO graduate outcomes, as described in ``leo/PROVENANCE.md``.

* ``leo/leo_subject_sex_yag_2022_23.csv``: a third-party extract of DfE's LEO Graduate and
  Postgraduate Outcomes, 2022-23 tax year, UK-domiciled first-degree graduates, national level,
  by CAH2 subject × sex × YAG → ``leo_earnings``. DfE symbols are kept as published
  (``c`` suppressed, ``z`` not applicable, ``x`` not available); a blank cell becomes ``x``.
* ``leo/original/leo_graduate_industry_regional_Map_data.csv`` (optional): the DfE graduate
  industry dashboard's map data (tax year 2019-20) → ``leo_industry_region``; its
  ``-10000`` suppression sentinel becomes ``c`` and ``NA`` becomes ``x``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.leo.checks import (
    EARNINGS_COLUMNS,
    check_earnings,
    check_industry,
    number,
    tax_year_of,
    yag_of,
)
from lmi.datasets.leo.codes import (
    ALL_SUBJECTS,
    CAH2_NAMES,
    REGION_OF_NAME,
    SECTION_OF_NAME,
    cah2_of,
)
from lmi.datasets.leo.formats import DFE_SYMBOLS, EARNINGS_SPEC, INDUSTRY_SPEC
from lmi.datasets.leo.tables import leo_earnings, leo_industry_region
from lmi.datasets.leo.view import LEO_CELLS

__all__ = ["EARNINGS", "INDUSTRY", "LEO", "figure", "load_leo"]

EARNINGS = "leo/leo_subject_sex_yag_2022_23.csv"
INDUSTRY = "leo/original/leo_graduate_industry_regional_Map_data.csv"
#: tax year of the industry dashboard data (PROVENANCE.md: "presumably 2019-20")
INDUSTRY_TAX_YEAR = "2019-20"
#: DfE's suppression sentinel in the dashboard's earnings
SENTINEL = -10000.0

_SYMBOLS = {s for s, _ in DFE_SYMBOLS}
_SEX = {"female": "female", "male": "male", "total": "all"}


def figure(text: str) -> tuple[float | None, str | None]:
    """A DfE cell → (value, symbol): exactly one is set. Blank → not available (``x``)."""
    cell = text.strip()
    if cell in _SYMBOLS:
        return None, cell
    value = number(cell)
    if value is None:
        return None, "x"
    return value, None


def load_leo(ctx: LoadContext) -> None:
    earnings = ctx.read_csv(EARNINGS)
    check_earnings(earnings)
    if not earnings.has_errors:
        ctx.write(leo_earnings, _earnings_rows(earnings))
    if (ctx.source_dir / INDUSTRY).is_file():
        industry = ctx.read_csv(INDUSTRY)
        check_industry(industry)
        if not industry.has_errors:
            ctx.write(leo_industry_region, _industry_rows(industry))


def _earnings_rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for period, cohort, yag, sex, name, *cells in frame.rows(*EARNINGS_COLUMNS):
        code = cah2_of(name)
        row: dict[str, Any] = {
            "tax_year": tax_year_of(period),
            "cah_code": code,
            "sex": _SEX[sex.strip().casefold()],
            "yag": yag_of(yag),
            "cah_level": "all" if code == ALL_SUBJECTS else "cah2",
            "subject_name": "All subjects" if code == ALL_SUBJECTS else CAH2_NAMES[str(code)],
            "academic_year": cohort.strip(),
            "source": EARNINGS,
        }
        names = (
            "graduates",
            "earnings_included",
            "earnings_lq",
            "earnings_median",
            "earnings_uq",
            "sustained_rate",
        )
        for column, cell in zip(names, cells, strict=True):
            value, symbol = figure(cell)
            if value is not None and column in ("graduates", "earnings_included"):
                value = int(value)
            row[column], row[f"{column}_symbol"] = value, symbol
        yield row


def _industry_rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for yag, region, section, trained, providers, name, living, median, diff, prop in frame.rows(
        *(
            "YAG",
            "region",
            "SECTIONNAME",
            "trained_in_region",
            "number_of_providers",
            "subject_name",
            "living_in_region",
            "earnings_median",
            "difference",
            "difference_prop",
        )
    ):
        region_code = REGION_OF_NAME.get(region.strip())
        section_code = SECTION_OF_NAME.get(section.strip())
        if region_code is None or section_code is None or not yag.strip().isdigit():
            continue  # reported by the spec
        row: dict[str, Any] = {
            "tax_year": INDUSTRY_TAX_YEAR,
            "yag": int(yag),
            "region": region_code,
            "sic_section": section_code,
            "cah_code": cah2_of(name),
            "difference": number(diff),
            "difference_prop": number(prop),
        }
        for column, cell in (
            ("trained_in_region", trained),
            ("providers", providers),
            ("living_in_region", living),
        ):
            value = number(cell)
            row[column] = None if value is None else int(value)
            row[f"{column}_symbol"] = None if value is not None else "x"
        value = number(median)
        if value == SENTINEL:
            row["earnings_median"], row["earnings_median_symbol"] = None, "c"
        else:
            row["earnings_median"] = value
            row["earnings_median_symbol"] = None if value is not None else "x"
        yield row


ABOUT = About(
    coverage="Earnings (lower quartile, median, upper quartile) and the share in sustained "
    "employment or further study of UK-domiciled first-degree graduates 1, 3, 5 and 10 years "
    "after graduation, by CAH2 subject (35) and sex, at national level only. The optional "
    "dashboard file adds median earnings and where graduates studied and live, by English "
    "region, industry (SIC 2007 section) and subject.",
    currency="Earnings in the 2022-23 tax year: each years-after-graduation figure is a "
    "different graduating cohort. The industry and region file is believed to be the 2019-20 "
    "tax year (the dashboard's 2019-20 update).",
    frequency="DfE publishes LEO graduate outcomes once a year, adding a tax year; lmi picks up "
    "a new year when its file is put in the source directory. The industry dashboard data was "
    "last changed in 2022.",
    limitations="Earnings are nominal (not adjusted for inflation) and cover only the graduates "
    "DfE includes in its earnings figures (given as a count); small numbers are suppressed "
    "(marked c). The main file is a third-party extract with no provider, region, CAH3 or "
    "personal-characteristic breakdowns.",
)

LEO = Dataset(
    name="leo",
    title="DfE LEO graduate outcomes: earnings by CAH2 subject × sex × years after graduation "
    "(2022-23 tax year, third-party extract) and by industry × region × subject (2019-20)",
    publisher="Department for Education (Explore Education Statistics; LEO graduate industry "
    "dashboard)",
    licence="Open Government Licence v3.0",
    files=(
        SourceFile(
            EARNINGS,
            "LEO earnings, graduates and sustained employment by CAH2 × sex × YAG (432 rows)",
            spec=EARNINGS_SPEC,
        ),
        SourceFile(
            INDUSTRY,
            "LEO graduate industry dashboard map data: YAG × region × SIC section × CAH2",
            required=False,
            spec=INDUSTRY_SPEC,
        ),
    ),
    tables=(leo_earnings, leo_industry_region),
    snapshot_tables=("leo_earnings",),
    views=(LEO_CELLS,),
    load=load_leo,
    about=ABOUT,
)
