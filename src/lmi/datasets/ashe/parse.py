"""Loader of the ASHE files described in ashe/PROVENANCE.md.

* Table 14 (4-digit SOC) 2010r … 2023p: the 24 CSV sheets (annual / hourly × full-time / all);
  SOC 2000 for 2010r and 2011p, SOC 2010 for 2011r and 2021p, SOC 2020 for 2021r and 2023p.
* ASHE 2025 provisional (SOC 2020): Table 14 weekly, hourly, annual pay and paid hours by sex
  and pattern; Table 3 region × major group; Table 14.6a hourly pay excluding overtime.

Every row keeps year, edition (p/r) and SOC version. ONS symbols become statuses (never
numbers); part-time job counts and means are derived exactly; then the differencing pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lmi.checks import Frame, Problem
from lmi.datasets.ashe.cells import (
    Cell,
    CellKey,
    derive_part_time,
    excl_overtime_cells,
    rows,
    table14_cells,
    table2025_cells,
    workbook_cells,
)
from lmi.datasets.ashe.checks import STATS_2025, check_2025, check_table14
from lmi.datasets.ashe.formats import (
    EXCL_OT_2025_SPEC,
    T3_2025_SPEC,
    T14_2025_SPEC,
    T14_SPEC,
    WORKBOOK_SPEC,
)
from lmi.datasets.ashe.protection import protect_changes, protect_differencing
from lmi.datasets.ashe.tables import ashe_cells
from lmi.datasets.ashe.view import PAY
from lmi.datasets.ashe.workbooks import Workbook, read_workbooks
from lmi.datasets.base import About, Dataset, Fetch, LoadContext, SourceFile

__all__ = ["ASHE", "EDITIONS", "T14_DIR", "WORKBOOK_DIR", "load_workbooks", "table14_path"]

#: edition → (year, p/r, SOC version), as checked from the codes (PROVENANCE.md)
EDITIONS: dict[str, tuple[int, str, str]] = {
    "2010r": (2010, "r", "soc2000"),
    "2011p": (2011, "p", "soc2000"),
    "2011r": (2011, "r", "soc2010"),
    "2021p": (2021, "p", "soc2010"),
    "2021r": (2021, "r", "soc2020"),
    "2023p": (2023, "p", "soc2020"),
}
T14_DIR = "ashe/original/ASHE_Table14/csv"
PATTERNS = {"FT": "full-time", "FTPT": "all"}
T14_2025 = "ashe/ashe2025p_table14_soc2020_unit_groups_by_sex_pattern.csv"
T3_2025 = "ashe/ashe2025p_table3_region_by_soc2020_major.csv"
EXCL_OT_2025 = "ashe/ashe2025p_table14_hourly_excl_overtime_median_by_sex.csv"
#: ONS's own Table 14 workbooks: the zips as downloaded, or their unpacked files, any layout
WORKBOOK_DIR = "ashe_workbooks"


def table14_path(edition: str, measure: str, pattern: str) -> str:
    return f"{T14_DIR}/{edition}_{measure}_{pattern}.csv"


#: the older extract's files: all of them, or none (a source of ONS workbooks only)
EXTRACT_FILES = tuple(
    table14_path(edition, measure, short)
    for edition in EDITIONS
    for measure in ("annual", "hourly")
    for short in PATTERNS
)
FILES_2025 = (T14_2025, T3_2025, EXCL_OT_2025)


def load_ashe(ctx: LoadContext) -> None:
    known = _known_codes(ctx)
    cells: dict[CellKey, Cell] = {}
    frames: list[Frame] = []
    extract = any((ctx.source_dir / p).is_file() for p in EXTRACT_FILES)
    if not extract and not any((ctx.source_dir / p).is_file() for p in FILES_2025):
        if not (ctx.source_dir / WORKBOOK_DIR).is_dir():
            ctx.problem("error", "missing-file", f"no ASHE file: {MISSING}")
            return
    for edition, (year, ed, version) in EDITIONS.items() if extract else ():
        for measure in ("annual", "hourly"):
            for short, pattern in PATTERNS.items():
                frame = ctx.read_csv(table14_path(edition, measure, short))
                check_table14(frame, known.get(version))
                frames.append(frame)
                if not frame.has_errors:
                    _add(
                        cells,
                        table14_cells(
                            frame,
                            year=year,
                            edition=ed,
                            version=version,
                            measure=measure,
                            pattern=pattern,
                        ),
                    )
    soc2020 = known.get("soc2020", set())
    units = {c for c in soc2020 if len(c) == 4}
    majors = {c for c in soc2020 if len(c) == 1}
    if any((ctx.source_dir / p).is_file() for p in FILES_2025):
        frames += _load_2025(ctx, cells, units, majors)
    if any(f.has_errors for f in frames):
        return
    if not load_workbooks(ctx, cells, known):
        return
    protect_differencing(cells)
    protect_changes(cells)
    _add(cells, derive_part_time(cells))
    ctx.write(ashe_cells, rows(cells.values()))


def _load_2025(
    ctx: LoadContext, cells: dict[CellKey, Cell], units: set[str], majors: set[str]
) -> list[Frame]:
    t14 = ctx.read_csv(T14_2025)
    check_2025(t14, "soc2020", units, STATS_2025)
    t3 = ctx.read_csv(T3_2025)
    check_2025(t3, "soc2020_major", majors, STATS_2025)
    excl = ctx.read_csv(EXCL_OT_2025)
    check_2025(excl, "soc2020", units, ["male_median", "female_median", "all_median"])
    if not t14.has_errors:
        _add(cells, table2025_cells(t14, code_column="soc2020", area_column=None))
    if not t3.has_errors:
        _add(cells, table2025_cells(t3, code_column="soc2020_major", area_column="region_code"))
    if not excl.has_errors:
        _add(cells, excl_overtime_cells(excl))
    return [t14, t3, excl]


def load_workbooks(
    ctx: LoadContext, cells: dict[CellKey, Cell], known: dict[str, set[str]]
) -> bool:
    """Add every ONS Table 14 workbook under ``ashe_workbooks/`` (zips or unpacked files).

    A workbook's cell replaces the extract's cell with the same key (year, edition, SOC
    version, code, measure, sex, pattern): the workbook is what ONS published, with CVs. The
    build report says, per edition, how many cells were replaced and which values differed.
    Returns False when a workbook has errors (nothing is then written).
    """
    found = read_workbooks(ctx.source_dir / WORKBOOK_DIR, label_root=ctx.source_dir)
    for path in sorted({w.label.split("!", 1)[0] for w in found.workbooks}):
        ctx.file_report(path).rows_read = sum(
            len(sheet)
            for w in found.workbooks
            if w.label.split("!", 1)[0] == path
            for sheet in w.sheets.values()
        )
    ctx.report.problems.extend(found.all_problems())
    cv_files = found.cvs()
    estimates = found.estimates()
    paired = {w.key for w in estimates}
    for key, orphan in cv_files.items():
        if key not in paired:
            ctx.problem(
                "warning",
                "cv-without-estimates",
                "CV workbook without its estimates",
                file=orphan.label,
            )
    unknown = _unknown_codes(estimates, known)
    ctx.report.problems.extend(unknown)
    if unknown or any(p.severity == "error" for p in found.all_problems()):
        return False
    diffs: dict[tuple[int, str, str], WorkbookDiff] = {}
    for workbook in estimates:
        cv = cv_files.get(workbook.key)
        if cv is None:
            ctx.problem(
                "warning",
                "missing-cv",
                f"no CV workbook (Table {workbook.table}b) beside this one: its figures are "
                "served without a quality band",
                file=workbook.label,
            )
        for cell in workbook_cells(workbook, cv):
            old = cells.get(cell.key)
            if old is not None and "workbook" not in old.source:
                diff = diffs.setdefault(cell.key[:3], WorkbookDiff())
                diff.compare(old, cell)
            cells[cell.key] = cell
    for (year, edition, version), diff in sorted(diffs.items()):
        ctx.problem("warning", "workbook-wins", diff.message(f"{year}{edition} {version}"))
    return True


class WorkbookDiff:
    """Cells that both the extract and an ONS workbook give: counts and differing values."""

    def __init__(self) -> None:
        self.cells = 0
        self.statistics = 0
        self.differing: list[str] = []

    def compare(self, old: Cell, new: Cell) -> None:
        self.cells += 1
        for stat in old.stats:
            before, after = old.value(stat), new.value(stat)
            if before is None and after is None:
                continue
            self.statistics += 1
            if before is None or after is None or abs(before - after) > 1e-6:
                self.differing.append(
                    f"{new.code} {new.measure} {new.pattern} {stat}: {before} → {after}"
                )

    def message(self, edition: str) -> str:
        shown = "; ".join(self.differing[:5])
        more = f" (and {len(self.differing) - 5} more)" if len(self.differing) > 5 else ""
        return (
            f"ASHE {edition}: {self.cells:,} cells are in both the Table 14 extract and ONS's "
            f"workbooks; the workbooks' figures (with CVs) are loaded. {len(self.differing):,} "
            f"of {self.statistics:,} statistics differ" + (f": {shown}{more}" if shown else "")
        )


def _unknown_codes(estimates: list[Workbook], known: dict[str, set[str]]) -> list[Problem]:
    found: list[Problem] = []
    for workbook in estimates:
        codes = known.get(workbook.soc_version)
        if codes is None:
            continue
        for (sex, pattern), sheet_rows in workbook.sheets.items():
            for row in sheet_rows:
                if row.code != "all" and row.code not in codes:
                    found.append(
                        Problem(
                            "error",
                            "unknown-code",
                            f"{row.code!r} ({sex}, {pattern}) is not a "
                            f"{workbook.soc_version.upper()} code",
                            workbook.label,
                            row.line,
                            "Code",
                        )
                    )
    return found


def _add(cells: dict[CellKey, Cell], new: object) -> None:
    for cell in new:  # type: ignore[attr-defined]
        cells[cell.key] = cell


def _known_codes(ctx: LoadContext) -> dict[str, set[str]]:
    """SOC 2010 and SOC 2020 codes of this release (SOC 2000 is not held: checked by shape)."""
    found: dict[str, set[str]] = {}
    for version, code in ctx.tx.execute(
        "SELECT soc_version, code FROM soc_groups WHERE release_id = :r", {"r": ctx.release_id}
    ).rows:
        found.setdefault(version, set()).add(code)
    for version in ("soc2010", "soc2020"):
        if version not in found:
            ctx.problem("error", "missing-dependency", f"no {version} groups in this release")
    return found


def _files() -> tuple[SourceFile, ...]:
    found = [
        SourceFile(
            table14_path(edition, measure, short),
            f"ASHE {edition} Table 14 {measure} pay, {PATTERNS[short]} employees "
            f"({EDITIONS[edition][2].upper()})",
            required=False,
            spec=T14_SPEC,
        )
        for edition in EDITIONS
        for measure in ("annual", "hourly")
        for short in PATTERNS
    ]
    found += [
        SourceFile(
            T14_2025,
            "ASHE 2025p Table 14: pay and paid hours by sex and pattern",
            required=False,
            spec=T14_2025_SPEC,
        ),
        SourceFile(
            T3_2025,
            "ASHE 2025p Table 3: region × SOC 2020 major group",
            required=False,
            spec=T3_2025_SPEC,
        ),
        SourceFile(
            EXCL_OT_2025,
            "ASHE 2025p Table 14.6a: hourly pay excl. overtime by sex",
            required=False,
            spec=EXCL_OT_2025_SPEC,
        ),
        SourceFile(
            f"{WORKBOOK_DIR}/**/*Table 14.*",
            "ONS ASHE Table 14 workbooks (.xls/.xlsx, estimates 'a' and CV 'b' files) of any "
            "year, unpacked in any sub-folder; the ONS zip itself (ashetable14*.zip) also reads",
            required=False,
            spec=WORKBOOK_SPEC,
            many=True,
        ),
        SourceFile(
            f"{WORKBOOK_DIR}/*.zip",
            "ONS ASHE Table 14 zip as downloaded (e.g. ashetable142024provisional.zip)",
            required=False,
            spec=WORKBOOK_SPEC,
            many=True,
        ),
    ]
    return tuple(found)


ABOUT = About(
    coverage="Pay and paid hours of employee jobs in the UK by occupation, from ONS's Annual "
    "Survey of Hours and Earnings (self-employed people are not covered). ONS's own Table 14 "
    "workbooks (SOC unit groups) give weekly pay (gross and excluding overtime), hourly pay "
    "(gross and excluding overtime, kept as distinct measures), annual pay and paid hours, "
    "for all employees, men, women, full-time, part-time and the four sex × pattern "
    "combinations, each figure with the coefficient of variation ONS published and its ONS "
    "quality band. An older extract adds annual and hourly pay for full-time and all "
    "employees back to 2010, and 2025 provisional extracts add weekly pay, paid hours, sex "
    "splits and Table 3 pay by region and SOC 2020 major group.",
    currency="April of each year held: ONS workbooks for 2021 (provisional, SOC 2010), 2022, "
    "2023 and 2024 (provisional, SOC 2020); the extract's 2010 (revised), 2011 (provisional "
    "and revised), 2021 (revised, SOC 2020) and 2023 (provisional); and 2025 provisional "
    "(published 23 October 2025). Where the extract and a workbook give the same cell, the "
    "workbook's is served and the build report lists the differences.",
    frequency="ONS publishes ASHE once a year: provisional results each autumn for April of "
    "that year, revised a year later. lmi picks up an edition when its Table 14 zip (or "
    "workbooks) is added to ashe_workbooks/ and a release is built.",
    limitations="ASHE is a sample. Workbook figures carry their CV: CV 10-20% is served with "
    "caution and over 20% is withheld, and cells ONS marked x (unreliable) or .. (disclosive) "
    "are never served as numbers. Figures without a workbook (the extract years, 2025) have no "
    "CV (quality 'not_published'). Editions before 2021 revised use SOC 2000 or SOC 2010 "
    "codes; other SOC versions are reached through the ONS dual coding and labelled modelled. "
    "Northern Ireland has no rows in the 2025 regional table: a regional figure there is the "
    "UK figure and says so.",
)


def workbook_holdings(source_dir: Path) -> list[str]:
    """``2024p soc2020: 14.1, 14.2 … (estimates + CV)`` per edition under ashe_workbooks/."""
    found = read_workbooks(source_dir / WORKBOOK_DIR, label_root=source_dir)
    editions: dict[str, dict[str, set[str]]] = {}
    for w in found.workbooks:
        if w.table:
            label = f"{w.year}{w.edition} {w.soc_version}"
            editions.setdefault(label, {}).setdefault(w.table, set()).add(w.part)
    lines = []
    for label, tables in sorted(editions.items()):
        parts = ", ".join(
            f"{t}"
            + ("" if parts == {"a", "b"} else " (no CV file)" if "b" not in parts else " (CV only)")
            for t, parts in sorted(tables.items(), key=lambda x: [int(n) for n in x[0].split(".")])
        )
        lines.append(f"workbooks {label}: Tables {parts}")
    problems = [p for p in found.all_problems() if p.severity == "error"]
    if problems:
        lines.append(f"{len(problems)} workbook problem(s), e.g. {problems[0].render()}")
    return lines or ["no ONS Table 14 workbooks"]


FETCH = Fetch(
    page="https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/earningsandworkinghours/"
    "datasets/occupation4digitsoc2010ashetable14",
    files=(
        "ashe_workbooks/: the Table 14 zip of each year as downloaded "
        "(ashetable14<year>provisional.zip, ashetable14<year>revised.zip), or its unpacked "
        "workbooks in a sub-folder named like 2024provisional_soc2020",
        "ashe/original/ASHE_Table14/csv/<edition>_<annual|hourly>_<FT|FTPT>.csv (older "
        "extract, 2010r-2023p: all or none) and the three ashe2025p_*.csv extracts (optional)",
    ),
    editions="Table 14 workbooks 14.1-14.11 (a estimates + b CV), .xls (to 2023) and .xlsx "
    "(2024 on), SOC 2010 and SOC 2020, provisional and revised; the 2010r-2023p extract and "
    "the 2025p extracts",
    holdings=workbook_holdings,
)

MISSING = (
    "put ONS's Table 14 zip (or its workbooks) in ashe_workbooks/, or the extract CSVs in ashe/"
)


@dataclass(frozen=True)
class AsheDataset(Dataset):
    """Present with ONS's workbooks alone, the older extract alone, or both: every file is
    optional, but a source must hold some ASHE file (and the extract whole when it has any)."""

    def present(self, source_dir: Path) -> bool:
        return any(f.found_in(source_dir) for f in self.files) or any(
            (source_dir / WORKBOOK_DIR).rglob("*Table 14.*")
        )

    def missing_files(self, source_dir: Path) -> list[str]:
        return [] if self.present(source_dir) else [MISSING]


ASHE = AsheDataset(
    name="ashe",
    title="ONS Annual Survey of Hours and Earnings: Table 14 workbooks with CVs (2021-2024), "
    "Table 14 extract (2010-2023), 2025p Tables 14 and 3",
    publisher="Office for National Statistics",
    licence="Open Government Licence v3.0",
    files=_files(),
    tables=(ashe_cells,),
    snapshot_tables=("ashe_cells",),
    views=(PAY,),
    load=load_ashe,
    depends_on=("soc2010", "soc2020"),
    about=ABOUT,
    fetch=FETCH,
)
