"""Connectors: each feed's records mapped to :class:`~lmi.vacancies.model.RawAdvert`, a page at
a time.

* **adzuna** — the Adzuna jobs API for Great Britain: ``GET {url}/{page}?app_id&app_key&
  results_per_page&sort_by=date&max_days_old``; JSON ``{"count", "results": [{"id", "title",
  "description", "created", "redirect_url", "company": {"display_name"}, "location":
  {"display_name", "area": [...]}, "category": {"label"}, "salary_min", "salary_max",
  "latitude", "longitude"}]}``.
* **reed** — the Reed jobseeker API: ``GET {url}?keywords&resultsToTake&resultsToSkip`` with the
  API key as the Basic-auth user name; JSON ``{"totalResults", "results": [{"jobId",
  "employerName", "jobTitle", "locationName", "minimumSalary", "maximumSalary", "date"
  (dd/mm/yyyy), "expirationDate", "jobDescription", "jobUrl"}]}``.
* **jobposting** — schema.org ``JobPosting`` JSON-LD in web pages (what employer sites and
  applicant-tracking systems publish for search engines): a file of page URLs, or a sitemap
  (``urlset``, or a ``sitemapindex`` one level deep; ``lastmod`` skips pages unchanged since the
  last pull).
* **files** — CSV (header row) or JSON Lines files in the layout of :data:`FILE_COLUMNS`.
* **synthetic** — a labelled synthetic feed (:mod:`lmi.vacancies.synthetic`) for the demo.

A page that cannot be fetched or read is a :class:`Page` with an ``error``: the pull reports it
and goes on to the next page (stopping after :data:`FAILED_IN_A_ROW` such pages in a row).
"""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Protocol
from xml.etree import ElementTree

from lmi.vacancies.http import FeedError, Fetcher, redact_url
from lmi.vacancies.model import RawAdvert, parse_date

__all__ = [
    "FILE_COLUMNS",
    "AdzunaFeed",
    "Feed",
    "FileFeed",
    "JobPostingFeed",
    "Page",
    "ReedFeed",
]

#: pages failing in a row after which a feed's pull stops
FAILED_IN_A_ROW = 3
#: the columns of the files layout (CSV header or JSON Lines keys); ``id`` and ``title`` required
FILE_COLUMNS = (
    "id",
    "title",
    "company",
    "description",
    "category",
    "location",
    "postcode",
    "latitude",
    "longitude",
    "salary_min",
    "salary_max",
    "url",
    "posted",
    "closes",
)
#: records per page when reading files
FILE_PAGE = 1000


@dataclass
class Page:
    """One page of a feed: its adverts, the records that could not be read, or an error."""

    label: str
    adverts: list[RawAdvert] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    error: str | None = None


class Feed(Protocol):
    name: str

    def pages(self, fetcher: Fetcher, since: date | None, max_pages: int) -> Iterator[Page]:
        """Pages of adverts posted since ``since`` (all when ``None``), at most ``max_pages``."""
        ...


def _json(body: bytes, what: str) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise FeedError(f"{what}: not JSON ({exc})") from None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", ""))
        except ValueError:
            return None
    return None


# -- Adzuna ------------------------------------------------------------------------------------


