"""The outlook model: Working Futures employment for any occupation, year and breakdown.

Built once per snapshot from the published tables (``wf_employment``, ``wf_replacement``),
ASHE job counts, the ONS dual coding and APS area employment. In order of preference a
figure is:

1. **observed** / **projection** — a published Working Futures cell (England, SOC 2020
   ``all``, major or sub-major group), or the sum of published cells (a major group's sex
   split is the sum of its sub-major groups'): ``observed`` up to the 2020 base year,
   ``projection`` after it and for the published 2020–2035 replacement demand (Skills
   Imperative's own model: published, but not a measurement);
2. **modelled**, with the method stated in words (:meth:`Outlook.method_note`):

   * *unit and minor groups (SOC 2020)*: the sub-major group's figure × the unit group's share
     of the sub-major group's employee jobs in ASHE Table 14 (SOC 2020 editions, mean of the
     published years). Where ASHE publishes no job count for a unit group, its jobs are
     estimated from its share of the sub-major group's Census 2011 dual-coded records (ONS)
     — never from the difference between published totals, so no suppressed count is
     re-created; shares are then normalised within the sub-major group;
   * *SOC 2010 codes*: SOC 2020 unit-group figures re-expressed through the ONS dual coding:
     each SOC 2020 unit group's figure is split over the SOC 2010 unit groups its Census 2011
     dual-coded records came from (:mod:`lmi.classification.crosswalk`, reverse direction);
   * *years between published splits*: a sex, status or qualification share interpolated
     linearly between the nearest published years, times the published total of that year
     (never beyond the first or last published split: no extrapolation);
   * *status of sub-major and finer groups*: the major group's status shares (Occupation
     Table 5 publishes status for major groups only);
   * *areas*: England's figure × the occupation's share of England's employment in the area
     from the APS (T09a, SOC 2010 sub-major groups, mixed in the proportions the
     occupation's employment comes from them); outside the APS years (2015–2021) the mean
     share of the three nearest APS years;
   * *replacement demand over part of 2020–2035*: the published 2020–2035 figure × the
     share of the period's employment-years falling in the chosen years (a constant
     replacement rate over the period).

Working Futures warns that its estimates are uncertain for small cells: figures under 1,000
people are not served and those under 10,000 are served with status ``caution`` (policy
:data:`WF_POLICY`).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lmi.classification import crosswalk
from lmi.datasets.aps.index import ENGLAND, ApsIndex
from lmi.sdc import Served
from lmi.sdc.methods import combine
from lmi.sdc.policy import Policy, Status

__all__ = [
    "ALL",
    "BASE_YEAR",
    "TOTAL",
    "WF_POLICY",
    "AreaShare",
    "Composition",
    "Figure",
    "Outlook",
    "Replacement",
    "combined_method",
    "published_method",
]

ALL = "all"
BASE_YEAR = 2020  # the workbook's base year: later years are projections
RD_PERIOD = (2020, 2035)  # the period of the published replacement demand
Key = tuple[str, str, str]  # sex, status, qualification
TOTAL: Key = ("all", "all", "all")
#: APS years pooled for an area share outside the APS years
POOL = 3
#: an area share is not served when components carrying this much of the mix are unpublished
MAX_UNPUBLISHED = 0.01

WF_POLICY = Policy(
    name="working-futures",
    version="1",
    description=(
        "Skills Imperative 2035 / Working Futures workbook guidance: publish figures of at "
        "least 10,000 people; between 1,000 and 10,000 use judgement (served with caution); "
        "under 1,000 the uncertainty is too great (not served). Precise margins of error "
        "cannot be assigned, so the quality band is 'not_published'."
    ),
    min_count=1,
    count_unit="thousand people",
    caution_count=10,
)


@dataclass(frozen=True)
class Figure:
    """A figure in thousands of people, with how it was obtained."""

    thousands: float
    method: str  # observed (published history) | projection (published) | modelled (lmi)
    rule: str


def published_method(year: int) -> str:
    """A published Working Futures figure is ``observed`` up to the base year (the workbook's
    history) and a ``projection`` after it: Skills Imperative's own model, not a measurement."""
    return "observed" if year <= BASE_YEAR else "projection"


