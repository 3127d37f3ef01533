"""Reading and writing the advert tables (SQLite or PostgreSQL through the store facade).

Writes per page are one transaction: a page is stored whole or not at all, and nothing stored
before is lost when a later page fails. De-duplication: an advert already stored under its
(feed, id) is *updated* (last seen, closing date, live again); a new advert whose fingerprint
matches a kept advert from any feed is stored as a *duplicate* of it (so the same id is known
next time) and is neither searched nor counted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from lmi.classification.areas import ENGLAND
from lmi.store.adverts import advert_counts, advert_feeds, advert_runs, adverts
from lmi.store.database import Database, Transaction
from lmi.vacancies.coding import Code
from lmi.vacancies.model import Advert, monday
from lmi.vacancies.place import Placed

__all__ = ["Coded", "PageOutcome", "RunCounts", "aggregate", "expire", "store_page"]


@dataclass(frozen=True, slots=True)
class Coded:
    """An advert with its codes and place, ready to store."""

    advert: Advert
    codes: dict[str, Code]
    placed: Placed


@dataclass
class PageOutcome:
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    newest: date | None = None


@dataclass
class RunCounts:
    pages: int = 0
    pages_failed: int = 0
    fetched: int = 0
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, outcome: PageOutcome) -> None:
        self.new += outcome.new
        self.updated += outcome.updated
        self.duplicates += outcome.duplicates


def _chunks(items: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def store_page(
    tx: Transaction, items: Sequence[Coded], now: str, coded_release: int | None
) -> PageOutcome:
    """Insert or update one page of adverts (see the module docstring)."""
    outcome = PageOutcome()
    if not items:
        return outcome
    conn = tx.connection
    t = adverts.c
    known: dict[tuple[str, str], int] = {}
    by_feed: dict[str, list[str]] = {}
    for c in items:
        by_feed.setdefault(c.advert.feed, []).append(c.advert.feed_id)
    for feed, ids in by_feed.items():
        for chunk in _chunks(ids):
            found = conn.execute(
                sa.select(t.feed_id, t.id).where(t.feed == feed, t.feed_id.in_(chunk))
            )
            known.update({(feed, str(i)): int(n) for i, n in found})
    prints: dict[str, int] = {}
    for chunk in _chunks(list({c.advert.fingerprint for c in items})):
        rows = conn.execute(
            sa.select(t.fingerprint, t.id).where(t.fingerprint.in_(chunk), t.duplicate_of.is_(None))
        )
        for fp, n in rows:
            prints.setdefault(str(fp), int(n))
    updates: list[dict[str, Any]] = []
    originals: list[dict[str, Any]] = []
    duplicates: list[tuple[str, dict[str, Any]]] = []  # (fingerprint, row)
    fresh: set[str] = set()  # fingerprints first seen in this page
    today = date.today()
    for item in items:
        ad = item.advert
        outcome.newest = max(outcome.newest or ad.posted, ad.posted)
        key = (ad.feed, ad.feed_id)
        row_id = known.get(key)
        status = "expired" if ad.closes is not None and ad.closes < today else "live"
        if row_id is not None:
            updates.append(
                {"b_id": row_id, "b_seen": now, "b_closes": _iso(ad.closes), "b_status": status}
            )
            outcome.updated += 1
            continue
        known[key] = -1  # the same id twice in one page: the second is an update
        row = _row(item, now, coded_release, status, None)
        original = prints.get(ad.fingerprint)
        if original is None and ad.fingerprint not in fresh:
            fresh.add(ad.fingerprint)
            originals.append(row)
            outcome.new += 1
        else:
            duplicates.append((ad.fingerprint, row))
            if original is not None:
                updates.append(
                    {"b_id": original, "b_seen": now, "b_closes": None, "b_status": "live"}
                )
            outcome.duplicates += 1
    outcome.updated -= sum(1 for u in updates if u["b_id"] == -1)
    updates = [u for u in updates if u["b_id"] != -1]
    if originals:  # one prepared insert (COPY on PostgreSQL): ids are read back by
        tx.insert_tuples(adverts, _COLUMNS, [_values(row) for row in originals])  # fingerprint
    if duplicates:
        wanted = list({fp for fp, _ in duplicates if fp in fresh})
        for chunk in _chunks(wanted):
            found = conn.execute(
                sa.select(t.fingerprint, t.id).where(
                    t.fingerprint.in_(chunk), t.duplicate_of.is_(None)
                )
            )
            for fp, n in found:
                prints.setdefault(str(fp), int(n))
        for fp, row in duplicates:
            row["duplicate_of"] = prints.get(fp)
        tx.insert_tuples(adverts, _COLUMNS, [_values(row) for _, row in duplicates])
    if updates:
        conn.execute(
            adverts.update()
            .where(t.id == sa.bindparam("b_id"))
            .values(
                last_seen=sa.bindparam("b_seen"),
                closes=sa.func.coalesce(sa.bindparam("b_closes"), t.closes),
                status=sa.bindparam("b_status"),
            ),
            updates,
        )
    return outcome


def _values(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[name] for name in _COLUMNS)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _row(
    item: Coded, now: str, coded_release: int | None, status: str, original: int | None
) -> dict[str, Any]:
    ad, placed = item.advert, item.placed
    c2010, c2020 = item.codes["soc2010"], item.codes["soc2020"]
    return {
        "feed": ad.feed,
        "feed_id": ad.feed_id,
        "fingerprint": ad.fingerprint,
        "duplicate_of": original,
        "title": ad.title,
        "company": ad.company,
        "summary": ad.summary,
        "location": ad.location,
        "postcode": placed.postcode or ad.postcode,
        "area_kind": placed.kind,
        "area_code": placed.code,
        "region_code": placed.region,
        "latitude": ad.latitude if ad.latitude is not None else placed.latitude,
        "longitude": ad.longitude if ad.longitude is not None else placed.longitude,
        "salary_min": ad.salary_min,
        "salary_max": ad.salary_max,
        "url": ad.url,
        "posted": ad.posted.isoformat(),
        "week": monday(ad.posted).isoformat(),
        "closes": _iso(ad.closes),
        "first_seen": now,
        "last_seen": now,
        "status": status,
        "soc2010": c2010.code,
        "soc2010_score": c2010.score,
        "soc2010_status": c2010.status,
        "soc2020": c2020.code,
        "soc2020_score": c2020.score,
        "soc2020_status": c2020.status,
        "coded_release": coded_release,
        "synthetic": ad.synthetic,
    }


#: the columns a new advert's row fills (:func:`_row`'s keys), in insert order
_COLUMNS = (
    "feed",
    "feed_id",
    "fingerprint",
    "duplicate_of",
    "title",
    "company",
    "summary",
    "location",
    "postcode",
    "area_kind",
    "area_code",
    "region_code",
    "latitude",
    "longitude",
    "salary_min",
    "salary_max",
    "url",
    "posted",
    "week",
    "closes",
    "first_seen",
    "last_seen",
    "status",
    "soc2010",
    "soc2010_score",
    "soc2010_status",
    "soc2020",
    "soc2020_score",
    "soc2020_status",
    "coded_release",
    "synthetic",
)


def expire(db: Database, feeds: Sequence[str], today: date, unseen_days: int) -> int:
    """Mark closed adverts expired: past their closing date, or (for the feeds pulled whole
    this time) not seen for ``unseen_days``. Returns how many changed."""
    t = adverts.c
    cutoff = (today - timedelta(days=unseen_days)).isoformat()
    with db.transaction() as tx:
        closed = tx.connection.execute(
            adverts.update()
            .where(t.status == "live", t.closes.is_not(None), t.closes < today.isoformat())
            .values(status="expired")
        ).rowcount
        unseen = 0
        if feeds:
            unseen = tx.connection.execute(
                adverts.update()
                .where(t.status == "live", t.feed.in_(list(feeds)), t.last_seen < cutoff)
                .values(status="expired")
            ).rowcount
    return int(closed or 0) + int(unseen or 0)


def purge(db: Database, today: date, retention_days: int) -> int:
    """Delete expired adverts last seen more than ``retention_days`` ago (duplicates first)."""
    t = adverts.c
    cutoff = (today - timedelta(days=retention_days)).isoformat()
    with db.transaction() as tx:
        old = sa.select(t.id).where(t.status == "expired", t.last_seen < cutoff)
        tx.connection.execute(
            adverts.update()
            .where(t.duplicate_of.in_(old))
            .values(duplicate_of=None, status="expired")
        )
        gone = tx.connection.execute(
            adverts.delete().where(t.status == "expired", t.last_seen < cutoff)
        ).rowcount
    return int(gone or 0)


def aggregate(db: Database) -> int:
    """Rebuild the weekly counts by SOC × area × week (local authority, region, England) from
    the kept adverts (not duplicates), live or expired. Returns the number of cells."""
    t = adverts.c
    statement = sa.select(
        t.soc2010, t.soc2020, t.area_code, t.area_kind, t.region_code, t.week, t.synthetic
    ).where(t.duplicate_of.is_(None))
    cells: Counter[tuple[str, str, str, str]] = Counter()
    synthetic: set[tuple[str, str, str, str]] = set()
    with db.engine.connect() as conn:
        for s2010, s2020, area, kind, region, week, is_synthetic in conn.execute(statement):
            areas = {ENGLAND.code}
            if region:
                areas.add(region)
            if area and kind == "la":
                areas.add(area)
            for version, code in (("soc2010", s2010), ("soc2020", s2020)):
                if not code:
                    continue
                for where in areas:
                    key = (version, code, where, week)
                    cells[key] += 1
                    if is_synthetic:
                        synthetic.add(key)
    rows = [(*key, n, key in synthetic) for key, n in cells.items()]
    with db.transaction() as tx:
        tx.connection.execute(advert_counts.delete())
        tx.insert_tuples(
            advert_counts,
            ("soc_version", "soc_code", "area_code", "week", "adverts", "synthetic"),
            rows,
        )
    return len(rows)


# -- runs and cursors ------------------------------------------------------------------------


def start_run(db: Database, feed: str, now: str) -> int:
    with db.transaction() as tx:
        result = tx.connection.execute(
            advert_runs.insert(),
            {
                "feed": feed,
                "started_at": now,
                "status": "running",
                "pages": 0,
                "pages_failed": 0,
                "fetched": 0,
                "new": 0,
                "updated": 0,
                "duplicates": 0,
                "rejected": 0,
            },
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]


def finish_run(
    db: Database, run_id: int, counts: RunCounts, status: str, now: str, seconds: float
) -> None:
    with db.transaction() as tx:
        tx.connection.execute(
            advert_runs.update()
            .where(advert_runs.c.id == run_id)
            .values(
                finished_at=now,
                status=status,
                pages=counts.pages,
                pages_failed=counts.pages_failed,
                fetched=counts.fetched,
                new=counts.new,
                updated=counts.updated,
                duplicates=counts.duplicates,
                rejected=counts.rejected,
                seconds=round(seconds, 3),
                errors_json=json.dumps(counts.errors[:50]) if counts.errors else None,
            )
        )


def cursor(db: Database, feed: str) -> str | None:
    found = db.execute("SELECT cursor FROM lmi_advert_feeds WHERE feed = :f", {"f": feed})
    value = found.scalar()
    return str(value) if value is not None else None


def save_cursor(db: Database, feed: str, newest: date, now: str) -> None:
    with db.transaction() as tx:
        old = tx.execute("SELECT cursor FROM lmi_advert_feeds WHERE feed = :f", {"f": feed})
        current = old.scalar()
        value = max(newest.isoformat(), str(current)) if current else newest.isoformat()
        if old.rows:
            tx.connection.execute(
                advert_feeds.update()
                .where(advert_feeds.c.feed == feed)
                .values(cursor=value, updated_at=now)
            )
        else:
            tx.connection.execute(
                advert_feeds.insert(), {"feed": feed, "cursor": value, "updated_at": now}
            )


def recent_runs(db: Database, limit: int = 50) -> list[dict[str, Any]]:
    t = advert_runs.c
    statement = sa.select(advert_runs).order_by(t.id.desc()).limit(limit)
    with db.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(statement)]
    for row in rows:
        row["errors"] = json.loads(row.pop("errors_json") or "[]")
    return rows


def summary(db: Database) -> dict[str, Any]:
    """Adverts by status, runs by feed and status, and each feed's last finished run."""
    by_status = db.execute(
        "SELECT status, count(*) FROM lmi_adverts WHERE duplicate_of IS NULL GROUP BY status"
    ).rows
    duplicates = db.execute(
        "SELECT count(*) FROM lmi_adverts WHERE duplicate_of IS NOT NULL"
    ).scalar()
    runs = db.execute(
        "SELECT feed, status, count(*) FROM lmi_advert_runs GROUP BY feed, status"
    ).rows
    last = db.execute(
        "SELECT feed, max(finished_at) FROM lmi_advert_runs "
        "WHERE finished_at IS NOT NULL GROUP BY feed"
    ).rows
    return {
        "adverts": {str(s): int(n) for s, n in by_status},
        "duplicates": int(duplicates or 0),
        "runs": [(str(f), str(s), int(n)) for f, s, n in runs],
        "last_finished": {str(f): str(t) for f, t in last},
    }


