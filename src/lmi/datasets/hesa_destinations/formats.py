"""Format of HESA's Graduate Outcomes "occupation by subject" open-data table.

HESA's open-data CSVs (hesa.ac.uk/data-and-analysis, CC BY 4.0) start with a metadata block —
two-cell rows such as ``"Title","…"``, ``"Data source","HESA"``, ``"Data source link","…"``,
``"Licence","…"``, ``"Last updated","…"`` — then the table, whose header row starts with
``Academic year``. A classification is given as a *marker* column saying which level a row is
at (``CAH level 1``, ``SOC 2020 unit group``, ``Total``) and a value column holding the code and
its label (``(CAH11-01) computing``, ``2134 Programmers and software development
professionals``). Counts are rounded by HESA (its rounding methodology: to the nearest 5, 0–2
to 0); percentages are not shown for populations under 22.5.

This layout follows HESA's conventions for its open-data tables; no such table was available
when the loader was written, so it is tested on fixtures in this format and should be
confirmed against the first real file (column names are matched without regard to case).
"""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = ["COLUMNS", "HEADER_START", "HESA_SPEC", "SYMBOLS"]

HEADER_START = "academic year"
SYMBOLS = (
    ("..", "HESA: suppressed (population under 22.5)"),
    ("x", "suppressed"),
)
CAH_VALUE = r"\(?(CAH)?\d\d(-\d\d(-\d\d)?)?\)? .+|Total"
SOC_VALUE = r"\(?\d{1,4}\)? .+|Total"

HESA_SPEC = FileSpec(
    columns=(
        Column("Academic year", "code", "academic year of graduation", r"\d{4}/\d\d", blank=False),
        Column("Level of qualification obtained", "text", "e.g. All, First degree", blank=False),
        Column("Mode of former study", "text", "e.g. All, Full-time, Part-time", blank=False),
        Column(
            "CAH level marker",
            "code",
            "level of the subject",
            values=("CAH level 1", "CAH level 2", "CAH level 3", "Total"),
            blank=False,
        ),
        Column("CAH level subject", "code", "CAH code and label, or Total", CAH_VALUE, blank=False),
        Column(
            "SOC marker",
            "code",
            "SOC version and level of the occupation",
            r"SOC 20(10|20) (major|sub-major|minor|unit) group|Total",
            blank=False,
        ),
        Column(
            "Standard Occupational Classification",
            "code",
            "SOC code and title, or Total",
            SOC_VALUE,
            blank=False,
        ),
        Column(
            "Number",
            "integer",
            "graduates in employment",
            unit="people, rounded to 5",
            symbols=SYMBOLS,
        ),
        Column(
            "Percent",
            "text",
            "of the subject's graduates in employment, e.g. 12.5%",
            r"\d+(\.\d+)?%?",
            symbols=SYMBOLS,
        ),
    ),
    key=(
        "Academic year",
        "Level of qualification obtained",
        "Mode of former study",
        "CAH level subject",
        "SOC marker",
        "Standard Occupational Classification",
    ),
    notes=(
        "HESA's metadata block above the header row is read for the title, licence and date "
        "and otherwise skipped (the header row is the first whose first cell is 'Academic "
        "year'). Column names are matched without regard to case. `Percent` may be blank: "
        "shares are then computed from the rounded numbers (modelled)."
    ),
)

COLUMNS = tuple(c.name for c in HESA_SPEC.columns)
