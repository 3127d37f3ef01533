"""Every declared endpoint: its example answers 200 in the right shape, and bad input 4xx JSON."""

from __future__ import annotations

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from lmi.api.maintenance import maintain
from lmi.api.routes import ENDPOINTS
from lmi.ops.keys import create_key
from lmi.store import Database

EXAMPLES = [e for e in ENDPOINTS if e.example]


def test_every_endpoint_has_an_example() -> None:
    assert [e.path for e in ENDPOINTS if not e.example] == []


@pytest.mark.parametrize("endpoint", EXAMPLES, ids=[e.path for e in EXAMPLES])
def test_example_answers_in_shape(
    real_client: TestClient, real_release_db: Database, endpoint: object
) -> None:
    from lmi.api.openapi import Endpoint

    assert isinstance(endpoint, Endpoint) and endpoint.example
    headers = {}
    if endpoint.scope:  # keyed endpoints: refused without a key, answer with one
        assert real_client.get(endpoint.example).status_code == 401
        _, key = create_key(real_release_db, "every-endpoint", scopes=(endpoint.scope,))
        maintain(real_client.app.state.served, real_client.app.state.edge)  # type: ignore[attr-defined]
        headers = {"X-API-Key": key}
    response = real_client.get(endpoint.example, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    if endpoint.envelope:
        assert body["ok"] is True and "release" in body["meta"]
        for provenance in body["meta"]["provenance"]:
            assert {"source", "release", "method"} <= set(provenance)
            assert provenance["method"] in {"observed", "modelled", "synthetic"}


BAD_PATHS = [
    "/v1/occupations/soc2010/abc",
    "/v1/occupations/soc2010/abc/children",
    "/v1/occupations/soc2010/abc/ancestors",
    "/v1/occupations/soc2010/abc/index-titles",
    "/v1/occupations/soc2010/abc/convert",
    "/v1/occupations/soc2010/abc/isco",
    "/v1/occupations/soc2010/abc/onet",
    "/v1/hierarchy/soc1990",
    "/v1/isco08/abc",
    "/v1/onet/not-a-code",
    "/v1/sic2007/ZZ",
    "/v1/sic2007?level=bogus",
    "/v1/subjects/dewey",
    "/v1/subjects/cah/00-00",
    "/api/v1/soc/code/abc",
    "/api/v1/soc/search",
    "/no/such/path",
]


@pytest.mark.parametrize("path", BAD_PATHS)
def test_bad_input_is_4xx_json_in_the_error_envelope(real_client: TestClient, path: str) -> None:
    response = real_client.get(path)
    assert 400 <= response.status_code < 500, response.text
    body = response.json()
    assert set(body) == {"ok", "status", "error", "errors"}
    assert body["ok"] is False and body["status"] == response.status_code and body["error"]


def test_openapi_lists_every_route(fixture_client: TestClient) -> None:
    spec = fixture_client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    app_paths = {
        r.path
        for r in fixture_client.app.routes  # type: ignore[attr-defined]
        if isinstance(r, Route) and r.include_in_schema
    }
    assert app_paths == set(spec["paths"])
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            declared = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert declared == {seg[1:-1] for seg in path.split("/") if seg.startswith("{")}


def test_docs_page_shows_every_endpoint(fixture_client: TestClient) -> None:
    response = fixture_client.get("/docs")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    for endpoint in ENDPOINTS:
        assert endpoint.path in response.text


def test_health_and_readiness(fixture_client: TestClient) -> None:
    assert fixture_client.get("/healthz").json()["data"]["status"] == "alive"
    ready = fixture_client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["data"]["release"]["status"] == "production"
