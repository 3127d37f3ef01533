"""The live adverts each API worker searches, held in memory and re-read when a pull finishes.

Search must answer in milliseconds under load, so a worker reads the live, kept adverts once
(newest first) into lists indexed by SOC code (both versions), area (local authority and
region) and word (title and employer), and answers by intersecting them. The index is replaced
whole, with one assignment, when a newer pull run has finished (checked at most every
``LMI_VACANCIES_REFRESH_SECONDS``).
"""

from __future__ import annotations

import bisect
import math
import re
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import orjson
import sqlalchemy as sa

from lmi.errors import StoreError
from lmi.store.adverts import adverts
from lmi.store.database import Database

__all__ = ["AdvertIndex", "Item", "Query", "Searcher", "words"]

_WORD = re.compile(r"[a-z0-9]+")
EARTH_MILES = 3958.8
#: a rendered answer: its body and its own headers
Rendered = tuple[bytes, tuple[tuple[bytes, bytes], ...]]
#: rendered answers remembered per index (each re-read of the adverts starts afresh)
BODIES = 4096
BODY_BYTES = 32 * 1024 * 1024
#: searches whose matches are remembered per index, and the positions they may hold in all
MATCHES = 1024
MATCHED_POSITIONS = 2_000_000
#: adverts whose JSON is kept per index once rendered
RENDERED = 200_000


def words(text: str | None) -> set[str]:
    return set(_WORD.findall((text or "").casefold()))


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    feed: str
    feed_id: str
    title: str
    company: str | None
    summary: str | None
    location: str | None
    postcode: str | None
    area_kind: str | None
    area_code: str | None
    region_code: str | None
    latitude: float | None
    longitude: float | None
    salary_min: float | None
    salary_max: float | None
    url: str | None
    posted: str
    closes: str | None
    last_seen: str
    soc2010: str | None
    soc2010_score: float | None
    soc2010_status: str
    soc2020: str | None
    soc2020_score: float | None
    soc2020_status: str
    coded_release: int | None
    synthetic: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "company": self.company,
            "summary": self.summary,
            "location": self.location,
            "postcode": self.postcode,
            "area": {"kind": self.area_kind, "code": self.area_code, "region": self.region_code},
            "latitude": self.latitude,
            "longitude": self.longitude,
            "salary": {"min": self.salary_min, "max": self.salary_max},
            "link": self.url,
            "posted": self.posted,
            "closes": self.closes,
            "soc2010": {
                "code": self.soc2010,
                "score": self.soc2010_score,
                "status": self.soc2010_status,
            },
            "soc2020": {
                "code": self.soc2020,
                "score": self.soc2020_score,
                "status": self.soc2020_status,
            },
            "provenance": {
                "feed": self.feed,
                "feed_id": self.feed_id,
                "fetched_at": self.last_seen,
                "coded_by_release": self.coded_release,
                "method": "synthetic" if self.synthetic else "observed",
            },
        }


@dataclass(frozen=True)
class Query:
    soc_version: str | None = None
    soc_code: str | None = None  # 1–4 digits: a group and everything under it
    keywords: frozenset[str] = frozenset()
    area_codes: frozenset[str] = frozenset()  # any of these (la or region codes)
    centre: tuple[float, float] | None = None
    radius_miles: float | None = None
    location_words: frozenset[str] = frozenset()  # free-text place words (compat)
    postcode_prefix: str | None = None  # an outward code ("SE1")
    since: date | None = None
    offset: int = 0
    limit: int = 20


