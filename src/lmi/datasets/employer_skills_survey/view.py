"""The Employer Skills Survey as the API reads it: each area's figures by occupation."""

from __future__ import annotations

from dataclasses import dataclass, field

from lmi.datasets.base import View, ViewSource
from lmi.datasets.employer_skills_survey.quality import Figures, figures

__all__ = ["ESS", "EssArea", "EssIndex"]


@dataclass
class EssArea:
    kind: str
    code: str
    name: str
    method: str  # observed | modelled
    source: str
    figures: dict[str, Figures] = field(default_factory=dict)


@dataclass
class EssIndex:
    areas: dict[str, EssArea] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[EssArea]:
        return [a for a in self.areas.values() if a.kind == kind]


def _ess_index(source: ViewSource) -> EssIndex:
    found = EssIndex()
    for row in source.rows("ess_occupations"):
        area = found.areas.get(row["area"])
        if area is None:
            area = found.areas[row["area"]] = EssArea(
                row["area_type"], row["area"], row["area_name"], row["method"], row["source"]
            )
        area.figures[row["occupation"]] = figures(row)
    return found


#: vacancies, hard-to-fill and skill-shortage vacancies by area and occupation
ESS = View("employer_skills_survey", "figures by area and occupation", _ess_index)