@dataclass
class AdzunaFeed:
    app_id: str
    app_key: str
    url: str = "https://api.adzuna.com/v1/api/jobs/gb/search"
    what: str | None = None
    per_page: int = 50
    name: str = "adzuna"

    def page_url(self, number: int, since: date | None, today: date) -> str:
        query: dict[str, str | int] = {
            "app_id": self.app_id,
            "app_key": self.app_key,
            "results_per_page": self.per_page,
            "sort_by": "date",
            "content-type": "application/json",
        }
        if since is not None:
            query["max_days_old"] = max(1, (today - since).days + 1)
        if self.what:
            query["what"] = self.what
        return f"{self.url.rstrip('/')}/{number}?{urllib.parse.urlencode(query)}"

    def pages(self, fetcher: Fetcher, since: date | None, max_pages: int) -> Iterator[Page]:
        today = date.today()
        failed = 0
        for number in range(1, max_pages + 1):
            url = self.page_url(number, since, today)
            label = f"adzuna page {number}"
            try:
                body = _json(fetcher.get(url).body, label)
                if not isinstance(body, dict) or not isinstance(body.get("results"), list):
                    raise FeedError(f"{label}: no 'results' list in {redact_url(url)}")
            except FeedError as exc:
                failed += 1
                yield Page(label, error=str(exc))
                if failed >= FAILED_IN_A_ROW:
                    return
                continue
            failed = 0
            page = Page(label)
            for record in body["results"]:
                _add(page, record, self.record)
            yield page
            count = _number(body.get("count"))
            if not body["results"] or (count is not None and number * self.per_page >= count):
                return

    def record(self, item: Mapping[str, Any]) -> RawAdvert:
        company = item.get("company") or {}
        location = item.get("location") or {}
        category = item.get("category") or {}
        return RawAdvert(
            feed=self.name,
            feed_id=_text(item.get("id")) or "",
            title=_text(item.get("title")) or "",
            company=_text(company.get("display_name")) if isinstance(company, dict) else None,
            description=_text(item.get("description")),
            category=_text(category.get("label")) if isinstance(category, dict) else None,
            location=_adzuna_place(location),
            latitude=_number(item.get("latitude")),
            longitude=_number(item.get("longitude")),
            salary_min=_number(item.get("salary_min")),
            salary_max=_number(item.get("salary_max")),
            url=_text(item.get("redirect_url")),
            posted=_text(item.get("created")),
        )


def _adzuna_place(location: Any) -> str | None:
    """``display_name`` ("Leeds, West Yorkshire"), then the wider ``area`` names it lacks."""
    if not isinstance(location, dict):
        return None
    shown = _text(location.get("display_name")) or ""
    names = [shown]
    area = location.get("area")
    if isinstance(area, list):  # area[0] is "UK"; add the wider areas display_name omits
        names += [n for n in (_text(a) for a in reversed(area[1:])) if n and n not in shown]
    return ", ".join(n for n in names if n) or None


# -- Reed --------------------------------------------------------------------------------------


@dataclass
class ReedFeed:
    api_key: str
    url: str = "https://www.reed.co.uk/api/1.0/search"
    keywords: str | None = None
    per_page: int = 100
    name: str = "reed"

    def page_url(self, skip: int) -> str:
        query: dict[str, str | int] = {"resultsToTake": self.per_page, "resultsToSkip": skip}
        if self.keywords:
            query["keywords"] = self.keywords
        return f"{self.url}?{urllib.parse.urlencode(query)}"

    def pages(self, fetcher: Fetcher, since: date | None, max_pages: int) -> Iterator[Page]:
        """Reed has no date filter: paging stops at the first page with nothing since."""
        failed = 0
        for number in range(max_pages):
            label = f"reed page {number + 1}"
            url = self.page_url(number * self.per_page)
            try:
                body = _json(fetcher.get(url, auth=(self.api_key, "")).body, label)
                if not isinstance(body, dict) or not isinstance(body.get("results"), list):
                    raise FeedError(f"{label}: no 'results' list")
            except FeedError as exc:
                failed += 1
                yield Page(label, error=str(exc))
                if failed >= FAILED_IN_A_ROW:
                    return
                continue
            failed = 0
            page = Page(label)
            for record in body["results"]:
                _add(page, record, self.record)
            yield page
            total = _number(body.get("totalResults"))
            if not body["results"] or (total is not None and (number + 1) * self.per_page >= total):
                return
            if (
                since is not None
                and page.adverts
                and all((parse_date(a.posted) or since) < since for a in page.adverts)
            ):
                return

    def record(self, item: Mapping[str, Any]) -> RawAdvert:
        return RawAdvert(
            feed=self.name,
            feed_id=_text(item.get("jobId")) or "",
            title=_text(item.get("jobTitle")) or "",
            company=_text(item.get("employerName")),
            description=_text(item.get("jobDescription")),
            location=_text(item.get("locationName")),
            salary_min=_number(item.get("minimumSalary")),
            salary_max=_number(item.get("maximumSalary")),
            url=_text(item.get("jobUrl")),
            posted=_text(item.get("date")),
            closes=_text(item.get("expirationDate")),
        )


def _add(page: Page, record: Any, convert: Any) -> None:
    if not isinstance(record, dict):
        page.rejected.append(f"{page.label}: a record is not an object")
        return
    try:
        advert = convert(record)
    except (AttributeError, TypeError, ValueError) as exc:
        page.rejected.append(f"{page.label}: unreadable record ({exc})")
        return
    if not advert.feed_id or not advert.title:
        page.rejected.append(f"{page.label}: record without id or title")
        return
    page.adverts.append(advert)


