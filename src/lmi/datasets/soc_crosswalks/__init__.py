"""UK SOC crosswalks: SOC 2010 → SOC 2020 (ONS dual coding, coding index) and SOC → ISCO-08."""

from lmi.datasets.soc_crosswalks.parse import SOC_CROSSWALKS

__all__ = ["SOC_CROSSWALKS"]
