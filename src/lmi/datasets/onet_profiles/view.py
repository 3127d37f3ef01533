"""The O*NET profiles on UK SOC this dataset serves.

Built whatever the release holds: an empty index answers "not loaded" itself.
"""

from __future__ import annotations

from lmi.datasets.base import View, ViewSource
from lmi.datasets.onet_profiles.index import ProfileIndex, load_profile_index

__all__ = ["PROFILES"]


def _profile_index(source: ViewSource) -> ProfileIndex:
    return load_profile_index(source.db, source.release_id)


PROFILES = View(None, "O*NET profiles on UK SOC", _profile_index)
