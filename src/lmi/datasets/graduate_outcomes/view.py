"""The pathway index: graduate outcomes, HESA destinations and apprenticeship standards.

Built whatever the release holds: each part is filled only when its dataset was loaded.
"""

from __future__ import annotations

from lmi.datasets.base import View, ViewSource
from lmi.datasets.graduate_outcomes.index import PathwayIndex, load_pathway_index

__all__ = ["PATHWAYS"]

PARTS = ("graduate_outcomes", "hesa_destinations", "apprenticeships")


def _pathway_index(source: ViewSource) -> PathwayIndex:
    loaded = {name for name in PARTS if source.has(name)}
    return load_pathway_index(source.db, source.release_id, loaded)


PATHWAYS = View(None, "pathway index", _pathway_index)
