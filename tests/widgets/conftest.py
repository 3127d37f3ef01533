"""Servers and a browser for the widget and website tests.

lmi runs under uvicorn in a thread on a free port; the embedding page is served by a plain static
server on another port (another origin), as on a school's site. The browser is Debian's Chromium
driven by Playwright: nothing is downloaded. Without Chromium the browser tests skip, except under
``CI=true`` where they fail.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from tests.soc_fixtures import write_soc_sources

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.settings import Settings
from lmi.store import Database, migrate
from lmi.web import create_app

CHROMIUM = os.environ.get("LMI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    stop: Any


def serve_lmi(db: Database) -> Server:
    """lmi over ``db`` under uvicorn in a thread; ``stop()`` shuts it down."""
    settings = Settings.from_env({}, release_poll_seconds=0)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, db=db), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 90  # a cold snapshot build on a busy machine
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("lmi did not start")
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(10)

    return Server(f"http://127.0.0.1:{port}", stop)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve_static(folder: Path) -> Server:
    """A plain static web server for ``folder`` on another port: the embedder's site."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)

    # "localhost" rather than 127.0.0.1: a different host as well as a different port
    return Server(f"http://localhost:{httpd.server_address[1]}", stop)


@pytest.fixture(scope="session")
def widget_fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """A store with a release built from the SOC fixture files (no real data needed)."""
    root = tmp_path_factory.mktemp("widget-source")
    write_soc_sources(root)
    db = Database(f"sqlite:///{root / 'lmi.sqlite'}")
    migrate(db)
    assert build_release(db, root, [SOC2010, SOC2020]).promoted
    return db


@pytest.fixture(scope="session")
def lmi_server(widget_fixture_db: Database) -> Iterator[str]:
    server = serve_lmi(widget_fixture_db)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def real_lmi_server(real_release_db: Database) -> Iterator[str]:
    server = serve_lmi(real_release_db)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def embed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(folder, origin) of the embedder's static site; tests write their pages into it."""
    folder = tmp_path_factory.mktemp("school-site")
    server = serve_static(folder)
    yield folder, server.url
    server.stop()


def _chromium_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium; skips without it, but fails under CI=true.

    Per module, not per session: Playwright's sync API keeps an event loop running on the
    test thread while it is open, and a later test in the same process (in any order the
    parallel runner deals files out) may call ``asyncio.run``."""
    missing = _chromium_missing()
    if missing:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"browser tests must run in CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def demo_lmi_server(demo_release_db: Database) -> Iterator[str]:
    """lmi over the synthetic demo release (every dataset, no official files)."""
    server = serve_lmi(demo_release_db)
    yield server.url
    server.stop()


#: adverts the Careerometer's live-advert tests pull: title → (SOC 2010, SOC 2020) fixture unit
#: groups, and how many of each (5: counted; 2: withheld below LMI_VACANCIES_MIN_COUNT)
ADVERT_TITLES = {
    "Alpha fixture worker": ("1111", "1111", 5),
    "Beta fixture worker": ("1112", "1112", 2),
}


@pytest.fixture(scope="session")
def adverts_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """The SOC fixture release with a pull of invented adverts coded to fixture unit groups by
    a coder over :data:`ADVERT_TITLES` (no real data, no network)."""
    import json
    from datetime import date

    from lmi.search.coder import Coder
    from lmi.search.index import Entry
    from lmi.store import ReleaseStore
    from lmi.vacancies.coding import AdvertCoder
    from lmi.vacancies.connectors import FileFeed
    from lmi.vacancies.http import Fetcher
    from lmi.vacancies.pipeline import Pipeline
    from lmi.vacancies.place import Placer

    root = tmp_path_factory.mktemp("widget-adverts")
    write_soc_sources(root)
    db = Database(f"sqlite:///{root / 'lmi.sqlite'}")
    migrate(db)
    assert build_release(db, root, [SOC2010, SOC2020]).promoted
    release = ReleaseStore(db).production()
    assert release is not None
    coders = {}
    for n, version in enumerate(("soc2010", "soc2020")):
        entries = [Entry(c[n], t, "", "index", 3.0) for t, c in ADVERT_TITLES.items()]
        coders[version] = Coder(
            version, entries, [], {c[n]: f"Unit {c[n]}" for c in ADVERT_TITLES.values()}
        )
    feed = root / "adverts.jsonl"
    records = [
        {
            "id": f"{title[:4]}{i}",
            "title": title,
            "company": f"Employer {i}",
            "location": "Leeds",
            "posted": date.today().isoformat(),
        }
        for title, (_a, _b, count) in ADVERT_TITLES.items()
        for i in range(count)
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    pipeline = Pipeline(db, AdvertCoder(coders, release.id), Placer(), Fetcher(per_second=0))
    assert pipeline.pull([FileFeed([feed])]).ok
    return db


@pytest.fixture(scope="session")
def adverts_lmi_server(adverts_db: Database) -> Iterator[str]:
    server = serve_lmi(adverts_db)
    yield server.url
    server.stop()
