"""HTTP for feeds: a polite client with a rate limit, back-off and ``Retry-After``.

Standard library only (``urllib``): the feeds are plain GETs of JSON, HTML or XML. Secrets (API
keys in the query string or in Basic authentication) never appear in messages: every URL shown
goes through :func:`redact_url`.
"""

from __future__ import annotations

import base64
import email.utils
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lmi import __version__

__all__ = ["FeedError", "Fetcher", "Response", "redact_url"]

#: query parameters whose values are secrets
SECRET_PARAMS = frozenset({"app_key", "app_id", "api_key", "apikey", "key", "token"})
#: the longest wait a ``Retry-After`` may ask for before the page counts as failed (seconds)
MAX_RETRY_AFTER = 300.0
USER_AGENT = f"lmi/{__version__} (+https://github.com/lmi; job-advert ingest)"


class FeedError(Exception):
    """A page could not be fetched or read (the pull reports it and goes on)."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: Mapping[str, str]


def redact_url(url: str) -> str:
    """``…?app_id=1&app_key=secret`` → ``…?app_id=***&app_key=***``."""
    parts = urllib.parse.urlsplit(url)
    query = [
        (k, "***" if k.lower() in SECRET_PARAMS else v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    ]
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit(
        (parts.scheme, netloc, parts.path, urllib.parse.urlencode(query, safe="*"), "")
    )


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number, or an HTTP date."""
    if not value:
        return None
    raw = value.strip()
    if raw.isdigit():
        return float(raw)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


@dataclass
class Fetcher:
    """GETs with at most ``per_second`` requests a second and retries with back-off.

    429 and 503 wait for ``Retry-After`` (else exponential back-off from ``backoff`` seconds);
    other 5xx and network errors back off; 4xx fail at once. ``sleep`` and ``clock`` are
    injectable so tests run without waiting.
    """

    per_second: float = 2.0
    attempts: int = 4
    backoff: float = 1.0
    timeout: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    waits: list[float] = field(default_factory=list)  # every wait, for reports and tests
    requests: int = 0
    _last: float | None = None

    def get(
        self,
        url: str,
        *,
        auth: tuple[str, str] | None = None,
        accept: str = "application/json",
    ) -> Response:
        headers = {"User-Agent": USER_AGENT, "Accept": accept}
        if auth is not None:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        last_problem, pause = "", self.backoff
        for attempt in range(self.attempts):
            if attempt:
                self._wait(pause)
            pause = self.backoff * 2**attempt
            self._pace()
            try:
                response = self._once(url, headers)
            except FeedError as exc:
                last_problem = str(exc)
                continue
            if response.status == 200:
                return response
            last_problem = f"HTTP {response.status}"
            if response.status in (429, 503):
                asked = retry_after(response.headers.get("retry-after"), time.time())
                if asked is not None and asked > MAX_RETRY_AFTER:
                    raise FeedError(
                        f"{redact_url(url)}: HTTP {response.status}, Retry-After {asked:.0f} s "
                        f"is more than {MAX_RETRY_AFTER:.0f} s"
                    )
                pause = asked if asked is not None else pause
                continue
            if response.status >= 500:
                continue
            raise FeedError(f"{redact_url(url)}: HTTP {response.status}")
        raise FeedError(f"{redact_url(url)}: {last_problem} after {self.attempts} attempts")

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        self.requests += 1
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return Response(answer.status, answer.read(), _lower(answer.headers))
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.read() or b"", _lower(exc.headers))
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FeedError(f"{redact_url(url)}: {reason}") from None

    def _pace(self) -> None:
        if self.per_second <= 0:
            return
        now = self.clock()
        if self._last is not None:
            gap = 1.0 / self.per_second - (now - self._last)
            if gap > 0:
                self._wait(gap)
                now = self.clock()
        self._last = now

    def _wait(self, seconds: float) -> None:
        self.waits.append(round(seconds, 3))
        if seconds > 0:
            self.sleep(seconds)


def _lower(headers: object) -> dict[str, str]:
    items = headers.items() if hasattr(headers, "items") else []
    return {str(k).lower(): str(v) for k, v in items}


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
