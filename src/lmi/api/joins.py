"""One occupation's card, for embedding anywhere: pay, hours, outlook and top skills.

Related occupations (``skills``) and pathways both show, for each occupation they list, its
latest pay and hours, its employment outlook and its top O*NET skills. Those figures are built
here once, straight from the dataset views, so the theme modules never call each other.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from lmi.datasets.ashe.cube import Request
from lmi.datasets.ashe.view import PAY
from lmi.datasets.onet_profiles.build import THIN_EFFECTIVE, THIN_WEIGHT
from lmi.datasets.onet_profiles.index import ProfileIndex
from lmi.datasets.onet_profiles.view import PROFILES
from lmi.datasets.working_futures.model import TOTAL
from lmi.datasets.working_futures.view import OUTLOOK
from lmi.errors import LMIError, NotFound
from lmi.serve.snapshot import Derived, Snapshot

__all__ = [
    "compact",
    "employment_outlook",
    "not_available",
    "pay_and_hours",
    "pay_and_outlook",
    "pay_summary",
    "top_skills",
]

#: the dataset of the O*NET profiles on UK SOC
PROFILES_DATASET = "onet_uk_profiles"
TOP_SKILLS = 5
PROFILE_METHOD_NOTE = (
    "Each UK unit group is the weighted mean of its O*NET occupations (weights of "
    "/v1/occupations/{version}/{code}/onet, renormalised over the occupations with data); "
    "confidence is low when in effect one occupation contributes (effective number of "
    f"contributors below {THIN_EFFECTIVE:g}) or under {THIN_WEIGHT:.0%} of the mapping weight "
    "has data. US job content carried over to UK occupations: modelled."
)
PROFILES_NOT_LOADED = "O*NET profiles are not loaded in this release"


def compact(provenance: dict[str, Any]) -> dict[str, Any]:
    """A figure's provenance without publisher and licence (those are in ``meta.provenance``)."""
    return {k: provenance[k] for k in ("dataset", "source", "release", "method") if k in provenance}


def not_available(reason: str) -> dict[str, Any]:
    return {"status": "not available", "reason": reason}


def method_label(snap: Snapshot, method: str) -> str:
    return "synthetic" if snap.release.kind == "synthetic" else method


def profile_index(snap: Snapshot) -> ProfileIndex:
    index = snap.view(PROFILES)
    if not snap.has(PROFILES_DATASET) or not index.profiles:
        raise NotFound(PROFILES_NOT_LOADED)
    return index


def profile_method(snap: Snapshot) -> str:
    return "synthetic" if snap.release.kind == "synthetic" else "modelled"


def profile_provenance(snap: Snapshot) -> dict[str, Any]:
    return snap.provenance(PROFILES_DATASET, method=profile_method(snap))


def pay_summary(snap: Snapshot, version: str, code: str) -> dict[str, Any] | None:
    """The latest full-time annual median for an occupation, with its SDC envelope.

    For joining pay into other answers (related occupations, pathways); ``None`` when the
    release has no ASHE data.
    """
    if not snap.has("ashe"):
        return None
    pay = snap.view(PAY)
    if not pay.years:
        return None
    memo = snap.derived(PAY_SUMMARIES)
    found = memo.get((version, code))
    if found is None:
        request = Request(version, code, 0, "annual", "median", pattern="full-time")
        for year in reversed(pay.years):
            estimate = pay.estimate(request.but(year=year))
            if estimate.served.servable:
                break
        found = {
            "year": year,
            "measure": "annual",
            "pattern": "full-time",
            "statistic": "median",
            **estimate.as_dict(),
        }
        memo[(version, code)] = found
    return found


#: latest servable full-time median per (version, code), filled as occupations are asked for
PAY_SUMMARIES: Derived[dict[tuple[str, str], dict[str, Any]]] = Derived(
    "latest full-time median pay per occupation", lambda snap: {}
)


def _pay_and_outlook(snap: Snapshot, version: str, code: str) -> dict[str, Any]:
    """Pay and employment outlook of a related occupation, when the release has them."""
    found: dict[str, Any] = {}
    pay = pay_summary(snap, version, code)
    if pay is not None:
        found["pay"] = pay
    if snap.has("working_futures"):
        found["outlook"] = employment_outlook(snap, version, code)
    return found


def _pay_and_hours(snap: Snapshot, version: str, code: str) -> dict[str, Any]:
    try:
        pay = snap.view(PAY)
    except LMIError as exc:
        reason = str(exc)
        return {"pay": not_available(reason), "hours": not_available(reason)}
    return {
        "pay": _latest_figure(snap, pay, version, code, "annual", "£ a year"),
        "hours": _latest_figure(snap, pay, version, code, "hours", "paid hours a week"),
    }


