"""Pathway endpoints: fixtures in the official formats (HESA, IfATE, Discover Uni) and real data."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from lmi.datasets.apprenticeships import APPRENTICESHIPS
from lmi.datasets.graduate_outcomes import GRADUATE_OUTCOMES
from lmi.datasets.hesa_destinations import HESA_DESTINATIONS
from lmi.datasets.hesa_destinations.parse import HESA_FILE
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.datasets.subjects import SUBJECTS
from lmi.store import Database
from tests.api.conftest import client_over_release
from tests.datasets.helpers import copy_fixture
from tests.soc_fixtures import write_soc_sources

DATASETS = [SOC2010, SOC2020, SUBJECTS, GRADUATE_OUTCOMES, HESA_DESTINATIONS, APPRENTICESHIPS]


def _source(root: Path, *, hesa: bool = True, standards: bool = True) -> Path:
    write_soc_sources(root)
    copy_fixture(root, "subjects")
    copy_fixture(root, "graduate_outcomes")
    if hesa:
        copy_fixture(root, "hesa_destinations")
    if standards:
        folder = copy_fixture(root, "apprenticeships")
        (folder / "apprenticeship_standards.csv").unlink()
    return root


def _client(
    tmp_path_factory: pytest.TempPathFactory,
    session_store: Callable[[str], Database],
    name: str,
    prepare: Callable[[Path], Path],
) -> Iterator[TestClient]:
    root = prepare(tmp_path_factory.mktemp(name))
    db = session_store(name)
    yield from client_over_release(db, root, DATASETS)


@pytest.fixture(scope="module")
def observed(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Iterator[TestClient]:
    """HESA's table and IfATE's export loaded (fixtures)."""
    yield from _client(tmp_path_factory, session_store, "pathways_observed", _source)


@pytest.fixture(scope="module")
def stand_ins(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Iterator[TestClient]:
    """Neither loaded: the modelled link and the synthetic standards stand in."""
    yield from _client(
        tmp_path_factory,
        session_store,
        "pathways_stand_ins",
        lambda root: _source(root, hesa=False, standards=False),
    )


@pytest.fixture(scope="module")
def hesa_2010(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Iterator[TestClient]:
    """HESA's table coded to SOC 2010 (as the 2017/18 tables were), for the compatible layer."""

    def prepare(root: Path) -> Path:
        _source(root)
        path = root / HESA_FILE
        path.write_text(path.read_text().replace("SOC 2020", "SOC 2010"))
        return root

    yield from _client(tmp_path_factory, session_store, "pathways_hesa2010", prepare)


