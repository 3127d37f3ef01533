"""Switching releases: prepared in advance, swapped within a poll, and reported truthfully."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.serve import served as served_module
from lmi.serve.served import ServedRelease
from lmi.store import Database, ReleaseStore
from lmi.synth.demo import CLASSIFICATIONS, build_demo_release
from tests.api.conftest import client_for
from tests.soc_fixtures import write_soc_sources


def test_the_next_release_is_prepared_so_the_switch_loads_nothing(
    tmp_path: Path, empty_store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real release takes seconds to load; the worker loads the newest test release ahead of
    its promotion, so the poll after the promotion only swaps it in."""
    first = build_demo_release(empty_store, datasets=CLASSIFICATIONS)
    served = ServedRelease(empty_store, prepare=True)
    assert served.refresh()
    write_soc_sources(tmp_path)
    second = build_release(empty_store, tmp_path, [SOC2010, SOC2020], promote=False).release_id
    assert served.candidate() == second
    assert served.prepare() and served.prepare() is False  # loaded once
    ReleaseStore(empty_store).promote(second, by="test")

    def no_load(*args: object) -> None:
        raise AssertionError("the promoted release was loaded again at the switch")

    monkeypatch.setattr(served_module, "load_snapshot", no_load)
    assert served.refresh() and served.snapshot.release.id == second
    assert served.snapshot.release.status == "production"  # the row as promoted, not as tested
    monkeypatch.undo()
    # with no test release left, the rollback target is prepared: a rollback is as quick
    assert served.candidate() == first
    assert served.prepare()
    ReleaseStore(empty_store).rollback(by="test")
    monkeypatch.setattr(served_module, "load_snapshot", no_load)
    assert served.refresh() and served.snapshot.release.id == first


def test_release_endpoint_never_calls_a_rolled_back_release_production(
    tmp_path: Path, empty_store: Database
) -> None:
    first = build_demo_release(empty_store, datasets=CLASSIFICATIONS)
    write_soc_sources(tmp_path)
    second = build_release(empty_store, tmp_path, [SOC2010, SOC2020]).release_id
    with client_for(empty_store) as client:  # polling off: the worker keeps `second` loaded
        before = client.get("/v1/release").json()
        assert before["data"]["id"] == second and before["data"]["status"] == "production"
        ReleaseStore(empty_store).rollback(by="test")
        after = client.get("/v1/release")
        data = after.json()["data"]
        assert data["id"] == second and data["status"] == "rolled_back"
        assert data["production_id"] == first
        assert after.json()["meta"]["release"]["status"] == "rolled_back"
        assert after.headers["cache-control"] == "no-store"


def test_public_answers_show_no_server_paths(tmp_path: Path, empty_store: Database) -> None:
    source = write_soc_sources(tmp_path / "private" / "sources")
    build_release(empty_store, source, [SOC2010, SOC2020])
    with client_for(empty_store) as client:
        for path in ("/v1/release", "/v1/occupations/soc2010/1111", "/readyz"):
            text = client.get(path).text
            assert str(tmp_path) not in text and "/private/" not in text, path
        data = client.get("/v1/release").json()["data"]
        assert "source_dir" not in data
        assert data["label"].endswith("from sources")
