"""Every /api/v1 route walked with well-formed requests for data lmi does not hold (issue 17).

The rule: such a request gets LMI for All's shape with no figures in it (empty list, ``null``
figures, LMI for All's ``error`` key) and the reason (``X-LMI-Note``, and ``note`` in object
bodies), with ``X-LMI-Method: none`` — never a 4xx. Malformed requests stay 400 with a clear
message; a well-formed code nobody issued (SOC 2010 ``9999``, an unknown area name, a postcode
missing from a loaded postcode area) is a 404, as docs/compat.md decides.

Three releases: the SOC-only fixture release (every other dataset missing), the synthetic
demo (everything but the postcode directory: years, regions and postcodes outside the data)
and a partial fixture release (ESS, Census and two postcode areas of the directory).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from lmi.api.routes import ENDPOINTS
from lmi.datasets.census import CENSUS_DISTANCE, CENSUS_OCCUPATION
from lmi.datasets.employer_skills_survey import EMPLOYER_SKILLS_SURVEY
from lmi.datasets.onspd import ONSPD
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.ops.keys import create_key
from lmi.store import Database
from tests.api.compat_models import (
    AnnualChanges,
    Breakdown,
    Courses,
    Distance,
    Ess,
    EssPlace,
    EssRegion,
    FilterInfo,
    Hours,
    Jobs,
    MedianDecilesOrNone,
    Onet2Soc,
    Pay,
    Prediction,
    Ranked,
    ReplacementOrNone,
    Residents,
    ReverseMatch,
    Scales,
    Soc2Onet,
    SocInfo,
    Unemployment,
    Vacancy,
    decode,
)
from tests.api.conftest import client_over_release
from tests.datasets.helpers import copy_fixture
from tests.datasets.test_onspd_editions import _write_split
from tests.soc_fixtures import write_soc_sources

pytestmark = pytest.mark.slow  # builds three releases: make test, not make quick

#: route → (a well-formed request for data the SOC-only release lacks, the client model);
#: ``KEY`` is replaced by an API key with the pay:md scope
ROUTES: dict[str, tuple[str, Any]] = {
    "/api/v1/soc/code/{soc}": ("/api/v1/soc/code/1111", SocInfo),
    "/api/v1/soc/search": ("/api/v1/soc/search?q=zzzzqqq", list[SocInfo]),
    "/api/v1/ashe/estimatePay": ("/api/v1/ashe/estimatePay?soc=1111&breakdown=region", Pay),
    "/api/v1/ashe/estimateHours": ("/api/v1/ashe/estimateHours?soc=1111&coarse=true", Hours),
    "/api/v1/ashe/annualChanges": ("/api/v1/ashe/annualChanges?soc=1111", AnnualChanges),
    "/api/v1/ashe/filters": ("/api/v1/ashe/filters", list[str]),
    "/api/v1/ashe/filters/all": ("/api/v1/ashe/filters/all", list[FilterInfo]),
    "/api/v1/ashe/filters/info/{name}": ("/api/v1/ashe/filters/info/region", FilterInfo),
    "/api/v1/ashe/estimatePayMD": ("/api/v1/ashe/estimatePayMD?soc=1111&key=KEY", None),
    "/api/v1/lfs/unemployment": ("/api/v1/lfs/unemployment?soc=1111&filterBy=gender:2", None),
    "/api/v1/lfs/filters": ("/api/v1/lfs/filters", list[str]),
    "/api/v1/lfs/filters/all": ("/api/v1/lfs/filters/all", list[FilterInfo]),
    "/api/v1/lfs/filters/info/{name}": ("/api/v1/lfs/filters/info/ageband", FilterInfo),
    "/api/v1/wf/predict": ("/api/v1/wf/predict?soc=1111&minYear=2025&maxYear=2031", Prediction),
    "/api/v1/wf/predict/breakdown/{dim}": (
        "/api/v1/wf/predict/breakdown/industry?soc=1111&minYear=2025&maxYear=2025",
        Breakdown,
    ),
    "/api/v1/wf/replacement_demand": ("/api/v1/wf/replacement_demand?soc=1111", None),
    "/api/v1/wf/filters": ("/api/v1/wf/filters", list[str]),
    "/api/v1/wf/filters/all": ("/api/v1/wf/filters/all", list[FilterInfo]),
    "/api/v1/wf/filters/info/{name}": ("/api/v1/wf/filters/info/industry", FilterInfo),
    "/api/v1/ess/uk/{soc}": ("/api/v1/ess/uk/1111?coarse=true", Ess),
    "/api/v1/ess/region/{region}/{soc}": ("/api/v1/ess/region/London/1111", EssRegion),
    "/api/v1/ess/regions": ("/api/v1/ess/regions", dict[str, int]),
    "/api/v1/ess/regions/ranksocs/{region}": ("/api/v1/ess/regions/ranksocs/2", list[Ranked]),
    "/api/v1/o-net/soc2onet/{soc}": ("/api/v1/o-net/soc2onet/1111", Soc2Onet),
    "/api/v1/o-net/onet2soc": ("/api/v1/o-net/onet2soc?onetCodes=15-1252.00", list[Onet2Soc]),
    "/api/v1/o-net/{descriptor}/{onetcode}": ("/api/v1/o-net/abilities/15-1252.00", Scales),
    "/api/v1/o-net/reversematch": ("/api/v1/o-net/reversematch?skills=2.A.1.a", ReverseMatch),
    "/api/v1/vacancies/search": ("/api/v1/vacancies/search?keywords=x&location=LS1", None),
    "/api/v1/hesa/courses/{soc}": ("/api/v1/hesa/courses/1111", Courses),
    "/api/v1/census/jobs_breakdown": ("/api/v1/census/jobs_breakdown?area=Camden", Jobs),
    "/api/v1/census/resident_occupations": (
        "/api/v1/census/resident_occupations?area=SW1A%201AA",
        Residents,
    ),
    "/api/v1/census/distance": ("/api/v1/census/distance?area=51.5,-0.12", Distance),
}
#: answers that are reference lists or searches: they hold what they hold, not "no data"
LISTS = {"soc/code", "soc/search", "/filters", "vacancies/search"}


def test_every_compatible_route_is_walked() -> None:
    """A new /api/v1 route must say here what its no-data answer is."""
    served = {e.path for e in ENDPOINTS if e.path.startswith("/api/v1/")}
    assert served == set(ROUTES)


@pytest.fixture(scope="module")
def md_key(fixture_db: Database) -> str:
    _, key = create_key(fixture_db, "careers service", scopes=("pay:md",))
    return key


def _in_shape(client: TestClient, path: str, model: Any) -> Any:
    """``path`` answered 200 in LMI for All's shape (``model``), with no figures and a reason."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    body = response.json()
    if model is not None:
        decode(model, body)
    if not any(part in path for part in LISTS):
        assert response.headers["x-lmi-method"] == "none", (path, response.headers)
        note = response.headers.get("x-lmi-note") or (
            body.get("note") if isinstance(body, dict) else None
        )
        assert note, (path, body)
    return body


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_release_without_the_data_answers_every_route_in_shape(
    fixture_client: TestClient, md_key: str, route: str
) -> None:
    path, model = ROUTES[route]
    body = _in_shape(fixture_client, path.replace("KEY", md_key), model)
    if route.endswith("estimatePayMD"):
        found = decode(MedianDecilesOrNone, body)
        assert found.median is None and found.deciles == {} and found.error
    elif route.endswith("replacement_demand"):
        found = decode(ReplacementOrNone, body)
        assert found.rate is None and found.error and body["note"]
        assert (found.start_year, found.end_year) == (2020, 2035)
    elif route.endswith("unemployment"):
        assert decode(Unemployment, body).years == [] and body["error"]
    elif route.endswith("vacancies/search"):
        assert decode(list[Vacancy], body) == []
    elif route.endswith("ranksocs/{region}"):
        assert [row["soc"] for row in body] == [-1]  # only the end marker clients stop at


