"""Batch coding off the event loop: parsing, the bounded pool, and the server staying responsive.

Runs over a release built from the synthetic SOC fixture files (no official data needed).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from starlette.datastructures import QueryParams

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.errors import Busy, InvalidQuery
from lmi.etl import build_release
from lmi.search.coder import Coder
from lmi.search.index import Entry
from lmi.search.service import (
    MAX_CODE_TITLES,
    CodeRequest,
    CodingPool,
    TooManyTitles,
    code_batch,
    code_request,
)
from lmi.settings import Settings
from lmi.store import Database, migrate
from lmi.web import create_app
from tests.soc_fixtures import write_soc_sources

# -- parsing ------------------------------------------------------------------------------------


def test_a_list_body_codes_soc2010_once_each() -> None:
    parsed = code_request(QueryParams(""), ["nurse", "chef"])
    assert parsed.titles == ["nurse", "chef"] and parsed.versions == ("soc2010",)
    assert parsed.contexts == ["", ""] and parsed.top == 1


def test_both_versions_and_per_title_context() -> None:
    body = {
        "titles": ["Manager", {"title": "Manager", "industry": "hotel", "description": "rooms"}],
        "soc": "both",
        "top": 3,
    }
    parsed = code_request(QueryParams(""), body)
    assert parsed.versions == ("soc2010", "soc2020") and parsed.top == 3
    assert parsed.titles == ["Manager", "Manager"]
    assert parsed.contexts == ["", "hotel - rooms"]


def test_query_string_titles_and_options() -> None:
    parsed = code_request(QueryParams("title=a&title=b&soc=2020&top=2"))
    assert parsed.titles == ["a", "b"] and parsed.versions == ("soc2020",) and parsed.top == 2


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"titles": ["nurse"], "tpo": 3}, "tpo"),  # a typo is not silently ignored
        ({"titles": [{"title": "nurse", "sector": "health"}]}, "titles"),
        ({"titles": [{"industry": "health"}]}, "titles"),
        ({"titles": [3]}, "titles"),
        ({"titles": "nurse"}, "titles"),
        ({"titles": ["nurse"], "top": 0}, "top"),
        ({"titles": ["nurse"], "top": "many"}, "top"),
        ({"titles": ["nurse"], "soc": "1990"}, "soc"),
        ({"titles": ["nurse"], "soc": ["2010"]}, "soc"),
    ],
)
def test_bad_bodies_name_the_parameter(body: Any, parameter: str) -> None:
    with pytest.raises(InvalidQuery) as caught:
        code_request(QueryParams(""), body)
    assert caught.value.parameter == parameter


def test_too_many_titles() -> None:
    with pytest.raises(TooManyTitles):
        code_request(QueryParams(""), ["x"] * (MAX_CODE_TITLES + 1))


# -- the pool -----------------------------------------------------------------------------------

UNITS = {"2136": "Programmers and software development professionals", "5434": "Chefs"}


def small_coder() -> Coder:
    entries = [
        Entry("2136", "Software developer", "", "index", 1.0),
        Entry("2136", "Programmer", "", "index", 1.0),
        Entry("5434", "Chef", "", "index", 1.0),
        Entry("5434", "Head chef", "", "index", 1.0),
    ]
    return Coder("soc2010", entries, [], UNITS, {"5434": "cooks food in kitchens"})


def test_batch_results_explain_each_answer() -> None:
    coders = {"soc2010": small_coder()}
    request = CodeRequest(["Software Developers", "pastry chef", "!!!"], ("soc2010",), top=2)
    data = asyncio.run(code_batch(coders, request, Settings.from_env({})))
    first, second, junk = data["results"]
    assert first["code"] == "2136" and first["route"] == "exact" and first["status"] == "coded"
    assert first["normalised"] == "software developer" and first["matched"] == "Software developer"
    assert second["code"] == "5434" and second["route"] == "fuzzy"
    assert all(set(alt) >= {"code", "score", "route"} for alt in second["alternatives"])
    assert junk["code"] is None and junk["status"] == "uncodable"


def test_busy_pool_refuses_at_once_with_retry_after() -> None:
    pool = CodingPool(workers=1, queue=0)
    coder = small_coder()
    titles = [f"chef number {i}" for i in range(2000)]

    async def two_batches() -> tuple[Any, Any]:
        first = asyncio.ensure_future(pool.code(coder, titles, [""] * len(titles), 1))
        await asyncio.sleep(0)  # the first batch is admitted
        second = asyncio.ensure_future(pool.code(coder, titles, [""] * len(titles), 1))
        return tuple(await asyncio.gather(first, second, return_exceptions=True))  # type: ignore[return-value]

    try:
        first, second = asyncio.run(two_batches())
    finally:
        pool.shutdown()
    assert isinstance(first, list) and len(first) == len(titles)
    assert isinstance(second, Busy) and second.retry_after >= 1
    assert pool.admitted == 0  # the refused batch did not leak a place


# -- the server stays responsive ------------------------------------------------------------------


@pytest.fixture(scope="module")
def soc_db(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Database:
    root = write_soc_sources(tmp_path_factory.mktemp("soc-source"))
    db = session_store("coder_service")
    migrate(db)
    assert build_release(db, Path(root), [SOC2010, SOC2020]).promoted
    return db


Response = tuple[int, dict[bytes, bytes], bytes]


async def call(app: Any, method: str, path: str, body: bytes = b"") -> Response:
    """One request through the ASGI app on the running loop (as uvicorn would make it)."""
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [
            (b"host", b"test"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("test", 80),
        "app": app,
    }
    sent = False
    status, headers, chunks = 0, {}, []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            headers.update(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, headers, b"".join(chunks)


async def lifespan(app: Any) -> asyncio.Queue[dict[str, Any]]:
    """Start the app's lifespan (the snapshot is loaded); put a message to stop it."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    started = asyncio.Event()

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "lifespan.startup.complete":
            started.set()

    await inbox.put({"type": "lifespan.startup"})
    asyncio.ensure_future(app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, send))
    await asyncio.wait_for(started.wait(), 30)
    return inbox


