"""The in-memory index of the pathway tables, built once per snapshot (see ``lmi.api.pathways``).

Holds, for one release, the tables of ``graduate_outcomes``, ``hesa_destinations`` and
``apprenticeships`` that were loaded, keyed for dictionary lookups. Earnings cells are kept as
tuples (the table has about 25,000 rows, mostly regional).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import sqlalchemy as sa

from lmi.datasets.apprenticeships.tables import (
    apprenticeship_standard_soc,
    apprenticeship_standards,
)
from lmi.datasets.graduate_outcomes.tables import graduate_earnings, graduate_job_types
from lmi.datasets.hesa_destinations.tables import hesa_destinations
from lmi.store.database import Database

__all__ = ["EarningsCell", "HesaRow", "JobTypes", "PathwayIndex", "load_pathway_index"]

EarningsKey = tuple[str, str, str, str, str]  # measure, cah_code, kismode, kislevel, area


class EarningsCell(NamedTuple):
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None
    population: int | None
    status: str
    rule: str


class JobTypes(NamedTuple):
    units: int
    population: int
    professional_managerial: float
    other_job: float
    unknown: float


class HesaRow(NamedTuple):
    academic_year: str
    qualification: str
    mode: str
    cah_code: str
    cah_level: str
    soc_version: str
    soc_code: str
    soc_level: str
    number: int | None
    percent: float | None
    status: str
    rule: str


@dataclass
class PathwayIndex:
    earnings: dict[EarningsKey, EarningsCell] = field(default_factory=dict)
    job_types: dict[tuple[str, str], JobTypes] = field(default_factory=dict)
    hesa_by_subject: dict[str, list[HesaRow]] = field(default_factory=dict)
    hesa_by_occupation: dict[tuple[str, str], list[HesaRow]] = field(default_factory=dict)
    #: reference → standard row (``job_titles`` parsed)
    standards: dict[str, dict[str, Any]] = field(default_factory=dict)
    standard_socs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    standards_by_soc: dict[tuple[str, str], list[str]] = field(default_factory=dict)


def load_pathway_index(db: Database, release_id: int, loaded: Set[str]) -> PathwayIndex:
    index = PathwayIndex()
    if "graduate_outcomes" in loaded:
        _earnings(db, release_id, index)
        for r in db.release_rows(graduate_job_types, release_id):
            index.job_types[(r["cah_code"], r["kismode"])] = JobTypes(
                r["units"],
                r["population"],
                r["professional_managerial"],
                r["other_job"],
                r["unknown"],
            )
    if "hesa_destinations" in loaded:
        by_subject: dict[str, list[HesaRow]] = defaultdict(list)
        by_occupation: dict[tuple[str, str], list[HesaRow]] = defaultdict(list)
        for r in db.release_rows(hesa_destinations, release_id):
            row = HesaRow(**r)
            by_subject[row.cah_code].append(row)
            by_occupation[(row.soc_version, row.soc_code)].append(row)
        index.hesa_by_subject, index.hesa_by_occupation = dict(by_subject), dict(by_occupation)
    if "apprenticeships" in loaded:
        for r in db.release_rows(apprenticeship_standards, release_id):
            r["job_titles"] = json.loads(r.pop("job_titles_json"))
            index.standards[r["reference"]] = r
        socs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        by_soc: dict[tuple[str, str], list[str]] = defaultdict(list)
        for r in db.release_rows(apprenticeship_standard_soc, release_id):
            socs[r["reference"]].append((r["soc_version"], r["soc_code"]))
            by_soc[(r["soc_version"], r["soc_code"])].append(r["reference"])
        index.standard_socs = {k: sorted(v) for k, v in socs.items()}
        index.standards_by_soc = {k: sorted(v) for k, v in by_soc.items()}
    return index


def _earnings(db: Database, release_id: int, index: PathwayIndex) -> None:
    t = graduate_earnings
    statement = sa.select(
        t.c.measure,
        t.c.cah_code,
        t.c.kismode,
        t.c.kislevel,
        t.c.area,
        t.c.lower_quartile,
        t.c.median,
        t.c.upper_quartile,
        t.c.population,
        t.c.status,
        t.c.rule,
    ).where(t.c.release_id == release_id)
    with db.engine.connect() as conn:
        for row in conn.execute(statement):
            index.earnings[tuple(row[:5])] = EarningsCell(*row[5:])
