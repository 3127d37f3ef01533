"""The pull pipeline: code, place, de-duplicate, expire and aggregate, page by page."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from lmi.errors import Locked
from lmi.etl.lock import DataLock
from lmi.store import Database
from lmi.vacancies.coding import AdvertCoder
from lmi.vacancies.connectors import AdzunaFeed, FileFeed, Page, ReedFeed
from lmi.vacancies.http import Fetcher
from lmi.vacancies.model import RawAdvert
from lmi.vacancies.pipeline import LOCK, Pipeline
from lmi.vacancies.place import Placer
from lmi.vacancies.store import aggregate, purge
from tests.vacancies.conftest import DATA, TINY_INDEX, FakeFeed, Reply, fixture_bytes, tiny_coders

PLACES = {  # location text → (area code, region code)
    "Leeds, West Yorkshire": ("la-leeds", "E12000003"),
    "Manchester": ("la-manchester", "E12000002"),
    "Bristol": ("la-bristol", "E12000009"),
    "Kent": ("la-kent", "E12000008"),
    "Central London": ("E12000007", "E12000007"),
}


@pytest.fixture
def store(database: Database) -> Database:
    """A migrated store, on SQLite and on PostgreSQL."""
    return database


def pipeline(db: Database, **options: int) -> Pipeline:
    fetcher = Fetcher(per_second=0, attempts=2, backoff=0.01, timeout=5, sleep=lambda _s: None)
    return Pipeline(db, AdvertCoder(tiny_coders(), 1), Placer(), fetcher, **options)


def serve_fixtures(fake: FakeFeed) -> tuple[AdzunaFeed, ReedFeed]:
    for n in (1, 2, 3):
        fake.add(f"/adzuna/{n}", Reply(200, fixture_bytes(f"adzuna_page{n}.json")))
    fake.add("/reed?resultsToTake=2&resultsToSkip=0", Reply(200, fixture_bytes("reed_page1.json")))
    fake.add("/reed?resultsToTake=2&resultsToSkip=2", Reply(200, fixture_bytes("reed_page2.json")))
    return (
        AdzunaFeed("id", "sekrit-adzuna", f"{fake.base}/adzuna", per_page=2),
        ReedFeed("key", f"{fake.base}/reed", per_page=2),
    )


def rows(db: Database, sql: str) -> list[dict[str, object]]:
    return db.execute(sql).dicts()


def test_pull_codes_places_deduplicates_and_strips_personal_data(
    store: Database, fake_feed: FakeFeed
) -> None:
    adzuna, reed = serve_fixtures(fake_feed)
    files = FileFeed([DATA / "adverts.csv", DATA / "adverts.jsonl"])
    result = pipeline(store).pull([adzuna, reed, files])
    by_feed = {f.feed: f.as_dict() for f in result.feeds}
    assert by_feed["adzuna"]["new"] == 5 and by_feed["adzuna"]["rejected"] == 1
    # Reed's nurse is Adzuna's nurse (same title, employer, place): stored as a duplicate
    assert (by_feed["reed"]["new"], by_feed["reed"]["duplicates"]) == (2, 1)
    assert by_feed["files"]["rejected"] == 2  # csv-3 has no title; jsonl line 3 is broken
    assert result.ok is False or all(f["status"] == "ok" for f in by_feed.values())

    dev = rows(store, "SELECT * FROM lmi_adverts WHERE feed_id = '4900000001'")[0]
    assert (dev["soc2010"], dev["soc2020"], dev["soc2010_status"]) == ("2136", "2134", "coded")
    assert (dev["area_code"], dev["region_code"]) == ("la-leeds", "E12000003")
    assert dev["title"] == "Senior Software Developer"  # tags stripped
    summary = str(dev["summary"])
    assert "jane.doe@example.com" not in summary and "0113 496 0000" not in summary
    assert "[email removed]" in summary and "[phone removed]" in summary and "& ask" in summary

    nurse = rows(store, "SELECT * FROM lmi_adverts WHERE feed = 'reed' AND feed_id = '51000001'")
    original = rows(store, "SELECT id FROM lmi_adverts WHERE feed_id = '4900000005'")[0]["id"]
    assert nurse[0]["duplicate_of"] == original

    accountant = rows(store, "SELECT * FROM lmi_adverts WHERE feed_id = '51000002'")[0]
    assert accountant["status"] == "expired"  # closed on 01/12/2026
    assert accountant["posted"] == "2026-11-20" and accountant["week"] == "2026-11-16"

    unknown = rows(store, "SELECT * FROM lmi_adverts WHERE feed_id = 'csv-2'")[0]
    assert unknown["area_code"] is None  # Cardiff is in Wales: no area of lmi's registry

    kept = store.execute(
        "SELECT count(*) FROM lmi_adverts WHERE duplicate_of IS NULL AND soc2010 IS NOT NULL"
    ).scalar()
    england = store.execute(
        "SELECT sum(adverts) FROM lmi_advert_counts "
        "WHERE soc_version = 'soc2010' AND area_code = 'E92000001'"
    ).scalar()
    assert england == kept


def test_second_pull_updates_instead_of_adding(store: Database, fake_feed: FakeFeed) -> None:
    adzuna, _reed = serve_fixtures(fake_feed)
    first = pipeline(store).pull([adzuna])
    second = pipeline(store).pull([adzuna])
    assert first.feeds[0].counts.new == 5
    assert (second.feeds[0].counts.new, second.feeds[0].counts.updated) == (0, 5)
    assert store.execute("SELECT count(*) FROM lmi_adverts").scalar() == 5
    assert store.execute("SELECT cursor FROM lmi_advert_feeds WHERE feed='adzuna'").scalar() == (
        "2026-12-04"
    )


def test_failed_pages_lose_nothing_already_stored(store: Database, fake_feed: FakeFeed) -> None:
    adzuna, _reed = serve_fixtures(fake_feed)
    pipeline(store).pull([adzuna])
    for n in (1, 2, 3):
        fake_feed.add(f"/adzuna/{n}", Reply(503, b"down"))
    result = pipeline(store, unseen_days=0).pull([adzuna])
    assert result.feeds[0].status == "failed" and not result.ok
    assert result.feeds[0].counts.pages_failed == 3
    live = store.execute("SELECT count(*) FROM lmi_adverts WHERE status = 'live'").scalar()
    assert live == 5  # a failed pull expires nothing as unseen
    runs = rows(store, "SELECT status, errors_json FROM lmi_advert_runs ORDER BY id")
    assert [r["status"] for r in runs] == ["ok", "failed"]
    assert "HTTP 503" in str(runs[1]["errors_json"]) and "sekrit" not in str(runs[1]["errors_json"])


def test_partial_pull_when_one_page_is_malformed(store: Database, fake_feed: FakeFeed) -> None:
    adzuna, _reed = serve_fixtures(fake_feed)
    fake_feed.add("/adzuna/2", Reply(200, b'{"results": "no"}'))
    result = pipeline(store).pull([adzuna])
    assert result.feeds[0].status == "partial"
    assert result.feeds[0].counts.new == 3


def few_thousand(path: Path, today: date, n: int = 3000) -> tuple[Counter[str], int]:
    """A JSON Lines feed of ``n`` adverts (every tenth a re-post of an earlier one under a new
    id); returns the expected kept adverts per SOC 2010 code and the re-posts."""
    rng = random.Random(7)
    titles = list(TINY_INDEX)
    kept: Counter[str] = Counter()
    written: list[dict[str, str]] = []
    reposts = 0
    lines: list[dict[str, str]] = []
    for i in range(n):
        if written and i % 10 == 9:
            record = dict(rng.choice(written), id=f"adv-{i}")
            reposts += 1
        else:
            title = rng.choice(titles)
            record = {
                "id": f"adv-{i}",
                "title": f"{rng.choice(['', 'Senior ', 'Junior '])}{title} - {i}",
                "company": f"Employer {i}",
                "location": rng.choice(list(PLACES)),
                "posted": (today - timedelta(days=rng.randrange(0, 50))).isoformat(),
            }
            kept[TINY_INDEX[title][0]] += 1
            written.append(record)
        lines.append(record)
    path.write_text("".join(json.dumps(r) + "\n" for r in lines))
    return kept, reposts


def test_a_few_thousand_adverts(store: Database, tmp_path: Path) -> None:
    feed_file = tmp_path / "feed.jsonl"
    expected, reposts = few_thousand(feed_file, date.today())
    result = pipeline(store).pull([FileFeed([feed_file])])
    counts = result.feeds[0].counts
    assert (counts.fetched, counts.new, counts.duplicates) == (3000, 3000 - reposts, reposts)
    stored = Counter(
        dict(
            store.execute(
                "SELECT soc2010, count(*) FROM lmi_adverts WHERE duplicate_of IS NULL "
                "GROUP BY soc2010"
            ).rows
        )
    )
    assert stored == expected
    unplaced = store.execute("SELECT count(*) FROM lmi_adverts WHERE area_code IS NULL").scalar()
    assert unplaced == 0
    for location, (area, region) in PLACES.items():
        found = store.execute(
            "SELECT DISTINCT area_code, region_code FROM lmi_adverts WHERE location = :l",
            {"l": location},
        ).rows
        assert found == [(area, region)]
    weekly = store.execute(
        "SELECT sum(adverts) FROM lmi_advert_counts WHERE soc_version = 'soc2020' "
        "AND area_code = 'E92000001'"
    ).scalar()
    assert weekly == 3000 - reposts
    leeds = store.execute(
        "SELECT sum(adverts) FROM lmi_advert_counts WHERE soc_version = 'soc2010' "
        "AND area_code = 'la-leeds'"
    ).scalar()
    assert (
        leeds
        == store.execute(
            "SELECT count(*) FROM lmi_adverts WHERE duplicate_of IS NULL AND area_code = 'la-leeds'"
        ).scalar()
    )


def test_expiry_and_retention(store: Database, tmp_path: Path) -> None:
    today = date.today()
    feed_file = tmp_path / "f.jsonl"
    records = [
        {"id": "open", "title": "Chef", "posted": today.isoformat(), "closes": "2999-01-01"},
        {"id": "closed", "title": "Plumber", "posted": today.isoformat(), "closes": "2000-01-01"},
    ]
    feed_file.write_text("".join(json.dumps(r) + "\n" for r in records))
    pipeline(store).pull([FileFeed([feed_file])])
    status = dict(store.execute("SELECT feed_id, status FROM lmi_adverts").rows)
    assert status == {"open": "live", "closed": "expired"}
    assert purge(store, today + timedelta(days=10), retention_days=30) == 0
    assert purge(store, today + timedelta(days=31), retention_days=30) == 1
    assert store.execute("SELECT feed_id FROM lmi_adverts").rows == [("open",)]
    assert aggregate(store) > 0


def test_one_pull_at_a_time(store: Database, tmp_path: Path) -> None:
    feed_file = tmp_path / "f.jsonl"
    feed_file.write_text(json.dumps({"id": "1", "title": "Chef"}) + "\n")
    other = DataLock(store, holder="another pull", name=LOCK)
    other.acquire()
    with pytest.raises(Locked, match="another pull"):
        pipeline(store).pull([FileFeed([feed_file])])
    assert store.execute("SELECT count(*) FROM lmi_adverts").scalar() == 0
    DataLock(store, holder="lmi data build").acquire()  # releases are not blocked by pulls
    other.release()
    assert pipeline(store).pull([FileFeed([feed_file])]).ok


class BrokenFeed:
    name = "broken"

    def pages(self, fetcher: Fetcher, since: date | None, max_pages: int) -> Iterator[Page]:
        yield Page("broken page 1", adverts=[RawAdvert("broken", "b1", "Plumber")])
        raise RuntimeError("connector bug")


def test_a_broken_connector_fails_its_run_only(store: Database, tmp_path: Path) -> None:
    feed_file = tmp_path / "f.jsonl"
    feed_file.write_text(json.dumps({"id": "1", "title": "Chef"}) + "\n")
    result = pipeline(store).pull([BrokenFeed(), FileFeed([feed_file])])
    assert [f.status for f in result.feeds] == ["partial", "ok"]
    assert "unexpected error: RuntimeError: connector bug" in result.feeds[0].counts.errors
    runs = store.execute("SELECT feed, status, finished_at FROM lmi_advert_runs ORDER BY id").rows
    assert [(f, s) for f, s, _ in runs] == [("broken", "partial"), ("files", "ok")]
    assert all(finished for _, _, finished in runs)
    assert store.execute("SELECT count(*) FROM lmi_adverts").scalar() == 2
