"""ISCO-08 structure and the US BLS crosswalks ISCO-08 → US SOC 2010 → US SOC 2018."""

from lmi.datasets.isco.parse import ISCO

__all__ = ["ISCO"]