def test_figures_withheld_or_not_held_say_so_in_the_body(fixture_client: TestClient) -> None:
    """Spot checks of the no-data bodies: empty, null, LMI for All's keys, and why."""
    pay = fixture_client.get("/api/v1/ashe/estimateHours?soc=1111&coarse=true").json()
    assert pay["soc"] == 11 and pay["series"] == []  # coarse=true: the 2-digit group, even empty
    assert "coarse=true" in pay["note"] and "ASHE is not loaded" in pay["note"]
    ess = fixture_client.get("/api/v1/ess/region/London/1111").json()
    assert ess["region"] == {"name": "London", "code": 1} and ess["percentHTF"] is None
    assert ess["reliability"] == 0 and "not loaded" in ess["note"]
    assert fixture_client.get("/api/v1/ess/regions").json() == {}
    census = fixture_client.get("/api/v1/census/distance?area=51.5,-0.12").json()
    assert (
        census
        == {
            "totalResidents": 0,
            "distanceBreakdown": [],
            "note": census["note"],
        }
        and "ONS Postcode Directory" in census["note"]
    )


# -- the demo release: years, regions, filters and postcodes outside the data ----------------------


def _demo_soc(client: TestClient) -> int:
    found = client.get("/api/v1/soc/search?q=software").json()
    return int(found[0]["soc"])


