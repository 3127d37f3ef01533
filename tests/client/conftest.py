"""A live lmi on loopback for the client and MCP tests: uvicorn in a thread, on a fixture release.

The release is built from fixture files in the official formats (no real data needed): SOC,
regions, subjects, HESA destinations and Discover Uni, so search, coding, occupations, regions
and pathways answer everywhere; the real release, when its files are present, adds pay and
outlook (tests marked ``realdata``).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
import uvicorn

from lmi.datasets.graduate_outcomes import GRADUATE_OUTCOMES
from lmi.datasets.hesa_destinations import HESA_DESTINATIONS
from lmi.datasets.regions import REGIONS
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.datasets.subjects import SUBJECTS
from lmi.etl import build_release
from lmi.settings import Settings
from lmi.store import Database, migrate
from lmi.web import create_app
from tests.datasets.helpers import copy_fixture
from tests.soc_fixtures import write_soc_sources
from tests.widgets.conftest import free_port

T = TypeVar("T")
#: seconds for lmi to load its release (the real one takes a while on a busy machine)
START_SECONDS = 180


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a worker thread: Playwright's sync API (the browser tests of the same
    session) keeps an event loop running in the main thread, where ``asyncio.run`` refuses."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@dataclass
class Live:
    url: str
    db: Database
    stop: Any


def serve(db: Database, **overrides: Any) -> Live:
    """lmi over ``db`` under uvicorn in a thread on a free loopback port."""
    settings = Settings.from_env({}, release_poll_seconds=0, **overrides)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, db=db), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("lmi did not start")
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(10)

    return Live(f"http://127.0.0.1:{port}", db, stop)


@pytest.fixture(scope="session")
def fixture_release_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    root = tmp_path_factory.mktemp("client-source")
    write_soc_sources(root)
    datasets = [SOC2010, SOC2020, REGIONS, SUBJECTS, GRADUATE_OUTCOMES, HESA_DESTINATIONS]
    for dataset in datasets[2:]:
        copy_fixture(root, dataset.name)
    db = Database(f"sqlite:///{root / 'lmi.sqlite'}")
    migrate(db)
    assert build_release(db, root, datasets).promoted
    return db


@pytest.fixture(scope="session")
def live(fixture_release_db: Database) -> Iterator[Live]:
    server = serve(fixture_release_db)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def real_live(real_release_db: Database) -> Iterator[Live]:
    server = serve(real_release_db)
    yield server
    server.stop()
