"""The served ASHE cube: look-ups with SDC fallback, and the documented modelled figures.

Built once per snapshot from ``ashe_cells`` (which holds no suppressed number). In order of
preference a figure is:

1. **observed** — the published cell with the CV ONS published for it and its ONS quality band
   (or, with ``coarse``, the nearest published SOC parent, marked with ``fallback_level`` and
   said in ``note``);
2. **derived** — exact arithmetic on published figures (part-time = all − full-time), served
   as ``modelled`` (it is not a published value) with its inputs in ``note``; never made
   where the ONS workbooks publish the part-time figure itself;
3. **modelled** — documented methods on published figures only:
   * *re-expression* between SOC 2010 and SOC 2020 through the ONS dual-coding proportions:
     ``v(T) = Σ w(S→T)·v(S) / Σ w`` over the published source unit groups (weights from
     :mod:`lmi.classification.crosswalk`, census basis); needs 80 % of the weight published;
   * *weekly from annual* for Table 14 years (which have no weekly table): annual ÷ 52;
   * *sex* for years without a sex split: the all-employee figure × the 2025p ratio
     (sex ÷ all) of the same unit group;
   * *region × unit group*: the UK unit-group figure × the 2025p Table 3 relativity of its
     major group (region ÷ UK);
   * *all occupations* where an edition publishes the nine major groups but no total (2025p):
     the major groups' means weighted by their job counts in the latest earlier edition of
     the same SOC version (means only);
   * *pooled years* (only when asked, ``pool``): where a cell is suppressed, the mean of the
     same cell in the other published years of the same SOC version within
     ``POOL_WINDOW`` years, tried at each SOC level before the next coarser one and named in
     ``fallback_years``.

Because every modelled figure is a function of published figures only, it cannot reveal a
suppressed cell, and a value ONS suppressed is never re-created at its own level of detail
(a suppressed input is left out, never estimated).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from lmi.classification import crosswalk
from lmi.sdc import Served
from lmi.sdc.fallback import ALL, UK, first_servable, pooled_years, soc_chain
from lmi.sdc.policy import ASHE_WORKBOOK, SERVABLE, Status

__all__ = ["REGION_GSS", "Estimate", "PayCube", "Request"]

#: LMI for All region code (1–12) → GSS code of the ASHE Table 3 area
REGION_GSS: dict[int, str] = {
    1: "E12000007",
    2: "E12000008",
    3: "E12000006",
    4: "E12000009",
    5: "E12000005",
    6: "E12000004",
    7: "E12000003",
    8: "E12000002",
    9: "E12000001",
    10: "W92000004",
    11: "S92000003",
    12: "N92000002",
}
NI = "N92000002"
MIN_COVERAGE = 0.8
REGION_YEAR = 2025  # the only year with region and sex splits (2025p Tables 3 and 14)
WEEKS = 52
#: measures whose all-occupations mean is the job-weighted mean of the groups' means
PER_JOB = frozenset({"weekly", "annual", "hours"})
POOL_WINDOW = 2  # years either side of the asked year that a pooled stand-in may use
#: decimals ONS publishes each measure to (annual pay in whole pounds, weekly pay and hours to
#: 0.1, hourly pay to the penny): a modelled figure is given no more precision than its source
PRECISION = {"annual": 0, "weekly": 1, "hours": 1, "hourly": 2, "hourly_excl_overtime": 2}


@dataclass(frozen=True)
class Request:
    version: str  # soc2010 | soc2020
    code: str
    year: int
    measure: str = "weekly"
    statistic: str = "mean"
    sex: str = "all"
    pattern: str = "all"
    region: int | None = None
    coarse: bool = True
    pool: bool = False

    def but(self, **changes: Any) -> Request:
        """This request with ``changes``: ``dataclasses.replace`` without its per-call field
        checks, which cost a third of an uncached regional answer (hundreds of calls each)."""
        assert changes.keys() <= _REQUEST_FIELDS, changes.keys() - _REQUEST_FIELDS
        new = object.__new__(Request)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new


_REQUEST_FIELDS = frozenset(f.name for f in fields(Request))


@dataclass(frozen=True)
class Estimate:
    served: Served
    sources: tuple[str, ...]  # "2021p soc2010" …

    def as_dict(self) -> dict[str, Any]:
        return {**self.served.as_dict(), "sources": list(self.sources)}


NA_ESTIMATE = Estimate(Served(None, "not_available", "none", "ashe:no-source"), ())


class PayCube:
    def __init__(self, rows: Iterable[Mapping[str, Any]], dual: Iterable[Mapping[str, Any]]):
        self.cells: dict[tuple[Any, ...], Mapping[str, Any]] = {}
        editions: dict[tuple[str, int], set[str]] = defaultdict(set)
        self.measures: dict[tuple[int, str, str], set[str]] = defaultdict(set)
        #: (year, edition, version, measure, sex, pattern) that some published row has
        self.splits: set[tuple[Any, ...]] = set()
        for row in rows:
            key = _key(row)
            self.cells[key] = row
            editions[(row["soc_version"], row["year"])].add(row["edition"])
            self.measures[(row["year"], row["edition"], row["soc_version"])].add(row["measure"])
            self.splits.add((*key[:3], row["measure"], row["sex"], row["pattern"]))
        self.editions = {k: sorted(v, reverse=True) for k, v in editions.items()}  # r before p
        self.years = sorted({year for _, year in editions})
        self.weights = _weights(list(dual))
        #: a cell's flags and CVs, parsed from their JSON once (on first use)
        self._parsed: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, Any]]] = {}

    def _flags_and_cvs(
        self, key: tuple[Any, ...], row: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        found = self._parsed.get(key)
        if found is None:
            flags = json.loads(row["flags_json"]) if row["flags_json"] != "{}" else {}
            cvs = row.get("cv_json") or "{}"
            found = self._parsed[key] = (flags, json.loads(cvs) if cvs != "{}" else {})
        return found

    def session(self) -> PayCube:
        """This cube for one response. A response asks for many estimates that share their
        inputs (a regional breakdown models twelve regions from one UK figure, year after
        year): within the session each cell, base figure and regional relativity is worked
        out once. Nothing outlives the response, so the figures are those of :meth:`estimate`."""
        return _Session(self)

    # -- single cells ------------------------------------------------------------------------
    def cell(self, key: tuple[Any, ...], stat: str) -> Served | None:
        row = self.cells.get(key)
        if row is None:
            return None
        flags, cvs = self._flags_and_cvs(key, row)
        value = row.get(stat)
        if stat in flags:
            status, rule = flags[stat]
        elif value is None:
            return None
        else:
            status, rule = "ok", "published"
        shown = value if status in SERVABLE else None
        cv = cvs.get(stat)
        band = ASHE_WORKBOOK.band(cv)
        quality = band.band if band is not None else "not_published"
        if row["method"] == "derived":  # exact arithmetic on published figures: not published
            note = "all employees − full-time of the same published table"
            return Served(shown, status, quality, rule, "modelled", note=note, cv=cv)
        return Served(shown, status, quality, rule, method="observed", cv=cv)

    def source(self, version: str, year: int) -> tuple[str, str] | None:
        """(edition, SOC version) serving ``year`` for a ``version`` request: same version
        first, then the latest edition in the other version."""
        for candidate in (version, *(v for v in ("soc2010", "soc2020") if v != version)):
            editions = self.editions.get((candidate, year))
            if editions:
                return editions[0], candidate
        return None

    def lookup(self, r: Request, edition: str, version: str, measure: str) -> Served | None:
        """A cell in its own version, walking the SOC hierarchy when ``coarse``."""
        area = UK

        def at(code: str) -> Served | None:
            key = (r.year, edition, version, code, measure, r.sex, r.pattern, area)
            found = self.cell(key, r.statistic)
            if found is None and code == ALL:
                return self._all_from_majors(r, edition, version, measure)
            return found

        def pooled(code: str) -> Served | None:
            published = (
                (
                    year,
                    self.cell(
                        (year, editions[0], version, code, measure, r.sex, r.pattern, area),
                        r.statistic,
                    ),
                )
                for (v, year), editions in self.editions.items()
                if v == version
            )
            return pooled_years(
                r.year, published, window=POOL_WINDOW, rule="ashe:pooled-years-mean"
            )

        chain = soc_chain(r.code) if r.coarse else soc_chain(r.code)[:1]
        found = first_servable(chain, at, pooled if r.pool else None)
        if found is None:
            return at(r.code)  # the reason it cannot be served
        if found.fallback_level is not None and found.note is None:
            parent = "all occupations" if found.fallback_level == 0 else "its parent group"
            note = (
                f"SOC {r.code} cannot be served for this cell: the figure of {parent} "
                f"({found.fallback_level}-digit level) stands in"
            )
            return found.but(note=note)
        return found

    def _all_from_majors(
        self, r: Request, edition: str, version: str, measure: str
    ) -> Served | None:
        """All occupations' mean as the job-weighted mean of the nine major groups' means.

        For editions that publish major groups but no all-occupations row (the 2025p extract);
        the weights are the major groups' job counts in the latest earlier edition of the same
        SOC version that has them. Means of per-job measures only (weekly and annual pay, paid
        hours): medians and percentiles do not combine, and a mean hourly rate is not weighted
        by jobs. With same-year weights this reproduces the published total (2023p annual
        mean: £35,403.8 from the major groups against £35,404 published); with the 2021r
        weights it would use for 2023p it comes 2.7% under, the size of error to expect.
        """
        if r.statistic != "mean" or measure not in PER_JOB:
            return None
        found = self._major_jobs(version, r.year, r.pattern)
        if found is None:
            return None
        jobs_year, jobs = found
        total = covered = 0.0
        worst: Status = "ok"
        for major, weight in jobs.items():
            key = (r.year, edition, version, major, measure, r.sex, r.pattern, UK)
            cell = self.cell(key, "mean")
            if cell is None or not cell.servable or cell.value is None:
                continue
            total += weight * cell.value
            covered += weight
            worst = "caution" if cell.status == "caution" else worst
        if covered < MIN_COVERAGE * sum(jobs.values()):
            return None
        rule = f"ashe:all=major-group-means-weighted-by-{jobs_year}-jobs"
        return Served(
            to_precision(total / covered, measure), worst, "not_published", rule, "modelled"
        )

    def _major_jobs(
        self, version: str, year: int, pattern: str
    ) -> tuple[int, dict[str, float]] | None:
        """(year, major group → job count) of the latest edition before ``year`` with them."""
        for (v, earlier), editions in sorted(self.editions.items(), key=lambda e: -e[0][1]):
            if v != version or earlier >= year:
                continue
            jobs: dict[str, float] = {}
            for major in "123456789":
                for measure in sorted(self.measures[(earlier, editions[0], version)]):
                    key = (earlier, editions[0], version, major, measure, "all", pattern, UK)
                    row = self.cells.get(key)
                    if row is not None and row.get("jobs"):
                        jobs[major] = float(row["jobs"])
                        break
            if len(jobs) == 9:
                return earlier, jobs
        return None

    # -- estimates ---------------------------------------------------------------------------
    def estimate(self, r: Request) -> Estimate:
        picked = self.source(r.version, r.year)
        if picked is None:
            return NA_ESTIMATE
        edition, version = picked
        label = f"{r.year}{edition} {version}"
        in_area = self._published_area(r, edition, version)
        if in_area is not None:  # the region's own published cell (Table 3): observed
            return Estimate(in_area, (f"{label} Table 3",))
        base = self._base(r, edition, version)
        published = (r.year, edition, version, r.measure, r.sex, r.pattern) in self.splits
        if base is None or not base.servable:
            # a sex split the edition publishes (and withheld) is never modelled back
            modelled = r.sex != "all" and not published
            sex_base = self._sex_model(r, edition, version) if modelled else None
            if sex_base is None:
                return Estimate(base or NA_ESTIMATE.served, (label,))
            base = sex_base
        sources = [label]
        if r.region is not None:
            base = self._regional(r, base)
            if base.fallback_area is None:
                sources.append(f"{REGION_YEAR}p soc2020 Table 3 relativity")
        return Estimate(base, tuple(sources))

    def _published_area(self, r: Request, edition: str, version: str) -> Served | None:
        """A region's figure when the edition publishes that very cell (2025p Table 3 for a
        SOC 2020 major group): served as published, never re-derived through a ratio."""
        area = REGION_GSS.get(r.region or 0)
        if area is None or version != r.version:
            return None
        key = (r.year, edition, version, r.code, r.measure, r.sex, r.pattern, area)
        found = self.cell(key, r.statistic)
        return found if found is not None and found.servable else None

    def _base(self, r: Request, edition: str, version: str) -> Served | None:
        measures = self.measures[(r.year, edition, version)]
        if r.measure in measures:
            return self._in_version(r, edition, version, r.measure)
        if r.measure == "weekly" and "annual" in measures:
            annual = self._in_version(r, edition, version, "annual")
            if annual is None or not annual.servable or annual.value is None:
                return annual
            return _modelled(annual, annual.value / WEEKS, "ashe:weekly=annual/52", "weekly")
        return None

    def _in_version(self, r: Request, edition: str, version: str, measure: str) -> Served | None:
        if version == r.version:
            return self.lookup(r, edition, version, measure)
        return self._re_expressed(r, edition, version, measure)

    def _re_expressed(self, r: Request, edition: str, source: str, measure: str) -> Served | None:
        weights = self.weights.get((r.version, r.code))
        if not weights:
            return Served(None, "not_available", "none", "ashe:no-dual-coding")
        total = covered = 0.0
        worst: Status = "ok"
        levels: list[int] = []
        for code, weight in weights:
            found = self.lookup(r.but(code=code), edition, source, measure)
            if found is None or not found.servable or found.value is None:
                continue
            total += weight * found.value
            covered += weight
            worst = "caution" if found.status == "caution" else worst
            if found.fallback_level is not None:
                levels.append(found.fallback_level)
        if covered < MIN_COVERAGE:
            return Served(None, "not_available", "none", "ashe:re-expression-coverage<80%")
        value = to_precision(total / covered, measure)
        served = Served(value, worst, "not_published", "ashe:re-expressed-dual-coding", "modelled")
        return served.stand_in(level=min(levels)) if levels else served

    def _sex_model(self, r: Request, edition: str, version: str) -> Served | None:
        """All-employee figure × the 2025p sex ratio of the same unit group."""
        everyone = self._base(r.but(sex="all"), edition, version)
        ratio = self._ratio(r, lambda q: q.but(sex=r.sex))
        if everyone is None or not everyone.servable or everyone.value is None or ratio is None:
            return None
        return _modelled(everyone, everyone.value * ratio, "ashe:sex=all*2025p-ratio", r.measure)

    def _ratio(self, r: Request, change: Any) -> float | None:
        anchor = r.but(year=REGION_YEAR, sex="all", region=None)
        picked = self.source(r.version, REGION_YEAR)
        if picked is None:
            return None
        top = self._base(change(anchor), *picked)
        bottom = self._base(anchor, *picked)
        if top is None or bottom is None or not (top.servable and bottom.servable):
            return None
        return top.value / bottom.value if top.value and bottom.value else None

    def _regional(self, r: Request, base: Served) -> Served:
        """UK figure × (region ÷ UK) of the unit group's 2025p major group(s), Table 3."""
        relativity = self._relativity(r)
        if relativity is None or base.value is None:
            if r.coarse and base.value is not None:
                # region → country → UK: Table 3 publishes Wales and Scotland but neither
                # England as a whole nor Northern Ireland, so the next published level is the UK
                area = REGION_GSS.get(r.region or 0, "the region")
                note = (
                    f"no ASHE regional figure for {area}"
                    + (" (Northern Ireland has no rows in ASHE Table 3)" if area == NI else "")
                    + ": this is the UK figure"
                )
                return base.but(fallback_level=base.fallback_level, fallback_area=UK, note=note)
            return Served(None, "not_available", "none", "ashe:no-region-relativity")
        return _modelled(
            base, base.value * relativity, "ashe:region=UK*2025p-major-relativity", r.measure
        )

    def _relativity(self, r: Request) -> float | None:
        area = REGION_GSS.get(r.region or 0)
        if area is None:
            return None
        majors = self._majors_2020(r)
        total = covered = 0.0
        for major, weight in majors:
            key = (REGION_YEAR, "p", "soc2020", major, self._region_measure(r), r.sex, r.pattern)
            region = self.cell((*key, area), r.statistic)
            uk = self.cell((*key, UK), r.statistic)
            if region is None or uk is None or not (region.servable and uk.servable):
                continue
            if region.value and uk.value:
                total += weight * region.value / uk.value
                covered += weight
        return total / covered if covered >= MIN_COVERAGE else None

    def _region_measure(self, r: Request) -> str:
        return r.measure if r.measure != "hourly_excl_overtime" else "hourly"

    def _majors_2020(self, r: Request) -> list[tuple[str, float]]:
        if r.version == "soc2020":
            return [(r.code[0], 1.0)]
        found: dict[str, float] = defaultdict(float)
        for code, weight in self.weights.get((r.version, r.code), []):
            found[code[0]] += weight
        return list(found.items())


