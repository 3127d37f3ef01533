"""Postcodes wherever an area is asked for, resolved through the release's postcode directory.

An ``area`` (or ``region``) that is a full UK postcode — any case, any spacing — is looked up in
the ONS Postcode Directory of the release being served (dataset ``onspd``) and answered for the
best area the endpoint has figures for: the local authority when the registry knows it, else the
LEP, else the region (see :meth:`PostcodeAreas.candidates`). The answer says which area the
postcode was resolved to (``resolved_from``).

* a postcode the directory lacks (terminated, or never issued) → 404;
* something that looks like a postcode but is not one (``SW1A 1A``, ``SW1A``) → 400;
* no directory in the release → 400 saying so; ``lat,lng`` pairs → 400 (not supported).

The registry's local authorities (:mod:`lmi.classification.areas`) have no GSS codes, so a
postcode's upper-tier authority (its county, else its district) is matched to them by the name
ONS's names files give its code; without those files a postcode resolves to its LEP or region.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from lmi.classification.areas import (
    ENGLAND,
    KIND_NAMES,
    KINDS,
    Area,
    AreaKind,
    by_code,
    find_areas,
)
from lmi.datasets.onspd.index import (
    Located,
    Place,
    format_postcode,
    normalise_postcode,
)
from lmi.datasets.onspd.lookup import nearest_postcode, parse_lat_lng
from lmi.datasets.onspd.view import POSTCODES
from lmi.errors import InvalidQuery, NotFound
from lmi.serve.snapshot import Snapshot

__all__ = [
    "DATASET",
    "LAT_LNG",
    "NOT_LOADED",
    "PARAM_NOTE",
    "PostcodeAreas",
    "needs_missing_directory",
    "postcode_not_held",
    "param_note",
    "postcode_areas",
]

DATASET = "onspd"
NOT_LOADED = (
    "postcode and lat,lng lookup need the ONS Postcode Directory, which is not loaded; give an "
    "area code or name (a local authority, LEP, region or England)"
)


def param_note(answered: str = "its local authority, LEP or region") -> str:
    """Appended to the OpenAPI text of a parameter that takes an area: postcodes too."""
    return (
        "; or a UK postcode (any case or spacing, e.g. SW1A 1AA) when the release has the ONS "
        f"Postcode Directory: answered for {answered}, as `resolved_from` says"
    )


PARAM_NOTE = param_note()
LAT_LNG = re.compile(r"-?\d{1,3}(\.\d+)?\s*,\s*-?\d{1,3}(\.\d+)?")
#: a try at a postcode: 1–2 letters, a digit, then letters and digits (8 characters at most)
ATTEMPT = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]{0,5}")
#: finest first: the order in which a postcode's areas are offered
PREFERENCE: tuple[AreaKind, ...] = ("la", "lep", "region", "country")
#: area kinds in words: the registry's, and the Census geographies a postcode may resolve to
KIND_WORDS: dict[str, str] = {
    **KIND_NAMES,
    "ltla": "local authority",
    "utla": "upper-tier local authority",
    "rgn": "region",
    "ctry": "country",
}
COUNTRIES = {
    "E92000001": "England",
    "W92000004": "Wales",
    "S92000003": "Scotland",
    "N92000002": "Northern Ireland",
    "L93000001": "the Channel Islands",
    "M83000003": "the Isle of Man",
}


@dataclass(frozen=True)
class PostcodeAreas:
    """A postcode found in the directory, and the registry areas it lies in."""

    located: Located
    #: registry areas by kind (several LEPs where LEPs overlapped)
    areas: dict[AreaKind, tuple[Area, ...]]
    #: why no registry local authority matched (None when one did)
    la_note: str | None
    provenance: dict[str, Any]
    #: the directory and release, in words
    source: str

    @property
    def postcode(self) -> str:
        return self.located.postcode

    @property
    def country_name(self) -> str:
        country = self.located.country
        if country is None:
            return "an unknown country"
        return COUNTRIES.get(country.code, country.name or country.code)

    def candidates(self, kinds: Iterable[AreaKind] = KINDS) -> list[Area]:
        """The registry areas of the postcode among ``kinds``, finest first (LA, LEP, …)."""
        wanted = set(kinds)
        return [a for kind in PREFERENCE if kind in wanted for a in self.areas.get(kind, ())]

    def first(
        self,
        kinds: Iterable[AreaKind],
        *,
        parameter: str,
        accept: Callable[[Area], bool] = lambda _: True,
        what: str = "",
    ) -> Area:
        """The finest area of ``kinds`` that ``accept`` takes; a 404 naming the areas tried."""
        tried = self.candidates(kinds)
        for area in tried:
            if accept(area):
                return area
        if not tried:
            raise NotFound(f"{parameter}: postcode {self.postcode} {self._outside(kinds)}")
        names = ", ".join(f"{a.name} ({KIND_WORDS[a.kind]})" for a in tried)
        raise NotFound(f"{parameter}: postcode {self.postcode} lies in {names}: none has {what}")

    def _outside(self, kinds: Iterable[AreaKind]) -> str:
        country = self.located.country
        if country is not None and country.code != ENGLAND.code:
            return f"is in {self.country_name}: the areas served here are in England"
        words = ", ".join(KIND_WORDS[k] for k in PREFERENCE if k in set(kinds))
        return f"lies in none of the areas served here ({words})"

    def resolved_from(self, kind: str, code: str | int, name: str) -> dict[str, Any]:
        """The ``resolved_from`` field: the postcode, where it lies, and the area answered."""
        located = self.located
        note = f"postcode {located.postcode} answered for {name} ({KIND_WORDS.get(kind, kind)})"
        if kind not in ("la", "ltla", "utla") and self.la_note:
            note += f"; {self.la_note}"
        return {
            "postcode": located.postcode,
            "area": {"kind": kind, "code": code, "name": name},
            "local_authority": _brief(located.upper_tier),
            "district": _brief(located.district),
            "county": _brief(located.county),
            "region": _brief(located.region),
            "leps": [_brief(p) for p in located.leps],
            "country": _brief(located.country),
            "latitude": located.latitude,
            "longitude": located.longitude,
            "note": note,
            "source": self.source,
        }


def _brief(place: Place | None) -> dict[str, str | None] | None:
    return place.as_dict() if place is not None else None


def needs_missing_directory(snap: Snapshot, text: str) -> bool:
    """Whether ``text`` is a postcode or ``lat,lng`` and the release has no directory to look
    it up: a well-formed request for data lmi does not hold (compatible endpoints answer it in
    shape, with no figures and a note, rather than a 4xx)."""
    raw = text.strip()
    if snap.view_or_none(POSTCODES) is not None:
        return False
    return bool(LAT_LNG.fullmatch(raw)) or normalise_postcode(raw) is not None


def postcode_not_held(snap: Snapshot, text: str, *, parameter: str = "area") -> str | None:
    """Why ``text``, a postcode or ``lat,lng``, cannot be looked up in this release (no
    directory, or its postcode area not loaded), else ``None``: well-formed requests for data
    lmi does not hold, which compatible endpoints answer in shape with this note. A
    ``lat,lng`` out of range is still a 400."""
    if LAT_LNG.fullmatch(text.strip()):
        parse_lat_lng(text.strip(), parameter)
    if needs_missing_directory(snap, text):
        return NOT_LOADED
    index = snap.view_or_none(POSTCODES)
    compact = normalise_postcode(text.strip())
    if index is None or compact is None:
        return None
    missing = index.missing_area(compact)
    if missing is None:
        return None
    return (
        f"postcode area {missing} not loaded: release {snap.release.id} holds only some "
        f"postcode areas of the ONS Postcode Directory, so {format_postcode(compact)} cannot be "
        "looked up"
    )


def postcode_areas(
    snap: Snapshot, text: str, *, parameter: str = "area", strict: bool = True
) -> PostcodeAreas | None:
    """The postcode ``text`` is, looked up; ``None`` when ``text`` is not a postcode (an area).

    Raises :class:`InvalidQuery` for a malformed postcode (unless not ``strict``: a search
    term), a ``lat,lng`` pair or a release without the directory, :class:`NotFound` for a
    postcode the directory lacks.
    """
    raw = text.strip()
    index = snap.view_or_none(POSTCODES)
    if LAT_LNG.fullmatch(raw):
        if index is None:
            raise InvalidQuery(f"{parameter}: {NOT_LOADED}", parameter=parameter)
        raw = nearest_postcode(index, raw, parameter)
    compact = normalise_postcode(raw)
    if compact is None:
        if strict:
            _refuse_malformed(raw, index is not None, parameter)
        return None
    if index is None:
        raise InvalidQuery(f"{parameter}: {NOT_LOADED}", parameter=parameter)
    located = index.find(compact)
    missing = index.missing_area(compact) if located is None else None
    if missing is not None:
        raise NotFound(
            f"{parameter}: postcode area {missing} not loaded: release {snap.release.id} holds "
            "only some postcode areas of the ONS Postcode Directory, so "
            f"{format_postcode(compact)} cannot be looked up"
        )
    if located is None:
        raise NotFound(
            f"{parameter}: postcode {format_postcode(compact)} is not a live postcode of the ONS "
            f"Postcode Directory in release {snap.release.id} (terminated, or never issued)"
        )
    areas, la_note = _registry_areas(located)
    prov = snap.provenance(DATASET, method="observed")
    source = f"{prov['source']} (release {snap.release.id})"
    return PostcodeAreas(located, areas, la_note, prov, source)


def _refuse_malformed(raw: str, loaded: bool, parameter: str) -> None:
    """A 400 for what can only be a mistyped postcode (``SW1A 1A``, an outward code alone)."""
    compact = re.sub(r"\s+", "", raw).upper()
    if not ATTEMPT.fullmatch(compact) or find_areas(raw):
        return  # an area code or name (``E12000007``, ``D2N2``): resolved as such
    message = f"{parameter}: {raw!r} is not a full UK postcode (like SW1A 1AA)"
    if not loaded:
        message += "; and postcode lookup needs the ONS Postcode Directory, which is not loaded"
    raise InvalidQuery(message, parameter=parameter)


def _registry_areas(located: Located) -> tuple[dict[AreaKind, tuple[Area, ...]], str | None]:
    areas: dict[AreaKind, tuple[Area, ...]] = {}
    la, la_note = _local_authority(located)
    if la is not None:
        areas["la"] = (la,)
    leps = [a for a in (_lep(p) for p in located.leps) if a is not None]
    if leps:
        areas["lep"] = tuple(dict.fromkeys(leps))
    region = by_code(located.region.code) if located.region else None
    if region is not None and region.kind == "region":
        areas["region"] = (region,)
    if located.country is not None and located.country.code == ENGLAND.code:
        areas["country"] = (ENGLAND,)
    return areas, la_note


def _local_authority(located: Located) -> tuple[Area | None, str | None]:
    """The registry's local authority of the postcode's upper tier, matched by name."""
    upper = located.upper_tier
    if located.country is not None and located.country.code != ENGLAND.code:
        return None, "the registry's local authorities are in England only"
    if upper is None:
        return None, "the directory gives no local authority for it"
    if upper.name is None:
        return None, (
            f"its local authority {upper.code} is not matched: the directory's names files "
            "(Documents/LA_UA names and codes …, County names and codes …) were not loaded"
        )
    found = find_areas(upper.name, ("la",))
    if not found:
        return None, (
            f"its local authority {upper.name} ({upper.code}) is not one of the registry's "
            "(the 152 upper-tier authorities of ESS 2017)"
        )
    return found[0], None


def _lep(place: Place) -> Area | None:
    """A LEP by code (2017 and 2020 codes are known), else by the name the names file gives."""
    area = by_code(place.code)
    if area is not None and area.kind == "lep":
        return area
    if place.name:
        found = find_areas(place.name, ("lep",))
        return found[0] if found else None
    return None