# -- re-coding -------------------------------------------------------------------------------


def to_recode(
    db: Database, release_id: int | None, everything: bool, after: int, size: int
) -> list[tuple[int, str, str | None, tuple[Any, ...]]]:
    """The next ``size`` adverts (by id, after ``after``) to code again: those coded by another
    release than ``release_id`` (or by none), or ``everything``. Each is (id, title, summary,
    its current codes)."""
    t = adverts.c
    statement = (
        sa.select(
            t.id,
            t.title,
            t.summary,
            t.soc2010,
            t.soc2010_score,
            t.soc2010_status,
            t.soc2020,
            t.soc2020_score,
            t.soc2020_status,
        )
        .where(t.id > after)
        .order_by(t.id)
        .limit(size)
    )
    if not everything:
        statement = statement.where(
            sa.or_(t.coded_release.is_(None), t.coded_release != release_id)
            if release_id is not None
            else sa.true()
        )
    with db.engine.connect() as conn:
        return [(int(r[0]), str(r[1]), r[2], tuple(r[3:])) for r in conn.execute(statement)]


def count_to_recode(db: Database, release_id: int | None, everything: bool) -> int:
    t = adverts.c
    statement = sa.select(sa.func.count()).select_from(adverts)
    if not everything and release_id is not None:
        statement = statement.where(
            sa.or_(t.coded_release.is_(None), t.coded_release != release_id)
        )
    with db.engine.connect() as conn:
        return int(conn.execute(statement).scalar_one())


def save_codes(tx: Transaction, rows: Sequence[dict[str, Any]]) -> None:
    """Write new codes (``b_id`` and the code columns) in one executemany."""
    if not rows:
        return
    t = adverts.c
    tx.connection.execute(
        adverts.update()
        .where(t.id == sa.bindparam("b_id"))
        .values(
            soc2010=sa.bindparam("b_2010"),
            soc2010_score=sa.bindparam("b_2010_score"),
            soc2010_status=sa.bindparam("b_2010_status"),
            soc2020=sa.bindparam("b_2020"),
            soc2020_score=sa.bindparam("b_2020_score"),
            soc2020_status=sa.bindparam("b_2020_status"),
            coded_release=sa.bindparam("b_release"),
        ),
        list(rows),
    )
