"""UK SOC occupation profiles derived from O*NET, and their in-memory index for the API."""

from lmi.datasets.onet_profiles.build import PROFILE_METHOD
from lmi.datasets.onet_profiles.dataset import ONET_UK_PROFILES

__all__ = ["ONET_UK_PROFILES", "PROFILE_METHOD"]
