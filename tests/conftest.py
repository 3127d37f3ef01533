"""Shared fixtures: stores on SQLite and PostgreSQL, and the real source directory when present."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from lmi.datasets import registry
from lmi.settings import default_source_dir
from lmi.store import Database, migrate

TESTS = Path(__file__).parent
FIXTURES = TESTS / "data"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No LMI_* variable from the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("LMI_") and name != "LMI_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)


def real_source_dir() -> Path | None:
    configured = os.environ.get("LMI_SOURCE_DIR")
    if configured:
        return Path(configured)
    return default_source_dir()


@pytest.fixture(scope="session")
def source_dir() -> Path:
    """The official files (../shared/data); tests that need them skip when absent."""
    found = real_source_dir()
    if found is None or not found.is_dir():
        pytest.skip("official source files not present (set LMI_SOURCE_DIR)")
    return found


def _postgres_url() -> str | None:
    url = os.environ.get("LMI_TEST_POSTGRES_URL", DEFAULT_PG)
    try:
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect():
            pass
        engine.dispose()
    except Exception:
        if os.environ.get("CI"):
            raise
        return None
    return url


#: fixtures that need the official files, or a headless browser: their tests are marked so
#: `make quick` can leave them out (`-m "not realdata and not browser"`)
REAL_FIXTURES = {"source_dir", "real_release_db", "real_client", "real_live", "real_lmi_server"}
BROWSER_FIXTURES = {"browser", "admin_browser", "page"}


#: fixtures that open a PostgreSQL store whatever LMI_TEST_STORE says (``database`` does too,
#: for its ``postgresql`` parameter): their tests are marked ``postgres``
POSTGRES_FIXTURES = {"pg_database", "postgres_url"}


def _param(item: pytest.Item, name: str) -> object:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get(name) if callspec is not None else None


#: fixtures whose store LMI_TEST_STORE chooses (SQLite, or PostgreSQL in `make test`'s second
#: pass): every test that reads a built release or drives the admin does so through one of them
BACKEND_FIXTURES = {"session_store", "make_dashboard"}


def postgres_pass() -> bool:
    return os.environ.get("LMI_TEST_STORE") == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & REAL_FIXTURES:
            item.add_marker(pytest.mark.realdata)
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & POSTGRES_FIXTURES or _param(item, "database") == "postgresql":
            item.add_marker(pytest.mark.postgres)
    if postgres_pass():
        _keep_backend_tests(config, items)


def _keep_backend_tests(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass runs the tests whose store the backend choice changes.

    The others would run exactly as in the SQLite pass: they read no store, make their own
    SQLite file, or are parametrised over both backends (the ``database`` fixture) and so ran
    on PostgreSQL in the first pass already.
    """
    kept: list[pytest.Item] = []
    same: list[pytest.Item] = []
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        (kept if used & BACKEND_FIXTURES else same).append(item)
    if same:
        config.hook.pytest_deselected(items=same)
        items[:] = kept


def pytest_report_header(config: pytest.Config) -> str | None:
    if postgres_pass():
        return (
            "PostgreSQL pass: the tests whose store LMI_TEST_STORE chooses; the others ran "
            "unchanged in the SQLite pass (deselected here)"
        )
    return None


def pytest_sessionstart(session: pytest.Session) -> None:
    """The PostgreSQL pass of `make test` without a server: one clear line, not 600 errors.

    Under ``CI=true`` an unreachable server is an error instead (``_postgres_url`` raises).
    """
    if os.environ.get("LMI_TEST_STORE") == "postgresql" and _postgres_url() is None:
        url = os.environ.get("LMI_TEST_POSTGRES_URL", DEFAULT_PG)
        pytest.exit(
            f"PostgreSQL not reachable at {url}: the PostgreSQL pass is skipped "
            "(start a server or set LMI_TEST_POSTGRES_URL; under CI=true this fails)",
            returncode=0,
        )


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = _postgres_url()
    if url is None:
        pytest.skip("PostgreSQL not reachable (set LMI_TEST_POSTGRES_URL)")
    return url


