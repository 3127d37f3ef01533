"""The OpenAPI document: an example for every parameter and response, and every status and
content type the server really sends declared where it is sent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest
from starlette.testclient import TestClient

from lmi.api.openapi import Endpoint, parameter_example
from lmi.api.routes import ENDPOINTS
from lmi.settings import Settings
from lmi.store import Database
from lmi.web import create_app

SOC_PATHS = ("/v1/occupations", "/v1/hierarchy", "/v1/search/", "/api/v1/soc/")


@pytest.fixture(scope="module")
def spec(fixture_client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = fixture_client.get("/openapi.json").json()
    return document


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        found: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            found = found[part]
        node = found
    return node


def test_every_parameter_has_an_example_its_schema_accepts(spec: dict[str, Any]) -> None:
    count = 0
    for path, method, operation in operations(spec):
        for param in operation["parameters"]:
            assert "example" in param, (path, method, param["name"])
            validator = jsonschema_rs.validator_for(param["schema"])
            assert validator.is_valid(param["example"]), (path, param["name"], param["example"])
            count += 1
    assert count > 100  # every endpoint's parameters, not a handful


def test_examples_prefer_the_declared_then_the_example_url() -> None:
    endpoint = next(e for e in ENDPOINTS if e.path == "/v1/occupations/{version}/{code}/convert")
    by_name = {p.name: parameter_example(endpoint, p) for p in endpoint.params}
    # code is declared ("2136"); value=1000 comes from the example URL, typed as its schema says
    assert by_name["code"] == "2136" and by_name["value"] == 1000.0
    assert by_name["basis"] == "census"  # neither: the first allowed value


def test_every_response_with_a_body_has_an_example(spec: dict[str, Any]) -> None:
    for path, _method, operation in operations(spec):
        assert {"200", "400", "413", "414", "429"} <= set(operation["responses"]), path
        for status, response in operation["responses"].items():
            response = resolve(spec, response)
            if status == "304":
                assert "content" not in response
                continue
            assert response.get("content"), (path, status)
            for media_type, media in response["content"].items():
                assert "example" in media or media.get("examples"), (path, status, media_type)


def test_rate_limit_answer_declares_retry_after(spec: dict[str, Any]) -> None:
    limited = resolve(spec, spec["paths"]["/v1/regions"]["get"]["responses"]["429"])
    assert "Retry-After" in limited["headers"]


def _soc_endpoints() -> list[Endpoint]:
    return [e for e in ENDPOINTS if e.example and e.path.startswith(SOC_PATHS)]


def test_live_examples_answer_in_their_declared_shape(
    spec: dict[str, Any], fixture_client: TestClient
) -> None:
    envelope = jsonschema_rs.validator_for(
        {**spec["components"]["schemas"]["Envelope"], "components": spec["components"]}
    )
    checked = 0
    for endpoint in _soc_endpoints():
        for method in endpoint.methods:
            media = spec["paths"][endpoint.path][method.lower()]["responses"]["200"]["content"]
            example = media["application/json"].get("examples", {}).get("live")
            if example is None:
                continue
            response = fixture_client.get(example["externalValue"])
            if response.status_code == 404:  # a code the small fixture release does not hold
                assert response.json()["ok"] is False
                continue
            assert response.status_code == 200, example
            if endpoint.envelope:
                assert envelope.is_valid(response.json()), example
            checked += 1
    assert checked >= 5


def test_304_is_declared_exactly_where_it_is_sent(
    spec: dict[str, Any], fixture_client: TestClient
) -> None:
    for endpoint in [*_soc_endpoints(), *(e for e in ENDPOINTS if e.path in ("/healthz",))]:
        assert endpoint.example is not None
        first = fixture_client.get(endpoint.example)
        if first.status_code != 200:  # errors are never cached; the fixture lacks this code
            continue
        etag = first.headers.get("etag")
        sent = etag is not None and (
            fixture_client.get(endpoint.example, headers={"if-none-match": etag}).status_code == 304
        )
        declared = "304" in spec["paths"][endpoint.path]["get"]["responses"]
        assert sent == declared, endpoint.path


def test_jsonp_is_declared_where_a_callback_is_accepted(
    spec: dict[str, Any], fixture_client: TestClient
) -> None:
    for endpoint in _soc_endpoints():
        accepts = any(p.name == "callback" for p in endpoint.params)
        content = spec["paths"][endpoint.path]["get"]["responses"]["200"]["content"]
        assert ("application/javascript" in content) == accepts, endpoint.path
        if accepts:
            url = content["application/javascript"]["examples"]["jsonp"]["externalValue"]
            answer = fixture_client.get(url)
            if answer.status_code == 404:
                continue
            assert answer.headers["content-type"].startswith("application/javascript"), (
                url,
                answer.status_code,
                answer.text[:200],
            )
            assert answer.text.startswith("/**/handleData(")


def test_edge_statuses_are_sent_as_declared(fixture_db: Database) -> None:
    settings = Settings.from_env(
        {}, release_poll_seconds=0, rate_limit_anonymous=2, max_query_length=64
    )
    with TestClient(create_app(settings, db=fixture_db)) as client:
        too_long = client.get("/v1/regions?" + "q=" + "x" * 100)
        assert too_long.status_code == 414 and too_long.json()["status"] == 414
        too_large = client.post("/v1/code", content=b"[]", headers={"content-length": str(10**9)})
        assert too_large.status_code == 413
        statuses = [client.get("/v1/regions").status_code for _ in range(3)]
        limited = client.get("/v1/regions")
        assert 429 in statuses or limited.status_code == 429
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 0