class AdvertIndex:
    def __init__(self, items: Sequence[Item], stamp: Any = None) -> None:
        self.items = list(items)  # newest first
        self.stamp = stamp
        self.by_soc: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.by_area: dict[str, list[int]] = defaultdict(list)
        self.by_word: dict[str, list[int]] = defaultdict(list)
        #: minus each advert's posting day, ascending (the items are newest first)
        self._ages = [-date.fromisoformat(item.posted).toordinal() for item in self.items]
        self._sets: dict[int, tuple[list[int], frozenset[int]]] = {}
        self._areas: dict[frozenset[str], list[int]] = {}
        #: the matches of recent searches (paging asks the same search again), bounded
        self._matches: OrderedDict[Query, list[int]] = OrderedDict()
        self._matched_total = 0
        #: each advert's JSON (its ``as_dict``), rendered once when first answered, bounded
        self._json: dict[tuple[Callable[[Item], Any], int], bytes] = {}
        #: rendered answers of this index by request (the API's), bounded
        self.bodies: OrderedDict[tuple[str, bytes], Rendered] = OrderedDict()
        self._bytes = 0
        for n, item in enumerate(self.items):
            for version, code in (("soc2010", item.soc2010), ("soc2020", item.soc2020)):
                if code:
                    for size in range(1, len(code) + 1):
                        self.by_soc[(version, code[:size])].append(n)
            for area in {item.area_code, item.region_code}:
                if area:
                    self.by_area[area].append(n)
            for word in words(item.title) | words(item.company):
                self.by_word[word].append(n)

    def search(self, query: Query) -> tuple[int, list[Item]]:
        """(how many match, the page asked for), newest first (see :meth:`positions`)."""
        total, page = self.positions(query)
        return total, [self.items[n] for n in page]

    def json(self, n: int, shape: Callable[[Item], Any] = Item.as_dict) -> bytes:
        """The JSON of ``shape(advert n)`` (by default its :meth:`Item.as_dict`), rendered once
        per index and shape (for at most :data:`RENDERED` of them; others each time)."""
        key = (shape, n)
        found = self._json.get(key)
        if found is None:
            found = orjson.dumps(shape(self.items[n]))
            if len(self._json) < RENDERED:
                self._json[key] = found
        return found

    def positions(self, query: Query) -> tuple[int, list[int]]:
        """(how many match, the page asked for), newest first.

        Each condition with a posting list (SOC group, word, a plain area) is a sorted list of
        positions in the newest-first order: one list is cut at the date (bisect) with no scan;
        several are intersected as sets (in C: each list's set is built once per index) and
        sorted; the posting date is a prefix of the order (bisect); radius and place words are
        checked one advert at a time over the shortest list."""
        lists: list[list[int]] = []
        if query.soc_version and query.soc_code:
            lists.append(self.by_soc.get((query.soc_version, query.soc_code), []))
        for word in query.keywords:
            lists.append(self.by_word.get(word, []))
        areas_only = bool(query.area_codes) and not (
            query.centre or query.location_words or query.postcode_prefix
        )
        if areas_only:
            lists.append(self._area_list(query.area_codes))
        limit = len(self.items) if query.since is None else self._posted_since(query.since)
        check = _place_wanted(query) and not areas_only
        lists.sort(key=len)
        if lists and not lists[0]:  # a condition nothing meets
            return 0, []
        first: Sequence[int] = lists[0] if lists else range(limit)
        if len(lists) <= 1 and not check:  # one ascending list, cut at the date: no scan
            matched_prefix = first[: bisect.bisect_left(first, limit)]
            return len(matched_prefix), list(
                matched_prefix[query.offset : query.offset + query.limit]
            )
        key = replace(query, offset=0, limit=0)
        matched = self._matches.get(key)
        if matched is None:
            matched = self._match(query, lists, first, limit, check)
            self._keep(key, matched)
        return len(matched), matched[query.offset : query.offset + query.limit]

    def _keep(self, key: Query, matched: list[int]) -> None:
        """Remember a search's matches (at most :data:`MATCHES` searches and
        :data:`MATCHED_POSITIONS` positions in all, oldest out first)."""
        self._matches[key] = matched
        self._matched_total += len(matched)
        while len(self._matches) > MATCHES or self._matched_total > MATCHED_POSITIONS:
            _old, dropped = self._matches.popitem(last=False)
            self._matched_total -= len(dropped)

    def _match(
        self,
        query: Query,
        lists: list[list[int]],
        first: Sequence[int],
        limit: int,
        check: bool,
    ) -> list[int]:
        if not check:  # posting lists only: intersect their sets in C, then order and cut
            common = self._set(lists[0])
            for other in lists[1:]:
                common = common & self._set(other)  # iterates the smaller set
            ordered = sorted(common)
            matched = ordered[: bisect.bisect_left(ordered, limit)]
        else:
            rest = [self._set(x) for x in lists[1:]]
            matched = [
                n
                for n in first
                if n < limit and all(n in s for s in rest) and _placed(self.items[n], query)
            ]
        return matched

    def _set(self, found: list[int]) -> frozenset[int]:
        key = id(found)
        known = self._sets.get(key)
        if known is None or known[0] is not found:
            known = self._sets[key] = (found, frozenset(found))
        return known[1]

    def _area_list(self, codes: frozenset[str]) -> list[int]:
        if len(codes) == 1:
            return self.by_area.get(next(iter(codes)), [])
        known = self._areas.get(codes)
        if known is None:  # kept, so that its set is built once too
            known = self._areas[codes] = sorted(
                {n for code in codes for n in self.by_area.get(code, [])}
            )
        return known

    def _posted_since(self, since: date) -> int:
        """How many adverts (a prefix of the newest-first order) were posted on or after."""
        return bisect.bisect_left(self._ages, -since.toordinal() + 1)

    def size(self) -> int:
        return len(self.items)

    @property
    def pulled(self) -> bool:
        """Whether any pull has finished: adverts are collected here (else nothing is)."""
        return bool(self.stamp) and self.stamp[0] is not None

    @property
    def last_pull(self) -> str | None:
        """When the newest finished pull finished (the adverts' ``as of``), or None."""
        return str(self.stamp[1]) if self.pulled and self.stamp[1] is not None else None

    def live(self, version: str, code: str, area_codes: frozenset[str] = frozenset()) -> int:
        """How many live, kept adverts are coded to SOC group ``code`` (and in the areas):
        the length of a posting list, or one intersection."""
        if not area_codes:
            return len(self.by_soc.get((version, code), []))
        found, _ = self.search(
            Query(soc_version=version, soc_code=code, area_codes=area_codes, limit=0)
        )
        return found

    def remember(self, key: tuple[str, bytes], body: Rendered) -> None:
        """Keep a rendered answer until this index is replaced (at most ``BODIES`` answers and
        ``BODY_BYTES`` bytes, oldest out first)."""
        if key in self.bodies or len(body[0]) > BODY_BYTES // 64:
            return
        self.bodies[key] = body
        self._bytes += len(body[0])
        while len(self.bodies) > BODIES or self._bytes > BODY_BYTES:
            _key, (old, _headers) = self.bodies.popitem(last=False)
            self._bytes -= len(old)


