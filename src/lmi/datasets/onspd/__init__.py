"""ONS Postcode Directory (ONSPD) or National Statistics Postcode Lookup: postcode → areas."""

from lmi.datasets.onspd.parse import ONSPD

__all__ = ["ONSPD"]
