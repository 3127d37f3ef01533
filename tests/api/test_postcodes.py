"""Postcodes as areas, resolved through the ONS Postcode Directory fixture of the release."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from lmi.datasets.census import CENSUS_DISTANCE, CENSUS_OCCUPATION
from lmi.datasets.employer_skills_survey import EMPLOYER_SKILLS_SURVEY
from lmi.datasets.onspd import ONSPD
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.store import Database
from tests.api.conftest import client_over_release
from tests.datasets.helpers import copy_fixture
from tests.soc_fixtures import write_soc_sources

BASE = [SOC2010, SOC2020, EMPLOYER_SKILLS_SURVEY, ONSPD]


def _client(
    factory: pytest.TempPathFactory,
    store: Callable[[str], Database],
    name: str,
    *,
    census: bool = False,
    names: bool = True,
) -> Iterator[TestClient]:
    root = factory.mktemp(name)
    write_soc_sources(root)
    copy_fixture(root, "employer_skills_survey")
    folder = copy_fixture(root, "onspd")
    if not names:
        shutil.rmtree(folder / "Documents")
    datasets = list(BASE)
    if census:
        copy_fixture(root, "census2021")
        datasets += [CENSUS_OCCUPATION, CENSUS_DISTANCE]
    db = store(name)
    yield from client_over_release(db, root, datasets)


@pytest.fixture(scope="module")
def client(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Iterator[TestClient]:
    """ESS and the postcode directory; no Census file (synthetic Census stand-ins)."""
    yield from _client(tmp_path_factory, session_store, "postcodes")


@pytest.fixture(scope="module")
def census(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Iterator[TestClient]:
    """The Census fixtures loaded too (Camden, Hartlepool, London)."""
    yield from _client(tmp_path_factory, session_store, "postcodes_census", census=True)


@pytest.fixture(scope="module")
def nameless(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Iterator[TestClient]:
    """The directory without its Documents/ names files."""
    yield from _client(tmp_path_factory, session_store, "postcodes_nameless", names=False)


def _data(client: TestClient, path: str) -> tuple[Any, dict[str, Any]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["data"], body["meta"]


def _error(client: TestClient, path: str, status: int) -> str:
    response = client.get(path)
    assert response.status_code == status, response.text
    return str(response.json()["error"])


def test_postcode_resolves_to_its_local_authority(client: TestClient) -> None:
    data, meta = _data(client, "/v1/areas/sw1a1aa")
    assert (data["kind"], data["code"], data["name"]) == ("la", "la-westminster", "Westminster")
    resolved = data["resolved_from"]
    assert resolved["postcode"] == "SW1A 1AA"
    assert resolved["area"] == {"kind": "la", "code": "la-westminster", "name": "Westminster"}
    assert resolved["local_authority"] == {"code": "E09000033", "name": "Westminster"}
    assert resolved["region"] == {"code": "E12000007", "name": "London"}
    assert resolved["leps"] == [{"code": "E37000051", "name": "London"}]
    assert resolved["latitude"] == pytest.approx(51.501009)
    assert "postcode SW1A 1AA answered for Westminster (local authority)" in resolved["note"]
    assert [a["code"] for a in data["also_matches"]] == ["E37000051", "E12000007", "E92000001"]
    assert "onspd" in [p["dataset"] for p in meta["provenance"]]


def test_any_spacing_and_case(client: TestClient) -> None:
    for text in ("SW1A%201AA", "sw1a%20%201aa", "%20SW1A1AA%20"):
        assert _data(client, f"/v1/areas/{text}")[0]["code"] == "la-westminster"


def test_lat_lng_resolves_through_the_nearest_postcode(client: TestClient) -> None:
    """100 m from SW1A 1AA's centroid (51.501009, -0.141588): answered as that postcode."""
    data, _ = _data(client, "/v1/areas/51.5001,-0.1405")
    assert data["code"] == "la-westminster"
    assert _data(client, "/v1/areas/SW1A%201AA")[0]["code"] == data["code"]


def test_two_tier_area_resolves_to_its_county(client: TestClient) -> None:
    data, _ = _data(client, "/v1/areas/CT1%202EH")
    assert data["code"] == "la-kent"
    resolved = data["resolved_from"]
    assert resolved["district"] == {"code": "E07000106", "name": "Canterbury"}
    assert (
        resolved["county"] == resolved["local_authority"] == {"code": "E10000016", "name": "Kent"}
    )


