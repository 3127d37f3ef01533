"""The HTTP API: native ``/v1`` and the LMI-for-All-compatible ``/api/v1``."""
