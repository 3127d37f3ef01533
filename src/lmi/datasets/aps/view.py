"""The APS views this dataset serves, and the query logic of unit-group employment by industry.

Two views, built once per release: ``APS_INDEX`` (employment by area and sub-major group,
table T09a, for Working Futures' regional breakdown) and ``UNIT_INDUSTRY`` (ONS's
user-requested table of 4-digit SOC 2020 × industry section). Served by:

* native ``/v1/industries/{version}/{code}``: for a SOC 2020 unit group, the employment level
  per year (the sum of its published industry sections: a lower bound, ``caution``, where ONS
  suppressed sections) and every industry section, largest first, observed; suppressed sections
  are listed with their status and no number. A SOC 2010 unit group is re-expressed through the
  ONS dual coding (``modelled``, the SOC 2020 groups and weights stated). A coarser group
  (major, sub-major, minor) is the sum of its unit groups (``modelled``: lmi's sum, not an ONS
  figure; the unit groups summed are listed, and a section where any of them is suppressed is
  a lower bound, ``caution``, never filled in).
* compat ``/api/v1/wf/predict/breakdown/industry``: LMI for All's breakdown shape for the APS
  years, with the source named in ``note`` (Working Futures has no unit-group industry mix).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lmi.classification import crosswalk
from lmi.datasets.aps.index import (
    ApsIndex,
    IndustryShare,
    UnitIndustryIndex,
    load_aps_index,
    load_unit_industry_index,
)
from lmi.datasets.base import View, ViewSource
from lmi.errors import NotFound

__all__ = [
    "APS_INDEX",
    "SOURCE",
    "UNIT_INDUSTRY",
    "compat_industry_breakdown",
    "group_weights",
    "industry_answer",
    "soc2020_weights",
]


def _aps_index(source: ViewSource) -> ApsIndex:
    return load_aps_index(source.db, source.release_id)


def _unit_industry(source: ViewSource) -> UnitIndustryIndex:
    return load_unit_industry_index(source.db, source.release_id)


APS_INDEX = View("aps", "employment by area", _aps_index)
UNIT_INDUSTRY = View("aps", "unit-group employment by industry", _unit_industry)

SOURCE = (
    "ONS Annual Population Survey, user-requested table 'Employment by 4-digit SOC and "
    "1-digit industry at UK level' (UK, people in employment, January-December periods)"
)
TOP = 5


def soc2020_weights(
    version: str, code: str, dual: Sequence[Mapping[str, Any]]
) -> list[tuple[str, float]]:
    """SOC 2020 unit groups making up ``code`` and their weights (1.0 for a SOC 2020 code)."""
    if version == "soc2020":
        return [(code, 1.0)]
    rows = [r for r in dual if r["soc2010"] == code]
    weights = crosswalk.dual_coding_weights(rows, key="soc2020", basis="census", sex="all")
    return [(s.code, s.proportion) for s in crosswalk.normalise(weights)]


def group_weights(
    version: str, units: Sequence[str], dual: Sequence[Mapping[str, Any]]
) -> list[tuple[str, float]]:
    """SOC 2020 unit groups making up the unit groups ``units`` of a coarser group, weights
    summed: a group's employment is the sum of its unit groups' (Σ_x Σ_y w_xy·v_y)."""
    totals: dict[str, float] = {}
    for unit in units:
        for soc2020, weight in soc2020_weights(version, unit, dual):
            totals[soc2020] = totals.get(soc2020, 0.0) + weight
    return sorted(totals.items())


@dataclass(frozen=True)
class Combined:
    """The sections of a weighted set of unit groups in one year."""

    shares: list[IndustryShare]
    #: sections whose value leaves out a suppressed input (a lower bound, or no value)
    short: frozenset[str]
    #: SOC 2020 unit groups of the weights with any cell that year
    present: frozenset[str]


def _combined(
    index: UnitIndustryIndex, weights: list[tuple[str, float]], year: int
) -> Combined | None:
    """Sections of the weighted groups: Σ w·value over published cells; a section some of
    whose inputs are suppressed is served as caution (a lower bound), never estimated."""
    sections: dict[str, list[tuple[float, IndustryShare]]] = {}
    present = set()
    for soc2020, weight in weights:
        for share in index.industries(soc2020, year):
            sections.setdefault(share.section, []).append((weight, share))
            present.add(soc2020)
    if not sections:
        return None
    found = []
    short = set()
    for section, shares in sections.items():
        published = [(w, s.value) for w, s in shares if s.value is not None]
        value = sum(w * v for w, v in published) if published else None
        suppressed = any(s.status.startswith("suppressed") for _, s in shares)
        if suppressed:
            short.add(section)
        if len(weights) == 1:
            status = shares[0][1].status
        elif not published:
            status = "suppressed_quality" if suppressed else "not_available"
        else:
            status = "caution" if suppressed else "ok"
        found.append(IndustryShare(section, shares[0][1].name, value, status))
    ordered = sorted(found, key=lambda s: (s.value is None, -(s.value or 0.0), s.section))
    return Combined(ordered, frozenset(short), frozenset(present))


def industry_answer(
    index: UnitIndustryIndex,
    version: str,
    code: str,
    dual: Sequence[Mapping[str, Any]],
    *,
    units: Sequence[str] = (),
    top: int | None = None,
) -> dict[str, Any]:
    """The native body: per year, the level and the industries (``top`` largest, or all).

    ``units``: for a coarser group (fewer than 4 digits), its unit groups in ``version``;
    their figures are summed (method ``modelled``).
    """
    if not index.years:
        raise NotFound("this release has no APS unit-group × industry table")
    unit = len(code) == 4
    if not unit and not units:
        raise NotFound(f"{version.upper()} {code} has no unit group to sum")
    weights = soc2020_weights(version, code, dual) if unit else group_weights(version, units, dual)
    if not weights:
        raise NotFound(f"{version.upper()} {code} has no SOC 2020 unit group in the dual coding")
    method = "observed" if version == "soc2020" and unit else "modelled"
    years = []
    for year in index.years:
        combined = _combined(index, weights, year)
        if combined is None:
            continue
        shares = combined.shares
        suppressed = len(combined.short)
        total = sum(s.value for s in shares if s.value is not None)
        shown = [s for s in shares if s.value is not None][: top or len(shares)]
        hidden = [s for s in shares if s.value is None and s.status.startswith("suppressed")]
        entry: dict[str, Any] = {
            "year": year,
            "employment": {
                "value": round(total, 0),
                "status": "caution" if suppressed else "ok",
                "method": method,
                "note": (
                    f"sum of the published industry sections; {suppressed} section(s) with "
                    "cells suppressed by ONS count only their published cells: a lower bound"
                    if suppressed
                    else "sum of the industry sections ONS published"
                ),
            },
            "industries": [
                {
                    "section": s.section,
                    "name": s.name,
                    "value": s.value,
                    "status": s.status,
                    "method": method,
                    "share_percent": round(100 * s.value / total, 1)
                    if s.value is not None and total
                    else None,
                }
                for s in shown
            ],
            "suppressed": [{"section": s.section, "name": s.name} for s in hidden],
        }
        if not unit:
            entry["soc2020_groups_in_table"] = len(combined.present)
        years.append(entry)
    if not years:
        raise NotFound(f"{version.upper()} {code} is not in the APS unit-group × industry table")
    body: dict[str, Any] = {
        "source": SOURCE,
        "method": method,
        "soc2020_groups": [{"code": c, "weight": round(w, 4)} for c, w in weights],
        "years": years,
    }
    if not unit:
        body["unit_groups"] = list(units)
        body["note"] = (
            f"{version.upper()} {code} is not a unit group: its figures are lmi's sum of its "
            f"{len(units)} unit group(s) in the APS table (ONS publishes this table by unit "
            "group only)"
            + ("" if version == "soc2020" else ", each re-expressed through the ONS dual coding")
            + "; a section where any unit group is suppressed counts only the published cells "
            "and is labelled caution (a lower bound)."
        )
    return body


def section_number(section: str) -> int:
    """SIC 2007 section letter as LMI for All's integer breakdown ``code``: A = 1 … U = 21
    (the numbers ONS gives the sections in the APS table: "1 A", …, "19 S")."""
    return ord(section.upper()) - ord("A") + 1


#: SIC 2007 sections (ONS), by letter
SIC_SECTIONS = {
    "A": "Agriculture, forestry and fishing",
    "B": "Mining and quarrying",
    "C": "Manufacturing",
    "D": "Electricity, gas, steam and air conditioning supply",
    "E": "Water supply; sewerage, waste management and remediation activities",
    "F": "Construction",
    "G": "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    "H": "Transportation and storage",
    "I": "Accommodation and food service activities",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities",
    "M": "Professional, scientific and technical activities",
    "N": "Administrative and support service activities",
    "O": "Public administration and defence; compulsory social security",
    "P": "Education",
    "Q": "Human health and social work activities",
    "R": "Arts, entertainment and recreation",
    "S": "Other service activities",
    "T": "Activities of households as employers; undifferentiated goods- and "
    "services-producing activities of households for own use",
    "U": "Activities of extraterritorial organisations and bodies",
}


def compat_industry_breakdown(
    index: UnitIndustryIndex, soc2010: str, dual: Sequence[Mapping[str, Any]], years: list[int]
) -> tuple[dict[str, Any], str, str]:
    """LMI for All's breakdown shape from the APS table; (body, method, note).

    ``code`` is an integer (clients declare ``int Code``): the SIC 2007 section's place in
    the alphabet (A = 1 … U = 21), its letter in the additive ``section`` key. ``years`` are
    those asked; none of them in the table answers the shape with no years and a note.
    """
    chosen = [y for y in index.years if y in years]
    if not chosen:
        covered = f"{index.years[0]}–{index.years[-1]}" if index.years else "no years"
        note = (
            f"the APS unit-group × industry table covers {covered}: no figures for the years asked"
        )
        body = {
            "soc": int(soc2010),
            "breakdown": "industry",
            "note": note,
            "predictedEmployment": [],
        }
        return body, "none", note
    weights = soc2020_weights("soc2010", soc2010, dual)
    rows = []
    for year in chosen:
        combined = _combined(index, weights, year)
        shares = combined.shares if combined else []
        rows.append(
            {
                "year": year,
                "breakdown": [
                    {
                        "code": section_number(s.section),
                        "section": s.section,
                        "name": s.name,
                        "employment": round(s.value, 0),
                    }
                    for s in shares
                    if s.value is not None
                ],
            }
        )
    note = (
        f"Industry mix from {SOURCE}, not Working Futures (whose industry split does not go "
        "below SOC 2020 major groups); SOC 2010 re-expressed from SOC 2020 unit groups through "
        "the ONS dual coding (modelled); sections ONS suppressed are left out; code = the SIC "
        "2007 section's place in the alphabet (A = 1 … U = 21), section = its letter."
    )
    return (
        {"soc": int(soc2010), "breakdown": "industry", "note": note, "predictedEmployment": rows},
        "modelled",
        note,
    )