def combined_method(methods: Iterable[str]) -> str:
    """The label of a figure made from others (:func:`lmi.sdc.methods.combine`)."""
    return combine(methods)


@dataclass(frozen=True)
class Composition:
    """An occupation as fractions of the Working Futures sub-major groups' employment."""

    version: str
    code: str
    #: the published group it is exactly (SOC 2020 ``all``, major or sub-major), else None
    group: str | None
    #: WF sub-major group → fraction of that group's employment in the occupation
    weights: dict[str, float]
    #: SOC 2010 sub-major group → share of the occupation's employment coming from it
    aps_mix: dict[str, float]
    #: share of the occupation's employment apportioned with Census records (no ASHE count)
    proxy_share: float = 0.0

    @property
    def method(self) -> str:
        return "observed" if self.group is not None else "modelled"


@dataclass(frozen=True)
class AreaShare:
    share: float | None
    status: Status
    rule: str


@dataclass
class Replacement:
    start_year: int
    end_year: int
    employment_start: Figure
    employment_end: Figure
    replacement_demand: Figure

    @property
    def net_change(self) -> float:
        return self.employment_end.thousands - self.employment_start.thousands

    @property
    def method(self) -> str:
        figures = (self.employment_start, self.employment_end, self.replacement_demand)
        return combined_method(f.method for f in figures)


@dataclass
class _Units:
    """SOC 2020 unit groups' shares of their sub-major group, and how each was found."""

    share: dict[str, float] = field(default_factory=dict)
    proxy: set[str] = field(default_factory=set)  # shares from Census records, not ASHE


