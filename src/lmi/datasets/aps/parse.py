"""Loader of the APS T09a files described in aps/PROVENANCE.md.

* the derived CSV (required): England and the 38 LEPs (2021), 2015–2021;
* the original Nomis download (optional): its NUTS3 (2016) columns summed into ITL1 regions.

SOC 2010 sub-major codes come from the titles (the source has none), matched to the SOC 2010
groups of the release. Nomis symbols become SDC statuses (policy ``aps``): ``!`` suppressed
(disclosure), ``~`` under 500 (no figure), ``*`` in the confidence interval → caution.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.checks.report import Problem
from lmi.checks.spec import check_file_bytes
from lmi.datasets.aps.checks import POPULATIONS, WORKING_PATTERNS, check_derived, title_key
from lmi.datasets.aps.formats import DERIVED_SPEC, NOMIS_TEXT_SPEC
from lmi.datasets.aps.industry import aps_unit_industry, read_industry_workbook
from lmi.datasets.aps.nomis import RegionCell, read_regions
from lmi.datasets.aps.tables import aps_employment
from lmi.datasets.aps.view import APS_INDEX, UNIT_INDUSTRY
from lmi.datasets.base import About, Dataset, Fetch, LoadContext, SourceFile
from lmi.sdc import classify
from lmi.sdc.policy import APS as POLICY

__all__ = ["APS", "DERIVED", "INDUSTRY", "NOMIS", "load_aps"]

DERIVED = "aps/aps_t09a_employment_by_soc2010_submajor_england_lep_2015_2021.csv"
NOMIS = "aps/original/Employment by occupation - Dec 2015-2021 - SOC2010 - APS.csv"
#: ONS user-requested table, as ONS names it (the years in the name change per edition)
INDUSTRY = "aps/ons_user_requested/employmentby4digitsoc1digitindustryatosuk*.xlsx"
ENGLAND = "England"


def load_aps(ctx: LoadContext) -> None:
    titles = _sub_major_titles(ctx)
    frame = ctx.read_csv(DERIVED)
    check_derived(frame, titles)
    regions = _regions(ctx, titles)
    if frame.has_errors or regions is None or not titles:
        return
    industry = _industry(ctx)
    if industry is None:
        return
    ctx.write(aps_employment, _derived_rows(frame, titles))
    ctx.write(aps_employment, regions)
    ctx.write(aps_unit_industry, industry)


def _industry(ctx: LoadContext) -> list[dict[str, Any]] | None:
    """Unit group × industry rows of the ONS user-requested table (empty without it);
    ``None`` when it has errors (a malformed cell, a code that is not a SOC 2020 unit group)."""
    paths = sorted(p for p in ctx.source_dir.glob(INDUSTRY) if p.is_file())
    if not paths:
        return []
    rows: list[dict[str, Any]] = []
    units = {
        str(code)
        for (code,) in ctx.tx.execute(
            "SELECT code FROM soc_groups WHERE release_id = :r AND soc_version = 'soc2020' "
            "AND level = 'unit_group'",
            {"r": ctx.release_id},
        ).rows
    }
    failed = False
    for path in paths:
        relative = path.relative_to(ctx.source_dir).as_posix()
        report = ctx.file_report(relative)
        table = read_industry_workbook(path, relative)
        report.rows_read = len(table.cells)
        report.problems += table.problems
        if units:
            for code in sorted(set(table.titles) - units):
                report.problems.append(
                    Problem(
                        "error",
                        "unknown-code",
                        f"{code!r} is not a SOC 2020 unit group",
                        relative,
                        column="SOC20M",
                    )
                )
        failed = failed or any(p.severity == "error" for p in report.problems)
        rows += table.rows()
    return None if failed else rows


def _sub_major_titles(ctx: LoadContext) -> dict[str, str]:
    rows = ctx.tx.execute(
        "SELECT code, title FROM soc_groups WHERE release_id = :r AND soc_version = 'soc2010' "
        "AND level = 'sub_major'",
        {"r": ctx.release_id},
    ).rows
    if not rows:
        ctx.problem("error", "missing-dependency", "no SOC 2010 sub-major groups in this release")
    return {title_key(title): code for code, title in rows}


def _derived_rows(frame: Frame, titles: dict[str, str]) -> Iterator[dict[str, Any]]:
    for year, pop, title, pattern, area_type, area, value, conf in frame.rows(
        "year",
        "population",
        "soc2010_sub_major_title",
        "working_pattern",
        "area_type",
        "area",
        "value",
        "conf_95",
    ):
        served = classify(POLICY, value, measure="count")
        status, rule = served.status, served.rule
        if served.servable and conf.strip() == "*":
            status, rule = "caution", f"{POLICY.id}:symbol'*'"
        yield {
            "year": int(year),
            "soc2010": titles[title_key(title)],
            "sex": POPULATIONS[pop],
            "pattern": WORKING_PATTERNS[pattern],
            "area_type": area_type,
            "area": area.strip(),
            "area_name": area.strip(),
            "value": served.value,
            "conf95": float(conf) if conf.strip().isdigit() else None,
            "status": status,
            "rule": rule,
            "method": "observed",
        }


def _regions(ctx: LoadContext, titles: dict[str, str]) -> list[dict[str, Any]] | None:
    """Region rows from the original (empty without it); ``None`` when it has errors."""
    path = ctx.source_dir / NOMIS
    if not path.is_file():
        return []
    report = ctx._file_report(NOMIS, path)
    report.problems += check_file_bytes(path, NOMIS_TEXT_SPEC, label=NOMIS)
    if any(p.severity == "error" for p in report.problems):
        return None
    found = read_regions(path, NOMIS)
    report.rows_read = found.lines
    report.problems += found.problems
    unknown = sorted({c.title for c in found.cells if title_key(c.title) not in titles})
    for title in unknown[:20]:
        report.problems.append(
            Problem("error", "unknown-code", f"{title!r} is not a SOC 2010 sub-major group", NOMIS)
        )
    if any(p.severity == "error" for p in report.problems):
        return None
    names = _region_names(ctx)
    return [_region_row(cell, titles, names) for cell in found.cells]


def _region_names(ctx: LoadContext) -> dict[str, str]:
    """ITL1 names from the regions dataset of this release, when it was loaded."""
    rows = ctx.tx.execute(
        "SELECT itl1_code, name FROM regions WHERE release_id = :r", {"r": ctx.release_id}
    ).rows
    return {str(code): str(name) for code, name in rows}


def _region_row(cell: RegionCell, titles: dict[str, str], names: dict[str, str]) -> dict[str, Any]:
    rule = f"{POLICY.id}:sum-of-nuts3"
    status = "ok"
    if cell.unpublished:  # a partial sum: the unpublished areas are small but missing
        status = "caution"
        rule += f":{cell.unpublished}-of-{cell.areas}-unpublished"
    return {
        "year": cell.year,
        "soc2010": titles[title_key(cell.title)],
        "sex": POPULATIONS[cell.population],
        "pattern": WORKING_PATTERNS[cell.pattern],
        "area_type": "region",
        "area": cell.itl1,
        "area_name": names.get(cell.itl1, cell.itl1),
        "value": cell.value if cell.areas > cell.unpublished else None,
        "conf95": None,
        "status": status if cell.areas > cell.unpublished else "suppressed_disclosure",
        "rule": rule[:60],
        "method": "derived",
    }


ABOUT = About(
    coverage="People in employment (including the self-employed; counted where they live) by "
    "SOC 2010 sub-major group (25 groups), sex and full-time or part-time, for England and the "
    "38 Local Enterprise Partnerships (2021 boundaries). When the original Nomis file is "
    "present, lmi also sums its NUTS3 areas into English regions, Wales and Scotland; Northern "
    "Ireland is not in the file.",
    currency="Calendar-year APS periods January-December 2015 to January-December 2021, "
    "downloaded from Nomis on 18 May 2022.",
    frequency="ONS publishes the Annual Population Survey every quarter, each period covering "
    "the twelve months before it; ONS has since moved its occupation tables to SOC 2020, so "
    "newer periods would come as a new SOC 2020 file. lmi picks up new periods only when such a "
    "file is added to the source directory.",
    limitations="A sample survey: each published figure has a 95% confidence interval, "
    "estimates below 500 or from 0-2 respondents are not shown, and those from 3-9 respondents "
    "are served with caution; Nomis rounds values to the nearest 100. ONS advises caution with "
    "levels from April 2019-March 2020 onwards, because responses were weighted to population "
    "projections that pre-date the COVID-19 pandemic. The region sums are lmi's and carry no "
    "confidence interval.",
)

FETCH = Fetch(
    page="https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/employmentandemployeetypes/"
    "adhocs/",
    files=(
        "aps/aps_t09a_employment_by_soc2010_submajor_england_lep_2015_2021.csv (Nomis T09a, "
        "stacked; required) and aps/original/<the Nomis download>.csv (optional)",
        "aps/ons_user_requested/employmentby4digitsoc1digitindustryatosuk<years>final.xlsx "
        "(ONS user-requested data: search the ONS site for 'Employment by 4-digit SOC and "
        "1-digit industry')",
    ),
    editions="Nomis T09a calendar-year periods (SOC 2010 sub-major groups); the user-requested "
    "4-digit SOC 2020 × industry section table (one sheet per year)",
)

APS = Dataset(
    name="aps",
    title="ONS Annual Population Survey T09a: employment by SOC 2010 sub-major group, sex and "
    "full/part time; England, LEPs and (summed from NUTS3) regions, 2015–2021",
    publisher="Office for National Statistics (Nomis)",
    licence="Open Government Licence v3.0",
    files=(
        SourceFile(
            DERIVED,
            "T09a stacked: England and 38 LEPs × 25 sub-major groups × sex × pattern, 2015–2021",
            spec=DERIVED_SPEC,
        ),
        SourceFile(
            NOMIS,
            "original Nomis download (seven stacked blocks, a Date line and a Cell header each; "
            "areas as value, blank, Conf column triples); its NUTS3 columns give region sums",
            required=False,
        ),
        SourceFile(
            INDUSTRY,
            "ONS user-requested: employment by 4-digit SOC 2020 × industry section, UK (one "
            "sheet per year, 2021 on); gives unit-group levels and each occupation's industries",
            required=False,
        ),
    ),
    tables=(aps_employment, aps_unit_industry),
    views=(APS_INDEX, UNIT_INDUSTRY),
    load=load_aps,
    depends_on=("soc2010", "soc2020"),
    about=ABOUT,
    fetch=FETCH,
)
