"""Live job adverts: ``/v1/vacancies`` search, weekly counts and trends, and LMI for All's
``/api/v1/vacancies/search``.

Adverts are not release data (see :mod:`lmi.vacancies`): search answers from the worker's
in-memory :class:`~lmi.vacancies.search.Searcher`, re-read when a pull finishes; counts and
trends read ``lmi_advert_counts``. Responses are not cached per release (adverts change hourly).
Every advert carries its provenance (feed, when it was fetched, which release's coder coded it,
``observed`` or ``synthetic``); weekly counts below ``LMI_VACANCIES_MIN_COUNT`` are withheld.

(Not the Employer Skills Survey's vacancy shares: those are :mod:`lmi.api.vacancies`.)
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, timedelta
from typing import Any

import orjson
import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from lmi.api import params
from lmi.api.envelope import dumps, encode_headers, json_response, ok_body
from lmi.api.openapi import Endpoint, Param
from lmi.api.postcodes import postcode_areas
from lmi.api.respond import compat_callback, served_snapshot
from lmi.classification.areas import ENGLAND, Area, AreaKind, find_areas, resolve_area
from lmi.classification.soc import parse_version
from lmi.datasets.onspd.index import normalise_postcode
from lmi.errors import InvalidQuery, NotFound
from lmi.serve.snapshot import Snapshot
from lmi.store.adverts import advert_counts as counts_table
from lmi.store.database import Database
from lmi.vacancies.search import AdvertIndex, Item, Query, Searcher, words

__all__ = ["advert_index", "adverts_routes", "any_synthetic", "live_adverts"]

TAG = "Live job adverts"
COMPAT_TAG = "LMI for All compatible"
KINDS: tuple[AreaKind, ...] = ("country", "region", "la")
#: most adverts one compatible search answers (LMI for All's documented maximum)
COMPAT_MAX = 50
NATIVE_MAX = 100
SOC = re.compile(r"[1-9][0-9]{0,3}")
OUTWARD = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
SOURCE = "Job adverts pulled from the configured feeds (see /v1/vacancies provenance.feed)"
NOTE = (
    "Live adverts: what employers and boards advertise now, not a survey of vacancies. One job "
    "posted on several boards, or posted again, is counted once. SOC codes are assigned by "
    "lmi's title coder (score: the chance the code is right; status coded/low/ambiguous/"
    "uncoded)."
)


def _searcher(request: Request) -> Searcher:
    state = request.app.state
    found: Searcher | None = getattr(state, "advert_searcher", None)
    if found is None:
        db: Database = state.served.db
        found = Searcher(db, state.settings.vacancies_refresh_seconds)
        state.advert_searcher = found
    return found


async def advert_index(request: Request) -> AdvertIndex:
    """The worker's current advert index (re-read, off the event loop, when a pull finished)."""
    searcher = _searcher(request)
    index = searcher.index
    if index is None or searcher.due():
        index = await run_in_threadpool(searcher.refresh)
    return index


def _snapshot(request: Request) -> Snapshot:
    return served_snapshot(request)


def _provenance(snap: Snapshot, synthetic: bool) -> list[dict[str, Any]]:
    return [
        {
            "dataset": "adverts",
            "source": SOURCE,
            "publisher": None,
            "licence": None,
            "release": snap.release.id,
            "method": "synthetic" if synthetic else "observed",
            "note": NOTE,
        }
    ]


def _meta(snap: Snapshot, synthetic: bool, **extra: Any) -> dict[str, Any]:
    """Synthetic when an advert is, or when the release whose coder assigned the SOC codes is
    (the demo release's classification is invented)."""
    invented = synthetic or snap.release.kind == "synthetic"
    return {"release": snap.release.as_dict(), "provenance": _provenance(snap, invented), **extra}


# -- parameters --------------------------------------------------------------------------------


def _soc(query: Mapping[str, str]) -> tuple[str, str | None]:
    version = parse_version(query.get("version") or "soc2020")
    code = params.text(query, "soc", max_length=4)
    if code is not None and not SOC.fullmatch(code):
        raise InvalidQuery("parameter 'soc' must be a SOC code of 1 to 4 digits", parameter="soc")
    return version, code


