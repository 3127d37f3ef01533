"""The /api/v1 layer played by strict LMI for All clients (issue 17).

Every endpoint family is parsed with the models real clients declared
(:mod:`tests.api.compat_models`: C# Newtonsoft classes, Swift ``Codable`` structs, the Python
recommender's asserts), so a change of shape or type fails here. Everything runs on the
synthetic demo release or on fixture releases, so a clone without ../shared passes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from lmi.settings import Settings
from lmi.store import Database
from lmi.web import create_app
from tests.api.compat_models import (
    AnnualChanges,
    Breakdown,
    Courses,
    Ess,
    EssRegion,
    FilterInfo,
    Hours,
    Knowledge,
    MedianDeciles,
    Onet2Soc,
    Pay,
    Prediction,
    Ranked,
    Replacement,
    Residents,
    ShapeError,
    Soc2Onet,
    SocInfo,
    Unemployment,
    decode,
)


def test_decoder_fails_on_shape_and_type_changes() -> None:
    """The decoder must be able to fail, or every test below would pass on anything."""
    with pytest.raises(ShapeError, match="missing key 'series'"):
        decode(Pay, {"soc": 1})
    with pytest.raises(ShapeError, match="expected Int"):
        decode(Pay, {"soc": 2136.0, "series": []})
    with pytest.raises(ShapeError, match="null for non-optional"):
        decode(Pay, {"soc": 2136, "series": [{"year": 2020, "estpay": None}]})
    with pytest.raises(ShapeError, match="expected an array"):
        decode(Unemployment, {"soc": 1, "years": {}})
    assert decode(Pay, {"soc": 1, "series": [], "note": "x"}).series == []


# -- the calls real clients make, on the demo release -----------------------------------------


def _get(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return response.json()


def _soc(client: TestClient) -> int:
    found = _get(client, "/api/v1/soc/search?q=software")
    assert found
    return int(found[0]["soc"])


def test_soc_family(demo_client: TestClient) -> None:
    soc = _soc(demo_client)
    info = decode(SocInfo, _get(demo_client, f"/api/v1/soc/code/{soc}"))
    assert info.soc == soc
    for parent in (str(soc)[:1], str(soc)[:2], str(soc)[:3]):  # ranksocs / coarse follow-ups
        assert decode(SocInfo, _get(demo_client, f"/api/v1/soc/code/{parent}")).soc == int(parent)


def test_ashe_family(demo_client: TestClient) -> None:
    soc = _soc(demo_client)
    pay = decode(Pay, _get(demo_client, f"/api/v1/ashe/estimatePay?soc={soc}"))
    assert pay.series and all(item.estpay > 0 for item in pay.series)
    decode(Hours, _get(demo_client, f"/api/v1/ashe/estimateHours?soc={soc}"))
    decode(AnnualChanges, _get(demo_client, f"/api/v1/ashe/annualChanges?soc={soc}"))
    by_region = decode(
        Pay, _get(demo_client, f"/api/v1/ashe/estimatePay?soc={soc}&breakdown=region")
    )
    assert any(item.breakdown for item in by_region.series)
    filters = decode(list[FilterInfo], _get(demo_client, "/api/v1/ashe/filters/all"))
    assert [f.name for f in filters] == _get(demo_client, "/api/v1/ashe/filters")
    assert {c.code for f in filters if f.name == "region" for c in f.coding} == set(range(1, 13))
    one = decode(FilterInfo, _get(demo_client, "/api/v1/ashe/filters/info/gender"))
    assert [c.code for c in one.coding] == [1, 2]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("filters=region:11", "annual"),  # annualChanges only; see the next test for the rest
    ],
)
def test_annual_changes_by_region_is_empty_with_a_note(
    demo_client: TestClient, query: str, fragment: str
) -> None:
    soc = _soc(demo_client)
    response = demo_client.get(f"/api/v1/ashe/annualChanges?soc={soc}&{query}")
    assert response.status_code == 200 and response.headers["x-lmi-method"] == "none"
    body = response.json()
    assert decode(AnnualChanges, body).annual_changes == []
    assert fragment in body["note"] and "region" in body["note"]


@pytest.mark.parametrize(
    "query",
    ["breakdown=qualification", "breakdown=age", "filters=qualification:3", "age=20&coarse=false"],
)
def test_pay_not_held_answers_in_shape_not_4xx(demo_client: TestClient, query: str) -> None:
    """IOS: breakdown=qualification, then series[0].breakdown[]: in shape, no figures, a note."""
    soc = _soc(demo_client)
    body = _get(demo_client, f"/api/v1/ashe/estimatePay?soc={soc}&{query}")
    pay = decode(Pay, body)
    assert "no source held by lmi" in body["note"]
    for item in pay.series:  # a breakdown not held: the years stay, each breakdown is empty
        assert item.breakdown == []
    if not query.startswith("breakdown"):
        assert pay.series == []  # no invented figures for a filter lmi does not hold


def test_malformed_pay_requests_are_still_4xx(demo_client: TestClient) -> None:
    soc = _soc(demo_client)
    for query in ("filters=colour:1", "filters=region:13", "breakdown=colour", "age=old"):
        response = demo_client.get(f"/api/v1/ashe/estimatePay?soc={soc}&{query}")
        assert response.status_code == 400, query


def test_northern_ireland_says_it_is_the_uk_figure(demo_client: TestClient) -> None:
    soc = _soc(demo_client)
    uk = decode(Pay, _get(demo_client, f"/api/v1/ashe/estimatePay?soc={soc}"))
    body = _get(demo_client, f"/api/v1/ashe/estimatePay?soc={soc}&filters=region:12")
    ni = decode(Pay, body)
    assert [i.estpay for i in ni.series] == [
        i.estpay for i in uk.series if i.year in {n.year for n in ni.series}
    ]
    for item in body["series"]:
        assert item["area_used"] == "K02000001" and "Northern Ireland" in item["note"]
    regions = _get(demo_client, f"/api/v1/ashe/estimatePay?soc={soc}&breakdown=region")
    for year in regions["series"]:
        (twelve,) = [b for b in year["breakdown"] if b["region"] == 12]
        assert twelve["area_used"] == "K02000001"
        assert all("area_used" not in b for b in year["breakdown"] if b["region"] != 12)


def test_a_suppressed_cell_stood_in_for_says_so_in_the_body(demo_client: TestClient) -> None:
    """A coarser group's figure standing in carries ``fallback`` (its SOC digits) and a
    ``note`` per item; with ``coarse=false`` that year has no figure at all."""
    for soc in range(1111, 1300):
        body = demo_client.get(f"/api/v1/ashe/estimatePay?soc={soc}").json()
        if "series" in body and any("fallback" in item for item in body["series"]):
            break
    else:
        raise AssertionError("no demo unit group 1111-1299 has a stood-in figure")
    decode(Pay, body)
    stood_in = [item for item in body["series"] if "fallback" in item]
    for item in stood_in:
        assert item["fallback"] in (0, 1, 2, 3) and "stands in" in item["note"]
    strict = demo_client.get(f"/api/v1/ashe/estimatePay?soc={soc}&coarse=false").json()
    assert {i["year"] for i in stood_in}.isdisjoint(i["year"] for i in strict["series"])
    assert all("fallback" not in i for i in strict["series"])


def test_coarse_true_answers_at_the_two_digit_group(demo_client: TestClient) -> None:
    soc = _soc(demo_client)
    body = _get(demo_client, f"/api/v1/ashe/estimatePay?soc={soc}&coarse=true")
    coarse = decode(Pay, body)
    assert coarse.soc == int(str(soc)[:2]) and "coarse=true" in body["note"]
    fine = decode(Pay, _get(demo_client, f"/api/v1/ashe/estimatePay?soc={soc}&coarse=false"))
    assert fine.soc == soc
    assert decode(SocInfo, _get(demo_client, f"/api/v1/soc/code/{coarse.soc}")).soc == coarse.soc


def test_lfs_family(demo_client: TestClient) -> None:
    soc = _soc(demo_client)
    rates = decode(Unemployment, _get(demo_client, f"/api/v1/lfs/unemployment?soc={soc}"))
    assert rates.years
    outside = _get(demo_client, f"/api/v1/lfs/unemployment?soc={soc}&minYear=1991&maxYear=1991")
    empty = decode(Unemployment, outside)  # apps check years.length, then index years[0]
    assert empty.years == [] and empty.error
    info = decode(FilterInfo, _get(demo_client, "/api/v1/lfs/filters/info/ageband"))
    assert all(" to " in c.description or "+" in c.description for c in info.coding)
    noted = _get(demo_client, f"/api/v1/lfs/unemployment?soc={soc}&nqf8=4")
    assert "nqf8" in noted["note"]


def test_wf_family(demo_client: TestClient) -> None:
    soc = _soc(demo_client)
    body = _get(demo_client, f"/api/v1/wf/predict?soc={soc}&minYear=2024&maxYear=2030")
    assert decode(Prediction, body).predictedEmployment
    assert body["area_used"] == "E92000001" and "England only" in body["note"]
    for dim in ("gender", "status", "qualification", "region"):
        path = f"/api/v1/wf/predict/breakdown/{dim}?soc={soc}&minYear=2024&maxYear=2025"
        found = _get(demo_client, path)
        assert decode(Breakdown, found).breakdown == dim and found["area_used"] == "E92000001"
    decode(Replacement, _get(demo_client, f"/api/v1/wf/replacement_demand?soc={soc}"))
    names = _get(demo_client, "/api/v1/wf/filters")
    everything = decode(list[FilterInfo], _get(demo_client, "/api/v1/wf/filters/all"))
    assert names == [f.name for f in everything] and "region" in names
    region = decode(FilterInfo, _get(demo_client, "/api/v1/wf/filters/info/region"))
    assert [c.code for c in region.coding] == list(range(1, 13))
    assert demo_client.get("/api/v1/wf/filters/info/colour").status_code == 404


def test_ess_family(demo_client: TestClient) -> None:
    soc = _soc(demo_client)
    decode(Ess, _get(demo_client, f"/api/v1/ess/uk/{soc}?coarse=true"))
    decode(EssRegion, _get(demo_client, f"/api/v1/ess/region/1/{soc}"))
    ranked = decode(list[Ranked], _get(demo_client, "/api/v1/ess/regions/ranksocs/1"))
    assert ranked[-1].soc == -1
    for row in ranked[:-1]:  # every code is one the app can follow up with soc/code
        decode(SocInfo, _get(demo_client, f"/api/v1/soc/code/{row.soc}"))


@pytest.mark.parametrize("region", [10, 11, 12])
def test_ess_outside_england_answers_in_shape(demo_client: TestClient, region: int) -> None:
    soc = _soc(demo_client)
    body = _get(demo_client, f"/api/v1/ess/region/{region}/{soc}")
    found = decode(EssRegion, body)
    assert found.percentHTF is None and found.reliability == 0
    assert found.region is not None and found.region.code == region
    assert "England only" in body["note"]
    ranked = decode(list[Ranked], _get(demo_client, f"/api/v1/ess/regions/ranksocs/{region}"))
    assert [r.soc for r in ranked] == [-1]
    assert demo_client.get(f"/api/v1/ess/region/13/{soc}").status_code == 400


def test_onet_family(demo_client: TestClient) -> None:
    soc = _soc(demo_client)
    codes = decode(Soc2Onet, _get(demo_client, f"/api/v1/o-net/soc2onet/{soc}")).onetCodes
    assert codes
    everything = decode(list[Onet2Soc], _get(demo_client, "/api/v1/o-net/onet2soc"))
    wanted = [everything[0].onetCode, everything[-1].onetCode]
    some = _get(demo_client, "/api/v1/o-net/onet2soc?onetCodes=" + ",".join(wanted))
    assert sorted(o.onetCode for o in decode(list[Onet2Soc], some)) == sorted(wanted)
    assert demo_client.get("/api/v1/o-net/onet2soc?onetCodes=nonsense").status_code == 400
    knowledge = decode(Knowledge, _get(demo_client, f"/api/v1/o-net/knowledge/{codes[0].code}"))
    assert knowledge.onetcode == codes[0].code


@pytest.fixture(scope="module")
def demo_standins(demo_release_db: Database) -> Iterator[TestClient]:
    """The demo release with the operator's opt-in to stand-ins under /api/v1."""
    settings = Settings.from_env(
        {"LMI_COMPAT_STANDINS": "true"}, release_poll_seconds=0, snapshot_cache=False
    )
    with TestClient(create_app(settings, db=demo_release_db)) as client:
        yield client


