"""ESS vacancy endpoints: LMI for All shapes and native envelopes, on fixtures and real files."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from lmi.datasets.employer_skills_survey import EMPLOYER_SKILLS_SURVEY
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.store import Database
from tests.api.conftest import client_over_release
from tests.datasets.helpers import copy_fixture
from tests.soc_fixtures import write_soc_sources

FIXTURE = Path(__file__).parent.parent / "data" / "employer_skills_survey"
LONG = "ess2017_england_lep_tables_long.csv"


def _cells(path: Path) -> dict[tuple[str, str, str], float]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {
            (r["sheet"], r["row_label"], r["column_heading"]): float(r["value"])
            for r in csv.DictReader(handle)
            if r["row_kind"] == "value" and not r["value"].startswith("*")
        }


@pytest.fixture(scope="module")
def client(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("ess-source")
    write_soc_sources(root)
    copy_fixture(root, "employer_skills_survey")
    db = session_store("ess_api")
    yield from client_over_release(db, root, [SOC2010, SOC2020, EMPLOYER_SKILLS_SURVEY])


def test_compat_uk_shape_and_values(client: TestClient) -> None:
    response = client.get("/api/v1/ess/uk/2111")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "soc",
        "year",
        "percentHTF",
        "percentSSV",
        "percentHTFisSSV",
        "reliability",
        "note",
    }
    cells = _cells(FIXTURE / LONG)
    htf, vac = cells[("T56", "Professionals", "Total")], cells[("T54", "Professionals", "Total")]
    ssv = cells[("T63", "Professionals", "Total")]
    assert body["soc"] == 2111 and body["year"] == 2017
    assert body["percentHTF"] == round(100 * htf / vac, 1)
    assert body["percentSSV"] == round(100 * ssv / vac, 1)
    assert body["percentHTFisSSV"] == round(100 * ssv / htf, 1)
    assert body["reliability"] in (1, 2, 3)
    assert "England only" in body["note"] and "major group" in body["note"]
    assert response.headers["x-lmi-method"] == "observed"
    assert "Employer Skills Survey" in response.headers["x-lmi-source"]


@pytest.mark.parametrize("area", ["E37000051", "London", "lep:london", "E37000023"])
def test_compat_region_accepts_lep_codes_and_names(client: TestClient, area: str) -> None:
    body = client.get(f"/api/v1/ess/region/{area}/2111").json()
    assert body["region"] == {"name": "London", "code": "E37000051"}
    assert {"percentHTF", "percentSSV", "percentHTFisSSV", "reliability"} <= set(body)


def test_compat_region_for_an_ess_2017_spelling(client: TestClient) -> None:
    body = client.get("/api/v1/ess/region/North%20Eastern/9111").json()
    assert body["region"] == {"name": "North East", "code": "E37000025"}
    assert body["soc"] == 9111


def test_suppressed_lep_is_null_with_reliability_0(client: TestClient) -> None:
    body = client.get("/api/v1/ess/region/Northamptonshire/2111").json()
    assert body["percentHTF"] is None and body["reliability"] == 0


def test_ranksocs_sorted_and_ends_with_the_sentinel(client: TestClient) -> None:
    rows = client.get("/api/v1/ess/regions/ranksocs/Cumbria").json()
    assert rows[-1]["soc"] == -1
    ranked = rows[:-1]
    assert sorted(r["soc"] for r in ranked) == list(range(1, 10))
    shares = [r["percentHTF"] for r in ranked if r["percentHTF"] is not None]
    assert shares == sorted(shares, reverse=True)
    assert all(r["title"] for r in ranked)


def test_regions_without_the_lea_workbook_is_an_empty_map(client: TestClient) -> None:
    assert client.get("/api/v1/ess/regions").json() == {}
    response = client.get("/api/v1/ess/region/1/2111")  # well formed: in shape, no figures
    assert response.status_code == 200
    body = response.json()
    assert body["percentHTF"] is None and body["reliability"] == 0
    assert body["region"] == {"name": "London", "code": 1} and "LEA workbook" in body["note"]
    assert client.get("/api/v1/ess/regions/ranksocs/1").json()[-1]["soc"] == -1


def test_jsonp(client: TestClient) -> None:
    response = client.get("/api/v1/ess/uk/2111?callback=show")
    assert response.status_code == 200
    assert response.text.startswith("/**/show(") and '"percentHTF"' in response.text


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/v1/ess/uk/abc", 400, "digits"),
        ("/api/v1/ess/uk/99999", 400, "1 to 4 digits"),
        ("/api/v1/ess/uk/9999", 404, "not a SOC2010 code"),
        ("/api/v1/ess/region/13/2111", 400, "1–12"),
        ("/api/v1/ess/region/Atlantis/2111", 404, "Atlantis"),
        ("/api/v1/ess/regions/ranksocs/Atlantis", 404, "Atlantis"),
        ("/api/v1/ess/uk/2111?callback=alert(1)", 400, "callback"),
        ("/v1/vacancies/soc2010/2111?area=Atlantis", 404, "Atlantis"),
        ("/v1/vacancies/soc1990/2111", 400, "SOC version"),
        ("/v1/areas/London/vacancies?rank=pay", 400, "rank"),
    ],
)
def test_bad_input_is_4xx_with_a_clear_message(
    client: TestClient, path: str, status: int, words: str
) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and words in body["error"]


def test_native_vacancies_envelope(client: TestClient) -> None:
    body = client.get("/v1/vacancies/soc2020/2111?area=Cumbria").json()
    assert body["ok"] is True
    data = body["data"]
    assert data["area"] == {"kind": "lep", "code": "E37000007", "name": "Cumbria"}
    assert data["major_group"]["code"] == "2"
    assert "SOC 2020" in data["soc_method"]
    htf = data["shares"]["htf_share"]
    assert {"value", "status", "quality", "rule", "method"} <= set(htf)
    assert htf["method"] == "observed" and htf["unit"] == "%"
    assert data["provenance"]["method"] == "observed"
    assert body["meta"]["provenance"][0]["dataset"] == "employer_skills_survey"
    england = client.get("/v1/vacancies/soc2020/2111").json()["data"]
    assert england["area"]["code"] == "E92000001"


def test_native_area_ranking(client: TestClient) -> None:
    data = client.get("/v1/areas/London/vacancies?rank=ssv_share").json()["data"]
    assert data["area"]["code"] == "E12000007" or data["area"]["code"] == "E37000051"
    ranks = [o["rank"] for o in data["occupations"] if o["rank"] is not None]
    assert ranks == list(range(1, len(ranks) + 1))
    values = [o["shares"]["ssv_share"]["value"] for o in data["occupations"] if o["rank"]]
    assert values == sorted(values, reverse=True)
    assert data["all_occupations"]["counts"]["vacancies"]["value"] > 0


# -- real files --------------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_ess_answers_for_a_real_lep(real_client: TestClient, source_dir: Path) -> None:
    cells = _cells(source_dir / "employer_skills_survey" / LONG)
    body = real_client.get("/api/v1/ess/region/Greater%20Manchester/2136").json()
    htf = cells[("T56", "Professionals", "Greater Manchester")]
    vac = cells[("T54", "Professionals", "Greater Manchester")]
    assert body["percentHTF"] == round(100 * htf / vac, 1)
    assert body["region"] == {"name": "Greater Manchester", "code": "E37000015"}
    assert body["reliability"] == 3


@pytest.mark.realdata
def test_real_regions_and_uk(real_client: TestClient) -> None:
    regions = real_client.get("/api/v1/ess/regions").json()
    assert regions["London"] == 1 and len(regions) == 9
    region = real_client.get("/api/v1/ess/region/1/2136")
    assert region.status_code == 200 and region.headers["x-lmi-method"] == "modelled"
    uk = real_client.get("/api/v1/ess/uk/2136").json()
    assert uk["percentHTF"] == round(100 * 49_302 / 115_499, 1)  # T56 / T54, Professionals