class Outlook:
    """Look-ups over one release; every method is a pure function of published figures."""

    def session(self) -> Outlook:
        """This model for one response. A breakdown asks every area's share year after year,
        and the projection years all rest on the same APS years: within the session each
        (area, APS years) share is worked out once. Nothing outlives the response."""
        return _Session(self)

    def __init__(
        self,
        employment: Iterable[Mapping[str, Any]],
        replacement: Iterable[Mapping[str, Any]],
        *,
        ashe: Iterable[Mapping[str, Any]],
        dual_coding: Iterable[Mapping[str, Any]],
        units: Mapping[str, set[str]],
        aps: ApsIndex | None,
    ) -> None:
        self._stored: dict[tuple[str, Key], dict[int, float]] = defaultdict(dict)
        self._key_years: dict[Key, set[int]] = defaultdict(set)
        for row in employment:
            key = (row["sex"], row["status"], row["qualification"])
            self._stored[(row["code"], key)][row["year"]] = float(row["thousands"])
            self._key_years[key].add(row["year"])
        self._rd: dict[tuple[str, str, str], float] = {}
        for row in replacement:
            if (row["start_year"], row["end_year"]) == RD_PERIOD:
                self._rd[(row["code"], row["sex"], row["qualification"])] = float(
                    row["replacement_demand"]
                )
        self.sub_majors = sorted(c for c, _ in self._stored if len(c) == 2)
        self.majors = sorted({c[0] for c in self.sub_majors})
        self.years = sorted(self._key_years.get(TOTAL, set()))
        self.aps = aps
        self._published_memo: dict[tuple[str, Key, int], float | None] = {}
        self._units2020 = sorted(units.get("soc2020", set()))
        self._units2010 = sorted(units.get("soc2010", set()))
        dual_coding = list(dual_coding)
        self._from2010, self._to2010 = _reverse_weights(dual_coding)
        self._units = _unit_shares(ashe, dual_coding, self._units2020, self.sub_majors)
        self._compositions: dict[tuple[str, str], Composition | None] = {}
        self._ratio_memo: dict[tuple[str, Key, int], tuple[float, str] | None] = {}

    # -- published figures ------------------------------------------------------------------

    def published(self, code: str, key: Key, year: int) -> float | None:
        """A published cell, or the sum of its published children (all must be present)."""
        memo = (code, key, year)
        if memo in self._published_memo:
            return self._published_memo[memo]
        found = self._stored.get((code, key), {}).get(year)
        if found is None and len(code) < 2:
            children = self.majors if code == ALL else [s for s in self.sub_majors if s[0] == code]
            if code == ALL and key[1] == "all":  # sex and qualification are published by sub-major
                children = self.sub_majors
            parts = [self.published(child, key, year) for child in children]
            if children and all(p is not None for p in parts):
                found = sum(p for p in parts if p is not None)
        self._published_memo[memo] = found
        return found

    def key_years(self, key: Key) -> list[int]:
        """The annual years for which a figure with ``key`` can be served (no extrapolation)."""
        if key == TOTAL:
            return list(self.years)
        published = self._key_years.get(key, set())
        if not published:
            return []
        return [y for y in self.years if min(published) <= y <= max(published)]

    def value(self, code: str, key: Key, year: int) -> Figure | None:
        """A WF group's figure: published, or a published total × an interpolated share."""
        found = self.published(code, key, year)
        if found is not None:
            stored = (code, key) in self._stored and year in self._stored[(code, key)]
            rule = "wf:published" if stored else "wf:sum-of-published"
            return Figure(found, published_method(year), rule)
        if key == TOTAL:
            return None
        total = self.published(code, TOTAL, year)
        if total is None:
            return None
        chain = [code, code[0]] if len(code) == 2 else [code]
        for holder in chain:
            ratio = self._ratio(holder, key, year)
            if ratio is not None:
                share, rule = ratio
                if holder != code:
                    rule += ":major-group-share"
                return Figure(total * share, "modelled", rule)
        return None

    def _ratio(self, code: str, key: Key, year: int) -> tuple[float, str] | None:
        """The share ``key`` has of the group's total in ``year``: published, or interpolated
        between the published years either side (each worked out once per release)."""
        memo = (code, key, year)
        if memo not in self._ratio_memo:
            self._ratio_memo[memo] = self._interpolated_ratio(code, key, year)
        return self._ratio_memo[memo]

    def _interpolated_ratio(self, code: str, key: Key, year: int) -> tuple[float, str] | None:
        points = []
        for y in sorted(self._key_years.get(key, set())):
            part, total = self.published(code, key, y), self.published(code, TOTAL, y)
            if part is not None and total:
                points.append((y, part / total))
        before = [p for p in points if p[0] <= year]
        after = [p for p in points if p[0] >= year]
        if not before or not after:
            return None
        (y0, r0), (y1, r1) = before[-1], after[0]
        if y0 == y1:
            return r0, f"wf:share-of-{y0}"
        share = r0 + (r1 - r0) * (year - y0) / (y1 - y0)
        return share, f"wf:share-interpolated-{y0}-{y1}"

    # -- occupations ------------------------------------------------------------------------

    def composition(self, version: str, code: str) -> Composition | None:
        """The occupation as WF sub-major fractions; None when nothing maps to it."""
        memo = (version, code)
        if memo not in self._compositions:
            self._compositions[memo] = self._compose(version, code)
        return self._compositions[memo]

    def _compose(self, version: str, code: str) -> Composition | None:
        group = code if version == "soc2020" and (code == ALL or len(code) <= 2) else None
        if group is not None and code != ALL and code not in {*self.sub_majors, *self.majors}:
            return None
        prefix = "" if code == ALL else code
        # (SOC 2020 unit, fraction of its employment in the occupation, SOC 2010 unit → r)
        parts: list[tuple[str, float, dict[str, float]]] = []
        if version == "soc2020":
            parts = [
                (y, 1.0, self._to2010.get(y, {})) for y in self._units2020 if y.startswith(prefix)
            ]
        else:
            for x in (x for x in self._units2010 if x.startswith(prefix)):
                parts += [(y, r, {x: 1.0}) for y, r in self._from2010.get(x, {}).items()]
        weights: dict[str, float] = defaultdict(float)
        mix: dict[str, float] = defaultdict(float)
        proxy = total = 0.0
        for y, part, sources in parts:
            share = self._units.share.get(y)
            if share is None:
                continue
            weights[y[:2]] += part * share
            jobs = (self.published(y[:2], TOTAL, BASE_YEAR) or 0.0) * share * part
            total += jobs
            if y in self._units.proxy:
                proxy += jobs
            for x, r in sources.items():
                mix[x[:2]] += jobs * r
        if not weights:
            return None
        if group is not None:  # exactly the published group(s)
            weights = defaultdict(float, dict.fromkeys(self._members(code), 1.0))
        norm = sum(mix.values())
        return Composition(
            version,
            code,
            group,
            dict(weights),
            {k: v / norm for k, v in sorted(mix.items())} if norm else {},
            proxy / total if total else 0.0,
        )

    def _members(self, code: str) -> list[str]:
        return [s for s in self.sub_majors if code == ALL or s.startswith(code)]

    def employment(self, comp: Composition, key: Key, year: int) -> Figure | None:
        if comp.group is not None:
            return self.value(comp.group, key, year)
        total = 0.0
        rules = set()
        for sub_major, weight in comp.weights.items():
            found = self.value(sub_major, key, year)
            if found is None:
                return None
            total += weight * found.thousands
            if found.method == "modelled":
                rules.add(found.rule.split(":", 1)[1])
        rule = "wf:apportioned" + "".join(f"+{r}" for r in sorted(rules))
        return Figure(total, "modelled", rule)

    # -- areas ------------------------------------------------------------------------------

    def areas(self, area_type: str) -> list[tuple[str, str]]:
        """``(code, name)`` of the APS areas of a type (``region``: English regions only)."""
        if self.aps is None:
            return []
        found = [(a.code, a.name) for a in self.aps.of_type(area_type)]
        if area_type == "region":
            found = [(c, n) for c, n in found if "TLC" <= c <= "TLK"]
        return found

    def area_share(self, comp: Composition, area_type: str, area: str, year: int) -> AreaShare:
        """The occupation's share of England's employment that is in ``area`` (APS)."""
        if self.aps is None:
            return AreaShare(None, "not_available", "aps:no-area-data")
        years, rule = _aps_years_of(tuple(self.aps.years), year)
        return self._area_share_over(comp, area_type, area, years, rule)

    def _area_share_over(
        self, comp: Composition, area_type: str, area: str, years: tuple[int, ...], rule: str
    ) -> AreaShare:
        """The share of :meth:`area_share`, averaged over the APS ``years`` it rests on."""
        aps = self.aps
        found = aps.areas.get((area_type, area)) if aps is not None else None
        england = aps.areas.get(ENGLAND) if aps is not None else None
        if aps is None or found is None or england is None or not comp.aps_mix:
            return AreaShare(None, "not_available", "aps:no-area-data")
        shares: list[float] = []
        status: Status = "ok"
        for y in years:
            share = 0.0
            unpublished = 0.0
            for sub_major, weight in comp.aps_mix.items():
                value, cell_status = found.cells.get(y, {}).get(sub_major, (None, "not_available"))
                whole, _ = england.cells.get(y, {}).get(sub_major, (None, "not_available"))
                if value is None or not whole:
                    unpublished += weight
                    continue
                share += weight * value / whole
                if cell_status == "caution":
                    status = "caution"
            if unpublished >= MAX_UNPUBLISHED:
                return AreaShare(None, "suppressed_quality", "aps:component-unpublished")
            shares.append(share)
        return AreaShare(sum(shares) / len(shares), status, rule)

    # -- replacement demand -----------------------------------------------------------------

    def replacement(
        self, comp: Composition, start: int, end: int, key: Key = TOTAL
    ) -> Replacement | None:
        """Replacement demand over ``start``–``end`` (within 2020–2035) and employment then."""
        sex, _, qualification = key
        first, last = self.employment(comp, key, start), self.employment(comp, key, end)
        if first is None or last is None:
            return None
        members = [comp.group] if comp.group is not None else list(comp.weights)
        weights = {comp.group: 1.0} if comp.group is not None else comp.weights
        total = 0.0
        partial = (start, end) != RD_PERIOD
        for member in members:
            published = self._published_rd(member, sex, qualification)
            if published is None:
                return None
            factor = self._period_factor(member, start, end) if partial else 1.0
            if factor is None:
                return None
            total += weights[member] * published * factor
        observed = comp.group is not None and not partial
        rule = (
            "wf:published" if observed else "wf:apportioned" if not partial else "wf:pro-rata-years"
        )
        # Working Futures' own replacement-demand projection for 2020–2035
        demand = Figure(total, "projection" if observed else "modelled", rule)
        return Replacement(start, end, first, last, demand)

    def _published_rd(self, code: str, sex: str, qualification: str) -> float | None:
        found = self._rd.get((code, sex, qualification))
        if found is None and len(code) < 2:
            parts = [self._rd.get((s, sex, qualification)) for s in self._members(code)]
            if parts and all(p is not None for p in parts):
                found = sum(p for p in parts if p is not None)
        return found

    def _period_factor(self, code: str, start: int, end: int) -> float | None:
        """Employment-years in (start, end] as a share of those in (2020, 2035]."""
        years = range(RD_PERIOD[0] + 1, RD_PERIOD[1] + 1)
        levels = {y: self.published(code, TOTAL, y) for y in years}
        if any(v is None for v in levels.values()):
            return None
        whole = sum(v for v in levels.values() if v is not None)
        part = sum(v for y, v in levels.items() if v is not None and start < y <= end)
        return part / whole if whole else None

    def rd_years(self) -> list[int]:
        """Years a replacement period may start or end at."""
        inside = [y for y in self.years if RD_PERIOD[0] <= y <= RD_PERIOD[1]]
        if all(y in inside for y in range(RD_PERIOD[0], RD_PERIOD[1] + 1)):
            return inside
        return list(RD_PERIOD)  # without every year only the published period

    # -- serving ----------------------------------------------------------------------------

    def served(self, figure: Figure | None, comp: Composition | None = None) -> Served:
        """A figure in people with its SDC envelope (policy :data:`WF_POLICY`)."""
        if figure is None:
            return Served(None, "not_available", "none", f"{WF_POLICY.id}:no-figure")
        thousands = figure.thousands
        rule = f"{WF_POLICY.id}:{figure.rule}"
        if thousands < (WF_POLICY.min_count or 0):
            return Served(
                None, "suppressed_quality", "none", f"{WF_POLICY.id}:under-1000", figure.method
            )
        status: Status = "ok"
        if thousands < (WF_POLICY.caution_count or 0):
            status, rule = "caution", f"{WF_POLICY.id}:under-10000"
        elif comp is not None and comp.group is None and comp.proxy_share > 0.5:
            status, rule = "caution", f"{rule}:census-proxy-shares"
        return Served(round(thousands * 1000, 1), status, "not_published", rule, figure.method)

    def method_note(self, comp: Composition) -> str:
        """How the occupation's figures are obtained, in words."""
        if comp.group is not None:
            what = "all occupations" if comp.group == ALL else f"SOC 2020 group {comp.group}"
            return (
                f"Published Working Futures (Skills Imperative 2035) figures for {what}, "
                "England (sums of published sub-major groups where the workbook has no "
                "row of its own); projections after the 2020 base year."
            )
        note = (
            "Modelled: Working Futures (Skills Imperative 2035) projections for SOC 2020 "
            "sub-major groups, England, apportioned to SOC 2020 unit groups by their share of "
            "the sub-major group's employee jobs in ASHE Table 14 (SOC 2020 editions, mean of "
            "the published years; Census 2011 dual-coded record counts (ONS) where ASHE "
            "publishes no job count)"
        )
        if comp.version == "soc2010":
            note += (
                ", then re-expressed in SOC 2010 through the ONS dual coding (each SOC 2020 "
                "unit group split over the SOC 2010 unit groups its Census 2011 records came "
                "from)"
            )
        if comp.proxy_share >= 0.005:
            note += f"; {comp.proxy_share:.0%} of the employment apportioned with Census records"
        return note + "."


