"""LFS unemployment, Census area summaries and areas: loaded fixtures and synthetic stand-ins."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from starlette.testclient import TestClient

from lmi.datasets.census import CENSUS_DISTANCE, CENSUS_OCCUPATION
from lmi.datasets.employer_skills_survey import EMPLOYER_SKILLS_SURVEY
from lmi.datasets.lfs_unemployment import LFS_UNEMPLOYMENT
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.store import Database
from lmi.synth import labour as synth
from tests.api.conftest import client_for, client_over_release
from tests.datasets.helpers import copy_fixture
from tests.soc_fixtures import write_soc_sources

LOADED = [SOC2010, SOC2020, EMPLOYER_SKILLS_SURVEY, LFS_UNEMPLOYMENT]
LOADED += [CENSUS_OCCUPATION, CENSUS_DISTANCE]


def _client(
    factory: pytest.TempPathFactory, store: Callable[[str], Database], name: str, loaded: bool
) -> Iterator[TestClient]:
    root = factory.mktemp(name)
    write_soc_sources(root)
    copy_fixture(root, "employer_skills_survey")
    datasets = [SOC2010, SOC2020, EMPLOYER_SKILLS_SURVEY]
    if loaded:
        copy_fixture(root, "lfs_unemployment")
        copy_fixture(root, "census2021")
        datasets = LOADED
    db = store(name)
    # the stand-in tests are about the stand-ins, which the compat layer serves only opted in
    yield from client_over_release(db, root, datasets, compat_standins=not loaded)


@pytest.fixture(scope="module")
def standin(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Iterator[TestClient]:
    """No LFS or Census file: synthetic stand-ins."""
    yield from _client(tmp_path_factory, session_store, "labour_standin", loaded=False)


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Iterator[TestClient]:
    """The LFS and Census format fixtures loaded."""
    yield from _client(tmp_path_factory, session_store, "labour_loaded", loaded=True)


# -- LFS ---------------------------------------------------------------------------------------


def test_standin_unemployment_is_labelled_synthetic(standin: TestClient) -> None:
    response = standin.get("/api/v1/lfs/unemployment?soc=2111&minYear=2018&maxYear=2020")
    assert response.status_code == 200
    body = response.json()
    assert body["soc"] == 2111
    assert [y["year"] for y in body["years"]] == [2018, 2019, 2020]
    assert all(0 < y["unemprate"] < 60 for y in body["years"])
    assert body["note"].startswith("SYNTHETIC")
    assert response.headers["x-lmi-method"] == "synthetic"
    assert "SYNTHETIC" in response.headers["x-lmi-source"]
    again = standin.get("/api/v1/lfs/unemployment?soc=2111&minYear=2018&maxYear=2020").json()
    assert again == body  # deterministic


def test_standin_is_shaped_by_major_group_and_filters(standin: TestClient) -> None:
    def rate(soc: int, filters: str = "") -> float:
        query = f"soc={soc}&minYear=2019&maxYear=2019" + (f"&filterBy={filters}" if filters else "")
        return float(
            standin.get(f"/api/v1/lfs/unemployment?{query}").json()["years"][0]["unemprate"]
        )

    assert rate(9111) > rate(1111)  # elementary above managers, as in every LFS
    assert rate(2111, "ageband:2") > rate(2111, "ageband:4")  # the young more than 35–49
    assert rate(2111, "region:9|gender:1") > 0


def test_native_unemployment_envelope(standin: TestClient) -> None:
    body = standin.get("/v1/unemployment/soc2020/2111?sex=female&region=London").json()
    data = body["data"]
    assert data["region"] == {"code": 1, "name": "London"}
    assert [s["year"] for s in data["series"]] == list(synth.LFS_YEARS)
    first = data["series"][0]
    assert first["rate"]["method"] == "synthetic"
    assert first["provenance"]["method"] == "synthetic"
    assert body["meta"]["provenance"][0]["method"] == "synthetic"


def test_loaded_unemployment_uses_the_table(loaded: TestClient) -> None:
    response = loaded.get("/api/v1/lfs/unemployment?soc=2111")
    body = response.json()
    # 2021 from its four quarters: (100 + 96 + 92 + 88) / (4 × 7000) = 1.34 %; 2020 has three
    assert body["years"] == [
        {"year": 2021, "unemprate": 1.3},
        {"year": 2022, "unemprate": 1.2},
        {"year": 2023, "unemprate": 1.4},
    ]
    assert response.headers["x-lmi-method"] == "modelled"  # one year is a mean of quarters
    assert "SYNTHETIC" not in body["note"]
    women = loaded.get("/api/v1/lfs/unemployment?soc=2111&filterBy=gender:2|region:1").json()
    assert women["years"] == [{"year": 2022, "unemprate": 1.5}, {"year": 2023, "unemprate": 1.6}]


def test_loaded_thin_cell_has_an_error_and_empty_years(loaded: TestClient) -> None:
    body = loaded.get("/api/v1/lfs/unemployment?soc=2111&filterBy=ageband:2").json()
    assert body["years"] == [] and "error" in body  # ONS '*': too small a sample
    body = loaded.get("/api/v1/lfs/unemployment?soc=5111").json()
    assert body["years"] == [] and "error" in body  # not in the table


def test_filters(standin: TestClient) -> None:
    assert standin.get("/api/v1/lfs/filters").json() == ["gender", "region", "ageband"]
    info = standin.get("/api/v1/lfs/filters/info/ageband").json()
    assert info["name"] == "ageband"
    for coding in info["coding"]:
        low, to, high = coding["description"].split()  # "A to B", as clients parse it
        assert to == "to" and int(low) < int(high)
    everything = standin.get("/api/v1/lfs/filters/all").json()
    assert [f["name"] for f in everything] == ["gender", "region", "ageband"]
    assert len(everything[1]["coding"]) == 12


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/v1/lfs/unemployment", 400, "'soc' is required"),
        ("/api/v1/lfs/unemployment?soc=x", 400, "digits"),
        ("/api/v1/lfs/unemployment?soc=9999", 404, "not a SOC2010 code"),
        ("/api/v1/lfs/unemployment?soc=2111&filterBy=colour:1", 400, "unknown filter"),
        ("/api/v1/lfs/unemployment?soc=2111&filterBy=gender:3", 400, "gender"),
        ("/api/v1/lfs/unemployment?soc=2111&filterBy=ageband:2,3", 400, "one code"),
        ("/api/v1/lfs/unemployment?soc=2111&minYear=2022&maxYear=2020", 400, "after maxYear"),
        ("/api/v1/lfs/unemployment?soc=2111&minYear=abc", 400, "integer"),
        ("/api/v1/lfs/filters/info/colour", 404, "no LFS filter"),
        ("/v1/unemployment/soc2010/2111?region=13", 400, "between 1 and 12"),
        ("/v1/unemployment/soc2010/2111?region=Atlantis", 404, "Atlantis"),
        ("/v1/unemployment/soc2010/2111?age=12-15", 400, "age"),
    ],
)
def test_lfs_bad_input(standin: TestClient, path: str, status: int, words: str) -> None:
    response = standin.get(path)
    assert response.status_code == status, response.text
    assert words in response.json()["error"]


# -- Census ------------------------------------------------------------------------------------


def test_standin_census_shapes_are_synthetic(standin: TestClient) -> None:
    response = standin.get("/api/v1/census/resident_occupations?area=Camden")
    body = response.json()
    assert set(body) == {"totalResidents", "residentOccupations", "note"}
    assert len(body["residentOccupations"]) == 9
    assert sum(o["value"] for o in body["residentOccupations"]) == body["totalResidents"]
    assert response.headers["x-lmi-method"] == "synthetic"
    distance = standin.get("/api/v1/census/distance?area=E12000007").json()
    assert set(distance) == {"totalResidents", "distanceBreakdown", "note"}
    assert distance["note"].startswith("SYNTHETIC")
    shares = sum(d["percentage"] for d in distance["distanceBreakdown"])
    assert shares == pytest.approx(100, abs=0.6)


def test_standins_are_no_data_in_the_compat_layer_by_default(standin: TestClient) -> None:
    """Without LMI_COMPAT_STANDINS, LMI for All's shapes carry no invented figures; native /v1
    keeps its labelled stand-ins."""
    db = standin.app.state.served.db  # type: ignore[attr-defined]
    with client_for(db) as plain:
        lfs = plain.get("/api/v1/lfs/unemployment?soc=2111&minYear=2018&maxYear=2020")
        assert lfs.status_code == 200 and lfs.headers["x-lmi-method"] == "none"
        assert lfs.json()["years"] == [] and "LMI_COMPAT_STANDINS" in lfs.json()["note"]
        census = plain.get("/api/v1/census/resident_occupations?area=Camden").json()
        assert census["totalResidents"] == 0 and census["residentOccupations"] == []
        jobs = plain.get("/api/v1/census/jobs_breakdown?area=Cumbria").json()
        assert jobs["jobsBreakdown"]  # ESS figures, not a stand-in: served as before
        native = plain.get("/v1/unemployment/soc2020/2111").json()["data"]
        assert native["series"] and native["series"][0]["provenance"]["method"] == "synthetic"


def test_jobs_breakdown_uses_ess_employment_where_it_can(standin: TestClient) -> None:
    response = standin.get("/api/v1/census/jobs_breakdown?area=Cumbria")
    body = response.json()
    assert set(body) == {"totalJobs", "jobsBreakdown", "note"}
    assert response.headers["x-lmi-method"] == "observed"
    assert "Employer Skills Survey 2017" in body["note"]
    assert sum(j["value"] for j in body["jobsBreakdown"]) == body["totalJobs"]
    camden = standin.get("/api/v1/census/jobs_breakdown?area=Camden")  # no ESS LEA workbook
    assert camden.headers["x-lmi-method"] == "synthetic"


def test_loaded_census_answers_from_the_files(loaded: TestClient) -> None:
    response = loaded.get("/api/v1/census/resident_occupations?area=E09000007")
    body = response.json()
    assert response.headers["x-lmi-method"] == "observed"
    assert body["totalResidents"] == 102_000
    professional = body["residentOccupations"][1]
    assert professional == {
        "description": "Professional occupations",
        "value": 34_000,
        "percentage": round(100 * 34_000 / 102_000, 1),
    }
    by_name = loaded.get("/api/v1/census/resident_occupations?area=camden").json()
    assert by_name == body
    region = loaded.get("/v1/areas/London/residents").json()["data"]
    assert region["area"] == {"kind": "rgn", "code": "E12000007", "name": "London"}
    assert region["provenance"]["method"] == "observed"
    distance = loaded.get("/api/v1/census/distance?area=Hartlepool").json()
    assert distance["totalResidents"] == 42_400
    missing = loaded.get("/api/v1/census/distance?area=E12000007")  # no TS058 region file
    assert missing.status_code == 200 and missing.headers["x-lmi-method"] == "none"
    assert missing.json() == {
        "totalResidents": 0,
        "distanceBreakdown": [],
        "note": missing.headers["x-lmi-note"],
    }
    assert "E12000007" in missing.json()["note"]


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/v1/census/jobs_breakdown", 400, "'area' is required"),
        ("/api/v1/census/distance?area=Atlantis", 404, "Atlantis"),
        ("/v1/areas/Atlantis", 404, "Atlantis"),
        ("/v1/areas?kind=planet", 400, "kind"),
    ],
)
def test_census_and_area_bad_input(standin: TestClient, path: str, status: int, words: str) -> None:
    response = standin.get(path)
    assert response.status_code == status, response.text
    assert words in response.json()["error"]


@pytest.mark.parametrize(
    ("path", "total", "listed"),
    [
        ("/api/v1/census/jobs_breakdown?area=g50ru", "totalJobs", "jobsBreakdown"),
        ("/api/v1/census/distance?area=SW1A%201AA", "totalResidents", "distanceBreakdown"),
        (
            "/api/v1/census/resident_occupations?area=51.5,-0.12",
            "totalResidents",
            "residentOccupations",
        ),
    ],
)
def test_census_postcode_without_the_directory_is_in_shape(
    standin: TestClient, path: str, total: str, listed: str
) -> None:
    """LMI for All's clients send postcodes or lat,lng: without the directory lmi cannot look
    them up, which is data it does not hold, not a malformed request."""
    response = standin.get(path)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body[total] == 0 and body[listed] == [] and "Postcode Directory" in body["note"]
    assert response.headers["x-lmi-method"] == "none"


# -- areas -------------------------------------------------------------------------------------


def test_areas_by_code_or_name(standin: TestClient) -> None:
    lep = standin.get("/v1/areas/York%20North%20Yorkshire%20and%20East%20Riding").json()["data"]
    assert lep["code"] == "E37000058" and lep["kind"] == "lep"
    london = standin.get("/v1/areas/london").json()["data"]
    assert london["kind"] == "region" and london["lmi_region"] == 1
    assert [m["code"] for m in london["also_matches"]] == ["E37000051"]
    leps = standin.get("/v1/areas?kind=lep").json()["data"]
    assert len([a for a in leps if a["current"]]) == 38
    found = standin.get("/v1/areas?q=tyne").json()["data"]
    assert {a["name"] for a in found} >= {"Newcastle upon Tyne", "North Tyneside"}
    cumbria = standin.get("/v1/areas/lep:Cumbria").json()["data"]
    assert cumbria["ess_2017"] is True and "vacancies" in cumbria["links"]