def test_authority_unknown_to_the_registry_falls_back_to_the_lep(client: TestClient) -> None:
    data, _ = _data(client, "/v1/areas/BH1%201AA")
    assert (data["kind"], data["code"]) == ("lep", "E37000009")  # Dorset LEP
    note = data["resolved_from"]["note"]
    assert "answered for Dorset (LEP)" in note
    assert "Bournemouth, Christchurch and Poole (E06000058) is not one of the registry's" in note


def test_without_names_files_the_lep_answers_and_says_why(nameless: TestClient) -> None:
    data, _ = _data(nameless, "/v1/areas/SW1A%201AA")
    assert (data["kind"], data["code"]) == ("lep", "E37000051")
    resolved = data["resolved_from"]
    assert resolved["local_authority"] == {"code": "E09000033", "name": None}
    assert "names files" in resolved["note"] and "were not loaded" in resolved["note"]


def test_area_search_by_postcode_lists_its_areas(client: TestClient) -> None:
    data, _ = _data(client, "/v1/areas?q=M1%201AE")
    assert [a["code"] for a in data] == ["la-manchester", "E37000015", "E12000002", "E92000001"]
    leps, _ = _data(client, "/v1/areas?q=M1%201AE&kind=lep")
    assert [a["code"] for a in leps] == ["E37000015"]
    assert _data(client, "/v1/areas?q=M1")[0] == []  # a search term, not a bad postcode


def test_synthetic_census_answers_for_the_local_authority(client: TestClient) -> None:
    data, _ = _data(client, "/v1/areas/M1%201AE/residents")
    assert data["area"]["code"] == "la-manchester"
    assert data["resolved_from"]["area"]["code"] == "la-manchester"
    assert data["provenance"]["method"] == "synthetic"
    by_name, _ = _data(client, "/v1/areas/Manchester/residents")
    assert by_name["total"] == data["total"] and by_name["resolved_from"] is None


def test_loaded_census_answers_for_the_district(census: TestClient) -> None:
    data, meta = _data(census, "/v1/areas/WC1E%206BT/residents")
    assert data["area"] == {"kind": "ltla", "code": "E09000007", "name": "Camden"}
    assert data["total"] == _data(census, "/v1/areas/E09000007/residents")[0]["total"]
    assert "onspd" in [p["dataset"] for p in meta["provenance"]]
    # Westminster is not in the fixture files: its region, London, answers
    data, _ = _data(census, "/v1/areas/SW1A%201AA/residents")
    assert data["area"]["code"] == "E12000007"
    assert "answered for London (region)" in data["resolved_from"]["note"]


def test_compatible_census_keeps_its_shape_and_notes_the_postcode(census: TestClient) -> None:
    response = census.get("/api/v1/census/resident_occupations?area=wc1e%206bt")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"totalResidents", "residentOccupations", "note"}
    assert "Postcode WC1E 6BT answered for Camden" in body["note"]
    assert "WC1E 6BT" in response.headers["x-lmi-note"]
    outside = census.get("/api/v1/census/distance?area=EH1%201YZ")  # no Scottish figures
    assert outside.status_code == 200 and outside.headers["x-lmi-method"] == "none"
    assert outside.json()["distanceBreakdown"] == [] and "EH1 1YZ" in outside.json()["note"]
    unissued = census.get("/api/v1/census/distance?area=ZZ1%201ZZ")
    assert unissued.status_code == 404 and "ZZ1 1ZZ" in unissued.json()["error"]


def test_jobs_answer_for_the_finest_area_with_ess_figures(client: TestClient) -> None:
    data, _ = _data(client, "/v1/areas/WC1E%206BT/jobs")
    assert data["area"]["code"] == "E37000051"  # the fixture's ESS has London LEP, not Camden
    assert data["provenance"]["dataset"] == "employer_skills_survey"
    assert "answered for London (LEP)" in data["resolved_from"]["note"]
    compat = client.get("/api/v1/census/jobs_breakdown?area=WC1E6BT").json()
    assert set(compat) == {"totalJobs", "jobsBreakdown", "note"}
    assert compat["totalJobs"] == data["total"] and "WC1E 6BT" in compat["note"]