class _Session(Outlook):
    """:meth:`Outlook.session`: the model's data shared, with a memo for one response."""

    def __init__(self, model: Outlook) -> None:  # shares the built model: nothing is rebuilt
        self.__dict__.update(model.__dict__)
        #: (composition, area type, area, years) → (composition kept alive, share)
        self._shares: dict[tuple[int, str, str, tuple[int, ...]], tuple[Any, AreaShare]] = {}
        self._employment: dict[tuple[int, Key, int], tuple[Any, Figure | None]] = {}

    def session(self) -> Outlook:
        return self

    def employment(self, comp: Composition, key: Key, year: int) -> Figure | None:
        memo = (id(comp), key, year)  # comp is held below, so its id is not reused
        found = self._employment.get(memo)
        if found is None:
            found = self._employment[memo] = (comp, super().employment(comp, key, year))
        return found[1]

    def _area_share_over(
        self, comp: Composition, area_type: str, area: str, years: tuple[int, ...], rule: str
    ) -> AreaShare:
        key = (id(comp), area_type, area, years)  # comp is held below, so its id is not reused
        found = self._shares.get(key)
        if found is None:
            share = super()._area_share_over(comp, area_type, area, years, rule)
            found = self._shares[key] = (comp, share)
        return found[1]


@functools.lru_cache(maxsize=256)
def _aps_years_of(years: tuple[int, ...], year: int) -> tuple[tuple[int, ...], str]:
    found, rule = _aps_years(list(years), year)
    return tuple(found), rule


