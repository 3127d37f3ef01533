"""Schemathesis over /openapi.json (bounded): no input the schema allows may cause a 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from starlette.testclient import TestClient

from lmi.settings import Settings
from lmi.store import Database
from lmi.web import create_app

pytestmark = pytest.mark.slow  # about half a minute of schema fuzzing: make test, not make quick


@pytest.fixture(scope="module")
def fuzz_schema(request: pytest.FixtureRequest) -> Iterator[schemathesis.schemas.BaseSchema]:
    """The app over the real release when the official files are present, else the fixtures."""
    try:
        db: Database = request.getfixturevalue("real_release_db")
    except pytest.skip.Exception:
        db = request.getfixturevalue("fixture_db")
    app = create_app(Settings.from_env({}, release_poll_seconds=0), db=db)
    with TestClient(app):  # runs the lifespan, which loads the release
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("fuzz_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.path, case.query, response.text[:300])
    if response.status_code >= 400 and response.headers["content-type"] == "application/json":
        body = response.json()
        assert body["ok"] is False and body["status"] == response.status_code
