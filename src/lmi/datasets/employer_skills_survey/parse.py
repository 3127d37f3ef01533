"""Loader of the ESS 2017 files described in employer_skills_survey/PROVENANCE.md.

* the long table of the LEP workbook and its index (required): England and the LEPs;
* the LEA workbook (optional): the 152 local authorities, and the 9 regions summed from them.

Occupations are the survey's SOC 2010 major groups (ESS labels) plus 'Unclassified staff'.
Areas are coded with :mod:`lmi.classification.areas` (ESS 2017 spells some LEPs its own way).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from lmi.checks import Frame
from lmi.checks.spec import check_file_bytes
from lmi.classification.areas import ENGLAND, LEPS, REGIONS, Area, find_area
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.employer_skills_survey.checks import (
    check_coherence,
    check_index,
    check_long,
    check_sheet_rows,
    label_of,
)
from lmi.datasets.employer_skills_survey.formats import INDEX_SPEC, LEA_SPEC, LONG_SPEC, SHEETS
from lmi.datasets.employer_skills_survey.quality import ESS_POLICY
from lmi.datasets.employer_skills_survey.tables import BASES, COUNTS, OCCUPATIONS, ess_occupations
from lmi.datasets.employer_skills_survey.view import ESS
from lmi.datasets.employer_skills_survey.workbook import Sheet, read_standard_tables

__all__ = ["EMPLOYER_SKILLS_SURVEY", "INDEX", "LEA", "LONG", "load_ess", "rows_of"]

FOLDER = "employer_skills_survey"
LONG = f"{FOLDER}/ess2017_england_lep_tables_long.csv"
INDEX = f"{FOLDER}/ess2017_england_lep_tables_index.csv"
LEA = f"{FOLDER}/original/ESS_2017_England_LEA_Standard_Tables_Controlled_v03.01.xlsx"
YEAR = 2017
TOTAL = "Total"
NOT_IN_ENGLAND = "Not in England"
SUPPRESSED = f"{ESS_POLICY.id}:symbol'**'"
#: ESS suppresses a column whose unweighted base is under 30 establishments
MIN_UNWEIGHTED = 30


def load_ess(ctx: LoadContext) -> None:
    index = ctx.read_csv(INDEX)
    check_index(index)
    frame = ctx.read_csv(LONG)
    check_long(frame)
    if index.has_errors or frame.has_errors:
        return
    sheets = _sheets_from_long(frame)
    frame.problems += check_sheet_rows(sheets, LONG)
    areas = _lep_areas(frame, sheets)
    if frame.has_errors:
        return
    rows = [
        row
        for heading, (area_type, area) in areas.items()
        for row in rows_of(sheets, heading, area, area_type=area_type, source="ESS 2017 LEP tables")
    ]
    frame.problems += check_coherence(rows, LONG)
    local = _local_authorities(ctx)
    if local is None:
        return
    ctx.write(ess_occupations, rows)
    if local:
        ctx.write(ess_occupations, local)
        ctx.write(ess_occupations, _regions(local))


def _sheets_from_long(frame: Frame) -> dict[str, Sheet]:
    sheets: dict[str, Sheet] = {}
    for sheet, label, kind, area_type, heading, value in frame.rows(*LONG_COLUMNS_READ):
        if sheet not in SHEETS or kind != "value" or area_type == "other_column":
            continue
        text = value.strip()
        cell: float | str = text if text.startswith("*") else float(text)
        sheets.setdefault(sheet, {}).setdefault(heading.strip(), {})[label.strip()] = cell
    return sheets


LONG_COLUMNS_READ = ("sheet", "row_label", "row_kind", "area_type", "column_heading", "value")


def _lep_areas(frame: Frame, sheets: Mapping[str, Sheet]) -> dict[str, tuple[str, Area]]:
    """Column heading → (area type, area); an unknown LEP is an error (it would be lost)."""
    headings = {h for sheet in sheets.values() for h in sheet}
    found: dict[str, tuple[str, Area]] = {}
    for heading in sorted(headings):
        if heading == TOTAL:
            found[heading] = ("country", ENGLAND)
            continue
        area = find_area(heading, ["lep"])
        if area is None:
            frame._add(
                "error",
                "unknown-code",
                f"{heading!r} is not a LEP known to lmi.classification.areas",
                column="column_heading",
            )
        else:
            found[heading] = ("lep", area)
    current = {a.code for _, a in found.values() if a.kind == "lep" and a.current}
    missing = sorted(lep.name for lep in LEPS if lep.current and lep.code not in current)
    if missing and not frame.has_errors:
        frame._add(
            "warning",
            "missing-area",
            f"{len(current)} of the {len(current) + len(missing)} LEPs have a column; none for "
            + ", ".join(missing[:5])
            + (" …" if len(missing) > 5 else ""),
            column="column_heading",
        )
    return found


def rows_of(
    sheets: Mapping[str, Sheet],
    heading: str,
    area: Area,
    *,
    area_type: str,
    source: str,
) -> Iterator[dict[str, Any]]:
    """The ``ess_occupations`` rows of one area column."""
    for occupation in OCCUPATIONS:
        row: dict[str, Any] = {
            "year": YEAR,
            "area_type": area_type,
            "area": area.code,
            "occupation": occupation,
            "area_name": area.name,
            "method": "observed",
            "source": source,
        }
        flags: dict[str, str] = {}
        for sheet, column in SHEETS.items():
            cells = sheets.get(sheet, {}).get(heading, {})
            cell = cells.get(label_of(sheet, occupation))
            if _unsampled(cells) or isinstance(cell, str):
                row[column] = None
                flags[column] = SUPPRESSED
            elif column in BASES:
                row[column] = _base(cells, cell, occupation)
            else:
                row[column] = cell
        row["flags_json"] = json.dumps(flags, sort_keys=True)
        yield row


def _unsampled(cells: Mapping[str, float | str]) -> bool:
    """A column under ESS's publication threshold: its unweighted base (establishments, or
    vacancies or staff — never fewer than the establishments behind them) is suppressed or
    under 30. (Northamptonshire, with no sample, shows 0 in these rows and ``**`` elsewhere.)"""
    unweighted = cells.get("Unweighted row")
    return (
        not isinstance(unweighted, float)
        or unweighted < MIN_UNWEIGHTED
        or (isinstance(cells.get(TOTAL), str))
    )


def _base(
    cells: Mapping[str, float | str], cell: float | str | None, occupation: str
) -> float | None:
    """Estimated unweighted establishments: the table's unweighted base × the weighted share."""
    unweighted, total = cells.get("Unweighted row"), cells.get(TOTAL)
    if not isinstance(unweighted, float):
        return None
    if occupation == "all":
        return unweighted
    if not isinstance(cell, float) or not isinstance(total, float) or total <= 0:
        return None
    return round(unweighted * cell / total, 1)


