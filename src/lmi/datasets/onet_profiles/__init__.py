"""UK SOC occupation profiles derived from O*NET, and their in-memory index for the API."""

from lmi.datasets.onet_profiles.build import ONET_UK_PROFILES, PROFILE_METHOD

__all__ = ["ONET_UK_PROFILES", "PROFILE_METHOD"]
