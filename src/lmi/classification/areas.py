"""English areas addressed by code or by name: England, its 9 regions, the Local Enterprise
Partnerships (LEPs) and the local authorities of the Employer Skills Survey (ESS) tables.

Codes
    * England ``E92000001``; regions their RGN codes (``E12000001`` … ``E12000009``), also found
      by ITL1 code (``TLC`` … ``TLK``); :attr:`Area.lmi_code` is LMI for All's 1–12 region number.
    * LEPs the ONS GSS codes of the 2020 LEP geography (38 LEPs, ``E37000001`` … ``E37000058``).
      The codes of the 2017 geography (used by ESS 2017) are kept as ``former_codes`` and are
      found too. Northamptonshire LEP (``E37000026``, merged into South East Midlands in 2017)
      exists only in the 2017 geography: it is an area with ``current=False``.
    * Local authorities: the 152 upper-tier authorities ("LEAs") of the ESS 2017 tables. No ONS
      local-authority code list is in the source directory, so their codes are local slugs
      (``la-camden``, ``la-kingston-upon-hull``) and they are best addressed by name.

Names
    Names are matched case-, punctuation- and spacing-insensitively (``&`` = ``and``; a leading
    "the" and a trailing "LEP" / "Local Enterprise Partnership" are ignored), against the name
    and every alias. Aliases are the spellings found in the files: ESS 2017 writes "North
    Eastern", "Humber", "Derby Derbyshire Nottingham and Nottinghamshire"; APS 2021 (Nomis)
    "Hull and East Riding", "York and North Yorkshire", "Greater Cambridge and Greater
    Peterborough". APS 2021 names of LEPs whose boundaries changed in 2021 are matched to their
    2020 predecessor (the 2021 codes are not in the source directory); ``note`` says so.

Several names mean more than one area ("London" region and LEP, "South East" region and LEP,
"Dorset" LEP and county, …): :func:`find_areas` returns all of them, :func:`find_area` picks by
the order of the ``kinds`` asked for, and a ``kind:`` prefix (``lep:South East``) settles it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from lmi.errors import InvalidQuery, NotFound

__all__ = [
    "AREAS",
    "ENGLAND",
    "KINDS",
    "KIND_NAMES",
    "LEPS",
    "LOCAL_AUTHORITIES",
    "REGIONS",
    "Area",
    "AreaKind",
    "areas_with_name_part",
    "by_code",
    "find_area",
    "find_areas",
    "normalise_name",
    "resolve_area",
]

AreaKind = Literal["country", "region", "lep", "la"]
KINDS: tuple[AreaKind, ...] = ("country", "region", "lep", "la")
#: each kind in words, for messages
KIND_NAMES: dict[str, str] = {
    "country": "country",
    "region": "region",
    "lep": "LEP",
    "la": "local authority",
}
_KIND_WORDS: dict[str, AreaKind] = {
    "country": "country",
    "region": "region",
    "rgn": "region",
    "lep": "lep",
    "la": "la",
    "lea": "la",
    "lad": "la",
    "local authority": "la",
}


@dataclass(frozen=True, slots=True)
class Area:
    kind: AreaKind
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    #: RGN code of the region the area lies in (local authorities; regions point to themselves)
    region: str | None = None
    #: LMI for All's 1–12 region code (regions only)
    lmi_code: int | None = None
    #: other codes found for this area (ITL1 for regions, 2017 GSS codes for LEPs)
    former_codes: tuple[str, ...] = ()
    #: False for areas of an older geography only (Northamptonshire LEP)
    current: bool = True
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def codes(self) -> tuple[str, ...]:
        return (self.code, *self.former_codes)


ENGLAND = Area("country", "E92000001", "England", aliases=("England total", "Total"))

_REGION_ROWS: tuple[tuple[str, str, str, int, tuple[str, ...]], ...] = (
    ("E12000001", "North East", "TLC", 9, ()),
    ("E12000002", "North West", "TLD", 8, ()),
    ("E12000003", "Yorkshire and The Humber", "TLE", 7, ("Yorkshire and Humber",)),
    ("E12000004", "East Midlands", "TLF", 6, ()),
    ("E12000005", "West Midlands", "TLG", 5, ()),
    ("E12000006", "East of England", "TLH", 3, ("East", "Eastern")),
    ("E12000007", "London", "TLI", 1, ()),
    ("E12000008", "South East", "TLJ", 2, ()),
    ("E12000009", "South West", "TLK", 4, ()),
)
REGIONS: tuple[Area, ...] = tuple(
    Area("region", code, name, aliases, region=code, lmi_code=lmi, former_codes=(itl1,))
    for code, name, itl1, lmi, aliases in _REGION_ROWS
)

_BOUNDARY_2021 = (
    "APS 2021 (Nomis) names the successor LEP of 2021 ({}), whose boundary differs; its 2021 code "
    "is not in the source directory, so it is matched to this 2020 LEP."
)

#: (2020 code, name, aliases, 2017 codes, note)
_LEP_ROWS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], str | None], ...] = (
    ("E37000001", "Black Country", (), (), None),
    ("E37000003", "Cheshire and Warrington", (), (), None),
    ("E37000005", "Cornwall and Isles of Scilly", ("Cornwall and the Isles of Scilly",), (), None),
    ("E37000006", "Coventry and Warwickshire", (), (), None),
    ("E37000007", "Cumbria", (), (), None),
    ("E37000009", "Dorset", (), (), None),
    ("E37000011", "Gloucestershire", ("GFirst",), (), None),
    ("E37000012", "Greater Birmingham and Solihull", (), (), None),
    ("E37000014", "Greater Lincolnshire", (), (), None),
    ("E37000015", "Greater Manchester", (), (), None),
    ("E37000016", "Heart of the South West", (), (), None),
    ("E37000019", "Lancashire", (), (), None),
    ("E37000021", "Leicester and Leicestershire", (), (), None),
    ("E37000022", "Liverpool City Region", (), (), None),
    ("E37000025", "North East", ("North Eastern",), (), None),
    ("E37000032", "Stoke-on-Trent and Staffordshire", (), (), None),
    ("E37000033", "Swindon and Wiltshire", (), (), None),
    ("E37000034", "Tees Valley", (), (), None),
    ("E37000035", "Thames Valley Berkshire", (), (), None),
    ("E37000036", "The Marches", (), (), None),
    ("E37000037", "West of England", (), (), None),
    ("E37000038", "Worcestershire", (), (), None),
    ("E37000043", "Buckinghamshire Thames Valley", ("Buckinghamshire",), ("E37000002",), None),
    ("E37000044", "Coast to Capital", (), ("E37000004",), None),
    (
        "E37000045",
        "Derby, Derbyshire, Nottingham and Nottinghamshire",
        ("D2N2",),
        ("E37000008",),
        None,
    ),
    ("E37000046", "Enterprise M3", (), ("E37000010",), None),
    (
        "E37000047",
        "Greater Cambridge and Greater Peterborough",
        ("Greater Cambridge Greater Peterborough", "GCGP"),
        ("E37000013", "E37000042"),
        None,
    ),
    ("E37000048", "Hertfordshire", (), ("E37000017",), None),
    (
        "E37000049",
        "Humber",
        ("Hull and East Riding", "Hull and East Yorkshire"),
        ("E37000018",),
        _BOUNDARY_2021.format("Hull and East Riding"),
    ),
    ("E37000050", "Leeds City Region", (), ("E37000020",), None),
    ("E37000051", "London", ("London Enterprise Panel",), ("E37000023",), None),
    ("E37000052", "New Anglia", (), ("E37000024",), None),
    ("E37000053", "Oxfordshire", ("OxLEP",), ("E37000027",), None),
    ("E37000054", "Sheffield City Region", ("South Yorkshire",), ("E37000028", "E37000040"), None),
    ("E37000055", "Solent", (), ("E37000029",), None),
    ("E37000056", "South East", (), ("E37000030",), None),
    ("E37000057", "South East Midlands", ("SEMLEP",), ("E37000031", "E37000041"), None),
    (
        "E37000058",
        "York, North Yorkshire and East Riding",
        ("York and North Yorkshire",),
        ("E37000039",),
        _BOUNDARY_2021.format("York and North Yorkshire"),
    ),
)
LEPS: tuple[Area, ...] = (
    *(
        Area("lep", code, name, aliases, former_codes=former, note=note)
        for code, name, aliases, former, note in _LEP_ROWS
    ),
    Area(
        "lep",
        "E37000026",
        "Northamptonshire",
        current=False,
        note="2017 LEP geography only (merged into South East Midlands LEP); ESS 2017 has no "
        "sample for it.",
    ),
)

#: ESS 2017 local education authorities (upper-tier local authorities) by region (RGN code)
_LA_ROWS: dict[str, tuple[str, ...]] = {
    "E12000001": (
        "Gateshead",
        "Newcastle upon Tyne",
        "North Tyneside",
        "South Tyneside",
        "Sunderland",
        "Hartlepool",
        "Middlesbrough",
        "Redcar and Cleveland",
        "Stockton-on-Tees",
        "Durham",
        "Darlington",
        "Northumberland",
    ),
    "E12000002": (
        "Knowsley",
        "Liverpool",
        "St Helens",
        "Sefton",
        "Wirral",
        "Bolton",
        "Bury",
        "Manchester",
        "Oldham",
        "Rochdale",
        "Salford",
        "Stockport",
        "Tameside",
        "Trafford",
        "Wigan",
        "Halton",
        "Warrington",
        "Lancashire",
        "Blackburn with Darwen",
        "Blackpool",
        "Cheshire East",
        "Cheshire West and Chester",
        "Cumbria",
    ),
    "E12000003": (
        "Barnsley",
        "Doncaster",
        "Rotherham",
        "Sheffield",
        "Bradford",
        "Calderdale",
        "Kirklees",
        "Leeds",
        "Wakefield",
        "Kingston upon Hull",
        "East Riding of Yorkshire",
        "North East Lincolnshire",
        "North Lincolnshire",
        "North Yorkshire",
        "York",
    ),
    "E12000004": (
        "Derbyshire",
        "Derby",
        "Leicestershire",
        "Leicester",
        "Rutland",
        "Nottinghamshire",
        "Nottingham",
        "Lincolnshire",
        "Northamptonshire",
    ),
    "E12000005": (
        "Birmingham",
        "Coventry",
        "Dudley",
        "Sandwell",
        "Solihull",
        "Walsall",
        "Wolverhampton",
        "Staffordshire",
        "Stoke-on-Trent",
        "Herefordshire",
        "Worcestershire",
        "Shropshire",
        "Telford and Wrekin",
        "Warwickshire",
    ),
    "E12000006": (
        "Luton",
        "Bedford",
        "Central Bedfordshire",
        "Cambridgeshire",
        "Peterborough",
        "Essex",
        "Southend on Sea",
        "Thurrock",
        "Hertfordshire",
        "Norfolk",
        "Suffolk",
    ),
    "E12000007": (
        "City of London",
        "Camden",
        "Greenwich",
        "Hackney",
        "Hammersmith and Fulham",
        "Islington",
        "Kensington and Chelsea",
        "Lambeth",
        "Lewisham",
        "Southwark",
        "Tower Hamlets",
        "Wandsworth",
        "Westminster",
        "Barking and Dagenham",
        "Barnet",
        "Bexley",
        "Brent",
        "Bromley",
        "Croydon",
        "Ealing",
        "Enfield",
        "Haringey",
        "Harrow",
        "Havering",
        "Hillingdon",
        "Hounslow",
        "Kingston upon Thames",
        "Merton",
        "Newham",
        "Redbridge",
        "Richmond upon Thames",
        "Sutton",
        "Waltham Forest",
    ),
    "E12000008": (
        "Buckinghamshire",
        "Milton Keynes",
        "East Sussex",
        "Brighton and Hove",
        "Hampshire",
        "Portsmouth",
        "Southampton",
        "Bracknell Forest",
        "Windsor and Maidenhead",
        "West Berkshire",
        "Reading",
        "Slough",
        "Wokingham",
        "Kent",
        "Medway",
        "Isle of Wight",
        "Oxfordshire",
        "Surrey",
        "West Sussex",
    ),
    "E12000009": (
        "Isles of Scilly",
        "Bath and North East Somerset",
        "Bristol",
        "North Somerset",
        "South Gloucestershire",
        "Dorset",
        "Poole",
        "Bournemouth",
        "Wiltshire",
        "Swindon",
        "Devon",
        "Plymouth",
        "Torbay",
        "Cornwall",
        "Gloucestershire",
        "Somerset",
    ),
}
#: official long forms of a few ESS names
_LA_ALIASES: dict[str, tuple[str, ...]] = {
    "Bristol": ("Bristol, City of", "City of Bristol"),
    "Durham": ("County Durham",),
    "Herefordshire": ("Herefordshire, County of",),
    "Kingston upon Hull": ("Kingston upon Hull, City of", "Hull", "City of Kingston upon Hull"),
    "St Helens": ("St. Helens",),
    "Southend on Sea": ("Southend-on-Sea",),
    "Wolverhampton": ("City of Wolverhampton",),
}


def normalise_name(text: str) -> str:
    """A name folded for matching: ``"Stoke-on-Trent & Staffordshire LEP"`` →
    ``"stoke on trent and staffordshire"``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    folded = folded.replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", folded).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    for suffix in (["local", "enterprise", "partnership"], ["lep"]):
        if len(words) > len(suffix) and words[-len(suffix) :] == suffix:
            words = words[: -len(suffix)]
    return " ".join(words)


