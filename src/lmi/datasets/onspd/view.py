"""The postcode index this dataset serves (postcodes themselves are read one at a time)."""

from __future__ import annotations

from lmi.datasets.base import View, ViewSource
from lmi.datasets.onspd.index import PostcodeIndex, load_postcode_index

__all__ = ["POSTCODES"]


def _postcode_index(source: ViewSource) -> PostcodeIndex:
    return load_postcode_index(source.db, source.release_id)


POSTCODES = View("onspd", "postcode index", _postcode_index, storable=False)