def _latest_figure(
    snap: Snapshot, pay: Any, version: str, code: str, measure: str, unit: str
) -> dict[str, Any]:
    last = None
    for year in reversed(pay.years):
        request = Request(
            version, code, year, measure=measure, statistic="median", pattern="full-time"
        )
        estimate = pay.estimate(request)
        last = estimate
        if estimate.served.servable:
            method = estimate.served.method
            figure = estimate.as_dict()
            figure["value"] = round(figure["value"], 0 if measure == "annual" else 1)
            return {
                "year": year,
                "statistic": "median",
                "pattern": "full-time",
                "unit": unit,
                **figure,
                "provenance": compact(
                    snap.provenance(
                        "ashe",
                        method=method_label(snap, "modelled") if method == "modelled" else None,
                    )
                ),
            }
    reason = f"no ASHE year serves a full-time median ({last.served.status if last else 'none'})"
    return not_available(reason)


def _employment_outlook(snap: Snapshot, version: str, code: str) -> dict[str, Any]:
    try:
        model = snap.view(OUTLOOK)
    except LMIError as exc:
        return not_available(f"employment projections unavailable: {exc}")
    comp = model.composition(version, code)
    if comp is None:
        return not_available("no Working Futures figures can be attributed to this unit group")
    years = list(model.years)
    start = min(max(datetime.date.today().year, years[0]), years[-1])
    end = years[-1]
    first = model.served(model.employment(comp, TOTAL, start), comp)
    last = model.served(model.employment(comp, TOTAL, end), comp)
    change = None
    if first.servable and last.servable and first.value:
        change = round(100.0 * ((last.value or 0.0) - first.value) / first.value, 1)
    method = "modelled" if "modelled" in (first.method, last.method, comp.method) else "observed"
    return {
        "area": "England",
        "unit": "people",
        "start": {"year": start, **first.as_dict()},
        "end": {"year": end, **last.as_dict()},
        "change_percent": change,
        "method": method_label(snap, method),
        "method_note": model.method_note(comp),
        "provenance": compact(
            snap.provenance(
                "working_futures",
                method=method_label(snap, "modelled") if method == "modelled" else None,
            )
        ),
    }


def _top_skills(snap: Snapshot, version: str, code: str) -> dict[str, Any]:
    try:
        index = profile_index(snap)
    except LMIError as exc:
        return not_available(str(exc))
    unit = index.profiles.get((version, code))
    if unit is None or not unit.elements.get("skills"):
        return not_available("this unit group maps to no O*NET occupation with skills data")
    elements = sorted(unit.elements["skills"], key=lambda e: -(e.importance or 0.0))
    return {
        "top": [
            {
                "element_id": e.element_id,
                "name": e.name,
                "importance": e.importance,
                "level": e.level,
            }
            for e in elements[:TOP_SKILLS]
        ],
        "scale": "O*NET importance 1–5, level 0–7",
        "method": profile_method(snap),
        "provenance": compact(profile_provenance(snap)),
    }


def skills_note() -> str:
    return "Top O*NET skills by importance. " + PROFILE_METHOD_NOTE


# -- memoised per release: each occupation's card is built once --------------------------------

Part = Callable[[Snapshot, str, str], dict[str, Any]]
#: (part, version, code, this year) → the part of an occupation's card (the outlook window
#: starts this year, so a card built last year is not reused)
CARDS: Derived[dict[tuple[str, str, str, int], dict[str, Any]]] = Derived(
    "occupation cards", lambda snap: {}
)


def _card_part(snap: Snapshot, part: Part, version: str, code: str) -> dict[str, Any]:
    memo = snap.derived(CARDS)
    key = (part.__name__, version, code, datetime.date.today().year)
    found = memo.get(key)
    if found is None:
        found = memo[key] = part(snap, version, code)
    return found


def pay_and_hours(snap: Snapshot, version: str, code: str) -> dict[str, Any]:
    """The latest full-time median pay and paid hours, or why they are not available."""
    return _card_part(snap, _pay_and_hours, version, code)


def employment_outlook(snap: Snapshot, version: str, code: str) -> dict[str, Any]:
    """England employment from this year to the last projected year, or why not."""
    return _card_part(snap, _employment_outlook, version, code)


def top_skills(snap: Snapshot, version: str, code: str) -> dict[str, Any]:
    """The occupation's most important O*NET skills, or why they are not available."""
    return _card_part(snap, _top_skills, version, code)


def pay_and_outlook(snap: Snapshot, version: str, code: str) -> dict[str, Any]:
    """Pay and employment outlook of a related occupation, when the release has them."""
    return _card_part(snap, _pay_and_outlook, version, code)
