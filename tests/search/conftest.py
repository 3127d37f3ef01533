"""Coders over a release built from the real coding indexes (skipped without the files)."""

from __future__ import annotations

import pytest

from lmi.search.coder import Coder, load_coders
from lmi.store import Database, ReleaseStore


@pytest.fixture(scope="session")
def coders(real_release_db: Database) -> dict[str, Coder]:
    release = ReleaseStore(real_release_db).production()
    assert release is not None
    return load_coders(real_release_db, release.id)
