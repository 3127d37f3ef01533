"""Postcode lookups against one release's ``onspd_postcodes``, one postcode at a time.

The directory has about 1.8 million rows: it is not read into each worker's memory. A
:class:`PostcodeIndex` holds the few hundred area names and asks the store for a postcode when
one is looked up (a primary-key read), remembering the last few thousand answers. The nearest
postcode to a point is found through the lat,lng index (``tables.POSITION_INDEX``), in thin latitude
bands rather than over every postcode (``bench/onspd_nearest.py``).
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import sqlalchemy as sa

from lmi.datasets.onspd.formats import POSTCODE
from lmi.datasets.onspd.tables import onspd_areas, onspd_coverage, onspd_postcodes
from lmi.errors import StoreError
from lmi.store.database import Database

__all__ = [
    "Located",
    "Place",
    "PostcodeIndex",
    "format_postcode",
    "load_postcode_index",
    "normalise_postcode",
    "postcode_area",
]

#: answers remembered per index (postcodes asked again are not read again)
REMEMBERED = 4096
#: half-side of the box searched for the nearest postcode (degrees of latitude, ~55 km)
NEAREST_DEGREES = 0.5
#: half-sides of the boxes searched in turn (~1 km, 4.4 km, 18 km, then the widest)
SEARCH_STEPS = (0.01, 0.04, 0.16, NEAREST_DEGREES)
_POSTCODE = re.compile(POSTCODE)


def normalise_postcode(text: str) -> str | None:
    """``"sw1a 1aa"`` → ``"SW1A1AA"``; ``None`` when ``text`` is not a full UK postcode."""
    compact = re.sub(r"\s+", "", text).upper()
    return compact if _POSTCODE.fullmatch(compact) else None


def format_postcode(compact: str) -> str:
    """``"SW1A1AA"`` → ``"SW1A 1AA"`` (the inward code is always the last three)."""
    return f"{compact[:-3]} {compact[-3:]}"


@dataclass(frozen=True, slots=True)
class Place:
    """One area a postcode lies in: its GSS code and, when a names file gave it, its name."""

    code: str
    name: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "name": self.name}


@dataclass(frozen=True, slots=True)
class Located:
    """Where a live postcode is, as the directory says."""

    postcode: str  # "SW1A 1AA"
    country: Place | None
    region: Place | None
    county: Place | None
    district: Place | None
    leps: tuple[Place, ...]
    latitude: float | None
    longitude: float | None

    @property
    def upper_tier(self) -> Place | None:
        """The upper-tier local authority: the county of a two-tier area, else the district
        (a unitary authority, metropolitan district or London borough)."""
        return self.county or self.district


class PostcodeIndex:
    """Postcode lookups in one release (thread-safe; answers remembered)."""

    def __init__(
        self,
        db: Database,
        release_id: int,
        names: dict[str, str],
        areas: frozenset[str] | None = None,
    ) -> None:
        self.db = db
        self.release_id = release_id
        self.names = names
        #: postcode areas loaded (from the per-area split); None: the whole UK file
        self.areas = areas
        self._remembered: OrderedDict[str, Located | None] = OrderedDict()
        self._lock = threading.Lock()

    def place(self, code: str | None) -> Place | None:
        return Place(code, self.names.get(code)) if code else None

    def find(self, compact: str) -> Located | None:
        """The live postcode ``compact`` (``SW1A1AA``), or ``None`` when the directory lacks it."""
        with self._lock:
            if compact in self._remembered:
                self._remembered.move_to_end(compact)
                return self._remembered[compact]
        found = self._read(compact)
        with self._lock:
            self._remembered[compact] = found
            while len(self._remembered) > REMEMBERED:
                self._remembered.popitem(last=False)
        return found

    def missing_area(self, compact: str) -> str | None:
        """The postcode area of ``compact`` when this release did not load that area."""
        if self.areas is None:
            return None
        area = postcode_area(compact)
        return None if area in self.areas else area

    def nearest(self, latitude: float, longitude: float) -> str | None:
        """The live postcode whose centroid is nearest (``SW1A1AA``), or None beyond ~50 km.

        Distances are equirectangular (exact enough at postcode spacing). The search walks
        the lat,lng index (``tables.POSITION_INDEX``) in boxes growing from ~1 km: the nearest
        postcode in a box of half-side ``h`` is the nearest of all when it lies within ``h``
        (everything outside the box is farther than ``h``), so a town answers from the
        first, thin latitude band and only open country reads wider ones. The answer is the
        same as one search of the widest box (ties broken by postcode).
        """
        scale = max(math.cos(math.radians(latitude)), 0.1)
        try:
            with self.db.engine.connect() as conn:
                for half in SEARCH_STEPS:
                    found = conn.execute(self._nearest_in(latitude, longitude, scale, half))
                    row = found.first()
                    if row is not None and (row[1] <= half * half or half >= NEAREST_DEGREES):
                        return str(row[0])
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot look up the nearest postcode: {exc.orig}") from exc
        return None

    def _nearest_in(
        self, latitude: float, longitude: float, scale: float, half: float
    ) -> sa.Select[str, float]:
        """The nearest postcode in the box of half-side ``half`` (degrees of latitude)."""
        t = onspd_postcodes.c
        distance = (t.latitude - latitude) * (t.latitude - latitude) + (
            (t.longitude - longitude) * scale
        ) * ((t.longitude - longitude) * scale)
        return (
            sa.select(t.postcode, distance.label("distance"))
            .where(
                t.release_id == self.release_id,
                t.latitude.between(latitude - half, latitude + half),
                t.longitude.between(longitude - half / scale, longitude + half / scale),
            )
            .order_by(distance, t.postcode)
            .limit(1)
        )

    def _read(self, compact: str) -> Located | None:
        t = onspd_postcodes.c
        statement = sa.select(
            t.country, t.region, t.county, t.district, t.lep1, t.lep2, t.latitude, t.longitude
        ).where(t.release_id == self.release_id, t.postcode == compact)
        try:
            with self.db.engine.connect() as conn:
                row = conn.execute(statement).first()
        except sa.exc.OperationalError as exc:  # the API answers 503, as for any store outage
            raise StoreError(f"cannot look up postcode {compact}: {exc.orig}") from exc
        if row is None:
            return None
        country, region, county, district, lep1, lep2, latitude, longitude = row
        leps = tuple(p for p in (self.place(lep1), self.place(lep2)) if p is not None)
        return Located(
            postcode=format_postcode(compact),
            country=self.place(country),
            region=self.place(region),
            county=self.place(county),
            district=self.place(district),
            leps=leps,
            latitude=None if latitude is None else float(latitude),
            longitude=None if longitude is None else float(longitude),
        )


def load_postcode_index(db: Database, release_id: int) -> PostcodeIndex:
    """The index of release ``release_id``, with the area names its names files gave."""
    t = onspd_areas.c
    statement = sa.select(t.code, t.name).where(t.release_id == release_id)
    c = onspd_coverage.c
    covered = sa.select(c.area).where(c.release_id == release_id)
    with db.engine.connect() as conn:
        names = {str(code): str(name) for code, name in conn.execute(statement)}
        areas = frozenset(str(a) for (a,) in conn.execute(covered))
    return PostcodeIndex(db, release_id, names, areas or None)


def postcode_area(compact: str) -> str:
    """The postcode area: the letters starting the outward code (``WC1A1AA`` → ``WC``)."""
    return compact[:2] if len(compact) > 1 and compact[1].isalpha() else compact[:1]
