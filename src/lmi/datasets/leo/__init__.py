"""DfE LEO (Longitudinal Education Outcomes): graduate earnings by subject, sex and YAG."""

from lmi.datasets.leo.parse import LEO

__all__ = ["LEO"]
