"""The live lmi of the client tests (tests/client/conftest.py) serves the MCP tests too."""

from tests.client.conftest import fixture_release_db, live, real_live

__all__ = ["fixture_release_db", "live", "real_live"]
