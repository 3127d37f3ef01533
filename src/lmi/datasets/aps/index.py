"""APS employment of all people (all working patterns) by area, read once per snapshot.

Only what area shares need is kept — a compact ``{(area_type, area): Area}`` — rather than every
cell of ``aps_employment`` (about 80,000 rows) in each worker's memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import sqlalchemy as sa

from lmi.datasets.aps.tables import aps_employment
from lmi.store.database import Database

__all__ = [
    "ENGLAND",
    "ApsIndex",
    "Area",
    "IndustryShare",
    "UnitIndustryIndex",
    "load_aps_index",
    "load_unit_industry_index",
]

ENGLAND = ("country", "England")


@dataclass
class Area:
    area_type: str
    code: str
    name: str
    #: year → SOC 2010 sub-major → (people or None, SDC status)
    cells: dict[int, dict[str, tuple[float | None, str]]] = field(default_factory=dict)


@dataclass
class ApsIndex:
    areas: dict[tuple[str, str], Area] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        england = self.areas.get(ENGLAND)
        return sorted(england.cells) if england else []

    def of_type(self, area_type: str) -> list[Area]:
        return [a for (kind, _), a in sorted(self.areas.items()) if kind == area_type]


def load_aps_index(db: Database, release_id: int) -> ApsIndex:
    t = aps_employment.c
    statement = sa.select(
        t.area_type, t.area, t.area_name, t.year, t.soc2010, t.value, t.status
    ).where(t.release_id == release_id, t.sex == "all", t.pattern == "all")
    index = ApsIndex()
    with db.engine.connect() as conn:
        for area_type, code, name, year, soc2010, value, status in conn.execute(statement):
            key = (str(area_type), str(code))
            area = index.areas.get(key)
            if area is None:
                area = index.areas[key] = Area(key[0], key[1], str(name))
            area.cells.setdefault(int(year), {})[str(soc2010)] = (
                None if value is None else float(value),
                str(status),
            )
    return index


@dataclass(frozen=True)
class IndustryShare:
    section: str
    name: str
    value: float | None  # people; None when ONS suppressed it or reported none
    status: str


@dataclass
class UnitIndustryIndex:
    """APS employment by SOC 2020 unit group × industry section, UK (ONS user-requested)."""

    #: (unit group, year) → section → share
    cells: dict[tuple[str, int], dict[str, IndustryShare]] = field(default_factory=dict)

    @cached_property
    def years(self) -> list[int]:
        """The years with cells (worked out on first use: the index is complete by then)."""
        return sorted({year for _, year in self.cells})

    def level(self, soc2020: str, year: int) -> tuple[float, int] | None:
        """(people in employment summed over the published sections, sections suppressed):
        with suppressed sections the sum is a lower bound, never filled in."""
        found = self.cells.get((soc2020, year))
        if found is None:
            return None
        total = sum(s.value for s in found.values() if s.value is not None)
        suppressed = sum(1 for s in found.values() if s.status.startswith("suppressed"))
        return total, suppressed

    def industries(self, soc2020: str, year: int) -> list[IndustryShare]:
        """Every section, largest published first; suppressed ones after, with no number."""
        found = self.cells.get((soc2020, year), {})
        return sorted(found.values(), key=lambda s: (s.value is None, -(s.value or 0.0), s.section))


def load_unit_industry_index(db: Database, release_id: int) -> UnitIndustryIndex:
    from lmi.datasets.aps.industry import aps_unit_industry

    t = aps_unit_industry.c
    statement = sa.select(t.soc2020, t.year, t.section, t.section_name, t.value, t.status).where(
        t.release_id == release_id
    )
    index = UnitIndustryIndex()
    with db.engine.connect() as conn:
        for code, year, section, name, value, status in conn.execute(statement):
            index.cells.setdefault((str(code), int(year)), {})[str(section)] = IndustryShare(
                str(section), str(name), None if value is None else float(value), str(status)
            )
    return index
