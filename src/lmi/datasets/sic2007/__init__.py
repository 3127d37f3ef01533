"""UK SIC 2007: sections, divisions, groups, classes and subclasses."""

from lmi.datasets.sic2007.parse import SIC2007

__all__ = ["SIC2007"]
