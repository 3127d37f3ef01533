from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from starlette.testclient import TestClient

from lmi.serve.cache import ResponseCache, accepted_coding, make_entry


def test_cache_keeps_bodies_within_its_budget() -> None:
    cache = ResponseCache(max_bytes=10)
    cache.put("a", make_entry(1, b"12345"))
    cache.put("b", make_entry(1, b"123456"))  # would exceed the budget: not kept
    cache.put("c", make_entry(1, b"12345"))
    assert cache.get("b") is None
    assert cache.get("a").body == b"12345" and cache.get("c").body == b"12345"  # type: ignore[union-attr]
    assert cache.bytes == 10 and len(cache) == 2


def test_etag_names_release_and_body() -> None:
    a, b, c = make_entry(1, b"x"), make_entry(2, b"x"), make_entry(1, b"y")
    assert len({a.etag, b.etag, c.etag}) == 3 and a.etag == make_entry(1, b"x").etag


@contextmanager
def budget(client: TestClient, max_bytes: int) -> Iterator[ResponseCache]:
    """The served release's response cache replaced by an empty one of ``max_bytes``."""
    snapshot = client.app.state.served.snapshot  # type: ignore[attr-defined]
    kept, snapshot.responses = snapshot.responses, ResponseCache(max_bytes=max_bytes)
    try:
        yield snapshot.responses
    finally:
        snapshot.responses = kept


def test_junk_query_strings_do_not_grow_memory_past_the_budget(
    fixture_client: TestClient,
) -> None:
    with budget(fixture_client, 100_000) as responses:
        sizes = set()
        for n in range(50):
            response = fixture_client.get(f"/v1/hierarchy/soc2010?junk={n}")
            assert response.status_code == 200
            sizes.add(len(response.content))
        assert len(sizes) == 1 and sizes.pop() > 20_000  # so 50 copies would exceed the budget
        assert 0 < responses.bytes <= 100_000


def test_targets_answered_from_one_entry_count_against_the_budget(
    fixture_client: TestClient,
) -> None:
    with budget(fixture_client, 20_000) as responses:
        junk = "x" * 1000
        for n in range(40):  # one entry (keyed by q and limit), 40 targets of 1 KB and more
            path = f"/api/v1/soc/search?q=nurse&junk{n}={junk}"
            assert fixture_client.get(path).status_code == 200
        assert len(responses) == 1 and responses.bytes <= 20_000
        assert responses.shortcut("/api/v1/soc/search", f"q=nurse&junk0={junk}".encode())
        assert not responses.shortcut("/api/v1/soc/search", f"q=nurse&junk39={junk}".encode())


def test_etag_and_not_modified(fixture_client: TestClient) -> None:
    for path in ("/v1/occupations/soc2010/1111", "/api/v1/soc/code/1111"):
        first = fixture_client.get(path)
        etag = first.headers["etag"]
        assert etag.startswith('"r') and first.headers["cache-control"].startswith("public")
        again = fixture_client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        weak = fixture_client.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
        assert weak.status_code == 304
        changed = fixture_client.get(path, headers={"If-None-Match": '"r0-00000000"'})
        assert changed.status_code == 200 and changed.json() == first.json()


def test_brotli_or_gzip_when_accepted(fixture_client: TestClient) -> None:
    path = "/v1/hierarchy/soc2020"
    raw = fixture_client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    zipped = fixture_client.get(path, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "accept-encoding, x-lmi-release"
    assert zipped.json() == raw.json()  # the client decompresses
    assert int(zipped.headers["content-length"]) < len(gzip.compress(raw.content)) * 1.2
    assert int(zipped.headers["content-length"]) < len(raw.content) / 3
    best = fixture_client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert best.headers["content-encoding"] == "br" and best.json() == raw.json()
    assert int(best.headers["content-length"]) < int(zipped.headers["content-length"])
    refused = fixture_client.get(path, headers={"Accept-Encoding": "br;q=0, gzip"})
    assert refused.headers["content-encoding"] == "gzip"


@pytest.mark.parametrize(
    ("header", "coding"),
    [
        (b"gzip, deflate, br, zstd", b"br"),
        (b"gzip", b"gzip"),
        (b"GZIP;q=0.5", b"gzip"),
        (b"br;q=0, gzip;q=1", b"gzip"),
        (b"gzip;q=0", None),
        (b"identity", None),
        (b"*", b"br"),
        (b"", None),
    ],
)
def test_accepted_coding(header: bytes, coding: bytes | None) -> None:
    assert accepted_coding(header) == coding
