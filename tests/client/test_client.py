"""lmi-client against a live lmi on loopback, and its retry, pinning and paging rules."""

from __future__ import annotations

import inspect
from dataclasses import fields
from pathlib import Path
from typing import Any

import httpx2
import pytest

from lmi.store import Database
from lmi_client import (
    LMI,
    APIError,
    AsyncLMI,
    Provenance,
    Release,
    ReleaseGone,
    RetryPolicy,
)
from lmi_client.client import Endpoints, build_request, retry_after_seconds
from tests.api.conftest import RENAMED, build_two_releases
from tests.client.conftest import Live, run_async, serve

# -- against a running server ------------------------------------------------------------------


def test_search_then_occupation_with_provenance(live: Live) -> None:
    with LMI(live.url) as lmi:
        first = lmi.get("/v1/occupations", soc="2020", level="unit_group").data[0]
        found = lmi.search_occupations(first["title"], soc="2020", limit=3)
        assert found.data["results"][0]["code"] == first["code"]
        occupation = lmi.occupation(first["code"], version="soc2020")
    assert occupation.data["code"] == first["code"]
    assert occupation.meta is not None and occupation.release_id == occupation.meta.release.id
    assert occupation.meta.provenance[0].dataset == "soc2020"
    assert occupation.meta.provenance[0].method in ("observed", "modelled", "synthetic")


def test_code_titles_posts_a_batch_and_code_all_splits_large_ones(live: Live) -> None:
    with LMI(live.url) as lmi:
        titles = [g["title"] for g in lmi.get("/v1/occupations", soc="2010").data[:3]]
        answer = lmi.code_titles(titles, soc="2010")
        assert [r["input"] for r in answer.data["results"]] == titles
        with pytest.raises(ValueError, match="code_all"):
            lmi.code_titles(["x"] * 10_001)
        many = lmi.code_all([titles[0]] * 10_001, soc="2010")
    assert len(many) == 10_001 and {r["input"] for r in many} == {titles[0]}


def test_errors_are_typed_with_the_parameter_named(live: Live) -> None:
    with LMI(live.url) as lmi:
        with pytest.raises(APIError) as unknown:
            lmi.occupation("9999", version="soc2020")
        assert unknown.value.status == 404
        with pytest.raises(APIError) as bad:
            lmi.search_occupations("nurse", limit=0)
    assert bad.value.status == 400 and bad.value.errors[0].parameter == "limit"


def test_async_client_answers_the_same(live: Live) -> None:
    async def both() -> tuple[Any, Any]:
        async with AsyncLMI(live.url) as lmi:
            release = await lmi.release_info()
            pages = [page async for page in lmi.pages("/v1/hierarchy/{version}", version="soc2020")]
            return release, pages

    release, pages = run_async(both())
    with LMI(live.url) as lmi:
        assert lmi.release_info().data == release.data
    assert len(pages) == 1 and pages[0].data  # lmi answers listings in one page today


def test_compat_answers_carry_the_release_from_headers(live: Live) -> None:
    with LMI(live.url) as lmi:
        served = lmi.release_info().release_id
        answer = lmi.get("/api/v1/soc/search", q="manager")
    assert answer.meta is None and isinstance(answer.data, list)
    assert answer.release_id == served


def test_pinning_to_the_served_release_passes_and_an_unknown_one_is_refused(live: Live) -> None:
    with LMI(live.url) as lmi:
        served = lmi.release_info().release_id
    assert served is not None
    with LMI(live.url, release=served) as pinned:
        assert pinned.get("/v1/hierarchy/{version}", version="soc2010").release_id == served
    for via in ("header", "query"):
        with LMI(live.url, release=served + 100, pin_via=via) as other:  # type: ignore[arg-type]
            with pytest.raises(APIError) as refused:
                other.release_info()
        assert refused.value.status == 404 and "/v1/releases" in str(refused.value)


