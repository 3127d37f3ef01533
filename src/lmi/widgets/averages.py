"""UK-average figures the Careerometer compares each occupation with.

Nothing is hard-coded: each figure is computed from the served release's dataset views by a
provider declared in :data:`AVERAGES`. A release without the dataset (or without an
all-occupations figure in it) gives ``null``, and the widget says "UK average not available".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypedDict

from lmi.datasets.ashe.cube import Request
from lmi.datasets.ashe.view import PAY
from lmi.datasets.working_futures.model import TOTAL, published_method
from lmi.datasets.working_futures.view import OUTLOOK
from lmi.sdc.fallback import ALL
from lmi.serve.snapshot import Derived, Snapshot

__all__ = ["AVERAGES", "KEYS", "Average", "uk_averages"]


class Average(TypedDict, total=False):
    """An all-occupations figure: weekly £ (pay), weekly hours, or % change (outlook).

    ``value``/``year`` are the latest; ``series`` (``[{year, value}]``) lets a client compare
    an occupation with the UK in the same year.
    """

    value: float
    year: str
    method: str
    source: str
    series: list[dict[str, float]]


Provider = Callable[[Snapshot], Average | None]

OUTLOOK_YEARS = 8  # the Careerometer's window: this year to this year + 8


def ashe_average(measure: str, statistic: str = "mean") -> Provider:
    """All-occupations ("level 0") ``statistic`` of an ASHE ``measure``, each year it can be
    served, computed the way the widget's occupation figure is (SOC 2010 first, then SOC 2020
    for years published only in SOC 2020). Pay is the median: "typical" pay, which the mean
    (pulled up by a long upper tail) overstates."""

    def provider(snap: Snapshot) -> Average | None:
        pay = snap.view_or_none(PAY)
        if pay is None:  # ASHE is not loaded in this release
            return None
        series: list[dict[str, float]] = []
        methods: set[str] = set()
        for year in pay.years:
            for version in ("soc2010", "soc2020"):
                request = Request(version, ALL, year, measure, statistic, coarse=False)
                served = pay.estimate(request).served
                if served.servable and served.value is not None:
                    series.append({"year": year, "value": round(float(served.value), 2)})
                    methods.add(served.method)
                    break
        if not series:
            return None
        method = "modelled" if "modelled" in methods else "observed"
        return Average(
            value=series[-1]["value"],
            year=str(int(series[-1]["year"])),
            method="synthetic" if snap.release.kind == "synthetic" else method,
            source=str(snap.provenance("ashe")["source"]),
            series=series,
        )

    return provider


def outlook_average(snap: Snapshot) -> Average | None:
    """All occupations' % change in employment over the Careerometer's window, England."""
    model = snap.view_or_none(OUTLOOK)
    if model is None:
        return None
    first = datetime.date.today().year
    last = first + OUTLOOK_YEARS
    start, end = model.published("all", TOTAL, first), model.published("all", TOTAL, last)
    if start is None or end is None or not start:
        return None
    return Average(
        value=round(100 * (end - start) / start, 2),
        year=f"{first}-{last}",
        method="synthetic" if snap.release.kind == "synthetic" else published_method(last),
        source=str(snap.provenance("working_futures")["source"]),
    )


#: every UK average the Careerometer shows, and the provider computing it
AVERAGES: dict[str, Provider] = {
    "pay": ashe_average("weekly", "median"),
    "hours": ashe_average("hours"),
    "outlook": outlook_average,
}
KEYS = tuple(AVERAGES)


def uk_averages(snap: Snapshot) -> dict[str, Any]:
    """``{pay, hours, outlook}``: each an :class:`Average` or None, plus a note per missing one."""
    return snap.derived(UK_AVERAGES)


def _compute(snap: Snapshot) -> dict[str, Any]:
    found: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for key, provider in AVERAGES.items():
        value = provider(snap)
        found[key] = value
        if value is None:
            notes[key] = "no all-occupations figure in the served release"
    return {**found, "release": snap.release.id, "notes": notes}


UK_AVERAGES = Derived("the Careerometer's UK averages", _compute)