def _linked_courses(client: TestClient) -> tuple[int, dict[str, Any]]:
    """A unit group the demo's (modelled, no HESA table) link gives courses, and its body."""
    for soc in range(1111, 1200):
        response = client.get(f"/api/v1/hesa/courses/{soc}")
        if response.status_code == 200 and response.json()["years"]:
            return soc, response.json()
    raise AssertionError("no demo unit group 1111-1199 has linked courses")


def test_hesa_year_is_an_academic_year_string(demo_standins: TestClient) -> None:
    _, body = _linked_courses(demo_standins)
    courses = decode(Courses, body)
    for year in courses.years:
        start, _, end = year.year.partition("/")
        assert len(start) == 4 and len(end) == 2 and (int(start) + 1) % 100 == int(end)
        assert year.courses and all(c.name[0] == "(" for c in year.courses)


def test_hesa_modelled_link_is_no_data_unless_opted_in(
    demo_client: TestClient, demo_standins: TestClient
) -> None:
    """Without a HESA table the courses come from lmi's keyword-affinity model, which strict
    clients would read as shares of graduates: served under /api/v1 only opted in."""
    soc, _ = _linked_courses(demo_standins)
    response = demo_client.get(f"/api/v1/hesa/courses/{soc}")
    body = decode(Courses, response.json())
    assert body.years == [] and "LMI_COMPAT_STANDINS" in response.json()["note"]
    assert response.headers["x-lmi-method"] == "none"


