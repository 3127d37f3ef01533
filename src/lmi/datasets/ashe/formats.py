"""Format specifications of the ASHE files (validator and docs/datasets.md).

The loader's own checks (:mod:`lmi.datasets.ashe.checks`) add what a column spec cannot say:
that every code belongs to the file's SOC version in this release.
"""

from __future__ import annotations

from lmi.checks.spec import PAY, WEEKLY_HOURS, Column, FileSpec, Plausible

__all__ = [
    "EXCL_OT_2025_SPEC",
    "T3_2025_SPEC",
    "T14_2025_SPEC",
    "T14_SPEC",
    "WORKBOOK_SPEC",
]

ONS_SYMBOLS = (
    ("x", "suppressed by ONS (unreliable or disclosive)"),
    ("..", "not available"),
    (":", "not available"),
    ("-", "nil or not applicable"),
)
PERCENTILES = (10, 20, 25, 30, 40, 60, 70, 75, 80, 90)
PERCENTILE_NAMES = tuple(f"p{p}" for p in PERCENTILES)


def _pay(
    name: str, description: str, unit: str = "£ or hours", plausible: Plausible | None = PAY
) -> Column:
    return Column(name, "number", description, unit=unit, symbols=ONS_SYMBOLS, plausible=plausible)


T14_SPEC = FileSpec(
    columns=(
        Column("Description", "text", "occupation title as published (indented by level)"),
        Column(
            "Code",
            "code",
            "SOC unit, minor, sub-major or major group; XX = all employees; blank only for "
            "'Not Classified'",
            r"XX|[1-9]\d{0,3}",
        ),
        _pay("No_jobs", "number of jobs", unit="thousands", plausible=None),
        _pay("Median", "median pay"),
        _pay("change", "median: % change on the previous year", unit="%", plausible=None),
        _pay("Mean", "mean pay"),
        _pay("change.1", "mean: % change on the previous year", unit="%", plausible=None),
        *(_pay(str(p), f"{p}th percentile of pay") for p in PERCENTILES),
    ),
    min_rows=400,
    notes=(
        "ONS Table 14 sheets as CSV, one file per edition × measure × pattern, named "
        "`{edition}_{annual|hourly}_{FT|FTPT}.csv` (edition 2010r, 2011p: SOC 2000; 2011r, "
        "2021p: SOC 2010; 2021r, 2023p: SOC 2020). Annual pay in £ a year, hourly in £ an hour."
    ),
)

_2025_COMMON = (
    Column("year", "integer", "survey year", values=("2025",), blank=False),
    Column("release", "code", "edition", values=("provisional", "revised"), blank=False),
    Column("soc_version", "code", "classification", values=("SOC2020",), blank=False),
    Column("ons_table", "code", "ONS table number", r"\d{1,2}\.\d{1,2}a", blank=False),
    Column(
        "measure",
        "code",
        "what is measured",
        values=(
            "annual_gross_pay_gbp",
            "weekly_gross_pay_gbp",
            "hourly_gross_pay_gbp",
            "paid_hours_worked_total",
        ),
        blank=False,
    ),
    Column("sex", "code", "employees counted", values=("all", "male", "female"), blank=False),
    Column("work_pattern", "code", "work pattern", values=("all", "full-time"), blank=False),
)
_2025_STATS = (
    _pay("median", "median"),
    _pay("mean", "mean"),
    *(_pay(name, f"{name[1:]}th percentile") for name in PERCENTILE_NAMES),
)
_2025_NOTES = (
    "Third-party extract of the ONS 2025 provisional workbooks (see ashe/PROVENANCE.md): an "
    "empty cell is a value ONS suppressed or did not publish; no job counts or CVs."
)

T14_2025_SPEC = FileSpec(
    columns=(
        *_2025_COMMON,
        Column("soc2020", "code", "SOC 2020 unit group", r"[1-9]\d{3}", blank=False),
        Column("major_group", "code", "SOC 2020 major group", r"[1-9]", blank=False),
        Column("title", "text", "unit group title", blank=False),
        *_2025_STATS,
    ),
    key=("measure", "sex", "work_pattern", "soc2020"),
    plausible_when=(("measure", "paid_hours_worked_total", WEEKLY_HOURS),),
    min_rows=9000,
    notes=_2025_NOTES,
)