DEMO_NO_DATA = [
    ("/api/v1/ashe/estimatePay?soc={soc}&filters=qualification:3", Pay),
    ("/api/v1/ashe/estimatePay?soc={soc}&filters=region:12&coarse=false", Pay),
    ("/api/v1/ashe/annualChanges?soc={soc}&filters=gender:2", AnnualChanges),
    ("/api/v1/lfs/unemployment?soc={soc}&minYear=1991&maxYear=1992", Unemployment),
    ("/api/v1/wf/predict?soc={soc}&minYear=2040&maxYear=2045", Prediction),
    ("/api/v1/wf/predict?soc={soc}&minYear=1990&maxYear=1995", Prediction),
    ("/api/v1/wf/predict/breakdown/region?soc={soc}&minYear=2040&maxYear=2041", Breakdown),
    ("/api/v1/wf/predict/breakdown/industry?soc={soc}&minYear=1990&maxYear=1991", Breakdown),
    ("/api/v1/wf/replacement_demand?soc={soc}&minYear=2019&maxYear=2027", ReplacementOrNone),
    ("/api/v1/ess/region/11/{soc}", EssRegion),
    ("/api/v1/ess/region/SW1A%201AA/{soc}?coarse=true", EssPlace),
    ("/api/v1/ess/regions/ranksocs/12", list[Ranked]),
    ("/api/v1/ess/regions/ranksocs/M1%201AE", list[Ranked]),
    ("/api/v1/census/resident_occupations?area=SW1A1AA", Residents),
    ("/api/v1/census/jobs_breakdown?area=51.5,-0.12", Jobs),
    ("/api/v1/hesa/courses/{soc}", Courses),  # a modelled link only: no data unless opted in
]


@pytest.mark.parametrize(("template", "model"), DEMO_NO_DATA)
def test_data_less_parameters_answer_in_shape(
    demo_client: TestClient, template: str, model: Any
) -> None:
    _in_shape(demo_client, template.format(soc=_demo_soc(demo_client)), model)


def test_ashe_md_without_a_median_is_null_with_error(
    demo_client: TestClient, demo_release_db: Database
) -> None:
    """DFCD's salary call: no median (a filter not held) → ``median: null``, ``error``, note."""
    _, key = create_key(demo_release_db, "no-median", scopes=("pay:md",))
    soc = _demo_soc(demo_client)
    path = f"/api/v1/ashe/estimatePayMD?soc={soc}&filters=age:40&key={key}"
    body = decode(MedianDecilesOrNone, _in_shape(demo_client, path, None))
    assert body.median is None and body.deciles == {} and body.error


def test_coarse_true_is_honoured_wherever_lmi_for_all_took_it(
    demo_client: TestClient, demo_release_db: Database
) -> None:
    """coarse=true: ASHE answers at the 2-digit group (a recorded LMI for All answer: soc 41
    for 4114) on every ASHE endpoint; ESS, whose figures are major groups, says so."""
    soc = _demo_soc(demo_client)
    two = int(str(soc)[:2])
    for path in ("estimatePay", "estimateHours"):
        body = demo_client.get(f"/api/v1/ashe/{path}?soc={soc}&coarse=true").json()
        assert body["soc"] == two and "coarse=true" in body["note"]
    sibling = next(  # another unit group of the same 2-digit group
        code
        for code in range(two * 100 + 11, two * 100 + 100)
        if code != soc and demo_client.get(f"/api/v1/soc/code/{code}").status_code == 200
    )
    changes = demo_client.get(f"/api/v1/ashe/annualChanges?soc={soc}&coarse=true").json()
    group = demo_client.get(f"/api/v1/ashe/annualChanges?soc={sibling}&coarse=true").json()
    assert changes["annual_changes"] and changes["annual_changes"] == group["annual_changes"]
    own = demo_client.get(f"/api/v1/ashe/annualChanges?soc={soc}").json()
    assert own["annual_changes"] != changes["annual_changes"]
    assert "coarse=true" in changes["note"]
    _, key = create_key(demo_release_db, "coarse", scopes=("pay:md",))
    md = demo_client.get(f"/api/v1/ashe/estimatePayMD?soc={soc}&coarse=true&key={key}").json()
    fine = demo_client.get(f"/api/v1/ashe/estimatePayMD?soc={soc}&key={key}").json()
    assert "coarse=true" in md["note"] and md["median"] != fine["median"]
    for path in (f"/api/v1/ess/uk/{soc}", f"/api/v1/ess/region/1/{soc}"):
        plain = demo_client.get(path).json()
        coarse = demo_client.get(path + "?coarse=true").json()
        assert coarse["percentHTF"] == plain["percentHTF"]  # already the major group's
        assert "coarse=true" in coarse["note"] and "major group" in coarse["note"]
        assert "coarse=false: not applied" in demo_client.get(path + "?coarse=false").json()["note"]


