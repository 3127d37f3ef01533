"""lmi-client: a thin typed client for the lmi UK labour-market information API."""

from lmi_client.client import LMI, PIN_HEADER, AsyncLMI, RetryPolicy
from lmi_client.errors import APIError, ReleaseGone, ReleaseMismatch
from lmi_client.models import Answer, ErrorDetail, Meta, Provenance, Release

__all__ = [
    "PIN_HEADER",
    "LMI",
    "APIError",
    "Answer",
    "AsyncLMI",
    "ErrorDetail",
    "Meta",
    "Provenance",
    "Release",
    "ReleaseGone",
    "ReleaseMismatch",
    "RetryPolicy",
]

__version__ = "0.1.0"