@pytest.fixture
def pg_database(postgres_url: str) -> Iterator[Database]:
    """A fresh PostgreSQL schema per test, dropped afterwards."""
    schema = f"lmi_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in postgres_url else "?"
    db = Database(f"{postgres_url}{sep}options=-csearch_path%3D{schema}")
    try:
        yield db
    finally:
        db.close()
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    yield db
    db.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Database:
    """The same test on both backends."""
    name = "sqlite_database" if request.param == "sqlite" else "pg_database"
    db: Database = request.getfixturevalue(name)
    migrate(db)
    return db


@pytest.fixture(scope="session")
def session_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Database]]:
    """Makes long-lived stores on the backend chosen by LMI_TEST_STORE (sqlite by default).

    `make test` runs the suite twice: on SQLite, then with LMI_TEST_STORE=postgresql, so every
    test that reads a built release also runs against PostgreSQL.
    """
    backend = os.environ.get("LMI_TEST_STORE", "sqlite")
    made: list[tuple[Database, str | None]] = []
    admin = None

    def make(name: str, copy_of: Path | None = None) -> Database:
        nonlocal admin
        if backend == "sqlite":
            path = tmp_path_factory.mktemp(name) / "lmi.sqlite"
            if copy_of is not None:  # a store another worker built (see _shared_sqlite)
                shutil.copyfile(copy_of, path)
            db = Database(f"sqlite:///{path}")
            made.append((db, None))
            return db
        url = _postgres_url()
        if url is None:
            pytest.fail("LMI_TEST_STORE=postgresql but PostgreSQL is not reachable")
        safe = re.sub(r"\W", "_", name)  # a SQL name whatever the test called its store
        schema = f"lmi_test_{safe}_{uuid.uuid4().hex[:8]}"
        admin = admin or sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        sep = "&" if "?" in url else "?"
        db = Database(f"{url}{sep}options=-csearch_path%3D{schema}")
        made.append((db, schema))
        return db

    yield make
    for db, schema in made:
        db.close()
        if schema and admin is not None:
            with admin.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    if admin is not None:
        admin.dispose()


def _built_store(
    session_store: Callable[..., Database],
    factory: pytest.TempPathFactory,
    name: str,
    build: Callable[[Database], None],
) -> Database:
    """A session store holding what ``build`` makes. On SQLite under pytest-xdist it is built
    once per run, not once per worker: the first worker to need it builds it into the run's
    common temporary folder (under a lock) and every worker copies that file."""
    if "PYTEST_XDIST_WORKER" not in os.environ or os.environ.get("LMI_TEST_STORE") == "postgresql":
        db = session_store(name)
        build(db)
        return db
    shared = factory.getbasetemp().parent / f"shared-{name}.sqlite"
    with shared.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shared.exists():
            partial = shared.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            scratch = Database(f"sqlite:///{partial}")
            try:
                build(scratch)
            finally:
                scratch.close()
            os.replace(partial, shared)
    return session_store(name, copy_of=shared)


def _build_real(db: Database, source_dir: Path) -> None:
    from lmi.etl import build_release

    migrate(db)
    report = build_release(db, source_dir, registry.DATASETS)
    assert report.promoted, [p.render() for d in report.datasets for p in d.all_problems()]


def _build_demo(db: Database) -> None:
    from lmi.synth.demo import build_demo_release

    migrate(db)
    build_demo_release(db)


@pytest.fixture(scope="session")
def real_release_db(
    session_store: Callable[..., Database],
    source_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Database:
    """A store with every dataset built from the real files and promoted (built once per run)."""
    return _built_store(
        session_store, tmp_path_factory, "real", lambda db: _build_real(db, source_dir)
    )


@pytest.fixture(scope="session")
def demo_release_db(
    session_store: Callable[..., Database], tmp_path_factory: pytest.TempPathFactory
) -> Database:
    """A store holding the synthetic demo release (built once per run): every dataset, no
    files needed."""
    return _built_store(session_store, tmp_path_factory, "demo", _build_demo)


@pytest.fixture(scope="session")
def demo_client(demo_release_db: Database) -> Iterator[TestClient]:
    """The API (and site) over the synthetic demo release, in process."""
    from lmi.settings import Settings
    from lmi.web import create_app

    settings = Settings.from_env({}, release_poll_seconds=0)
    with TestClient(create_app(settings, db=demo_release_db)) as client:
        yield client
