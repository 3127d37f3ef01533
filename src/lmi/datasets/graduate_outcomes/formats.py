"""Format specifications of the Discover Uni sector and job-type files (validator and docs).

Column meanings follow HESA's Discover Uni file structure (C25061) and the ``readme.txt`` of
dataset v7.4. Area suffixes: UK, E (England), NI, S (Scotland), W (Wales) for Graduate Outcomes
salaries; UK, England's nine regions (NW, NE, EM, WM, EE, SE, SW, YH, LN = London), W, S and
three further areas CF, ED, GL for LEO (their labels are not stated in the files).
"""

from __future__ import annotations

from lmi.checks.spec import PAY, PERCENT, Column, FileSpec

__all__ = [
    "GO_AREAS",
    "GOSECSAL_SPEC",
    "JOBTYPE_SPEC",
    "LEO_AREAS",
    "LEO_SPECS",
    "SUBJECT_PATTERN",
]

SUBJECT_PATTERN = r"CAH\d\d(-\d\d(-\d\d)?)?"
NA = (("NA", "not available or suppressed (Discover Uni does not say which)"),)
GO_AREAS = ("UK", "E", "NI", "S", "W")
LEO_AREAS: tuple[str, ...] = ("UK", "E", "NW", "NE", "EM", "WM", "EE", "SE", "SW", "YH", "LN")
LEO_AREAS += ("W", "CF", "S", "ED", "GL")
MODE = Column("KISMODE", "code", "01 full-time, 02 part-time", values=("01", "02"), blank=False)
LEVEL = Column(
    "KISLEVEL",
    "code",
    "03 first degree, 04 other undergraduate (per HESA C25061; not re-verified)",
    values=("03", "04"),
    blank=False,
)


def _subject(name: str) -> Column:
    return Column(name, "code", "CAH1, CAH2 or CAH3 subject", SUBJECT_PATTERN, blank=False)


def _money(name: str, what: str) -> Column:
    return Column(name, "integer", what, unit="£ a year", symbols=NA, blank=False, plausible=PAY)


def _count(name: str, what: str) -> Column:
    return Column(name, "integer", what, unit="people, rounded to 5", symbols=NA, blank=False)


def _go_columns() -> tuple[Column, ...]:
    found = [_subject("GOSECSBJ"), MODE, LEVEL]
    for area in GO_AREAS:
        found += [
            _money(f"GOSECLQ_{area}", f"{area}: lower quartile salary 15 months after graduation"),
            _money(f"GOSECMED_{area}", f"{area}: median salary"),
            _money(f"GOSECUQ_{area}", f"{area}: upper quartile salary"),
            _count(f"GOSECPOP_{area}", f"{area}: Graduate Outcomes respondents behind the salary"),
        ]
    return tuple(found)


def _leo_columns(years: int) -> tuple[Column, ...]:
    found = [_subject(f"LEO{years}SECSBJ"), MODE, LEVEL]
    for area in LEO_AREAS:
        found += [
            _count(f"LEO{years}SECPOP_{area}", f"{area}: graduates in the LEO population"),
            _money(f"LEO{years}LQ_{area}", f"{area}: lower quartile earnings {years} years on"),
            _money(f"LEO{years}MED_{area}", f"{area}: median earnings"),
            _money(f"LEO{years}UQ_{area}", f"{area}: upper quartile earnings"),
        ]
    return tuple(found)


GOSECSAL_SPEC = FileSpec(
    columns=_go_columns(),
    key=("GOSECSBJ", "KISMODE", "KISLEVEL"),
    min_rows=5,
    notes="One row per CAH subject × mode × level; `NA` cells come in whole areas.",
)

LEO_SPECS = {
    years: FileSpec(
        columns=_leo_columns(years),
        key=(f"LEO{years}SECSBJ", "KISMODE", "KISLEVEL"),
        min_rows=5,
        notes=f"LEO earnings {years} years after graduation (tax year per Discover Uni v7.4).",
    )
    for years in (3, 5)
}

_PERCENT = "per cent of the JOBPOP population, rounded to 5 by HESA"
JOBTYPE_SPEC = FileSpec(
    columns=(
        Column("PUBUKPRN", "code", "publishing provider UKPRN", r"\d{8}", blank=False),
        Column("UKPRN", "code", "teaching provider UKPRN", r"\d{8}", blank=False),
        Column("KISCOURSEID", "code", "provider's course identifier", blank=False),
        MODE,
        Column(
            "JOBUNAVAILREASON",
            "code",
            "why course-level data is not shown (0 shown; 1 aggregated or not available)",
            values=("0", "1", "2"),
            blank=False,
        ),
        Column("JOBPOP", "integer", "population of the job-type measure (in work)"),
        Column("JOBRESPONSE", "integer", "survey respondents"),
        Column("JOBSAMPLE", "integer", "surveyed population"),
        Column("JOBRESP_RATE", "integer", "response rate", unit="per cent", plausible=PERCENT),
        Column(
            "JOBAGG",
            "code",
            "aggregation: first digit 1 = latest year, 2 = two years; second digit 1–3 = CAH "
            "level of JOBSBJ, 4 = the course itself (inferred from the file)",
            r"[12][1-4]",
        ),
        Column("JOBAGGYEAR", "code", "academic years aggregated", r"\d{4}-\d\d"),
        Column("JOBYEAR1", "code", "first survey year", r"\d{4}-\d\d"),
        Column("JOBYEAR2", "code", "second survey year", r"\d{4}-\d\d"),
        Column("JOBSBJ", "code", "CAH subject of a subject aggregate", SUBJECT_PATTERN),
        Column(
            "PROFMAN",
            "integer",
            "in professional or managerial jobs (SOC 1–3)",
            unit=_PERCENT,
            plausible=PERCENT,
        ),
        Column("OTHERJOB", "integer", "in other jobs", unit=_PERCENT, plausible=PERCENT),
        Column("UNKWN", "integer", "job type unknown", unit=_PERCENT, plausible=PERCENT),
    ),
    key=("PUBUKPRN", "KISCOURSEID", "KISMODE", "JOBSBJ"),
    min_rows=5,
    notes=(
        "One row per Discover Uni course and subject aggregate; blank cells where HESA "
        "publishes nothing. Courses of one provider share a subject aggregate (same JOBAGG, "
        "JOBSBJ and figures): lmi counts each aggregate once."
    ),
)
