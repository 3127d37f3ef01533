"""Format specifications of the Working Futures files (validator and docs/datasets.md)."""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = ["CSV_SPEC", "EMPLOYMENT_YEARS", "WORKBOOK_SPEC"]

#: the years of the ``emp_YYYY`` columns (Occupation Table 2)
EMPLOYMENT_YEARS = (2015, 2019, 2020, 2025, 2035)


def _thousands(name: str, description: str) -> Column:
    return Column(name, "number", description, unit="thousand people", blank=False)


CSV_SPEC = FileSpec(
    columns=(
        Column("area", "text", "area of the workbook", values=("England",), blank=False),
        Column("sex", "code", "people counted", values=("all", "male", "female"), blank=False),
        Column(
            "soc2020_sub_major",
            "code",
            "SOC 2020 sub-major group, or `all` for all occupations",
            r"all|[1-9][1-9]",
            blank=False,
        ),
        Column("title", "text", "occupation title as in the workbook", blank=False),
        *(_thousands(f"emp_{y}", f"employment in {y}") for y in EMPLOYMENT_YEARS),
        _thousands("net_change_2020_2035", "employment 2035 − employment 2020 (may be < 0)"),
        _thousands(
            "replacement_demand_2020_2035",
            "openings from people leaving (retirement, mortality, migration, moves between "
            "occupations), 2020–2035",
        ),
        _thousands("total_requirement_2020_2035", "net change + replacement demand, 2020–2035"),
    ),
    key=("sex", "soc2020_sub_major"),
    min_rows=81,
    notes=(
        "Occupation Table 2 (and 2.1 males, 2.2 females) of the Skills Imperative 2035 England "
        "workbook (Warwick IER / Cambridge Econometrics, database 2023-02-10): 26 SOC 2020 "
        "sub-major groups and all occupations, × sex all / male / female. Figures are "
        "projections after 2020 (the base year), model estimates before."
    ),
)

WORKBOOK_SPEC = FileSpec(
    # the layout of each table read (the workbook is not one table: documentation only)
    columns=(
        Column(
            "row label",
            "text",
            "`NN title` for a sub-major group, the title of a major group, or `All occupations` "
            "(the table's last row)",
            blank=False,
        ),
        Column(
            "year columns",
            "number",
            "employment in each year under the header (Occ F2: 2010 … 2035; Occ T5: 2015, 2020, "
            "2035; Basic T2: 2015, 2019, 2020, 2025, 2035)",
            unit="thousand people",
            blank=False,
        ),
        Column(
            "FT, PT, SE",
            "number",
            "Occ T5: full-time employees, part-time employees, self-employed (Total ignored)",
            unit="thousand people",
            blank=False,
        ),
        Column(
            "Change, Demand, Requirement",
            "number",
            "Basic T2: net change, replacement demand, total requirement 2020–2035",
            unit="thousand people",
            blank=False,
        ),
    ),
    format="xlsx",
    notes=(
        "Values-only copy of `EN_MainTables.Main.xlsm` (Skills Imperative 2035, England). "
        "Sheets read: **Occ F2** (employment by the 9 major and 26 sub-major SOC 2020 groups, "
        "every year 2010–2035: header row `thousands`, 2010 … 2035; one row per group, "
        "sub-major rows labelled `NN title`); **Occ T5** (employment by status — FT, PT, SE "
        "— for the 9 major groups, 2015, 2020 and 2035, in three side-by-side blocks: all, "
        "males, females; block header `Levels (000s)`); **Basic T2** (26 sub-major groups × "
        "9 RQF qualification levels, one side-by-side block per level headed `Levels (000s)`, "
        "2015, 2019, 2020, 2025, 2035, net change, replacement demand and total requirement "
        "2020–2035). Each block ends at its `All occupations` row. Optional: without it only "
        "the years of the CSV are served and there are no status or qualification splits."
    ),
)
