"""API usage counts, persisted: each worker adds what it served since its last flush.

Counts live in ``api_usage`` (day, route, status class), so a gap in monitoring loses nothing:
``lmi usage`` and the dashboard read them from the store. They are the deltas of the request
counters the metrics already keep, so the hot path counts each request once.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from lmi.ops.metrics import RequestStats
from lmi.store.database import Database

__all__ = ["UsageFlusher", "usage_summary"]

_UPSERT = (
    "INSERT INTO api_usage (day, route, status_class, requests) "
    "VALUES (:day, :route, :status_class, :requests) "
    "ON CONFLICT (day, route, status_class) "
    "DO UPDATE SET requests = api_usage.requests + excluded.requests"
)


class UsageFlusher:
    def __init__(self, stats: RequestStats) -> None:
        self.stats = stats
        self._flushed: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def flush(self, db: Database) -> int:
        """Add the requests served since the last flush; returns how many were written."""
        with self._lock:
            totals = self.stats.totals()
            deltas = {k: n - self._flushed.get(k, 0) for k, n in totals.items()}
            deltas = {k: n for k, n in deltas.items() if n > 0}
            if not deltas:
                return 0
            day = datetime.now(UTC).date().isoformat()
            with db.transaction() as tx:
                for (route, status_class), n in deltas.items():
                    tx.execute(
                        _UPSERT,
                        {"day": day, "route": route, "status_class": status_class, "requests": n},
                    )
            self._flushed = totals
            return sum(deltas.values())


def usage_summary(db: Database, *, days: int = 30) -> list[dict[str, object]]:
    return db.execute(
        "SELECT day, route, status_class, requests FROM api_usage "
        "ORDER BY day DESC, requests DESC LIMIT :n",
        {"n": days * 200},
    ).dicts()