def _since(query: Mapping[str, str]) -> date | None:
    raw = params.text(query, "since", max_length=10)
    days = params.integer(query, "days", default=0, minimum=0, maximum=3650)
    if raw is not None:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InvalidQuery(
                "parameter 'since' must be a date like 2026-12-01", parameter="since"
            ) from None
    return date.today() - timedelta(days=days) if days else None


def _place(
    snap: Snapshot, text: str | None, radius: float | None, parameter: str, *, strict: bool
) -> dict[str, Any]:
    """Query fields for an area code or name, a postcode (with a radius: by distance), an
    outward code, or (not strict: the compatible layer) free place words."""
    if text is None:
        if radius is not None:
            raise InvalidQuery(f"radius needs a postcode in '{parameter}'", parameter="radius")
        return {}
    try:
        located = postcode_areas(snap, text, parameter=parameter, strict=strict)
    except (InvalidQuery, NotFound):
        compact = normalise_postcode(text)
        if strict or compact is None:
            raise
        # the compatible layer: without the directory (or for a terminated postcode) a
        # postcode matches the adverts in its outward code ("LS1 4DY" → LS1)
        return {"postcode_prefix": compact[:-3]}
    if located is not None:
        found: dict[str, Any] = {}
        lat, lng = located.located.latitude, located.located.longitude
        if radius is not None and lat is not None and lng is not None:
            found = {"centre": (lat, lng), "radius_miles": radius}
        areas = located.candidates(KINDS)
        finest = [a for a in areas if a.kind == "la"][:1] or [
            a for a in areas if a.kind == "region"
        ][:1]
        if radius is None and finest:
            found["area_codes"] = frozenset({finest[0].code})
        compact = located.postcode.replace(" ", "")
        found.setdefault("postcode_prefix", compact if radius is None else None)
        return found
    if radius is not None and strict:
        raise InvalidQuery(
            f"radius needs a postcode in '{parameter}' (distances are from its centre)",
            parameter="radius",
        )
    areas = find_areas(text, KINDS)
    if areas:
        area = areas[0]
        return {} if area.code == ENGLAND.code else {"area_codes": frozenset({area.code})}
    compact = re.sub(r"\s+", "", text).upper()
    if OUTWARD.fullmatch(compact):
        return {"postcode_prefix": compact}
    if strict:
        area = resolve_area(text, KINDS, parameter=parameter)  # raises a clear 404
        return {"area_codes": frozenset({area.code})}
    return {"location_words": frozenset(words(text))}


def _radius(query: Mapping[str, str]) -> float | None:
    radius = params.number(query, "radius")
    if radius is not None and not 0 < radius <= 200:
        raise InvalidQuery("parameter 'radius' must be between 0 and 200 miles", parameter="radius")
    return radius


def _keywords(query: Mapping[str, str], name: str) -> frozenset[str]:
    raw = params.text(query, name, max_length=200) or ""
    return frozenset(words(raw.replace("%", " ").replace("*", " ")))


# -- handlers ----------------------------------------------------------------------------------


