"""ONS Census 2021 area summaries: occupation (TS063) and distance travelled to work (TS058)."""

from lmi.datasets.census.parse import CENSUS_DISTANCE, CENSUS_OCCUPATION

__all__ = ["CENSUS_DISTANCE", "CENSUS_OCCUPATION"]
