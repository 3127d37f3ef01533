"""The onet_uk_profiles dataset: its loader (``build``), tables, and the view it serves."""

from __future__ import annotations

from lmi.datasets.base import Dataset
from lmi.datasets.onet.parse import ONET_LICENCE
from lmi.datasets.onet_profiles.build import ABOUT, load_profiles
from lmi.datasets.onet_profiles.tables import (
    onet_uk_coverage,
    onet_uk_elements,
    onet_uk_preparation,
    onet_uk_tasks,
    onet_uk_technology,
)
from lmi.datasets.onet_profiles.view import PROFILES

__all__ = ["ONET_UK_PROFILES"]

ONET_UK_PROFILES = Dataset(
    name="onet_uk_profiles",
    title="UK SOC 2010/2020 occupation profiles derived by lmi from O*NET 29.0 (skills, "
    "knowledge, interests, work styles and values, job zones, education, technology, tasks) "
    "weighted by the O*NET → UK SOC mapping",
    publisher="lmi (derived from O*NET data and ONS/BLS crosswalks)",
    licence=f"Derived from O*NET ({ONET_LICENCE}) and the crosswalks of onet_uk_soc",
    files=(),
    tables=(
        onet_uk_elements,
        onet_uk_coverage,
        onet_uk_preparation,
        onet_uk_technology,
        onet_uk_tasks,
    ),
    views=(PROFILES,),
    load=load_profiles,
    depends_on=("onet_uk_soc",),
    about=ABOUT,
)
