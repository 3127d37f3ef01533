"""The /api/v1 layer played by strict LMI for All clients (issue 17).

Each model below is what a real client declared (C# Newtonsoft classes of the National
Careers Service importer, Swift ``Codable`` structs of the iOS apps, the Python recommender's
asserts): :func:`decode` parses a body the way those decoders do, and fails on a missing key, a
``null`` where the model has no optional, a string where a number is expected, or a float where
an ``Int`` is (Swift refuses ``5.0`` for ``Int``; ``Double`` takes ``5``). Keys the model does
not declare are ignored, as both decoders do, so lmi's additive keys (``note``, ``fallback``,
``area_used``) must never break them. Everything runs on the synthetic demo release or on
fixture releases, so a clone without ../shared passes.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from starlette.testclient import TestClient

from lmi.settings import Settings
from lmi.store import Database
from lmi.web import create_app


class ShapeError(AssertionError):
    """What a strict client would throw (JsonSerializationException, DecodingError)."""


def decode(model: Any, value: Any, where: str = "$") -> Any:
    """Parse ``value`` as ``model`` strictly (see the module docstring)."""
    origin = get_origin(model)
    if origin in (Union, types.UnionType):
        options = get_args(model)
        if value is None and type(None) in options:
            return None
        (inner,) = [o for o in options if o is not type(None)]
        return decode(inner, value, where)
    if value is None:
        raise ShapeError(f"{where}: null for non-optional {model}")
    if origin is list:
        if not isinstance(value, list):
            raise ShapeError(f"{where}: expected an array, got {type(value).__name__}")
        (item,) = get_args(model)
        return [decode(item, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ShapeError(f"{where}: expected an object")
        _, item = get_args(model)
        return {k: decode(item, v, f"{where}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(model):
        if not isinstance(value, dict):
            raise ShapeError(f"{where}: expected an object, got {type(value).__name__}")
        hints = get_type_hints(model)
        found = {}
        for f in dataclasses.fields(model):
            optional = f.default is None
            if f.name not in value:
                if optional:
                    found[f.name] = None
                    continue
                raise ShapeError(f"{where}: missing key {f.name!r}")
            found[f.name] = decode(hints[f.name], value[f.name], f"{where}.{f.name}")
        return model(**found)
    if model is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ShapeError(f"{where}: expected Int, got {value!r}")
        return value
    if model is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ShapeError(f"{where}: expected Double, got {value!r}")
        return float(value)
    if model is str:
        if not isinstance(value, str):
            raise ShapeError(f"{where}: expected String, got {value!r}")
        return value
    if model is Any:
        return value
    raise TypeError(f"no decoder for {model}")


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


# -- models (as clients declared them) ---------------------------------------------------------


@dataclass
class SocInfo:  # NOCK, DFC LmiSocDatasetModel
    soc: int
    title: str
    description: str
    qualifications: str
    tasks: str
    add_titles: list[str]


@dataclass
class PayBreakdown:  # IOS / regional wage app: reads .region (or .gender …) and .estpay
    estpay: float
    region: int | None = None
    gender: int | None = None
    status: int | None = None
    qualification: int | None = None


@dataclass
class PayItem:
    year: int
    estpay: float
    breakdown: list[PayBreakdown] | None = None


@dataclass
class Pay:  # IOS, VUE, NOCK
    soc: int
    series: list[PayItem]


@dataclass
class HoursItem:
    year: int
    hours: float


@dataclass
class Hours:
    soc: int
    series: list[HoursItem]


@dataclass
class Change:
    year: int
    change: float


@dataclass
class AnnualChanges:  # VUE
    annual_changes: list[Change]


@dataclass
class Coding:
    code: int
    description: str


@dataclass
class FilterInfo:  # SWG13 LFSFilterInfo, IOS
    name: str
    description: str
    coding: list[Coding]


@dataclass
class Rate:
    year: int
    unemprate: float


@dataclass
class Unemployment:  # BOB, IOS (Swift: `years` declared non-optional by the app that indexes it)
    soc: int
    years: list[Rate]
    error: str | None = None


@dataclass
class Predicted:
    year: int
    employment: float


@dataclass
class Prediction:  # DFC LmiPredictedModel, TUT15
    soc: int
    predictedEmployment: list[Predicted]


@dataclass
class BreakdownItem:
    code: int
    name: str
    employment: float
    note: str | None = None


@dataclass
class BreakdownYear:
    year: int
    breakdown: list[BreakdownItem]


@dataclass
class Breakdown:  # DFC LmiBreakdownModel
    soc: int
    breakdown: str
    predictedEmployment: list[BreakdownYear]
    note: str | None = None


@dataclass
class Replacement:  # DFC LmiReplacementDemandModel
    soc: int
    start_year: int
    end_year: int
    rate: float


@dataclass
class RegionRef:
    name: str
    code: int


@dataclass
class Ess:  # VUE, DB13 (percentages may be null: C# double?)
    soc: int
    year: int
    percentHTF: float | None
    percentSSV: float | None
    percentHTFisSSV: float | None
    reliability: int


@dataclass
class EssRegion(Ess):  # C# essRegion template
    region: RegionRef | None = None


@dataclass
class Ranked:  # React/Rails apps: stop at soc == -1
    soc: int
    percentHTF: float | None


@dataclass
class OnetCode:
    code: str


@dataclass
class Soc2Onet:  # PY-REC
    soc: int
    onetCodes: list[OnetCode]


@dataclass
class SocRef:
    soc: int
    title: str


@dataclass
class Onet2Soc:  # BOB
    onetCode: str
    socCodes: list[SocRef]


@dataclass
class Element:
    id: str
    name: str
    value: float


@dataclass
class KnowledgeScale:
    id: str
    knowledge: list[Element]


@dataclass
class Knowledge:
    onetcode: str
    scales: list[KnowledgeScale]


@dataclass
class Course:
    name: str
    percentage: float


@dataclass
class CourseYear:  # LMI for All's year was "2011/12"
    year: str
    courses: list[Course]


@dataclass
class Courses:  # BOB
    years: list[CourseYear]


@dataclass
class Census:
    description: str
    percentage: float


@dataclass
class Residents:  # census Vue page
    totalResidents: int
    residentOccupations: list[Census]


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


@dataclass
class MedianDeciles:  # DFCD JobProfileSalary: median double, deciles IDictionary<int, decimal>
    median: float
    deciles: dict[str, float | None]


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
