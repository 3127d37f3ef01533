"""Request limits at the edge hold for every framing: chunked bodies, many or huge headers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from lmi.settings import Settings
from lmi.store import Database
from lmi.synth.demo import CLASSIFICATIONS, build_demo_release
from lmi.web import create_app


@pytest.fixture
def edge_client(empty_store: Database) -> Iterator[TestClient]:
    build_demo_release(empty_store, datasets=CLASSIFICATIONS)  # any release: limits are at the edge
    settings = Settings.from_env({}, release_poll_seconds=0, max_body_bytes=100_000)
    with TestClient(create_app(settings, db=empty_store)) as c:
        yield c


def _chunks(total: int, size: int = 65_536) -> Iterator[bytes]:
    """A body sent chunked (no Content-Length), as a client streaming it would."""
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"a=" + b"x" * (piece - 2) if sent == piece else b"x" * piece


def test_a_chunked_body_is_held_to_the_body_limit(edge_client: TestClient) -> None:
    response = edge_client.post(
        "/admin/login",
        content=_chunks(2_000_000),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert "larger than 100000 bytes" in response.text  # an HTML page: the dashboard's path
    small = edge_client.post(
        "/admin/login",
        content=_chunks(1_000),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert small.status_code != 413


def test_too_many_or_too_large_headers_get_431(edge_client: TestClient) -> None:
    many = {f"x-h{i}": "1" for i in range(150)}
    assert edge_client.get("/healthz", headers=many).status_code == 431
    huge = edge_client.get("/healthz", headers={"x-big": "a" * 40_000})
    assert huge.status_code == 431 and "headers larger than 32768 bytes" in huge.json()["error"]
    fine = edge_client.get("/healthz", headers={f"x-h{i}": "1" for i in range(50)})
    assert fine.status_code == 200
