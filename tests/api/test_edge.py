"""The request edge: request ids, limits, API keys, metrics and usage counts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from starlette.requests import Request
from starlette.testclient import TestClient

from lmi.api.access import require_scope
from lmi.api.maintenance import flush_usage, maintain
from lmi.errors import Forbidden, Unauthorized
from lmi.ops.keys import create_key, list_keys, revoke_key
from lmi.ops.usage import usage_summary
from lmi.serve.cache import ResponseCache
from lmi.settings import Settings
from lmi.store import Database
from lmi.synth.demo import CLASSIFICATIONS, build_demo_release
from lmi.web import create_app


@pytest.fixture
def demo_db(empty_store: Database) -> Database:
    build_demo_release(empty_store, datasets=CLASSIFICATIONS)
    return empty_store


def client(db: Database, **overrides: object) -> TestClient:
    settings = Settings.from_env({}, release_poll_seconds=0, **overrides)
    return TestClient(create_app(settings, db=db))


@pytest.fixture
def edge_client(demo_db: Database) -> Iterator[TestClient]:
    with client(demo_db) as c:
        yield c


def test_request_ids(edge_client: TestClient) -> None:
    generated = edge_client.get("/healthz").headers["x-request-id"]
    assert generated and generated != edge_client.get("/healthz").headers["x-request-id"]
    echoed = edge_client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    replaced = edge_client.get("/healthz", headers={"X-Request-ID": "bad id!"})
    assert replaced.headers["x-request-id"] != "bad id!"


def test_security_and_cors_headers(edge_client: TestClient) -> None:
    headers = edge_client.get("/v1/qualifications").headers
    assert headers["access-control-allow-origin"] == "*"
    assert headers["x-content-type-options"] == "nosniff"
    assert "etag" in headers["access-control-expose-headers"]


def test_oversized_requests_are_refused(edge_client: TestClient) -> None:
    long = edge_client.get("/v1/qualifications?x=" + "a" * 5000)
    assert long.status_code == 414 and long.json()["ok"] is False
    big = edge_client.post("/v1/qualifications", content=b"x" * 2_000_000)
    assert big.status_code == 413


def test_anonymous_rate_limit(demo_db: Database) -> None:
    with client(demo_db, rate_limit_anonymous=3) as c:
        statuses = [c.get("/v1/qualifications").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = c.get("/v1/qualifications")
        assert int(refused.headers["retry-after"]) >= 1
        assert "rate limit of 3 requests per minute" in refused.json()["error"]


def test_api_keys_have_their_own_limit_and_can_be_revoked(demo_db: Database) -> None:
    key_id, key = create_key(demo_db, "school", scopes=("pay:md",), rate_per_minute=2)
    assert key.startswith("lmi_") and all(key not in str(r) for r in list_keys(demo_db))
    with client(demo_db, rate_limit_anonymous=1) as c:
        with_key = [c.get("/healthz", headers={"X-API-Key": key}).status_code for _ in range(3)]
        assert with_key == [200, 200, 429]
        assert c.get(f"/healthz?api_key={key}").status_code == 429  # same key, same bucket
        assert c.get("/healthz", headers={"X-API-Key": "lmi_nope"}).status_code == 401
        revoke_key(demo_db, key_id)
        maintain(c.app.state.served, c.app.state.edge)  # type: ignore[attr-defined]
        assert c.get("/healthz", headers={"X-API-Key": key}).status_code == 401


def _request(scope_key: object) -> Request:
    return Request({"type": "http", "headers": [], "lmi.api_key": scope_key})


def test_require_scope(demo_db: Database) -> None:
    from lmi.ops.keys import KeyRing

    _, key = create_key(demo_db, "careers", scopes=("pay:md",))
    ring = KeyRing()
    ring.refresh(demo_db)
    found = ring.lookup(key)
    assert found is not None and require_scope(_request(found), "pay:md") == found
    with pytest.raises(Forbidden, match="does not carry scope 'admin'"):
        require_scope(_request(found), "admin")
    with pytest.raises(Unauthorized, match="needs an API key"):
        require_scope(_request(None), "pay:md")


def test_metrics_and_usage(demo_db: Database) -> None:
    with client(demo_db) as c:
        for _ in range(3):
            assert c.get("/api/v1/soc/code/2136").status_code == 200
        assert c.get("/api/v1/soc/code/abc").status_code == 400
        text = c.get("/metrics").text
        assert 'lmi_http_requests_total{method="GET",route="compat_soc_code",status="200"} 3.0' in (
            text
        )
        assert "lmi_release_id" in text and "lmi_http_request_duration_seconds_bucket" in text
        flush_usage(c.app.state.served, c.app.state.edge)  # type: ignore[attr-defined]
    rows = {(r["route"], r["status_class"]): r["requests"] for r in usage_summary(demo_db)}
    assert rows[("compat_soc_code", "2xx")] == 3 and rows[("compat_soc_code", "4xx")] == 1


def _without_request_id(headers: object) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers.multi_items() if k != "x-request-id"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "request_headers",
    [{}, {"Accept-Encoding": "br"}, {"Accept-Encoding": "gzip"}, {"Accept-Encoding": "br;q=0"}],
)
def test_repeated_gets_are_answered_at_the_edge_exactly_as_routed(
    edge_client: TestClient, monkeypatch: pytest.MonkeyPatch, request_headers: dict[str, str]
) -> None:
    from lmi.api import respond

    calls: list[str] = []
    original = respond.cached_response

    def counted(request: Request, *args: object, **kwargs: object) -> object:
        calls.append(request.url.path)
        return original(request, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(respond, "cached_response", counted)
    paths = [
        "/v1/qualifications",
        "/v1/occupations/soc2010/2136",
        "/api/v1/soc/code/2136",
        "/api/v1/soc/search?q=nurse",
        "/v1/hierarchy/soc2010?junk=1",
    ]
    for path in paths:
        routed = edge_client.get(path, headers=request_headers)
        assert routed.status_code == 200, routed.text
        shortcut = edge_client.get(path, headers=request_headers)
        assert shortcut.content == routed.content
        assert _without_request_id(shortcut.headers) == _without_request_id(routed.headers)
        not_modified = edge_client.get(
            path, headers={**request_headers, "If-None-Match": routed.headers["etag"]}
        )
        assert not_modified.status_code == 304 and not_modified.content == b""
        head = edge_client.head(path, headers=request_headers)
        assert head.status_code == 200 and head.content == b""
        assert _without_request_id(head.headers) == _without_request_id(routed.headers)
    assert calls == [path.partition("?")[0] for path in paths]  # each routed once only
    text = edge_client.get("/metrics").text
    assert 'method="GET",route="compat_soc_search",status="200"} 2.0' in text
    assert 'method="HEAD",route="compat_soc_search",status="200"} 1.0' in text
    assert 'route="compat_soc_search",status="304"} 1.0' in text


def test_edge_answers_still_pass_keys_and_rate_limits(demo_db: Database) -> None:
    with client(demo_db, rate_limit_anonymous=3) as c:
        path = "/api/v1/soc/code/2136"
        assert [c.get(path).status_code for _ in range(4)] == [200, 200, 200, 429]
        assert c.get(path, headers={"X-API-Key": "lmi_nope"}).status_code == 401
        assert c.get(path, headers={"Content-Length": "x"}).status_code == 413


def test_edge_answers_only_what_the_served_release_answered(demo_db: Database) -> None:
    with client(demo_db) as c:
        served = c.app.state.served  # type: ignore[attr-defined]
        assert c.get("/api/v1/soc/code/2136?callback=cb").status_code == 200  # JSONP: not kept
        assert c.get("/api/v1/soc/code/abc").status_code == 400  # errors: not kept
        responses = served.snapshot.responses
        assert responses.shortcut("/api/v1/soc/code/2136", b"callback=cb") is None
        assert responses.shortcut("/api/v1/soc/code/abc", b"") is None
        assert c.head("/api/v1/soc/code/2136").status_code == 200
        assert responses.shortcut("/api/v1/soc/code/2136", b"") is not None
        served._snapshot = replace(served.snapshot, responses=ResponseCache())  # a new release
        assert served.snapshot.responses.shortcut("/api/v1/soc/code/2136", b"") is None
        assert c.get("/api/v1/soc/code/2136").status_code == 200
