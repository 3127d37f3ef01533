"""Every dataset lmi knows, in load order. Importing this module registers their tables."""

from __future__ import annotations

from typing import Any

from lmi.datasets.apprenticeships import APPRENTICESHIPS
from lmi.datasets.aps import APS
from lmi.datasets.ashe import ASHE
from lmi.datasets.base import Dataset, View
from lmi.datasets.census import CENSUS_DISTANCE, CENSUS_OCCUPATION
from lmi.datasets.employer_skills_survey import EMPLOYER_SKILLS_SURVEY
from lmi.datasets.graduate_outcomes import GRADUATE_OUTCOMES
from lmi.datasets.hesa_destinations import HESA_DESTINATIONS
from lmi.datasets.isco import ISCO
from lmi.datasets.leo import LEO
from lmi.datasets.lfs_unemployment import LFS_UNEMPLOYMENT
from lmi.datasets.onet import ONET_OCCUPATIONS, ONET_UK_SOC
from lmi.datasets.onet_descriptors import ONET_DESCRIPTORS
from lmi.datasets.onet_profiles import ONET_UK_PROFILES
from lmi.datasets.onspd import ONSPD
from lmi.datasets.regions import REGIONS
from lmi.datasets.sic2007 import SIC2007
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.datasets.soc_crosswalks import SOC_CROSSWALKS
from lmi.datasets.subjects import SUBJECTS
from lmi.datasets.working_futures import WORKING_FUTURES

__all__ = ["DATASETS", "VIEWS", "dataset"]

DATASETS: tuple[Dataset, ...] = (
    SOC2010,
    SOC2020,
    SOC_CROSSWALKS,
    ISCO,
    ONET_OCCUPATIONS,
    ONET_UK_SOC,  # derived: needs soc_crosswalks, isco and onet_occupations of the same release
    SIC2007,
    REGIONS,
    SUBJECTS,
    *ONET_DESCRIPTORS,
    ONET_UK_PROFILES,  # derived: needs onet_uk_soc and the O*NET descriptors above
    ASHE,
    GRADUATE_OUTCOMES,  # needs subjects
    HESA_DESTINATIONS,  # needs subjects and both SOC versions
    APPRENTICESHIPS,  # needs both SOC versions
    EMPLOYER_SKILLS_SURVEY,
    LFS_UNEMPLOYMENT,
    CENSUS_OCCUPATION,
    CENSUS_DISTANCE,
    APS,
    WORKING_FUTURES,
    LEO,
    ONSPD,  # optional: postcode lookup of areas in the API
)

#: every dataset's query models, in load order (a snapshot builds those of the datasets loaded)
VIEWS: tuple[View[Any], ...] = tuple(view for d in DATASETS for view in d.views)


def dataset(name: str) -> Dataset:
    for candidate in DATASETS:
        if candidate.name == name:
            return candidate
    raise KeyError(name)
