"""A SOC fixture release (coders without the real files), a loopback fake feed server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.search.coder import Coder, load_coders
from lmi.search.index import Entry
from lmi.store import Database, ReleaseStore, migrate
from tests.admin.conftest import make_dashboard  # noqa: F401  (the dashboard fixture)
from tests.soc_fixtures import write_soc_sources

DATA = Path(__file__).parents[1] / "data" / "vacancies"


def build_soc_release(db: Database, root: Path) -> int:
    write_soc_sources(root)
    migrate(db)
    report = build_release(db, root, [SOC2010, SOC2020])
    assert report.promoted
    release = ReleaseStore(db).production()
    assert release is not None
    return release.id


@pytest.fixture(scope="session")
def soc_release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, int]:
    folder = tmp_path_factory.mktemp("soc-release")
    db = Database(f"sqlite:///{folder / 'lmi.sqlite'}")
    return db, build_soc_release(db, folder / "source")


@pytest.fixture(scope="session")
def fixture_coders(soc_release: tuple[Database, int]) -> dict[str, Coder]:
    db, release_id = soc_release
    return load_coders(db, release_id)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeFeed:
    """Replays replies by request path (query string included, or the path alone): each path
    has a list of replies given in turn, the last one repeated."""

    routes: dict[str, list[Reply]] = field(default_factory=dict)
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: str = ""

    def add(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def reply(self, target: str) -> Reply:
        key = target if target in self.routes else target.split("?", 1)[0]
        queue = self.routes.get(key)
        if not queue:
            return Reply(404, b"not found")
        return queue.pop(0) if len(queue) > 1 else queue[0]


@pytest.fixture
def fake_feed() -> Iterator[FakeFeed]:
    feed = FakeFeed()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            feed.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            found = feed.reply(self.path)
            self.send_response(found.status)
            for name, value in found.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(found.body)))
            self.end_headers()
            self.wfile.write(found.body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    feed.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=lambda: server.serve_forever(0.05), daemon=True)
    thread.start()
    try:
        yield feed
    finally:
        server.shutdown()
        server.server_close()


#: invented coding-index titles for a tiny coder: title → (SOC 2010, SOC 2020) unit group
TINY_INDEX = {
    "Software developer": ("2136", "2134"),
    "Care assistant": ("6145", "6135"),
    "Chef de partie": ("5434", "5434"),
    "Chef": ("5434", "5434"),
    "HGV driver": ("8211", "8211"),
    "Registered nurse": ("2231", "2237"),
    "Trainee accountant": ("2421", "2421"),
    "Primary school teacher": ("2315", "2314"),
    "Maintenance electrician": ("5241", "5241"),
    "Sales assistant": ("7111", "7111"),
    "Plumber": ("5314", "5314"),
    "Bookkeeper": ("4122", "4122"),
}


def tiny_coders() -> dict[str, Coder]:
    """Coders over :data:`TINY_INDEX` (no release needed; titles are ours, codes are SOC's)."""
    coders = {}
    for n, version in enumerate(("soc2010", "soc2020")):
        entries = [Entry(codes[n], title, "", "index", 3.0) for title, codes in TINY_INDEX.items()]
        units = {codes[n]: f"Unit {codes[n]}" for codes in TINY_INDEX.values()}
        coders[version] = Coder(version, entries, [], units)
    return coders


def fixture_bytes(name: str) -> bytes:
    return (DATA / name).read_bytes()