# -- schema.org JobPosting ---------------------------------------------------------------------


class _LdScripts(HTMLParser):
    """Collects the text of ``<script type="application/ld+json">`` elements."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = dict(attrs).get("type") or ""
        self._inside = tag == "script" and kind.strip().lower() == "application/ld+json"
        if self._inside:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts[-1] += data


def job_postings(html_text: str) -> list[dict[str, Any]]:
    """Every ``JobPosting`` object in a page's JSON-LD (also inside ``@graph`` and lists)."""
    parser = _LdScripts()
    parser.feed(html_text)
    found: list[dict[str, Any]] = []
    for script in parser.scripts:
        try:
            data = json.loads(script)
        except ValueError:
            continue
        _collect(data, found)
    return found


def _collect(data: Any, found: list[dict[str, Any]]) -> None:
    if isinstance(data, list):
        for item in data:
            _collect(item, found)
    elif isinstance(data, dict):
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "JobPosting" in kinds:
            found.append(data)
        elif "@graph" in data:
            _collect(data["@graph"], found)


@dataclass
class JobPostingFeed:
    urls: Sequence[str] = ()
    sitemap: str | None = None
    name: str = "jobposting"

    def page_urls(self, fetcher: Fetcher, since: date | None) -> list[str]:
        if not self.sitemap:
            return list(self.urls)
        return _sitemap_urls(fetcher, self.sitemap, since, depth=1)

    def pages(self, fetcher: Fetcher, since: date | None, max_pages: int) -> Iterator[Page]:
        try:
            urls = self.page_urls(fetcher, since)
        except FeedError as exc:
            yield Page("sitemap", error=str(exc))
            return
        failed = 0
        for url in urls[:max_pages]:
            label = redact_url(url)
            try:
                raw = fetcher.get(url, accept="text/html,application/xhtml+xml").body
                postings = job_postings(raw.decode("utf-8", errors="replace"))
                if not postings:
                    raise FeedError(f"{label}: no schema.org JobPosting in the page")
            except FeedError as exc:
                failed += 1
                yield Page(label, error=str(exc))
                if failed >= FAILED_IN_A_ROW * 10:
                    return
                continue
            failed = 0
            page = Page(label)
            for n, posting in enumerate(postings):
                _add(page, posting, lambda p, n=n, url=url: self.record(p, url, n))
            yield page

    def record(self, item: Mapping[str, Any], page_url: str, n: int) -> RawAdvert:
        identifier = item.get("identifier")
        if isinstance(identifier, dict):
            identifier = identifier.get("value")
        url = _text(item.get("url")) or page_url
        feed_id = _text(identifier) or (url if n == 0 else f"{url}#{n}")
        organisation = item.get("hiringOrganization")
        company = (
            _text(organisation.get("name")) if isinstance(organisation, dict) else None
        ) or _text(organisation)
        place, postcode, lat, lng = _job_location(item.get("jobLocation"))
        low, high = _salary(item.get("baseSalary"))
        return RawAdvert(
            feed=self.name,
            feed_id=feed_id,
            title=_text(item.get("title")) or "",
            company=company,
            description=_text(item.get("description")),
            category=_text(item.get("occupationalCategory")) or _text(item.get("industry")),
            location=place,
            postcode=postcode,
            latitude=lat,
            longitude=lng,
            salary_min=low,
            salary_max=high,
            url=url,
            posted=_text(item.get("datePosted")),
            closes=_text(item.get("validThrough")),
        )


def _job_location(value: Any) -> tuple[str | None, str | None, float | None, float | None]:
    first = value[0] if isinstance(value, list) and value else value
    if not isinstance(first, dict):
        return None, None, None, None
    address = first.get("address")
    place, postcode = None, None
    if isinstance(address, dict):
        parts = [
            _text(address.get(k)) for k in ("addressLocality", "addressRegion", "addressCountry")
        ]
        place = ", ".join(p for p in parts if p) or None
        postcode = _text(address.get("postalCode"))
    elif isinstance(address, str):
        place = address
    geo = first.get("geo")
    lat = _number(geo.get("latitude")) if isinstance(geo, dict) else None
    lng = _number(geo.get("longitude")) if isinstance(geo, dict) else None
    return place, postcode, lat, lng