T3_2025_SPEC = FileSpec(
    columns=(
        *_2025_COMMON,
        Column("region_code", "code", "GSS code of the area", r"[EKNSW]\d{8}", blank=False),
        Column("region_name", "text", "area name"),
        Column("soc2020_major", "code", "SOC 2020 major group", r"[1-9]", blank=False),
        Column("title", "text", "major group title", blank=False),
        *_2025_STATS,
    ),
    key=("measure", "sex", "work_pattern", "region_code", "soc2020_major"),
    plausible_when=(("measure", "paid_hours_worked_total", WEEKLY_HOURS),),
    min_rows=2000,
    notes=_2025_NOTES + " Northern Ireland (N92000002) has no rows in this extract.",
)

EXCL_OT_2025_SPEC = FileSpec(
    columns=(
        Column("year", "integer", "survey year", values=("2025",), blank=False),
        Column("release", "code", "edition", values=("provisional", "revised"), blank=False),
        Column(
            "measure",
            "code",
            "what is measured",
            values=("hourly_pay_excl_overtime_gbp",),
            blank=False,
        ),
        Column(
            "work_pattern",
            "code",
            "work pattern (ft = full-time)",
            values=("all", "ft"),
            blank=False,
        ),
        Column("soc2020", "code", "SOC 2020 unit group", r"[1-9]\d{3}", blank=False),
        Column("major_group", "code", "SOC 2020 major group", r"[1-9]", blank=False),
        Column("title", "text", "unit group title", blank=False),
        _pay("male_median", "median hourly pay excluding overtime, men", unit="£/hour"),
        _pay("female_median", "median hourly pay excluding overtime, women", unit="£/hour"),
        _pay("all_median", "median hourly pay excluding overtime, all", unit="£/hour"),
        _pay("gap_pct_computed_by_repo", "gender gap computed by the extract's author", "%", None),
    ),
    key=("work_pattern", "soc2020"),
    min_rows=800,
    notes=_2025_NOTES + " ONS Table 14.6a.",
)

WORKBOOK_SPEC = FileSpec(
    columns=(
        Column("Description", "text", "occupation title as published (indented by level)"),
        Column(
            "Code",
            "code",
            "SOC unit, minor, sub-major or major group; blank for All employees (read as "
            "'all') and Not Classified (skipped)",
            r"[1-9]\d{0,3}",
        ),
        _pay("(thousand)", "number of jobs", unit="thousands"),
        _pay("Median", "median"),
        _pay("change", "after Median: % change of the median on the previous year", unit="%"),
        _pay("Mean", "mean"),
        _pay("change", "after Mean: % change of the mean on the previous year", unit="%"),
        *(_pay(str(p), f"{p}th percentile") for p in PERCENTILES),
    ),
    format="workbook",
    loader_checks=True,
    notes=(
        "ONS's ASHE Table 14 workbooks as published (`PROV - Occupation SOC20 (4) Table 14.7a "
        "  Annual pay - Gross 2024.xlsx`, and the `b … CV` file beside each), .xls or .xlsx, "
        "unpacked in any sub-folder of `ashe_workbooks/` or as the ONS zip itself. Tables "
        "14.1 weekly gross, 14.2 weekly excl. overtime, 14.3 basic, 14.4 overtime pay, 14.5 "
        "hourly gross, 14.6 hourly excl. overtime, 14.7 annual gross, 14.8 annual incentive, "
        "14.9 paid hours, 14.10 basic hours, 14.11 overtime hours. Sheets `All`, `Male`, "
        "`Female`, `Full-Time`, `Part-Time` and the four sex × pattern combinations. Found by "
        "content: the table and year from each sheet's title (or the year from the file name), "
        "the header row by `Description` and `Code`, columns by heading. Edition from `PROV` / "
        "`REV` (or provisional / revised in the folder name), SOC version from `SOC10` / "
        "`SOC20` (or the codes). Symbols `x` unreliable, `..` disclosive, `:` not applicable, "
        "`-` nil; CV files use `.` where no CV applies. Codes must be codes of the file's SOC "
        "version in the release."
    ),
)
