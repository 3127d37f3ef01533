"""HESA Graduate Outcomes: occupations (SOC) of graduates by subject (CAH), open-data table."""

from lmi.datasets.hesa_destinations.parse import HESA_DESTINATIONS

__all__ = ["HESA_DESTINATIONS"]
