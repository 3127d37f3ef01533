"""Release switching: an empty store is not ready; a promotion is picked up without restart."""

from __future__ import annotations

from pathlib import Path

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.serve.served import ServedRelease
from lmi.store import Database, ReleaseStore
from lmi.synth.demo import CLASSIFICATIONS, build_demo_release
from tests.api.conftest import client_for
from tests.soc_fixtures import write_soc_sources


def test_empty_store_is_not_ready_and_says_why(empty_store: Database) -> None:
    with client_for(empty_store) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503 and "lmi data build" in ready.json()["error"]
        assert client.get("/healthz").status_code == 200
        data = client.get("/api/v1/soc/code/2136")
        assert data.status_code == 503 and data.json()["ok"] is False


def test_promotion_reaches_a_running_app(tmp_path: Path, empty_store: Database) -> None:
    first = build_demo_release(empty_store, datasets=CLASSIFICATIONS)
    served = ServedRelease(empty_store)
    assert served.refresh() and served.snapshot.release.id == first
    write_soc_sources(tmp_path)
    report = build_release(empty_store, tmp_path, [SOC2010, SOC2020], promote=False)
    assert served.refresh() is False  # a test release is not served
    assert served.snapshot.release.id == first
    ReleaseStore(empty_store).promote(report.release_id, by="test")
    assert served.refresh() and served.snapshot.release.id == report.release_id
    ReleaseStore(empty_store).rollback(by="test")
    assert served.refresh() and served.snapshot.release.id == first


def test_demo_release_says_synthetic_everywhere(empty_store: Database) -> None:
    build_demo_release(empty_store, datasets=CLASSIFICATIONS)
    with client_for(empty_store) as client:
        native = client.get("/v1/occupations/soc2010/2136").json()
        assert native["data"]["provenance"]["method"] == "synthetic"
        assert native["meta"]["release"]["kind"] == "synthetic"
        assert "(synthetic)" in native["data"]["title"]
        compat = client.get("/api/v1/soc/code/2136")
        assert compat.headers["x-lmi-method"] == "synthetic"
        assert "(synthetic)" in compat.json()["title"]
        converted = client.get("/v1/occupations/soc2010/2136/convert").json()["data"]
        assert converted["method"] == "synthetic"
        assert converted["targets"][0]["provenance"]["method"] == "synthetic"


def test_running_app_picks_up_a_promotion_by_polling(tmp_path: Path, empty_store: Database) -> None:
    import time

    from starlette.testclient import TestClient

    from lmi.settings import Settings
    from lmi.web import create_app

    first = build_demo_release(empty_store, datasets=CLASSIFICATIONS)
    write_soc_sources(tmp_path)
    settings = Settings.from_env({}, release_poll_seconds=0.05)
    with TestClient(create_app(settings, db=empty_store)) as client:
        assert client.get("/readyz").json()["data"]["release"]["id"] == first
        second = build_release(empty_store, tmp_path, [SOC2010, SOC2020]).release_id
        deadline = time.monotonic() + 5
        seen = first
        while seen != second and time.monotonic() < deadline:
            time.sleep(0.05)
            seen = client.get("/readyz").json()["data"]["release"]["id"]
        assert seen == second
        title = client.get("/api/v1/soc/code/1111").json()["title"]
        assert title == "Fixture unit 1111"  # the new release's data, not the demo's


def test_a_release_that_cannot_be_loaded_leaves_the_worker_up(empty_store: Database) -> None:
    first = build_demo_release(empty_store, datasets=CLASSIFICATIONS)
    served = ServedRelease(empty_store)
    assert served.refresh()
    second = build_demo_release(empty_store, datasets=CLASSIFICATIONS)
    empty_store.execute("SELECT 1")
    with empty_store.transaction() as tx:  # break the new release's rows
        tx.execute(
            "UPDATE soc_groups SET tasks_json = '{not json' WHERE release_id = :r", {"r": second}
        )
    assert served.refresh() is False
    assert served.snapshot.release.id == first  # still serving the old release
    assert served.last_error is not None and f"release {second}" in served.last_error