class _Session(PayCube):
    """:meth:`PayCube.session`: the cube's data shared, with memos for one response."""

    def __init__(self, cube: PayCube) -> None:  # shares the built cube: nothing is rebuilt
        self.__dict__.update(cube.__dict__)
        self._served: dict[tuple[tuple[Any, ...], str], Served | None] = {}
        self._bases: dict[tuple[Request, str, str], Served | None] = {}
        self._relativities: dict[Request, float | None] = {}

    def session(self) -> PayCube:
        return self

    def cell(self, key: tuple[Any, ...], stat: str) -> Served | None:
        memo = (key, stat)
        if memo not in self._served:
            self._served[memo] = super().cell(key, stat)
        return self._served[memo]

    def _base(self, r: Request, edition: str, version: str) -> Served | None:
        memo = (r.but(region=None), edition, version)  # the base is the UK figure
        if memo not in self._bases:
            self._bases[memo] = super()._base(r, edition, version)
        return self._bases[memo]

    def _relativity(self, r: Request) -> float | None:
        memo = r.but(year=REGION_YEAR)  # one edition's relativity serves every year
        if memo not in self._relativities:
            self._relativities[memo] = super()._relativity(r)
        return self._relativities[memo]


def to_precision(value: float, measure: str) -> float:
    """``value`` rounded to the decimals ONS publishes ``measure`` to (:data:`PRECISION`)."""
    return round(value, PRECISION.get(measure, 2))


