"""Pinned releases and the public change log, over two releases built from fixture files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from lmi.datasets.regions import REGIONS
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.etl import diff as diff_module
from lmi.etl.diff import Change, ReleaseDiff, TableDiff
from lmi.serve import changes as changes_module
from lmi.serve import served as served_module
from lmi.serve.cache import make_entry
from lmi.serve.changes import ChangeLog, public_changes
from lmi.serve.served import ServedRelease
from lmi.store import Database, ReleaseStore
from tests.api.conftest import RENAMED, build_two_releases, client_for
from tests.soc_fixtures import write_soc_sources

PATH = f"/v1/occupations/soc2010/{RENAMED}"


@pytest.fixture(scope="module")
def two(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> tuple[Database, int, int]:
    """On the store LMI_TEST_STORE chooses (SQLite, or PostgreSQL in make test's second pass)."""
    root = tmp_path_factory.mktemp("two-releases")
    db = session_store("two_releases")
    first, second = build_two_releases(db, root)
    return db, first, second


@pytest.fixture(scope="module")
def client(two: tuple[Database, int, int]) -> Iterator[TestClient]:
    with client_for(two[0]) as found:
        yield found


def title(response: object) -> str:
    body = response.json()  # type: ignore[attr-defined]
    return str(body["data"]["title"])


def test_releases_lists_production_then_earlier_ones_with_their_datasets(
    two: tuple[Database, int, int], client: TestClient
) -> None:
    _, first, second = two
    response = client.get("/v1/releases")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    data = response.json()["data"]
    assert data["retention"] == 2
    listed = data["releases"]
    assert [r["id"] for r in listed] == [second, first]
    assert [r["status"] for r in listed] == ["production", "archived"]
    assert listed[0]["datasets"] == ["regions", "soc2010", "soc2020"]
    assert listed[1]["datasets"] == ["soc2010", "soc2020"]
    assert all(r["promoted_at"] and r["label"] for r in listed)
    assert listed[0]["changes"] == f"/v1/releases/{second}/changes"
    assert listed[0]["previous_id"] == first


def test_a_pinned_request_is_answered_by_that_release(
    two: tuple[Database, int, int], client: TestClient
) -> None:
    _, first, second = two
    now = client.get(PATH)
    assert title(now) == f"Fixture unit {RENAMED} renamed"
    assert now.json()["meta"]["release"]["id"] == second
    for pinned in (
        client.get(PATH, params={"release": str(first)}),
        client.get(PATH, headers={"X-LMI-Release": str(first)}),
    ):
        assert pinned.status_code == 200
        assert title(pinned) == f"Fixture unit {RENAMED}"
        assert pinned.json()["meta"]["release"]["id"] == first
        assert pinned.json()["meta"]["provenance"][0]["release"] == first
        assert pinned.headers["etag"] != now.headers["etag"]
        assert "x-lmi-release" in pinned.headers["vary"]
    # pinning production is the same as not pinning
    same = client.get(PATH, headers={"X-LMI-Release": str(second)})
    assert title(same) == title(now) and same.headers["etag"] == now.headers["etag"]


def test_the_edge_never_answers_a_pinned_request_from_the_current_release(
    two: tuple[Database, int, int], client: TestClient
) -> None:
    _, first, second = two
    path = f"/v1/occupations/soc2010/{RENAMED}?fields=all"
    for _ in range(2):  # the second is answered by the edge from the current release's cache
        assert client.get(path).json()["meta"]["release"]["id"] == second
    pinned = client.get(path, headers={"X-LMI-Release": str(first)})
    assert pinned.json()["meta"]["release"]["id"] == first
    assert title(pinned) == f"Fixture unit {RENAMED}"
    # and a repeated pinned request is answered by the pinned release's own shortcut
    again = client.get(path, headers={"X-LMI-Release": str(first)})
    assert again.content == pinned.content
    assert client.get(path).json()["meta"]["release"]["id"] == second


def test_compat_answers_name_the_pinned_release_in_their_header(
    two: tuple[Database, int, int], client: TestClient
) -> None:
    _, first, second = two
    assert client.get(f"/api/v1/soc/code/{RENAMED}").headers["x-lmi-release"] == str(second)
    pinned = client.get(f"/api/v1/soc/code/{RENAMED}", params={"release": str(first)})
    assert pinned.status_code == 200 and pinned.headers["x-lmi-release"] == str(first)
    info = client.get("/v1/release", headers={"X-LMI-Release": str(first)}).json()["data"]
    assert info["id"] == first and info["status"] == "archived" and info["pinned"] is True
    assert info["production_id"] == second


@pytest.mark.parametrize(
    ("params", "headers", "fragment"),
    [
        ({"release": "abc"}, {}, "positive whole number"),
        ({"release": "0"}, {}, "positive whole number"),
        ({"release": ""}, {}, "positive whole number"),
        ({}, {"X-LMI-Release": "1.5"}, "X-LMI-Release"),
        ({"release": "1"}, {"X-LMI-Release": "2"}, "two releases"),
    ],
)
def test_a_malformed_pin_is_a_400(
    client: TestClient, params: dict[str, str], headers: dict[str, str], fragment: str
) -> None:
    response = client.get(PATH, params=params, headers=headers)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["ok"] is False and fragment in body["error"]


def test_unknown_and_unpublished_releases_are_404(tmp_path: Path, database: Database) -> None:
    """(Not preparing the next release: a background load would outlive the test's schema.)"""
    db = database
    first, second = build_two_releases(db, tmp_path)
    tested = build_release(
        db, write_soc_sources(tmp_path / "third"), [SOC2010, SOC2020], promote=False
    )
    with client_for(db, prepare_next_release=False) as client:
        unknown = client.get(PATH, params={"release": "999"})
        assert unknown.status_code == 404 and "/v1/releases" in unknown.json()["error"]
        untested = client.get(PATH, params={"release": str(tested.release_id)})
        assert untested.status_code == 404 and "never published" in untested.json()["error"]
        assert client.get(f"/v1/releases/{tested.release_id}/changes").status_code == 404
        assert client.get("/v1/releases/999/changes").status_code == 404
        assert client.get("/v1/releases/x1/changes").status_code == 400
        assert [r["id"] for r in client.get("/v1/releases").json()["data"]["releases"]] == [
            second,
            first,
        ]


def test_a_release_no_longer_retained_is_410_naming_the_list(
    tmp_path: Path, database: Database
) -> None:
    db = database
    first, second = build_two_releases(db, tmp_path)
    with client_for(db, prepare_next_release=False, release_retention=0) as client:
        gone = client.get(PATH, params={"release": str(first)})
        assert gone.status_code == 410
        assert "no longer served" in gone.json()["error"]
        assert "/v1/releases" in gone.json()["error"]
        assert [r["id"] for r in client.get("/v1/releases").json()["data"]["releases"]] == [second]
        # the change log keeps its history: a release's changes outlive its retention
        assert client.get(f"/v1/releases/{second}/changes").status_code == 200
    ReleaseStore(db).rollback(by="test")  # second is withdrawn; first is production again
    with client_for(db, prepare_next_release=False) as client:
        withdrawn = client.get(PATH, headers={"X-LMI-Release": str(second)})
        assert withdrawn.status_code == 410 and "rolled back" in withdrawn.json()["error"]
        assert client.get(PATH).json()["meta"]["release"]["id"] == first


def test_changes_per_dataset_between_a_release_and_the_one_before(
    two: tuple[Database, int, int], client: TestClient
) -> None:
    _, first, second = two
    response = client.get(f"/v1/releases/{second}/changes")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["release"]["id"] == second and data["previous"]["id"] == first
    datasets = {d["dataset"]: d for d in data["datasets"]}
    regions = datasets["regions"]
    assert regions["added"] == regions["rows_new"] > 0 and regions["rows_old"] == 0
    soc = datasets["soc2010+soc2020"]
    assert soc["changed"] == 1 and soc["added"] == soc["removed"] == 0
    (groups,) = [t for t in soc["tables"] if t["changed"]]
    assert groups["table"] == "soc_groups" and "title" in groups["changed_columns"]
    assert soc["largest_changes"] == []  # a title is not a value change
    assert data["unchanged"] is False
    first_changes = client.get(f"/v1/releases/{first}/changes").json()["data"]
    assert first_changes["previous"] is None and first_changes["datasets"] == []


def test_changes_are_computed_once_and_kept_on_disk(
    two: tuple[Database, int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _, second = two
    computed: list[int] = []
    real = diff_module.diff_releases

    def counting(db: Database, old: int, new: int) -> ReleaseDiff:
        computed.append(new)
        return real(db, old, new)

    monkeypatch.setattr(changes_module, "diff_releases", counting)
    log = ChangeLog(db, tmp_path)
    found = log.changes(second)
    assert log.changes(second) is found and computed == [second]
    assert len(list(tmp_path.glob("changes-*.json"))) == 1
    assert ChangeLog(db, tmp_path).changes(second) == found and computed == [second]
    broken = next(tmp_path.glob("changes-*.json"))
    broken.write_text("{not json")
    assert ChangeLog(db, tmp_path).changes(second) == found and computed == [second, second]


def test_value_changes_of_disclosure_controlled_datasets_are_withheld(
    two: tuple[Database, int, int],
) -> None:
    db, first, second = two
    store = ReleaseStore(db)
    old, new = store.get(first), store.get(second)
    assert old is not None and new is not None
    diff = ReleaseDiff(
        old=first,
        new=second,
        tables=[
            TableDiff("ashe_cells", 2, 2, changed=1, changed_columns={"value": 1}),
            TableDiff("onet_skills", 2, 2, changed=1, changed_columns={"data_value": 1}),
        ],
        changes=[
            Change("ashe_cells", "2136/1", "value", 100.0, 150.0),
            Change("onet_skills", "15-1252.00/2.A.1.a", "data_value", 3.0, 4.5),
        ],
    )
    public = {d["dataset"]: d for d in public_changes(diff, new, old)["datasets"]}
    assert public["ashe"]["largest_changes"] is None
    assert "disclosure control" in public["ashe"]["largest_changes_note"]
    assert "150" not in str(public["ashe"])
    (skill,) = public["onet_skills"]["largest_changes"]
    assert skill["old"] == 3.0 and skill["new"] == 4.5 and skill["percent"] == 50.0


def test_a_worker_whose_clients_never_pin_keeps_no_replaced_release(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    first, second = build_two_releases(db, tmp_path)
    ReleaseStore(db).rollback(by="test")
    served = ServedRelease(db, retention=2)
    assert served.refresh() and served.snapshot.release.id == first
    ReleaseStore(db).promote(second, by="test")
    assert served.refresh() and served.snapshot.release.id == second
    assert served._pinned == {}  # no memory spent on a release nobody asked for


def test_pinned_snapshots_are_bounded_and_follow_retention(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    first, second = build_two_releases(db, tmp_path)
    third = build_release(db, write_soc_sources(tmp_path / "third"), [SOC2010, SOC2020])
    assert third.promoted
    cache = tmp_path / "snapshots"
    served = ServedRelease(db, cache_dir=cache, retention=2, max_pinned=1)
    assert served.refresh() and served.snapshot.release.id == third.release_id
    assert served.retained_ids() == {third.release_id, second, first}
    assert served.pinned(first).release.id == first
    assert any(cache.glob(f"release-{first}-*"))  # loaded through the snapshot cache
    assert served.loaded(first) is not None
    assert served.pinned(second).release.id == second
    assert served.loaded(first) is None and served.loaded(second) is not None  # one kept
    assert served.pinned(third.release_id) is served.snapshot  # production: no load
    served.retention = 1
    served._retained = None  # as a promotion would: retention is read again
    assert served.retained_ids() == {third.release_id, second}
    with pytest.raises(Exception, match="no longer served"):
        served.pinned(first)


def test_a_promotion_keeps_the_replaced_release_pinnable_without_a_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clients pinned to production keep their answers when a new release is promoted: the
    worker keeps the snapshot it already has, and a rollback to it loads nothing either."""
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    first, second = build_two_releases(db, tmp_path)
    ReleaseStore(db).rollback(by="test")  # first is production again; second rolled back
    served = ServedRelease(db, retention=2)
    assert served.refresh() and served.snapshot.release.id == first
    before = served.snapshot
    assert served.loaded(first) is before  # a client pins production
    before.responses.put("answer", make_entry(first, b"{}", []))
    ReleaseStore(db).promote(second, by="test")

    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("loaded a release the worker already had")

    assert served.refresh()  # loads second (it was not prepared)
    monkeypatch.setattr(served_module, "load_snapshot", no_load)
    kept = served.pinned(first)
    assert kept is before and kept.release.status == "archived"
    assert kept.responses.get("answer") is None  # answers that named it production are gone
    ReleaseStore(db).rollback(by="test")
    assert served.refresh() and served.snapshot is before
    assert served.snapshot.release.status == "production"
    with pytest.raises(Exception, match="rolled back"):
        served.pinned(second)  # withdrawn: not kept, not servable


def test_the_openapi_document_declares_the_pin_and_its_410(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/v1/occupations/{version}/{code}"]["get"]
    (release,) = [p for p in operation["parameters"] if p["name"] == "release"]
    assert release["in"] == "query" and release["schema"]["type"] == "integer"
    assert "X-LMI-Release" in release["description"]
    assert operation["responses"]["410"] == {"$ref": "#/components/responses/ReleaseGone"}
    assert "410" in spec["paths"]["/api/v1/soc/code/{soc}"]["get"]["responses"]
    probe = spec["paths"]["/healthz"]["get"]
    assert "410" not in probe["responses"]
    assert all(p["name"] != "release" for p in probe["parameters"])
    assert "/v1/releases/{id}/changes" in spec["paths"]


def test_a_release_built_with_only_serves_and_lists_its_copied_datasets(tmp_path: Path) -> None:
    """``lmi data build --only regions`` copies the SOC rows from production: the new release
    must serve them (status ``copied``), not only the dataset it reloaded."""
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    first, second = build_two_releases(db, tmp_path)
    third = build_release(db, tmp_path / "second", [REGIONS], reuse=[SOC2010, SOC2020])
    assert third.promoted
    with client_for(db) as client:
        answer = client.get(PATH)
        assert answer.status_code == 200
        assert answer.json()["meta"]["release"]["id"] == third.release_id
        served = client.get("/v1/release").json()["data"]["datasets"]
        assert sorted(served) == ["regions", "soc2010", "soc2020"]
        listed = client.get("/v1/releases").json()["data"]["releases"]
        assert listed[0]["datasets"] == ["regions", "soc2010", "soc2020"]
        assert [r["id"] for r in listed] == [third.release_id, second, first]


def test_a_release_built_with_only_never_claims_a_dataset_production_lacked(
    tmp_path: Path, database: Database
) -> None:
    db = database
    source = write_soc_sources(tmp_path / "src")
    assert build_release(db, source, [SOC2010, SOC2020, REGIONS]).promoted  # regions missing
    again = build_release(db, source, [SOC2010, SOC2020], reuse=[REGIONS])
    assert again.promoted
    statuses = {d["dataset"]: d["status"] for d in ReleaseStore(db).datasets(again.release_id)}
    assert statuses == {"soc2010": "loaded", "soc2020": "loaded", "regions": "missing"}
    with client_for(db, prepare_next_release=False) as client:
        assert sorted(client.get("/v1/release").json()["data"]["datasets"]) == [
            "soc2010",
            "soc2020",
        ]
