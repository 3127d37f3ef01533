"""Pay and hours from ASHE: native ``/v1`` endpoints and the LMI-for-All-compatible ones.

Every figure comes from :class:`lmi.datasets.ashe.cube.PayCube` (built once per snapshot) and
carries its SDC envelope: ``status``, ``quality``, ``rule``, ``method`` and, when a coarser
figure stands in, ``fallback_level``. Compatible bodies keep LMI for All's bare shapes
(``estpay`` = gross weekly pay in £); methods travel in ``X-LMI-*`` headers.

``/ashe/estimatePayMD`` answers only to an API key with the ``pay:md`` scope, as LMI for All
kept it behind an access key. With ``pool=true`` a suppressed single-year cell may be stood in
for by the same cell pooled over neighbouring published years (``fallback_years``) before a
coarser SOC group is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lmi.api import params
from lmi.api.openapi import CODE, NOT_FOUND, TAG_COMPAT, VERSION, Endpoint, Param
from lmi.api.respond import Answer, compat, native
from lmi.classification.regions import LMI_REGION_NAMES
from lmi.classification.soc import parse_version
from lmi.datasets.ashe.cube import PayCube, Request
from lmi.datasets.ashe.tables import PERCENTILES
from lmi.datasets.ashe.view import PAY
from lmi.errors import InvalidQuery, NotFound
from lmi.serve.snapshot import Snapshot

__all__ = ["cube", "pay_routes"]

Query = Mapping[str, str]
DATASET = "ashe"
#: the ASHE Table 14 measures served (workbooks 14.1, 14.2, 14.5, 14.6, 14.7, 14.9)
MEASURES = ("weekly", "weekly_excl_overtime", "hourly", "hourly_excl_overtime", "annual", "hours")
STATISTICS = ("median", "mean", *PERCENTILES, "jobs", "median_change", "mean_change")
PATTERNS = ("all", "full-time", "part-time")
SEXES = ("all", "male", "female")
FILTERS = {"region": range(1, 13), "gender": range(1, 3), "status": range(1, 3)}
NO_SOURCE = {
    "qualification": "no source held by lmi gives pay by qualification",
    "age": "no source held by lmi gives pay by single year of age",
    "industry": "ASHE Table 14 by industry is not loaded",
}
GENDER = {1: "male", 2: "female"}
STATUS = {1: "full-time", 2: "part-time"}


def cube(snap: Snapshot) -> PayCube:
    """The snapshot's pay cube for one response (built once per release; the session shares
    the sub-results of the response's many estimates)."""
    return snap.view(PAY).session()


def cube_or_none(snap: Snapshot) -> PayCube | None:
    """:func:`cube`, or ``None`` when the release did not load ASHE."""
    found = snap.view_or_none(PAY)
    return found.session() if found is not None else None


# -- native ------------------------------------------------------------------------------------


