"""Unemployment by occupation (LFS), Census 2021 area summaries and geography.

* ``/api/v1/lfs/unemployment`` and ``/lfs/filters*`` in LMI for All's shapes, ``/v1/unemployment``
  natively: from the ONS unemployment-by-previous-occupation table when it is loaded, else
  from a **synthetic** stand-in (:mod:`lmi.synth.labour`) that says so in every answer.
* ``/api/v1/census/*`` and ``/v1/areas/{area}/residents|travel-to-work|jobs``: Census 2021
  TS063 / TS058 when loaded, else synthetic stand-ins. Jobs in an area: no Census workplace
  table is loaded, so ESS 2017 employment by occupation (establishments in the area,
  observed) answers where ESS covers the area, else a synthetic stand-in.
* ``/v1/areas``: England, regions, LEPs and local authorities by code or name.

``area`` (and the native ``region``) is an area code or name, or a UK postcode when the release
has the ONS Postcode Directory (:mod:`lmi.api.postcodes`): Census figures are then those of the
postcode's local authority district (else its county, region or country), other figures those of
the finest registry area that has them, and native answers say so in ``resolved_from``. Without
the directory a postcode is refused with a 400 that says so, as is a ``lat,lng`` pair.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from lmi.api import params
from lmi.api.openapi import CODE, NOT_FOUND, TAG_COMPAT, VERSION, Endpoint, Param
from lmi.api.postcodes import (
    LAT_LNG,
    PARAM_NOTE,
    PostcodeAreas,
    postcode_areas,
    postcode_not_held,
)
from lmi.api.respond import Answer, compat, native, no_data
from lmi.api.vacancies import DATASET as ESS
from lmi.api.vacancies import ess_index, major_title
from lmi.classification.areas import (
    AREAS,
    KINDS,
    REGIONS,
    Area,
    areas_with_name_part,
    find_areas,
    normalise_name,
)
from lmi.classification.areas import resolve_area as resolve_registry_area
from lmi.classification.regions import LMI_REGION_CODES
from lmi.classification.soc import parse_version
from lmi.datasets.census.formats import DISTANCE, OCCUPATION, Topic
from lmi.datasets.census.view import DISTANCE_AREAS, OCCUPATION_AREAS, CensusArea, CensusIndex
from lmi.datasets.lfs_unemployment.view import LFS_INDEX, LfsIndex, LfsSeries
from lmi.errors import InvalidQuery, NotFound
from lmi.sdc import Served
from lmi.serve.snapshot import Group, Snapshot
from lmi.synth import labour as synth

__all__ = ["labour_routes"]

Query = Mapping[str, str]
Path = Mapping[str, str]

LFS = "lfs_unemployment"
UK = "K02000001"
#: LMI for All region number → GSS code of the area in LFS tables
LFS_AREAS: dict[int, str] = {
    **{r.lmi_code: r.code for r in REGIONS if r.lmi_code is not None},
    10: "W92000004",
    11: "S92000003",
    12: "N92000002",
}
REGION_NAMES = {
    **{r.lmi_code: r.name for r in REGIONS if r.lmi_code is not None},
    10: "Wales",
    11: "Scotland",
    12: "Northern Ireland",
}
GENDERS = {1: ("male", "Male"), 2: ("female", "Female")}
#: LMI for All ageband code → (stored band, "A to B")
AGE_BANDS = {
    2: ("16-24", "16 to 24"),
    3: ("25-34", "25 to 34"),
    4: ("35-49", "35 to 49"),
    5: ("50-64", "50 to 64"),
    6: ("65+", "65 to 99"),
}
assert set(AGE_BANDS) == set(synth.AGE_BANDS)
FILTERS: dict[str, tuple[str, dict[int, str]]] = {
    "gender": ("Gender of the unemployed person", {k: v[1] for k, v in GENDERS.items()}),
    "region": ("UK country or English region (LMI for All numbers 1–12)", REGION_NAMES),
    "ageband": ("Age band", {k: v[1] for k, v in AGE_BANDS.items()}),
}
LFS_METHOD = (
    "Unemployment rate of people whose last job was in the occupation: unemployed / (employed "
    "in the occupation + unemployed whose last job was in it) × 100. A SOC code is answered by "
    "the finest group published that contains it (the ONS table is by major group: the code's "
    "first digit, SOC codes being hierarchical); where the table is in the other SOC version, "
    "the group with the same number stands in."
)


# -- LFS: the real table, indexed per snapshot ---------------------------------------------------


def lfs_index(snap: Snapshot) -> LfsIndex | None:
    """The loaded LFS table, or ``None`` when the release has none (synthetic stand-in)."""
    return snap.view_or_none(LFS_INDEX)


# -- LFS: requests --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LfsRequest:
    group: Group
    sex: str  # all | male | female
    age: int | None  # LMI for All ageband code
    region: int | None  # LMI for All region number
    years: tuple[int, int]


def _filter_by(query: Query) -> dict[str, int]:
    raw = params.text(query, "filterBy", max_length=200) or params.text(
        query, "filters", max_length=200
    )
    found: dict[str, int] = {}
    for part in (raw or "").split("|"):
        if not part.strip():
            continue
        name, _, code = part.partition(":")
        name = name.strip().lower()
        if name not in FILTERS:
            raise InvalidQuery(
                f"unknown filter {name!r}: use gender (1–2), region (1–12) or ageband (2–6)",
                parameter="filterBy",
            )
        codes = FILTERS[name][1]
        if "," in code:
            raise InvalidQuery(f"filter {name!r}: give one code", parameter="filterBy")
        if not code.strip().isdigit() or int(code) not in codes:
            allowed = ", ".join(str(c) for c in codes)
            raise InvalidQuery(
                f"filter {name!r} code must be one of {allowed}, got {code!r}",
                parameter="filterBy",
            )
        if name in found:
            raise InvalidQuery(f"filter {name!r} given twice", parameter="filterBy")
        found[name] = int(code)
    return found


def _year_range(query: Query, first: int, last: int) -> tuple[int, int]:
    low = params.integer(query, "minYear", default=first, minimum=1990, maximum=2100)
    high = params.integer(query, "maxYear", default=last, minimum=1990, maximum=2100)
    if low > high:
        raise InvalidQuery(
            f"minYear {low} is after maxYear {high} (figures run {first}–{last})",
            parameter="minYear",
        )
    return low, high


def _lfs_series(
    snap: Snapshot, request: LfsRequest
) -> tuple[list[tuple[int, Served]], dict[str, Any], str]:
    """(year, rate) pairs in the range, provenance, and a note."""
    index = lfs_index(snap)
    low, high = request.years
    if index is None:
        prov = _synthetic_provenance(snap, LFS, synth.LFS_SOURCE)
        series = [
            (
                year,
                Served(
                    synth.unemployment_rate(
                        request.group.code,
                        year,
                        sex=request.sex,
                        age_band=request.age,
                        region=request.region,
                    ),
                    "ok",
                    "synthetic",
                    "synthetic:lmi.synth.labour",
                    method="synthetic",
                ),
            )
            for year in synth.LFS_YEARS
            if low <= year <= high
        ]
        return series, prov, "SYNTHETIC figures: " + synth.LFS_SOURCE
    version, cell, found_title = _lfs_cell(index, request)
    if cell is None:
        return [], snap.provenance(LFS, method="observed"), "no published figures for this cell"
    series = sorted((y, s) for y, s in cell.years.items() if low <= y <= high)
    method = "modelled" if any(s.method == "modelled" for _, s in series) else "observed"
    note = f"ONS LFS, {found_title} ({version.upper()}). {LFS_METHOD}"
    return series, snap.provenance(LFS, method=method), note


def _lfs_cell(index: LfsIndex, request: LfsRequest) -> tuple[str, LfsSeries | None, str]:
    versions = [
        request.group.version,
        *(v for v in sorted(index.versions) if v != request.group.version),
    ]
    age = AGE_BANDS[request.age][0] if request.age is not None else "all"
    area = LFS_AREAS[request.region] if request.region is not None else UK
    for version in versions:
        for digits in (2, 1):
            code = request.group.code[:digits]
            cell = index.cells.get((version, code, request.sex, age, area))
            if cell is not None:
                return version, cell, f"group {code} {cell.title}"
    return request.group.version, None, ""


def _synthetic_provenance(snap: Snapshot, dataset: str, source: str) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "source": source,
        "publisher": None,
        "licence": None,
        "release": snap.release.id,
        "method": "synthetic",
    }


def _compat_lfs_request(snap: Snapshot, query: Query) -> LfsRequest:
    raw = params.text(query, "soc", required=True, max_length=10)
    assert raw is not None
    group = params.soc_group(snap, "soc2010", raw, parameter="soc", named=True)
    chosen = _filter_by(query)
    first, last = _lfs_years(snap)
    return LfsRequest(
        group,
        GENDERS[chosen["gender"]][0] if "gender" in chosen else "all",
        chosen.get("ageband"),
        chosen.get("region"),
        _year_range(query, first, last),
    )


def _lfs_years(snap: Snapshot) -> tuple[int, int]:
    index = lfs_index(snap)
    if index is None:
        return synth.LFS_YEARS[0], synth.LFS_YEARS[-1]
    years = [y for cell in index.cells.values() for y in cell.years]
    return (min(years), max(years)) if years else (1990, 2100)


def compat_unemployment(snap: Snapshot, query: Query) -> Answer:
    request = _compat_lfs_request(snap, query)
    series, prov, note = _lfs_series(snap, request)
    body: dict[str, Any] = {"soc": int(request.group.code)}
    shown = [
        {"year": year, "unemprate": served.value} for year, served in series if served.servable
    ]
    body["years"] = shown  # always present: apps index years[0] after checking its length
    if not shown:  # LMI for All's `error` key: clients retry with fewer filters when it is there
        body["error"] = NO_RATE
    body["note"] = note + _nqf8_note(query)
    headers = {  # the note is in the body
        "X-LMI-Release": str(snap.release.id),
        "X-LMI-Method": prov["method"] if shown else "none",
        "X-LMI-Source": prov["source"],
    }
    if not shown:
        low, high = request.years
        body["note"] += f" No rate for {low}–{high}."
        headers["X-LMI-Note"] = NO_RATE
    no_standin = None
    if lfs_index(snap) is None:  # the figures are lmi.synth's stand-in
        no_standin = {
            "soc": body["soc"],
            "years": [],
            "error": NO_RATE,
            "note": "lmi holds no LFS unemployment-by-occupation table in this release. "
            + NO_STANDIN,
        }
    return Answer(body, headers=headers, no_standin=no_standin)


NO_RATE = "no unemployment rate is available for this occupation, filter and years"
NO_STANDIN = (
    "A synthetic stand-in exists but is served in this LMI-for-All-compatible layer only when "
    "the operator sets LMI_COMPAT_STANDINS=true."
)


def _nqf8_note(query: Query) -> str:
    """``nqf8=`` (seen in one iOS app) names a qualification level LFS tables here lack."""
    if query.get("nqf8") in (None, ""):
        return ""
    return " Parameter nqf8 is not honoured: no unemployment by qualification level is held."


def _filter_info(name: str) -> dict[str, Any]:
    description, codes = FILTERS[name]
    return {
        "name": name,
        "description": description,
        "coding": [{"code": code, "description": text} for code, text in codes.items()],
    }


def _plain_headers(snap: Snapshot) -> dict[str, str]:
    return {"X-LMI-Release": str(snap.release.id)}


def compat_filters(snap: Snapshot, query: Query) -> Answer:
    return Answer(list(FILTERS), headers=_plain_headers(snap))


def compat_filters_all(snap: Snapshot, query: Query) -> Answer:
    return Answer([_filter_info(name) for name in FILTERS], headers=_plain_headers(snap))


def compat_filter_info(snap: Snapshot, raw_name: str, query: Query) -> Answer:
    name = raw_name.strip().lower()
    if name not in FILTERS:
        raise NotFound(f"no LFS filter {raw_name!r}: filters are {', '.join(FILTERS)}")
    return Answer(_filter_info(name), headers=_plain_headers(snap))


def native_unemployment(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    v = parse_version(version)
    group = params.soc_group(snap, v, code, named=True)
    sex = params.choice(query, "sex", ("all", "male", "female"), default="all")
    age_text = params.choice(
        query, "age", ("all", *(b for b, _ in AGE_BANDS.values())), default="all"
    )
    age = next((k for k, (b, _) in AGE_BANDS.items() if b == age_text), None)
    region, match = _native_region(snap, query)
    first, last = _lfs_years(snap)
    request = LfsRequest(group, sex, age, region, _year_range(query, first, last))
    series, prov, note = _lfs_series(snap, request)
    resolved = None
    if match is not None and region is not None:
        resolved = match.resolved_from("region", region, REGION_NAMES[region])
    data = {
        "occupation": {"soc_version": v, "code": group.code, "title": group.title},
        "sex": sex,
        "age": age_text,
        "region": {"code": region, "name": REGION_NAMES[region]} if region else None,
        "resolved_from": resolved,
        "unit": "% of the economically active",
        "method": LFS_METHOD,
        "series": [{"year": y, "rate": s.as_dict(), "provenance": prov} for y, s in series],
        "note": note,
    }
    return Answer(data, [prov, *([match.provenance] if match is not None else [])])


#: GSS code of a UK country outside England → its LMI for All region number
_NATION_REGIONS = {code: number for number, code in LFS_AREAS.items() if number > 9}


def _native_region(snap: Snapshot, query: Query) -> tuple[int | None, PostcodeAreas | None]:
    """The LMI for All region number asked for (None: the UK), and the postcode it came from."""
    raw = params.text(query, "region", max_length=200)
    if raw is None:
        return None, None
    if raw.strip().isdigit():
        return params.integer(query, "region", default=0, minimum=1, maximum=12), None
    match = postcode_areas(snap, raw, parameter="region")
    if match is not None:  # its English region, or its country (regions 10–12)
        country = match.located.country
        nation = _NATION_REGIONS.get(country.code) if country is not None else None
        if nation is not None:
            return nation, match
        area = match.first(("region",), parameter="region")
        return area.lmi_code, match
    area = resolve_registry_area(raw, ("country", "region"), parameter="region")
    if area.lmi_code is None:
        return None, None  # England as a whole: the UK-level series is the nearest LFS cell
    return area.lmi_code, None


# -- Census -----------------------------------------------------------------------------------

TOPICS = {"ts063": ("census_occupation", OCCUPATION), "ts058": ("census_distance", DISTANCE)}
CENSUS_VIEWS = {"ts063": OCCUPATION_AREAS, "ts058": DISTANCE_AREAS}


def census_index(snap: Snapshot, topic: str) -> CensusIndex | None:
    return snap.view_or_none(CENSUS_VIEWS[topic])


def _area_text(query: Query) -> str:
    raw = params.text(query, "area", required=True, max_length=200)
    assert raw is not None
    return raw.strip()


@dataclass(frozen=True)
class Breakdown:
    area: dict[str, Any]
    total: int
    items: list[dict[str, Any]]
    provenance: dict[str, Any]
    note: str
    #: the postcode asked for and the area it was answered for (None: asked by code or name)
    resolved_from: dict[str, Any] | None = None
    #: provenance of the postcode directory, when a postcode was resolved
    lookup: dict[str, Any] | None = None

    def with_postcode(self, match: PostcodeAreas | None) -> Breakdown:
        """This breakdown, saying which area the postcode ``match`` was answered for."""
        if match is None:
            return self
        kind, code, name = self.area["kind"], self.area["code"], self.area["name"]
        resolved = match.resolved_from(kind, code, name)
        note = f"{self.note}. {resolved['note'][0].upper()}{resolved['note'][1:]}"
        return replace(self, note=note, resolved_from=resolved, lookup=match.provenance)


def _census_area(index: CensusIndex, text: str) -> CensusArea | None:
    if text.upper() in index.areas:
        return index.areas[text.upper()]
    codes = index.names.get(normalise_name(text.partition(":")[2] or text), [])
    if codes:
        return index.areas[codes[0]]
    for area in find_areas(text):
        if area.code in index.areas:
            return index.areas[area.code]
    return None


def _census_area_of(index: CensusIndex, match: PostcodeAreas, topic: str) -> CensusArea:
    """The finest Census area of a postcode: its district, else county, region or country."""
    located = match.located
    for place in (located.district, located.county, located.region, located.country):
        if place is not None and place.code in index.areas:
            return index.areas[place.code]
    where = located.district or located.country
    named = f" ({where.name or where.code})" if where is not None else ""
    raise NotFound(
        f"area: no Census 2021 {topic.upper()} figures for postcode {match.postcode}{named}: "
        "the files loaded do not cover its local authority, region or country"
    )


def census_breakdown(snap: Snapshot, topic: str, text: str) -> Breakdown:
    dataset, spec = TOPICS[topic]
    index = census_index(snap, topic)
    match = postcode_areas(snap, text)
    if index is not None:
        area = _census_area_of(index, match, topic) if match else _census_area(index, text)
        if area is None:
            raise NotFound(
                f"area: no Census 2021 {topic.upper()} figures for {text!r} (countries, regions "
                "and local authorities by GSS code or name)"
            )
        counts = {c: area.values[c] for c in spec.categories if c in area.values and c != "all"}
        total = area.values.get("all", sum(counts.values()))
        note = f"ONS Census 2021 {topic.upper()}, usual residents aged 16+ in employment"
        prov = snap.provenance(dataset, method="observed")
        brief = {"kind": area.geography, "code": area.code, "name": area.name}
        found = Breakdown(brief, total, _items(spec, counts, total), prov, note)
        return found.with_postcode(match)
    if match is not None:
        registry_area = match.first(KINDS, parameter="area")
    else:
        registry_area = resolve_registry_area(text, KINDS, parameter="area")
    make = synth.area_occupations if topic == "ts063" else synth.area_distance
    total, counts = make(registry_area.code, registry_area.kind)
    prov = _synthetic_provenance(snap, dataset, synth.CENSUS_SOURCE)
    note = "SYNTHETIC figures: " + synth.CENSUS_SOURCE
    items = _items(spec, counts, total)
    return Breakdown(_registry_brief(registry_area), total, items, prov, note).with_postcode(match)


def _items(spec: Topic, counts: Mapping[str, int], total: int) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "description": re.sub(r"^\d\.\s*", "", spec.categories[code]),
            "value": value,
            "percentage": round(100 * value / total, 1) if total else None,
        }
        for code, value in counts.items()
    ]


def _registry_brief(area: Area) -> dict[str, Any]:
    return {"kind": area.kind, "code": area.code, "name": area.name}


def jobs_breakdown(snap: Snapshot, text: str) -> Breakdown:
    """Jobs by occupation in an area: ESS 2017 employment where ESS has the area, else synthetic.

    A postcode is answered for its finest area with ESS figures (local authority, LEP, region,
    England), else synthetically for its finest area."""
    match = postcode_areas(snap, text)
    if match is not None:
        ess_areas = ess_index(snap).areas if snap.has(ESS) else {}
        tried = match.candidates(KINDS)
        registry_area = next((a for a in tried if a.code in ess_areas), None)
        if registry_area is None:
            registry_area = match.first(KINDS, parameter="area")
    else:
        registry_area = resolve_registry_area(text, KINDS, parameter="area")
    return _jobs(snap, registry_area).with_postcode(match)


def _jobs(snap: Snapshot, registry_area: Area) -> Breakdown:
    if snap.has(ESS):
        ess = ess_index(snap).areas.get(registry_area.code)
        if ess is not None:
            counts: dict[str, int] = {}
            for major in "123456789":
                served = ess.figures[major].counts["employment"] if major in ess.figures else None
                if served is not None and served.value is not None:
                    counts[major] = int(served.value)
            total = sum(counts.values())
            items = [
                {
                    "code": major,
                    "description": major_title(snap, major),
                    "value": value,
                    "percentage": round(100 * value / total, 1) if total else None,
                }
                for major, value in counts.items()
            ]
            method = "modelled" if ess.method == "modelled" else "observed"
            note = (
                "Jobs at establishments in the area by SOC 2010 major group, from the Employer "
                "Skills Survey 2017 (no Census 2021 workplace table is loaded)"
            )
            brief = {"kind": ess.kind, "code": ess.code, "name": ess.name}
            return Breakdown(brief, total, items, snap.provenance(ESS, method=method), note)
    total, counts = synth.area_occupations("jobs|" + registry_area.code, registry_area.kind)
    prov = _synthetic_provenance(snap, "census_jobs", synth.CENSUS_SOURCE)
    note = "SYNTHETIC figures: " + synth.CENSUS_SOURCE
    items = _items(OCCUPATION, counts, total)
    return Breakdown(_registry_brief(registry_area), total, items, prov, note)


def _census_headers(snap: Snapshot, found: Breakdown) -> dict[str, str]:
    return {
        "X-LMI-Release": str(snap.release.id),
        "X-LMI-Method": found.provenance["method"],
        "X-LMI-Source": found.provenance["source"],
        "X-LMI-Note": found.note,
    }


def compat_jobs(snap: Snapshot, query: Query) -> Answer:
    return _compat_area_answer(
        snap, _area_text(query), "totalJobs", "jobsBreakdown", lambda t: jobs_breakdown(snap, t)
    )


def compat_residents(snap: Snapshot, query: Query) -> Answer:
    return _compat_area_answer(
        snap,
        _area_text(query),
        "totalResidents",
        "residentOccupations",
        lambda t: census_breakdown(snap, "ts063", t),
    )


def compat_distance(snap: Snapshot, query: Query) -> Answer:
    return _compat_area_answer(
        snap,
        _area_text(query),
        "totalResidents",
        "distanceBreakdown",
        lambda t: census_breakdown(snap, "ts058", t),
    )


def _compat_area_answer(
    snap: Snapshot, text: str, total: str, listed: str, breakdown: Callable[[str], Breakdown]
) -> Answer:
    """LMI for All's census shape for ``area``; a well-formed area lmi holds no figures for (a
    postcode the release cannot look up, an area a topic file lacks, a postcode outside the
    areas served) is answered with ``total: 0``, an empty list and a note, never a 4xx. A
    malformed area is a 400 and an area nobody issued (an unknown name or postcode) a 404."""
    why = postcode_not_held(snap, text)
    if why is not None:
        return _no_figures(snap, total, listed, f"area: {why}")
    try:
        found = breakdown(text)
    except NotFound as exc:
        if not _well_formed_area(snap, text):
            raise
        return _no_figures(snap, total, listed, str(exc))
    return _compat_census(snap, found, total, listed)


#: a GSS code (E06000047, W92000004, …): well formed even when no file lmi holds has it
GSS_CODE = re.compile(r"[EWSNLMK]\d{8}")


def _well_formed_area(snap: Snapshot, text: str) -> bool:
    """Whether ``text`` names a real place: a ``lat,lng``, a live postcode (a postcode nobody
    issued raises its 404 here), an area of the registry or a GSS code."""
    raw = text.strip()
    if LAT_LNG.fullmatch(raw):
        return True
    if postcode_areas(snap, raw) is not None:
        return True
    return bool(find_areas(raw)) or bool(GSS_CODE.fullmatch(raw.upper()))


def _no_figures(snap: Snapshot, total: str, listed: str, note: str) -> Answer:
    """The census shape with no figures: ``total: 0``, an empty list and why."""
    return no_data(snap, {total: 0, listed: [], "note": note}, note)


def _compat_census(snap: Snapshot, found: Breakdown, total: str, listed: str) -> Answer:
    """LMI for All's census shape; a synthetic stand-in has a "no data" form (zero, empty)."""
    items = [{k: i[k] for k in ("description", "value", "percentage")} for i in found.items]
    body = {total: found.total, listed: items, "note": found.note}
    no_standin = None
    if found.provenance["source"] == synth.CENSUS_SOURCE:  # lmi.synth's stand-in
        note = "lmi holds no figures for this area and topic in this release. " + NO_STANDIN
        no_standin = {total: 0, listed: [], "note": note}
    return Answer(body, headers=_census_headers(snap, found), no_standin=no_standin)


