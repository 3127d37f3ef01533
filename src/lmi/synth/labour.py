"""Labelled synthetic stand-ins for labour-market tables that have no real file yet.

Until ONS files are put in the source directory, lmi serves these, always with method
``synthetic`` and a source naming this module and its seed:

* LFS unemployment rate by previous occupation (SOC major group), year, sex, age band and
  region: a plausible level per major group (higher for elementary, sales and process
  occupations, lower for managers and professionals) × year × region × sex × age-band
  factors × a small per-cell variation. A unit group gets its major group's rate × a factor of
  its own (0.8–1.2).
* Census 2021-style area summaries: residents in employment by SOC 2020 major group (TS063)
  and by distance travelled to work (TS058), per area: England-like shares varied per area.

Every figure comes from a fixed seed and the cell's key (``random.Random(str)`` is stable
across runs and platforms), so the same request always gets the same answer. None of these
numbers is an estimate of anything real.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

__all__ = [
    "AGE_BANDS",
    "CENSUS_SOURCE",
    "LFS_SOURCE",
    "LFS_YEARS",
    "SEED",
    "area_distance",
    "area_occupations",
    "unemployment_rate",
]

SEED = "lmi-labour-standins-1"
LFS_SOURCE = (
    f"SYNTHETIC stand-in (lmi.synth.labour, seed {SEED!r}): no ONS unemployment-by-previous-"
    "occupation file is loaded; figures are invented, shaped by SOC major group"
)
CENSUS_SOURCE = (
    f"SYNTHETIC stand-in (lmi.synth.labour, seed {SEED!r}): no Census 2021 file is loaded for "
    "this area; figures are invented"
)

LFS_YEARS = tuple(range(2015, 2025))
#: age band code (LMI for All ``ageband``) → (description "A to B", factor)
AGE_BANDS: dict[int, tuple[str, float]] = {
    2: ("16 to 24", 2.6),
    3: ("25 to 34", 1.1),
    4: ("35 to 49", 0.8),
    5: ("50 to 64", 0.8),
    6: ("65 to 99", 0.7),
}
#: SOC major group → unemployment rate (%) in a middling year
_MAJOR_RATE = {
    "1": 2.0,
    "2": 1.9,
    "3": 2.8,
    "4": 3.4,
    "5": 3.6,
    "6": 4.3,
    "7": 6.4,
    "8": 5.1,
    "9": 7.2,
}
_YEAR = {
    2015: 1.3,
    2016: 1.2,
    2017: 1.08,
    2018: 1.0,
    2019: 0.95,
    2020: 1.12,
    2021: 1.1,
    2022: 0.9,
    2023: 0.94,
    2024: 1.0,
}
#: LMI for All region code (1 London … 12 Northern Ireland) → factor
_REGION = {
    1: 1.2,
    2: 0.82,
    3: 0.86,
    4: 0.8,
    5: 1.15,
    6: 1.0,
    7: 1.08,
    8: 1.03,
    9: 1.28,
    10: 1.0,
    11: 0.97,
    12: 0.8,
}
_SEX = {"all": 1.0, "male": 1.06, "female": 0.93}


def _rng(*key: object) -> random.Random:
    return random.Random("|".join((SEED, *map(str, key))))


def unemployment_rate(
    code: str,
    year: int,
    *,
    sex: str = "all",
    age_band: int | None = None,
    region: int | None = None,
) -> float:
    """The synthetic rate (%) for a SOC code (1–4 digits; its first digit is the major group)."""
    rate = _MAJOR_RATE[code[0]] * _YEAR[year] * _SEX[sex]
    if len(code) > 1:
        rate *= _rng("unit", code).uniform(0.8, 1.2)
    if age_band is not None:
        rate *= AGE_BANDS[age_band][1]
    if region is not None:
        rate *= _REGION[region]
    rate *= _rng("cell", code, year, sex, age_band, region).uniform(0.93, 1.07)
    return round(min(rate, 60.0), 1)


#: England-like shares of residents in employment (Census 2021 shape), by SOC 2020 major group
_OCCUPATION_SHARES = {
    "1": 0.129,
    "2": 0.201,
    "3": 0.134,
    "4": 0.093,
    "5": 0.102,
    "6": 0.093,
    "7": 0.075,
    "8": 0.069,
    "9": 0.104,
}
#: England-like shares by distance travelled to work (TS058 categories)
_DISTANCE_SHARES = {
    "lt2": 0.12,
    "2-5": 0.13,
    "5-10": 0.12,
    "10-20": 0.11,
    "20-30": 0.04,
    "30-40": 0.02,
    "40-60": 0.02,
    "60+": 0.03,
    "home": 0.31,
    "other": 0.10,
}
#: residents aged 16+ in employment, by kind of area: (low, high)
_SIZE = {
    "country": (26_000_000, 26_000_000),
    "region": (1_200_000, 4_600_000),
    "lep": (300_000, 3_000_000),
    "la": (40_000, 600_000),
}


def _split(total: int, shares: Mapping[str, float], rng: random.Random) -> dict[str, int]:
    varied = {k: v * rng.uniform(0.75, 1.25) for k, v in shares.items()}
    scale = sum(varied.values())
    counts = {k: int(round(total * v / scale)) for k, v in varied.items()}
    first = next(iter(counts))
    counts[first] += total - sum(counts.values())  # categories add up to the total
    return counts


def _total(area: str, kind: str) -> int:
    low, high = _SIZE.get(kind, _SIZE["la"])
    return int(round(_rng("size", area).uniform(low, high), -2))


def area_occupations(area: str, kind: str) -> tuple[int, dict[str, int]]:
    """Synthetic residents in employment of an area: total and counts by major group 1–9."""
    total = _total(area, kind)
    return total, _split(total, _OCCUPATION_SHARES, _rng("ts063", area))


def area_distance(area: str, kind: str) -> tuple[int, dict[str, int]]:
    """Synthetic residents in employment of an area by distance travelled to work."""
    total = _total(area, kind)
    return total, _split(total, _DISTANCE_SHARES, _rng("ts058", area))
