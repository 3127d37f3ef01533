"""The LMI-for-All-compatible /api/v1 SOC endpoints keep LMI for All's exact shapes."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

SOC_INFO_KEYS = {"soc", "title", "description", "qualifications", "tasks", "add_titles"}


def test_soc_code_2136_real(real_client: TestClient) -> None:
    response = real_client.get("/api/v1/soc/code/2136")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == SOC_INFO_KEYS
    assert body["soc"] == 2136 and isinstance(body["soc"], int)
    assert body["title"] == "Programmers and software development professionals"
    assert body["description"].startswith("Programmers and software development professionals")
    assert body["qualifications"].startswith("Entrants usually possess a degree")
    assert isinstance(body["tasks"], str)
    assert "writes and codes individual programs according to specifications;\n " in body["tasks"]
    assert "Analyst-programmer" in body["add_titles"]
    assert "Engineer, software" in body["add_titles"]
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-lmi-method"] == "observed"


def test_soc_search_real_returns_array_best_first(real_client: TestClient) -> None:
    body = real_client.get("/api/v1/soc/search", params={"q": "software developer"}).json()
    assert isinstance(body, list) and body
    assert body[0]["soc"] == 2136
    assert all(set(item) == SOC_INFO_KEYS for item in body)


def test_soc_search_no_match_is_an_empty_array(fixture_client: TestClient) -> None:
    response = fixture_client.get("/api/v1/soc/search?q=zzzzqqq")
    assert response.status_code == 200 and response.json() == []


def test_unknown_parameters_are_ignored(fixture_client: TestClient) -> None:
    plain = fixture_client.get("/api/v1/soc/code/1111").json()
    extra = fixture_client.get("/api/v1/soc/code/1111?featureClass=P&style=full&maxRows=3")
    assert extra.status_code == 200 and extra.json() == plain


@pytest.mark.parametrize(
    ("path", "status", "fragment"),
    [
        ("/api/v1/soc/code/abcd", 400, "must be digits"),
        ("/api/v1/soc/code/99999", 400, "4 digits"),
        ("/api/v1/soc/code/9999", 404, "soc: 9999 is not a SOC2010 code"),
        ("/api/v1/soc/search", 400, "'q' is required"),
        ("/api/v1/soc/search?q=", 400, "'q' is required"),
        ("/api/v1/soc/search?q=x&limit=0", 400, "between 1 and 100"),
        ("/api/v1/soc/search?q=x&limit=ten", 400, "must be an integer"),
    ],
)
def test_bad_input_is_a_json_4xx(
    fixture_client: TestClient, path: str, status: int, fragment: str
) -> None:
    response = fixture_client.get(path)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and body["status"] == status and fragment in body["error"]


def test_jsonp_wraps_the_body(fixture_client: TestClient) -> None:
    response = fixture_client.get("/api/v1/soc/code/1111?callback=jQuery123_456.done")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/javascript")
    text = response.text
    assert text.startswith("/**/jQuery123_456.done(") and text.endswith(");")
    inner = json.loads(text[len("/**/jQuery123_456.done(") : -2])
    assert inner["soc"] == 1111


def test_jsonp_wraps_errors_too(fixture_client: TestClient) -> None:
    response = fixture_client.get("/api/v1/soc/code/9999?callback=cb")
    assert response.status_code == 404 and response.text.startswith("/**/cb({")


@pytest.mark.parametrize("callback", ["alert(1)", "1abc", "a-b", "x" * 101, "<script>"])
def test_unsafe_callback_names_are_refused(fixture_client: TestClient, callback: str) -> None:
    response = fixture_client.get("/api/v1/soc/code/1111", params={"callback": callback})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json()["errors"][0]["parameter"] == "callback"


def test_cors_preflight(fixture_client: TestClient) -> None:
    response = fixture_client.options(
        "/api/v1/soc/code/1111",
        headers={"Origin": "https://school.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "GET" in response.headers["access-control-allow-methods"]
