"""UK-average figures the Careerometer compares each occupation with.

Nothing is hard-coded: each figure comes from a provider computing it from the served release.
The pay, hours and outlook datasets register their provider (``register_average``) when they
can produce an all-occupations figure; until then the figure is ``null`` and the widget says
"UK average not available".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

from lmi.errors import LMIError
from lmi.serve.snapshot import Derived, Snapshot

__all__ = ["KEYS", "Average", "register_average", "uk_averages"]

KEYS = ("pay", "hours", "outlook")


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
_PROVIDERS: dict[str, Provider] = {}


def register_average(key: str, provider: Provider) -> None:
    if key not in KEYS:
        raise ValueError(f"unknown average {key!r}: one of {', '.join(KEYS)}")
    _PROVIDERS[key] = provider


def uk_averages(snap: Snapshot) -> dict[str, Any]:
    """``{pay, hours, outlook}``: each an :class:`Average` or None, plus a note per missing one."""
    return snap.derived(UK_AVERAGES)


def _compute(snap: Snapshot) -> dict[str, Any]:
    found: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for key in KEYS:
        provider = _PROVIDERS.get(key)
        value = provider(snap) if provider else None
        found[key] = value
        if value is None:
            notes[key] = "no all-occupations figure in the served release"
    return {**found, "release": snap.release.id, "notes": notes}


UK_AVERAGES = Derived("the Careerometer's UK averages", _compute)


def ashe_average(measure: str) -> Provider:
    """All-occupations ("level 0") mean of an ASHE ``measure``, each year it can be served,
    computed the way ``/api/v1/ashe/estimatePay`` computes an occupation's figure (SOC 2010
    first, then SOC 2020 for years published only in SOC 2020)."""

    def provider(snap: Snapshot) -> Average | None:
        from lmi.api.pay import DATASET, cube
        from lmi.datasets.ashe.cube import Request
        from lmi.sdc.fallback import ALL

        try:
            pay = cube(snap)
        except LMIError:  # ASHE is not loaded in this release
            return None
        series: list[dict[str, float]] = []
        methods: set[str] = set()
        for year in pay.years:
            for version in ("soc2010", "soc2020"):
                request = Request(version, ALL, year, measure, "mean", coarse=False)
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
            source=str(snap.provenance(DATASET)["source"]),
            series=series,
        )

    return provider


register_average("pay", ashe_average("weekly"))
register_average("hours", ashe_average("hours"))