def _native_breakdown(found: Breakdown, what: str) -> Answer:
    data = {
        "area": found.area,
        "resolved_from": found.resolved_from,
        "measure": what,
        "total": found.total,
        "categories": found.items,
        "note": found.note,
        "provenance": found.provenance,
    }
    return Answer(data, [found.provenance, *([found.lookup] if found.lookup else [])])


def native_residents(snap: Snapshot, area: str, query: Query) -> Answer:
    found = census_breakdown(snap, "ts063", area)
    return _native_breakdown(found, "usual residents aged 16+ in employment by occupation")


def native_travel(snap: Snapshot, area: str, query: Query) -> Answer:
    found = census_breakdown(snap, "ts058", area)
    return _native_breakdown(found, "usual residents aged 16+ in employment by distance to work")


def native_jobs(snap: Snapshot, area: str, query: Query) -> Answer:
    return _native_breakdown(jobs_breakdown(snap, area), "jobs by occupation")


# -- geography -------------------------------------------------------------------------------------


def area_record(snap: Snapshot, area: Area) -> dict[str, Any]:
    ess = snap.has(ESS) and area.code in ess_index(snap).areas
    base = f"/v1/areas/{area.code}"
    links = {
        "self": base,
        "residents": f"{base}/residents",
        "travel_to_work": f"{base}/travel-to-work",
        "jobs": f"{base}/jobs",
    }
    if ess:
        links["vacancies"] = f"{base}/vacancies"
    return {
        "kind": area.kind,
        "code": area.code,
        "name": area.name,
        "aliases": list(area.aliases),
        "former_codes": list(area.former_codes),
        "region": area.region,
        "lmi_region": area.lmi_code,
        "current": area.current,
        "note": area.note,
        "ess_2017": ess,
        "links": links,
    }