def test_census_family(demo_client: TestClient) -> None:
    body = _get(demo_client, "/api/v1/census/resident_occupations?area=London")
    decode(Residents, body)


# -- JSONP, CORS -------------------------------------------------------------------------------


def test_jsonp_is_also_jsonp_equals(demo_client: TestClient) -> None:
    soc = _soc(demo_client)
    plain = demo_client.get(f"/api/v1/soc/code/{soc}").text
    for name in ("callback", "jsonp"):
        wrapped = demo_client.get(f"/api/v1/soc/code/{soc}?{name}=show")
        assert wrapped.status_code == 200
        assert wrapped.text.endswith(f"show({plain});")
    assert demo_client.get(f"/api/v1/soc/code/{soc}?jsonp=alert(1)").status_code == 400


def test_provenance_headers_are_exposed_to_browsers(demo_client: TestClient) -> None:
    soc = _soc(demo_client)
    response = demo_client.get(f"/api/v1/ashe/estimatePay?soc={soc}")
    exposed = {h.strip() for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"x-lmi-methods", "x-lmi-source", "x-lmi-note", "x-lmi-method"} <= exposed
    assert "x-lmi-methods" in response.headers


def test_a_new_key_works_at_once_under_any_plausible_name(
    demo_client: TestClient, demo_release_db: Database
) -> None:
    """DFCD builds estimatePayMD's URL from a template whose key parameter name is unknown; a
    key just created works without waiting for the background refresh."""
    from lmi.ops.keys import create_key

    soc = _soc(demo_client)
    path = f"/api/v1/ashe/estimatePayMD?soc={soc}"
    assert demo_client.get(path).status_code == 401
    _, key = create_key(demo_release_db, "careers service", scopes=("pay:md",))
    for name in ("key", "apikey", "api_key", "accessKey"):
        response = demo_client.get(f"{path}&{name}={key}")
        assert response.status_code == 200, name
        body = decode(MedianDeciles, response.json())
        assert list(body.deciles) == ["10", "20", "30", "40", "60", "70", "80", "90"]
    assert demo_client.get(path, headers={"X-API-Key": key}).status_code == 200
    assert demo_client.get(f"{path}&key=lmi_not_a_key").status_code == 401
    assert demo_client.get(f"{path}&key=lmi_not_a_key").status_code == 401  # remembered


