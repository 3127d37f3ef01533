from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

import lmi.api.router as router_module
from lmi.api.router import IndexedRouter


def _named(name: str) -> object:
    async def endpoint(request: Request) -> Response:
        return PlainTextResponse(f"{name} {dict(request.path_params)}")

    return endpoint


def _client(catch_all: bool = True) -> TestClient:
    routes = [
        Route("/v1/onet/elements", _named("elements")),  # literal first: must win over {code}
        Route("/v1/onet/{code}", _named("onet")),
        Route("/v1/occupations/{version}/{code}", _named("occupation")),
        Route("/v1/occupations/{version}/{code}/children", _named("children")),
        Route("/only-post", _named("post"), methods=["POST"]),
        *([Route("/{anything}", _named("catch-all"))] if catch_all else []),
    ]
    app = Starlette()
    app.router = IndexedRouter(routes=routes)
    return TestClient(app)


def test_declared_order_and_parameters_are_kept() -> None:
    client = _client()
    assert client.get("/v1/onet/elements").text == "elements {}"
    assert client.get("/v1/onet/15-1252.00").text == "onet {'code': '15-1252.00'}"
    assert client.get("/v1/occupations/soc2010/2136").text.startswith("occupation")
    assert client.get("/v1/occupations/soc2010/2136/children").text.startswith("children")
    assert client.get("/elsewhere").text == "catch-all {'anything': 'elsewhere'}"


def test_misses_fall_back_to_starlette() -> None:
    client = _client(catch_all=False)
    assert client.get("/only-post").status_code == 405  # partial match: method not allowed
    assert client.get("/v1/nothing/here").status_code == 404


def test_routes_are_found_by_their_literal_segments_wherever_they_are() -> None:
    routes = [
        Route("/v1/occupations/{version}/{code}", _named("occupation")),
        Route("/v1/occupations/{version}/{code}/profile", _named("profile")),
        Route("/v1/occupations/{version}/{code}/related", _named("related")),
        Route("/v1/occupations/{version}/{code}/{section}", _named("section")),
        Route("/data/{name}.parquet", _named("parquet")),
        Route("/admin/{rest:path}", _named("admin")),
    ]
    router = IndexedRouter(routes=routes)
    # one candidate for a literal last segment (plus the parameter route declared after it)
    assert [r.path for r in router._candidates("/v1/occupations/soc2010/2136/related")] == [
        "/v1/occupations/{version}/{code}/related",
        "/v1/occupations/{version}/{code}/{section}",
    ]
    assert router._candidates("/admin/releases/3/diff")[-1].path == "/admin/{rest:path}"
    assert all(r.path != "/admin/{rest:path}" for r in router._candidates("/v1/x/y"))
    app = Starlette()
    app.router = router
    client = TestClient(app)
    assert client.get("/v1/occupations/soc2010/2136/profile").text.startswith("profile")
    assert client.get("/v1/occupations/soc2010/2136/tasks").text.startswith("section")
    assert client.get("/data/leo.parquet").text == "parquet {'name': 'leo'}"
    assert client.get("/admin/releases/3/diff").text == "admin {'rest': 'releases/3/diff'}"


def test_candidates_are_remembered_per_path_up_to_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(router_module, "CACHED_PATHS", 2)
    router = IndexedRouter(routes=[Route("/v1/onet/{code}", _named("onet"))])
    for code in ("a", "b", "c", "a"):
        assert [r.path for r in router._candidates(f"/v1/onet/{code}")] == ["/v1/onet/{code}"]
    assert set(router._cache) == {"/v1/onet/a", "/v1/onet/b"}  # "c" computed, not kept