def _aps_years(years: list[int], year: int) -> tuple[list[int], str]:
    if year in years:
        return [year], f"aps:share-{year}"
    nearest = sorted(years, key=lambda y: (abs(y - year), y))[:POOL]
    nearest.sort()
    return nearest, f"aps:share-mean-{nearest[0]}-{nearest[-1]}"


def _reverse_weights(
    rows: Iterable[Mapping[str, Any]],
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """r(X|Y), the share of SOC 2020 unit Y's Census 2011 dual-coded records from SOC 2010 X.

    Returned both ways: ``{X: {Y: r}}`` and ``{Y: {X: r}}``; for each Y the r sum to 1.
    """
    by_target: dict[str, dict[str, float]] = defaultdict(dict)
    for row in rows:
        weight = crosswalk.dual_coding_weights([row], key="soc2020", basis="census", sex="all")
        w = weight.get(row["soc2020"], 0.0)
        if w > 0:
            by_target[row["soc2020"]][row["soc2010"]] = w
    to2010: dict[str, dict[str, float]] = {}
    from2010: dict[str, dict[str, float]] = defaultdict(dict)
    for y, sources in by_target.items():
        total = sum(sources.values())
        to2010[y] = {x: w / total for x, w in sources.items()}
        for x, r in to2010[y].items():
            from2010[x][y] = r
    return dict(from2010), to2010


def _unit_shares(
    ashe: Iterable[Mapping[str, Any]],
    dual_coding: Iterable[Mapping[str, Any]],
    units: list[str],
    sub_majors: list[str],
) -> _Units:
    jobs: dict[str, list[float]] = defaultdict(list)
    for row in ashe:
        if (
            row["soc_version"] == "soc2020"
            and row["measure"] == "annual"
            and row["sex"] == "all"
            and row["pattern"] == "all"
            and row["area"] == "K02000001"
            and row["level"] in (2, 4)
            and row["method"] == "observed"
            and row["jobs"] is not None
        ):
            jobs[row["code"]].append(float(row["jobs"]))
    mean = {code: sum(v) / len(v) for code, v in jobs.items() if v}
    census: dict[str, float] = defaultdict(float)
    for row in dual_coding:
        w = crosswalk.dual_coding_weights([row], key="soc2020", basis="census", sex="all")
        census[row["soc2020"]] += w.get(row["soc2020"], 0.0)
    found = _Units()
    for sub_major in sub_majors:
        members = [y for y in units if y.startswith(sub_major)]
        records = sum(census.get(y, 0.0) for y in members)
        estimate: dict[str, float] = {}
        scale = _sub_major_jobs(sub_major, members, mean, census, records)
        for y in members:
            if y in mean:
                estimate[y] = mean[y]
            elif records and census.get(y):
                estimate[y] = census[y] / records * scale
                found.proxy.add(y)
        total = sum(estimate.values())
        for y, value in estimate.items():
            if total > 0:
                found.share[y] = value / total
    return found


def _sub_major_jobs(
    sub_major: str,
    members: list[str],
    mean: dict[str, float],
    census: dict[str, float],
    records: float,
) -> float:
    """The sub-major group's jobs to scale Census shares by, from published figures only.

    Its own ASHE count; else the published unit groups' jobs over their Census share; else 1
    (no ASHE at all: every share comes from Census records alone).
    """
    if sub_major in mean:
        return mean[sub_major]
    known = [y for y in members if y in mean and census.get(y)]
    fraction = sum(census[y] for y in known) / records if records else 0.0
    if known and fraction > 0:
        return sum(mean[y] for y in known) / fraction
    return 1.0