def _registry_provenance(snap: Snapshot) -> dict[str, Any]:
    return {
        "dataset": "areas",
        "source": "lmi.classification.areas: ONS GSS codes of England, regions and LEPs "
        "(2020, with 2017 codes); ESS 2017 local authorities (local codes)",
        "publisher": "Office for National Statistics; Department for Education",
        "licence": "Open Government Licence v3.0",
        "release": snap.release.id,
        "method": "observed",
    }


def native_areas(snap: Snapshot, query: Query) -> Answer:
    kind = params.choice(query, "kind", ("all", *KINDS), default="all")
    q = params.text(query, "q", max_length=200)
    match = postcode_areas(snap, q, parameter="q", strict=False) if q else None
    if match is not None:  # a postcode: the areas it lies in, finest first
        found = match.candidates(KINDS)
    else:
        found = find_areas(q) if q else list(AREAS)
    if q and not found and match is None:  # a part of a name
        found = areas_with_name_part(q)
    rows = [area_record(snap, a) for a in found if kind in ("all", a.kind)]
    extra = [match.provenance] if match is not None else []
    return Answer(rows, [_registry_provenance(snap), *extra])


def native_area(snap: Snapshot, area: str, query: Query) -> Answer:
    match = postcode_areas(snap, area)
    if match is not None:
        found = match.first(KINDS, parameter="area")
        also = [a for a in match.candidates(KINDS) if a != found]
    else:
        found = resolve_registry_area(area, KINDS, parameter="area")
        also = [a for a in find_areas(area) if a != found]
    data = area_record(snap, found)
    data["also_matches"] = [{"kind": a.kind, "code": a.code, "name": a.name} for a in also]
    data["resolved_from"] = (
        match.resolved_from(found.kind, found.code, found.name) if match else None
    )
    extra = [match.provenance] if match is not None else []
    return Answer(data, [_registry_provenance(snap), *extra])


