"""Every dataset lmi knows, in load order. Importing this module registers their tables."""

from __future__ import annotations

from lmi.datasets.base import Dataset
from lmi.datasets.soc import SOC2010, SOC2020

__all__ = ["DATASETS", "dataset"]

DATASETS: tuple[Dataset, ...] = (SOC2010, SOC2020)


def dataset(name: str) -> Dataset:
    for candidate in DATASETS:
        if candidate.name == name:
            return candidate
    raise KeyError(name)
