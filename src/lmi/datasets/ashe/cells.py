"""ASHE cells in memory while a release is built: parsing, exact derivations, flags."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lmi.checks import Frame
from lmi.datasets.ashe.checks import MEASURES_2025, PATTERNS_2025, STATS_2025, T14_NUMERIC
from lmi.datasets.ashe.tables import STATISTICS
from lmi.datasets.ashe.workbooks import Workbook
from lmi.sdc import Served, classify
from lmi.sdc.policy import ASHE, ASHE_2025P_EXTRACT, ASHE_WORKBOOK, SERVABLE

__all__ = [
    "UK",
    "Cell",
    "CellKey",
    "derive_part_time",
    "table14_cells",
    "table2025_cells",
    "workbook_cells",
]

UK = "K02000001"
CellKey = tuple[int, str, str, str, str, str, str, str]
#: Table 14 column → statistic
T14_STATS = dict(
    zip(T14_NUMERIC[:5], ["jobs", "median", "median_change", "mean", "mean_change"], strict=True)
)
T14_STATS.update({str(p): f"p{p}" for p in (10, 20, 25, 30, 40, 60, 70, 75, 80, 90)})
ONS_TABLES = {"annual": "14.7a", "hourly": "14.5a?", "weekly": "14.1a", "hours": "14.9a"}


@dataclass
class Cell:
    year: int
    edition: str
    soc_version: str
    code: str
    measure: str
    sex: str
    pattern: str
    area: str
    title: str
    source: str
    method: str = "observed"
    stats: dict[str, Served] = field(default_factory=dict)
    #: statistic → CV (%) published by ONS (Table 14 "b" workbooks)
    cvs: dict[str, float] = field(default_factory=dict)

    @property
    def key(self) -> CellKey:
        return (
            self.year,
            self.edition,
            self.soc_version,
            self.code,
            self.measure,
            self.sex,
            self.pattern,
            self.area,
        )

    @property
    def level(self) -> int:
        return 0 if self.code == "all" else len(self.code)

    def value(self, stat: str) -> float | None:
        found = self.stats.get(stat)
        return found.value if found is not None and found.servable else None

    def row(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "year": self.year,
            "edition": self.edition,
            "soc_version": self.soc_version,
            "code": self.code,
            "measure": self.measure,
            "sex": self.sex,
            "pattern": self.pattern,
            "area": self.area,
            "level": self.level,
            "title": self.title,
            "source": self.source,
            "method": self.method,
        }
        flags: dict[str, list[str]] = {}
        for stat in STATISTICS:
            served = self.stats.get(stat)
            row[stat] = served.value if served is not None and served.servable else None
            if served is not None and (served.status != "ok" or served.method != self.method):
                flags[stat] = [served.status, served.rule]
        row["flags_json"] = json.dumps(flags, separators=(",", ":"), sort_keys=True)
        row["cv_json"] = json.dumps(self.cvs, separators=(",", ":"), sort_keys=True)
        return row


# -- Table 14, 2010–2023 -----------------------------------------------------------------------


def table14_cells(
    frame: Frame, *, year: int, edition: str, version: str, measure: str, pattern: str
) -> Iterator[Cell]:
    source = f"ASHE {year}{edition} Table {ONS_TABLES[measure]} {frame.file.rsplit('/', 1)[-1]}"
    cols = frame.columns
    for i, raw_code in enumerate(cols["Code"]):
        code = raw_code.strip()
        if code == "":  # "Not Classified": no code to serve it under
            continue
        cell = Cell(
            year,
            edition,
            version,
            "all" if code == "XX" else code,
            measure,
            "all",
            pattern,
            UK,
            cols["Description"][i].strip(),
            source,
        )
        jobs = _number(cols["No_jobs"][i])
        for column, stat in T14_STATS.items():
            unit = "jobs" if stat == "jobs" else measure
            if stat.endswith("_change") and cols[column][i].strip() == "":
                cell.stats[stat] = Served(None, "not_available", "none", f"{ASHE.id}:no-change")
                continue
            cell.stats[stat] = classify(ASHE, cols[column][i], measure=unit, count=None)
        for stat, served in cell.stats.items():  # small job counts: served with caution
            if stat == "jobs" or served.status != "ok" or jobs is None:
                continue
            if jobs < (ASHE.caution_count or 0):
                cell.stats[stat] = _with(served, "caution", f"{ASHE.id}:small-count")
        yield cell


def _number(raw: str) -> float | None:
    try:
        return float(raw.strip().replace(",", ""))
    except ValueError:
        return None


def _with(served: Served, status: Any, rule: str) -> Served:
    return Served(served.value, status, served.band, rule, served.method)


# -- ONS Table 14 workbooks (with CVs) ----------------------------------------------------------


def workbook_cells(estimates: Workbook, cvs: Workbook | None) -> Iterator[Cell]:
    """Cells of one ``a`` workbook, each statistic classified by the CV from its ``b`` file.

    The CV decides the status by the declared policy (:data:`ASHE_WORKBOOK`): a figure whose
    CV is over 20 % is withheld even when a number is printed; 10–20 % is served as caution.
    """
    table = f"{estimates.table}a"
    for (sex, pattern), sheet_rows in estimates.sheets.items():
        cv_rows = {r.code: r.cells for r in cvs.sheets.get((sex, pattern), [])} if cvs else {}
        sheet = _SHEET_NAMES[(sex, pattern)]
        source = f"ASHE {estimates.year}{estimates.edition} Table {table} workbook, {sheet}"
        for sheet_row in sheet_rows:
            cell = Cell(
                estimates.year,
                estimates.edition,
                estimates.soc_version,
                sheet_row.code,
                estimates.measure,
                sex,
                pattern,
                UK,
                sheet_row.title.strip(),
                source,
            )
            published_cvs = cv_rows.get(sheet_row.code, {})
            for stat, raw in sheet_row.cells.items():
                cv_raw = published_cvs.get(stat)
                cv = cv_raw if isinstance(cv_raw, float) else None
                unit = "jobs" if stat == "jobs" else "percent" if stat.endswith("_change") else None
                served = classify(ASHE_WORKBOOK, raw, measure=unit or estimates.measure, cv=cv)
                cell.stats[stat] = served
                if cv is not None:
                    cell.cvs[stat] = cv
            yield cell


_SHEET_NAMES = {
    ("all", "all"): "All",
    ("male", "all"): "Male",
    ("female", "all"): "Female",
    ("all", "full-time"): "Full-Time",
    ("all", "part-time"): "Part-Time",
    ("male", "full-time"): "Male Full-Time",
    ("male", "part-time"): "Male Part-Time",
    ("female", "full-time"): "Female Full-Time",
    ("female", "part-time"): "Female Part-Time",
}


# -- 2025 provisional extracts ----------------------------------------------------------------


def table2025_cells(frame: Frame, *, code_column: str, area_column: str | None) -> Iterator[Cell]:
    cols = frame.columns
    title_column = "title"
    for i in range(frame.height):
        measure = MEASURES_2025[cols["measure"][i]]
        area = cols[area_column][i] if area_column else UK
        cell = Cell(
            int(cols["year"][i]),
            "p",
            "soc2020",
            cols[code_column][i].strip(),
            measure,
            cols["sex"][i],
            PATTERNS_2025[cols["work_pattern"][i]],
            area,
            cols[title_column][i].strip(),
            f"ASHE 2025p Table {cols['ons_table'][i]} (kncube extract)",
        )
        for stat in STATS_2025:
            cell.stats[stat] = classify(ASHE_2025P_EXTRACT, cols[stat][i], measure=measure)
        yield cell


def excl_overtime_cells(frame: Frame) -> Iterator[Cell]:
    """Hourly pay excluding overtime (Table 14.6a): medians by sex."""
    cols = frame.columns
    for i in range(frame.height):
        for sex in ("all", "male", "female"):
            cell = Cell(
                int(cols["year"][i]),
                "p",
                "soc2020",
                cols["soc2020"][i].strip(),
                "hourly_excl_overtime",
                sex,
                PATTERNS_2025[cols["work_pattern"][i]],
                UK,
                cols["title"][i].strip(),
                "ASHE 2025p Table 14.6a (kncube extract)",
            )
            raw = cols[f"{sex}_median"][i]
            cell.stats["median"] = classify(ASHE_2025P_EXTRACT, raw, measure="hourly")
            yield cell


# -- exact derivations -------------------------------------------------------------------------


def derive_part_time(cells: dict[CellKey, Cell]) -> list[Cell]:
    """Part-time job counts and means from the all-employee and full-time ones (Table 14).

    ``jobs_pt = jobs_all − jobs_ft``; ``mean_pt = (mean_all·jobs_all − mean_ft·jobs_ft) /
    jobs_pt``. Only from served figures (never from a suppressed one), so a derived part-time
    figure adds nothing a reader could not compute; it needs ``jobs_pt`` ≥ the policy minimum
    because job counts are published rounded to thousands.
    """
    derived = []
    for key, everyone in cells.items():
        if everyone.pattern != "all" or everyone.area != UK or "jobs" not in everyone.stats:
            continue
        full = cells.get((*key[:6], "full-time", key[7]))
        if full is None or (*key[:6], "part-time", key[7]) in cells:
            continue  # no full-time figure, or ONS publishes part-time itself (workbooks)
        derived.append(_part_time(everyone, full))
    return derived


def _part_time(everyone: Cell, full: Cell) -> Cell:
    cell = Cell(
        everyone.year,
        everyone.edition,
        everyone.soc_version,
        everyone.code,
        everyone.measure,
        everyone.sex,
        "part-time",
        UK,
        everyone.title,
        "derived: all employees − full-time (same Table 14 edition)",
        method="derived",
    )
    jobs_all, jobs_ft = everyone.value("jobs"), full.value("jobs")
    mean_all, mean_ft = everyone.value("mean"), full.value("mean")
    rule = f"{ASHE.id}:derived-part-time"
    if jobs_all is None or jobs_ft is None:
        cell.stats["jobs"] = Served(None, "not_available", "none", f"{rule}:input-not-served")
        cell.stats["mean"] = cell.stats["jobs"]
        return cell
    jobs_pt = jobs_all - jobs_ft
    cell.stats["jobs"] = Served(jobs_pt, "ok", "not_published", rule, "derived")
    if jobs_pt < (ASHE.min_count or 0):
        cell.stats["mean"] = Served(None, "suppressed_quality", "none", f"{ASHE.id}:min-count")
    elif mean_all is None or mean_ft is None:
        cell.stats["mean"] = Served(None, "not_available", "none", f"{rule}:input-not-served")
    else:
        mean = (mean_all * jobs_all - mean_ft * jobs_ft) / jobs_pt
        status = "caution" if jobs_pt < (ASHE.caution_count or 0) else "ok"
        value = ASHE.round(mean, everyone.measure)
        cell.stats["mean"] = Served(value, status, "not_published", rule, "derived")  # type: ignore[arg-type]
    return cell


def rows(cells: Iterable[Cell]) -> Iterator[dict[str, Any]]:
    for cell in cells:
        yield cell.row()


def servable(served: Served | None) -> bool:
    return served is not None and served.status in SERVABLE and served.value is not None
