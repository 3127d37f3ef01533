"""Job-title search and batch coding over HTTP: on the real coding indexes (skipped without
them) and on the synthetic demo release's invented coding index (no files needed)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from lmi.search.service import MAX_CODE_TITLES
from lmi.synth.demo_groups import demo_groups

REAL = pytest.mark.realdata

SOC_INFO_KEYS = {"soc", "title", "description", "qualifications", "tasks", "add_titles"}


def data_of(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()["data"]


@REAL
def test_native_search_best_first_with_evidence(real_client: TestClient) -> None:
    data = data_of(real_client, "/v1/search/occupations?q=snr+java+dev+-+London&soc=2020&limit=5")
    best = data["results"][0]
    assert best["code"] == "2134" and best["rank"] == 1 and best["method"] == "exact"
    assert best["matched"] == "Java developer" and 0.9 <= best["score"] <= 1
    assert data["ambiguous"] is False and data["soc_version"] == "soc2020"
    assert [r["rank"] for r in data["results"]] == list(range(1, len(data["results"]) + 1))


@REAL
def test_native_search_flags_ambiguous_titles(real_client: TestClient) -> None:
    data = data_of(real_client, "/v1/search/occupations?q=manager")
    assert data["ambiguous"] is True and len(data["results"]) == 10


@REAL
def test_native_search_context(real_client: TestClient) -> None:
    data = data_of(real_client, "/v1/search/occupations?q=manager&context=hotel")
    assert data["results"][0]["code"] == "1221" and data["ambiguous"] is False


@REAL
def test_compat_search_keeps_lmi_for_all_shape(real_client: TestClient) -> None:
    body = real_client.get("/api/v1/soc/search", params={"q": "HGV class 1 driver"}).json()
    assert isinstance(body, list) and body[0]["soc"] == 8211
    assert all(set(item) == SOC_INFO_KEYS for item in body)


@REAL
def test_compat_search_junk_is_empty(real_client: TestClient) -> None:
    assert real_client.get("/api/v1/soc/search", params={"q": "£28,000"}).json() == []


@REAL
def test_batch_post_list(real_client: TestClient) -> None:
    titles = ["software developer", "manager", "", "HGV class 1 driver (nights)"]
    response = real_client.post("/v1/code", json=titles)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["count"] == 4 and data["soc_version"] == "soc2010"
    results = data["results"]
    assert [r["input"] for r in results] == titles
    assert results[0]["code"] == "2136" and results[0]["alternatives"] == []
    assert results[1]["ambiguous"] is True
    assert results[2]["code"] is None and results[2]["method"] is None
    assert results[3]["code"] == "8211"


@REAL
def test_batch_post_object_with_options(real_client: TestClient) -> None:
    body = {"titles": ["software developer", "care assistant"], "soc": "2020", "top": 3}
    data = real_client.post("/v1/code", json=body).json()["data"]
    assert data["soc_version"] == "soc2020"
    assert data["results"][0]["code"] == "2134"
    assert len(data["results"][1]["alternatives"]) == 2


@REAL
def test_batch_get(real_client: TestClient) -> None:
    data = data_of(real_client, "/v1/code?title=software+developer&title=chef&soc=2020")
    assert [r["code"] for r in data["results"]] == ["2134", "5434"]


@REAL
def test_batch_far_above_lightcast_limit(real_client: TestClient) -> None:
    titles = [f"care assistant {i}" for i in range(5000)]
    response = real_client.post("/v1/code", json={"titles": titles})
    assert response.status_code == 200 and response.json()["data"]["count"] == 5000


BAD_BODIES = [
    (b"not json", 400),
    (b'"a string"', 400),
    (b"[1, 2]", 400),
    (b'{"titles": "nurse"}', 400),
    (b'{"titles": ["nurse"], "top": 99}', 400),
    (b'{"titles": ["nurse"], "soc": "1990"}', 400),
]


@REAL
@pytest.mark.parametrize(("body", "status"), BAD_BODIES)
def test_batch_bad_bodies_are_400_json(real_client: TestClient, body: bytes, status: int) -> None:
    response = real_client.post(
        "/v1/code", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == status, response.text
    assert response.json()["ok"] is False


@REAL
def test_batch_too_many_titles_is_413(real_client: TestClient) -> None:
    response = real_client.post("/v1/code", json=["x"] * (MAX_CODE_TITLES + 1))
    assert response.status_code == 413
    body = response.json()
    assert body["ok"] is False and body["status"] == 413 and "10000" in body["error"]


@REAL
def test_openapi_documents_the_request_body(real_client: TestClient) -> None:
    spec = real_client.get("/openapi.json").json()
    operations = spec["paths"]["/v1/code"]
    assert set(operations) == {"get", "post"}
    assert "requestBody" in operations["post"] and "requestBody" not in operations["get"]
    assert operations["get"]["operationId"] != operations["post"]["operationId"]


# -- on the synthetic demo release (no official files needed) -------------------------------------


def demo_title(version: str, code: str) -> str:
    """The plain job title the demo's coding index holds for a unit group ("software analyst")."""
    [group] = [g for g in demo_groups(version) if g["code"] == code]
    *field, role = group["title"].removesuffix(" (synthetic)").split()
    return f"{' '.join(field).lower()} {role.rstrip('s')}"


