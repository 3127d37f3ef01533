"""Which client address lmi believes: the connection's, unless a configured proxy forwarded it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from uvicorn.config import Config

from lmi.cli.main import proxy_options
from lmi.settings import Settings


def _client_seen(settings: Settings, peer: str, forwarded: str) -> str:
    """The client address the app sees under uvicorn configured as `lmi serve` configures it."""
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen["client"] = scope["client"][0]

    config = Config(app, **proxy_options(settings))
    config.load()
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [(b"x-forwarded-for", forwarded.encode())],
        "client": (peer, 50000),
        "scheme": "http",
    }

    async def nothing() -> Any:
        return {}

    asyncio.run(config.loaded_app(scope, nothing, nothing))
    return str(seen["client"])


def test_no_proxy_is_trusted_by_default() -> None:
    """uvicorn alone believes X-Forwarded-For from 127.0.0.1: a local client could reset its
    own rate limit or escape the sign-in lockout by sending the header."""
    settings = Settings.from_env({})
    assert settings.forwarded_allow_ips == ""
    assert _client_seen(settings, "127.0.0.1", "203.0.113.9") == "127.0.0.1"


@pytest.mark.parametrize(
    ("peer", "expected"), [("127.0.0.1", "203.0.113.9"), ("10.0.0.5", "10.0.0.5")]
)
def test_a_configured_proxy_is_believed_and_only_it(peer: str, expected: str) -> None:
    settings = Settings.from_env({"LMI_FORWARDED_ALLOW_IPS": "127.0.0.1"})
    assert _client_seen(settings, peer, "203.0.113.9") == expected
