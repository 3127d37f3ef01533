"""``lmi mcp``: lmi's read API as tools for AI assistants (Model Context Protocol).

The server talks to lmi over HTTP through lmi-client, so it works against any lmi deployment;
see :mod:`lmi.mcp.server`.
"""

from lmi.mcp.server import build_server

__all__ = ["build_server"]