# -- stand-ins ---------------------------------------------------------------------------------


def test_lfs_stand_in_is_no_data_by_default(fixture_client: TestClient) -> None:
    """The SOC-only fixture release has no LFS table: lmi's synthetic stand-in must not reach a
    strict client under LMI for All's shape unless the operator opted in."""
    response = fixture_client.get("/api/v1/lfs/unemployment?soc=1111")
    assert response.status_code == 200
    body = decode(Unemployment, response.json())
    assert body.years == [] and body.error
    assert "LMI_COMPAT_STANDINS" in response.json()["note"]
    assert response.headers["x-lmi-method"] == "none"


@pytest.fixture(scope="module")
def standins_client(fixture_db: Database) -> Iterator[TestClient]:
    settings = Settings.from_env(
        {"LMI_COMPAT_STANDINS": "true"}, release_poll_seconds=0, snapshot_cache=False
    )
    with TestClient(create_app(settings, db=fixture_db)) as client:
        yield client


def test_lfs_stand_in_served_when_the_operator_opts_in(standins_client: TestClient) -> None:
    response = standins_client.get("/api/v1/lfs/unemployment?soc=1111")
    body = decode(Unemployment, response.json())
    assert body.years
    assert response.json()["note"].startswith("SYNTHETIC")
    assert response.headers["x-lmi-method"] == "synthetic"
