"""Census 2021 topic tables as the API reads them: each area's counts, and areas by name."""

from __future__ import annotations

from dataclasses import dataclass, field

from lmi.classification.areas import normalise_name
from lmi.datasets.base import View, ViewSource

__all__ = ["DISTANCE_AREAS", "OCCUPATION_AREAS", "CensusArea", "CensusIndex"]


@dataclass
class CensusArea:
    code: str
    name: str
    geography: str
    values: dict[str, int] = field(default_factory=dict)


@dataclass
class CensusIndex:
    areas: dict[str, CensusArea] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)


def _census_index(table: str) -> View[CensusIndex]:
    def build(source: ViewSource) -> CensusIndex:
        found = CensusIndex()
        for row in source.rows(table):
            area = found.areas.get(row["area"])
            if area is None:
                area = found.areas[row["area"]] = CensusArea(
                    row["area"], row["area_name"], row["geography"]
                )
                found.names.setdefault(normalise_name(row["area_name"]), []).append(row["area"])
            area.values[row["category"]] = int(row["value"])
        return found

    return View(table, "areas and their counts", build)


#: TS063 occupation of residents, by area (the dataset and its table share the name)
OCCUPATION_AREAS = _census_index("census_occupation")
#: TS058 distance travelled to work, by area
DISTANCE_AREAS = _census_index("census_distance")