def data(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True
    return body["data"]


# -- subject → occupations (observed) ----------------------------------------------------------


def test_observed_occupations_come_from_hesa_in_published_order(observed: TestClient) -> None:
    found = data(observed, "/v1/pathways/cah/02-04")
    assert found["occupations_source"]["kind"] == "hesa_destinations"
    assert found["occupations_source"]["method"] == "observed"
    assert found["occupations_source"]["graduates_in_employment"] == 1000
    occupations = found["occupations"]
    assert [o["code"] for o in occupations] == ["2231", "2232", "6131"]
    assert [o["link"]["share_percent"] for o in occupations] == [70.0, 15.0, 2.2]
    assert [o["link"]["number"] for o in occupations] == [700, 150, 20]  # 22 rounded to 5
    assert all(o["link"]["method"] == "observed" for o in occupations)
    assert found["method"] == "observed"
    # what is not loaded says so, never a number
    first = occupations[0]
    for part in ("pay", "hours", "outlook", "skills"):
        assert first[part]["status"] == "not available" and first[part]["reason"], part
    assert found["earnings"] == [] and "leo" in found["earnings_note"]


def test_discover_uni_figures_and_job_types_are_the_fixture_values(observed: TestClient) -> None:
    found = data(observed, "/v1/pathways/cah/02-04")
    salary = found["discover_uni"]["graduate_outcomes_salary"]
    # fixture row CAH02-04 full-time first degree, UK: 20000 + 500 × 3 etc.
    assert (salary["lower_quartile"], salary["median"], salary["upper_quartile"]) == (
        21500.0,
        25500.0,
        30500.0,
    )
    assert salary["population"] == 985 and salary["method"] == "observed"
    assert salary["provenance"]["dataset"] == "graduate_outcomes"
    assert found["discover_uni"]["leo_5_years"]["median"] == 25000.0 + 500 * (5 + 3)
    jobs = found["graduate_jobs"]
    assert jobs["professional_managerial_percent"] == 80.0 and jobs["method"] == "modelled"


def test_a_cah3_without_hesa_rows_uses_its_cah2_and_says_so(observed: TestClient) -> None:
    found = data(observed, "/v1/pathways/cah/02-04-01")
    assert found["occupations_source"]["cah_code"] == "02-04"
    assert found["occupations_source"]["fallback"] == "parent CAH group"
    assert found["discover_uni"]["graduate_outcomes_salary"]["cah_code"] == "02-04-01"


def test_hecos_and_jacs_codes_map_to_their_cah3(observed: TestClient) -> None:
    hecos = data(observed, "/v1/pathways/hecos/100290")["subject"]
    assert hecos["cah"]["code"] == "02-04-01" and hecos["match"] == "mapped"
    jacs = data(observed, "/v1/pathways/jacs/b700")["subject"]
    assert jacs["code"] == "B700" and jacs["cah"]["code"] == "02-04-01"


def test_small_and_suppressed_cells_have_no_share(observed: TestClient) -> None:
    medicine = data(observed, "/v1/pathways/cah/01")["occupations"]
    assert [(o["code"], o["link"]["share_percent"]) for o in medicine] == [("2211", None)]
    design = data(observed, "/v1/pathways/cah/25-01-03")["occupations"]
    assert [o["code"] for o in design] == ["3311", "2134"]
    suppressed = design[1]["link"]
    assert suppressed["number"] is None and suppressed["share_percent"] is None
    assert suppressed["status"] == "suppressed_disclosure"


# -- occupation → subjects and standards -------------------------------------------------------


def test_reverse_pathway_lists_hesa_subjects_and_ifate_standards(observed: TestClient) -> None:
    found = data(observed, "/v1/pathways/occupation/soc2020/2231")
    assert found["subjects_source"]["kind"] == "hesa_destinations"
    [subject] = found["subjects"]
    assert subject["cah_code"] == "02-04" and subject["number"] == 700
    assert subject["share_of_occupation_percent"] == 100.0
    assert [s["reference"] for s in found["apprenticeships"]] == ["ST0781"]
    assert found["apprenticeships"][0]["method"] == "observed"


def test_standards_both_directions(observed: TestClient) -> None:
    standard = data(observed, "/v1/apprenticeships/st0116")
    assert standard["version"] == "1.1" and standard["soc2020"] == ["2133", "2134"]
    assert standard["soc2010"] == ["2134"] and standard["level"] == 4
    by_soc = data(observed, "/v1/apprenticeships?code=5241&soc=2010")
    assert [s["reference"] for s in by_soc["standards"]] == ["ST0152"]
    digital = data(observed, "/v1/apprenticeships?route=Digital")
    assert [s["reference"] for s in digital["standards"]] == ["ST0116"]
    assert data(observed, "/v1/apprenticeships?level=6")["count"] == 1
    missing = observed.get("/v1/apprenticeships/SYN5241")
    assert missing.status_code == 404 and "synthetic stand-ins" in missing.json()["error"]


# -- stand-ins ---------------------------------------------------------------------------------


def test_without_hesa_the_link_is_modelled_and_labelled(stand_ins: TestClient) -> None:
    found = data(stand_ins, "/v1/pathways/cah/02-04")
    source = found["occupations_source"]
    assert source["kind"] == "modelled link" and source["method"] == "modelled"
    assert "keyword affinity" in source["method_note"]
    assert source["why"] == "no HESA occupation-by-subject table is loaded"
    assert found["method"] == "modelled"
    for occupation in found["occupations"]:
        assert occupation["link"]["method"] == "modelled"


def test_without_ifate_standards_are_synthetic_and_labelled(stand_ins: TestClient) -> None:
    listing = data(stand_ins, "/v1/apprenticeships")
    assert listing["source"]["method"] == "synthetic"
    for standard in listing["standards"]:
        assert standard["reference"].startswith("SYN") and standard["method"] == "synthetic"
        assert standard["title"].endswith("(synthetic standard)")
    missing = stand_ins.get("/v1/apprenticeships/ST0116")
    assert missing.status_code == 404 and "not loaded" in missing.json()["error"]


# -- compatible --------------------------------------------------------------------------------


def test_compat_courses_from_hesa_in_lmi_for_all_shape(hesa_2010: TestClient) -> None:
    response = hesa_2010.get("/api/v1/hesa/courses/2231")
    assert response.status_code == 200
    assert response.json() == {
        "years": [
            {
                "year": "2021/22",
                "courses": [{"name": "(B7) Nursing and midwifery", "percentage": 100.0}],
            }
        ]
    }
    assert response.headers["x-lmi-method"] == "observed"
    assert "HESA" in response.headers["x-lmi-source"]
    jsonp = hesa_2010.get("/api/v1/hesa/courses/2231?callback=show")
    assert jsonp.text.startswith("/**/show(") and '"(B7) Nursing and midwifery"' in jsonp.text
    # no HESA row and no modelled link for this unit group: empty years, LMI for All's "no data"
    assert hesa_2010.get("/api/v1/hesa/courses/9111").json() == {"years": []}


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/v1/pathways/cah/abc", 400, "is not a CAH code"),
        ("/v1/pathways/cah/99", 404, "99 is not a CAH code"),
        ("/v1/pathways/dewey/11", 400, "scheme"),
        ("/v1/pathways/hecos/12", 400, "HECoS"),
        ("/v1/pathways/jacs/1", 400, "JACS"),
        ("/v1/pathways/cah/02-04?soc=1990", 400, "SOC version"),
        ("/v1/pathways/cah/02-04?limit=0", 400, "limit"),
        ("/v1/pathways/occupation/soc2020/22", 400, "4-digit unit groups"),
        ("/v1/pathways/occupation/soc2020/9999", 404, "not a SOC2020 code"),
        ("/v1/apprenticeships/XX1", 400, "standard reference"),
        ("/v1/apprenticeships/ST9999", 404, "not an apprenticeship standard"),
        ("/v1/apprenticeships?level=9", 400, "level"),
        ("/v1/apprenticeships?code=22", 400, "4 digits"),
        ("/api/v1/hesa/courses/abc", 400, "digits"),
        ("/api/v1/hesa/courses/2", 400, "4 digits"),
        ("/api/v1/hesa/courses/9999", 404, "not a SOC 2010 unit group"),
        ("/api/v1/hesa/courses/2231?callback=alert(1)", 400, "callback"),
    ],
)
def test_bad_input_is_a_clear_4xx(observed: TestClient, path: str, status: int, words: str) -> None:
    response = observed.get(path)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and words in body["error"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    scheme=st.sampled_from(["cah", "hecos", "jacs"]),
    code=st.text(alphabet="0123456789-CAHB7xé ", min_size=0, max_size=14),
)
def test_any_subject_code_answers_200_400_or_404(
    observed: TestClient, scheme: str, code: str
) -> None:
    response = observed.get(f"/v1/pathways/{scheme}/{code}")
    assert response.status_code in {200, 400, 404}, (scheme, code, response.text)
    if response.status_code == 200:
        assert response.json()["data"]["subject"]["cah"]["code"]