# -- declarations ------------------------------------------------------------------------------


def labour_routes() -> list[Endpoint]:
    unemployment_tag = "Unemployment (LFS)"
    census_tag = "Areas and Census 2021"
    callback = Param("callback", "JSONP: wrap the JSON in callback(...)")
    area_query = Param(
        "area",
        "area code or name: a local authority, LEP, region or England" + PARAM_NOTE,
        required=True,
        example="Camden",
    )
    area_path = Param(
        "area", "area code or name" + PARAM_NOTE, location="path", example="E12000007"
    )
    years = (
        Param("minYear", "first year", type="integer"),
        Param("maxYear", "last year", type="integer"),
    )
    census_note = (
        "Census 2021 TS063 / TS058 when loaded; until then a SYNTHETIC stand-in labelled as such "
        "(method synthetic, X-LMI-Method: synthetic)."
    )
    return [
        Endpoint(
            "/api/v1/lfs/unemployment",
            compat(compat_unemployment, name="compat_lfs_unemployment"),
            "LMI for All: unemployment rate (%) by previous occupation and year",
            TAG_COMPAT,
            (
                Param("soc", "SOC 2010 code", required=True, type="integer", example="2136"),
                *years,
                Param(
                    "filterBy",
                    "name:code pairs joined by |: gender:1–2, region:1–12, ageband:2–6 "
                    "(also accepted as filters=)",
                ),
                callback,
            ),
            description=(
                "From the ONS unemployment-by-previous-occupation table when loaded; until then "
                "SYNTHETIC (X-LMI-Method: synthetic, and the note says so). No data for a cell: "
                f"no `years` key and an `error` key, as LMI for All. {LFS_METHOD}"
            ),
            responses=NOT_FOUND,
            example="/api/v1/lfs/unemployment?soc=2136&minYear=2018&maxYear=2022&filterBy=gender:2",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/lfs/filters",
            compat(compat_filters, name="compat_lfs_filters"),
            "LMI for All: the LFS filter names",
            TAG_COMPAT,
            (callback,),
            example="/api/v1/lfs/filters",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/lfs/filters/all",
            compat(compat_filters_all, name="compat_lfs_filters_all"),
            "LMI for All: every LFS filter with its codes",
            TAG_COMPAT,
            (callback,),
            example="/api/v1/lfs/filters/all",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/lfs/filters/info/{name}",
            compat(compat_filter_info, "name", name="compat_lfs_filter_info"),
            "LMI for All: one LFS filter's codes (age bands as 'A to B')",
            TAG_COMPAT,
            (
                Param("name", "gender, region or ageband", location="path", example="ageband"),
                callback,
            ),
            responses=NOT_FOUND,
            example="/api/v1/lfs/filters/info/ageband",
            envelope=False,
        ),
        Endpoint(
            "/v1/unemployment/{version}/{code}",
            native(native_unemployment, "version", "code"),
            "Unemployment rate by previous occupation and year, with its quality envelope",
            unemployment_tag,
            (
                VERSION,
                CODE,
                Param("sex", "all, male or female", enum=("all", "male", "female")),
                Param("age", "age band", enum=("all", *(b for b, _ in AGE_BANDS.values()))),
                Param(
                    "region",
                    "LMI for All region 1–12, or a region code or name; or a UK postcode when "
                    "the release has the ONS Postcode Directory (its region, or its country "
                    "outside England), as `resolved_from` says",
                ),
                *years,
            ),
            description=LFS_METHOD,
            responses=NOT_FOUND,
            example="/v1/unemployment/soc2020/2134?sex=female&region=London",
        ),
        Endpoint(
            "/api/v1/census/jobs_breakdown",
            compat(compat_jobs, name="compat_census_jobs"),
            "LMI for All: jobs in an area by occupation",
            TAG_COMPAT,
            (area_query, callback),
            description=(
                "No Census 2021 workplace table is loaded: ESS 2017 employment by occupation "
                "answers where ESS covers the area (observed), else a SYNTHETIC stand-in."
            ),
            responses=NOT_FOUND,
            example="/api/v1/census/jobs_breakdown?area=Camden",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/census/resident_occupations",
            compat(compat_residents, name="compat_census_residents"),
            "LMI for All: occupations of an area's residents in employment",
            TAG_COMPAT,
            (area_query, callback),
            description=census_note,
            responses=NOT_FOUND,
            example="/api/v1/census/resident_occupations?area=Camden",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/census/distance",
            compat(compat_distance, name="compat_census_distance"),
            "LMI for All: distance travelled to work by an area's residents",
            TAG_COMPAT,
            (area_query, callback),
            description=(
                "Shape (not documented by LMI for All): {totalResidents, distanceBreakdown: "
                f"[{{description, value, percentage}}], note}}. {census_note}"
            ),
            responses=NOT_FOUND,
            example="/api/v1/census/distance?area=E12000007",
            envelope=False,
        ),
        Endpoint(
            "/v1/areas",
            native(native_areas),
            "Areas: England, regions, LEPs and local authorities, by code or name",
            census_tag,
            (
                Param("kind", "country, region, lep or la", enum=("all", *KINDS)),
                Param(
                    "q",
                    "a code or name (case and punctuation ignored), or part of a name; or a UK "
                    "postcode (with the ONS Postcode Directory): the areas it lies in",
                ),
            ),
            example="/v1/areas?kind=lep&q=north",
        ),
        Endpoint(
            "/v1/areas/{area}",
            native(native_area, "area"),
            "One area, found by code, name or postcode, with the figures available for it",
            census_tag,
            (area_path,),
            responses=NOT_FOUND,
            example="/v1/areas/North%20Eastern",
        ),
        Endpoint(
            "/v1/areas/{area}/residents",
            native(native_residents, "area"),
            "Residents in employment by occupation (Census 2021 TS063, or synthetic)",
            census_tag,
            (area_path,),
            description=census_note,
            responses=NOT_FOUND,
            example="/v1/areas/Camden/residents",
        ),
        Endpoint(
            "/v1/areas/{area}/travel-to-work",
            native(native_travel, "area"),
            "Residents in employment by distance travelled to work (TS058, or synthetic)",
            census_tag,
            (area_path,),
            description=census_note,
            responses=NOT_FOUND,
            example="/v1/areas/E12000007/travel-to-work",
        ),
        Endpoint(
            "/v1/areas/{area}/jobs",
            native(native_jobs, "area"),
            "Jobs in an area by occupation (ESS 2017 employment, or synthetic)",
            census_tag,
            (area_path,),
            responses=NOT_FOUND,
            example="/v1/areas/E37000015/jobs",
        ),
    ]


_ = LMI_REGION_CODES  # region numbers 1–12 are the ones of lmi.classification.regions