def _modelled(base: Served, value: float, rule: str, measure: str) -> Served:
    status: Status = "caution" if base.status == "caution" else "ok"
    combined = rule if base.rule in {"published", ""} else f"{base.rule}; {rule}"
    rounded = to_precision(value, measure)
    return base.but(value=rounded, status=status, rule=combined, method="modelled")


def _key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        row["year"],
        row["edition"],
        row["soc_version"],
        row["code"],
        row["measure"],
        row["sex"],
        row["pattern"],
        row["area"],
    )


def _weights(rows: list[Mapping[str, Any]]) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """(target version, target code) → [(source code, weight)] from the dual coding."""
    found: dict[tuple[str, str], list[tuple[str, float]]] = {}
    by_2010: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    by_2020: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        by_2010[row["soc2010"]].append(row)
        by_2020[row["soc2020"]].append(row)
    # a SOC 2010 group's figure from SOC 2020 data: where its workers went (forward shares)
    for code, group in by_2010.items():
        weights = crosswalk.dual_coding_weights(group, key="soc2020", basis="census", sex="all")
        found[("soc2010", code)] = [(s.code, s.proportion) for s in crosswalk.normalise(weights)]
    # a SOC 2020 group's figure from SOC 2010 data: where its workers came from
    for code, group in by_2020.items():
        weights = crosswalk.dual_coding_weights(group, key="soc2010", basis="census", sex="all")
        found[("soc2020", code)] = [(s.code, s.proportion) for s in crosswalk.normalise(weights)]
    return found
