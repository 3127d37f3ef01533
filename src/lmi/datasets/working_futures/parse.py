"""Loader of the Skills Imperative 2035 (Working Futures) files, see working_futures/PROVENANCE.md.

* the CSV of Occupation Table 2 (required): employment of the 26 SOC 2020 sub-major groups and
  all occupations by sex in 2015, 2019, 2020, 2025 and 2035, with net change, replacement
  demand and total requirement 2020–2035;
* the values-only workbook (optional): every year 2010–2035 (Occ F2), status by sex for the
  major groups (Occ T5), qualification levels of the sub-major groups (Basic T2).

Where the CSV and the workbook hold the same cell, the CSV's figure is kept and the two are
compared (a warning when they differ). Figures stay in thousands, as published.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.checks.spec import check_file_bytes
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.working_futures.checks import TOLERANCE, check_csv, number
from lmi.datasets.working_futures.formats import CSV_SPEC, EMPLOYMENT_YEARS, WORKBOOK_SPEC
from lmi.datasets.working_futures.tables import wf_employment, wf_replacement
from lmi.datasets.working_futures.view import OUTLOOK
from lmi.datasets.working_futures.workbook import Workbook, limit, read_workbook

__all__ = ["CSV", "WORKBOOK", "WORKING_FUTURES", "load_working_futures"]

CSV = "working_futures/skills_imperative_2035_england_employment_by_soc2020_submajor.csv"
WORKBOOK = "working_futures/original/skills_imperative_2035_EN_MainTables_values_only.xlsx"
CSV_SOURCE = "Occupation Table 2 (CSV)"
Key = tuple[str, str, str, str, int]  # code, sex, status, qualification, year


def load_working_futures(ctx: LoadContext) -> None:
    groups = _soc2020_groups(ctx)
    sub_majors = {code: title for code, (level, title) in groups.items() if level == "sub_major"}
    majors = {title: code for code, (level, title) in groups.items() if level == "major"}
    frame = ctx.read_csv(CSV)
    check_csv(frame, sub_majors)
    book = _workbook(ctx, set(sub_majors), majors)
    if frame.has_errors or (book is not None and book.has_errors) or not sub_majors:
        return
    employment = dict(_csv_employment(frame))
    replacement = list(_csv_replacement(frame))
    if book is not None:
        _merge_workbook(ctx, book, employment, replacement)
    ctx.write(wf_employment, _employment_rows(employment))
    ctx.write(wf_replacement, replacement)


def _soc2020_groups(ctx: LoadContext) -> dict[str, tuple[str, str]]:
    rows = ctx.tx.execute(
        "SELECT code, level, title FROM soc_groups WHERE release_id = :r AND soc_version = "
        "'soc2020' AND level IN ('major', 'sub_major')",
        {"r": ctx.release_id},
    ).rows
    if not rows:
        ctx.problem("error", "missing-dependency", "no SOC 2020 groups in this release")
    return {code: (level, title) for code, level, title in rows}


def _workbook(ctx: LoadContext, sub_majors: set[str], majors: dict[str, str]) -> Workbook | None:
    path = ctx.source_dir / WORKBOOK
    if not path.is_file():
        return None
    report = ctx._file_report(WORKBOOK, path)
    report.problems += check_file_bytes(path, WORKBOOK_SPEC, label=WORKBOOK)
    if any(p.severity == "error" for p in report.problems):
        return Workbook(WORKBOOK, problems=list(report.problems))
    book = read_workbook(path, WORKBOOK, sub_majors=sub_majors, majors=majors)
    report.rows_read = len(book.employment) + len(book.replacement)
    report.problems += limit(book.problems)
    return book


def _csv_employment(frame: Frame) -> Iterator[tuple[Key, tuple[float, str]]]:
    cols = frame.columns
    for i, (sex, code) in enumerate(frame.rows("sex", "soc2020_sub_major")):
        for year in EMPLOYMENT_YEARS:
            value = number(cols[f"emp_{year}"][i])
            if value is not None:
                yield (code, sex, "all", "all", year), (value, CSV_SOURCE)


def _csv_replacement(frame: Frame) -> Iterator[dict[str, Any]]:
    cols = frame.columns
    for i, (sex, code) in enumerate(frame.rows("sex", "soc2020_sub_major")):
        yield {
            "code": code,
            "sex": sex,
            "qualification": "all",
            "start_year": 2020,
            "end_year": 2035,
            "net_change": number(cols["net_change_2020_2035"][i]),
            "replacement_demand": number(cols["replacement_demand_2020_2035"][i]),
            "total_requirement": number(cols["total_requirement_2020_2035"][i]),
            "source": CSV_SOURCE,
        }


def _merge_workbook(
    ctx: LoadContext,
    book: Workbook,
    employment: dict[Key, tuple[float, str]],
    replacement: list[dict[str, Any]],
) -> None:
    """Add the workbook's cells; compare those the CSV already holds (warning when they differ)."""
    differ: list[str] = []
    for code, sex, status, qualification, year, value in book.employment:
        key = (code, sex, status, qualification, year)
        sheet = "Basic T2" if qualification != "all" else "Occ T5" if status != "all" else "Occ F2"
        found = employment.get(key)
        if found is None:
            employment[key] = (value, f"{sheet} (workbook)")
        elif not _close(found[0], value):
            differ.append(f"{code}/{sex}/{year}: {found[0]:.3f} vs {value:.3f}")
    for code, qualification, net, rd, total in book.replacement:
        replacement.append(
            {
                "code": code,
                "sex": "all",
                "qualification": qualification,
                "start_year": 2020,
                "end_year": 2035,
                "net_change": net,
                "replacement_demand": rd,
                "total_requirement": total,
                "source": "Basic T2 (workbook)",
            }
        )
    if differ:
        ctx.problem(
            "warning",
            "inconsistent",
            f"{len(differ)} workbook cells differ from the CSV (the CSV's are kept), e.g. "
            + "; ".join(differ[:3]),
        )
    _check_sums(ctx, employment)


