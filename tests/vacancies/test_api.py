"""/v1/vacancies, counts, trends and LMI for All's /api/v1/vacancies/search over adverts pulled
into a store beside a release with the SOC and postcode-directory fixtures."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from lmi.datasets.onspd import ONSPD
from lmi.datasets.onspd.index import load_postcode_index
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.settings import Settings
from lmi.store import Database, ReleaseStore, migrate
from lmi.vacancies.coding import AdvertCoder
from lmi.vacancies.connectors import FileFeed
from lmi.vacancies.http import Fetcher
from lmi.vacancies.pipeline import Pipeline
from lmi.vacancies.place import Placer
from lmi.web import create_app
from tests.datasets.helpers import copy_fixture
from tests.soc_fixtures import write_soc_sources
from tests.vacancies.conftest import tiny_coders

TODAY = date.today()


def advert(
    n: int, title: str, postcode: str | None, location: str, days: int = 1
) -> dict[str, Any]:
    return {
        "id": f"a{n}",
        "title": title,
        "company": f"Example employer {n}",
        "description": f"Advert {n}. Call 0113 496 0{n % 1000:03d}.",
        "location": location,
        "postcode": postcode,
        "posted": (TODAY - timedelta(days=days)).isoformat(),
        "url": f"https://jobs.example.com/{n}",
    }


def write_feed(path: Path) -> None:
    records = [
        advert(1, "Software Developer", "M1 1AE", "Manchester"),
        advert(2, "Chef", "WC1E 6BT", "Camden, London"),
        advert(3, "Care Assistant", "CT1 2EH", "Canterbury, Kent", days=20),
        advert(4, "Chef", None, "Leeds"),
    ]
    records += [advert(100 + i, "Sales Assistant", None, "London") for i in range(60)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def pull(db: Database, path: Path) -> None:
    release = ReleaseStore(db).production()
    assert release is not None
    placer = Placer(load_postcode_index(db, release.id))
    fetcher = Fetcher(per_second=0)
    Pipeline(db, AdvertCoder(tiny_coders(), release.id), placer, fetcher).pull([FileFeed([path])])


@pytest.fixture(scope="module")
def store(
    tmp_path_factory: pytest.TempPathFactory, session_store: Callable[[str], Database]
) -> Database:
    root = tmp_path_factory.mktemp("adverts-api")
    write_soc_sources(root)
    copy_fixture(root, "onspd")
    db = session_store("adverts_api")
    migrate(db)
    assert build_release(db, root, [SOC2010, SOC2020, ONSPD]).promoted
    feed = root / "feed.jsonl"
    write_feed(feed)
    pull(db, feed)
    return db


@pytest.fixture(scope="module")
def client(store: Database) -> Iterator[TestClient]:
    settings = Settings.from_env({}, release_poll_seconds=0, vacancies_refresh_seconds=0)
    with TestClient(create_app(settings, db=store)) as client:
        yield client


def data(client: TestClient, path: str) -> tuple[Any, dict[str, Any]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["data"], body["meta"]


def titles(found: dict[str, Any]) -> list[str]:
    return [a["title"] for a in found["adverts"]]


def test_search_by_soc_either_version_with_provenance(client: TestClient) -> None:
    found, meta = data(client, "/v1/vacancies?version=soc2010&soc=2136")
    assert titles(found) == ["Software Developer"]
    item = found["adverts"][0]
    assert item["soc2010"] == {"code": "2136", "score": 0.997, "status": "coded"}
    assert item["soc2020"]["code"] == "2134"
    assert item["provenance"]["feed"] == "files" and item["provenance"]["method"] == "observed"
    assert item["provenance"]["fetched_at"] and item["provenance"]["coded_by_release"]
    assert "[phone removed]" in item["summary"]
    assert meta["provenance"][0]["method"] == "observed"
    assert titles(data(client, "/v1/vacancies?soc=2134")[0]) == ["Software Developer"]
    assert data(client, "/v1/vacancies?version=soc2020&soc=2")[0]["total"] == 1  # major group


def test_search_by_keywords_area_postcode_and_radius(client: TestClient) -> None:
    assert data(client, "/v1/vacancies?keywords=chef")[0]["total"] == 2
    assert titles(data(client, "/v1/vacancies?keywords=chef&area=Leeds")[0]) == ["Chef"]
    found = data(client, "/v1/vacancies?area=m1%201ae")[0]  # Manchester, by its postcode
    assert titles(found) == ["Software Developer"]
    assert found["adverts"][0]["area"]["code"] == "la-manchester"
    near = data(client, "/v1/vacancies?area=SW1A1AA&radius=3&limit=100")[0]
    assert titles(near) == ["Chef"]  # WC1E is 1.6 miles away; London-only adverts lack points
    assert data(client, "/v1/vacancies?area=London&limit=5")[0]["total"] == 61


def test_dates_and_paging(client: TestClient) -> None:
    recent = data(client, f"/v1/vacancies?since={(TODAY - timedelta(days=5)).isoformat()}")[0]
    assert recent["total"] == 63  # the care assistant was posted 20 days ago
    assert data(client, "/v1/vacancies?days=30")[0]["total"] == 64
    first = data(client, "/v1/vacancies?keywords=sales&limit=25")[0]
    third = data(client, "/v1/vacancies?keywords=sales&limit=25&offset=50")[0]
    assert (len(first["adverts"]), len(third["adverts"])) == (25, 10)
    assert not {a["id"] for a in first["adverts"]} & {a["id"] for a in third["adverts"]}


def test_counts_withhold_small_numbers(client: TestClient) -> None:
    found, _ = data(client, "/v1/vacancies/counts?version=soc2010&area=London&weeks=4")
    by_soc = {o["soc"]: o for o in found["occupations"]}
    assert by_soc["7111"]["adverts"] == 60 and not by_soc["7111"]["suppressed"]
    assert (by_soc["5434"]["adverts"], by_soc["5434"]["suppressed"]) == (None, True)
    assert by_soc["5434"]["title"] is None  # the fixture classification has no group 5434
    assert found["disclosure"] == "counts below 3 are withheld (null, suppressed)"
    england, _ = data(client, "/v1/vacancies/counts?version=soc2010&weeks=104")
    assert {o["soc"] for o in england["occupations"]} == {"2136", "5434", "6145", "7111"}


def test_trends_by_week(client: TestClient) -> None:
    found, _ = data(client, "/v1/vacancies/trends?version=soc2010&soc=7111&area=E12000007")
    assert sum(w["adverts"] or 0 for w in found["series"]) == 60
    assert all(w["week"] <= TODAY.isoformat() for w in found["series"])


def test_compat_search_answers_lmi_for_alls_shape(client: TestClient) -> None:
    # the call real client apps make: keywords, location, radius and limit
    response = client.get(
        "/api/v1/vacancies/search?keywords=sales&location=London&radius=10&limit=100"
    )
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list) and len(body) == 50  # LMI for All's maximum
    assert set(body[0]) == {"id", "title", "company", "summary", "location", "link"}
    assert body[0]["location"] == {"location": "London"}
    assert body[0]["link"].startswith("https://jobs.example.com/")
    assert response.headers["x-lmi-method"] == "observed"
    chefs = client.get("/api/v1/vacancies/search?keywords=chef%25&location=WC1E").json()
    assert [c["title"] for c in chefs] == ["Chef"]  # an outward code; % is a wildcard
    terminated = client.get("/api/v1/vacancies/search?keywords=chef&location=WC1E%209ZZ").json()
    assert [c["title"] for c in terminated] == ["Chef"]  # not in the directory: its outward code
    nowhere = client.get("/api/v1/vacancies/search?keywords=chef&location=Atlantis")
    assert nowhere.status_code == 200 and nowhere.json() == []
    jsonp = client.get("/api/v1/vacancies/search?keywords=chef&callback=show")
    assert jsonp.text.startswith("/**/show([")


@pytest.mark.parametrize(
    ("path", "status", "parameter"),
    [
        ("/v1/vacancies?soc=21x", 400, "soc"),
        ("/v1/vacancies?version=soc1990", 400, None),
        ("/v1/vacancies?area=Leeds&radius=5", 400, "radius"),
        ("/v1/vacancies?area=SW1A1AA&radius=900", 400, "radius"),
        ("/v1/vacancies?since=yesterday", 400, "since"),
        ("/v1/vacancies?limit=0", 400, "limit"),
        ("/v1/vacancies?area=Atlantis", 404, None),
        ("/v1/vacancies?area=ZZ99%209ZZ", 404, None),
        ("/v1/vacancies/counts?weeks=1000", 400, "weeks"),
        ("/api/v1/vacancies/search?limit=many", 400, "limit"),
        ("/api/v1/vacancies/search?callback=a(b)", 400, "callback"),
    ],
)
def test_bad_input_is_a_clear_4xx(
    client: TestClient, path: str, status: int, parameter: str | None
) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["error"]
    if parameter:
        assert body["errors"][0]["parameter"] == parameter


def test_a_new_pull_is_searched_without_a_restart(
    client: TestClient, store: Database, tmp_path: Path
) -> None:
    before = data(client, "/v1/vacancies?keywords=plumber")[0]["total"]
    feed = tmp_path / "more.jsonl"
    feed.write_text(json.dumps(advert(900, "Plumber", None, "Kent")) + "\n")
    pull(store, feed)
    assert (before, data(client, "/v1/vacancies?keywords=plumber")[0]["total"]) == (0, 1)


def test_live_adverts_of_an_occupation_with_disclosure_control(client: TestClient) -> None:
    sales, meta = data(client, "/v1/vacancies/live?version=soc2010&soc=7111")
    assert (sales["state"], sales["live_adverts"], sales["suppressed"]) == ("counted", 60, False)
    assert sales["search"] == "/v1/vacancies?version=soc2010&soc=7111"
    assert data(client, sales["search"])[0]["total"] == 60  # the link finds the same adverts
    assert sales["as_of"] and meta["provenance"][0]["method"] == "observed"
    assert data(client, "/v1/vacancies/live?soc=7111")[0]["live_adverts"] == 60  # SOC 2020
    chefs = data(client, "/v1/vacancies/live?version=soc2010&soc=5434")[0]
    assert (chefs["state"], chefs["live_adverts"], chefs["suppressed"]) == (
        "suppressed",
        None,
        True,
    )
    assert chefs["search"] is None  # no link to a list that would show the withheld count
    assert chefs["disclosure"] == "counts of 1 to 2 are withheld (null, suppressed)"
    nurses = data(client, "/v1/vacancies/live?version=soc2010&soc=2231")[0]
    assert (nurses["state"], nurses["live_adverts"], nurses["search"]) == ("none", 0, None)
    london = data(client, "/v1/vacancies/live?version=soc2010&soc=7&area=London")[0]
    assert london["live_adverts"] == 60 and london["area"]["code"] == "E12000007"
    assert london["search"] == "/v1/vacancies?version=soc2010&soc=7&area=E12000007"
    assert data(client, "/v1/vacancies/live?version=soc2010&soc=7111&area=Leeds")[0]["state"] == (
        "none"
    )
    for path, parameter in (("/v1/vacancies/live", "soc"), ("/v1/vacancies/live?soc=7x", "soc")):
        response = client.get(path)
        assert response.status_code == 400 and response.json()["errors"][0]["parameter"] == (
            parameter
        )
    assert client.get("/v1/vacancies/live?soc=7111&area=Atlantis").status_code == 404


def test_live_adverts_say_when_nothing_is_collected() -> None:
    from lmi.api.adverts import live_adverts
    from lmi.classification.areas import ENGLAND
    from lmi.vacancies.search import AdvertIndex

    never = live_adverts(AdvertIndex([], stamp=(None, None)), "soc2010", "2136", ENGLAND, 3)
    assert (never["state"], never["live_adverts"], never["search"]) == ("not-collected", None, None)
    empty = live_adverts(AdvertIndex([], stamp=(4, "2026-12-07")), "soc2010", "2136", ENGLAND, 3)
    assert (empty["state"], empty["live_adverts"], empty["as_of"]) == ("none", 0, "2026-12-07")
