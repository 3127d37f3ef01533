"""Job-title search over the SOC titles, related titles and coding indexes."""

from lmi.search.simple import TitleSearch

__all__ = ["TitleSearch"]
