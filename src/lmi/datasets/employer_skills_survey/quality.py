"""The survey's reliability as an SDC envelope: shares and counts served from an
``ess_occupations`` row, each with status, quality band, rule and a 0–3 reliability.

ESS publishes no standard errors. It suppresses a column whose unweighted base is under 30
establishments (``**``); below that, figures for one occupation rest on fewer establishments
than the column base. The base used is the *estimated* number of establishments behind the
figure (see :mod:`.tables`): under 10 → withheld (``suppressed_quality``); 10–29 → served with
``caution`` (the ESS threshold for a base); 30–49 → ``acceptable``; 50 or more → ``reliable``.
``reliability`` (LMI for All's field, 3 = best) is 3, 2, 1 or 0 for these bands.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from lmi.pickling import by_constructor
from lmi.sdc import Policy, Served

__all__ = ["ESS_POLICY", "Figures", "SHARES", "figures", "reliability"]

ESS_POLICY = Policy(
    name="ess",
    version="1",
    description=(
        "DfE Employer Skills Survey: a column with an unweighted base under 30 establishments "
        "is suppressed by the publisher (**). Our shares by occupation need an estimated base "
        "(unweighted establishments behind the figure) of 10 (withheld below), are served "
        "with caution under 30, acceptable under 50, reliable from 50."
    ),
    min_count=10,
    count_unit="establishments (estimated unweighted base)",
    caution_count=30,
    rounding={"percent": 0.1, "count": 1},
    symbols={
        "**": ("suppressed_quality", "ESS: fewer than 30 establishments in the unweighted base"),
    },
)
RELIABLE = 50
#: flags (``flags_json``) of a measure the source suppressed, or summed from part of the areas
SUPPRESSED_MARK = "symbol'**'"
PARTIAL_MARK = ":sum:"

#: share served → (numerator, denominator, base column, what it is)
SHARES: dict[str, tuple[str, str, str, str]] = {
    "htf_share": ("htf", "vacancies", "n_vacancies", "% of vacancies that are hard to fill"),
    "ssv_share": ("ssv", "vacancies", "n_vacancies", "% of vacancies that are skill-shortage"),
    "htf_is_ssv": (
        "ssv",
        "htf",
        "n_htf",
        "% of hard-to-fill vacancies that are hard to fill for lack of skills",
    ),
    "vacancy_density": ("vacancies", "employment", "n_employing", "vacancies per 100 staff"),
    "skills_gap_share": (
        "skills_gaps",
        "employment",
        "n_employing",
        "% of staff not fully proficient",
    ),
}
#: count served → base column
COUNT_BASES = {
    "employment": "n_employing",
    "vacancies": "n_vacancies",
    "htf": "n_htf",
    "ssv": "n_htf",
    "skills_gaps": "n_employing",
}


def reliability(base: float | None) -> int:
    """LMI for All's ``reliability``: 3 reliable, 2 acceptable, 1 caution, 0 withheld."""
    if base is None or base < (ESS_POLICY.min_count or 0):
        return 0
    if base < (ESS_POLICY.caution_count or 0):
        return 1
    return 3 if base >= RELIABLE else 2


def _band(base: float) -> tuple[str, str]:
    level = reliability(base)
    return {3: ("ok", "reliable"), 2: ("ok", "acceptable"), 1: ("caution", "use_with_caution")}[
        level
    ]


@dataclass(frozen=True, slots=True)
class Figures:
    """Everything served for one area and occupation."""

    counts: dict[str, Served]
    shares: dict[str, Served]
    bases: dict[str, float | None]

    __reduce__ = by_constructor

    @property
    def reliability(self) -> int:
        """Reliability of the hard-to-fill share (the figure LMI for All ranked by)."""
        return reliability(self.bases.get("n_vacancies"))


def figures(row: Mapping[str, Any]) -> Figures:
    flags: dict[str, str] = json.loads(row.get("flags_json") or "{}")
    method = str(row.get("method") or "observed")
    bases = {name: _float(row.get(name)) for name in ("n_employing", "n_vacancies", "n_htf")}
    counts = {
        name: _count(row, name, bases[base], flags, method) for name, base in COUNT_BASES.items()
    }
    shares = {
        name: _share(row, num, den, bases[base], flags, method)
        for name, (num, den, base, _) in SHARES.items()
    }
    return Figures(counts, shares, bases)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _withheld(flags: Mapping[str, str], names: tuple[str, ...], method: str) -> Served | None:
    for name in names:
        rule = flags.get(name, "")
        if SUPPRESSED_MARK in rule:
            status, meaning = ESS_POLICY.symbols["**"]
            return Served(None, status, "none", rule, method=method, note=meaning)
    return None


def _partial(served: Served, flags: Mapping[str, str], names: tuple[str, ...]) -> Served:
    """A sum over the areas that published a measure (some did not) is served with caution."""
    rule = next((flags[n] for n in names if PARTIAL_MARK in flags.get(n, "")), None)
    if rule is None or not served.servable:
        return served
    return replace(
        served,
        status="caution",
        band="use_with_caution" if served.status == "ok" else served.band,
        rule=rule,
        note="summed over the local authorities that published it",
    )


def _by_base(value: float, base: float | None, measure: str, method: str) -> Served:
    if base is None or base < (ESS_POLICY.min_count or 0):
        shown = "unknown" if base is None else f"{base:.0f}"
        return Served(
            None,
            "suppressed_quality",
            "unreliable",
            f"{ESS_POLICY.id}:base<{ESS_POLICY.min_count:g}",
            method=method,
            note=f"about {shown} establishments behind this figure",
        )
    status, band = _band(base)
    rule = (
        f"{ESS_POLICY.id}:base<{ESS_POLICY.caution_count:g}"
        if status == "caution"
        else (f"{ESS_POLICY.id}:base")
    )
    return Served(ESS_POLICY.round(value, measure), status, band, rule, method=method)  # type: ignore[arg-type]


def _count(
    row: Mapping[str, Any], name: str, base: float | None, flags: Mapping[str, str], method: str
) -> Served:
    withheld = _withheld(flags, (name,), method)
    if withheld is not None:
        return withheld
    value = _float(row.get(name))
    if value is None:
        return Served(None, "not_available", "none", f"{ESS_POLICY.id}:not-in-table", method=method)
    return _partial(_by_base(value, base, "count", method), flags, (name,))


def _share(
    row: Mapping[str, Any],
    numerator: str,
    denominator: str,
    base: float | None,
    flags: Mapping[str, str],
    method: str,
) -> Served:
    withheld = _withheld(flags, (numerator, denominator), method)
    if withheld is not None:
        return withheld
    top, bottom = _float(row.get(numerator)), _float(row.get(denominator))
    if top is None or bottom is None:
        return Served(None, "not_available", "none", f"{ESS_POLICY.id}:not-in-table", method=method)
    if bottom <= 0:
        return Served(
            None,
            "not_applicable",
            "none",
            f"{ESS_POLICY.id}:no-{denominator}",
            method=method,
            note=f"no {denominator.replace('_', ' ')} in this occupation and area",
        )
    served = _by_base(100.0 * top / bottom, base, "percent", method)
    return _partial(served, flags, (numerator, denominator))
