"""UK regions: ITL1 with LMI for All's region codes, and ITL2/ITL3 areas."""

from lmi.datasets.regions.parse import REGIONS

__all__ = ["REGIONS"]
