"""ONS Standard Occupational Classification 2010 and 2020: structure, Volume 1, coding index."""

from lmi.datasets.soc.parse import SOC2010, SOC2020

__all__ = ["SOC2010", "SOC2020"]
