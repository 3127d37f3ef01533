"""Vacancies from the Employer Skills Survey 2017: native ``/v1`` and LMI-for-All endpoints.

Hard-to-fill (HTF) and skill-shortage (SSV) vacancy shares, vacancy density and skills gaps
by SOC major group and area, each with the survey's reliability as an SDC envelope (see
:mod:`lmi.datasets.employer_skills_survey.quality`). Our ESS is **England 2017**: England,
the 2017 LEPs, 152 local authorities and the 9 regions summed from them (``modelled``).

ESS codes occupations to the 9 SOC 2010 major groups, so a SOC code is answered by its major
group (:data:`SOC_METHOD`). Compatible ``/api/v1/ess/*`` bodies keep LMI for All's shapes
(``percentHTF``, ``percentSSV``, ``percentHTFisSSV``, ``reliability`` 0–3, 3 best) with a
``note``; provenance travels in ``X-LMI-*`` headers. Also the helpers shared with
:mod:`lmi.api.labour`: compatible and native endpoint wrappers with their own provenance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lmi.api import params
from lmi.api.openapi import CODE, NOT_FOUND, TAG_COMPAT, VERSION, Endpoint, Param
from lmi.api.postcodes import PARAM_NOTE, PostcodeAreas, postcode_areas, postcode_not_held
from lmi.api.respond import Answer, compat, native, no_data
from lmi.classification.areas import (
    ENGLAND,
    REGIONS,
    Area,
    AreaKind,
    by_code,
    find_areas,
    resolve_area,
)
from lmi.classification.regions import LMI_REGION_CODES
from lmi.classification.soc import parse_version
from lmi.datasets.employer_skills_survey.quality import COUNT_BASES, SHARES, Figures
from lmi.datasets.employer_skills_survey.tables import OCCUPATIONS
from lmi.datasets.employer_skills_survey.view import ESS, EssArea, EssIndex
from lmi.errors import InvalidQuery, NotFound
from lmi.serve.snapshot import Group, Snapshot

__all__ = [
    "DATASET",
    "SOC_METHOD",
    "EssArea",
    "EssIndex",
    "ess_index",
    "vacancies_routes",
]

Query = Mapping[str, str]
Path = Mapping[str, str]

DATASET = "employer_skills_survey"
YEAR = 2017
KINDS: tuple[AreaKind, ...] = ("country", "region", "lep", "la")
ESS_NOTE = (
    "Employer Skills Survey 2017 (DfE), England only: England, the 2017 LEPs and local "
    "authorities as published; regions are sums of their local authorities (modelled)."
)
SOC_METHOD = (
    "ESS 2017 reports the 9 SOC 2010 major groups, so a SOC code is answered by its major group "
    "(its first digit: SOC codes are hierarchical). For a SOC 2020 code the SOC 2010 major "
    "group with the same number stands in (the two versions' major groups differ slightly)."
)
RELIABILITY_NOTE = (
    "reliability 3: 50+ establishments (estimated) behind the hard-to-fill share; 2: 30–49; "
    "1: 10–29 (use with caution); 0: fewer, withheld (null)."
)


# -- the per-snapshot index --------------------------------------------------------------------


def ess_index(snap: Snapshot) -> EssIndex:
    return snap.view(ESS)


def lmi_region(raw: str, *, parameter: str) -> Area | None:
    """An LMI for All region number (1–12) as an English region; None if ``raw`` is not one."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 3):
        return None
    code = int(text)
    if code not in LMI_REGION_CODES:
        raise InvalidQuery(
            f"{parameter}: region numbers are 1–12 (LMI for All), got {code}", parameter=parameter
        )
    region = next((r for r in REGIONS if r.lmi_code == code), None)
    if region is None:
        raise NotFound(
            f"{parameter}: region {code} is Wales, Scotland or Northern Ireland; the ESS 2017 "
            "tables held cover England only"
        )
    return region


