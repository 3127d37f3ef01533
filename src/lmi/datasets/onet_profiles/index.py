"""The in-memory index of UK O*NET profiles: built once per snapshot, read by the API.

Matching works on *element scores* between 0 and 1: for skills and knowledge (and abilities and
work activities when loaded) the mean of the normalised importance ``(IM - 1) / 4`` and the
normalised level ``LV / 7``; for interests the normalised RIASEC score ``(OI - 1) / 6``. Each
SOC version keeps one column of scores per element, aligned with its list of unit groups, so a
reverse match is a weighted sum over a few columns and a related-occupation search one dot
product per unit group (Pearson correlation of importance profiles, precomputed as unit vectors).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from lmi.datasets.onet_profiles.build import effective_contributors, is_thin
from lmi.pickling import by_constructor
from lmi.store.database import Database
from lmi.store.schema import metadata

__all__ = [
    "Coverage",
    "Element",
    "MATCH_DOMAINS",
    "ProfileIndex",
    "RIASEC",
    "UnitProfile",
    "VersionVectors",
    "element_score",
    "load_profile_index",
]

#: domains a reverse match and the similarity of occupations are computed on
MATCH_DOMAINS = ("skills", "knowledge", "abilities", "work_activities", "interests")
SIMILARITY_DOMAINS = ("skills", "knowledge")
#: the six RIASEC interests, in O*NET's order (element ids 1.B.1.a … 1.B.1.f)
RIASEC = ("Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional")
#: the O*NET descriptor files served per O*NET occupation by the compatible layer
COMPAT_DOMAINS = ("skills", "abilities", "interests")


@dataclass(frozen=True, slots=True)
class Element:
    domain: str
    element_id: str
    name: str
    importance: float | None
    level: float | None
    contributors: int
    weight_covered: float

    __reduce__ = by_constructor


@dataclass(frozen=True, slots=True)
class Coverage:
    contributors: int
    weight_covered: float
    occupations: tuple[tuple[str, float], ...]

    __reduce__ = by_constructor

    @property
    def effective(self) -> float:
        return effective_contributors([w for _, w in self.occupations])

    @property
    def thin(self) -> bool:
        return is_thin([w for _, w in self.occupations], self.weight_covered)


@dataclass
class UnitProfile:
    version: str
    code: str
    elements: dict[str, list[Element]] = field(default_factory=dict)  # sorted, per domain
    coverage: dict[str, Coverage] = field(default_factory=dict)
    preparation: dict[str, Any] | None = None
    technology: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)

    def by_id(self, domain: str) -> dict[str, Element]:
        return {e.element_id: e for e in self.elements.get(domain, [])}


@dataclass
class VersionVectors:
    """Element scores of every profiled unit group of one SOC version, column by column."""

    codes: list[str]
    #: element id → score per unit group (None: the unit group has no data for it)
    scores: dict[str, list[float | None]]
    #: unit groups with a skills+knowledge profile, and its centred unit vector
    similar_codes: list[str]
    unit_vectors: list[list[float]]
    similarity_ids: list[str]
    #: unit group → RIASEC scores (OI) in :data:`RIASEC` order
    riasec: dict[str, tuple[float, ...]]
    #: domain → unit groups whose profile in that domain is thin (low confidence)
    thin: dict[str, set[str]] = field(default_factory=dict)
    #: unit group → its position in ``codes``
    positions: dict[str, int] = field(default_factory=dict)

    #: unit group → its RIASEC scores less their mean, and the sum of their squares: the
    #: half of a Pearson correlation that does not depend on the scores asked about
    riasec_centred: dict[str, tuple[tuple[float, ...], float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.positions = {code: i for i, code in enumerate(self.codes)}
        self.riasec_centred = {code: centred(scores) for code, scores in self.riasec.items()}


def centred(values: tuple[float, ...]) -> tuple[tuple[float, ...], float]:
    """``values`` less their mean, and the sum of squares of those differences."""
    mean = sum(values) / len(values)
    differences = tuple(x - mean for x in values)
    return differences, sum(x * x for x in differences)


@dataclass
class ProfileIndex:
    profiles: dict[tuple[str, str], UnitProfile]
    #: element id → (domain, name), over every loaded domain
    elements: dict[str, tuple[str, str]]
    vectors: dict[str, VersionVectors]
    #: (domain, O*NET code) → [(element id, name, scale, value)] for the compatible layer
    onet_ratings: dict[tuple[str, str], list[tuple[str, str, str, float]]]
    #: domains of :data:`COMPAT_DOMAINS` and :data:`MATCH_DOMAINS` with data in the release
    loaded_domains: frozenset[str]
    #: (version, unit group) → its O*NET job zone (1–5), or None without preparation data
    job_zones: dict[tuple[str, str], int | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.job_zones = {
            key: (unit.preparation or {}).get("job_zone") for key, unit in self.profiles.items()
        }


def element_score(domain: str, importance: float | None, level: float | None) -> float | None:
    """0–1: the mean of normalised importance (1–5) and level (0–7), either alone if one."""
    if domain == "interests":
        return None if importance is None else (importance - 1) / 6
    parts = []
    if importance is not None:
        parts.append((importance - 1) / 4)
    if level is not None:
        parts.append(level / 7)
    return sum(parts) / len(parts) if parts else None


def load_profile_index(db: Database, release_id: int) -> ProfileIndex:
    profiles: dict[tuple[str, str], UnitProfile] = {}

    def profile(row: dict[str, Any]) -> UnitProfile:
        key = (row["soc_version"], row["soc_code"])
        found = profiles.get(key)
        if found is None:
            found = profiles[key] = UnitProfile(*key)
        return found

    elements: dict[str, tuple[str, str]] = {}
    for row in _rows(db, "onet_uk_elements", release_id):
        element = Element(
            row["domain"],
            row["element_id"],
            row["element_name"],
            row["importance"],
            row["level"],
            row["contributors"],
            row["weight_covered"],
        )
        profile(row).elements.setdefault(element.domain, []).append(element)
        elements[element.element_id] = (element.domain, element.name)
    for found in profiles.values():
        for listed in found.elements.values():
            listed.sort(key=lambda e: (-(e.importance or 0), -(e.level or 0), e.element_id))
    for row in _rows(db, "onet_uk_coverage", release_id):
        occupations = tuple((str(c), float(w)) for c, w in json.loads(row["occupations_json"]))
        profile(row).coverage[row["domain"]] = Coverage(
            row["contributors"], row["weight_covered"], occupations
        )
    for row in _rows(db, "onet_uk_preparation", release_id):
        profile(row).preparation = {
            "job_zone": row["job_zone"],
            "job_zone_mean": row["job_zone_mean"],
            "job_zones": json.loads(row["job_zones_json"]),
            "education": json.loads(row["education_json"]),
        }
    for row in sorted(
        _rows(db, "onet_uk_technology", release_id),
        key=lambda r: (-r["weight"], not r["hot_technology"], r["commodity_code"]),
    ):
        profile(row).technology.append(
            {
                "commodity_code": row["commodity_code"],
                "title": row["commodity_title"],
                "weight": row["weight"],
                "hot_technology": bool(row["hot_technology"]),
                "in_demand": bool(row["in_demand"]),
                "examples": json.loads(row["examples_json"]),
            }
        )
    for row in sorted(_rows(db, "onet_uk_tasks", release_id), key=lambda r: r["rank"]):
        profile(row).tasks.append(
            {k: row[k] for k in ("rank", "task_id", "task", "task_type", "onet_code", "weight")}
        )
    ratings = _onet_ratings(db, release_id)
    loaded = {d for found in profiles.values() for d in found.elements} | {d for d, _ in ratings}
    return ProfileIndex(
        profiles=profiles,
        elements=elements,
        vectors=_vectors(profiles),
        onet_ratings=ratings,
        loaded_domains=frozenset(loaded),
    )


def _rows(db: Database, table: str, release_id: int) -> list[dict[str, Any]]:
    return db.release_rows(metadata.tables[table], release_id)


def _onet_ratings(
    db: Database, release_id: int
) -> dict[tuple[str, str], list[tuple[str, str, str, float]]]:
    found: dict[tuple[str, str], list[tuple[str, str, str, float]]] = defaultdict(list)
    for domain in COMPAT_DOMAINS:
        table = metadata.tables[f"onet_{domain}"]
        statement = (
            sa.select(
                table.c.onet_code,
                table.c.element_id,
                table.c.element_name,
                table.c.scale_id,
                table.c.value,
                table.c.not_relevant,
            )
            .where(table.c.release_id == release_id)
            .order_by(table.c.onet_code, table.c.element_id, table.c.scale_id)
        )
        with db.engine.connect() as conn:
            for code, element, name, scale, value, irrelevant in conn.execute(statement):
                found[domain, code].append((element, name, scale, 0.0 if irrelevant else value))
    return dict(found)


def _vectors(profiles: dict[tuple[str, str], UnitProfile]) -> dict[str, VersionVectors]:
    by_version: dict[str, list[UnitProfile]] = defaultdict(list)
    for key in sorted(profiles):
        by_version[key[0]].append(profiles[key])
    return {version: _version_vectors(units) for version, units in by_version.items()}


def _version_vectors(units: list[UnitProfile]) -> VersionVectors:
    codes = [u.code for u in units]
    scores: dict[str, list[float | None]] = {}
    for i, unit in enumerate(units):
        for domain in MATCH_DOMAINS:
            for e in unit.elements.get(domain, []):
                column = scores.setdefault(e.element_id, [None] * len(units))
                column[i] = element_score(domain, e.importance, e.level)
    similarity_ids = sorted(
        {e.element_id for u in units for d in SIMILARITY_DOMAINS for e in u.elements.get(d, [])}
    )
    similar_codes: list[str] = []
    unit_vectors: list[list[float]] = []
    for unit in units:
        values = _importances(unit, similarity_ids)
        if values is not None and (vector := _unit_vector(values)) is not None:
            similar_codes.append(unit.code)
            unit_vectors.append(vector)
    thin: dict[str, set[str]] = defaultdict(set)
    for unit in units:
        for domain, coverage in unit.coverage.items():
            if coverage.thin:
                thin[domain].add(unit.code)
    return VersionVectors(
        codes, scores, similar_codes, unit_vectors, similarity_ids, _riasec(units), dict(thin)
    )


def _importances(unit: UnitProfile, ids: Iterable[str]) -> list[float] | None:
    found = {
        e.element_id: e.importance for d in SIMILARITY_DOMAINS for e in unit.elements.get(d, [])
    }
    values = [found.get(i) for i in ids]
    if any(v is None for v in values):
        return None
    return [float(v) for v in values if v is not None]


def _unit_vector(values: list[float]) -> list[float] | None:
    """Centred and scaled to length 1: the dot product of two is their Pearson correlation."""
    mean = sum(values) / len(values)
    centred = [v - mean for v in values]
    norm = math.sqrt(sum(v * v for v in centred))
    return [v / norm for v in centred] if norm > 0 else None


def _riasec(units: list[UnitProfile]) -> dict[str, tuple[float, ...]]:
    found: dict[str, tuple[float, ...]] = {}
    for unit in units:
        scores = {e.name: e.importance for e in unit.elements.get("interests", [])}
        values = [scores.get(name) for name in RIASEC]
        if all(v is not None for v in values):
            found[unit.code] = tuple(float(v) for v in values if v is not None)
    return found
