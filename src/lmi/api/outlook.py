"""Employment outlook from Working Futures: native ``/v1`` endpoints and LMI for All's ``wf/*``.

Every figure comes from :class:`lmi.datasets.working_futures.model.Outlook` (built once per
snapshot) with its SDC envelope (policy ``working-futures``: under 1,000 people not served,
under 10,000 caution) and its method: ``observed`` for published Working Futures groups
(SOC 2020 major and sub-major groups, all occupations), ``modelled`` otherwise, the method
stated in words (``method_note``; ``note`` in the compatible layer's bodies).
Working Futures covers England only and years 2010–2035 (projections after 2020): a year
outside the data is a 400 naming the available range, never an extrapolation.

Compatible shapes (``shared/reference/lmiforall-v1-api.md`` §1.4): ``soc`` is a SOC 2010 unit
group; ``employment`` is people (float); breakdown codes are LMI for All's (region 1–12,
gender 1 male 2 female, status 1 full-time 2 part-time 3 self-employed, qualification 1–9
highest first); ``wf/replacement_demand`` gives ``rate`` as replacement demand in per cent
of the start year's employment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lmi.api import params
from lmi.api.openapi import CODE, NOT_FOUND, TAG_COMPAT, VERSION, Endpoint, Param
from lmi.api.postcodes import DATASET as POSTCODES
from lmi.api.postcodes import PostcodeAreas, param_note, postcode_areas
from lmi.api.respond import Answer, compat, native
from lmi.classification import areas
from lmi.classification.regions import LMI_REGION_CODES, LMI_REGION_NAMES
from lmi.classification.soc import parse_version
from lmi.datasets.aps.view import (
    SIC_SECTIONS,
    UNIT_INDUSTRY,
    compat_industry_breakdown,
    section_number,
)
from lmi.datasets.aps.view import SOURCE as APS_INDUSTRY_SOURCE
from lmi.datasets.working_futures.model import (
    BASE_YEAR,
    RD_PERIOD,
    TOTAL,
    Composition,
    Figure,
    Key,
    Outlook,
)
from lmi.datasets.working_futures.tables import QUALIFICATION_NAMES, QUALIFICATIONS
from lmi.datasets.working_futures.view import OUTLOOK
from lmi.errors import InvalidQuery, NotFound
from lmi.sdc import Served
from lmi.serve.snapshot import Snapshot

__all__ = ["outlook", "outlook_routes"]

Query = Mapping[str, str]
DATASET = "working_futures"
BREAKDOWNS = ("gender", "status", "qualification", "region", "industry")
NATIVE_BREAKDOWNS = ("none", *BREAKDOWNS, "lep")
#: LMI for All code, name and the model key of each breakdown item
GENDERS: tuple[tuple[int, str, Key], ...] = (
    (1, "Male", ("male", "all", "all")),
    (2, "Female", ("female", "all", "all")),
)
STATUSES: tuple[tuple[int, str, Key], ...] = (
    (1, "Full-time employees", ("all", "full-time", "all")),
    (2, "Part-time employees", ("all", "part-time", "all")),
    (3, "Self-employed", ("all", "self-employed", "all")),
)
QUALIFICATION_ITEMS: tuple[tuple[int, str, Key], ...] = tuple(
    (i, QUALIFICATION_NAMES[q], ("all", "all", q)) for i, q in enumerate(QUALIFICATIONS[1:], 1)
)
KEYED = {"gender": GENDERS, "status": STATUSES, "qualification": QUALIFICATION_ITEMS}
REGION_OF_ITL1 = {itl1: code for code, itl1 in LMI_REGION_CODES.items()}
NOT_AVAILABLE = {
    "industry": (
        "not available: Working Futures (Skills Imperative 2035) publishes employment by "
        "industry only for the 9 SOC 2020 major groups, and an occupation's industry mix "
        "differs too much within a major group to apportion it, so no figures are given; "
        "/v1/industries/{version}/{code} gives the APS industry mix of a unit group (2021 on)"
    ),
}
ENGLAND_ONLY = (
    "Working Futures (Skills Imperative 2035) covers England only: Wales (10), Scotland (11) "
    "and Northern Ireland (12) are not available."
)
NOTES = {
    "gender": (
        "Sex splits are published for 2015, 2019, 2020, 2025 and 2035; other years apply a "
        "share interpolated between the nearest published years to the year's total."
    ),
    "status": (
        "Status (full-time and part-time employees, self-employed) is published for SOC 2020 "
        "major groups in 2015, 2020 and 2035: finer groups take their major group's shares, "
        "interpolated between those years."
    ),
    "qualification": (
        "Qualification levels (RQF, highest first; LMI for All codes 1–9) are published for "
        "sub-major groups in 2015, 2019, 2020, 2025 and 2035; other years interpolate the "
        "shares."
    ),
    "region": (
        "Modelled: England's figure × the occupation's share of England's employment in each "
        "region, from the Annual Population Survey (T09a, SOC 2010 sub-major groups, regions "
        "summed from NUTS3 areas, mixed in the proportions the occupation's employment comes "
        "from them); outside the APS years 2015–2021 the mean share of the three nearest "
        "APS years. " + ENGLAND_ONLY
    ),
    "lep": (
        "Modelled: England's figure × the occupation's share of England's employment in each "
        "Local Enterprise Partnership (2021 geography; some LEPs overlap, so the LEPs sum to "
        "slightly more than England) from the Annual Population Survey T09a."
    ),
}


#: figure methods a provenance names itself (otherwise the release's own method)
LABELLED = frozenset({"modelled", "projection"})


def outlook(snap: Snapshot) -> Outlook:
    """The snapshot's outlook model for one response (built once per release; the session
    shares the area shares a breakdown asks for year after year)."""
    return snap.view(OUTLOOK).session()


# -- shared ------------------------------------------------------------------------------------


def _years(query: Query, available: list[int], what: str) -> list[int]:
    """Years asked with ``minYear``/``maxYear`` (default: all available); 400 outside them."""
    if not available:
        raise NotFound(f"no years of {what} in this release")
    lo, hi = available[0], available[-1]
    first = _year(query, "minYear", lo)
    last = _year(query, "maxYear", hi)
    for name, year in (("minYear", first), ("maxYear", last)):
        if not lo <= year <= hi:
            raise InvalidQuery(
                f"{name} {year} is outside the years of {what}: {lo}–{hi} (figures are never "
                "extrapolated)",
                parameter=name,
            )
    if first > last:
        raise InvalidQuery(f"minYear ({first}) is after maxYear ({last})", parameter="minYear")
    return [y for y in available if first <= y <= last]


def _year(query: Query, name: str, default: int) -> int:
    return params.integer(query, name, default=default, minimum=1000, maximum=9999)


def _composition(model: Outlook, version: str, code: str) -> Composition:
    found = model.composition(version, code)
    if found is None:
        raise NotFound(
            f"no Working Futures figures can be attributed to {version.upper()} {code} "
            "(no unit group of it appears in the SOC 2020 groups or the dual coding)"
        )
    return found


def _kind(year: int) -> str:
    return "history" if year <= BASE_YEAR else "projection"


def _area_figure(model: Outlook, comp: Composition, area_type: str, area: str, year: int) -> Served:
    total = model.employment(comp, TOTAL, year)
    share = model.area_share(comp, area_type, area, year)
    if total is None or share.share is None:
        return Served(
            None, share.status if total else "not_available", "none", share.rule, "modelled"
        )
    figure = Figure(total.thousands * share.share, "modelled", f"{total.rule}+{share.rule}")
    served = model.served(figure, comp)
    if served.servable and share.status == "caution" and served.status == "ok":
        return Served(served.value, "caution", served.band, served.rule, "modelled")
    return served


def _items(model: Outlook, comp: Composition, dim: str, year: int) -> list[tuple[Any, str, Served]]:
    """``(code, name, served)`` of every item of a breakdown in ``year``."""
    if dim in KEYED:
        return [
            (code, name, model.served(model.employment(comp, key, year), comp))
            for code, name, key in KEYED[dim]
        ]
    if dim == "region":
        found = [
            (REGION_OF_ITL1.get(itl1, 0), _region_name(itl1, name), itl1)
            for itl1, name in model.areas("region")
        ]
        return [
            (code, name, _area_figure(model, comp, "region", itl1, year))
            for code, name, itl1 in sorted(found)
        ]
    if dim == "lep":
        return [
            (_lep_code(name) or name, name, _area_figure(model, comp, "lep", code, year))
            for code, name in model.areas("lep")
        ]
    return []


def _region_name(itl1: str, name: str) -> str:
    area = areas.by_code(itl1)
    return area.name if area is not None else name


def _lep_code(name: str) -> str | None:
    area = areas.find_area(name, ("lep",))
    return area.code if area is not None else None


def _breakdown_years(model: Outlook, dim: str) -> list[int]:
    if dim in KEYED:
        years: set[int] = set(model.years)
        for _, _, key in KEYED[dim]:
            years &= set(model.key_years(key))
        return sorted(years)
    if dim in ("region", "lep"):
        return list(model.years) if model.areas(dim) else []
    return list(model.years)


def _availability(model: Outlook, dim: str) -> str | None:
    """Why a breakdown has no figures in this release, or None when it has."""
    if dim in NOT_AVAILABLE:
        return NOT_AVAILABLE[dim]
    if dim in ("region", "lep") and not model.areas(dim):
        source = (
            "the original Nomis download (NUTS3 columns)" if dim == "region" else "the APS file"
        )
        return f"not available: this release has no APS {dim} figures ({source} was not loaded)"
    if dim in KEYED and not _breakdown_years(model, dim):
        return "not available: the Working Futures workbook (which holds this split) was not loaded"
    return None


def _datasets(dim: str | None) -> tuple[str, ...]:
    found = [DATASET, "ashe", "soc_crosswalks"]
    if dim in ("region", "lep"):
        found.append("aps")
    return tuple(found)


def _prov(snap: Snapshot, served: Served, dataset: str = DATASET) -> dict[str, Any]:
    return snap.provenance(dataset, method=served.method if served.method in LABELLED else None)


# -- native ------------------------------------------------------------------------------------


def _area(
    snap: Snapshot, model: Outlook, query: Query
) -> tuple[tuple[str, str, str] | None, PostcodeAreas | None]:
    """``(area_type, APS area key, name)`` of the ``area`` asked for (None for England), and the
    postcode it came from: a postcode is answered for its LEP, else its region (APS figures)."""
    raw = params.text(query, "area", max_length=200)
    if raw is None:
        return None, None
    match = postcode_areas(snap, raw)
    if match is not None:
        area = match.first(
            ("lep", "region"),
            parameter="area",
            accept=lambda a: bool(_aps_areas(model, a)),
            what="APS figures in this release",
        )
    else:
        area = areas.resolve_area(raw, ("country", "region", "lep"))
    if area.kind == "country":
        return None, None
    found = _aps_areas(model, area)
    if not found:
        raise NotFound(f"area: no APS figures for {area.name} in this release")
    return (area.kind, found[0][0], area.name), match


def _aps_areas(model: Outlook, area: areas.Area) -> list[tuple[str, str]]:
    """The APS areas (key, name) that are the registry's region or LEP ``area``."""
    if area.kind == "region":
        itl1 = next((c for c in area.former_codes if c.startswith("TL")), "")
        return [(c, n) for c, n in model.areas("region") if c == itl1]
    names = {areas.normalise_name(n) for n in area.names}
    return [(c, n) for c, n in model.areas("lep") if areas.normalise_name(n) in names]