def _slug(name: str) -> str:
    return "la-" + normalise_name(name).replace(" ", "-")


LOCAL_AUTHORITIES: tuple[Area, ...] = tuple(
    Area("la", _slug(name), name, _LA_ALIASES.get(name, ()), region=region)
    for region, names in _LA_ROWS.items()
    for name in names
)

AREAS: tuple[Area, ...] = (ENGLAND, *REGIONS, *LEPS, *LOCAL_AUTHORITIES)

_BY_CODE: dict[str, Area] = {}
_BY_NAME: dict[str, list[Area]] = {}
#: every area with its names folded (:func:`normalise_name`), in registry order
_FOLDED: list[tuple[Area, tuple[str, ...]]] = []
for _area in AREAS:
    for _code in _area.codes:
        _BY_CODE[_code.casefold()] = _area
    for _name in _area.names:
        _matches = _BY_NAME.setdefault(normalise_name(_name), [])
        if _area not in _matches:
            _matches.append(_area)
    _FOLDED.append((_area, tuple(normalise_name(n) for n in _area.names)))


def areas_with_name_part(text: str) -> list[Area]:
    """Areas one of whose names contains ``text`` (both folded), in registry order."""
    key = normalise_name(text)
    return [area for area, names in _FOLDED if any(key in name for name in names)]


