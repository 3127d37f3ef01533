"""Placing an advert: its postcode through the release's postcode directory when loaded, else
its place names against the areas lmi knows (local authorities, regions, England).

Adverts name places loosely ("Leeds, West Yorkshire", "Central London", "Remote"): the parts of
the location text are tried finest first and the first local authority wins; a region found on
the way is kept when no local authority is. Answers are remembered per location text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lmi.classification.areas import ENGLAND, Area, by_code, find_areas
from lmi.datasets.onspd.index import PostcodeIndex, normalise_postcode

__all__ = ["Placed", "Placer"]

#: a full postcode inside free text ("Leeds LS1 4DY")
POSTCODE_IN_TEXT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2})\b", re.IGNORECASE)
_PARTS = re.compile(r"[,/;|()]| - ")
_PREFIX = re.compile(r"^(central|greater|north|south|east|west|city of)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Placed:
    kind: str | None  # la | region | country | None (not placed)
    code: str | None
    region: str | None
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None


NOWHERE = Placed(None, None, None)


class Placer:
    def __init__(self, postcodes: PostcodeIndex | None = None) -> None:
        self.postcodes = postcodes
        self._by_text: dict[str, Placed] = {}

    def place(self, location: str | None, postcode: str | None) -> Placed:
        found = self._postcode(postcode, location)
        if found is not None:
            return found
        if not location:
            return NOWHERE
        known = self._by_text.get(location)
        if known is None:
            known = self._by_text[location] = _from_names(location)
            if len(self._by_text) > 100_000:
                self._by_text.clear()
        return known

    def _postcode(self, postcode: str | None, location: str | None) -> Placed | None:
        if self.postcodes is None:
            return None
        text = postcode or ""
        if not text and location:
            match = POSTCODE_IN_TEXT.search(location)
            text = match.group(1) if match else ""
        compact = normalise_postcode(text) if text else None
        if compact is None:
            return None
        located = self.postcodes.find(compact)
        if located is None:
            return None
        region = by_code(located.region.code) if located.region else None
        region_code = region.code if region is not None and region.kind == "region" else None
        area: Area | None = None
        upper = located.upper_tier
        if upper is not None and upper.name:
            matches = find_areas(upper.name, ("la",))
            area = matches[0] if matches else None
        if area is None and region_code is not None:
            area = region
        kind, code = (area.kind, area.code) if area is not None else (None, None)
        return Placed(
            kind, code, region_code, located.postcode, located.latitude, located.longitude
        )


def _from_names(location: str) -> Placed:
    region: Area | None = None
    england = False
    for part in _PARTS.split(location):
        name = part.strip()
        if not name:
            continue
        for candidate in (name, _PREFIX.sub("", name)):
            for area in find_areas(candidate, ("la", "region", "country")):
                if area.kind == "la":
                    return Placed("la", area.code, area.region)
                if area.kind == "region" and region is None:
                    region = area
                if area.code == ENGLAND.code:
                    england = True
    if region is not None:
        return Placed("region", region.code, region.code)
    if england:
        return Placed("country", ENGLAND.code, None)
    return NOWHERE
