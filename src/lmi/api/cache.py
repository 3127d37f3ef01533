"""Rendered responses kept per release, within a byte budget."""

from __future__ import annotations

from collections.abc import Hashable

__all__ = ["ResponseCache"]

DEFAULT_BUDGET = 64 * 1024 * 1024


class ResponseCache:
    """Bodies by key until ``max_bytes`` are held; past that, callers simply render again.

    One cache belongs to one release snapshot, so it never serves a body from another release
    and needs no invalidation; the budget bounds memory whatever query strings clients send.
    """

    def __init__(self, max_bytes: int = DEFAULT_BUDGET) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._bodies: dict[Hashable, bytes] = {}

    def get(self, key: Hashable) -> bytes | None:
        return self._bodies.get(key)

    def put(self, key: Hashable, body: bytes) -> None:
        if key in self._bodies or self.bytes + len(body) > self.max_bytes:
            return
        self._bodies[key] = body
        self.bytes += len(body)

    def __len__(self) -> int:
        return len(self._bodies)