def test_demo_native_search_best_first(demo_client: TestClient) -> None:
    title = demo_title("soc2020", "2134")
    data = data_of(demo_client, f"/v1/search/occupations?q={title}&soc=2020&limit=5")
    best = data["results"][0]
    assert best["code"] == "2134" and best["rank"] == 1, data["results"][:3]
    assert data["soc_version"] == "soc2020"
    assert [r["rank"] for r in data["results"]] == list(range(1, len(data["results"]) + 1))
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_demo_compat_search_keeps_lmi_for_all_shape(demo_client: TestClient) -> None:
    response = demo_client.get("/api/v1/soc/search", params={"q": demo_title("soc2010", "2136")})
    body = response.json()
    assert isinstance(body, list) and body[0]["soc"] == 2136
    assert all(set(item) == SOC_INFO_KEYS for item in body)
    assert response.headers["x-lmi-method"] == "synthetic"


def test_demo_compat_search_junk_is_empty(demo_client: TestClient) -> None:
    assert demo_client.get("/api/v1/soc/search", params={"q": "£28,000"}).json() == []


def test_demo_batch_post_list(demo_client: TestClient) -> None:
    titles = [demo_title("soc2010", "2136"), "", demo_title("soc2010", "5213")]
    response = demo_client.post("/v1/code", json=titles)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["count"] == 3 and data["soc_version"] == "soc2010"
    results = data["results"]
    assert [r["input"] for r in results] == titles
    assert results[0]["code"] == "2136"
    assert results[1]["code"] is None and results[1]["method"] is None
    assert results[2]["code"] == "5213"
    assert response.json()["meta"]["provenance"][0]["method"] == "synthetic"


def test_demo_batch_get(demo_client: TestClient) -> None:
    first, second = demo_title("soc2020", "2134"), demo_title("soc2020", "9336")
    data = data_of(demo_client, f"/v1/code?title={first}&title={second}&soc=2020")
    assert [r["code"] for r in data["results"]] == ["2134", "9336"]


@pytest.mark.parametrize(("body", "status"), BAD_BODIES)
def test_demo_batch_bad_bodies_are_400_json(
    demo_client: TestClient, body: bytes, status: int
) -> None:
    response = demo_client.post(
        "/v1/code", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == status, response.text
    assert response.json()["ok"] is False


def test_demo_batch_too_many_titles_is_413(demo_client: TestClient) -> None:
    response = demo_client.post("/v1/code", json=["x"] * (MAX_CODE_TITLES + 1))
    assert response.status_code == 413 and response.json()["status"] == 413