def test_vacancies_by_postcode(client: TestClient) -> None:
    data, meta = _data(client, "/v1/vacancies/soc2010/2111?area=WC1E%206BT")
    assert data["area"]["code"] == "E37000051"
    assert data["resolved_from"]["area"]["code"] == "E37000051"
    assert data["shares"] == _data(client, "/v1/vacancies/soc2010/2111?area=E37000051")[0]["shares"]
    assert {"employer_skills_survey", "onspd"} <= {p["dataset"] for p in meta["provenance"]}
    ranked, _ = _data(client, "/v1/areas/WC1E%206BT/vacancies")
    assert ranked["area"]["code"] == "E37000051" and ranked["resolved_from"] is not None
    # BH1 1AA: neither its LEP (Dorset) nor its region has ESS figures here: England answers
    england, _ = _data(client, "/v1/vacancies/soc2010/2111?area=BH1%201AA")
    assert england["area"]["code"] == "E92000001"


def test_compatible_ess_region_notes_the_postcode(client: TestClient) -> None:
    response = client.get("/api/v1/ess/region/WC1E%206BT/2111")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["region"] == {"name": "London", "code": "E37000051"}
    assert "Postcode WC1E 6BT answered for London (LEP)" in body["note"]
    ranked = client.get("/api/v1/ess/regions/ranksocs/WC1E%206BT")
    assert ranked.status_code == 200 and ranked.json()[-1]["soc"] == -1
    assert "WC1E 6BT" in ranked.headers["x-lmi-note"]


def test_unemployment_region_by_postcode(client: TestClient) -> None:
    data, _ = _data(client, "/v1/unemployment/soc2020/2111?region=M1%201AE")
    assert data["region"] == {"code": 8, "name": "North West"}
    assert data["resolved_from"]["area"] == {"kind": "region", "code": 8, "name": "North West"}
    scotland, _ = _data(client, "/v1/unemployment/soc2020/2111?region=EH1%201YZ")
    assert scotland["region"] == {"code": 11, "name": "Scotland"}
    assert _data(client, "/v1/unemployment/soc2020/2111?region=London")[0]["resolved_from"] is None


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/v1/areas/ZZ1%201ZZ", 404, "postcode ZZ1 1ZZ is not a live postcode"),
        ("/v1/areas/M1%201AA", 404, "(terminated, or never issued)"),  # terminated in 2012
        ("/v1/areas/SW1A%201A", 400, "'SW1A 1A' is not a full UK postcode"),
        ("/v1/areas/SW1A", 400, "is not a full UK postcode"),
        ("/api/v1/census/resident_occupations?area=95.0,-0.14", 400, "not a latitude,longitude"),
        ("/v1/areas/10.0,10.0", 404, "no live postcode within about 50 km"),
        ("/v1/areas/EH1%201YZ", 404, "is in Scotland: the areas served here are in England"),
        ("/v1/vacancies/soc2010/2111?area=GY1%201AA", 404, "the Channel Islands"),
        ("/v1/unemployment/soc2020/2111?region=M1", 400, "region: 'M1' is not a full UK"),
    ],
)
def test_postcode_errors(client: TestClient, path: str, status: int, words: str) -> None:
    assert words in _error(client, path, status)


def test_codes_and_names_still_resolve_as_areas(client: TestClient) -> None:
    assert _data(client, "/v1/areas/D2N2")[0]["code"] == "E37000045"  # letters and digits
    assert _data(client, "/v1/areas/E12000007")[0]["resolved_from"] is None
    assert _data(client, "/v1/areas/Camden/residents")[0]["area"]["code"] == "la-camden"


def test_without_the_directory_a_postcode_is_a_clear_400(fixture_client: TestClient) -> None:
    words = "need the ONS Postcode Directory, which is not loaded"
    # LMI for All's shape answers it with no figures and the same words (see test_labour)
    compat = fixture_client.get("/api/v1/census/resident_occupations?area=SW1A1AA")
    assert compat.status_code == 200 and words in compat.json()["note"]
    assert words in _error(fixture_client, "/v1/areas/SW1A%201AA", 400)
    assert words in _error(fixture_client, "/v1/unemployment/soc2020/2111?region=M1%201AE", 400)
    assert "not a full UK postcode" in _error(fixture_client, "/v1/areas/SW1A%201A", 400)
    assert _data(fixture_client, "/v1/areas/Camden/residents")[0]["resolved_from"] is None


def test_openapi_describes_postcodes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/census/jobs_breakdown", "/v1/vacancies/{version}/{code}"):
        described = {p["name"]: p["description"] for p in spec["paths"][path]["get"]["parameters"]}
        assert "UK postcode" in described["area"]
