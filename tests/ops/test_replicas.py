"""Two replicas (separate `lmi serve` processes) over one PostgreSQL switch together.

A promotion must reach both within seconds without a restart, and no response may mix
releases: every answer's data must belong to the release its X-LMI-Release header names.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.store import Database, ReleaseStore, migrate
from lmi.synth.demo import CLASSIFICATIONS, build_demo_release
from tests.soc_fixtures import write_soc_sources

POLL = 0.3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[dict[str, str], object]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return dict(response.headers), json.loads(response.read())


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90  # a cold snapshot build on a busy machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode() if process.stderr else "died")
        try:
            _get(base + "/readyz")
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{base} not ready")


@pytest.fixture
def replicas(pg_database: Database, tmp_path: Path) -> Iterator[list[str]]:
    migrate(pg_database)
    build_demo_release(pg_database, datasets=CLASSIFICATIONS)
    env = {
        **os.environ,
        "LMI_DATABASE_URL": pg_database.engine.url.render_as_string(hide_password=False),
        "LMI_RELEASE_POLL_SECONDS": str(POLL),
        "LMI_RATE_LIMIT_ANONYMOUS": "0",
        "LMI_DATA_DIR": str(tmp_path / "var"),
        "LMI_LOG_LEVEL": "warning",
    }
    processes, bases = [], []
    for _ in range(2):
        port = _free_port()
        command = [sys.executable, "-m", "lmi", "serve", "--port", str(port)]
        processes.append(subprocess.Popen(command, env=env, stderr=subprocess.PIPE))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(bases, processes, strict=True):
            _wait_ready(base, process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
            if process.stderr:
                process.stderr.close()


def test_promotion_reaches_every_replica_consistently(
    replicas: list[str], pg_database: Database, tmp_path: Path
) -> None:
    store = ReleaseStore(pg_database)
    old = store.production_id()
    new = build_release(
        pg_database, write_soc_sources(tmp_path / "src"), [SOC2010, SOC2020], promote=False
    ).release_id
    expected_title = {str(old): "(synthetic)", str(new): "Fixture unit 1111"}
    store.promote(new, by="test")
    promoted_at = time.monotonic()
    switched: dict[str, float] = {}
    while len(switched) < len(replicas) and time.monotonic() - promoted_at < 10:
        for base in replicas:
            headers, body = _get(base + "/api/v1/soc/code/1111")
            release = headers["x-lmi-release"]
            assert expected_title[release] in body["title"]  # type: ignore[index]
            if release == str(new):
                switched.setdefault(base, time.monotonic() - promoted_at)
    assert set(switched) == set(replicas), "a replica never switched"
    assert max(switched.values()) < 5.0, switched
    print(f"promotion visible on all replicas after {max(switched.values()):.2f} s")  # noqa: T201