def _placed(item: Item, query: Query) -> bool:
    """In the areas asked for, or within the radius, or matching the place words."""
    if not _place_wanted(query):
        return True
    if query.area_codes and (
        item.area_code in query.area_codes or item.region_code in query.area_codes
    ):
        return True
    if (
        query.centre is not None
        and query.radius_miles is not None
        and item.latitude is not None
        and item.longitude is not None
        and miles(query.centre, (item.latitude, item.longitude)) <= query.radius_miles
    ):
        return True
    if query.postcode_prefix and (item.postcode or "").replace(" ", "").startswith(
        query.postcode_prefix
    ):
        return True
    return bool(query.location_words) and query.location_words <= words(item.location)


def _place_wanted(query: Query) -> bool:
    return bool(query.area_codes or query.centre or query.location_words or query.postcode_prefix)


def miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_MILES * math.asin(math.sqrt(min(1.0, h)))


_FIELDS = [f for f in Item.__dataclass_fields__]


def load_index(db: Database) -> AdvertIndex:
    t = adverts.c
    columns = [t[name] for name in _FIELDS]
    statement = (
        sa.select(*columns)
        .where(t.status == "live", t.duplicate_of.is_(None))
        .order_by(t.posted.desc(), t.id.desc())
    )
    stamp = _stamp(db)
    try:
        with db.engine.connect() as conn:
            items = [_item(list(row)) for row in conn.execute(statement)]
    except sa.exc.OperationalError as exc:
        raise StoreError(f"cannot read adverts: {exc.orig}") from exc
    return AdvertIndex(items, stamp)


def _item(values: list[Any]) -> Item:
    values[-1] = bool(values[-1])  # SQLite answers 0/1
    return Item(*values)


def _stamp(db: Database) -> Any:
    """Changes when a pull finishes: the newest finished run."""
    return db.execute(
        "SELECT max(id), max(finished_at) FROM lmi_advert_runs WHERE finished_at IS NOT NULL"
    ).first()


class Searcher:
    """A worker's current :class:`AdvertIndex`, re-read when a newer pull has finished."""

    def __init__(self, db: Database, refresh_seconds: float) -> None:
        self.db = db
        self.refresh_seconds = refresh_seconds
        self._index: AdvertIndex | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def due(self) -> bool:
        return self._index is None or time.monotonic() - self._checked >= self.refresh_seconds

    def refresh(self) -> AdvertIndex:
        """Re-read the adverts when a pull finished since; returns the current index."""
        with self._lock:
            current = self._index
            if current is not None and time.monotonic() - self._checked < self.refresh_seconds:
                return current
            self._checked = time.monotonic()
            if current is None or _stamp(self.db) != current.stamp:
                current = self._index = load_index(self.db)
            return current

    @property
    def index(self) -> AdvertIndex | None:
        return self._index
