"""``lmi vacancies pull``: every configured feed, page by page, into the advert tables.

For each feed: read its cursor (the newest posting date seen), fetch pages since (a day
before) it, normalise each advert (:func:`lmi.vacancies.model.normalise`), code it to SOC 2010
and SOC 2020, place it, and store the page in one transaction. A page that fails is recorded
and skipped; a record that cannot be read is counted as rejected. Then adverts past their
closing date (or, for feeds pulled without failures, not seen for
``LMI_VACANCIES_UNSEEN_DAYS``) expire, expired adverts older than
``LMI_VACANCIES_RETENTION_DAYS`` are deleted, and the weekly counts are rebuilt.

A run per feed is recorded in ``lmi_advert_runs``: ``ok`` (every page stored), ``partial``
(some pages failed), ``failed`` (no page could be read, or the feed is misconfigured).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lmi.errors import ConfigurationError, InvalidQuery, LMIError
from lmi.etl.lock import DataLock
from lmi.search.coder import load_coders
from lmi.settings import Settings
from lmi.store.database import Database
from lmi.store.releases import ReleaseStore
from lmi.vacancies import store
from lmi.vacancies.coding import VERSIONS, AdvertCoder
from lmi.vacancies.connectors import Feed, Page, since_date
from lmi.vacancies.http import Fetcher, utc_now
from lmi.vacancies.model import CONTEXT_WORDS, normalise
from lmi.vacancies.place import Placer

__all__ = ["FeedResult", "PullResult", "Pipeline", "RecodeResult", "open_pipeline", "recode"]

Progress = Callable[[str], None]
log = logging.getLogger(__name__)
#: the lock pulls hold (a row of ``lmi_locks``, apart from the data lock of release operations)
LOCK = "vacancies"


@dataclass
class FeedResult:
    feed: str
    status: str
    counts: store.RunCounts
    seconds: float
    run_id: int

    def as_dict(self) -> dict[str, Any]:
        c = self.counts
        return {
            "feed": self.feed,
            "status": self.status,
            "run": self.run_id,
            "pages": c.pages,
            "pages_failed": c.pages_failed,
            "fetched": c.fetched,
            "new": c.new,
            "updated": c.updated,
            "duplicates": c.duplicates,
            "rejected": c.rejected,
            "seconds": round(self.seconds, 3),
            "errors": c.errors[:20],
        }


@dataclass
class PullResult:
    feeds: list[FeedResult] = field(default_factory=list)
    expired: int = 0
    purged: int = 0
    cells: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.feeds) and all(f.status == "ok" for f in self.feeds)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "feeds": [f.as_dict() for f in self.feeds],
            "expired": self.expired,
            "purged": self.purged,
            "count_cells": self.cells,
        }


class Pipeline:
    """Holds what every page needs: the store, coders, placer, fetcher and settings."""

    def __init__(
        self,
        db: Database,
        coder: AdvertCoder,
        placer: Placer,
        fetcher: Fetcher,
        *,
        max_pages: int = 20,
        unseen_days: int = 30,
        retention_days: int = 180,
    ) -> None:
        self.db = db
        self.coder = coder
        self.placer = placer
        self.fetcher = fetcher
        self.max_pages = max_pages
        self.unseen_days = unseen_days
        self.retention_days = retention_days

    def pull(self, feeds: Sequence[Feed], progress: Progress | None = None) -> PullResult:
        """Pull every feed under the advert lock (:data:`LOCK`: :class:`~lmi.errors.Locked`
        while another pull of this store runs; release operations are not blocked)."""
        lock = DataLock(self.db, holder="lmi vacancies pull", name=LOCK)
        lock.acquire()
        try:
            return self._pull(feeds, progress or (lambda _line: None), lock)
        finally:
            lock.release()

    def _pull(self, feeds: Sequence[Feed], say: Progress, lock: DataLock) -> PullResult:
        """Each feed, then expiry, retention and counts; the runs are marked finished last,
        so an API worker that sees a finished pull (and re-reads the adverts) sees its
        expiries and counts too."""
        result = PullResult()
        try:
            for feed in feeds:
                result.feeds.append(self.pull_feed(feed, say))
                lock.heartbeat()
            today = date.today()
            whole = [f.feed for f in result.feeds if f.status == "ok"]
            result.expired = store.expire(self.db, whole, today, self.unseen_days)
            result.purged = store.purge(self.db, today, self.retention_days)
            result.cells = store.aggregate(self.db)
        finally:
            for found in result.feeds:
                store.finish_run(
                    self.db, found.run_id, found.counts, found.status, utc_now(), found.seconds
                )
        say(
            f"expired {result.expired}, deleted {result.purged} past retention, "
            f"{result.cells} weekly count cells"
        )
        return result

    def pull_feed(self, feed: Feed, say: Progress) -> FeedResult:
        started = time.perf_counter()
        run_id = store.start_run(self.db, feed.name, utc_now())
        counts = store.RunCounts()
        newest: date | None = None
        since = since_date(store.cursor(self.db, feed.name))
        broken = False  # the feed stopped with an error between pages
        try:
            for page in feed.pages(self.fetcher, since, self.max_pages):
                outcome = self.take_page(page, counts)
                if outcome is not None and outcome.newest is not None:
                    newest = max(newest or outcome.newest, outcome.newest)
                say(
                    f"{feed.name}: {page.label}: "
                    + (f"FAILED {page.error}" if page.error else f"{len(page.adverts)} adverts")
                    + f" (total {counts.fetched}, new {counts.new}, dup {counts.duplicates})"
                )
        except LMIError as exc:  # misconfiguration found while paging
            counts.errors.append(str(exc))
            broken = True
        except Exception as exc:  # a connector's bug must not lose the other feeds' pulls
            log.exception("feed %s failed", feed.name)
            counts.errors.append(f"unexpected error: {type(exc).__name__}: {exc}")
            broken = True
        if newest is not None:
            store.save_cursor(self.db, feed.name, newest, utc_now())
        stored = counts.pages - counts.pages_failed
        if not counts.pages_failed and not broken:
            status = "ok"
        else:
            status = "partial" if stored > 0 else "failed"
        seconds = time.perf_counter() - started
        return FeedResult(feed.name, status, counts, seconds, run_id)

    def take_page(self, page: Page, counts: store.RunCounts) -> store.PageOutcome | None:
        counts.pages += 1
        counts.rejected += len(page.rejected)
        counts.errors.extend(page.rejected[:5])
        if page.error is not None:
            counts.pages_failed += 1
            counts.errors.append(page.error)
            return None
        today = date.today()
        items: list[store.Coded] = []
        for raw in page.adverts:
            try:
                advert = normalise(raw, today)
            except InvalidQuery as exc:
                counts.rejected += 1
                counts.errors.append(f"{page.label}: {exc}")
                continue
            codes = self.coder.code(advert)
            placed = self.placer.place(advert.location, advert.postcode)
            items.append(store.Coded(advert, codes, placed))
        counts.fetched += len(page.adverts)
        with self.db.transaction() as tx:
            outcome = store.store_page(tx, items, utc_now(), self.coder.release_id)
        counts.add(outcome)
        return outcome


@dataclass
class RecodeResult:
    """What ``lmi vacancies recode`` did: adverts examined, whose codes changed, by version
    the new statuses and how many codes moved, and the release whose coders coded them."""

    release_id: int
    examined: int = 0
    changed: int = 0
    moved: dict[str, int] = field(default_factory=lambda: {v: 0 for v in VERSIONS})
    statuses: dict[str, dict[str, int]] = field(default_factory=lambda: {v: {} for v in VERSIONS})
    cells: int = 0
    seconds: float = 0.0
    run_id: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "release": self.release_id,
            "examined": self.examined,
            "changed": self.changed,
            "unchanged": self.examined - self.changed,
            "moved": self.moved,
            "statuses": self.statuses,
            "count_cells": self.cells,
            "seconds": round(self.seconds, 3),
            "run": self.run_id,
        }


def recode(
    pipeline: Pipeline,
    *,
    everything: bool = False,
    batch: int = 2000,
    progress: Progress | None = None,
) -> RecodeResult:
    """Code stored adverts again with the pipeline's coders (the production release's): those
    another release (or none) coded, or ``everything``; a transaction per batch, under the
    advert lock, then the weekly counts are rebuilt and a ``recode`` run is recorded (API
    workers re-read the adverts when a run finishes). The coder reads the stored title and the
    first words of the stored summary: feeds' categories are not stored, so an advert the
    category helped code may come out differently."""
    release_id = pipeline.coder.release_id
    if release_id is None or not pipeline.coder.coders:
        raise ConfigurationError("no release in production with a coding index: nothing codes")
    say = progress or (lambda _line: None)
    db = pipeline.db
    lock = DataLock(db, holder="lmi vacancies recode", name=LOCK)
    lock.acquire()
    started = time.perf_counter()
    result = RecodeResult(release_id)
    counts = store.RunCounts()
    result.run_id = store.start_run(db, "recode", utc_now())
    status = "failed"
    try:
        total = store.count_to_recode(db, release_id, everything)
        say(f"{total} adverts to code again with release {release_id}'s coders")
        after = 0
        while True:
            rows = store.to_recode(db, release_id, everything, after, batch)
            if not rows:
                break
            after = rows[-1][0]
            updates = [_recoded(pipeline.coder, row, result) for row in rows]
            with db.transaction() as tx:
                store.save_codes(tx, updates)
            counts.pages += 1
            lock.heartbeat()
            say(f"coded {result.examined}/{total} ({result.changed} changed)")
        result.cells = store.aggregate(db)
        status = "ok"
    finally:
        result.seconds = time.perf_counter() - started
        counts.fetched, counts.updated = result.examined, result.changed
        store.finish_run(db, result.run_id, counts, status, utc_now(), result.seconds)
        lock.release()
    return result


def _recoded(
    coder: AdvertCoder, row: tuple[int, str, str | None, tuple[Any, ...]], result: RecodeResult
) -> dict[str, Any]:
    advert_id, title, summary, old = row
    description = " ".join((summary or "").split()[:CONTEXT_WORDS])
    codes = coder.code_text(title, "", description)
    c2010, c2020 = codes["soc2010"], codes["soc2020"]
    result.examined += 1
    if (c2010.code, c2020.code) != (old[0], old[3]) or (c2010.status, c2020.status) != (
        old[2],
        old[5],
    ):
        result.changed += 1
    for version, code, before in (("soc2010", c2010, old[0]), ("soc2020", c2020, old[3])):
        if code.code != before:
            result.moved[version] += 1
        statuses = result.statuses[version]
        statuses[code.status] = statuses.get(code.status, 0) + 1
    return {
        "b_id": advert_id,
        "b_2010": c2010.code,
        "b_2010_score": c2010.score,
        "b_2010_status": c2010.status,
        "b_2020": c2020.code,
        "b_2020_score": c2020.score,
        "b_2020_status": c2020.status,
        "b_release": coder.release_id,
    }


def open_pipeline(db: Database, settings: Settings, fetcher: Fetcher | None = None) -> Pipeline:
    """A pipeline over the production release's coders and postcode directory."""
    from lmi.datasets.onspd.index import load_postcode_index

    releases = ReleaseStore(db)
    release = releases.production()
    coders = load_coders(db, release.id) if release is not None else {}
    postcodes = None
    if release is not None and any(
        row["dataset"] == "onspd" and row["status"] == "loaded"
        for row in releases.datasets(release.id)
    ):
        postcodes = load_postcode_index(db, release.id)
    return Pipeline(
        db,
        AdvertCoder(coders, release.id if release is not None else None),
        Placer(postcodes),
        fetcher or Fetcher(per_second=settings.vacancies_requests_per_second),
        max_pages=settings.vacancies_max_pages,
        unseen_days=settings.vacancies_unseen_days,
        retention_days=settings.vacancies_retention_days,
    )