# -- a partial release: ESS, Census and two postcode areas of the directory --------------------


@pytest.fixture(scope="module")
def partial(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("partial")
    write_soc_sources(root)
    copy_fixture(root, "employer_skills_survey")
    copy_fixture(root, "census2021")
    shutil.rmtree(Path(copy_fixture(root, "onspd")) / "Data")
    _write_split(root, {"WC", "EH"})  # only the WC and EH postcode areas are held
    datasets = [SOC2010, SOC2020, EMPLOYER_SKILLS_SURVEY, ONSPD]
    datasets += [CENSUS_OCCUPATION, CENSUS_DISTANCE]
    yield from client_over_release(session_store("partial"), root, datasets)


PARTIAL_NO_DATA = [
    # a postcode whose postcode area the release did not load
    ("/api/v1/census/resident_occupations?area=SW1A%201AA", Residents, "postcode area SW"),
    ("/api/v1/census/jobs_breakdown?area=M1%201AE", Jobs, "postcode area M"),
    ("/api/v1/ess/region/SW1A%201AA/2111", EssPlace, "postcode area SW"),
    ("/api/v1/ess/regions/ranksocs/SW1A%201AA", list[Ranked], "postcode area SW"),
    # an area a topic file lacks (the TS058 fixture has no region file)
    ("/api/v1/census/distance?area=London", Distance, "London"),
    ("/api/v1/census/distance?area=E12000007", Distance, "E12000007"),
    # a live postcode outside the areas served
    ("/api/v1/census/distance?area=EH1%201YZ", Distance, "EH1 1YZ"),
    ("/api/v1/ess/region/EH1%201YZ/2111", EssPlace, "Scotland"),
    # an area the ESS files lack
    ("/api/v1/ess/region/Camden/2111", EssPlace, "Camden"),
    ("/api/v1/ess/regions/ranksocs/Kent", list[Ranked], "Kent"),
]


@pytest.mark.parametrize(("path", "model", "words"), PARTIAL_NO_DATA)
def test_areas_without_figures_answer_in_shape(
    partial: TestClient, path: str, model: Any, words: str
) -> None:
    response = partial.get(path)
    body = _in_shape(partial, path, model)
    note = body["note"] if isinstance(body, dict) else response.headers["x-lmi-note"]
    assert words in note, note


def test_the_partial_release_still_answers_what_it_holds(partial: TestClient) -> None:
    held = partial.get("/api/v1/census/resident_occupations?area=WC1E%206BT").json()
    assert held["totalResidents"] > 0 and "WC1E 6BT" in held["note"]
    ess = partial.get("/api/v1/ess/region/WC1E%206BT/2111").json()
    assert ess["percentHTF"] is not None and ess["reliability"] > 0


# -- malformed is 400, unknown codes 404 -----------------------------------------------------------

MALFORMED = [
    ("/api/v1/ashe/estimatePay?soc=abcd", "digits"),
    ("/api/v1/ashe/estimatePay?soc=213", "4 digits"),
    ("/api/v1/ashe/estimatePay?soc=2136&breakdown=colour", "breakdown"),
    ("/api/v1/ashe/estimatePay?soc=2136&filters=colour:1", "unknown filter 'colour'"),
    ("/api/v1/ashe/estimatePay?soc=2136&coarse=maybe", "coarse"),
    ("/api/v1/ashe/estimateHours?soc=2136&age=old", "age"),
    ("/api/v1/ashe/annualChanges?soc=2136&filters=region:13", "region"),
    ("/api/v1/lfs/unemployment?soc=2136&filterBy=ageband:2,3", "one code"),
    ("/api/v1/lfs/unemployment?soc=2136&minYear=2020&maxYear=2010", "after"),
    ("/api/v1/wf/predict?soc=x", "digits"),
    ("/api/v1/wf/predict?soc=2136&minYear=soon", "integer"),
    ("/api/v1/wf/predict?soc=2136&minYear=2030&maxYear=2025", "after"),
    ("/api/v1/wf/predict/breakdown/colour?soc=2136", "breakdown 'colour' does not exist"),
    ("/api/v1/wf/replacement_demand?soc=2136&minYear=2030&maxYear=2030", "before"),
    ("/api/v1/ess/uk/abc", "digits"),
    ("/api/v1/ess/uk/2136?coarse=maybe", "coarse"),
    ("/api/v1/ess/region/13/2136", "1–12"),
    ("/api/v1/ess/region/SW1A%201A/2136", "not a full UK postcode"),
    ("/api/v1/o-net/soc2onet/21x6", "digits"),
    ("/api/v1/o-net/onet2soc?onetCodes=nonsense", "O*NET-SOC code"),
    ("/api/v1/o-net/skills/nonsense", "O*NET-SOC code"),
    ("/api/v1/o-net/reversematch?skills=2.B.3.e&weights=1,2", "weights"),
    ("/api/v1/o-net/reversematch?skills=x.y", "element id"),
    ("/api/v1/hesa/courses/12345", "4 digits"),
    ("/api/v1/census/jobs_breakdown", "'area' is required"),
    ("/api/v1/census/distance?area=95.0,-0.14", "latitude"),
    ("/api/v1/soc/code/2136?callback=alert(1)", "callback"),
]


@pytest.mark.parametrize(("path", "words"), MALFORMED)
def test_malformed_requests_stay_400(demo_client: TestClient, path: str, words: str) -> None:
    response = demo_client.get(path)
    assert response.status_code == 400, (path, response.text[:300])
    assert words in response.json()["error"], response.json()["error"]


UNKNOWN = [  # well formed, never issued: 404, as docs/compat.md decides for unknown SOC codes
    "/api/v1/soc/code/9999",
    "/api/v1/ashe/estimatePay?soc=9999",
    "/api/v1/ashe/annualChanges?soc=9999",
    "/api/v1/lfs/unemployment?soc=9999",
    "/api/v1/wf/predict?soc=9999",
    "/api/v1/wf/replacement_demand?soc=9999",
    "/api/v1/ess/uk/9999",
    "/api/v1/ess/region/1/9999",
    "/api/v1/o-net/soc2onet/9999",
    "/api/v1/hesa/courses/9999",
    "/api/v1/ess/region/Atlantis/2136",
    "/api/v1/ess/regions/ranksocs/1234",  # not a region number (1–12), nor any area's code
    "/api/v1/census/distance?area=Atlantis",
]


@pytest.mark.parametrize("path", UNKNOWN)
def test_unknown_codes_are_404_on_any_release(
    demo_client: TestClient, fixture_client: TestClient, path: str
) -> None:
    for client in (demo_client, fixture_client):  # with and without the data
        response = client.get(path)
        assert response.status_code == 404, (path, response.text[:300])
        assert response.json()["error"]


def test_a_postcode_nobody_issued_is_404_where_its_area_is_held(partial: TestClient) -> None:
    response = partial.get("/api/v1/census/distance?area=WC9%209ZZ")
    assert response.status_code == 404 and "WC9 9ZZ" in response.json()["error"]


def test_years_partly_outside_the_data_answer_the_years_held(demo_client: TestClient) -> None:
    soc = _demo_soc(demo_client)
    body = demo_client.get(f"/api/v1/wf/predict?soc={soc}&minYear=2033&maxYear=2040").json()
    assert [row.year for row in decode(Prediction, body).predictedEmployment] == [
        2033,
        2034,
        2035,
    ]
    assert "Years asked outside 2010–2035" in body["note"]
    inside = demo_client.get(f"/api/v1/wf/predict?soc={soc}&minYear=2033&maxYear=2035").json()
    assert "Years asked outside" not in inside["note"]
