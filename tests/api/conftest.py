from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from lmi.datasets.base import Dataset
from lmi.datasets.regions import REGIONS
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.settings import Settings
from lmi.store import Database, migrate
from lmi.web import create_app
from tests.datasets.helpers import copy_fixture
from tests.soc_fixtures import write_soc_sources


def client_for(db: Database, **overrides: object) -> TestClient:
    settings = Settings.from_env(
        {}, **{"release_poll_seconds": 0, "snapshot_cache": False, **overrides}
    )
    return TestClient(create_app(settings, db=db))


#: the SOC 2010 unit group whose title the second of :func:`build_two_releases` renames
RENAMED = "1111"


def build_two_releases(db: Database, root: Path) -> tuple[int, int]:
    """Two promoted releases built from fixture files in the official formats: the first holds
    both SOC versions; the second renames one SOC 2010 unit group (a changed row) and adds the
    regions dataset (added rows). Returns (first, second); the second is production."""
    migrate(db)
    first = write_soc_sources(root / "first")
    built = build_release(db, first, [SOC2010, SOC2020])
    assert built.promoted
    second = write_soc_sources(root / "second")
    units = second / "soc2010" / "soc2010_unit_groups.csv"
    text = units.read_text(encoding="utf-8")
    old = f"{RENAMED},Fixture unit {RENAMED},"
    assert old in text
    units.write_text(text.replace(old, f"{RENAMED},Fixture unit {RENAMED} renamed,"))
    copy_fixture(second, "regions")
    rebuilt = build_release(db, second, [SOC2010, SOC2020, REGIONS])
    assert rebuilt.promoted, [p.render() for d in rebuilt.datasets for p in d.all_problems()]
    return built.release_id, rebuilt.release_id


def client_over_release(
    db: Database, source: Path, datasets: Sequence[Dataset], **overrides: object
) -> Iterator[TestClient]:
    """Migrate ``db``, build and promote ``datasets`` from ``source``, and serve that release
    (``overrides``: settings, e.g. ``compat_standins=True``)."""
    migrate(db)
    report = build_release(db, source, datasets)
    assert report.promoted, [p.render() for d in report.datasets for p in d.all_problems()]
    with client_for(db, **overrides) as client:
        yield client


@pytest.fixture(scope="session")
def real_client(real_release_db: Database) -> Iterator[TestClient]:
    """The API over every dataset built from the official files."""
    with client_for(real_release_db) as client:
        yield client


@pytest.fixture(scope="session")
def fixture_db(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Database:
    """A store with a release built from the SOC fixture files (no real data needed)."""
    root = tmp_path_factory.mktemp("fixture-source")
    write_soc_sources(root)
    db = session_store("fixture")
    migrate(db)
    assert build_release(db, root, [SOC2010, SOC2020]).promoted
    return db


@pytest.fixture(scope="session")
def fixture_client(fixture_db: Database) -> Iterator[TestClient]:
    with client_for(fixture_db) as client:
        yield client


@pytest.fixture
def empty_store(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    migrate(db)
    return db
