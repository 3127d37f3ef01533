"""Declarative, versioned disclosure-control policies, one per source.

A policy is data, not code: what counts as too few contributors, which coefficient-of-variation
(CV) bands apply, how figures are rounded, and what each symbol in the source files means. Every
served value records the policy (``name@version``) and the rule that decided its status.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "ASHE_WORKBOOK",
    "POLICIES",
    "SERVABLE",
    "SUPPRESSED",
    "CvBand",
    "Policy",
    "Status",
    "policy",
]

#: the states a served value can be in; suppressed and "not" states carry no number
Status = Literal[
    "ok",  # publishable
    "caution",  # publishable, low reliability (CV 10–20 %, or a small base)
    "suppressed_disclosure",  # withheld: would disclose (small count, differencing)
    "suppressed_quality",  # withheld: unreliable (CV > 20 %, ONS `x`)
    "not_applicable",  # the figure cannot exist (ONS `:`)
    "not_available",  # the figure exists but no source holds it
]
SERVABLE: frozenset[str] = frozenset({"ok", "caution"})
SUPPRESSED: frozenset[str] = frozenset({"suppressed_disclosure", "suppressed_quality"})


@dataclass(frozen=True)
class CvBand:
    """Values with ``CV <= upto`` (per cent) fall in this band."""

    upto: float
    band: str
    status: Status


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    description: str
    #: minimum count (in ``count_unit``) behind a figure; below it: suppressed_disclosure
    min_count: float | None = None
    count_unit: str = "records"
    #: counts at or above ``min_count`` but below this are served with status caution
    caution_count: float | None = None
    cv_bands: tuple[CvBand, ...] = ()
    #: rounding step per measure (e.g. ``{"count": 5, "earnings": 100}``)
    rounding: dict[str, float] = field(default_factory=dict)
    #: symbol in the source files → (status, meaning)
    symbols: dict[str, tuple[Status, str]] = field(default_factory=dict)
    #: additive statistics protected against differencing (totals minus components)
    additive: tuple[str, ...] = ()
    #: statuses of source cells protected against differencing: by default every suppressed
    #: one; a source whose unreliable cells are recoverable from its own published tables
    #: anyway protects only the disclosive ones
    protect: frozenset[str] = frozenset({"suppressed_disclosure", "suppressed_quality"})

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    def band(self, cv: float | None) -> CvBand | None:
        """The CV band of a value, or ``None`` when no CV was published."""
        if cv is None or math.isnan(cv):
            return None
        for band in self.cv_bands:
            if cv <= band.upto:
                return band
        return self.cv_bands[-1] if self.cv_bands else None

    def round(self, value: float, measure: str) -> float:
        step = self.rounding.get(measure)
        if not step:
            return value
        rounded = round(value / step) * step
        return round(rounded, _decimals(step))


def _decimals(step: float) -> int:
    text = f"{step:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


#: ONS key used in ASHE tables (precision by CV; `x` unreliable or unavailable; `..` disclosive)
ONS_CV_BANDS = (
    CvBand(5.0, "precise", "ok"),
    CvBand(10.0, "reasonably_precise", "ok"),
    CvBand(20.0, "use_with_caution", "caution"),
    CvBand(math.inf, "unreliable", "suppressed_quality"),
)

ASHE = Policy(
    name="ashe",
    version="1",
    description=(
        "ONS ASHE: CV bands as in the ONS table key (≤5 % precise, 5–10 % reasonably precise, "
        "10–20 % use with caution, >20 % suppressed). The files carry no CVs, so published "
        "figures are served with band 'not_published'. ONS symbols kept distinct. Figures we "
        "derive from job counts need at least 5 thousand jobs (caution below 10 thousand). Job "
        "counts and pay totals (mean × jobs) are protected against differencing."
    ),
    min_count=5,
    count_unit="thousand jobs",
    caution_count=10,
    cv_bands=ONS_CV_BANDS,
    rounding={"annual": 1, "weekly": 0.1, "hourly": 0.01, "hours": 0.1, "jobs": 1},
    symbols={
        "x": ("suppressed_quality", "ONS: unreliable (CV > 20 %) or unavailable"),
        "..": ("suppressed_disclosure", "ONS: disclosive"),
        ":": ("not_applicable", "ONS: not applicable"),
        "-": ("not_available", "ONS: nil or negligible"),
        "": ("not_available", "blank in the source file"),
    },
    additive=("jobs", "total"),
)

ASHE_2025P_EXTRACT = Policy(
    name="ashe-2025p-extract",
    version="1",
    description=(
        "ASHE 2025 provisional as extracted by a third party: ONS symbols (x, .., :, -) were "
        "all turned into empty cells, so an empty cell is treated as suppressed (quality)."
    ),
    cv_bands=ONS_CV_BANDS,
    rounding=ASHE.rounding,
    symbols={"": ("suppressed_quality", "empty in the extract: ONS suppressed (x/../:/-)")},
)

ASHE_WORKBOOK = Policy(
    name="ashe-workbook",
    version="1",
    description=(
        "ONS ASHE Table 14 workbooks with their CV companions: every figure carries the CV ONS "
        "published and its ONS band (≤5 % precise, 5–10 % reasonably precise, 10–20 % use with "
        "caution: served with status caution, >20 % unreliable: withheld as suppressed_quality "
        "even if a number were printed). Symbols: x unreliable, .. disclosive, : not "
        "applicable, - nil or negligible (no number served for any of them). No secondary "
        "suppression: lmi serves exactly the cells ONS published in these tables (all, "
        "full-time, part-time, male, female, percentage changes), so any difference of served "
        "figures is already a difference of ONS's own published figures; withholding "
        "published figures would protect nothing and lose most part-time and sex detail."
    ),
    protect=frozenset(),
    cv_bands=ONS_CV_BANDS,
    rounding=ASHE.rounding,
    symbols={
        "x": ("suppressed_quality", "ONS: unreliable (CV > 20 %) or unavailable"),
        "..": ("suppressed_disclosure", "ONS: disclosive"),
        ":": ("not_applicable", "ONS: not applicable"),
        "-": ("not_available", "ONS: nil or negligible"),
        "": ("not_available", "blank in the workbook"),
    },
    additive=ASHE.additive,
)

LEO = Policy(
    name="leo",
    version="1",
    description=(
        "DfE LEO (Explore Education Statistics): counts rounded to the nearest 5, earnings to "
        "the nearest £100, percentages to 0.1; `c` small numbers, `z` not applicable."
    ),
    min_count=5,
    count_unit="people",
    rounding={"count": 5, "earnings": 100, "percent": 0.1},
    symbols={
        "c": ("suppressed_disclosure", "DfE: small numbers"),
        "z": ("not_applicable", "DfE: not applicable"),
        "x": ("not_available", "DfE: not available"),
    },
    additive=("count",),
)

APS = Policy(
    name="aps",
    version="1",
    description=(
        "ONS APS/LFS (Nomis flags): sample 0–2 disclosive, 3–9 unreliable (caution); weighted "
        "estimates below 10,000 are not shown as reliable."
    ),
    min_count=3,
    count_unit="sample records",
    caution_count=10,
    symbols={
        "!": ("suppressed_disclosure", "Nomis: sample 0–2"),
        "*": ("caution", "Nomis: sample 3–9"),
        "~": ("caution", "Nomis: estimate under 500"),
    },
    additive=("count",),
)

APS_USER_REQUESTED = Policy(
    name="aps-user-requested",
    version="1",
    description=(
        "ONS user-requested APS tables (employment by 4-digit SOC 2020 × industry section): "
        "'*' sample too small for a reliable estimate → suppressed_quality; '-' no figures to "
        "report → not_available. Neither ever becomes a number, and a unit group's level "
        "(the sum of its sections) counts published cells only: a lower bound, flagged "
        "caution, where cells are suppressed."
    ),
    count_unit="people",
    symbols={
        "*": ("suppressed_quality", "ONS: sample too small for a reliable estimate"),
        "-": ("not_available", "ONS: no figures to report"),
        "": ("not_available", "blank in the table"),
    },
    additive=("count",),
)

POLICIES: dict[str, Policy] = {
    p.name: p for p in (ASHE, ASHE_WORKBOOK, ASHE_2025P_EXTRACT, LEO, APS, APS_USER_REQUESTED)
}


def policy(name: str) -> Policy:
    return POLICIES[name]
