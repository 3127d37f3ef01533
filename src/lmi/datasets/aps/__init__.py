"""ONS Annual Population Survey T09a: employment by SOC 2010 sub-major group and area."""

from lmi.datasets.aps.parse import APS

__all__ = ["APS"]
