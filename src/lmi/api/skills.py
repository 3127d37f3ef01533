"""Skills, knowledge and interests on UK occupations: O*NET 29.0 mapped to UK SOC.

Native ``/v1`` endpoints: a unit group's profile, reverse matching from chosen elements or from
RIASEC interest scores, and related occupations with transferable skills and gaps. Compatible
``/api/v1/o-net/*`` endpoints keep LMI for All's shapes (``shared/reference/lmiforall-v1-api.md``
§1.6). Profiles come from the ``onet_uk_profiles`` dataset (method: modelled; see
:mod:`lmi.datasets.onet_profiles.build`), read from the index built once per snapshot
(:mod:`lmi.datasets.onet_profiles.index`). O*NET's CC BY 4.0 attribution travels in the
provenance of every response.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Mapping
from typing import Any

from lmi.api import params
from lmi.api.classifications import brief, version_arg
from lmi.api.joins import (
    PROFILE_METHOD_NOTE,
    PROFILES_NOT_LOADED,
    pay_and_outlook,
    profile_index,
    profile_method,
    profile_provenance,
)
from lmi.api.openapi import Endpoint, Param
from lmi.api.respond import Answer, compat, native, no_data
from lmi.classification.soc import parse_soc_code, parse_version
from lmi.datasets.onet.checks import ONET_CODE_PATTERN
from lmi.datasets.onet_profiles import PROFILE_METHOD
from lmi.datasets.onet_profiles.build import THIN_EFFECTIVE, THIN_WEIGHT
from lmi.datasets.onet_profiles.index import (
    RIASEC,
    Coverage,
    Element,
    ProfileIndex,
    UnitProfile,
    VersionVectors,
    centred,
)
from lmi.datasets.onet_profiles.view import PROFILES as PROFILE_INDEX
from lmi.errors import InvalidQuery, NotFound
from lmi.serve.snapshot import Derived, Group, Snapshot

__all__ = ["skills_routes"]

Query = Mapping[str, str]

PROFILES = "onet_uk_profiles"
ELEMENT_DOMAINS = (
    "skills",
    "knowledge",
    "abilities",
    "work_activities",
    "interests",
    "work_styles",
    "work_values",
)
SECTIONS = (*ELEMENT_DOMAINS, "job_zone", "technology_skills", "tasks")
#: elements per domain unless ``limit`` asks for more: the top ones are what careers sites show
DEFAULT_ELEMENTS = 10
#: the O*NET file behind each domain, for "not available" messages
SOURCE_FILES = {
    "skills": "Skills",
    "knowledge": "Knowledge",
    "abilities": "Abilities.txt",
    "work_activities": "Work Activities.txt",
    "interests": "Interests.txt",
    "work_styles": "Work Styles.txt",
    "work_values": "Work Values.txt",
    "job_zone": "Job Zones.txt",
    "technology_skills": "Technology Skills.txt",
    "tasks": "Task Statements.txt",
}
PRIMARY_NAME = {"work_values": "extent", "interests": "score"}
MATCH_PARAMS = ("skills", "knowledge", "abilities", "work_activities", "interests")
#: an element counts as important from this O*NET importance (1–5) in related-occupation advice
IMPORTANT = 3.0
#: a level gap (0–7 scale) from which an element is a gap to close
GAP = 0.5
MAX_ELEMENTS = 40


# -- helpers -----------------------------------------------------------------------------------


def unit_group(snap: Snapshot, version: str, code: str) -> Group:
    return params.unit_group(snap, version_arg(version), code, purpose=PROFILES_ARE_MADE)


PROFILES_ARE_MADE = "O*NET profiles are made"


def profile_of(index: ProfileIndex, group: Group) -> UnitProfile:
    found = index.profiles.get((group.version, group.code))
    if found is None:
        raise NotFound(
            f"{group.version.upper()} {group.code} maps to no O*NET occupation with data "
            "(see its /onet mapping)"
        )
    return found


def not_available(domain: str) -> str:
    return (
        f"O*NET {domain.replace('_', ' ')} are not available in this release: the source file "
        f"{SOURCE_FILES.get(domain, domain)} (O*NET 29.0) has not been loaded"
    )


def onet_titles(snap: Snapshot) -> dict[str, str]:
    return snap.derived(ONET_TITLES)


def _onet_titles(snap: Snapshot) -> dict[str, str]:
    return {r["onet_code"]: r["title"] for r in snap.rows("onet_occupations")}


ONET_TITLES = Derived("O*NET titles by code", _onet_titles)


def confidence(coverage: Coverage | None) -> dict[str, Any]:
    if coverage is None:
        return {"confidence": "none", "confidence_note": "no contributing O*NET occupation"}
    reasons = []
    if coverage.effective < THIN_EFFECTIVE:
        reasons.append(
            f"one O*NET occupation carries most of the weight (effective number of contributors "
            f"{coverage.effective:.2f})"
        )
    if coverage.weight_covered < THIN_WEIGHT:
        reasons.append(f"only {coverage.weight_covered:.0%} of the mapping weight has data")
    return {
        "confidence": "low" if reasons else "normal",
        "confidence_note": "; ".join(reasons) or None,
    }


def element_json(domain: str, e: Element) -> dict[str, Any]:
    found: dict[str, Any] = {"element_id": e.element_id, "name": e.name}
    found[PRIMARY_NAME.get(domain, "importance")] = e.importance
    if domain not in PRIMARY_NAME:
        found["level"] = e.level
    found["contributors"] = e.contributors
    return found


# -- profile -----------------------------------------------------------------------------------


def get_profile(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    index = profile_index(snap)
    group = unit_group(snap, version, code)
    unit = profile_of(index, group)
    sections = _sections(query)
    limit = params.integer(
        query, "limit", default=DEFAULT_ELEMENTS, minimum=1, maximum=MAX_ELEMENTS
    )
    available = [s for s in sections if _available(index, unit, s)]
    if not available:
        raise NotFound("; ".join(not_available(s) for s in sections))
    data: dict[str, Any] = {
        "occupation": {"soc_version": group.version, **brief(group)},
        "method": profile_method(snap),
        "method_note": PROFILE_METHOD_NOTE,
        "onet_occupations": _titles_used(unit, sections, limit, onet_titles(snap)),
    }
    for section in sections:
        data[section] = (
            _section(unit, section, limit)
            if section in available
            else {"available": False, "reason": not_available(section)}
        )
    data["provenance"] = profile_provenance(snap)
    return Answer(data, (PROFILES, "onet_uk_soc", "onet_occupations"))


def _sections(query: Query) -> tuple[str, ...]:
    raw = params.text(query, "sections", max_length=300)
    if raw is None:
        return SECTIONS
    chosen = tuple(dict.fromkeys(s.strip().lower() for s in raw.split(",") if s.strip()))
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown or not chosen:
        raise InvalidQuery(
            f"parameter 'sections' takes a comma list of {', '.join(SECTIONS)}; "
            f"unknown: {', '.join(unknown) or '(empty)'}",
            parameter="sections",
        )
    return chosen


def _available(index: ProfileIndex, unit: UnitProfile, section: str) -> bool:
    if section in ELEMENT_DOMAINS:
        return section in index.loaded_domains
    if section == "job_zone":
        return unit.preparation is not None
    if section == "technology_skills":
        return bool(unit.technology)
    return bool(unit.tasks)


def _contributing(coverage: Coverage | None) -> list[dict[str, Any]]:
    if coverage is None:
        return []
    return [{"onet_code": c, "weight": w} for c, w in coverage.occupations]


def _titles_used(
    unit: UnitProfile, sections: tuple[str, ...], limit: int, titles: dict[str, str]
) -> dict[str, str | None]:
    """O*NET code → title, once, for every occupation the chosen sections name."""
    codes: dict[str, None] = {}
    for section in sections:
        if section == "tasks":
            codes.update((t["onet_code"], None) for t in unit.tasks[:limit])
        elif (coverage := unit.coverage.get(section)) is not None:
            codes.update((c, None) for c, _ in coverage.occupations)
    return {code: titles.get(code) for code in codes}


def _section(unit: UnitProfile, section: str, limit: int) -> dict[str, Any]:
    if section == "job_zone":
        return {"available": True, **(unit.preparation or {})}
    if section == "technology_skills":
        return {
            "available": True,
            "total": len(unit.technology),
            "commodities": unit.technology[:limit],
        }
    if section == "tasks":
        return {"available": True, "total": len(unit.tasks), "tasks": unit.tasks[:limit]}
    coverage = unit.coverage.get(section)
    elements = unit.elements.get(section, [])
    found: dict[str, Any] = {
        "available": True,
        "contributors": coverage.contributors if coverage else 0,
        "effective_contributors": round(coverage.effective, 2) if coverage else 0.0,
        "weight_covered": coverage.weight_covered if coverage else 0.0,
        **confidence(coverage),
        "contributing": _contributing(coverage),
        "elements": [element_json(section, e) for e in elements[:limit]],
    }
    if section == "interests":
        found.update(_riasec_summary(elements))
    return found


def _riasec_summary(elements: list[Element]) -> dict[str, Any]:
    """High points: the three highest RIASEC scores (O*NET's order breaks ties)."""
    scores = [(e.importance or 0.0, e.name) for e in elements if e.name in RIASEC]
    top = sorted(scores, key=lambda s: (-s[0], RIASEC.index(s[1])))[:3]
    return {
        "riasec_code": "".join(name[0] for _, name in top),
        "high_points": [name for _, name in top],
    }


# -- reverse match -----------------------------------------------------------------------------


def match_skills(snap: Snapshot, query: Query) -> Answer:
    index = profile_index(snap)
    version = parse_version(query.get("soc"), default="soc2010")
    selection = _selection(index, query)
    zones = _job_zones(query)
    thin = params.choice(query, "thin", THIN_MODES, default="last")
    limit = params.integer(query, "limit", default=20, minimum=1, maximum=100)
    vectors = _version(index, version)
    thin_codes = _thin_codes(vectors, {index.elements[e][0] for e in selection})
    ranked = rank_by_elements(vectors, selection, zones, index, version, limit, thin, thin_codes)
    results = [
        _match_result(snap, index, version, rank, code, fit, selection, code in thin_codes)
        for rank, (fit, code) in enumerate(ranked, start=1)
    ]
    data = {
        "soc_version": version,
        "selection": [
            {
                "element_id": e,
                "domain": index.elements[e][0],
                "name": index.elements[e][1],
                "weight": w,
            }
            for e, w in selection.items()
        ],
        "job_zones": sorted(zones) or None,
        "thin": thin,
        "method_note": "fit = 100 × weighted mean of element scores (0–1: mean of importance "
        "(1–5) and level (0–7) rescaled; interests: (score − 1) / 6) over the chosen elements; "
        "unit groups without data for a chosen element are left out. Unit groups whose profile "
        "is thin (low confidence: in effect one US occupation, or little data) come after the "
        "others unless thin=include (rank by fit only) or thin=exclude.",
        "results": results,
        "provenance": profile_provenance(snap),
    }
    return Answer(data, (PROFILES, version))


def _selection(index: ProfileIndex, query: Query) -> dict[str, float]:
    """Element id → weight, from the ``skills``, ``knowledge``, … comma lists (``id:weight``)."""
    chosen: dict[str, float] = {}
    for domain in MATCH_PARAMS:
        for element, weight in parse_elements(query, domain):
            found = index.elements.get(element)
            if found is None or found[0] != domain:
                if domain not in index.loaded_domains:
                    raise NotFound(not_available(domain))
                raise InvalidQuery(
                    f"{element!r} is not an O*NET {domain.replace('_', ' ')} element id "
                    f"(see /v1/skills/elements?domain={domain})",
                    parameter=domain,
                )
            chosen[element] = weight
    if not chosen:
        raise InvalidQuery(
            "choose at least one element: skills=2.B.3.e,2.A.1.e (optionally id:weight), "
            "knowledge=…, interests=…",
            parameter="skills",
        )
    return chosen


ELEMENT_ID = re.compile(r"\d(\.[A-Za-z0-9]+)+")


def parse_elements(query: Query, name: str) -> list[tuple[str, float]]:
    raw = params.text(query, name, max_length=2000)
    if raw is None:
        return []
    found: list[tuple[str, float]] = []
    for item in (i.strip() for i in raw.split(",")):
        if not item:
            continue
        element, _, weight = item.partition(":")
        if not ELEMENT_ID.fullmatch(element):
            raise InvalidQuery(
                f"{element!r} is not an O*NET element id (form 2.A.3.e)", parameter=name
            )
        found.append((element, _weight(weight, name)))
    return found


def _weight(raw: str, name: str) -> float:
    if raw == "":
        return 1.0
    try:
        value = float(raw)
    except ValueError:
        raise InvalidQuery(f"weight {raw!r} is not a number", parameter=name) from None
    if not (math.isfinite(value) and 0 < value <= 100):
        raise InvalidQuery(f"weight {raw!r} must be above 0 and at most 100", parameter=name)
    return value


def _job_zones(query: Query) -> set[int]:
    raw = params.text(query, "job_zone", max_length=20)
    if raw is None:
        return set()
    zones = {z.strip() for z in raw.split(",") if z.strip()}
    if not zones or not zones <= {"1", "2", "3", "4", "5"}:
        raise InvalidQuery(
            f"parameter 'job_zone' takes job zones 1 to 5, comma-separated; got {raw!r}",
            parameter="job_zone",
        )
    return {int(z) for z in zones}


def _version(index: ProfileIndex, version: str) -> VersionVectors:
    vectors = index.vectors.get(version)
    if vectors is None:
        raise NotFound(f"no {version.upper()} unit group has an O*NET profile in this release")
    return vectors


def _zone_ok(index: ProfileIndex, version: str, code: str, zones: set[int]) -> bool:
    return not zones or index.job_zones.get((version, code)) in zones


THIN_MODES = ("last", "include", "exclude")


def _thin_codes(vectors: VersionVectors, domains: set[str]) -> set[str]:
    return set().union(*(vectors.thin.get(d, set()) for d in domains))


def rank_by_elements(
    vectors: VersionVectors,
    selection: dict[str, float],
    zones: set[int],
    index: ProfileIndex,
    version: str,
    limit: int,
    thin: str = "include",
    thin_codes: set[str] | None = None,
) -> list[tuple[float, str]]:
    """The best ``limit`` (fit 0–100, code), fit = weighted mean of the element scores.

    ``thin``: ``last`` ranks the unit groups of ``thin_codes`` after the others, ``exclude``
    leaves them out, ``include`` ranks by fit alone.
    """
    demoted = thin_codes or set()
    total = sum(selection.values())
    columns = [(vectors.scores.get(e, []), w / total) for e, w in selection.items()]
    fits: list[tuple[float, str]] = []
    for i, code in enumerate(vectors.codes):
        fit = 0.0
        for column, weight in columns:
            score = column[i] if column else None
            if score is None:
                break
            fit += weight * score
        else:
            if _zone_ok(index, version, code, zones) and not (
                thin == "exclude" and code in demoted
            ):
                fits.append((round(100 * fit, 2), code))
    last = demoted if thin == "last" else set()
    return heapq.nsmallest(limit, fits, key=lambda f: (f[1] in last, -f[0], f[1]))


def _match_result(
    snap: Snapshot,
    index: ProfileIndex,
    version: str,
    rank: int,
    code: str,
    fit: float,
    selection: dict[str, float],
    thin: bool,
) -> dict[str, Any]:
    unit = index.profiles[version, code]
    group = snap.groups[(version, code)]
    total = sum(selection.values())
    explained = []
    for element, weight in selection.items():
        domain = index.elements[element][0]
        found = unit.by_id(domain)[element]
        score = _score(vectors_score(index, version, code, element))
        explained.append(
            {
                **element_json(domain, found),
                "domain": domain,
                "score": score,
                "contribution": round(100 * weight / total * score, 2),
            }
        )
    explained.sort(key=lambda x: -x["contribution"])
    return {
        "rank": rank,
        **brief(group),
        "fit": fit,
        "job_zone": (unit.preparation or {}).get("job_zone"),
        "confidence": "low" if thin else "normal",
        "top_elements": explained[:5],
    }


def vectors_score(index: ProfileIndex, version: str, code: str, element: str) -> float | None:
    vectors = index.vectors[version]
    return vectors.scores[element][vectors.positions[code]]


def _score(value: float | None) -> float:
    return round(value or 0.0, 4)


# -- interests (RIASEC) --------------------------------------------------------------------------


def match_interests(snap: Snapshot, query: Query) -> Answer:
    index = profile_index(snap)
    if "interests" not in index.loaded_domains:
        raise NotFound(not_available("interests"))
    version = parse_version(query.get("soc"), default="soc2010")
    scores = _riasec_scores(query)
    zones = _job_zones(query)
    limit = params.integer(query, "limit", default=20, minimum=1, maximum=100)
    vectors = _version(index, version)
    asked, asked_squares = centred(scores)
    fits = [
        (round(_pearson(asked, asked_squares, *theirs), 4), code)
        for code, theirs in vectors.riasec_centred.items()
        if _zone_ok(index, version, code, zones)
    ]
    ranked = heapq.nsmallest(limit, fits, key=lambda f: (-f[0], f[1]))
    results = []
    for rank, (fit, code) in enumerate(ranked, start=1):
        unit = index.profiles[version, code]
        results.append(
            {
                "rank": rank,
                **brief(snap.groups[(version, code)]),
                "fit": fit,
                "job_zone": (unit.preparation or {}).get("job_zone"),
                "riasec": dict(zip(RIASEC, vectors.riasec[code], strict=True)),
                **_riasec_summary(unit.elements.get("interests", [])),
                **confidence(unit.coverage.get("interests")),
            }
        )
    data = {
        "soc_version": version,
        "riasec": dict(zip(RIASEC, scores, strict=True)),
        "riasec_code": "".join(
            n[0] for _, n in sorted(zip(scores, RIASEC, strict=True), key=lambda s: -s[0])[:3]
        ),
        "job_zones": sorted(zones) or None,
        "method_note": "fit = Pearson correlation (−1 to 1) between the RIASEC scores given and "
        "the unit group's weighted O*NET interest profile",
        "results": results,
        "provenance": profile_provenance(snap),
    }
    return Answer(data, (PROFILES, version))


def _riasec_scores(query: Query) -> tuple[float, ...]:
    raw = params.text(query, "riasec", required=True, max_length=200)
    assert raw is not None
    parts = [p.strip() for p in raw.split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 6 or not all(math.isfinite(v) and v >= 0 for v in values):
        raise InvalidQuery(
            "parameter 'riasec' takes six non-negative numbers: Realistic, Investigative, "
            f"Artistic, Social, Enterprising, Conventional (e.g. 10,35,12,8,20,30); got {raw!r}",
            parameter="riasec",
        )
    if max(values) == min(values):
        raise InvalidQuery("the six RIASEC scores must not all be equal", parameter="riasec")
    return values


def _pearson(
    da: tuple[float, ...], squares_a: float, db: tuple[float, ...], squares_b: float
) -> float:
    """Pearson's r of two score vectors given centred (:func:`centred`)."""
    norm = math.sqrt(squares_a * squares_b)
    return sum(x * y for x, y in zip(da, db, strict=True)) / norm if norm else 0.0


# -- related occupations --------------------------------------------------------------------------


def get_related(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    index = profile_index(snap)
    group = unit_group(snap, version, code)
    unit = profile_of(index, group)
    limit = params.integer(query, "limit", default=10, minimum=1, maximum=MAX_RELATED)
    vectors = _version(index, group.version)
    if group.code not in vectors.similar_codes:
        raise NotFound(
            f"{group.version.upper()} {group.code} has no skills and knowledge profile to compare"
        )
    ranked = _most_similar(snap, vectors, group)[:limit]
    results = [
        {
            "rank": rank,
            **brief(snap.groups[(group.version, other)]),
            "similarity": round(similarity, 4),
            "job_zone": (index.profiles[group.version, other].preparation or {}).get("job_zone"),
            **transfer(unit, index.profiles[group.version, other]),
            **pay_and_outlook(snap, group.version, other),
        }
        for rank, (similarity, other) in enumerate(ranked, start=1)
    ]
    data = {
        "occupation": {"soc_version": group.version, **brief(group)},
        "method_note": "similarity = Pearson correlation of the skills and knowledge importance "
        f"profiles; transferable: important (importance ≥ {IMPORTANT:g}) in both, level already "
        f"reached (within {GAP:g}); gaps: important in the other occupation, level higher by "
        f"{GAP:g} or more (0–7 scale). pay: the latest ASHE full-time annual median with its "
        "SDC envelope (when ASHE is loaded); outlook: England employment from this year to the "
        "end of the Working Futures projections (when loaded).",
        "results": results,
        "provenance": profile_provenance(snap),
    }
    return Answer(data, (PROFILES, group.version))


def _most_similar(snap: Snapshot, vectors: VersionVectors, group: Group) -> list[tuple[float, str]]:
    """Every other unit group by the similarity of its profile, most similar first (per release;
    at most the 50 a request may ask for)."""
    memo = snap.derived(SIMILAR)
    found = memo.get((group.version, group.code))
    if found is None:
        mine = vectors.unit_vectors[vectors.similar_codes.index(group.code)]
        similarities = [
            (sum(x * y for x, y in zip(mine, theirs, strict=True)), other)
            for other, theirs in zip(vectors.similar_codes, vectors.unit_vectors, strict=True)
            if other != group.code
        ]
        found = heapq.nsmallest(MAX_RELATED, similarities, key=lambda s: (-s[0], s[1]))
        memo[(group.version, group.code)] = found
    return found


MAX_RELATED = 50
#: (version, code) → the most similar unit groups, built as occupations are asked for
SIMILAR: Derived[dict[tuple[str, str], list[tuple[float, str]]]] = Derived(
    "related occupations by profile similarity", lambda snap: {}
)


def transfer(source: UnitProfile, target: UnitProfile, top: int = 6) -> dict[str, Any]:
    """Skills/knowledge that transfer from ``source`` to ``target``, and the gaps to close."""
    transferable: list[tuple[float, dict[str, Any]]] = []
    gaps: list[tuple[float, dict[str, Any]]] = []
    for domain in ("skills", "knowledge"):
        mine = source.by_id(domain)
        for e in target.elements.get(domain, []):
            have = mine.get(e.element_id)
            importance, level = e.importance or 0.0, e.level
            if have is None or importance < IMPORTANT or level is None:
                continue
            item = {
                "element_id": e.element_id,
                "name": e.name,
                "domain": domain,
                "importance": e.importance,
                "level_needed": e.level,
                "level_now": have.level,
            }
            gap = level - (have.level or 0.0)
            if gap >= GAP:
                gaps.append((gap * importance, {**item, "gap": round(gap, 2)}))
            elif (have.importance or 0) >= IMPORTANT:
                transferable.append((importance * level, item))
    return {
        "transferable": [i for _, i in sorted(transferable, key=lambda t: -t[0])[:top]],
        "gaps": [i for _, i in sorted(gaps, key=lambda t: -t[0])[:top]],
    }


# -- elements ----------------------------------------------------------------------------------


def list_elements(snap: Snapshot, query: Query) -> Answer:
    index = profile_index(snap)
    domain = params.choice(query, "domain", ELEMENT_DOMAINS, default="skills")
    if domain not in index.loaded_domains:
        raise NotFound(not_available(domain))
    described = {r["element_id"]: r["description"] for r in snap.rows("onet_content_model")}
    rows = [
        {"element_id": e, "name": name, "description": described.get(e)}
        for e, (d, name) in sorted(index.elements.items(), key=lambda i: _element_key(i[0]))
        if d == domain
    ]
    return Answer({"domain": domain, "elements": rows}, (PROFILES, "onet_reference"))


def _element_key(element: str) -> tuple[Any, ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in element.split("."))


# -- LMI for All compatible ------------------------------------------------------------------


ONET_CODE = re.compile(ONET_CODE_PATTERN)


def onet_code_arg(raw: str) -> str:
    code = raw.strip()
    if not ONET_CODE.fullmatch(code):
        raise InvalidQuery(
            f"{raw!r} is not an O*NET-SOC code (form 15-1252.00)", parameter="onetcode"
        )
    return code


def compat_soc2onet(snap: Snapshot, raw: str, query: Query) -> Answer:
    code = parse_soc_code(raw, parameter="soc", unit_group_only=True)
    group = snap.groups.get(("soc2010", code))
    if group is None or group.level != "unit_group":
        raise NotFound(f"{code} is not a SOC 2010 unit group")
    rows = snap.grouped("onet_uk_soc", "soc_version", "soc_code").get(("soc2010", code), [])
    if not rows:
        note = f"no O*NET-SOC occupation is mapped to SOC 2010 {code} in this release" + (
            "" if snap.has(PROFILES) else f" ({PROFILES_NOT_LOADED})"
        )
        return no_data(snap, {"soc": int(code), "onetCodes": [], "note": note}, note)
    titles = onet_titles(snap)
    ordered = sorted(rows, key=lambda r: (-r["weight"], r["onet_code"]))
    return Answer(
        {
            "soc": int(code),
            "onetCodes": [
                {"code": r["onet_code"], "title": titles.get(r["onet_code"])} for r in ordered
            ],
        }
    )


def compat_onet2soc(snap: Snapshot, query: Query) -> Answer:
    """Every O*NET-SOC occupation, or with ``onetCodes=a,b`` only those (codes not held are
    left out, as a search would: batch clients ask for a few at a time)."""
    everything = snap.derived(ONET_TO_SOC2010)
    raw = params.text(query, "onetCodes", max_length=2000)
    wanted = {onet_code_arg(part) for part in (raw or "").split(",") if part.strip()}
    if not everything:  # a list has no room for a note: the header says why
        return no_data(snap, [], f"no O*NET-SOC to SOC 2010 mapping: {PROFILES_NOT_LOADED}")
    if raw is None:
        return Answer(everything)
    return Answer([item for item in everything if item["onetCode"] in wanted])


def _onet_to_soc2010(snap: Snapshot) -> list[dict[str, Any]]:
    """Every O*NET-SOC occupation with its SOC 2010 unit groups, heaviest first (per release)."""
    by_onet: dict[str, list[dict[str, Any]]] = {}
    for row in snap.rows("onet_uk_soc"):
        if row["soc_version"] == "soc2010":
            by_onet.setdefault(row["onet_code"], []).append(row)
    result = []
    for onet_code in sorted(by_onet):
        rows = sorted(by_onet[onet_code], key=lambda r: (-r["weight"], r["soc_code"]))
        soc_codes = [
            {"soc": int(r["soc_code"]), "title": snap.groups[("soc2010", r["soc_code"])].title}
            for r in rows
            if ("soc2010", r["soc_code"]) in snap.groups
        ]
        result.append({"onetCode": onet_code, "socCodes": soc_codes})
    return result


ONET_TO_SOC2010 = Derived("O*NET-SOC to SOC 2010 (compat onet2soc)", _onet_to_soc2010)


def _compat_scales(
    snap: Snapshot, domain: str, raw: str, key: str, scales: tuple[str, ...]
) -> dict[str, Any]:
    code = onet_code_arg(raw)
    index = snap.view_or_none(PROFILE_INDEX)
    if index is None or domain not in index.loaded_domains:  # well formed, not held
        return {"onetcode": code, "scales": [], "note": not_available(domain)}
    ratings = index.onet_ratings.get((domain, code))
    if ratings is None:
        if code not in onet_titles(snap):
            raise NotFound(f"{code} is not an O*NET-SOC occupation")
        return {"onetcode": code, "scales": [], "note": f"O*NET has no {domain} ratings for {code}"}
    return {
        "onetcode": code,
        "scales": [
            {
                "id": scale,
                key: [
                    {"id": element, "name": name, "value": value}
                    for element, name, s, value in ratings
                    if s == scale
                ],
            }
            for scale in scales
        ],
    }


#: the per-occupation descriptors of LMI for All and the scales each returns, in order
COMPAT_SCALES = {
    "skills": ("LV",),
    "abilities": ("LV",),
    "interests": ("IH", "OI"),
    "knowledge": ("LV",),  # not seen in the material on LMI for All; shaped like skills
}
COMPAT_DESCRIPTORS = tuple(COMPAT_SCALES)


def compat_descriptor(snap: Snapshot, descriptor: str, raw: str, query: Query) -> Answer:
    """``/o-net/skills/{onetcode}``, ``/o-net/abilities/…`` and ``/o-net/interests/…``."""
    if descriptor not in COMPAT_SCALES:
        raise NotFound(
            f"/o-net/{descriptor} is not an O*NET endpoint: use "
            f"{', '.join(COMPAT_DESCRIPTORS)}, soc2onet, onet2soc or reversematch"
        )
    body = _compat_scales(snap, descriptor, raw, descriptor, COMPAT_SCALES[descriptor])
    if not body["scales"]:  # well formed, not held: the shape, empty, and why
        return no_data(snap, body, body["note"])
    return Answer(body)


#: LMI for All's ``weights``: four numbers, taken here as skills, abilities, interests, knowledge
COMPAT_WEIGHT_ORDER = ("skills", "abilities", "interests", "knowledge")


def compat_reversematch(snap: Snapshot, query: Query) -> Answer:
    """``{selection, results}``; elements of a domain the release did not load are left out
    with a ``note`` (and without any element held, no results): well formed, not held."""
    domain_weights = _compat_weights(query)
    per_domain = {d: parse_elements(query, d) for d in COMPAT_WEIGHT_ORDER}
    limit = params.integer(query, "limit", default=20, minimum=1, maximum=100)
    if not any(per_domain.values()):
        raise InvalidQuery(
            "choose at least one element with a weight above 0 (skills=2.B.3.e,2.A.1.e)",
            parameter="skills",
        )
    index = snap.view_or_none(PROFILE_INDEX)
    if index is None or not snap.has(PROFILES) or not index.profiles:
        note = PROFILES_NOT_LOADED
        return no_data(snap, {"selection": {}, "results": [], "note": note}, note)
    selection: dict[str, float] = {}
    named: dict[str, dict[str, str]] = {}
    notes: list[str] = []
    for domain, elements in per_domain.items():
        if elements and domain not in index.loaded_domains:
            notes.append(not_available(domain) + f": {domain} left out.")
            continue
        for element, weight in elements:
            found = index.elements.get(element)
            if found is None or found[0] != domain:
                raise InvalidQuery(
                    f"{element!r} is not an O*NET {domain} element id", parameter=domain
                )
            share = domain_weights[domain] / len(elements)
            selection[element] = weight * share
            named.setdefault(domain, {})[element] = found[1]
    selection = {e: w for e, w in selection.items() if w > 0}
    if not selection and notes:
        note = " ".join(notes)
        return no_data(snap, {"selection": named, "results": [], "note": note}, note)
    if not selection:
        raise InvalidQuery(
            "choose at least one element with a weight above 0 (skills=2.B.3.e,2.A.1.e)",
            parameter="skills",
        )
    vectors = _version(index, "soc2010")
    thin_codes = _thin_codes(vectors, {index.elements[e][0] for e in selection})
    ranked = rank_by_elements(
        vectors, selection, set(), index, "soc2010", limit, "last", thin_codes
    )
    body: dict[str, Any] = {
        "selection": named,
        "results": [
            {"likely_soc_codes": [int(code)], "title": snap.groups[("soc2010", code)].title}
            for _, code in ranked
        ],
    }
    if notes:
        body["note"] = " ".join(notes)
    return Answer(body)


def _compat_weights(query: Query) -> dict[str, float]:
    raw = params.text(query, "weights", max_length=100)
    if raw is None:
        return dict.fromkeys(COMPAT_WEIGHT_ORDER, 100.0)
    try:
        values = [float(v) for v in raw.split(",")]
    except ValueError:
        values = []
    if len(values) != 4 or not all(math.isfinite(v) and v >= 0 for v in values):
        raise InvalidQuery(
            "parameter 'weights' takes four non-negative numbers (skills, abilities, interests, "
            f"knowledge), e.g. 100,100,100,100; got {raw!r}",
            parameter="weights",
        )
    return dict(zip(COMPAT_WEIGHT_ORDER, values, strict=True))


# -- routes ----------------------------------------------------------------------------------

TAG_SKILLS = "Skills, knowledge and interests (O*NET)"
TAG_COMPAT = "LMI for All compatible"


def skills_routes() -> list[Endpoint]:
    return [*_native_routes(), *_compat_routes()]


VERSION = Param(
    "version", "SOC version: soc2010 or soc2020", location="path", enum=("soc2010", "soc2020")
)
CODE = Param("code", "SOC unit group (4 digits)", location="path", example="2136")
SOC = Param("soc", "SOC version of the results (default 2010)", enum=("2010", "2020"))
JOB_ZONE = Param("job_zone", "Only unit groups in these O*NET job zones (1–5), comma-separated")
LIMIT = Param("limit", "Maximum results (1–100, default 20)", type="integer")
NOT_FOUND = {404: "Unknown code, no O*NET data for it, or the O*NET file is not loaded"}
ELEMENT_LIST = "Comma-separated O*NET element ids, each optionally id:weight (weight 0–100)"


def _native_routes() -> list[Endpoint]:
    sub = "/v1/occupations/{version}/{code}"
    return [
        Endpoint(
            f"{sub}/profile",
            native(get_profile, "version", "code"),
            "O*NET profile of a UK unit group: skills, knowledge, interests, work styles and "
            "values, job zone and education, technology skills, tasks",
            TAG_SKILLS,
            (
                VERSION,
                CODE,
                Param("sections", f"Comma list of {', '.join(SECTIONS)} (default all)"),
                Param(
                    "limit",
                    f"Items per section (elements, technology commodities, tasks), most "
                    f"important first (1–{MAX_ELEMENTS}, default {DEFAULT_ELEMENTS}); each "
                    "list section says its `total`",
                    type="integer",
                ),
            ),
            description=PROFILE_METHOD,
            responses=NOT_FOUND,
            example="/v1/occupations/soc2010/2136/profile?sections=skills,knowledge,interests",
        ),
        Endpoint(
            f"{sub}/related",
            native(get_related, "version", "code"),
            "Most similar unit groups by skills and knowledge, with transferable skills and gaps",
            TAG_SKILLS,
            (VERSION, CODE, Param("limit", "Maximum results (1–50, default 10)", type="integer")),
            responses=NOT_FOUND,
            example="/v1/occupations/soc2020/2231/related",
        ),
        Endpoint(
            "/v1/skills/match",
            native(match_skills),
            "Reverse match: unit groups ranked by fit to chosen skills, knowledge or interests",
            TAG_SKILLS,
            (
                Param("skills", ELEMENT_LIST, example="2.B.3.e,2.A.1.e"),
                Param("knowledge", ELEMENT_LIST),
                Param("interests", ELEMENT_LIST),
                Param("abilities", ELEMENT_LIST),
                Param("work_activities", ELEMENT_LIST),
                SOC,
                JOB_ZONE,
                Param(
                    "thin",
                    "Thin (low-confidence) profiles: last (default), include or exclude",
                    enum=THIN_MODES,
                ),
                LIMIT,
            ),
            responses={400: "No element chosen or an unknown element id", **NOT_FOUND},
            example="/v1/skills/match?skills=2.B.3.e,2.A.1.e&soc=2020",
        ),
        Endpoint(
            "/v1/interests/match",
            native(match_interests),
            "Interest profiler: unit groups ranked by fit to RIASEC scores, by job zone",
            TAG_SKILLS,
            (
                Param(
                    "riasec",
                    "Six scores: Realistic, Investigative, Artistic, Social, Enterprising, "
                    "Conventional",
                    required=True,
                    example="10,35,12,8,20,30",
                ),
                SOC,
                JOB_ZONE,
                LIMIT,
            ),
            responses={400: "Not six non-negative numbers", **NOT_FOUND},
            example="/v1/interests/match?riasec=10,35,12,8,20,30&job_zone=4,5",
        ),
        Endpoint(
            "/v1/skills/elements",
            native(list_elements),
            "O*NET element ids and names of a domain (for reverse matching)",
            TAG_SKILLS,
            (Param("domain", "Element domain (default skills)", enum=ELEMENT_DOMAINS),),
            responses=NOT_FOUND,
            example="/v1/skills/elements?domain=skills",
        ),
    ]


def _compat_routes() -> list[Endpoint]:
    callback = Param("callback", "JSONP: wrap the JSON in callback(...)")
    onetcode = Param("onetcode", "O*NET-SOC code", location="path", example="15-1252.00")
    return [
        Endpoint(
            "/api/v1/o-net/soc2onet/{soc}",
            compat(compat_soc2onet, "soc"),
            "LMI for All: O*NET occupations of a SOC 2010 unit group, heaviest first",
            TAG_COMPAT,
            (
                Param(
                    "soc", "SOC 2010 unit group", location="path", type="integer", example="2136"
                ),
                callback,
            ),
            responses=NOT_FOUND,
            example="/api/v1/o-net/soc2onet/2136",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/o-net/onet2soc",
            compat(compat_onet2soc),
            "LMI for All: every O*NET occupation with its SOC 2010 unit groups",
            TAG_COMPAT,
            (
                Param(
                    "onetCodes",
                    "Comma-separated O*NET-SOC codes: only those occupations (default: all)",
                    example="15-1252.00,11-1011.00",
                ),
                callback,
            ),
            example="/api/v1/o-net/onet2soc",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/o-net/{descriptor}/{onetcode}",
            compat(compat_descriptor, "descriptor", "onetcode"),
            "LMI for All: /o-net/skills, /o-net/abilities, /o-net/interests and /o-net/knowledge "
            "of an O*NET occupation (skills, abilities and knowledge: levels, LV; interests: IH "
            "high points and OI scores); a domain not loaded answers empty scales and a note",
            TAG_COMPAT,
            (
                Param(
                    "descriptor",
                    "skills, abilities, interests or knowledge",
                    location="path",
                    enum=COMPAT_DESCRIPTORS,
                    example="skills",
                ),
                onetcode,
                callback,
            ),
            responses=NOT_FOUND,
            example="/api/v1/o-net/skills/15-1253.00",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/o-net/reversematch",
            compat(compat_reversematch),
            "LMI for All: SOC 2010 unit groups matching chosen skills, interests, knowledge",
            TAG_COMPAT,
            (
                Param("skills", "Comma-separated O*NET element ids", example="2.B.3.e,2.A.1.e"),
                Param("interests", "Comma-separated O*NET element ids"),
                Param("knowledge", "Comma-separated O*NET element ids"),
                Param("abilities", "Comma-separated O*NET element ids"),
                Param(
                    "weights",
                    "Four weights: skills, abilities, interests, knowledge (LMI for All's order "
                    "is undocumented; this is lmi's reading)",
                ),
                Param("limit", "Maximum results (1–100, default 20)", type="integer"),
                callback,
            ),
            responses={400: "No element chosen or an unknown element id", **NOT_FOUND},
            example="/api/v1/o-net/reversematch?skills=2.B.3.e,2.A.1.e&weights=100,100,100,100",
            envelope=False,
        ),
    ]
