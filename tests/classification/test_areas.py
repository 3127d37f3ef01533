"""Areas by code or name: regions, LEPs (ESS 2017 and APS 2021 spellings) and ESS local
authorities."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lmi.classification import areas
from lmi.classification.areas import (
    AREAS,
    LEPS,
    LOCAL_AUTHORITIES,
    REGIONS,
    by_code,
    find_area,
    find_areas,
    normalise_name,
    resolve_area,
)
from lmi.classification.regions import LMI_REGION_CODES
from lmi.errors import InvalidQuery, NotFound


def test_counts_and_unique_codes() -> None:
    assert len(REGIONS) == 9
    assert len([lep for lep in LEPS if lep.current]) == 38
    assert len(LOCAL_AUTHORITIES) == 152
    codes = [code.casefold() for area in AREAS for code in area.codes]
    assert len(codes) == len(set(codes))


def test_regions_agree_with_lmi_codes_and_itl1() -> None:
    for region in REGIONS:
        assert region.lmi_code is not None
        assert LMI_REGION_CODES[region.lmi_code] == region.former_codes[0]


def test_every_local_authority_lies_in_a_region() -> None:
    region_codes = {r.code for r in REGIONS}
    assert all(la.region in region_codes for la in LOCAL_AUTHORITIES)
    london = [la for la in LOCAL_AUTHORITIES if la.region == "E12000007"]
    assert len(london) == 33  # 32 boroughs and the City


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("E37000051", "E37000051"),
        ("e37000023", "E37000051"),  # 2017 code of London LEP
        ("lep:London", "E37000051"),
        ("London", "E12000007"),  # a region before a LEP by default
        ("North Eastern", "E37000025"),  # ESS 2017 spelling
        ("Derby Derbyshire Nottingham and Nottinghamshire", "E37000045"),  # ESS
        ("Derby, Derbyshire, Nottingham and Nottinghamshire", "E37000045"),  # APS
        ("York North Yorkshire and East Riding", "E37000058"),
        ("York and North Yorkshire", "E37000058"),
        ("Hull and East Riding", "E37000049"),
        ("Greater Cambridge Greater Peterborough", "E37000047"),
        ("the marches LEP", "E37000036"),
        ("STOKE-ON-TRENT & STAFFORDSHIRE", "E37000032"),
        ("TLH", "E12000006"),
        ("East", "E12000006"),
        ("England", "E92000001"),
        ("Southend-on-Sea", "la-southend-on-sea"),
        ("Kingston upon Hull, City of", "la-kingston-upon-hull"),
        ("la:Dorset", "la-dorset"),
    ],
)
def test_find_area(text: str, code: str) -> None:
    found = find_area(text)
    assert found is not None
    assert found.code == code


def test_ambiguous_names_list_every_area_and_kinds_decide() -> None:
    assert [a.kind for a in find_areas("Dorset")] == ["lep", "la"]
    assert [a.kind for a in find_areas("South East")] == ["region", "lep"]
    assert find_area("South East", ["lep"]) == by_code("E37000056")
    assert find_area("Dorset", ["la", "lep"]) == by_code("la-dorset")
    assert find_area("E37000051", ["region"]) is None


def test_every_ess_and_aps_lep_name_is_found() -> None:
    ess = [
        "Enterprise M3", "Black Country", "Buckinghamshire Thames Valley",
        "Cheshire and Warrington", "Coast to Capital", "Cornwall and Isles of Scilly",
        "Coventry and Warwickshire", "Cumbria", "Derby Derbyshire Nottingham and Nottinghamshire",
        "Dorset", "Leeds City Region", "Gloucestershire", "Greater Birmingham and Solihull",
        "Greater Cambridge Greater Peterborough", "Greater Lincolnshire", "Greater Manchester",
        "Heart of the South West", "Hertfordshire", "Humber", "Lancashire", "South East",
        "Leicester and Leicestershire", "Liverpool City Region", "London", "New Anglia",
        "North Eastern", "Northamptonshire", "Oxfordshire", "Sheffield City Region", "Solent",
        "South East Midlands", "Stoke-on-Trent and Staffordshire", "Swindon and Wiltshire",
        "Tees Valley", "Thames Valley Berkshire", "The Marches", "West of England",
        "Worcestershire", "York North Yorkshire and East Riding",
    ]  # fmt: skip
    found = {name: find_area(name, ["lep"]) for name in ess}
    assert all(found.values()), [n for n, a in found.items() if a is None]
    assert len({a.code for a in found.values() if a}) == 39


@pytest.mark.realdata
def test_aps_lep_names_are_found(source_dir: Path) -> None:
    path = source_dir / "aps" / "aps_t09a_employment_by_soc2010_submajor_england_lep_2015_2021.csv"
    if not path.exists():
        pytest.skip("APS file absent")
    with path.open(newline="", encoding="utf-8") as handle:
        names = {row["area"] for row in csv.DictReader(handle) if row["area_type"] == "lep"}
    codes = {name: find_area(name, ["lep"]) for name in names}
    assert all(codes.values()), [n for n, a in codes.items() if a is None]
    assert len({a.code for a in codes.values() if a}) == 38


def test_resolve_area_errors() -> None:
    with pytest.raises(InvalidQuery):
        resolve_area("  ")
    with pytest.raises(NotFound, match="Atlantis"):
        resolve_area("Atlantis")
    assert resolve_area("London", ["lep"]).code == "E37000051"
    with pytest.raises(NotFound, match="no LEP"):
        resolve_area("Camden", ["lep"])


def test_normalise_name() -> None:
    assert normalise_name("The Marches LEP") == "marches"
    assert normalise_name("Stoke-on-Trent & Staffordshire") == "stoke on trent and staffordshire"
    assert normalise_name("St. Helens") == normalise_name("St Helens")
    assert normalise_name("LEP") == "lep"


@given(st.sampled_from(AREAS), st.sampled_from(["upper", "lower", "title", "swapcase"]))
def test_every_name_and_code_finds_its_area_in_any_case(area: areas.Area, case: str) -> None:
    for name in area.names:
        assert area in find_areas(getattr(name, case)())
    for code in area.codes:
        assert area in find_areas(getattr(code, case)())


@given(st.text(max_size=40))
def test_lookup_never_raises_on_arbitrary_text(text: str) -> None:
    find_areas(text)
    try:
        resolve_area(text)
    except (InvalidQuery, NotFound):
        pass
