"""Rendered responses kept per release, within a byte budget, with ETag and compressed forms.

A cached answer is also reachable by its exact request target (path and query string) as a
:class:`Shortcut`, so the request edge can answer a repeated GET before routing, exactly as the
endpoint would: same body, ETag/304, br/gzip and headers. Only unrestricted endpoints register
shortcuts; every request still passes the edge's key, size and rate-limit checks first.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import brotli

__all__ = [
    "COMPRESSORS",
    "Answer",
    "Entry",
    "ResponseCache",
    "Shortcut",
    "accepted_coding",
    "make_shortcut",
]

DEFAULT_BUDGET = 64 * 1024 * 1024
#: request targets remembered per release (a key is a path and query of a few dozen bytes)
MAX_SHORTCUTS = 65_536
#: bytes a shortcut holds besides its target: key tuple, dict slot, object and header lists
SHORTCUT_OVERHEAD = 512
CACHE_CONTROL = (b"cache-control", b"public, max-age=60")
#: answers differ by coding, and by the release a request pins with the X-LMI-Release header
VARY = (b"vary", b"accept-encoding, x-lmi-release")
JSON = b"application/json"
COMPRESS_MINIMUM = 1000
#: content codings offered, best first; brotli at quality 5 is smaller than gzip -6 and as fast
COMPRESSORS: dict[bytes, Callable[[bytes], bytes]] = {
    b"br": lambda body: brotli.compress(body, quality=5),
    b"gzip": lambda body: gzip.compress(body, compresslevel=6, mtime=0),
}


@dataclass(slots=True)
class Entry:
    body: bytes
    etag: bytes
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)  # e.g. per-body methods
    #: compressed forms by content coding (b"br", b"gzip"), made on first request
    encoded: dict[bytes, bytes] = field(default_factory=dict)
    kept: bool = False  # held by a cache (so its compressed forms may be kept too)


#: status, body and complete raw headers, ready to send
Answer = tuple[int, bytes, list[tuple[bytes, bytes]]]


@dataclass(slots=True, frozen=True)
class Shortcut:
    """A cached entry as one endpoint answers it: kept by request target for the edge."""

    endpoint: Callable[..., object] | None  # the handler, named in metrics and usage
    entry: Entry
    headers: list[tuple[bytes, bytes]]  # etag, cache-control, vary and the endpoint's own
    plain: list[tuple[bytes, bytes]]  # all headers of the uncompressed 200, made once


def make_shortcut(
    endpoint: Callable[..., object] | None, entry: Entry, extra: list[tuple[bytes, bytes]]
) -> Shortcut:
    headers = [(b"etag", entry.etag), CACHE_CONTROL, VARY, *entry.headers, *extra]
    return Shortcut(endpoint, entry, headers, _json_headers(entry.body, headers))


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
        self._shortcuts: dict[tuple[str, bytes], Shortcut] = {}

    def get(self, key: Hashable) -> Entry | None:
        return self._entries.get(key)

    def put(self, key: Hashable, entry: Entry) -> None:
        if key in self._entries or self.bytes + len(entry.body) > self.max_bytes:
            return
        self._entries[key] = entry
        entry.kept = True
        self.bytes += len(entry.body)

    def encoded(self, entry: Entry, coding: bytes) -> bytes | None:
        """The body compressed with ``coding`` (``br`` or ``gzip``); None for small bodies.

        Kept with the entry when the entry is cached and the budget allows, so each body is
        compressed once per release and coding; otherwise compressed for this response only.
        """
        if len(entry.body) < COMPRESS_MINIMUM:
            return None
        found = entry.encoded.get(coding)
        if found is not None:
            return found
        compressed = COMPRESSORS[coding](entry.body)
        if entry.kept and self.bytes + len(compressed) <= self.max_bytes:
            entry.encoded[coding] = compressed
            self.bytes += len(compressed)
        return compressed

    def answer(
        self, found: Shortcut, if_none_match: bytes | None, accept_encoding: bytes | None
    ) -> Answer:
        """304 when ``If-None-Match`` names the entry, else its body, compressed if accepted."""
        entry = found.entry
        if if_none_match is not None and (
            if_none_match.strip() == b"*" or entry.etag in if_none_match.replace(b"W/", b"")
        ):
            return 304, b"", found.headers
        coding = accepted_coding(accept_encoding) if accept_encoding else None
        if coding is not None and (compressed := self.encoded(entry, coding)) is not None:
            encoded_headers = [(b"content-encoding", coding), *found.headers]
            return 200, compressed, _json_headers(compressed, encoded_headers)
        return 200, entry.body, found.plain

    def shortcut(self, path: str, query: bytes) -> Shortcut | None:
        return self._shortcuts.get((path, query))

    def add_shortcut(self, path: str, query: bytes, shortcut: Shortcut) -> None:
        """Remember ``shortcut`` for this target while its entry is cached and room remains.

        Targets count against the byte budget too, so query strings a client varies at will
        (``?q=nurse&junk=1``, ``&junk=2`` … answered from one entry) cannot grow memory past it.
        """
        key = (path, query)
        cost = len(path) + len(query) + SHORTCUT_OVERHEAD
        if (
            shortcut.entry.kept
            and key not in self._shortcuts
            and len(self._shortcuts) < MAX_SHORTCUTS
            and self.bytes + cost <= self.max_bytes
        ):
            self._shortcuts[key] = shortcut
            self.bytes += cost

    def __len__(self) -> int:
        return len(self._entries)


def _json_headers(body: bytes, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(b"content-type", JSON), (b"content-length", str(len(body)).encode()), *headers]


def accepted_coding(header: bytes) -> bytes | None:
    """The best coding of :data:`COMPRESSORS` an ``Accept-Encoding`` value accepts (q > 0)."""
    accepted: set[bytes] = set()
    for part in header.split(b","):
        name, _, params = part.partition(b";")
        name = name.strip().lower()
        quality = params.strip().lower()
        if quality.startswith(b"q=") and quality[2:].strip() in {b"0", b"0.0", b"0.00", b"0.000"}:
            continue
        accepted.add(name)
    for coding in COMPRESSORS:
        if coding in accepted or b"*" in accepted:
            return coding
    return None
