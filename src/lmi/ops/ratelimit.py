"""Token-bucket rate limits per API key or client address, kept in each worker's memory.

A client may burst up to its per-minute allowance and then sustains that rate. Limits are per
worker process: with N workers the server-wide allowance is at most N times the setting.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

__all__ = ["RateLimiter"]

MAX_CLIENTS = 100_000


@dataclass(slots=True)
class Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, clock: object = time.monotonic) -> None:
        self._buckets: dict[str, Bucket] = {}
        self._clock = clock

    def acquire(self, client: str, per_minute: int) -> float:
        """Take one request; returns 0 when allowed, else the seconds to wait (Retry-After)."""
        if per_minute <= 0:
            return 0.0
        now: float = self._clock()  # type: ignore[operator]
        rate = per_minute / 60.0
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= MAX_CLIENTS:
                self._forget_full_buckets(now, rate)
            bucket = self._buckets[client] = Bucket(float(per_minute), now)
        else:
            bucket.tokens = min(float(per_minute), bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return max(1.0, math.ceil((1.0 - bucket.tokens) / rate))

    def _forget_full_buckets(self, now: float, rate: float) -> None:
        """Bound memory: drop clients idle long enough to have refilled."""
        idle = 60.0
        self._buckets = {c: b for c, b in self._buckets.items() if now - b.updated < idle}
