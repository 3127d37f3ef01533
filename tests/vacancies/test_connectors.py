"""Each connector against a loopback fake server replaying fixtures in the feed's own format:
paging, 429 with Retry-After, malformed pages, records without titles, secrets kept out of
messages."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

import pytest

from lmi.vacancies.connectors import (
    AdzunaFeed,
    FileFeed,
    JobPostingFeed,
    ReedFeed,
    job_postings,
    since_date,
)
from lmi.vacancies.http import FeedError, Fetcher, redact_url, retry_after
from tests.vacancies.conftest import DATA, FakeFeed, Reply, fixture_bytes


def quick_fetcher() -> Fetcher:
    """No real waiting: every wait is recorded in ``waits``."""
    return Fetcher(per_second=0, attempts=3, backoff=0.5, timeout=5, sleep=lambda _s: None)


def json_reply(name: str, **headers: str) -> Reply:
    return Reply(200, fixture_bytes(name), {"Content-Type": "application/json", **headers})


def test_adzuna_pages_until_count(fake_feed: FakeFeed) -> None:
    for n in (1, 2, 3):
        fake_feed.add(f"/search/{n}", json_reply(f"adzuna_page{n}.json"))
    feed = AdzunaFeed("id-123", "secret-key", f"{fake_feed.base}/search", per_page=2)
    pages = list(feed.pages(quick_fetcher(), None, max_pages=10))
    assert [len(p.adverts) for p in pages] == [2, 2, 1]
    assert len(fake_feed.seen) == 3  # count 5 at 2 a page: no 4th request
    assert pages[2].rejected == ["adzuna page 3: record without id or title"]
    first = pages[0].adverts[0]
    assert first.feed_id == "4900000001"
    assert first.company == "Example Digital Ltd"
    assert first.location == "Leeds, West Yorkshire, Yorkshire And The Humber"
    assert first.latitude == pytest.approx(53.7997)
    assert first.salary_min == 45000.0
    assert first.category == "IT Jobs"
    path, _headers = fake_feed.seen[0]
    assert "app_id=id-123" in path and "app_key=secret-key" in path
    assert "results_per_page=2" in path


def test_adzuna_incremental_asks_only_for_recent_days(fake_feed: FakeFeed) -> None:
    fake_feed.add("/search/1", json_reply("adzuna_page3.json"))
    feed = AdzunaFeed("id", "key", f"{fake_feed.base}/search", per_page=50)
    since = date.today().replace(day=1) if date.today().day > 3 else date.today()
    list(feed.pages(quick_fetcher(), since, max_pages=1))
    expected = (date.today() - since).days + 1
    assert f"max_days_old={expected}" in fake_feed.seen[0][0]


def test_429_retry_after_is_honoured(fake_feed: FakeFeed) -> None:
    fake_feed.add(
        "/search/1",
        Reply(429, b'{"error": "rate limited"}', {"Retry-After": "7"}),
        json_reply("adzuna_page1.json"),
    )
    fake_feed.add("/search/2", json_reply("adzuna_page2.json"))
    fake_feed.add("/search/3", json_reply("adzuna_page3.json"))
    fetcher = quick_fetcher()
    feed = AdzunaFeed("id", "key", f"{fake_feed.base}/search", per_page=2)
    pages = list(feed.pages(fetcher, None, max_pages=10))
    assert all(p.error is None for p in pages)
    assert 7.0 in fetcher.waits
    assert len(fake_feed.seen) == 4  # the 429, then pages 1, 2, 3


def test_retry_after_too_long_fails_the_page_and_hides_the_key(fake_feed: FakeFeed) -> None:
    fake_feed.add("/search/1", Reply(429, b"", {"Retry-After": "86400"}))
    feed = AdzunaFeed("id", "very-secret", f"{fake_feed.base}/search", per_page=2)
    pages = list(feed.pages(quick_fetcher(), None, max_pages=1))
    assert pages[0].error is not None and "Retry-After" in pages[0].error
    assert "very-secret" not in pages[0].error


def test_malformed_page_is_reported_and_skipped(fake_feed: FakeFeed) -> None:
    fake_feed.add("/search/1", json_reply("adzuna_page1.json"))
    fake_feed.add("/search/2", Reply(200, b"<html>Service unavailable</html>"))
    fake_feed.add("/search/3", json_reply("adzuna_page3.json"))
    feed = AdzunaFeed("id", "key", f"{fake_feed.base}/search", per_page=2)
    pages = list(feed.pages(quick_fetcher(), None, max_pages=10))
    assert [p.error is None for p in pages] == [True, False, True]
    assert "not JSON" in (pages[1].error or "")
    assert [a.feed_id for a in pages[2].adverts] == ["4900000005"]


def test_server_errors_back_off_then_fail(fake_feed: FakeFeed) -> None:
    for n in (1, 2, 3, 4):
        fake_feed.add(f"/search/{n}", Reply(500, b"oops"))
    fetcher = quick_fetcher()
    feed = AdzunaFeed("id", "key", f"{fake_feed.base}/search", per_page=2)
    pages = list(feed.pages(fetcher, None, max_pages=5))
    assert len(pages) == 3  # three failed pages in a row stop the feed
    assert all(p.error and "HTTP 500 after 3 attempts" in p.error for p in pages)
    assert fetcher.waits == [0.5, 1.0] * 3  # no wait after a page's last attempt
    assert len(fake_feed.seen) == 9


def test_reed_pages_with_basic_auth(fake_feed: FakeFeed) -> None:
    fake_feed.add("/api/1.0/search?resultsToTake=2&resultsToSkip=0", json_reply("reed_page1.json"))
    fake_feed.add("/api/1.0/search?resultsToTake=2&resultsToSkip=2", json_reply("reed_page2.json"))
    feed = ReedFeed("reed-key", f"{fake_feed.base}/api/1.0/search", per_page=2)
    pages = list(feed.pages(quick_fetcher(), None, max_pages=10))
    assert [len(p.adverts) for p in pages] == [2, 1]
    auth = fake_feed.seen[0][1]["authorization"]
    assert base64.b64decode(auth.split()[1]) == b"reed-key:"
    nurse = pages[0].adverts[0]
    assert (nurse.feed_id, nurse.title, nurse.company) == (
        "51000001",
        "Registered Nurse",
        "Example Health Trust",
    )
    assert (nurse.posted, nurse.closes) == ("04/12/2026", "15/01/2027")


def test_reed_stops_at_a_page_older_than_the_cursor(fake_feed: FakeFeed) -> None:
    fake_feed.add("/s?resultsToTake=2&resultsToSkip=0", json_reply("reed_page1.json"))
    feed = ReedFeed("k", f"{fake_feed.base}/s", per_page=2)
    pages = list(feed.pages(quick_fetcher(), date(2027, 1, 1), max_pages=10))
    assert len(pages) == 1 and len(fake_feed.seen) == 1


def test_jobposting_from_urls(fake_feed: FakeFeed) -> None:
    fake_feed.add("/jobs/1001", Reply(200, fixture_bytes("jobposting_1.html")))
    fake_feed.add("/jobs/sa-22", Reply(200, fixture_bytes("jobposting_2.html")))
    fake_feed.add("/careers", Reply(200, fixture_bytes("jobposting_none.html")))
    urls = [
        f"{fake_feed.base}/jobs/1001",
        f"{fake_feed.base}/jobs/sa-22",
        f"{fake_feed.base}/careers",
    ]
    pages = list(JobPostingFeed(urls).pages(quick_fetcher(), None, max_pages=10))
    assert [len(p.adverts) for p in pages] == [1, 1, 0]
    assert "no schema.org JobPosting" in (pages[2].error or "")
    electrician, sales = pages[0].adverts[0], pages[1].adverts[0]
    assert electrician.feed_id == "EF-1001"
    assert electrician.postcode == "NG1 1AA"
    assert electrician.location == "Nottingham, East Midlands, GB"
    assert (electrician.salary_min, electrician.salary_max) == (34000.0, 38000.0)
    assert electrician.closes == "2027-01-31T00:00"
    assert sales.feed_id == "https://careers.example.net/jobs/sa-22"
    assert sales.company == "Example Retail plc"
    assert sales.latitude == pytest.approx(53.959)


def test_jobposting_from_sitemap_skips_unchanged_pages(fake_feed: FakeFeed) -> None:
    sitemap = fixture_bytes("sitemap.xml").replace(b"BASE", fake_feed.base.encode())
    fake_feed.add("/sitemap.xml", Reply(200, sitemap, {"Content-Type": "application/xml"}))
    fake_feed.add("/jobs/1001", Reply(200, fixture_bytes("jobposting_1.html")))
    fake_feed.add("/jobs/sa-22", Reply(200, fixture_bytes("jobposting_2.html")))
    feed = JobPostingFeed(sitemap=f"{fake_feed.base}/sitemap.xml")
    pages = list(feed.pages(quick_fetcher(), date(2026, 11, 1), max_pages=10))
    assert [p.adverts[0].title for p in pages] == ["Maintenance Electrician", "Sales Assistant"]
    assert not any(path.endswith("/closed") for path, _ in fake_feed.seen)


def test_broken_sitemap_is_one_failed_page(fake_feed: FakeFeed) -> None:
    fake_feed.add("/sitemap.xml", Reply(200, b"<urlset><url>"))
    pages = list(
        JobPostingFeed(sitemap=f"{fake_feed.base}/sitemap.xml").pages(quick_fetcher(), None, 5)
    )
    assert len(pages) == 1 and "not a sitemap" in (pages[0].error or "")


def test_json_ld_inside_graph_and_lists() -> None:
    html = (
        '<script type="application/ld+json">[{"@type": "JobPosting", "title": "A"}, '
        '{"@graph": [{"@type": ["JobPosting"], "title": "B"}]}]</script>'
        '<script type="application/ld+json">{not json</script>'
    )
    assert [p["title"] for p in job_postings(html)] == ["A", "B"]


def test_files_csv_and_jsonl() -> None:
    feed = FileFeed([DATA / "adverts.csv", DATA / "adverts.jsonl"])
    pages = list(feed.pages(quick_fetcher(), None, max_pages=10))
    assert [[a.feed_id for a in p.adverts] for p in pages] == [
        ["csv-1", "csv-2"],
        ["jl-1", "jl-2", "jl-4"],
    ]
    assert pages[0].rejected == ["adverts.csv records 1–1000: record without id or title"]
    assert pages[1].rejected == ["adverts.jsonl line 3: not a JSON object"]
    assert pages[1].adverts[2].postcode == "BS1 4DJ"


def test_csv_without_the_required_columns_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,place\nx,y\n")
    pages = list(FileFeed([path]).pages(quick_fetcher(), None, 10))
    assert pages[0].adverts == []
    assert "header lacks the columns ['id', 'title']" in pages[0].rejected[0]


def test_redaction_and_retry_after_dates() -> None:
    assert redact_url("https://x/s/1?app_id=1&app_key=abc&what=nurse") == (
        "https://x/s/1?app_id=***&app_key=***&what=nurse"
    )
    assert redact_url("https://key:@www.reed.co.uk/api") == "https://www.reed.co.uk/api"
    assert retry_after("120", 0.0) == 120.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480.0) == 0.0
    assert retry_after("soon", 0.0) is None
    assert since_date("2026-12-05") == date(2026, 12, 4)


def test_network_error_is_a_feed_error() -> None:
    fetcher = Fetcher(per_second=0, attempts=1, timeout=2, sleep=lambda _s: None)
    with pytest.raises(FeedError):
        fetcher.get("http://127.0.0.1:9/nothing")
