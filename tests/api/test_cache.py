from __future__ import annotations

from starlette.testclient import TestClient

from lmi.api.cache import ResponseCache


def test_cache_keeps_bodies_within_its_budget() -> None:
    cache = ResponseCache(max_bytes=10)
    cache.put("a", b"12345")
    cache.put("b", b"123456")  # would exceed the budget: not kept
    cache.put("c", b"12345")
    assert cache.get("a") == b"12345" and cache.get("b") is None and cache.get("c") == b"12345"
    assert cache.bytes == 10 and len(cache) == 2


def test_junk_query_strings_do_not_grow_memory_past_the_budget(
    fixture_client: TestClient,
) -> None:
    snapshot = fixture_client.app.state.served.snapshot  # type: ignore[attr-defined]
    kept, snapshot.responses = snapshot.responses, ResponseCache(max_bytes=100_000)
    try:
        sizes = set()
        for n in range(50):
            response = fixture_client.get(f"/v1/hierarchy/soc2010?junk={n}")
            assert response.status_code == 200
            sizes.add(len(response.content))
        assert len(sizes) == 1 and sizes.pop() > 20_000  # so 50 copies would exceed the budget
        assert 0 < snapshot.responses.bytes <= 100_000
    finally:
        snapshot.responses = kept