def by_code(code: str) -> Area | None:
    """The area with this code (current or former; case-insensitive), or ``None``."""
    return _BY_CODE.get(code.strip().casefold())


def _split_kind(text: str) -> tuple[AreaKind | None, str]:
    head, sep, rest = text.partition(":")
    if sep:
        kind = _KIND_WORDS.get(normalise_name(head))
        if kind is not None:
            return kind, rest
    return None, text


def find_areas(text: str, kinds: Iterable[AreaKind] | None = None) -> list[Area]:
    """Every area whose code or name is ``text`` (optionally ``kind:``-prefixed), in ``kinds``
    order (default: country, region, LEP, local authority)."""
    wanted: Sequence[AreaKind] = tuple(kinds) if kinds is not None else KINDS
    kind, rest = _split_kind(text)
    if kind is not None:
        wanted = [k for k in wanted if k == kind]
    found: list[Area] = []
    coded = by_code(rest)
    if coded is not None:
        found.append(coded)
    key = normalise_name(rest)
    for area in _BY_NAME.get(key, ()):
        if area not in found:
            found.append(area)
    return sorted(
        (a for a in found if a.kind in wanted),
        key=lambda a: (wanted.index(a.kind), not a.current),
    )


def find_area(text: str, kinds: Iterable[AreaKind] | None = None) -> Area | None:
    """The first area of :func:`find_areas` (so the first of ``kinds`` wins), or ``None``."""
    found = find_areas(text, kinds)
    return found[0] if found else None


def resolve_area(
    text: str, kinds: Iterable[AreaKind] | None = None, *, parameter: str = "area"
) -> Area:
    """Like :func:`find_area`, raising a clear :class:`~lmi.errors.InvalidQuery` for an empty
    value and :class:`~lmi.errors.NotFound` for an unknown one."""
    wanted = tuple(kinds) if kinds is not None else KINDS
    if not text or not text.strip():
        raise InvalidQuery(f"{parameter}: give an area code or name", parameter=parameter)
    if len(text) > 200:
        raise InvalidQuery(f"{parameter}: too long for an area code or name", parameter=parameter)
    area = find_area(text, wanted)
    if area is None:
        what = ", ".join("England" if k == "country" else KIND_NAMES[k] for k in wanted)
        raise NotFound(f"{parameter}: no {what} has the code or name {text.strip()!r}")
    return area