def native_employment(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    model = outlook(snap)
    group = params.soc_group(snap, parse_version(version), code)
    comp = _composition(model, group.version, group.code)
    dim = params.choice(query, "breakdown", NATIVE_BREAKDOWNS, default="none")
    place, match = _area(snap, model, query)
    if place is not None and dim != "none":
        raise InvalidQuery("area and breakdown cannot be combined", parameter="area")
    unavailable = _availability(model, dim) if dim != "none" else None
    available = model.years if dim == "none" or unavailable else _breakdown_years(model, dim)
    years = _years(
        query, available, "Working Futures employment" + ("" if dim == "none" else f" by {dim}")
    )
    series = []
    for year in years:
        if place is None:
            served = model.served(model.employment(comp, TOTAL, year), comp)
        else:
            served = _area_figure(model, comp, place[0], place[1], year)
        item: dict[str, Any] = {
            "year": year,
            "kind": _kind(year),
            **served.as_dict(),
            "provenance": _prov(snap, served),
        }
        if dim != "none":
            item["breakdown"] = (
                []
                if unavailable
                else [
                    {"code": c, "name": n, **s.as_dict()}
                    for c, n, s in _items(model, comp, dim, year)
                ]
            )
        series.append(item)
    data = {
        "occupation": {
            "soc_version": group.version,
            "code": group.code,
            "level": group.level,
            "title": group.title,
        },
        "area": "England" if place is None else place[2],
        "area_type": "country" if place is None else place[0],
        "resolved_from": None
        if match is None or place is None
        else match.resolved_from(place[0], place[1], place[2]),
        "unit": "people",
        "base_year": BASE_YEAR,
        "available_years": [available[0], available[-1]],
        "method": comp.method,
        "method_note": model.method_note(comp),
        "breakdown": None if dim == "none" else dim,
        "breakdown_note": unavailable or NOTES.get(dim) if dim != "none" else None,
        "area_note": None if place is None else NOTES[place[0]],
        "series": series,
    }
    used = _datasets(dim if place is None else place[0])
    return Answer(data, (*used, POSTCODES) if match is not None else used)


def native_replacement(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    model = outlook(snap)
    group = params.soc_group(snap, parse_version(version), code)
    comp = _composition(model, group.version, group.code)
    start, end = _period(model, query)
    dim = params.choice(query, "breakdown", ("none", "gender", "qualification"), default="none")
    found = _replacement(model, comp, start, end, TOTAL)
    data: dict[str, Any] = {
        "occupation": {
            "soc_version": group.version,
            "code": group.code,
            "level": group.level,
            "title": group.title,
        },
        "area": "England",
        "unit": "people",
        **found,
        "method_note": _rd_note(model, comp, start, end),
        "provenance": snap.provenance(
            DATASET, method=found["method"] if found["method"] in LABELLED else None
        ),
    }
    if dim != "none":
        data["breakdown"] = [
            {"code": c, "name": n, **_replacement(model, comp, start, end, key)}
            for c, n, key in KEYED[dim]
        ]
    return Answer(data, _datasets(None))


def _period(model: Outlook, query: Query) -> tuple[int, int]:
    allowed = model.rd_years()
    if not allowed:
        raise NotFound("no replacement demand in this release")
    start = _year(query, "minYear", allowed[0])
    end = _year(query, "maxYear", allowed[-1])
    span = f"{allowed[0]}–{allowed[-1]}"
    for name, year in (("minYear", start), ("maxYear", end)):
        if year not in allowed:
            choices = span if len(allowed) > 2 else f"{allowed[0]} or {allowed[-1]}"
            raise InvalidQuery(
                f"{name} {year}: replacement demand is published for {span} and can be "
                f"served for periods within it ({choices}); never extrapolated",
                parameter=name,
            )
    if start >= end:
        raise InvalidQuery(f"minYear ({start}) must be before maxYear ({end})", parameter="minYear")
    return start, end


def _replacement(
    model: Outlook, comp: Composition, start: int, end: int, key: Key
) -> dict[str, Any]:
    found = model.replacement(comp, start, end, key)
    if found is None:
        return {
            "start_year": start,
            "end_year": end,
            "status": "not_available",
            "method": comp.method,
        }
    demand = model.served(found.replacement_demand, comp)
    first = model.served(found.employment_start, comp)
    last = model.served(found.employment_end, comp)
    servable = demand.servable and first.servable and last.servable
    rate = (
        100 * found.replacement_demand.thousands / found.employment_start.thousands
        if servable and found.employment_start.thousands
        else None
    )
    return {
        "start_year": start,
        "end_year": end,
        "employment_start": first.as_dict(),
        "employment_end": last.as_dict(),
        "net_change": round(found.net_change * 1000, 1) if servable else None,
        "replacement_demand": demand.as_dict(),
        "total_requirement": round(
            (found.net_change + found.replacement_demand.thousands) * 1000, 1
        )
        if servable
        else None,
        "rate_percent": None if rate is None else round(rate, 2),
        "status": demand.status if servable else "suppressed_quality",
        "method": found.method,
    }


def _rd_note(model: Outlook, comp: Composition, start: int, end: int) -> str:
    note = (
        "Replacement demand: job openings from people leaving the occupation (retirement, "
        "mortality, migration, moves to other occupations); rate_percent is it as a "
        f"percentage of employment in {start}. "
    )
    if (start, end) != (2020, 2035):
        note += (
            "Published for 2020–2035 only: this period's share is the published figure × the "
            "period's share of the 2021–2035 employment-years (a constant replacement rate). "
        )
    return note + model.method_note(comp)


# -- compatible --------------------------------------------------------------------------------


def _compat_note(model: Outlook, comp: Composition, omitted: list[str]) -> str:
    note = (
        "England only; people in employment; years after 2020 are projections. "
        + model.method_note(comp)
    )
    if omitted:
        note += " Not shown (disclosure control): " + ", ".join(omitted) + "."
    return note


def _compat_years(query: Query) -> tuple[int | None, int | None]:
    """``minYear``/``maxYear`` as asked: malformed or reversed is a 400; a year outside the
    data is well formed (its answer is the shape with no figures and a note)."""
    low = _asked_year(query, "minYear")
    high = _asked_year(query, "maxYear")
    if low is not None and high is not None and low > high:
        raise InvalidQuery(f"minYear ({low}) is after maxYear ({high})", parameter="minYear")
    return low, high


def _asked_year(query: Query, name: str) -> int | None:
    raw = query.get(name)
    if raw is None or raw.strip() == "":
        return None
    return _year(query, name, 0)


def _within(years: list[int], asked: tuple[int | None, int | None]) -> list[int]:
    low, high = asked
    return [y for y in years if (low is None or y >= low) and (high is None or y <= high)]


def _outside_note(years: list[int], what: str) -> str:
    span = f"{years[0]}–{years[-1]}" if years else "no years"
    return f"No figures for the years asked: {what} covers {span} (never extrapolated)."


def _partly_outside(years: list[int], asked: tuple[int | None, int | None], what: str) -> str:
    """A sentence when the years asked reach beyond the data (the rest is answered)."""
    low, high = asked
    if years and ((low is not None and low < years[0]) or (high is not None and high > years[-1])):
        return f" Years asked outside {years[0]}–{years[-1]} ({what}) are not held."
    return ""


def _compat_model(snap: Snapshot, soc: str) -> tuple[Outlook | None, Composition | None, str]:
    """The outlook model and the unit group's composition, or why there are no figures."""
    loaded = snap.view_or_none(OUTLOOK)
    if loaded is None:
        return None, None, "Working Futures is not loaded in this release: no figures are held."
    model = loaded.session()
    comp = model.composition("soc2010", soc)
    if comp is None:
        return (
            model,
            None,
            (
                f"No Working Futures figures can be attributed to SOC 2010 {soc} (no unit group of "
                "it appears in the SOC 2020 groups or the dual coding)."
            ),
        )
    return model, comp, ""


def compat_predict(snap: Snapshot, query: Query) -> tuple[Any, str, str]:
    soc = params.compat_soc(snap, query).code
    asked = _compat_years(query)
    model, comp, why = _compat_model(snap, soc)
    body: dict[str, Any] = {"soc": int(soc), "predictedEmployment": []}
    if model is None or comp is None:
        return {**body, "note": why, **ENGLAND_USED}, "none", why
    years = _within(model.years, asked)
    if not years:
        note = _outside_note(model.years, "Working Futures employment")
        return {**body, "note": note, **ENGLAND_USED}, "none", note
    rows, omitted = [], []
    for year in years:
        served = model.served(model.employment(comp, TOTAL, year), comp)
        if served.servable:
            rows.append({"year": year, "employment": served.value})
        else:
            omitted.append(f"{year} ({served.status})")
    note = _compat_note(model, comp, omitted)
    note += _partly_outside(model.years, asked, "Working Futures employment")
    body = {"soc": int(soc), "predictedEmployment": rows, "note": note, **ENGLAND_USED}
    return body, comp.method if rows else "none", note


def compat_breakdown(snap: Snapshot, dim: str, query: Query) -> tuple[Any, str, str]:
    dim = dim.strip().lower()
    if dim not in BREAKDOWNS:
        raise InvalidQuery(
            f"breakdown {dim!r} does not exist: use {', '.join(BREAKDOWNS)}", parameter="dim"
        )
    soc = params.compat_soc(snap, query).code
    asked = _compat_years(query)
    empty: dict[str, Any] = {"soc": int(soc), "breakdown": dim, "predictedEmployment": []}
    index = snap.view_or_none(UNIT_INDUSTRY) if dim == "industry" else None
    if index is not None and index.years:  # the APS industry mix (lmi.datasets.aps.view)
        dual = snap.rows("soc2010_soc2020_dual_coding")
        return compat_industry_breakdown(index, soc, dual, _within(index.years, asked))
    model, comp, why = _compat_model(snap, soc)
    if model is None or comp is None:
        return {**empty, "note": why, **ENGLAND_USED}, "none", why
    unavailable = _availability(model, dim)
    if unavailable:
        return {**empty, "note": unavailable, **ENGLAND_USED}, "none", unavailable
    available = _breakdown_years(model, dim)
    years = _within(available, asked)
    if not years:
        note = _outside_note(available, f"Working Futures employment by {dim}")
        return {**empty, "note": note, **ENGLAND_USED}, "none", note
    out, omitted = [], []
    method = "modelled" if dim == "region" else comp.method
    for year in years:
        items = []
        for code, name, served in _items(model, comp, dim, year):
            if not served.servable:
                omitted.append(f"{year} {name} ({served.status})")
                continue
            item: dict[str, Any] = {"code": code, "name": name, "employment": served.value}
            if served.status == "caution":
                item["note"] = f"use with caution ({served.rule})"
            if served.method == "modelled":
                method = "modelled"
            items.append(item)
        out.append({"year": year, "breakdown": items})
    note = " ".join(filter(None, [NOTES.get(dim), _compat_note(model, comp, omitted)]))
    note += _partly_outside(available, asked, f"Working Futures employment by {dim}")
    body = {
        "soc": int(soc),
        "breakdown": dim,
        "note": note,
        "predictedEmployment": out,
        **ENGLAND_USED,
    }
    return body, method, note


def compat_replacement(snap: Snapshot, query: Query) -> tuple[Any, str, str]:
    """``{soc, start_year, end_year, rate}``; without a figure, ``rate: null`` with LMI for
    All's ``error`` key and a ``note`` (an omitted ``rate`` would read as 0 in a C# model)."""
    soc = params.compat_soc(snap, query).code
    low, high = _compat_years(query)
    if low is not None and high is not None and low == high:
        raise InvalidQuery(f"minYear ({low}) must be before maxYear ({high})", parameter="minYear")
    model, comp, why = _compat_model(snap, soc)
    start, end = low or RD_PERIOD[0], high or RD_PERIOD[1]

    def empty(note: str) -> tuple[Any, str, str]:
        body = {
            "soc": int(soc),
            "start_year": start,
            "end_year": end,
            "rate": None,
            "error": NO_REPLACEMENT,
            "note": note,
            **ENGLAND_USED,
        }
        return body, "none", note

    if model is None or comp is None:
        return empty(why)
    allowed = model.rd_years()
    start, end = low or allowed[0], high or allowed[-1]
    if start not in allowed or end not in allowed or start >= end:
        return empty(
            f"No figure for {start}–{end}: replacement demand is published for "
            f"{allowed[0]}–{allowed[-1]} and served for periods within it (never extrapolated)."
        )
    found = _replacement(model, comp, start, end, TOTAL)
    rate = found.get("rate_percent")
    if rate is None:
        return empty(
            f"No replacement demand can be served for SOC 2010 {soc} over {start}–{end} "
            "(withheld by disclosure control, or not attributable)."
        )
    demand = found["replacement_demand"]["value"]
    first = found["employment_start"]["value"]
    note = (
        f"rate = replacement demand as a percentage of employment in {start}: "
        f"{demand:,.0f} openings over {start}–{end} on {first:,.0f} people employed in {start} "
        f"(England). " + _rd_note(model, comp, start, end)
    )
    body = {
        "soc": int(soc),
        "start_year": start,
        "end_year": end,
        "rate": rate,
        "note": note,
        **ENGLAND_USED,
    }
    return body, str(found["method"]), note


NO_REPLACEMENT = "no replacement demand is available for this occupation and period"


#: additive key of every compatible WF body: the figures are England's, not the UK's (strict
#: clients ignore it; a reader of a UK-looking answer can see it)
ENGLAND_USED = {"area_used": "E92000001"}

#: Working Futures' breakdown dimensions as LMI for All's ``wf/filters`` named them
WF_FILTERS: dict[str, str] = {
    "gender": "Sex (Working Futures, England)",
    "status": "Employment status: full-time and part-time employees, self-employed",
    "qualification": "Highest qualification, RQF levels highest first (codes 1-9)",
    "region": (
        "English region (1-9), modelled from APS shares; Wales (10), Scotland (11) and Northern "
        "Ireland (12) are listed but have no figures: Working Futures covers England only"
    ),
    "industry": (
        "Industry: answered from the APS unit-group x industry table when the release holds "
        "it; codes are the SIC 2007 sections numbered A = 1 ... U = 21 as ONS numbers them "
        "(each breakdown item also names its letter as section)"
    ),
}


def _wf_coding(name: str) -> list[dict[str, Any]]:
    if name in KEYED:
        return [{"code": code, "description": text} for code, text, _ in KEYED[name]]
    if name == "region":
        return [{"code": code, "description": text} for code, text in LMI_REGION_NAMES.items()]
    if name == "industry":
        return [
            {"code": section_number(letter), "description": f"{letter} {text}"}
            for letter, text in SIC_SECTIONS.items()
        ]
    return []


def _wf_filter_info(name: str) -> dict[str, Any]:
    return {"name": name, "description": WF_FILTERS[name], "coding": _wf_coding(name)}


def compat_wf_filters(snap: Snapshot, query: Query) -> Answer:
    """``wf/filters``: the breakdown dimensions (2013 docs: like ``lfs/filters``)."""
    return Answer(list(WF_FILTERS), headers={"X-LMI-Release": str(snap.release.id)})


def compat_wf_filters_all(snap: Snapshot, query: Query) -> Answer:
    body = [_wf_filter_info(name) for name in WF_FILTERS]
    return Answer(body, headers={"X-LMI-Release": str(snap.release.id)})


def compat_wf_filter_info(snap: Snapshot, raw_name: str, query: Query) -> Answer:
    name = raw_name.strip().lower()
    if name not in WF_FILTERS:
        raise NotFound(
            f"no Working Futures filter {raw_name!r}: filters are {', '.join(WF_FILTERS)}"
        )
    return Answer(_wf_filter_info(name), headers={"X-LMI-Release": str(snap.release.id)})


# -- HTTP --------------------------------------------------------------------------------------


def compat_wf_predict(snap: Snapshot, query: Query) -> Answer:
    data, method, _ = compat_predict(snap, query)
    return Answer(data, headers=_wf_headers(snap, method, ""))


def compat_wf_breakdown(snap: Snapshot, dim: str, query: Query) -> Answer:
    data, method, _ = compat_breakdown(snap, dim, query)
    return Answer(data, headers=_wf_headers(snap, method, dim))


def compat_wf_replacement(snap: Snapshot, query: Query) -> Answer:
    data, method, _ = compat_replacement(snap, query)
    return Answer(data, headers=_wf_headers(snap, method, ""))


def _wf_headers(snap: Snapshot, method: str, dim: str) -> dict[str, str]:
    sources = [snap.provenance(DATASET)["source"]]
    if dim.strip().lower() == "region":
        sources.append(snap.provenance("aps")["source"])
    if dim.strip().lower() == "industry" and method == "modelled":
        sources = [APS_INDUSTRY_SOURCE]
    return {
        "X-LMI-Release": str(snap.release.id),
        "X-LMI-Method": "synthetic"
        if snap.release.kind == "synthetic" and method != "none"
        else method,
        "X-LMI-Source": " + ".join(sources),
    }


def outlook_routes() -> list[Endpoint]:
    tag = "Employment outlook (Working Futures)"
    years = (
        Param(
            "minYear", "First year (default: the first available)", type="integer", example="2024"
        ),
        Param("maxYear", "Last year (default: the last available)", type="integer", example="2035"),
    )
    soc = Param("soc", "SOC 2010 unit group", required=True, type="integer", example="2136")
    callback = Param("callback", "JSONP: wrap the JSON in callback(...)")
    bad_year = {400: "Bad parameter, or a year outside the data (the message names the range)"}
    bad_compat_year = {400: "Bad parameter: a year that is not an integer, minYear after maxYear"}
    return [
        Endpoint(
            "/v1/employment/{version}/{code}",
            native(native_employment, "version", "code"),
            "Employment history and projections (England) for any SOC code, with breakdowns",
            tag,
            (
                VERSION,
                CODE,
                *years,
                Param(
                    "breakdown",
                    "gender, status, qualification, region (English regions), lep, or industry "
                    "(not available: answered with a note)",
                    enum=NATIVE_BREAKDOWNS,
                ),
                Param(
                    "area",
                    "An English region or LEP, by code (E12000007, TLI, E37000051) or name "
                    "(modelled from APS shares); default England"
                    + param_note("its LEP, else its region"),
                    example="London",
                ),
            ),
            description=(
                "Working Futures (Skills Imperative 2035) publishes SOC 2020 major and sub-major "
                "groups (method observed); unit and minor groups and SOC 2010 codes are modelled "
                "(method_note states how). Each figure has the SDC envelope; under 1,000 people "
                "is not served."
            ),
            responses={**NOT_FOUND, **bad_year},
            example="/v1/employment/soc2010/2136?minYear=2024&maxYear=2035&breakdown=gender",
        ),
        Endpoint(
            "/v1/replacement-demand/{version}/{code}",
            native(native_replacement, "version", "code"),
            "Replacement demand, net change and total requirement over a period within 2020–2035",
            tag,
            (
                VERSION,
                CODE,
                Param("minYear", "Start of the period (default 2020)", type="integer"),
                Param("maxYear", "End of the period (default 2035)", type="integer"),
                Param(
                    "breakdown", "gender or qualification", enum=("none", "gender", "qualification")
                ),
            ),
            responses={**NOT_FOUND, **bad_year},
            example="/v1/replacement-demand/soc2020/2134?minYear=2024&maxYear=2030",
        ),
        Endpoint(
            "/api/v1/wf/predict",
            compat(compat_wf_predict, name="compat_wf_predict"),
            "LMI for All: employment projection series (people, England)",
            TAG_COMPAT,
            (soc, *years, callback),
            description=(
                "The method is in `note` and X-LMI-Method. Years outside the data: "
                "`predictedEmployment: []` and a `note` (X-LMI-Method: none)."
            ),
            responses={**NOT_FOUND, **bad_compat_year},
            example="/api/v1/wf/predict?soc=2136&minYear=2024&maxYear=2035",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/wf/predict/breakdown/{dim}",
            compat(compat_wf_breakdown, "dim", name="compat_wf_breakdown"),
            "LMI for All: employment projections broken down by region, gender, status, "
            "industry or qualification",
            TAG_COMPAT,
            (
                Param(
                    "dim",
                    "region, gender, status, industry or qualification",
                    location="path",
                    enum=BREAKDOWNS,
                    example="gender",
                ),
                soc,
                *years,
                callback,
            ),
            description=(
                "industry: the APS unit-group × industry mix when the release holds it (code = "
                "SIC 2007 section numbered A = 1 … U = 21, letter in `section`), else no figures "
                "and a `note`. Years outside the data: no figures and a `note`; an unknown "
                "`dim`: 400."
            ),
            responses={**NOT_FOUND, **bad_compat_year},
            example="/api/v1/wf/predict/breakdown/region?soc=2136&minYear=2024&maxYear=2030",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/wf/filters",
            compat(compat_wf_filters, name="compat_wf_filters"),
            "LMI for All: the Working Futures breakdown names",
            TAG_COMPAT,
            (callback,),
            example="/api/v1/wf/filters",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/wf/filters/all",
            compat(compat_wf_filters_all, name="compat_wf_filters_all"),
            "LMI for All: every Working Futures breakdown with its coding",
            TAG_COMPAT,
            (callback,),
            example="/api/v1/wf/filters/all",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/wf/filters/info/{name}",
            compat(compat_wf_filter_info, "name", name="compat_wf_filter_info"),
            "LMI for All: one Working Futures breakdown with its coding",
            TAG_COMPAT,
            (
                Param(
                    "name",
                    "gender, status, qualification, region or industry",
                    location="path",
                    example="region",
                ),
                callback,
            ),
            responses=NOT_FOUND,
            example="/api/v1/wf/filters/info/region",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/wf/replacement_demand",
            compat(compat_wf_replacement, name="compat_wf_replacement"),
            "LMI for All: replacement demand rate (% of start-year employment) over a period",
            TAG_COMPAT,
            (
                soc,
                Param("minYear", "Start (default 2020)", type="integer"),
                Param("maxYear", "End (default 2035)", type="integer"),
                callback,
            ),
            description=(
                "No figure (withheld, not loaded, a period outside 2020–2035): `rate: null`, "
                "LMI for All's `error` key and a `note`."
            ),
            responses={**NOT_FOUND, **bad_compat_year},
            example="/api/v1/wf/replacement_demand?soc=2136",
            envelope=False,
        ),
    ]