# -- real data ---------------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_computing_pathway(real_client: TestClient, source_dir: Path) -> None:
    found = data(real_client, "/v1/pathways/cah/11-01")
    with (source_dir / "leo/leo_subject_sex_yag_2022_23.csv").open(encoding="utf-8") as handle:
        published = {
            int(r["YAG"].split()[0]): float(r["earnings_median"])
            for r in csv.DictReader(handle)
            if r["subject_name"] == "Computing" and r["sex"] == "Total"
        }
    assert {e["yag"]: e["median"] for e in found["earnings"]} == published
    for item in found["earnings"]:
        assert item["provenance"]["dataset"] == "leo" and item["method"] == "observed"
    salary = found["discover_uni"]["graduate_outcomes_salary"]
    assert (salary["median"], salary["population"]) == (30000.0, 12255)  # GOSECSAL CAH11-01
    occupations = found["occupations"]
    assert occupations[0]["code"] == "2134"  # programmers and software development professionals
    assert found["occupations_source"]["method"] == "modelled"
    assert sum(o["link"]["share_percent"] for o in occupations) <= 100.05
    for occupation in occupations:
        assert occupation["soc2010"] and occupation["title"]
        for part in ("pay", "hours", "outlook"):
            figure = occupation[part]
            assert figure.get("method") in {"observed", "modelled"}, (occupation["code"], part)
            assert figure["provenance"]["method"] in {"observed", "modelled"}
        assert occupation["pay"]["value"] > 10_000 and occupation["hours"]["value"] > 10
        assert occupation["skills"]["method"] == "modelled"
    assert occupations[0]["outlook"]["change_percent"] is not None


@pytest.mark.realdata
def test_real_modelled_links_of_some_subjects(real_client: TestClient) -> None:
    expected = {"16-01": "2412", "02-04": "2231", "05-01": "2240", "02-02": "2251"}
    for cah, first in expected.items():
        found = data(real_client, f"/v1/pathways/cah/{cah}?limit=3")
        assert found["occupations"][0]["code"] == first, (cah, found["occupations"])


@pytest.mark.realdata
def test_real_reverse_and_compat_agree(real_client: TestClient) -> None:
    reverse = data(real_client, "/v1/pathways/occupation/soc2010/2136")
    assert "11-01" in [s["cah_code"] for s in reverse["subjects"]]
    # no HESA table: the modelled link is a stand-in, not served under LMI for All's shape
    compat = real_client.get("/api/v1/hesa/courses/2136")
    assert compat.headers["x-lmi-method"] == "none" and compat.json()["years"] == []
    standards = data(real_client, "/v1/apprenticeships?code=5241")
    assert [s["reference"] for s in standards["standards"]] == ["SYN5241"]
