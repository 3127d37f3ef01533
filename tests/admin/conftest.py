"""A dashboard over a store whose production release is built from the SOC fixture files.

Each test gets its own store, data directory and application (uploads, locks and releases must
not leak between tests), with three users: ``ada`` (admin), ``lou`` (loader), ``vic`` (viewer).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.testclient import TestClient

from lmi.admin import auth
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.settings import Settings
from lmi.store import Database, ReleaseStore, migrate
from lmi.web import create_app
from tests.conftest import _postgres_url
from tests.soc_fixtures import write_soc_sources

PASSWORD = "correct horse battery"
USERS = {"ada": "admin", "lou": "loader", "vic": "viewer"}
#: read at import: the autouse fixture of tests/conftest.py clears LMI_* before each test
BACKEND = os.environ.get("LMI_TEST_STORE", "sqlite")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token_in(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "no CSRF token in the page"
    return found[1]


def text_of(html: str) -> str:
    """The page's text, tags removed and spaces collapsed (for assertions on what users read)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@dataclass
class Dashboard:
    app: Starlette
    db: Database
    source: Path
    settings: Settings
    make_client: Callable[..., TestClient]

    @property
    def production_id(self) -> int | None:
        return ReleaseStore(self.db).production_id()

    def wait(self, timeout: float = 120) -> None:
        assert self.app.state.admin.jobs.wait(timeout), "background job still running"

    def client(self, user: str | None = None, **kwargs: Any) -> TestClient:
        client = self.make_client(**kwargs)
        if user is not None:
            response = sign_in(client, user)
            assert response.status_code == 200 and "Sign out" in response.text, response.text
        return client


def sign_in(client: TestClient, user: str, password: str = PASSWORD) -> Any:
    form = client.get("/admin/login")
    return client.post(
        "/admin/login",
        data={
            "username": user,
            "password": password,
            "csrf_token": token_in(form.text),
            "next": "/admin/",
        },
    )


def csrf(client: TestClient, path: str = "/admin/staging") -> str:
    return token_in(client.get(path).text)


def source_text(source: Path, relative: str) -> str:
    return (source / relative).read_text(encoding="utf-8")


def _new_store(root: Path, schemas: list[str]) -> Database:
    """SQLite, or a fresh PostgreSQL schema under LMI_TEST_STORE=postgresql (`make test`)."""
    if BACKEND != "postgresql":
        return Database(f"sqlite:///{root / 'lmi.sqlite'}")
    url = _postgres_url()
    if url is None:
        pytest.fail("LMI_TEST_STORE=postgresql but PostgreSQL is not reachable")
    schema = f"lmi_test_admin_{uuid.uuid4().hex[:8]}"
    engine = _admin_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    schemas.append(schema)
    sep = "&" if "?" in url else "?"
    return Database(f"{url}{sep}options=-csearch_path%3D{schema}")


def _admin_engine(url: str) -> sa.Engine:
    return sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def _drop_schemas(schemas: list[str]) -> None:
    url = _postgres_url() if schemas else None
    if url is None:
        return
    engine = _admin_engine(url)
    with engine.begin() as conn:
        for schema in schemas:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.fixture
def make_dashboard(tmp_path: Path) -> Iterator[Callable[..., Dashboard]]:
    clients: list[TestClient] = []
    schemas: list[str] = []
    stores: list[Database] = []
    apps: list[Starlette] = []

    def make(**overrides: Any) -> Dashboard:
        root = tmp_path / f"d{len(stores)}"
        source = write_soc_sources(root / "source")
        db = _new_store(root, schemas)
        stores.append(db)
        migrate(db)
        assert build_release(db, source, [SOC2010, SOC2020]).promoted
        for name, role in USERS.items():
            auth.create_user(db, name, PASSWORD, role)
        settings = Settings.from_env(
            {},
            data_dir=root / "data",
            source_dir=source,
            release_poll_seconds=0,
            **overrides,
        )
        app = create_app(settings, db=db)
        apps.append(app)

        def make_client(**kwargs: Any) -> TestClient:
            client = TestClient(app, **kwargs)
            client.__enter__()
            clients.append(client)
            return client

        return Dashboard(app, db, source, settings, make_client)

    yield make
    for app in apps:  # no background job may outlive its store
        admin = getattr(app.state, "admin", None)
        if admin is not None:
            assert admin.jobs.wait(120)
    for client in clients:
        client.__exit__(None, None, None)
    for db in stores:
        db.close()
    _drop_schemas(schemas)


@pytest.fixture
def dashboard(make_dashboard: Callable[..., Dashboard]) -> Dashboard:
    return make_dashboard()