def _salary(value: Any) -> tuple[float | None, float | None]:
    if not isinstance(value, dict):
        return None, None
    amount = value.get("value")
    if isinstance(amount, dict):
        single = _number(amount.get("value"))
        low = _number(amount.get("minValue")) or single
        high = _number(amount.get("maxValue")) or single
        return low, high
    single = _number(amount)
    return single, single


def _sitemap_urls(fetcher: Fetcher, url: str, since: date | None, depth: int) -> list[str]:
    body = fetcher.get(url, accept="application/xml,text/xml").body
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise FeedError(f"{redact_url(url)}: not a sitemap ({exc})") from None
    urls: list[str] = []
    for entry in root:
        loc = next((c.text for c in entry if c.tag.endswith("loc")), None)
        lastmod = next((c.text for c in entry if c.tag.endswith("lastmod")), None)
        if not loc:
            continue
        changed = parse_date(lastmod)
        if since is not None and changed is not None and changed < since:
            continue
        if root.tag.endswith("sitemapindex"):
            if depth > 0:
                urls += _sitemap_urls(fetcher, loc.strip(), since, depth - 1)
        else:
            urls.append(loc.strip())
    return urls


# -- files -------------------------------------------------------------------------------------


@dataclass
class FileFeed:
    """CSV (header row) or JSON Lines (``.jsonl``/``.ndjson``) files, or folders of them."""

    paths: Sequence[Path]
    name: str = "files"

    def files(self) -> list[Path]:
        found: list[Path] = []
        for path in self.paths:
            if path.is_dir():
                found += sorted(
                    p for p in path.iterdir() if p.suffix in (".csv", ".jsonl", ".ndjson")
                )
            else:
                found.append(path)
        return found

    def pages(self, fetcher: Fetcher, since: date | None, max_pages: int) -> Iterator[Page]:
        for path in self.files():
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                yield Page(str(path), error=f"{path}: cannot read ({exc})")
                continue
            records = self._records(path, text)
            for start in range(0, len(records), FILE_PAGE):
                page = Page(f"{path.name} records {start + 1}–{start + FILE_PAGE}")
                for line, record in records[start : start + FILE_PAGE]:
                    if isinstance(record, str):
                        page.rejected.append(f"{path.name} line {line}: {record}")
                        continue
                    _add(page, record, self.record)
                if since is not None:
                    page.adverts = [
                        a for a in page.adverts if (parse_date(a.posted) or since) >= since
                    ]
                yield page

    @staticmethod
    def _records(path: Path, text: str) -> list[tuple[int, dict[str, Any] | str]]:
        """(line, record or a problem) for each record of the file."""
        out: list[tuple[int, dict[str, Any] | str]] = []
        if path.suffix in (".jsonl", ".ndjson"):
            for line, raw in enumerate(text.splitlines(), start=1):
                if not raw.strip():
                    continue
                try:
                    value = json.loads(raw)
                except ValueError:
                    out.append((line, "not a JSON object"))
                    continue
                out.append((line, value if isinstance(value, dict) else "not a JSON object"))
            return out
        reader = csv.DictReader(io.StringIO(text))
        missing = {"id", "title"} - set(reader.fieldnames or ())
        if missing:
            return [(1, f"header lacks the columns {sorted(missing)}")]
        for line, row in enumerate(reader, start=2):
            out.append((line, {k: v for k, v in row.items() if k is not None and v != ""}))
        return out

    def record(self, item: Mapping[str, Any]) -> RawAdvert:
        return RawAdvert(
            feed=self.name,
            feed_id=_text(item.get("id")) or "",
            title=_text(item.get("title")) or "",
            company=_text(item.get("company")),
            description=_text(item.get("description")),
            category=_text(item.get("category")),
            location=_text(item.get("location")),
            postcode=_text(item.get("postcode")),
            latitude=_number(item.get("latitude")),
            longitude=_number(item.get("longitude")),
            salary_min=_number(item.get("salary_min")),
            salary_max=_number(item.get("salary_max")),
            url=_text(item.get("url")),
            posted=_text(item.get("posted")),
            closes=_text(item.get("closes")),
        )


def since_date(cursor: str | None, overlap_days: int = 1) -> date | None:
    """The date a pull asks from: a day before the newest posting seen (feeds are late)."""
    found = parse_date(cursor)
    return found - timedelta(days=overlap_days) if found else None
