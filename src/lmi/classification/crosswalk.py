"""Re-expressing SOC 2010 codes in SOC 2020 and back, with ONS dual-coding proportions.

ONS dual-coded LFS and Census 2011 records to both classifications and published, for each
SOC 2010 unit group X and sex, the sample size (base) and the proportion going to each SOC 2020
unit group Y. From those:

* **forward** (SOC 2010 → SOC 2020, method ``observed``): the published proportions, combined
  across sexes by their sample bases: ``w(X→Y) = Σ_sex base(X, sex) · p(X→Y, sex)``, then
  divided by ``Σ_Y w(X→Y)`` so the listed destinations sum to 1 (the published census
  proportions sum to 0.95–1.00 because ONS omitted small residual categories; ``coverage``
  reports that sum).
* **reverse** (SOC 2020 → SOC 2010, method ``modelled``): the share of Y's dual-coded records
  that came from each X, ``w(X→Y) / Σ_X w(X→Y)``, i.e. sample counts stand in for employment.

The ``index`` basis uses counts of SOC 2020 coding-index job titles per (X, Y) pair instead:
job-title weights, not employment weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "BASES",
    "SEXES",
    "Basis",
    "Sex",
    "Share",
    "dual_coding_weights",
    "normalise",
    "index_weights",
]

Basis = Literal["census", "lfs", "index"]
Sex = Literal["all", "men", "women"]
BASES: tuple[Basis, ...] = ("census", "lfs", "index")
SEXES: tuple[Sex, ...] = ("all", "men", "women")


@dataclass(frozen=True)
class Share:
    code: str
    proportion: float
    weight: float


def dual_coding_weights(
    rows: Iterable[Mapping[str, Any]], *, key: str, basis: Basis, sex: Sex
) -> dict[str, float]:
    """Sample-weighted counts ``w(X→Y)`` per ``row[key]`` from dual-coding rows."""
    sexes = ("men", "women") if sex == "all" else (sex,)
    weights: dict[str, float] = {}
    for row in rows:
        total = 0.0
        for s in sexes:
            base = row.get(f"{s}_{basis}_base")
            prop = row.get(f"{s}_{basis}_prop")
            if base is not None and prop is not None:
                total += float(base) * float(prop)
        weights[row[key]] = weights.get(row[key], 0.0) + total
    return weights


def index_weights(rows: Iterable[Mapping[str, Any]], *, key: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for row in rows:
        weights[row[key]] = weights.get(row[key], 0.0) + float(row["n_entries"])
    return weights


def normalise(weights: Mapping[str, float]) -> list[Share]:
    """Weights → proportions summing to 1, largest first; zero weights dropped."""
    total = sum(weights.values())
    if total <= 0:
        return []
    shares = [Share(code, w / total, w) for code, w in weights.items() if w > 0]
    return sorted(shares, key=lambda s: (-s.proportion, s.code))
