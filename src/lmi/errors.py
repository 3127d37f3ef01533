"""Exceptions raised by lmi, in one place.

The data layer never raises HTTP errors; :mod:`lmi.api.envelope` maps these classes to statuses::

    LMIError
    ├── ConfigurationError        a setting is invalid
    ├── InvalidQuery              a request parameter is malformed            → 400
    ├── Unauthorized              an API key is needed                        → 401
    ├── Forbidden                 the API key lacks the scope needed          → 403
    ├── NotFound                  a code or resource does not exist           → 404
    ├── Gone                      a pinned release is no longer retained      → 410
    ├── NotReady                  no production release is loaded             → 503
    ├── Busy                      a bounded work queue is full (Retry-After)  → 503
    ├── StoreError                the database is unusable or inconsistent
    ├── ReleaseError              a release operation is not allowed (e.g. promoting a failed build)
    └── Locked                    another data operation is running (it holds the lock)
"""

from __future__ import annotations

__all__ = [
    "Busy",
    "ConfigurationError",
    "Forbidden",
    "Gone",
    "InvalidQuery",
    "Locked",
    "LMIError",
    "NotFound",
    "NotReady",
    "ReleaseError",
    "StoreError",
    "Unauthorized",
]


class LMIError(Exception):
    """Base of every lmi error."""


class ConfigurationError(LMIError):
    """A setting has an invalid value."""


class InvalidQuery(LMIError):
    """A request parameter is malformed or out of range."""

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


class Unauthorized(LMIError):
    """The endpoint needs an API key and none (or an unknown one) was given."""


class Forbidden(LMIError):
    """The API key given does not carry the scope the endpoint needs."""


class NotFound(LMIError):
    """The requested code or resource does not exist in the release being served."""


class Gone(LMIError):
    """A pinned release was published but is no longer retained for serving: the client must
    move to a release that is (``/v1/releases``)."""


class NotReady(LMIError):
    """No production release is available yet."""


class Busy(LMIError):
    """A bounded work queue (the job-title coder's) is full: try again after ``retry_after``
    seconds rather than wait in an unbounded line."""

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StoreError(LMIError):
    """The store cannot be used (unreachable, wrong schema, inconsistent)."""


class ReleaseError(LMIError):
    """A release operation is not permitted in the release's current state."""


class Locked(LMIError):
    """Another data operation (build, promotion, …) holds the lock; this one is refused."""
