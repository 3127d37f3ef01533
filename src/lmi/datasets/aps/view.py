"""The APS employment index this dataset serves (areas × sub-major groups × years)."""

from __future__ import annotations

from lmi.datasets.aps.index import ApsIndex, load_aps_index
from lmi.datasets.base import View, ViewSource

__all__ = ["APS_INDEX"]


def _aps_index(source: ViewSource) -> ApsIndex:
    return load_aps_index(source.db, source.release_id)


APS_INDEX = View("aps", "employment by area", _aps_index)