# -- local authorities and regions -------------------------------------------------------------


def _local_authorities(ctx: LoadContext) -> list[dict[str, Any]] | None:
    """Rows of the LEA workbook ([] without it; ``None`` when it has errors)."""
    path = ctx.source_dir / LEA
    if not path.is_file():
        return []
    report = ctx._file_report(LEA, path)
    report.problems += check_file_bytes(path, LEA_SPEC, label=LEA)
    if any(p.severity == "error" for p in report.problems):
        return None
    book = read_standard_tables(path, LEA, SHEETS)
    report.problems += book.problems
    report.problems += check_sheet_rows(book.sheets, LEA)
    for sheet, words in _title_problems(book.titles):
        report.problems.append(
            _problem("error", "wrong-table", f"sheet {sheet} should hold {words}")
        )
    if any(p.severity == "error" for p in report.problems):
        return None
    headings = {h for sheet in book.sheets.values() for h in sheet} - {TOTAL, NOT_IN_ENGLAND}
    report.rows_read = len(headings)
    rows: list[dict[str, Any]] = []
    for heading in sorted(headings):
        area = find_area(heading, ["la"])
        if area is None:
            report.problems.append(
                _problem(
                    "warning",
                    "unknown-code",
                    f"{heading!r} is not a known local authority: skipped",
                )
            )
            continue
        rows += rows_of(book.sheets, heading, area, area_type="la", source="ESS 2017 LEA tables")
    report.problems += check_coherence(rows, LEA)
    return rows


