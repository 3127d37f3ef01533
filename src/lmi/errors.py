"""Exceptions raised by lmi, in one place.

The data layer never raises HTTP errors; :mod:`lmi.api.envelope` maps these classes to statuses::

    LMIError
    ├── ConfigurationError        a setting is invalid
    ├── InvalidQuery              a request parameter is malformed            → 400
    ├── NotFound                  a code or resource does not exist           → 404
    ├── NotReady                  no production release is loaded             → 503
    ├── StoreError                the database is unusable or inconsistent
    └── ReleaseError              a release operation is not allowed (e.g. promoting a failed build)
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "InvalidQuery",
    "LMIError",
    "NotFound",
    "NotReady",
    "ReleaseError",
    "StoreError",
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


class NotFound(LMIError):
    """The requested code or resource does not exist in the release being served."""


class NotReady(LMIError):
    """No production release is available yet."""


class StoreError(LMIError):
    """The store cannot be used (unreachable, wrong schema, inconsistent)."""


class ReleaseError(LMIError):
    """A release operation is not permitted in the release's current state."""
