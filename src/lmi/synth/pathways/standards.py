"""Synthetic apprenticeship standards: labelled stand-ins until IfATE's export is loaded.

Made deterministically from real inputs by a stated rule, and invented in every other respect:

* one standard per SOC 2020 unit group whose ONS "typical entry routes" mention
  apprenticeships; its reference is ``SYN`` + the unit group (``SYN5241``: never an IfATE
  reference), its title the unit group's title + " (synthetic standard)";
* **level**: the highest apprenticeship level (2–7) the entry routes name ("at levels 2 and
  3"), else by SOC major group (:data:`LEVEL_BY_MAJOR`);
* **route**: one of IfATE's 15 routes by SOC 2020 sub-major group, with a few minor-group
  exceptions (:data:`ROUTE_BY_SUB_MAJOR`, :data:`ROUTE_BY_MINOR`);
* **typical duration**: invented from the level (:data:`DURATION_BY_LEVEL`);
* **SOC 2010**: the SOC 2010 unit group most of the unit group's dual-coded records come from,
  when given.

Every standard says ``method: synthetic``; none describes a real apprenticeship.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lmi.synth.pathways.links import Occupation

__all__ = [
    "DURATION_BY_LEVEL",
    "LEVEL_BY_MAJOR",
    "ROUTE_BY_MINOR",
    "ROUTE_BY_SUB_MAJOR",
    "SYNTHETIC_PREFIX",
    "SyntheticStandard",
    "synthetic_standards",
]

SYNTHETIC_PREFIX = "SYN"
STATUS = "synthetic stand-in (not an IfATE standard)"
LEVEL_BY_MAJOR = {"1": 5, "2": 6, "3": 4, "4": 3, "5": 3, "6": 3, "7": 2, "8": 2, "9": 2}
DURATION_BY_LEVEL = {2: 12, 3: 18, 4: 24, 5: 24, 6: 36, 7: 24}
ROUTE_BY_SUB_MAJOR = {
    "11": "Business and administration",
    "12": "Business and administration",
    "21": "Engineering and manufacturing",
    "22": "Health and science",
    "23": "Education and early years",
    "24": "Legal, finance and accounting",
    "31": "Engineering and manufacturing",
    "32": "Health and science",
    "33": "Protective services",
    "34": "Creative and design",
    "35": "Business and administration",
    "41": "Business and administration",
    "42": "Business and administration",
    "51": "Agriculture, environmental and animal care",
    "52": "Engineering and manufacturing",
    "53": "Construction and the built environment",
    "54": "Engineering and manufacturing",
    "61": "Care services",
    "62": "Catering and hospitality",
    "63": "Protective services",
    "71": "Sales, marketing and procurement",
    "72": "Sales, marketing and procurement",
    "81": "Engineering and manufacturing",
    "82": "Transport and logistics",
    "91": "Construction and the built environment",
    "92": "Transport and logistics",
}
ROUTE_BY_MINOR = {
    "211": "Health and science",
    "213": "Digital",
    "247": "Creative and design",
    "313": "Digital",
    "543": "Catering and hospitality",
    "612": "Education and early years",
    "622": "Hair and beauty",
}
_APPRENTICE = re.compile(r"apprentice", re.IGNORECASE)
_LEVELS = re.compile(r"levels?\s+((?:[2-7](?:\s*(?:,|and|to|or|-|–)\s*)?)+)", re.IGNORECASE)


@dataclass(frozen=True)
class SyntheticStandard:
    reference: str
    title: str
    level: int
    route: str
    status: str
    typical_duration_months: int
    soc2020: tuple[str, ...]
    soc2010: tuple[str, ...]
    job_titles: tuple[str, ...]
    level_rule: str  # "entry routes" | "major group"


def synthetic_standards(
    occupations: Iterable[Occupation], soc2010_of: Mapping[str, str] | None = None
) -> list[SyntheticStandard]:
    """The stand-in standards of SOC 2020 unit groups with an apprenticeship entry route."""
    found = []
    for o in sorted(occupations, key=lambda o: o.code):
        if len(o.code) != 4 or not _APPRENTICE.search(o.entry_routes):
            continue
        named = [
            int(d)
            for m in _LEVELS.finditer(o.entry_routes)
            for d in re.findall(r"[2-7]", m.group(1))
        ]
        level = max(named) if named else LEVEL_BY_MAJOR.get(o.major, 3)
        route = ROUTE_BY_MINOR.get(o.code[:3]) or ROUTE_BY_SUB_MAJOR.get(
            o.code[:2], "Business and administration"
        )
        main2010 = (soc2010_of or {}).get(o.code)
        found.append(
            SyntheticStandard(
                reference=f"{SYNTHETIC_PREFIX}{o.code}",
                title=f"{o.title} (synthetic standard)",
                level=level,
                route=route,
                status=STATUS,
                typical_duration_months=DURATION_BY_LEVEL[level],
                soc2020=(o.code,),
                soc2010=(main2010,) if main2010 else (),
                job_titles=tuple(o.related_titles[:3]),
                level_rule="entry routes" if named else "major group",
            )
        )
    return found
