"""Loader of the Discover Uni dataset v7.4 files (see ``graduate_outcomes/PROVENANCE.md``).

* ``GOSECSAL.csv``: Graduate Outcomes salary (lower quartile, median, upper quartile, and the
  respondents behind it) 15 months after graduation, by CAH subject × mode × level, for the UK
  and its four nations → ``graduate_earnings`` rows with measure ``go15``.
* ``LEO3SEC.csv``, ``LEO5SEC.csv`` (optional): LEO earnings 3 and 5 years after graduation by
  subject × mode × level for the UK, England, its regions, Wales, Scotland and three further
  areas → measures ``leo3`` and ``leo5``.
* ``JOBTYPE.csv`` (optional): per course, the per cent of respondents in professional or
  managerial jobs (SOC major groups 1–3), other jobs, or unknown. Courses share their provider's
  subject aggregates (``JOBSBJ``); each distinct aggregate counts once. ``graduate_job_types``
  gives, for every CAH code, the mean over the aggregates at or below it, weighted by their
  population (``JOBPOP``) — a modelled figure: Discover Uni publishes no sector-level job type,
  and a provider's aggregates at different CAH levels may overlap. Course-level aggregates
  (``JOBAGG`` 14/24, no ``JOBSBJ``) are not used: their subject is in ``SBJ.csv``, not held.

CAH codes lose their ``CAH`` prefix (``CAH11-01`` → ``11-01``) to match the ``subjects`` table;
a code not in the release's CAH hierarchy is reported and skipped. The derived
``graduate_outcomes_salary_by_cah_subject_discover_uni_v7_4.csv`` (GOSECSAL unpivoted) is not
read: the original carries the same values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.graduate_outcomes.checks import check_subjects, normalise_cah
from lmi.datasets.graduate_outcomes.formats import (
    GO_AREAS,
    GOSECSAL_SPEC,
    JOBTYPE_SPEC,
    LEO_AREAS,
    LEO_SPECS,
)
from lmi.datasets.graduate_outcomes.policy import DISCOVER_UNI
from lmi.datasets.graduate_outcomes.tables import graduate_earnings, graduate_job_types
from lmi.datasets.graduate_outcomes.view import PATHWAYS
from lmi.sdc.values import classify

__all__ = ["GRADUATE_OUTCOMES", "job_type_rows", "load_graduate_outcomes"]

FOLDER = "graduate_outcomes/original/discover_uni_v7.4"
GOSECSAL = f"{FOLDER}/GOSECSAL.csv"
LEO3SEC = f"{FOLDER}/LEO3SEC.csv"
LEO5SEC = f"{FOLDER}/LEO5SEC.csv"
JOBTYPE = f"{FOLDER}/JOBTYPE.csv"
CAH_LEVELS = {2: "cah1", 5: "cah2", 8: "cah3"}  # by length of the code without prefix


def load_graduate_outcomes(ctx: LoadContext) -> None:
    known = _known_cah(ctx)
    go = ctx.read_csv(GOSECSAL)
    if go.require_columns([c.name for c in GOSECSAL_SPEC.columns[:3]]):
        skip = check_subjects(go, "GOSECSBJ", known)
        ctx.write(graduate_earnings, _earnings(go, "go15", "GOSECSBJ", _go_columns(), skip))
    for years, path in ((3, LEO3SEC), (5, LEO5SEC)):
        if not (ctx.source_dir / path).is_file():
            continue
        leo = ctx.read_csv(path)
        subject = f"LEO{years}SECSBJ"
        if leo.require_columns([c.name for c in LEO_SPECS[years].columns[:3]]):
            skip = check_subjects(leo, subject, known)
            rows = _earnings(leo, f"leo{years}", subject, _leo_columns(years), skip)
            ctx.write(graduate_earnings, rows)
    if (ctx.source_dir / JOBTYPE).is_file():
        jobs = ctx.read_csv(JOBTYPE)
        if jobs.require_columns([c.name for c in JOBTYPE_SPEC.columns]):
            skip = check_subjects(jobs, "JOBSBJ", known)
            ctx.write(graduate_job_types, job_type_rows(jobs, known, skip))


def _known_cah(ctx: LoadContext) -> set[str]:
    rows = ctx.tx.execute(
        "SELECT code FROM subjects WHERE release_id = :r AND scheme = 'cah'", {"r": ctx.release_id}
    ).rows
    found = {code for (code,) in rows}
    if not found:
        ctx.problem("error", "missing-dependency", "no CAH subject codes in this release")
    return found


Columns = dict[str, tuple[str, str, str, str]]  # area → (lq, median, uq, population) columns


def _go_columns() -> Columns:
    return {a: (f"GOSECLQ_{a}", f"GOSECMED_{a}", f"GOSECUQ_{a}", f"GOSECPOP_{a}") for a in GO_AREAS}


def _leo_columns(years: int) -> Columns:
    p = f"LEO{years}"
    return {a: (f"{p}LQ_{a}", f"{p}MED_{a}", f"{p}UQ_{a}", f"{p}SECPOP_{a}") for a in LEO_AREAS}


def _earnings(
    frame: Frame, measure: str, subject: str, columns: Columns, skip: set[int]
) -> Iterator[dict[str, Any]]:
    # an area whose columns are missing is reported by the file's spec (missing-column)
    present = {a: c for a, c in columns.items() if all(name in frame.columns for name in c)}
    for i, (code, mode, level) in enumerate(frame.rows(subject, "KISMODE", "KISLEVEL")):
        cah = normalise_cah(code)
        if i in skip or len(cah) not in CAH_LEVELS:
            continue
        for area, (lq, med, uq, pop) in present.items():
            count = _number(frame.columns[pop][i])
            served = classify(
                DISCOVER_UNI, _raw(frame.columns[med][i]), measure="earnings", count=count
            )
            ok = served.value is not None
            yield {
                "measure": measure,
                "cah_code": cah,
                "kismode": mode.strip(),
                "kislevel": level.strip(),
                "area": area,
                "cah_level": CAH_LEVELS[len(cah)],
                "lower_quartile": _number(frame.columns[lq][i]) if ok else None,
                "median": served.value,
                "upper_quartile": _number(frame.columns[uq][i]) if ok else None,
                "population": None if count is None else int(count),
                "status": served.status,
                "rule": served.rule,
            }


def _raw(value: str) -> str | float | None:
    """A cell for :func:`classify`: a symbol as text, a number as float (bad text: a symbol)."""
    text = value.strip()
    number = _number(text)
    return number if number is not None else text


def _number(value: str) -> float | None:
    try:
        return float(value.strip())
    except ValueError:
        return None


Unit = tuple[str, ...]


def job_type_rows(frame: Frame, known: set[str], skip: set[int]) -> Iterator[dict[str, Any]]:
    """Population-weighted job-type shares for every CAH code with subject aggregates under it."""
    units: dict[Unit, tuple[str, str, float, float, float, float]] = {}
    key_columns = ("PUBUKPRN", "UKPRN", "KISMODE", "JOBAGG", "JOBAGGYEAR", "JOBSBJ")
    figures = ("JOBPOP", "PROFMAN", "OTHERJOB", "UNKWN")
    for i, row in enumerate(frame.rows(*key_columns, *figures)):
        subject = normalise_cah(row[5])
        values = [_number(v) for v in row[6:]]
        if i in skip or not subject or any(v is None for v in values):
            continue
        pop, profman, other, unknown = (float(v or 0.0) for v in values)
        if pop <= 0:
            continue
        units[row] = (subject, row[2].strip(), pop, profman, other, unknown)
    totals: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0, 0.0])
    for subject, mode, pop, profman, other, unknown in units.values():
        for code in _ancestors(subject):
            if code not in known:
                continue
            total = totals[(code, mode)]
            total[0] += 1
            total[1] += pop
            total[2] += pop * profman
            total[3] += pop * other
            total[4] += pop * unknown
    for (code, mode), (count, pop, profman, other, unknown) in sorted(totals.items()):
        yield {
            "cah_code": code,
            "kismode": mode,
            "cah_level": CAH_LEVELS[len(code)],
            "units": int(count),
            "population": int(pop),
            "professional_managerial": round(profman / pop, 1),
            "other_job": round(other / pop, 1),
            "unknown": round(unknown / pop, 1),
        }


def _ancestors(code: str) -> list[str]:
    """``11-01-02`` → ``["11", "11-01", "11-01-02"]``."""
    parts = code.split("-")
    return ["-".join(parts[: n + 1]) for n in range(len(parts))]


ABOUT = About(
    coverage="Salaries 15 months after graduation from the Graduate Outcomes survey (lower "
    "quartile, median, upper quartile, respondents) by CAH subject, full-time or part-time study "
    "and level, for the UK and each of its four nations; LEO earnings 3 and 5 years after "
    "graduation by subject for the UK, England and its regions, Wales, Scotland and some "
    "further areas; and the share of graduates in professional or managerial jobs (SOC major "
    "groups 1-3) by subject.",
    currency="Discover Uni dataset version 7.4, produced 4 August 2025; its job-type figures "
    "come from the Graduate Outcomes surveys of 2021-22 and 2022-23 graduates.",
    frequency="OfS and HESA refresh the Discover Uni dataset once a year, with interim "
    "versions; lmi picks up a new version when its files replace these in the source directory.",
    limitations="The professional-or-managerial share by subject is modelled by lmi (a "
    "population-weighted mean of providers' course aggregates, which can overlap), not "
    "published at that level. Figures are rounded by the publisher, 'NA' (not available or "
    "suppressed: the files do not say which) is never served as a number, and the licence for "
    "republishing is still to be confirmed.",
)

GRADUATE_OUTCOMES = Dataset(
    name="graduate_outcomes",
    title="Discover Uni dataset v7.4: Graduate Outcomes salaries 15 months after graduation "
    "and LEO earnings 3 and 5 years after, by CAH subject; graduates in professional or "
    "managerial jobs by subject (derived from course-level job types)",
    publisher="Office for Students / HESA (Jisc); LEO: DfE / HMRC",
    licence="not stated in the files (HESA open data CC BY 4.0, OfS/DfE OGL v3): to be confirmed",
    files=(
        SourceFile(
            GOSECSAL,
            "GO sector salaries by CAH subject × mode × level × nation",
            spec=GOSECSAL_SPEC,
        ),
        SourceFile(
            LEO3SEC,
            "LEO earnings 3 years on by subject × mode × level × area",
            required=False,
            spec=LEO_SPECS[3],
        ),
        SourceFile(
            LEO5SEC,
            "LEO earnings 5 years on by subject × mode × level × area",
            required=False,
            spec=LEO_SPECS[5],
        ),
        SourceFile(
            JOBTYPE,
            "per course: % in professional/managerial jobs, other, unknown",
            required=False,
            spec=JOBTYPE_SPEC,
        ),
    ),
    tables=(graduate_earnings, graduate_job_types),
    views=(PATHWAYS,),
    load=load_graduate_outcomes,
    depends_on=("subjects",),
    about=ABOUT,
)
