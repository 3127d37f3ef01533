"""Skills, knowledge and interests on UK occupations (O*NET): native and compatible endpoints."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from lmi.api.skills import match_skills
from lmi.datasets.onet import ONET_OCCUPATIONS
from lmi.datasets.onet.tables import onet_uk_soc
from lmi.datasets.onet_descriptors import ONET_DESCRIPTORS
from lmi.datasets.onet_profiles import ONET_UK_PROFILES
from lmi.serve.snapshot import load_snapshot
from lmi.store import Database, migrate
from tests.api.conftest import client_for
from tests.datasets.helpers import build, copy_fixture, soc_stub, stub

REAL = pytest.mark.realdata
PROGRAMMING, MATHEMATICS = "2.B.3.e", "2.A.1.e"


def data(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()["data"]


# -- profiles ------------------------------------------------------------------------------------


@REAL
@pytest.mark.parametrize("version,code", [("soc2010", "2136"), ("soc2020", "2134")])
def test_software_profile_is_programming_heavy(
    real_client: TestClient, version: str, code: str
) -> None:
    body = real_client.get(f"/v1/occupations/{version}/{code}/profile").json()
    skills = body["data"]["skills"]
    assert "Programming" in [e["name"] for e in skills["elements"][:5]]
    programming = next(e for e in skills["elements"] if e["element_id"] == PROGRAMMING)
    assert programming["importance"] > 3.5 and 3.5 < programming["level"] < 5
    contributing = {c["onet_code"]: c["weight"] for c in skills["contributing"]}
    assert "15-1251.00" in contributing  # Computer Programmers
    assert body["data"]["onet_occupations"]["15-1251.00"] == "Computer Programmers"
    assert sum(contributing.values()) == pytest.approx(1, abs=1e-4)
    assert skills["contributors"] == len(contributing) >= 10
    assert skills["confidence"] == "normal"
    interests = body["data"]["interests"]
    assert interests["riasec_code"][0] == "I" and "Investigative" in interests["high_points"]
    assert body["data"]["job_zone"]["job_zone"] == 4
    technology = body["data"]["technology_skills"]
    assert len(technology["commodities"]) == 10 < technology["total"]  # limit: 10 by default
    tasks = body["data"]["tasks"]
    assert len(tasks["tasks"]) == 10 and tasks["total"] == 15
    assert {t["onet_code"] for t in tasks["tasks"]} <= set(body["data"]["onet_occupations"])
    every = data(real_client, f"/v1/occupations/{version}/{code}/profile?sections=tasks&limit=40")
    assert [t["rank"] for t in every["tasks"]["tasks"]] == list(range(1, 16))
    assert body["data"]["abilities"] == {
        "available": False,
        "reason": "O*NET abilities are not available in this release: the source file "
        "Abilities.txt (O*NET 29.0) has not been loaded",
    }
    provenance = body["data"]["provenance"]
    assert provenance["method"] == "modelled" and "CC BY 4.0" in provenance["licence"]
    assert "O*NET 29.0 Database" in provenance["licence"]


@REAL
def test_profile_sections_and_limit(real_client: TestClient) -> None:
    found = data(real_client, "/v1/occupations/soc2010/2231/profile?sections=knowledge&limit=3")
    keys = {"occupation", "method", "method_note", "onet_occupations", "knowledge", "provenance"}
    assert set(found) == keys
    # titles of exactly the O*NET occupations the chosen sections name, once
    assert set(found["onet_occupations"]) == {
        c["onet_code"] for c in found["knowledge"]["contributing"]
    }
    assert all(found["onet_occupations"].values())
    assert len(found["knowledge"]["elements"]) == 3
    importances = [e["importance"] for e in found["knowledge"]["elements"]]
    assert importances == sorted(importances, reverse=True)


@REAL
def test_thin_mapping_is_flagged(real_client: TestClient) -> None:
    skills = data(real_client, "/v1/occupations/soc2010/3116/profile?sections=skills")["skills"]
    assert skills["confidence"] == "low"
    assert "effective number of contributors" in skills["confidence_note"]


@REAL
def test_only_unavailable_sections_are_404(real_client: TestClient) -> None:
    response = real_client.get("/v1/occupations/soc2010/2136/profile?sections=abilities")
    assert response.status_code == 404
    assert "Abilities.txt" in response.json()["error"]


# -- reverse match -------------------------------------------------------------------------------


@REAL
@pytest.mark.parametrize("soc", ["2010", "2020"])
def test_programming_and_mathematics_match_it_professionals(
    real_client: TestClient, soc: str
) -> None:
    found = data(real_client, f"/v1/skills/match?skills={PROGRAMMING},{MATHEMATICS}&soc={soc}")
    codes = [r["code"] for r in found["results"]]
    assert codes[0].startswith("213")
    assert sum(c.startswith("21") for c in codes[:10]) >= 8
    top = found["results"][0]
    assert {e["name"] for e in top["top_elements"]} == {"Programming", "Mathematics"}
    assert sum(e["contribution"] for e in top["top_elements"]) == pytest.approx(top["fit"], 0.01)


@REAL
def test_weights_and_thin_change_the_ranking(real_client: TestClient) -> None:
    base = f"/v1/skills/match?skills={PROGRAMMING}:1,{MATHEMATICS}:10&limit=3"
    math_heavy = [r["code"] for r in data(real_client, base)["results"]]
    assert not math_heavy[0].startswith("213")
    by_fit = data(real_client, f"/v1/skills/match?skills={PROGRAMMING},{MATHEMATICS}&thin=include")
    first = by_fit["results"][0]
    assert first["code"] == "3116" and first["confidence"] == "low"  # one US occupation
    excluded = data(real_client, f"/v1/skills/match?skills={PROGRAMMING}&thin=exclude&limit=100")
    assert all(r["confidence"] == "normal" for r in excluded["results"])


@REAL
def test_interest_profiler_filters_by_job_zone(real_client: TestClient) -> None:
    found = data(real_client, "/v1/interests/match?riasec=5,40,10,5,10,30&job_zone=4,5&soc=2020")
    assert found["riasec_code"] == "ICA"  # ties (A = E = 10) keep RIASEC order
    assert found["results"] and all(r["job_zone"] in (4, 5) for r in found["results"])
    assert found["results"][0]["riasec_code"][0] == "I"
    fits = [r["fit"] for r in found["results"]]
    assert fits == sorted(fits, reverse=True) and fits[0] > 0.8


@REAL
def test_reverse_match_answers_varied_queries(real_release_db: Database) -> None:
    """Weighted and mixed-domain queries on both versions all rank occupations (its speed is
    measured by bench/run.py's "native skills match", not asserted here)."""
    snap = load_snapshot(real_release_db)
    ids = [PROGRAMMING, MATHEMATICS, "2.A.1.a", "2.C.3.a", "2.C.4.a", "2.B.1.a", "1.B.1.b"]
    queries = [
        {"skills": f"{ids[i % 2]}:{1 + i % 5},2.A.1.a", "knowledge": ids[3 + i % 2], "soc": soc}
        for i in range(100)
        for soc in ("2010", "2020")
    ]
    for query in queries:
        result = match_skills(snap, query).data
        assert result["results"], query
        ranks = [r["rank"] for r in result["results"]]
        assert ranks == list(range(1, len(ranks) + 1)), query


# -- related occupations ------------------------------------------------------------------------


@REAL
@pytest.mark.parametrize("version", ["soc2010", "soc2020"])
def test_related_to_a_nurse_are_health_occupations(real_client: TestClient, version: str) -> None:
    found = data(real_client, f"/v1/occupations/{version}/2231/related?limit=8")
    codes = [r["code"] for r in found["results"]]
    assert all(c[:2] in {"22", "32"} for c in codes), codes  # health professionals / associates
    assert "2231" not in codes
    first = found["results"][0]
    assert first["similarity"] > 0.9
    assert first["transferable"] and all(t["importance"] >= 3 for t in first["transferable"])
    for gap in found["results"][0]["gaps"]:
        assert gap["level_needed"] - gap["level_now"] == pytest.approx(gap["gap"], abs=0.01)


@REAL
def test_related_occupations_carry_their_pay_as_served_by_the_pay_endpoint(
    real_client: TestClient,
) -> None:
    found = data(real_client, "/v1/occupations/soc2020/2231/related?limit=5")
    for result in found["results"]:
        pay = result["pay"]
        assert pay["measure"] == "annual" and pay["pattern"] == "full-time"
        assert pay["method"] in {"observed", "derived", "modelled"} and "status" in pay
        series = data(
            real_client,
            f"/v1/pay/soc2020/{result['code']}?measure=annual&pattern=full-time&year={pay['year']}",
        )["series"]
        assert series[0]["value"] == pay["value"]
        outlook = result["outlook"]
        assert outlook["end"]["year"] > outlook["start"]["year"] and "method_note" in outlook


# -- elements -----------------------------------------------------------------------------------


@REAL
def test_elements_list_skills_with_descriptions(real_client: TestClient) -> None:
    found = data(real_client, "/v1/skills/elements?domain=skills")
    elements = {e["element_id"]: e for e in found["elements"]}
    assert len(elements) == 35 and elements[PROGRAMMING]["name"] == "Programming"
    assert elements[PROGRAMMING]["description"].startswith("Writing computer programs")


# -- LMI for All compatible ---------------------------------------------------------------------


@REAL
def test_compat_soc2onet_shape(real_client: TestClient) -> None:
    body = real_client.get("/api/v1/o-net/soc2onet/2136").json()
    assert set(body) == {"soc", "onetCodes"} and body["soc"] == 2136
    assert {"code": "15-1252.00", "title": "Software Developers"} in body["onetCodes"][:2]
    assert {"code": "15-1251.00", "title": "Computer Programmers"} in body["onetCodes"]


@REAL
def test_compat_onet2soc_shape(real_client: TestClient) -> None:
    body = real_client.get("/api/v1/o-net/onet2soc").json()
    entry = next(e for e in body if e["onetCode"] == "11-1011.00")
    assert set(entry) == {"onetCode", "socCodes"}
    assert {"soc": 1115, "title": "Chief executives and senior officials"} in entry["socCodes"]
    assert all(isinstance(s["soc"], int) for e in body for s in e["socCodes"])


@REAL
def test_compat_skills_and_interests_shapes(real_client: TestClient) -> None:
    skills = real_client.get("/api/v1/o-net/skills/15-1251.00").json()
    assert set(skills) == {"onetcode", "scales"} and skills["onetcode"] == "15-1251.00"
    assert [s["id"] for s in skills["scales"]] == ["LV"]
    programming = next(s for s in skills["scales"][0]["skills"] if s["id"] == PROGRAMMING)
    assert programming == {"id": PROGRAMMING, "name": "Programming", "value": 4.88}
    interests = real_client.get("/api/v1/o-net/interests/23-1011.00").json()
    assert [s["id"] for s in interests["scales"]] == ["IH", "OI"]
    high = interests["scales"][0]["interests"][0]
    assert set(high) == {"id", "name", "value"} and high["name"] == "First Interest High-Point"
    assert len(interests["scales"][1]["interests"]) == 6


@REAL
def test_compat_abilities_not_available(real_client: TestClient) -> None:
    """A well-formed request for a file lmi has not loaded answers in shape, saying why."""
    response = real_client.get("/api/v1/o-net/abilities/15-1252.00")
    assert response.status_code == 200
    body = response.json()
    assert body["scales"] == [] and "Abilities.txt" in body["note"]


@REAL
def test_compat_reversematch_shape(real_client: TestClient) -> None:
    path = f"/api/v1/o-net/reversematch?weights=100,100,100,100&skills={PROGRAMMING},{MATHEMATICS}"
    body = real_client.get(path).json()
    assert body["selection"] == {"skills": {PROGRAMMING: "Programming", MATHEMATICS: "Mathematics"}}
    first = body["results"][0]
    assert set(first) == {"likely_soc_codes", "title"}
    assert str(first["likely_soc_codes"][0]).startswith("213")
    jsonp = real_client.get(f"{path}&callback=cb")
    assert jsonp.text.startswith("/**/cb({") and jsonp.headers["x-lmi-release"]


BAD = [
    ("/v1/occupations/soc2010/21/profile", 400),
    ("/v1/occupations/soc2010/9999/profile", 404),
    ("/v1/occupations/soc2010/2136/profile?sections=bogus", 400),
    ("/v1/occupations/soc2010/abc/related", 400),
    ("/v1/skills/match", 400),
    ("/v1/skills/match?skills=2.C.3.a", 400),  # a knowledge id given as a skill
    ("/v1/skills/match?skills=drop table", 400),
    ("/v1/skills/match?skills=2.B.3.e:abc", 400),
    ("/v1/skills/match?skills=2.B.3.e&job_zone=6", 400),
    ("/v1/skills/match?abilities=1.A.1.a.1", 404),
    ("/v1/interests/match?riasec=1,2,3", 400),
    ("/v1/interests/match?riasec=3,3,3,3,3,3", 400),
    ("/v1/skills/elements?domain=abilities", 404),
    ("/api/v1/o-net/soc2onet/21", 400),
    ("/api/v1/o-net/soc2onet/9999", 404),
    ("/api/v1/o-net/skills/15-1252", 400),
    ("/api/v1/o-net/skills/99-9999.00", 404),
    ("/api/v1/o-net/reversematch?skills=2.B.3.e&weights=1,2", 400),
    ("/api/v1/o-net/reversematch", 400),
]


@REAL
@pytest.mark.parametrize("path,status", BAD)
def test_bad_input_is_4xx_json(real_client: TestClient, path: str, status: int) -> None:
    response = real_client.get(path)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status and body["error"]


# -- fixtures: abilities become available when their file is loaded -----------------------------


@pytest.fixture(scope="module")
def fixture_skills_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("skills-source")
    copy_fixture(root, "onet", "onet/original")
    copy_fixture(root, "onet_descriptors", "onet")
    rows = [
        {"soc_version": "soc2010", "soc_code": "2136", "onet_code": o, "weight": w, "paths": 1}
        for o, w in (("15-1252.00", 0.6), ("15-1254.00", 0.4))
    ]
    datasets = [
        soc_stub({"soc2010": ["2136"]}),
        ONET_OCCUPATIONS,
        stub("onet_uk_soc", {onet_uk_soc: rows}),
        *ONET_DESCRIPTORS,
        ONET_UK_PROFILES,
    ]
    db = Database(f"sqlite:///{Path(root) / 'lmi.sqlite'}")
    migrate(db)
    assert build(db, root, datasets).promoted
    with client_for(db) as client:
        yield client


def test_fixture_abilities_are_served_once_loaded(fixture_skills_client: TestClient) -> None:
    body = fixture_skills_client.get("/api/v1/o-net/abilities/15-1252.00").json()
    assert body == {
        "onetcode": "15-1252.00",
        "scales": [
            {
                "id": "LV",
                "abilities": [
                    {"id": "1.A.1.a.1", "name": "Oral Comprehension", "value": 3.5},
                    {"id": "1.A.1.c.1", "name": "Mathematical Reasoning", "value": 3.5},
                ],
            }
        ],
    }
    profile = fixture_skills_client.get(
        "/v1/occupations/soc2010/2136/profile?sections=abilities,work_activities"
    ).json()["data"]
    assert profile["abilities"]["elements"][0] == {
        "element_id": "1.A.1.c.1",
        "name": "Mathematical Reasoning",
        "importance": 3.6,
        "level": 3.6,
        "contributors": 2,
    }
    assert profile["work_activities"]["available"] is True


# -- on the synthetic demo release (no official files needed) -------------------------------------


def test_demo_profile_sections_limit_and_weights(demo_client: TestClient) -> None:
    found = data(demo_client, "/v1/occupations/soc2020/2134/profile?sections=skills&limit=3")
    keys = {"occupation", "method", "method_note", "onet_occupations", "skills", "provenance"}
    assert set(found) == keys and found["method"] == "synthetic"
    skills = found["skills"]
    assert len(skills["elements"]) == 3
    importances = [e["importance"] for e in skills["elements"]]
    assert importances == sorted(importances, reverse=True)
    contributing = {c["onet_code"]: c["weight"] for c in skills["contributing"]}
    assert sum(contributing.values()) == pytest.approx(1, abs=1e-4)
    assert set(found["onet_occupations"]) == set(contributing)
    assert all(title.endswith("(synthetic)") for title in found["onet_occupations"].values())
    assert found["provenance"]["method"] == "synthetic"


def test_demo_profile_is_the_weighted_mean_of_its_onet_occupations(
    demo_client: TestClient,
) -> None:
    """Each element of a UK profile is the weighted mean of its O*NET occupations' ratings,
    read back through the compatible O*NET endpoint (level scale)."""
    found = data(demo_client, "/v1/occupations/soc2010/2136/profile?sections=skills&limit=40")
    weights = {c["onet_code"]: c["weight"] for c in found["skills"]["contributing"]}
    levels: dict[str, dict[str, float]] = {}
    for code in weights:
        body = demo_client.get(f"/api/v1/o-net/skills/{code}").json()
        [scale] = body["scales"]
        levels[code] = {s["id"]: s["value"] for s in scale["skills"]}
    for element in found["skills"]["elements"]:
        expected = sum(w * levels[c][element["element_id"]] for c, w in weights.items())
        assert element["level"] == pytest.approx(expected, abs=0.02), element


def test_demo_profile_has_every_section(demo_client: TestClient) -> None:
    found = data(demo_client, "/v1/occupations/soc2020/2134/profile")
    for section in ("skills", "knowledge", "abilities", "interests", "job_zone", "tasks"):
        assert section in found and found[section].get("available", True), section
    assert len(found["interests"]["riasec_code"]) == 3
    assert set(found["interests"]["riasec_code"]) <= set("RIASEC")
    assert 1 <= found["job_zone"]["job_zone"] <= 5


def test_demo_bad_input(demo_client: TestClient) -> None:
    response = demo_client.get("/v1/occupations/soc2010/2136/profile?sections=colour")
    assert response.status_code == 400 and response.json()["ok"] is False
    assert demo_client.get("/v1/occupations/soc2010/9999/profile").status_code == 404
    assert demo_client.get("/v1/occupations/soc1990/2136/profile").status_code == 400
    assert demo_client.get("/v1/occupations/soc2010/21x6/profile").status_code == 400


def test_demo_reverse_match_ranks_by_fit(demo_client: TestClient) -> None:
    found = data(demo_client, f"/v1/skills/match?skills={PROGRAMMING},{MATHEMATICS}&soc=2020")
    results = found["results"]
    fits = [r["fit"] for r in results]
    assert results and fits == sorted(fits, reverse=True)
    top = results[0]
    assert {e["element_id"] for e in top["top_elements"]} <= {PROGRAMMING, MATHEMATICS}
    assert sum(e["contribution"] for e in top["top_elements"]) == pytest.approx(top["fit"], 0.01)


def test_demo_compat_soc2onet_names_the_mapped_occupations(demo_client: TestClient) -> None:
    body = demo_client.get("/api/v1/o-net/soc2onet/2136").json()
    assert set(body) == {"soc", "onetCodes"} and body["soc"] == 2136
    native = data(demo_client, "/v1/occupations/soc2010/2136/onet")
    assert body["onetCodes"] and all(e["title"].endswith("(synthetic)") for e in body["onetCodes"])
    mapped = {o["onet_code"]: o["title"] for o in native["onet"]}
    assert {e["code"]: e["title"] for e in body["onetCodes"]}.items() <= mapped.items()
    assert sum(o["weight"] for o in native["onet"]) == pytest.approx(1, abs=1e-4)