def native_pay(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    return _native(snap, version, code, query, measure=None)


def native_hours(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    return _native(snap, version, code, query, measure="hours")


def _native(
    snap: Snapshot, version: str, code: str, query: Query, *, measure: str | None
) -> Answer:
    pay = cube(snap)
    v = parse_version(version)
    soc = params.soc_group(snap, v, code).code
    base = Request(
        version=v,
        code=soc,
        year=0,
        measure=measure or params.choice(query, "measure", MEASURES, default="weekly"),
        statistic=params.choice(query, "statistic", STATISTICS, default="median"),
        sex=params.choice(query, "sex", SEXES, default="all"),
        pattern=params.choice(query, "pattern", PATTERNS, default="all"),
        region=_region(query),
        coarse=_coarse(query),
        pool=_pool(query),
    )
    series = []
    for year in _years(pay, query):
        estimate = pay.estimate(base.but(year=year))
        method = estimate.served.method
        prov = snap.provenance(DATASET, method="modelled" if method == "modelled" else None)
        series.append({"year": year, **estimate.as_dict(), "provenance": prov})
    group = snap.groups[(v, soc)]
    data = {
        "occupation": {"soc_version": v, "code": soc, "title": group.title},
        "measure": base.measure,
        "statistic": base.statistic,
        "sex": base.sex,
        "pattern": base.pattern,
        "region": base.region,
        "coarse": base.coarse,
        "pool": base.pool,
        "series": series,
    }
    return Answer(data, (DATASET, "soc_crosswalks"))


def _years(pay: PayCube, query: Query) -> list[int]:
    raw = query.get("year")
    if raw is None or raw == "":
        return pay.years
    year = params.integer(query, "year", default=0, minimum=1997, maximum=2100)
    if year not in pay.years:
        listed = ", ".join(str(y) for y in pay.years)
        raise InvalidQuery(
            f"no ASHE year {year} in this release (years: {listed})", parameter="year"
        )
    return [year]


def _region(query: Query) -> int | None:
    raw = query.get("region")
    if raw is None or raw == "":
        return None
    return params.integer(query, "region", default=0, minimum=1, maximum=12)


def _coarse(query: Query) -> bool:
    return params.choice(query, "coarse", ("true", "false"), default="true") == "true"


def _pool(query: Query) -> bool:
    return params.choice(query, "pool", ("true", "false"), default="false") == "true"


# -- compatible --------------------------------------------------------------------------------


def compat_series(snap: Snapshot, query: Query, *, measure: str, field: str) -> tuple[Any, str]:
    """``{"soc": …, "series": [{"year", field, "breakdown"?}]}`` and a methods header.

    A well-formed request for figures lmi does not hold (a filter or breakdown by
    qualification, age or industry, or a release without ASHE) keeps the shape with nothing in
    it and a top-level ``note``: one 4xx takes down a dashboard that awaits many calls
    together. A figure that stands in for another (a coarser SOC group, the UK for a region
    without figures) carries additive keys strict clients ignore: ``fallback``, ``area_used``
    and ``note``.
    """
    soc, notes = _compat_group(snap, query)
    chosen, missing = _filters(query)
    breakdown, breakdown_missing = _breakdown(query)
    missing += _age_missing(query)
    base = _apply_filters(Request("soc2010", soc, 0, measure, "mean"), chosen)
    base = base.but(coarse=_coarse(query), pool=_pool(query))
    body: dict[str, Any] = {"soc": int(soc), "series": []}
    pay = cube_or_none(snap)
    if pay is None:
        missing.append(NOT_LOADED)
    if missing or pay is None:
        body["note"] = " ".join([*notes, *missing])
        return body, "none"
    series, methods = [], []
    for year in pay.years:
        estimate = pay.estimate(base.but(year=year))
        if not estimate.served.servable:
            methods.append(f"{year}:{estimate.served.status}")
            continue
        item: dict[str, Any] = {"year": year, field: _round(estimate.served.value)}
        item.update(substitution(estimate.served))
        methods.append(f"{year}:{_method_label(estimate.served)}")
        if breakdown is not None:
            item["breakdown"] = _breakdown_items(pay, base.but(year=year), breakdown, field)
        elif breakdown_missing:
            item["breakdown"] = []
        series.append(item)
    body["series"] = series
    if breakdown_missing:
        notes.append(breakdown_missing)
    elif not series:
        notes.append("no published or modelled figure for this occupation and filter")
    if notes:
        body["note"] = " ".join(notes)
    return body, "; ".join(methods) if series else "none"


NOT_LOADED = "ASHE is not loaded in this release: no pay or hours figures are held."


def _compat_group(snap: Snapshot, query: Query) -> tuple[str, list[str]]:
    """The SOC group a compatible ASHE request is answered for, and a note when it is not the
    unit group asked: ``coarse=true`` answers at the 2-digit (sub-major) group, as a recorded
    LMI for All answer shows (``soc: 41`` for 4114), on every ASHE endpoint."""
    soc = params.compat_soc(snap, query).code
    if not _explicit_coarse(query):
        return soc, []
    return soc[:2], [
        f"coarse=true: figures of SOC 2010 sub-major group {soc[:2]} (asked: {soc}), as LMI "
        "for All gave."
    ]


def _explicit_coarse(query: Query) -> bool:
    """``coarse=true`` sent (a recorded LMI for All answer to it is ``soc: 41`` for 4114)."""
    raw = query.get("coarse")
    return raw is not None and raw.lower() == "true"


def substitution(served: Any) -> dict[str, Any]:
    """Additive keys saying a figure stands in for the one asked for (empty when it does not).

    ``fallback``: the SOC digits of the coarser group whose figure is served (0 = all
    occupations); ``area_used``: the GSS code of the area whose figure is served (``K02000001``
    = UK for Northern Ireland, which ASHE Table 3 lacks); ``note``: the reason in words.
    """
    found: dict[str, Any] = {}
    if served.fallback_level is not None:
        found["fallback"] = served.fallback_level
    if served.fallback_area is not None:
        found["area_used"] = served.fallback_area
    if served.fallback_years:
        found["fallback_years"] = list(served.fallback_years)
    note = served.note
    if note is None and served.fallback_level is not None:
        note = (
            f"suppressed cell: the figure of its {served.fallback_level}-digit SOC group stands in"
            if served.fallback_level
            else "suppressed cell: the all-occupations figure stands in"
        )
    if note:
        found["note"] = note
    return found


def compat_changes(snap: Snapshot, query: Query) -> tuple[Any, str]:
    soc, notes = _compat_group(snap, query)
    chosen, missing = _filters(query)
    if "region" in chosen or "gender" in chosen:
        missing.append(
            "ASHE publishes annual changes for the UK and both sexes only: no figures by "
            + " or ".join(n for n in ("region", "gender") if n in chosen)
            + " (filter status is held)."
        )
    missing += _age_missing(query)
    base = _apply_filters(Request("soc2010", soc, 0, "annual", "mean_change"), chosen)
    base = base.but(coarse=_coarse(query), pool=_pool(query))
    pay = cube_or_none(snap)
    if pay is None:
        missing.append(NOT_LOADED)
    if missing or pay is None:
        return {"annual_changes": [], "note": " ".join([*notes, *missing])}, "none"
    changes, methods = [], []
    for year in pay.years:
        estimate = pay.estimate(base.but(year=year))
        if estimate.served.servable:
            item = {"year": year, "change": _round(estimate.served.value)}
            changes.append({**item, **substitution(estimate.served)})
            methods.append(f"{year}:{_method_label(estimate.served)}")
    body: dict[str, Any] = {"annual_changes": changes}
    if not changes:
        notes.append("no published annual change for this occupation and filter")
    if notes:
        body["note"] = " ".join(notes)
    return body, "; ".join(methods) if changes else "none"


def _age_missing(query: Query) -> list[str]:
    """``age=`` (single year of age, seen with ``coarse=false``): no source gives it."""
    if query.get("age") in (None, ""):
        return []
    params.integer(query, "age", default=0, minimum=0, maximum=120)  # malformed is still 400
    return [f"Parameter age: {NO_SOURCE['age']}."]


DECILES = ("p10", "p20", "p30", "p40", "p60", "p70", "p80", "p90")
MD_SCOPE = "pay:md"


def compat_median_deciles(snap: Snapshot, query: Query) -> tuple[Any, str]:
    """``{"median", "deciles": {"10": …, "90": …}}``: weekly pay of the latest year with a median.

    LMI for All served this behind an access key; here the key needs the ``pay:md`` scope.
    No median held (ASHE not loaded, every year withheld, a filter not held): the same shape
    with ``median: null``, ``deciles: {}``, LMI for All's ``error`` key and a ``note``.
    """
    soc, notes = _compat_group(snap, query)
    chosen, missing = _filters(query)
    missing += _age_missing(query)
    base = _apply_filters(Request("soc2010", soc, 0, "weekly", "median"), chosen)
    base = base.but(coarse=_coarse(query), pool=_pool(query))
    pay = cube_or_none(snap)
    if pay is None:
        missing.append(NOT_LOADED)
    found = _latest_median(pay, base) if pay is not None and not missing else None
    if found is not None:
        body, methods = found
        if notes:
            body["note"] = " ".join([*notes, *([body["note"]] if "note" in body else [])])
        return body, methods
    if not missing:
        missing.append(f"No weekly median pay is published or modelled for SOC 2010 {soc}.")
    note = " ".join([*notes, *missing])
    return {"median": None, "deciles": {}, "error": NO_MEDIAN, "note": note}, "none"


def _latest_median(pay: PayCube, base: Request) -> tuple[dict[str, Any], str] | None:
    """The latest year's median and deciles with their methods, or None without a median."""
    for year in reversed(pay.years):
        median = pay.estimate(base.but(year=year)).served
        if not median.servable:
            continue
        deciles: dict[str, float | None] = {}
        methods = [f"median:{_method_label(median)}"]
        for stat in DECILES:
            found = pay.estimate(base.but(year=year, statistic=stat)).served
            deciles[stat[1:]] = _round(found.value) if found.servable else None
            methods.append(f"{stat}:{_method_label(found) if found.servable else found.status}")
        body = {"median": _round(median.value), "deciles": deciles, **substitution(median)}
        return body, f"{year}; " + "; ".join(methods)
    return None


NO_MEDIAN = "no median weekly pay is available for this occupation and filter"


def _filters(query: Query) -> tuple[dict[str, int], list[str]]:
    """The filters lmi holds, and a note for each well-formed one it does not (no 4xx)."""
    raw = params.text(query, "filters", max_length=200)
    found: dict[str, int] = {}
    missing: list[str] = []
    for part in (raw or "").split("|"):
        if not part.strip():
            continue
        name, _, code = part.partition(":")
        name = name.strip().lower()
        if name in NO_SOURCE:
            missing.append(f"Filter {name}: {NO_SOURCE[name]}.")
            continue
        if name not in FILTERS:
            raise InvalidQuery(
                f"unknown filter {name!r}: use region (1–12), gender (1–2) or status (1–2)",
                parameter="filters",
            )
        if not code.strip().isdigit() or int(code) not in FILTERS[name]:
            allowed = FILTERS[name]
            raise InvalidQuery(
                f"filter {name!r} code must be {allowed.start}–{allowed.stop - 1}, got {code!r}",
                parameter="filters",
            )
        found[name] = int(code)
    return found, missing


def _apply_filters(base: Request, chosen: dict[str, int]) -> Request:
    return base.but(
        region=chosen.get("region"),
        sex=GENDER.get(chosen.get("gender", 0), "all"),
        pattern=STATUS.get(chosen.get("status", 0), "all"),
    )


def _breakdown(query: Query) -> tuple[str | None, str]:
    """The breakdown lmi can give, or a note when it is one lmi holds no source for."""
    raw = params.text(query, "breakdown", max_length=40)
    if raw is None:
        return None, ""
    name = raw.strip().lower()
    if name in NO_SOURCE:
        return None, f"Breakdown {name}: {NO_SOURCE[name]}; each year's breakdown is empty."
    if name not in FILTERS:
        raise InvalidQuery("breakdown must be region, gender or status", parameter="breakdown")
    return name, ""


def _breakdown_items(pay: PayCube, base: Request, name: str, field: str) -> list[dict[str, Any]]:
    items = []
    for code in FILTERS[name]:
        request = _apply_filters(base, {**_current(base), name: code})
        estimate = pay.estimate(request)
        if estimate.served.servable:
            item = {name: code, field: _round(estimate.served.value)}
            items.append({**item, **substitution(estimate.served)})
    return items


def _current(base: Request) -> dict[str, int]:
    found: dict[str, int] = {}
    if base.region is not None:
        found["region"] = base.region
    for name, codes, current in (("gender", GENDER, base.sex), ("status", STATUS, base.pattern)):
        found.update((name, k) for k, v in codes.items() if v == current)
    return found


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _method_label(served: Any) -> str:
    level = f",fallback_level={served.fallback_level}" if served.fallback_level is not None else ""
    if served.fallback_years:
        level += ",fallback_years=" + "+".join(str(y) for y in served.fallback_years)
    return f"{served.method}({served.rule}{level})"


# -- HTTP --------------------------------------------------------------------------------------


def compat_pay(snap: Snapshot, query: Query) -> Answer:
    data, methods = compat_series(snap, query, measure="weekly", field="estpay")
    return Answer(data, headers=_ashe_headers(snap, methods))


def compat_hours(snap: Snapshot, query: Query) -> Answer:
    data, methods = compat_series(snap, query, measure="hours", field="hours")
    return Answer(data, headers=_ashe_headers(snap, methods))


def compat_annual_changes(snap: Snapshot, query: Query) -> Answer:
    data, methods = compat_changes(snap, query)
    return Answer(data, headers=_ashe_headers(snap, methods))


def compat_pay_md(snap: Snapshot, query: Query) -> Answer:
    data, methods = compat_median_deciles(snap, query)
    return Answer(data, headers=_ashe_headers(snap, methods))


#: LMI for All's ASHE filters (``filters=name:code``) with their codings, as lmi answers them
FILTER_INFO: dict[str, tuple[str, dict[int, str]]] = {
    "region": (
        "Region of the workplace (Northern Ireland, 12: ASHE Table 3 has no rows, so the UK "
        "figure stands in, said per item by note and area_used)",
        dict(LMI_REGION_NAMES),
    ),
    "gender": ("Sex of the employee", {1: "Male", 2: "Female"}),
    "status": ("Working pattern", {1: "Full-time", 2: "Part-time"}),
}


def _ashe_filter_info(name: str) -> dict[str, Any]:
    description, coding = FILTER_INFO[name]
    return {
        "name": name,
        "description": description,
        "coding": [{"code": code, "description": text} for code, text in coding.items()],
    }


def compat_ashe_filters(snap: Snapshot, query: Query) -> Answer:
    """``ashe/filters``: the filter names (qualification, age and industry are not held)."""
    return Answer(list(FILTER_INFO), headers={"X-LMI-Release": str(snap.release.id)})


def compat_ashe_filters_all(snap: Snapshot, query: Query) -> Answer:
    body = [_ashe_filter_info(name) for name in FILTER_INFO]
    return Answer(body, headers={"X-LMI-Release": str(snap.release.id)})


def compat_ashe_filter_info(snap: Snapshot, raw_name: str, query: Query) -> Answer:
    name = raw_name.strip().lower()
    if name not in FILTER_INFO:
        raise NotFound(f"no ASHE filter {raw_name!r}: filters are {', '.join(FILTER_INFO)}")
    return Answer(_ashe_filter_info(name), headers={"X-LMI-Release": str(snap.release.id)})


def _ashe_headers(snap: Snapshot, methods: str) -> dict[str, str]:
    return {
        "X-LMI-Release": str(snap.release.id),
        "X-LMI-Method": "none"  # a well-formed request for figures lmi does not hold
        if methods == "none"
        else snap.provenance(DATASET, method=_overall(methods))["method"],
        "X-LMI-Source": snap.provenance(DATASET)["source"],
        "X-LMI-Methods": methods,
    }


def _overall(methods: str) -> str:
    """The method of a compatible answer (``synthetic`` on the demo: see Snapshot.provenance)."""
    return "modelled" if "modelled" in methods else "observed"


def pay_routes() -> list[Endpoint]:
    tag = "Pay and hours (ASHE)"
    pool = Param(
        "pool",
        "true: a suppressed year's cell may be stood in for by the mean of the same cell in "
        "published years within 2 years (fallback_years), before a coarser SOC group",
        enum=("true", "false"),
    )
    callback = Param("callback", "JSONP: wrap the JSON in callback(...)")
    native_params = (
        VERSION,
        CODE,
        Param("year", "One year (default: every year)", type="integer"),
        Param(
            "statistic",
            "median, mean, p10 … p90, jobs, median_change, mean_change",
            enum=STATISTICS,
        ),
        Param("sex", "all, male or female", enum=SEXES),
        Param("pattern", "all, full-time or part-time", enum=PATTERNS),
        Param("region", "LMI for All region 1–12 (modelled from 2025p Table 3)", type="integer"),
        Param(
            "coarse",
            "true: a coarser SOC group stands in for a suppressed cell",
            enum=("true", "false"),
        ),
        pool,
    )
    compat_params = (
        Param("soc", "SOC 2010 unit group", required=True, type="integer", example="2136"),
        Param("filters", "name:code pairs joined by |: region:1–12, gender:1–2, status:1–2"),
        Param(
            "breakdown",
            "region, gender or status; qualification, age or industry (not held) answer each "
            "year with an empty breakdown and a note",
        ),
        Param(
            "age",
            "accepted: not held (single year of age); the series is empty, with a note",
            type="integer",
            example="20",
        ),
        Param(
            "coarse",
            "true: answer at the 2-digit SOC group (soc: 41), as LMI for All did; absent: the "
            "unit group, a coarser group standing in for a suppressed cell (said per item by "
            "fallback and note); false: no stand-in",
            enum=("true", "false"),
        ),
        pool,
        callback,
    )
    return [
        Endpoint(
            "/v1/pay/{version}/{code}",
            native(native_pay, "version", "code"),
            "Pay by occupation and year, each figure with its SDC quality envelope",
            tag,
            (
                *native_params[:2],
                Param(
                    "measure",
                    "weekly (gross), weekly_excl_overtime, hourly (gross), "
                    "hourly_excl_overtime, annual (gross) or hours (paid hours)",
                    enum=MEASURES,
                ),
                *native_params[2:],
            ),
            description="status, quality, rule, method and fallback_level on every figure",
            responses=NOT_FOUND,
            example="/v1/pay/soc2010/2136?measure=annual&pattern=full-time&year=2021",
        ),
        Endpoint(
            "/v1/hours/{version}/{code}",
            native(native_hours, "version", "code"),
            "Paid hours by occupation and year (ASHE 2025p), with the SDC envelope",
            tag,
            native_params,
            responses=NOT_FOUND,
            example="/v1/hours/soc2020/2134",
        ),
        Endpoint(
            "/api/v1/ashe/estimatePay",
            compat(compat_pay, name="compat_ashe_pay"),
            "LMI for All: gross weekly pay series (estpay, £)",
            TAG_COMPAT,
            compat_params,
            responses=NOT_FOUND,
            example="/api/v1/ashe/estimatePay?soc=2136&breakdown=region",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/ashe/estimateHours",
            compat(compat_hours, name="compat_ashe_hours"),
            "LMI for All: weekly paid hours series",
            TAG_COMPAT,
            compat_params,
            responses=NOT_FOUND,
            example="/api/v1/ashe/estimateHours?soc=2136&breakdown=gender",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/ashe/annualChanges",
            compat(compat_annual_changes, name="compat_ashe_changes"),
            "LMI for All: annual % change in mean annual pay",
            TAG_COMPAT,
            (*compat_params[:2], compat_params[3], compat_params[4], callback),
            responses=NOT_FOUND,
            example="/api/v1/ashe/annualChanges?soc=2136",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/ashe/filters",
            compat(compat_ashe_filters, name="compat_ashe_filters"),
            "LMI for All: the ASHE filter names (region, gender, status)",
            TAG_COMPAT,
            (callback,),
            example="/api/v1/ashe/filters",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/ashe/filters/all",
            compat(compat_ashe_filters_all, name="compat_ashe_filters_all"),
            "LMI for All: every ASHE filter with its coding",
            TAG_COMPAT,
            (callback,),
            example="/api/v1/ashe/filters/all",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/ashe/filters/info/{name}",
            compat(compat_ashe_filter_info, "name", name="compat_ashe_filter_info"),
            "LMI for All: one ASHE filter with its coding",
            TAG_COMPAT,
            (Param("name", "region, gender or status", location="path", example="region"),),
            responses=NOT_FOUND,
            example="/api/v1/ashe/filters/info/region",
            envelope=False,
        ),
        Endpoint(
            "/api/v1/ashe/estimatePayMD",
            compat(compat_pay_md, name="compat_ashe_md", scope=MD_SCOPE),
            "LMI for All: weekly pay median and deciles (needs an API key with scope pay:md)",
            TAG_COMPAT,
            (*compat_params[:2], compat_params[3], compat_params[4], callback),
            description=(
                "Send the key as the X-API-Key header or the api_key parameter; create one with "
                "`lmi keys create NAME --scope pay:md`. Without a key: 401; with a key lacking "
                "the scope: 403. The year and each figure's method are in X-LMI-Methods."
            ),
            responses={401: "No API key", 403: "The key lacks scope pay:md", **NOT_FOUND},
            example="/api/v1/ashe/estimatePayMD?soc=2136",
            envelope=False,
            scope=MD_SCOPE,
        ),
    ]