def _check_sums(ctx: LoadContext, employment: dict[Key, tuple[float, str]]) -> None:
    """Qualification levels and statuses add up to the published totals (warnings)."""
    parts: dict[tuple[str, str, int, str], float] = {}
    for (code, sex, status, qualification, year), (value, _) in employment.items():
        if qualification != "all":
            parts[(code, sex, year, "qualification")] = (
                parts.get((code, sex, year, "qualification"), 0) + value
            )
        elif status != "all":
            parts[(code, sex, year, "status")] = parts.get((code, sex, year, "status"), 0) + value
    off = []
    for (code, sex, year, what), total in sorted(parts.items()):
        published = employment.get((code, sex, "all", "all", year))
        if published is not None and not _close(published[0], total):
            off.append(f"{what} of {code}/{sex}/{year} sum to {total:.3f}, not {published[0]:.3f}")
    if off:
        ctx.problem(
            "warning",
            "inconsistent",
            f"{len(off)} breakdowns do not add up, e.g. " + "; ".join(off[:3]),
        )


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1.0)


def _employment_rows(employment: dict[Key, tuple[float, str]]) -> Iterator[dict[str, Any]]:
    for (code, sex, status, qualification, year), (value, source) in employment.items():
        yield {
            "code": code,
            "sex": sex,
            "status": status,
            "qualification": qualification,
            "year": year,
            "thousands": value,
            "source": source,
        }


ABOUT = About(
    coverage="Projected employment in England by SOC 2020 sub-major group (26) and major group, "
    "by sex, with replacement demand (openings left by people leaving) and total requirement "
    "2020-2035. The optional workbook adds every year 2010-2035, employment status "
    "(full-time, part-time, self-employed) and qualification levels.",
    currency="Skills Imperative 2035 England workbook by the Warwick Institute for Employment "
    "Research and Cambridge Econometrics, database dated 10 February 2023. 2020 is the base "
    "year: later years are projections, earlier ones model estimates.",
    frequency="Irregular: Working Futures editions appeared every few years, and no regular "
    "update schedule is known for Skills Imperative 2035. lmi changes only if new files are put "
    "in the source directory.",
    limitations="Model projections under stated assumptions, not forecasts or counts, and they "
    "do not reflect anything that happened after early 2023. England only (the area "
    "workbooks were not copied), nothing below sub-major group, figures in thousands, and the "
    "licence for republishing is unverified.",
)

WORKING_FUTURES = Dataset(
    name="working_futures",
    title="Skills Imperative 2035 (Working Futures successor): employment projections and "
    "replacement demand by SOC 2020 group, England, 2010–2035",
    publisher="Warwick Institute for Employment Research / Cambridge Econometrics for NFER "
    "(workbook redistributed by DfE)",
    licence="not stated in the workbook (© Warwick IER / Cambridge Econometrics 2023; "
    "redistributed by DfE in an MIT-licensed repository): treat as unverified",
    files=(
        SourceFile(
            CSV,
            "Occupation Table 2 as CSV: 26 sub-major groups × sex, 2015–2035, replacement demand",
            spec=CSV_SPEC,
        ),
        SourceFile(
            WORKBOOK,
            "the England workbook (values only): Occ F2, Occ T5 and Basic T2 are read",
            required=False,
            spec=WORKBOOK_SPEC,
        ),
    ),
    tables=(wf_employment, wf_replacement),
    snapshot_tables=("wf_employment", "wf_replacement"),
    views=(OUTLOOK,),
    load=load_working_futures,
    depends_on=("soc2020",),
    about=ABOUT,
)
