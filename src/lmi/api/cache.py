"""Rendered responses kept per release, within a byte budget, with their ETag and gzip form."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Hashable
from dataclasses import dataclass, field

__all__ = ["Entry", "ResponseCache"]

DEFAULT_BUDGET = 64 * 1024 * 1024
GZIP_MINIMUM = 1000


@dataclass(slots=True)
class Entry:
    body: bytes
    etag: bytes
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)  # e.g. per-body methods
    gzipped: bytes | None = None
    kept: bool = False  # held by a cache (so its gzip form may be kept too)


def make_entry(
    release_id: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None
) -> Entry:
    """An ETag names the release and the body, so it changes exactly when the answer does."""
    return Entry(body, f'"r{release_id}-{zlib.crc32(body):08x}"'.encode(), headers or [])


class ResponseCache:
    """Entries by key until ``max_bytes`` are held; past that, callers simply render again.

    One cache belongs to one release snapshot, so it never serves a body from another release
    and needs no invalidation; the budget bounds memory whatever query strings clients send.
    """

    def __init__(self, max_bytes: int = DEFAULT_BUDGET) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: dict[Hashable, Entry] = {}

    def get(self, key: Hashable) -> Entry | None:
        return self._entries.get(key)

    def put(self, key: Hashable, entry: Entry) -> None:
        if key in self._entries or self.bytes + len(entry.body) > self.max_bytes:
            return
        self._entries[key] = entry
        entry.kept = True
        self.bytes += len(entry.body)

    def gzipped(self, entry: Entry) -> bytes | None:
        """The gzip form of a large enough body (None for small bodies).

        Kept with the entry when the entry is cached and the budget allows, so each body is
        compressed once per release; otherwise compressed for this response only.
        """
        if len(entry.body) < GZIP_MINIMUM:
            return None
        if entry.gzipped is not None:
            return entry.gzipped
        compressed = gzip.compress(entry.body, compresslevel=6, mtime=0)
        if entry.kept and self.bytes + len(compressed) <= self.max_bytes:
            entry.gzipped = compressed
            self.bytes += len(compressed)
        return compressed

    def __len__(self) -> int:
        return len(self._entries)