def test_a_pin_round_trip_over_two_releases(tmp_path: Path) -> None:
    """Pinned to the earlier of two releases, the client gets that release's figures (by header
    or query), lists what it may pin and what changed, and gets ReleaseGone once it is not kept."""
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    first, second = build_two_releases(db, tmp_path)
    path = "/v1/occupations/{version}/{code}"
    server = serve(db)
    try:
        with LMI(server.url) as lmi:
            now = lmi.get(path, version="soc2010", code=RENAMED)
            listed = lmi.get("/v1/releases").data["releases"]
            changes = lmi.get("/v1/releases/{id}/changes", id=second).data
        assert now.release_id == second and now.data["title"].endswith("renamed")
        assert [r["id"] for r in listed] == [second, first]
        assert changes["previous"]["id"] == first
        for via in ("header", "query"):
            with LMI(server.url, release=first, pin_via=via) as pinned:  # type: ignore[arg-type]
                old = pinned.get(path, version="soc2010", code=RENAMED)
                assert old.release_id == first and old.meta is not None
                assert old.data["title"] == f"Fixture unit {RENAMED}"
                assert pinned.get("/api/v1/soc/code/{soc}", soc=RENAMED).release_id == first
    finally:
        server.stop()
    gone = serve(db, release_retention=0)
    try:
        with LMI(gone.url, release=first) as pinned, pytest.raises(ReleaseGone) as refused:
            pinned.get(path, version="soc2010", code=RENAMED)
        assert refused.value.status == 410 and "/v1/releases" in str(refused.value)
    finally:
        gone.stop()


def test_rate_limited_requests_wait_as_retry_after_says(fixture_release_db: Any) -> None:
    server = serve(fixture_release_db, rate_limit_anonymous=1)
    waits: list[float] = []
    try:
        policy = RetryPolicy(attempts=2, max_wait=120)
        with LMI(server.url, sleep=waits.append, retry=policy) as lmi:
            lmi.release_info()
            with pytest.raises(APIError) as limited:
                lmi.release_info()  # refused, waits Retry-After once, refused again
    finally:
        server.stop()
    assert limited.value.status == 429 and limited.value.retry_after is not None
    # one wait, as long as the server asked (a minute for 1 request a minute)
    assert len(waits) == 1 and 1 <= waits[0] <= 60
    assert abs(waits[0] - limited.value.retry_after) <= 1


# -- the client is checked against the OpenAPI document --------------------------------------


def _helper_calls() -> dict[str, tuple[str, str, set[str]]]:
    """Each helper's (method, path, parameter names), recorded by calling it."""
    recorded: dict[str, tuple[str, str, set[str]]] = {}

    class Recorder(Endpoints[None]):
        def _call(self, method: str, path: str, params: Any, body: Any = None) -> None:
            recorded[self.name] = (method, path, {k for k in params})

    for name, member in inspect.getmembers(Endpoints, inspect.isfunction):
        if name.startswith("_") or name == "get":
            continue
        recorder = Recorder()
        recorder.name = name  # type: ignore[attr-defined]
        signature = inspect.signature(member)
        args = [
            "2134" if p.name in ("code", "q") else ["nurse"]
            for p in list(signature.parameters.values())[1:]
            if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty
        ]
        member(recorder, *args)
    return recorded


def test_every_helper_names_a_documented_path_and_parameters(live: Live) -> None:
    with LMI(live.url) as lmi:
        spec = lmi.openapi()
    helpers = _helper_calls()
    assert len(helpers) >= 12
    for name, (method, path, params) in helpers.items():
        operation = spec["paths"].get(path, {}).get(method.lower())
        assert operation is not None, (name, method, path)
        documented = {p["name"] for p in operation["parameters"]}
        assert params <= documented, (name, params - documented)