def test_a_10k_batch_does_not_stall_other_requests(soc_db: Database) -> None:
    settings = Settings.from_env(
        {}, release_poll_seconds=0, rate_limit_anonymous=0, rate_limit_keyed=0
    )
    app = create_app(settings, db=soc_db)
    titles = [f"group {i % 97} widget operative number {i}" for i in range(10_000)]
    body = orjson.dumps({"titles": titles, "soc": "2010"})

    async def scenario() -> tuple[Response, list[float], float, list[int]]:
        stop = await lifespan(app)
        started = time.perf_counter()
        batch = asyncio.ensure_future(call(app, "POST", "/v1/code", body))
        latencies: list[float] = []
        statuses: list[int] = []
        await asyncio.sleep(0.05)  # the batch is being coded
        while not batch.done():
            for path in ("/healthz", "/v1/code?title=chef"):
                t0 = time.perf_counter()
                status, _, _ = await call(app, "GET", path)
                latencies.append(time.perf_counter() - t0)
                statuses.append(status)
            await asyncio.sleep(0.005)
        answer = await batch
        elapsed = time.perf_counter() - started
        await stop.put({"type": "lifespan.shutdown"})
        return answer, latencies, elapsed, statuses

    answer, latencies, elapsed, statuses = asyncio.run(scenario())
    status, _, raw = answer
    assert status == 200, raw[:300]
    assert orjson.loads(raw)["data"]["count"] == 10_000
    assert set(statuses) == {200}
    assert len(latencies) >= 10, f"the batch took {elapsed:.2f} s: too short to probe"
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    assert p99 < 0.05, f"p99 {p99 * 1000:.1f} ms over {len(latencies)} requests"


def test_the_endpoint_over_fixture_data(soc_db: Database) -> None:
    settings = Settings.from_env({}, release_poll_seconds=0, rate_limit_anonymous=0)
    app = create_app(settings, db=soc_db)
    both = {"titles": ["Fixture worker", {"title": "Fixture worker", "industry": "x"}]}

    async def scenario() -> list[Response]:
        stop = await lifespan(app)
        answers = [
            await call(app, "POST", "/v1/code", orjson.dumps({**both, "soc": "both"})),
            await call(app, "POST", "/v1/code", orjson.dumps({**both, "tpo": 3})),
            await call(app, "POST", "/v1/code", orjson.dumps({"titles": [{"name": "x"}]})),
        ]
        await stop.put({"type": "lifespan.shutdown"})
        return answers

    (ok, _, body), (typo, _, typo_body), (bad_item, _, _) = asyncio.run(scenario())
    assert ok == 200, body
    data = orjson.loads(body)["data"]
    assert data["soc_version"] == "both" and data["count"] == 2
    first = data["results"][0]
    assert set(first) == {"input", "soc2010", "soc2020"}
    assert first["soc2010"]["route"] == "exact" and first["soc2010"]["status"] in {
        "coded",
        "ambiguous",
    }
    assert first["soc2020"]["normalised"] == "fixture worker"
    assert typo == 400 and bad_item == 400
    error = orjson.loads(typo_body)
    assert error["ok"] is False and "tpo" in error["error"]


@pytest.mark.slow
def test_a_full_queue_answers_503_with_retry_after(soc_db: Database) -> None:
    settings = Settings.from_env(
        {}, release_poll_seconds=0, rate_limit_anonymous=0, coder_workers=1, coder_queue=0
    )
    app = create_app(settings, db=soc_db)
    big = orjson.dumps([f"fixture widget hand {i}" for i in range(3000)])
    small = orjson.dumps(["fixture worker"] * 10)

    async def scenario() -> tuple[Response, Response]:
        stop = await lifespan(app)
        first = asyncio.ensure_future(call(app, "POST", "/v1/code", big))
        await asyncio.sleep(0.02)  # the first batch holds the only place
        second = await call(app, "POST", "/v1/code", small)
        answers = (await first, second)
        await stop.put({"type": "lifespan.shutdown"})
        return answers

    (first, _, _), (status, headers, body) = asyncio.run(scenario())
    assert first == 200
    assert status == 503 and headers[b"retry-after"] == b"1"
    assert orjson.loads(body)["ok"] is False
