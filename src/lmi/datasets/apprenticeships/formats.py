"""Format of the IfATE apprenticeship-standards export (JSON from the API, or CSV).

The Institute for Apprenticeships and Technical Education (IfATE; since 2025 part of Skills
England) publishes its standards through an API (a JSON array, one object per standard
version) and as a download. lmi reads the fields below, named as in the API (camelCase); a CSV
export must use the same names as its header. Other fields are ignored. No export was available
when the loader was written: it is tested on fixtures in this format, and the field names of
the SOC codes (``soc2010``, ``soc2020``) should be confirmed against the first real export.
"""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = ["FIELDS", "LEVELS", "ROUTES", "STANDARDS_SPEC"]

LEVELS = ("2", "3", "4", "5", "6", "7")
#: IfATE's 15 occupational routes
ROUTES = (
    "Agriculture, environmental and animal care",
    "Business and administration",
    "Care services",
    "Catering and hospitality",
    "Construction and the built environment",
    "Creative and design",
    "Digital",
    "Education and early years",
    "Engineering and manufacturing",
    "Hair and beauty",
    "Health and science",
    "Legal, finance and accounting",
    "Protective services",
    "Sales, marketing and procurement",
    "Transport and logistics",
)
SOC_LIST = r"\d{4}(\s*[|,;]\s*\d{4})*"

STANDARDS_SPEC = FileSpec(
    columns=(
        Column("referenceNumber", "code", "standard reference", r"ST\d{4}", blank=False),
        Column("title", "text", "standard title", blank=False),
        Column("version", "code", "standard version", r"\d+(\.\d+)*"),
        Column("level", "integer", "apprenticeship level", values=LEVELS, blank=False),
        Column("route", "text", "IfATE occupational route (15 routes)", blank=False),
        Column("status", "text", "e.g. Approved for delivery, Retired, Withdrawn", blank=False),
        Column("typicalDuration", "integer", "typical duration", unit="months"),
        Column("larsCode", "integer", "LARS standard code"),
        Column("soc2010", "code", "SOC 2010 unit groups (codes joined by |)", SOC_LIST),
        Column("soc2020", "code", "SOC 2020 unit groups (codes joined by |)", SOC_LIST),
        Column("typicalJobTitles", "text", "typical job titles (JSON list, or joined by |)"),
    ),
    key=("referenceNumber", "version"),
    notes=(
        "JSON: an array of objects (or an object with a `standards` array) with these fields; "
        "lists may be JSON arrays. CSV: the same names as header; lists joined by `|`. One "
        "entry per standard version: the highest version of each reference is kept. A route "
        "outside IfATE's 15 routes is reported as a warning."
    ),
)

FIELDS = tuple(c.name for c in STANDARDS_SPEC.columns)