def _remembered(
    handler: Callable[[Request, AdvertIndex], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """Answer a repeated request from the bodies the current advert index remembers (a pull
    replaces the index, and with it every remembered body). Errors and JSONP are not kept."""

    name = handler.__name__.lstrip("_")

    async def endpoint(request: Request) -> Response:
        index = await advert_index(request)
        snap = _snapshot(request)
        # the day is part of the key: `days=7` means something else tomorrow
        stamp = f"{snap.release.id}/{date.today().isoformat()}?".encode()
        key = (name, stamp + request.scope["query_string"])
        found = index.bodies.get(key)
        if found is not None:
            return json_response(found[0], headers=list(found[1]))
        response = await handler(request, index)
        if response.status_code == 200 and b"callback=" not in request.scope["query_string"]:
            extra = tuple((k, v) for k, v in response.raw_headers if k.startswith(b"x-lmi-"))
            index.remember(key, (bytes(response.body), extra))
        return response

    endpoint.__name__ = name
    return endpoint


def _compat_headers(snap: Snapshot, synthetic: bool) -> list[tuple[bytes, bytes]]:
    return encode_headers(
        {
            "X-LMI-Release": str(snap.release.id),
            "X-LMI-Method": "synthetic" if synthetic else "observed",
            "X-LMI-Source": SOURCE,
        }
    )


async def _search_adverts(request: Request, index: AdvertIndex) -> Response:
    query = request.query_params
    snap = _snapshot(request)
    version, code = _soc(query)
    radius = _radius(query)
    place = _place(snap, params.text(query, "area", max_length=200), radius, "area", strict=True)
    limit = params.integer(query, "limit", default=20, minimum=1, maximum=NATIVE_MAX)
    offset = params.integer(query, "offset", default=0, minimum=0, maximum=100_000)
    asked = Query(
        soc_version=version,
        soc_code=code,
        keywords=_keywords(query, "keywords"),
        since=_since(query),
        offset=offset,
        limit=limit,
        **place,
    )
    total, page = index.positions(asked)
    data = {
        "total": total,
        "offset": offset,
        "limit": limit,
        "adverts": [orjson.Fragment(index.json(n)) for n in page],  # each rendered once
    }
    synthetic = any(index.items[n].synthetic for n in page)
    return json_response(ok_body(data, _meta(snap, synthetic, live_adverts=index.size())))


async def _compat_vacancies_search(request: Request, index: AdvertIndex) -> Response:
    """LMI for All's ``vacancies/search``: a bare list of at most 50 adverts."""
    query = request.query_params
    snap = _snapshot(request)
    callback = compat_callback(request)
    limit = params.integer(query, "limit", default=COMPAT_MAX, minimum=1, maximum=10_000)
    radius = _radius(query)
    location = params.text(query, "location", max_length=200) or params.text(
        query, "postcode", max_length=20
    )
    place = _place(snap, location, radius, "location", strict=False)
    asked = Query(keywords=_keywords(query, "keywords"), limit=min(limit, COMPAT_MAX), **place)
    _total, page = index.positions(asked)
    body = [orjson.Fragment(index.json(n, _compat_item)) for n in page]  # each rendered once
    headers = _compat_headers(snap, any(index.items[n].synthetic for n in page))
    return json_response(dumps(body), callback=callback, headers=headers)


def _compat_item(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "company": item.company or "",
        "summary": item.summary or "",
        "location": {"location": item.location or ""},
        "link": item.url or "",
    }


def _count_area(snap: Snapshot, text: str | None) -> Area:
    if text is None:
        return ENGLAND
    located = postcode_areas(snap, text, parameter="area")
    if located is not None:
        return located.first(KINDS, parameter="area")
    return resolve_area(text, KINDS, parameter="area")


def _read_counts(
    db: Database, version: str, area: str, code: str | None, weeks: int
) -> list[tuple[str, str, int, bool]]:
    t = counts_table.c
    latest = sa.select(sa.func.max(t.week)).where(t.soc_version == version)
    statement = sa.select(t.soc_code, t.week, t.adverts, t.synthetic).where(
        t.soc_version == version, t.area_code == area
    )
    if code:
        statement = statement.where(t.soc_code.like(f"{code}%"))
    with db.engine.connect() as conn:
        newest = conn.execute(latest).scalar()
        if newest is None:
            return []
        first = (date.fromisoformat(str(newest)) - timedelta(weeks=weeks - 1)).isoformat()
        rows = conn.execute(statement.where(t.week >= first))
        return [(str(c), str(w), int(n), bool(s)) for c, w, n, s in rows]


def _withheld(count: int, minimum: int) -> dict[str, Any]:
    if count < minimum:
        return {"adverts": None, "suppressed": True}
    return {"adverts": count, "suppressed": False}


async def _advert_counts(request: Request, index: AdvertIndex) -> Response:
    query = request.query_params
    snap = _snapshot(request)
    version, code = _soc(query)
    area = _count_area(snap, params.text(query, "area", max_length=200))
    weeks = params.integer(query, "weeks", default=4, minimum=1, maximum=104)
    minimum = request.app.state.settings.vacancies_min_count
    db: Database = request.app.state.served.db
    rows = await run_in_threadpool(_read_counts, db, version, area.code, code, weeks)
    totals: dict[str, int] = {}
    synthetic = False
    for soc, _week, n, is_synthetic in rows:
        totals[soc] = totals.get(soc, 0) + n
        synthetic = synthetic or is_synthetic
    groups = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    data = {
        "version": version,
        "area": {"kind": area.kind, "code": area.code, "name": area.name},
        "weeks": weeks,
        "occupations": [
            {"soc": soc, "title": _title(snap, version, soc), **_withheld(n, minimum)}
            for soc, n in groups
        ],
        "disclosure": f"counts below {minimum} are withheld (null, suppressed)",
    }
    return json_response(ok_body(data, _meta(snap, synthetic)))


async def _advert_trends(request: Request, index: AdvertIndex) -> Response:
    query = request.query_params
    snap = _snapshot(request)
    version, code = _soc(query)
    area = _count_area(snap, params.text(query, "area", max_length=200))
    weeks = params.integer(query, "weeks", default=12, minimum=1, maximum=104)
    minimum = request.app.state.settings.vacancies_min_count
    db: Database = request.app.state.served.db
    rows = await run_in_threadpool(_read_counts, db, version, area.code, code, weeks)
    by_week: dict[str, int] = {}
    synthetic = False
    for _soc_code, week, n, is_synthetic in rows:
        by_week[week] = by_week.get(week, 0) + n
        synthetic = synthetic or is_synthetic
    data = {
        "version": version,
        "soc": code,
        "title": _title(snap, version, code) if code else None,
        "area": {"kind": area.kind, "code": area.code, "name": area.name},
        "series": [{"week": w, **_withheld(by_week[w], minimum)} for w in sorted(by_week)],
        "disclosure": f"weekly counts below {minimum} are withheld (null, suppressed)",
    }
    return json_response(ok_body(data, _meta(snap, synthetic)))


def live_adverts(
    index: AdvertIndex, version: str, code: str, area: Area, minimum: int
) -> dict[str, Any]:
    """ "N live adverts" for an occupation (the Careerometer and the occupation pages): live,
    kept adverts coded to SOC group ``code`` in ``area`` now, from the worker's index (one
    posting list's length, or one intersection). ``state``: ``counted``; ``suppressed`` (1 to
    ``minimum`` - 1: withheld, as counts are: a small count can point at one employer; no
    link to a list that would show it);
    ``none`` (no live advert: nothing to point at, so said); ``not-collected`` (no pull has
    finished: this service collects no adverts)."""
    codes = frozenset() if area.code == ENGLAND.code else frozenset({area.code})
    n = index.live(version, code, codes)
    search = f"/v1/vacancies?version={version}&soc={code}"
    if area.code != ENGLAND.code:
        search += f"&area={area.code}"
    if not index.pulled:
        state, shown, search_link = "not-collected", None, None
    elif n == 0:
        state, shown, search_link = "none", 0, None
    elif n < minimum:
        state, shown, search_link = "suppressed", None, None  # no list that shows the count
    else:
        state, shown, search_link = "counted", n, search
    return {
        "state": state,
        "live_adverts": shown,
        "suppressed": state == "suppressed",
        "search": search_link,
        "as_of": index.last_pull,
        "withheld_below": minimum,
        "disclosure": f"counts of 1 to {minimum - 1} are withheld (null, suppressed)",
    }


async def _live_adverts(request: Request, index: AdvertIndex) -> Response:
    query = request.query_params
    snap = _snapshot(request)
    version, code = _soc(query)
    if code is None:
        raise InvalidQuery(
            "parameter 'soc' is required: a SOC code of 1 to 4 digits", parameter="soc"
        )
    area = _count_area(snap, params.text(query, "area", max_length=200))
    minimum = request.app.state.settings.vacancies_min_count
    found = live_adverts(index, version, code, area, minimum)
    synthetic = found["state"] in ("counted", "suppressed") and any_synthetic(index, version, code)
    data = {
        "version": version,
        "soc": code,
        "title": _title(snap, version, code),
        "area": {"kind": area.kind, "code": area.code, "name": area.name},
        **found,
    }
    return json_response(ok_body(data, _meta(snap, synthetic)))


def any_synthetic(index: AdvertIndex, version: str, code: str) -> bool:
    return any(index.items[n].synthetic for n in index.by_soc.get((version, code), []))


def _title(snap: Snapshot, version: str, code: str | None) -> str | None:
    group = snap.groups.get((version, code or ""))
    return group.title if group is not None else None


search_adverts = _remembered(_search_adverts)
compat_vacancies_search = _remembered(_compat_vacancies_search)
advert_counts = _remembered(_advert_counts)
advert_trends = _remembered(_advert_trends)
live_adverts_answer = _remembered(_live_adverts)


# -- declarations ------------------------------------------------------------------------------


def adverts_routes() -> list[Endpoint]:
    version = Param(
        "version", "SOC version of `soc` (default soc2020)", enum=("soc2010", "soc2020")
    )
    soc = Param("soc", "SOC code, 1–4 digits (a group and all below it)", example="2134")
    area = Param(
        "area",
        "area code or name (local authority, region, England) or a UK postcode (needs the "
        "ONS Postcode Directory)",
        example="Leeds",
    )
    radius = Param(
        "radius", "miles from the postcode in `area` (adverts with coordinates)", type="number"
    )
    weeks = Param(
        "weeks", "weeks back from the newest week counted", type="integer", minimum=1, maximum=104
    )
    return [
        Endpoint(
            "/v1/vacancies",
            search_adverts,
            "Live job adverts: by SOC (either version), keywords, area, radius, date; paged",
            TAG,
            (
                version,
                soc,
                Param(
                    "keywords", "words in the title or employer (all must match)", example="nurse"
                ),
                area,
                radius,
                Param("since", "posted on or after this date (YYYY-MM-DD)", example="2026-12-01"),
                Param("days", "posted in the last N days", type="integer", minimum=0),
                Param("limit", "adverts per page (≤ 100)", type="integer", minimum=1, maximum=100),
                Param("offset", "adverts to skip", type="integer", minimum=0),
            ),
            description=NOTE,
            example="/v1/vacancies?version=soc2020&soc=2134&area=London",
        ),
        Endpoint(
            "/v1/vacancies/counts",
            advert_counts,
            "Live adverts by occupation in an area over recent weeks (small counts withheld)",
            TAG,
            (version, soc, area, weeks),
            description=NOTE,
            example="/v1/vacancies/counts?version=soc2010&area=E12000007&weeks=4",
        ),
        Endpoint(
            "/v1/vacancies/trends",
            advert_trends,
            "Weekly live-advert counts for an occupation and area (small counts withheld)",
            TAG,
            (version, soc, area, weeks),
            description=NOTE,
            example="/v1/vacancies/trends?version=soc2020&soc=2134&area=England&weeks=12",
        ),
        Endpoint(
            "/v1/vacancies/live",
            live_adverts_answer,
            "How many live adverts an occupation has now ('N live adverts'; small counts withheld)",
            TAG,
            (
                version,
                Param(
                    "soc",
                    "SOC code, 1–4 digits (a group and all below it); required",
                    example="2136",
                ),
                area,
            ),
            description=(
                "Live, kept adverts coded to the group now (not a weekly count). `state`: "
                "`counted`; `suppressed` (a count below LMI_VACANCIES_MIN_COUNT, withheld as "
                "null, with no search link); `none` (no live advert); `not-collected` (no pull "
                "has finished: this service collects no adverts). `search` links to the "
                "adverts. " + NOTE
            ),
            example="/v1/vacancies/live?version=soc2010&soc=2136",
        ),
        Endpoint(
            "/api/v1/vacancies/search",
            compat_vacancies_search,
            "LMI for All: live vacancies by keywords and location, at most 50",
            COMPAT_TAG,
            (
                Param("keywords", "words in the title or employer (% and * are ignored)"),
                Param("location", "place name, postcode or outward code (e.g. Leeds, SE1)"),
                Param("radius", "miles from a postcode location", type="number"),
                Param("limit", "at most 50 are answered", type="integer", minimum=1),
                Param("callback", "JSONP callback"),
            ),
            description=(
                "Answers LMI for All's shape: [{id, title, company, summary, location: "
                "{location}, link}]; provenance in X-LMI-* headers. " + NOTE
            ),
            example="/api/v1/vacancies/search?keywords=developer&location=Leeds&limit=10",
            envelope=False,
        ),
    ]