@pytest.mark.parametrize(("model", "schema"), [(Provenance, "Provenance"), (Release, "Release")])
def test_models_match_the_documented_schemas(live: Live, model: type, schema: str) -> None:
    with LMI(live.url) as lmi:
        documented = lmi.openapi()["components"]["schemas"][schema]
    names = {f.name for f in fields(model)}
    assert names == set(documented["properties"])
    required = {f.name for f in fields(model) if f.default is not None}
    assert set(documented["required"]) == required


# -- rules, without a server -----------------------------------------------------------------


def _mock(answers: list[httpx2.Response], seen: list[httpx2.Request]) -> httpx2.MockTransport:
    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return answers.pop(0)

    return httpx2.MockTransport(handler)


def _ok(release: int = 3, **headers: str) -> httpx2.Response:
    meta = {"release": {"id": release}, "provenance": []}
    return httpx2.Response(200, json={"ok": True, "data": [1], "meta": meta}, headers=headers)


def test_503_backs_off_exponentially_without_retry_after() -> None:
    seen: list[httpx2.Request] = []
    waits: list[float] = []
    busy = httpx2.Response(503, json={"ok": False, "status": 503, "error": "x", "errors": []})
    transport = _mock([busy, busy, _ok()], seen)
    policy = RetryPolicy(attempts=4, backoff=1.0, max_wait=60)
    with LMI("http://lmi.test", transport=transport, sleep=waits.append, retry=policy) as lmi:
        assert lmi.get("/v1/regions").data == [1]
    assert len(seen) == 3 and len(waits) == 2
    assert 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0  # 1 s then 2 s, with jitter


def test_a_retry_after_longer_than_max_wait_is_raised_not_slept() -> None:
    waits: list[float] = []
    limited = httpx2.Response(429, headers={"retry-after": "120"}, json={"ok": False})
    with LMI("http://lmi.test", transport=_mock([limited], []), sleep=waits.append) as lmi:
        with pytest.raises(APIError) as refused:
            lmi.get("/v1/regions")
    assert refused.value.retry_after == 120 and waits == []


def test_410_is_release_gone_and_the_pin_is_sent_as_asked() -> None:
    seen: list[httpx2.Request] = []
    gone = httpx2.Response(410, json={"ok": False, "status": 410, "error": "gone", "errors": []})
    with LMI("http://lmi.test", release=3, transport=_mock([_ok(), gone], seen)) as lmi:
        assert lmi.get("/v1/regions").release_id == 3
        with pytest.raises(ReleaseGone):
            lmi.get("/v1/regions")
    assert seen[0].headers["x-lmi-release"] == "3" and "release" not in seen[0].url.params
    with LMI("http://lmi.test", release=3, pin_via="query", transport=_mock([_ok()], seen)) as lmi:
        lmi.get("/v1/regions")
    assert seen[-1].url.params["release"] == "3"


def test_pages_follow_link_next_with_the_pin() -> None:
    seen: list[httpx2.Request] = []
    answers = [_ok(link='</v1/things?after=2>; rel="next"'), _ok()]
    with LMI("http://lmi.test", release=3, transport=_mock(answers, seen)) as lmi:
        pages = list(lmi.pages("/v1/things"))
    assert len(pages) == 2 and seen[1].url.path == "/v1/things"
    assert seen[1].url.params["after"] == "2" and seen[1].headers["x-lmi-release"] == "3"


def test_build_request_fills_the_path_and_repeats_lists() -> None:
    path, query = build_request(
        "/v1/occupations/{version}/{code}", {"version": "soc2020", "code": "21/3", "x": None}
    )
    assert path == "/v1/occupations/soc2020/21%2F3" and query == []
    _, repeated = build_request("/v1/code", {"title": ["a", "b"], "pool": True})
    assert repeated == [("title", "a"), ("title", "b"), ("pool", "true")]
    with pytest.raises(ValueError, match="missing"):
        build_request("/v1/occupations/{version}/{code}", {"version": "soc2020"})


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