def _title_problems(titles: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    from lmi.datasets.employer_skills_survey.formats import TITLE_WORDS

    for sheet, words in TITLE_WORDS.items():
        title = titles.get(sheet)
        if title is not None and not all(w in title.casefold() for w in words):
            yield sheet, " / ".join(words)


def _problem(severity: str, code: str, message: str) -> Any:
    from lmi.checks.report import Problem

    return Problem(severity, code, message, LEA)  # type: ignore[arg-type]


def _regions(local: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Region rows: sums of the local-authority counts and bases (``modelled``).

    The LEA tables are weighted per authority, so their sums come close to, but do not
    reproduce, the England totals; shares from them are ratios of summed weighted counts.
    A measure some authorities did not publish is summed over the others and flagged.
    """
    from lmi.classification.areas import LOCAL_AUTHORITIES

    region_of = {la.code: la.region for la in LOCAL_AUTHORITIES}
    members: dict[str, int] = {}
    for la in LOCAL_AUTHORITIES:
        if la.region:
            members[la.region] = members.get(la.region, 0) + 1
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in local:
        region = region_of.get(row["area"])
        if region:
            by_key.setdefault((region, row["occupation"]), []).append(row)
    names = {r.code: r.name for r in REGIONS}
    for (region, occupation), parts in sorted(by_key.items()):
        out: dict[str, Any] = {
            "year": YEAR,
            "area_type": "region",
            "area": region,
            "occupation": occupation,
            "area_name": names[region],
            "method": "modelled",
            "source": "sum of the ESS 2017 LEA tables' local authorities",
        }
        flags: dict[str, str] = {}
        for column in (*COUNTS, *BASES):
            values = [p[column] for p in parts if p[column] is not None]
            unpublished = sum(1 for p in parts if column in json.loads(p["flags_json"]))
            out[column] = round(sum(values), 1) if values else None
            if unpublished and not values:
                flags[column] = SUPPRESSED
            elif unpublished:
                flags[column] = (
                    f"{ESS_POLICY.id}:sum:{unpublished}-of-{members[region]}-unpublished"
                )
        out["flags_json"] = json.dumps(flags, sort_keys=True)
        yield out


ABOUT = About(
    coverage="Employers' vacancies, hard-to-fill and skill-shortage vacancies, skills gaps and "
    "employment by the 9 SOC 2010 major groups (plus unclassified staff), from DfE's survey of "
    "establishments in England. Figures are for England and the Local Enterprise Partnerships "
    "(2017 boundaries) and, from the optional local-authority workbook, about 150 local "
    "authorities and the 9 English regions summed from them.",
    currency="Employer Skills Survey 2017 (tables published by DfE in September 2018). The ESS "
    "2019 summary tables in the source directory are not loaded: they have no occupation "
    "breakdown.",
    frequency="DfE runs the survey about every two years; waves after 2017 are not loaded. lmi "
    "picks up a newer wave only when its tables are added to the source directory and a loader "
    "reads them.",
    limitations="A sample survey of employers with no published standard errors: DfE "
    "suppresses columns with fewer than 30 establishments in the unweighted base, and lmi "
    "withholds occupation shares resting on fewer than about 10 establishments and marks those "
    "under 30 as caution. The figures describe 2017, England only, with occupations split only "
    "into major groups, and LEP areas are the 2017 ones.",
)

EMPLOYER_SKILLS_SURVEY = Dataset(
    name="employer_skills_survey",
    title="DfE Employer Skills Survey 2017 (England): vacancies, hard-to-fill and skill-shortage "
    "vacancies, skills gaps and employment by SOC 2010 major group; England, LEPs, local "
    "authorities and (summed) regions",
    publisher="Department for Education (survey by IFF Research)",
    licence="Open Government Licence v3.0",
    files=(
        SourceFile(
            LONG, "every standard table of the ESS 2017 LEP workbook, stacked long", spec=LONG_SPEC
        ),
        SourceFile(INDEX, "sheet → table title and base of the long table", spec=INDEX_SPEC),
        SourceFile(
            LEA,
            "ESS 2017 LEA workbook: the same tables by local authority (regions are summed "
            "from it)",
            required=False,
            spec=LEA_SPEC,
        ),
    ),
    tables=(ess_occupations,),
    snapshot_tables=("ess_occupations",),
    views=(ESS,),
    load=load_ess,
    about=ABOUT,
)