def ess_area_of(
    snap: Snapshot, raw: str, *, parameter: str = "area"
) -> tuple[EssArea, PostcodeAreas | None]:
    """The ESS area named by ``raw``: an LMI for All region number, or a code or name (the first
    of the areas so named that has ESS figures: region, then LEP, then local authority), or a
    postcode: answered for its finest area with ESS figures
    (local authority, LEP, region, England); the postcode's match is returned with the area."""
    index = ess_index(snap)
    match = postcode_areas(snap, raw, parameter=parameter)
    if match is not None:
        area = match.first(
            KINDS,
            parameter=parameter,
            accept=lambda a: a.code in index.areas,
            what="ESS 2017 figures",
        )
        return index.areas[area.code], match
    return _ess_area(index, raw, parameter), None


def _ess_area(index: EssIndex, raw: str, parameter: str) -> EssArea:
    region = lmi_region(raw, parameter=parameter)
    candidates = [region] if region else find_areas(raw, KINDS)
    for area in candidates:
        found = index.areas.get(area.code)
        if found is not None:
            return found
    area = candidates[0] if candidates else resolve_area(raw, KINDS, parameter=parameter)
    extra = " (regions need the ESS LEA workbook, not loaded)" if area.kind == "region" else ""
    raise NotFound(f"{parameter}: no ESS 2017 figures for {area.name} ({area.kind}){extra}")


def major_title(snap: Snapshot, major: str) -> str:
    group = snap.groups.get(("soc2010", major))
    title = group.title if group else OCCUPATIONS[major]
    return title.capitalize() if title.isupper() else title


def provenance(snap: Snapshot, method: str, source: str | None = None) -> dict[str, Any]:
    prov = snap.provenance(DATASET, method="modelled" if method == "modelled" else "observed")
    if source:
        prov["table"] = source
    return prov


def figures_dict(fig: Figures) -> dict[str, Any]:
    shares = {
        name: {
            **served.as_dict(),
            "unit": "per 100 staff" if name == "vacancy_density" else "%",
            "description": SHARES[name][3],
        }
        for name, served in fig.shares.items()
    }
    counts = {
        name: {
            **served.as_dict(),
            "unit": "people" if name in ("employment", "skills_gaps") else "vacancies",
        }
        for name, served in fig.counts.items()
    }
    return {
        "shares": shares,
        "counts": counts,
        "bases": {name: fig.bases[base] for name, base in _BASES.items()},
        "reliability": fig.reliability,
    }


_BASES = {
    "establishments_employing": "n_employing",
    "establishments_with_vacancies": "n_vacancies",
    "establishments_with_htf_vacancies": "n_htf",
}
assert set(COUNT_BASES.values()) <= set(_BASES.values())


def area_brief(area: EssArea) -> dict[str, Any]:
    return {"kind": area.kind, "code": area.code, "name": area.name}


# -- native ------------------------------------------------------------------------------------


def _resolved(area: EssArea, match: PostcodeAreas | None) -> dict[str, Any] | None:
    return match.resolved_from(area.kind, area.code, area.name) if match is not None else None


def _lookup(match: PostcodeAreas | None) -> list[dict[str, Any]]:
    return [match.provenance] if match is not None else []


