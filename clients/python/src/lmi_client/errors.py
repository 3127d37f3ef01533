"""Errors the client raises: the API's error body, typed, plus pinning failures."""

from __future__ import annotations

from lmi_client.models import ErrorDetail

__all__ = ["APIError", "ReleaseGone", "ReleaseMismatch"]


class APIError(Exception):
    """A 4xx/5xx answer, after any retries: ``{"ok": false, "status", "error", "errors"}``."""

    def __init__(
        self,
        status: int,
        error: str,
        *,
        url: str,
        errors: tuple[ErrorDetail, ...] = (),
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{status} from {url}: {error}")
        self.status = status
        self.error = error
        self.url = url
        self.errors = errors
        self.retry_after = retry_after


class ReleaseGone(APIError):
    """410: the pinned release is no longer retained by the server."""


class ReleaseMismatch(Exception):
    """The answer came from another release than the one pinned.

    Raised rather than returning figures from an unexpected release, e.g. from a server that
    ignores the pin.
    """

    def __init__(self, pinned: int, answered: int | None, url: str) -> None:
        super().__init__(f"pinned release {pinned}, but release {answered} answered {url}")
        self.pinned = pinned
        self.answered = answered
        self.url = url