def native_vacancies(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    v = parse_version(version)
    group = params.soc_group(snap, v, code, named=True)
    area, match = ess_area_of(snap, params.text(query, "area", max_length=200) or "England")
    major = group.code[0]
    fig = area.figures.get(major)
    if fig is None:
        raise NotFound(f"no ESS figures for major group {major} in {area.name}")
    prov = provenance(snap, area.method, area.source)
    data = {
        "occupation": {"soc_version": v, "code": group.code, "title": group.title},
        "major_group": {"soc_version": "soc2010", "code": major, "title": major_title(snap, major)},
        "soc_method": SOC_METHOD,
        "area": area_brief(area),
        "resolved_from": _resolved(area, match),
        "year": YEAR,
        **figures_dict(fig),
        "note": ESS_NOTE,
        "provenance": prov,
    }
    return Answer(data, [prov, *_lookup(match)])


def native_area_vacancies(snap: Snapshot, area_text: str, query: Query) -> Answer:
    area, match = ess_area_of(snap, area_text)
    rank_by = params.choice(query, "rank", tuple(SHARES), default="htf_share")
    ranked = ranking(area, rank_by)
    prov = provenance(snap, area.method, area.source)
    data = {
        "area": area_brief(area),
        "resolved_from": _resolved(area, match),
        "year": YEAR,
        "ranked_by": rank_by,
        "occupations": [
            {
                "rank": i if fig.shares[rank_by].servable else None,
                "major_group": {
                    "soc_version": "soc2010",
                    "code": major,
                    "title": major_title(snap, major),
                },
                **figures_dict(fig),
            }
            for i, (major, fig) in enumerate(ranked, start=1)
        ],
        "all_occupations": figures_dict(area.figures["all"]) if "all" in area.figures else None,
        "note": ESS_NOTE,
        "provenance": prov,
    }
    return Answer(data, [prov, *_lookup(match)])


def ranking(area: EssArea, share: str = "htf_share") -> list[tuple[str, Figures]]:
    """Major groups 1–9, highest ``share`` first; withheld shares last (by code)."""
    majors = [(m, f) for m, f in area.figures.items() if m.isdigit()]
    return sorted(
        majors,
        key=lambda item: (
            not item[1].shares[share].servable,
            -(item[1].shares[share].value or 0.0),
            item[0],
        ),
    )


# -- compatible --------------------------------------------------------------------------------


def _pct(served: Any) -> float | None:
    return round(served.value, 1) if served.servable else None


def compat_record(fig: Figures, soc: int) -> dict[str, Any]:
    return {
        "soc": soc,
        "year": YEAR,
        "percentHTF": _pct(fig.shares["htf_share"]),
        "percentSSV": _pct(fig.shares["ssv_share"]),
        "percentHTFisSSV": _pct(fig.shares["htf_is_ssv"]),
        "reliability": fig.reliability,
    }


def _method(area: EssArea) -> str:
    return "modelled" if area.method == "modelled" else "observed"


def _compat_headers(snap: Snapshot, area: EssArea, note: str) -> dict[str, str]:
    return {
        "X-LMI-Release": str(snap.release.id),
        "X-LMI-Method": snap.provenance(DATASET, method=_method(area))["method"],
        "X-LMI-Source": snap.provenance(DATASET)["source"],
        "X-LMI-Note": note,
    }


def _compat_soc(snap: Snapshot, raw: str) -> tuple[int, Group]:
    group = params.soc_group(snap, "soc2010", raw, parameter="soc", named=True)
    return int(group.code), group


NOT_LOADED = "the Employer Skills Survey 2017 is not loaded in this release: no figures are held."


def _coarse_note(query: Query) -> str:
    """``coarse`` (LMI for All's clients send ``coarse=true``): ESS 2017 reports only the 9
    major groups, so every figure is already coarser than the 2-digit group ``coarse=true``
    asks for; ``coarse=false`` (the unit group's own figure) cannot be honoured."""
    if query.get("coarse") in (None, ""):
        return ""
    if params.choice(query, "coarse", ("true", "false"), default="true") == "true":
        return (
            " coarse=true: the figures are those of the SOC 2010 major group, coarser still "
            "than the 2-digit group."
        )
    return (
        " coarse=false: not applied: ESS 2017 reports only the 9 major groups, so the figures "
        "are the major group's."
    )


def _empty_record(soc: int) -> dict[str, Any]:
    return {"soc": soc, "year": YEAR, **EMPTY_SHARES, "reliability": 0}


def compat_uk(snap: Snapshot, raw_soc: str, query: Query) -> Answer:
    soc, group = _compat_soc(snap, raw_soc)
    extra = _coarse_note(query)
    index = snap.view_or_none(ESS)
    area = index.areas.get(ENGLAND.code) if index is not None else None
    fig = area.figures.get(group.code[0]) if area is not None else None
    if area is None or fig is None:
        if index is None:
            why = NOT_LOADED
        elif area is None:
            why = "No ESS 2017 figures for England in this release."
        else:
            why = f"No ESS 2017 figures for SOC 2010 major group {group.code[0]} in England."
        note = why + extra
        return _no_data(snap, {**_empty_record(soc), "note": note}, note)
    note = f"{ESS_NOTE} Figures are for England. {SOC_METHOD}{extra}"
    body = {**compat_record(fig, soc), "note": note}
    return Answer(body, headers=_compat_headers(snap, area, note))


def _postcode_note(area: EssArea, match: PostcodeAreas | None) -> str:
    """For compatible bodies (no room for ``resolved_from``): the postcode's area in words."""
    if match is None:
        return ""
    resolved = str(match.resolved_from(area.kind, area.code, area.name)["note"])
    return f" {resolved[0].upper()}{resolved[1:]}."


@dataclass(frozen=True)
class CompatArea:
    """The area a compatible ``region`` names: its ESS figures, or why there are none."""

    area: EssArea | None
    match: PostcodeAreas | None
    #: LMI for All's ``region: {name, code}`` (the number for regions 1–12, else a code)
    ref: dict[str, Any]
    why: str = ""


def compat_area(snap: Snapshot, raw: str) -> CompatArea:
    """``region`` of ``ess/region/{region}/…`` and ``ranksocs/{region}``.

    Malformed (a region number above 12, a mistyped postcode) is a 400 and a name or postcode
    nobody issued a 404, as everywhere; a well-formed area without ESS 2017 figures (Wales,
    Scotland, Northern Ireland, an area the files lack, a release without ESS, a postcode the
    release cannot look up) is answered in shape with no figures and the reason.
    """
    index = snap.view_or_none(ESS)
    text = raw.strip()
    outside = _outside_ess(index, text)
    if outside is not None:
        code, name, why = outside
        return CompatArea(None, None, {"name": name, "code": code}, why)
    region = lmi_region(text, parameter="region")
    if region is not None and index is not None:  # an LMI for All region with figures
        return _held(index.areas[region.code], None)
    missing = postcode_not_held(snap, text, parameter="region")
    if missing is not None:
        return CompatArea(None, None, {"name": text, "code": text}, f"region: {missing}")
    match = postcode_areas(snap, text, parameter="region")
    if match is not None:
        ref: dict[str, Any] = {"name": match.postcode, "code": match.postcode}
        if index is None:
            return CompatArea(None, match, ref, NOT_LOADED)
        try:
            area = match.first(
                KINDS,
                parameter="region",
                accept=lambda a: a.code in index.areas,
                what="ESS 2017 figures",
            )
        except NotFound as exc:  # a real postcode without figures: well formed
            return CompatArea(None, match, ref, f"{exc}.")
        return _held(index.areas[area.code], match)
    candidates = find_areas(text, KINDS) or [resolve_area(text, KINDS, parameter="region")]
    for candidate in candidates:
        if index is not None and candidate.code in index.areas:
            return _held(index.areas[candidate.code], None)
    area = candidates[0]
    ref = {"name": area.name, "code": _ref_code(area.code)}
    if index is None:
        return CompatArea(None, None, ref, NOT_LOADED)
    extra = " (regions need the ESS LEA workbook, not loaded)" if area.kind == "region" else ""
    return CompatArea(None, None, ref, f"No ESS 2017 figures for {area.name} ({area.kind}){extra}.")


def _held(area: EssArea, match: PostcodeAreas | None) -> CompatArea:
    return CompatArea(area, match, _region_ref(area))


def compat_region(snap: Snapshot, region: str, raw_soc: str, query: Query) -> Answer:
    soc, group = _compat_soc(snap, raw_soc)
    extra = _coarse_note(query)
    found = compat_area(snap, region)
    fig = found.area.figures.get(group.code[0]) if found.area is not None else None
    if found.area is None or fig is None:
        why = found.why or f"No ESS 2017 figures for SOC 2010 major group {group.code[0]} here."
        note = why + extra
        body = {**_empty_record(soc), "region": found.ref, "note": note}
        return _no_data(snap, body, note)
    note = f"{ESS_NOTE} {SOC_METHOD}{_postcode_note(found.area, found.match)}{extra}"
    body = {**compat_record(fig, soc), "region": found.ref, "note": note}
    return Answer(body, headers=_compat_headers(snap, found.area, note))


EMPTY_SHARES = {"percentHTF": None, "percentSSV": None, "percentHTFisSSV": None}
NATIONS = {10: "Wales", 11: "Scotland", 12: "Northern Ireland"}


def _outside_ess(index: EssIndex | None, text: str) -> tuple[int, str, str] | None:
    """An LMI for All region number (1–12) that ESS 2017 as held has no figures for.

    Such a request is well formed: LMI for All answered it, so the answer keeps the shape with
    no figures (``reliability`` 0, shares null) and a ``note``, never a 4xx (one 4xx takes down
    a page that awaits several calls together). 13 and above are a 400.
    """
    if not (text.isascii() and text.isdigit() and len(text) <= 3):
        return None
    region = lmi_region(text, parameter="region") if int(text) not in NATIONS else None
    code = int(text)
    if code in NATIONS:
        name = NATIONS[code]
        return code, name, f"No ESS 2017 figures for {name}: the survey held covers England only."
    assert region is not None
    if index is None:
        return code, region.name, NOT_LOADED
    if region.code in index.areas:
        return None
    return (
        code,
        region.name,
        f"No ESS 2017 figures for {region.name} in this release (regions need the ESS LEA "
        "workbook, not loaded).",
    )


def _no_data(snap: Snapshot, body: Any, note: str) -> Answer:
    return no_data(snap, body, note, source=snap.provenance(DATASET)["source"])


def _ref_code(code: str) -> int | str:
    region = by_code(code)
    return region.lmi_code if region and region.lmi_code is not None else code


def _region_ref(area: EssArea) -> dict[str, Any]:
    return {"name": area.name, "code": _ref_code(area.code)}


def compat_regions(snap: Snapshot, query: Query) -> Answer:
    index = snap.view_or_none(ESS)
    if index is None:  # a map of name → number has no room for a note: the header says it
        return _no_data(snap, {}, NOT_LOADED)
    regions = sorted(
        (r for r in REGIONS if r.code in index.areas and r.lmi_code is not None),
        key=lambda r: r.lmi_code or 0,
    )
    note = (
        "English regions with ESS 2017 figures, by LMI for All number; LEPs and local "
        "authorities are addressed by code or name (see /v1/areas)."
    )
    body = {r.name: r.lmi_code for r in regions}
    return Answer(
        body, headers={**_compat_headers(snap, EssArea("", "", "", "modelled", ""), note)}
    )


SENTINEL = {"soc": -1, "percentHTF": None, "percentSSV": None, "percentHTFisSSV": None}


def compat_ranksocs(snap: Snapshot, region: str, query: Query) -> Answer:
    found = compat_area(snap, region)
    end = {**SENTINEL, "reliability": 0}
    if found.area is None:  # no rows, only the end marker LMI for All's clients stop at
        return _no_data(snap, [end], found.why)
    rows = [
        {**compat_record(fig, int(major)), "title": major_title(snap, major)}
        for major, fig in ranking(found.area)
    ]
    note = (
        f"{ESS_NOTE} Occupations are SOC 2010 major groups (soc 1–9), highest hard-to-fill "
        "share first; the last row (soc -1) is LMI for All's end marker."
        + _postcode_note(found.area, found.match)
    )
    return Answer([*rows, end], headers=_compat_headers(snap, found.area, note))


# -- declarations ------------------------------------------------------------------------------


def vacancies_routes() -> list[Endpoint]:
    tag = "Vacancies (Employer Skills Survey)"
    callback = Param("callback", "JSONP: wrap the JSON in callback(...)")
    soc = Param(
        "soc",
        "SOC 2010 code (answered by its major group)",
        location="path",
        type="integer",
        example="2136",
    )
    region = Param(
        "region",
        "LMI for All region 1–9 (England), or an area code or name: England, an English region, "
        "a LEP (E37… or name), a local authority (name)" + PARAM_NOTE,
        location="path",
        example="1",
    )
    coarse = Param(
        "coarse",
        "true or false: ESS 2017 answers by SOC major group in any case (coarser than the "
        "2-digit group coarse=true asks for; coarse=false cannot be honoured): the note says so",
        enum=("true", "false"),
    )
    area_param = Param(
        "area",
        "area code or name (default England): region, LEP or local authority; 'lep:London' "
        "picks a kind" + PARAM_NOTE,
        location="path",
        example="Greater Manchester",
    )
    return [
        Endpoint(
            "/v1/vacancies/{version}/{code}",
            native(native_vacancies, "version", "code"),
            "Hard-to-fill and skill-shortage vacancy shares of an occupation in an area (ESS 2017)",
            tag,
            (
                VERSION,
                CODE,
                Param(
                    "area",
                    "area code or name (default England): region, LEP, local authority"
                    + PARAM_NOTE,
                    example="E37000015",
                ),
            ),
            description=f"{ESS_NOTE} {SOC_METHOD} {RELIABILITY_NOTE}",
            responses=NOT_FOUND,
            example="/v1/vacancies/soc2010/2136?area=Greater%20Manchester",
        ),
        Endpoint(
            "/v1/areas/{area}/vacancies",
            native(native_area_vacancies, "area"),
            "Occupations (SOC major groups) of an area ranked by hard-to-fill share (ESS 2017)",
            tag,
            (
                area_param,
                Param("rank", "share to rank by", enum=tuple(SHARES)),
            ),
            description=f"{ESS_NOTE} {RELIABILITY_NOTE}",
            responses=NOT_FOUND,
            example="/v1/areas/E37000051/vacancies",
        ),
        Endpoint(
            "/api/v1/ess/uk/{soc}",
            compat(compat_uk, "soc", name="compat_ess_uk"),
            "LMI for All: % of vacancies hard to fill / skill-shortage (England, ESS 2017)",
            TAG_COMPAT,
            (soc, coarse, callback),
            description=f"{ESS_NOTE} {SOC_METHOD} {RELIABILITY_NOTE}",
            responses=NOT_FOUND,
            example="/api/v1/ess/uk/2136",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/ess/region/{region}/{soc}",
            compat(compat_region, "region", "soc", name="compat_ess_region"),
            "LMI for All: ESS vacancy shares in a region, LEP or local authority",
            TAG_COMPAT,
            (region, soc, coarse, callback),
            description=(
                "`region` is LMI for All's number (1–9; 10–12 are outside England: no figures, "
                "null shares and a note) or an area code or name; `region.code` in the answer "
                "is the number for regions, else the area code; an area without ESS figures "
                f"is answered the same way. {ESS_NOTE} {SOC_METHOD}"
            ),
            responses=NOT_FOUND,
            example="/api/v1/ess/region/1/2136",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/ess/regions",
            compat(compat_regions, name="compat_ess_regions"),
            "LMI for All: region name → number, for the regions with ESS figures",
            TAG_COMPAT,
            (callback,),
            example="/api/v1/ess/regions",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/ess/regions/ranksocs/{region}",
            compat(compat_ranksocs, "region", name="compat_ess_ranksocs"),
            "LMI for All: occupations ranked by hard-to-fill share in an area, ending soc -1",
            TAG_COMPAT,
            (region, callback),
            description=f"{ESS_NOTE} {RELIABILITY_NOTE}",
            responses=NOT_FOUND,
            example="/api/v1/ess/regions/ranksocs/E37000015",
            envelope=False,
        ),
    ]
