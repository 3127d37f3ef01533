"""``lmi mcp``: serve lmi's read API to AI assistants over MCP (stdio or HTTP)."""

from __future__ import annotations

from typing import cast

import click

__all__ = ["mcp"]

DEFAULT_API = "http://127.0.0.1:8000"


@click.command("mcp")
@click.option(
    "--api",
    "api_url",
    default=DEFAULT_API,
    show_default=True,
    help="The lmi to answer from (any deployment: the tools call its HTTP API).",
)
@click.option(
    "--transport",
    type=click.Choice(["stdio", "http"]),
    default="stdio",
    show_default=True,
    help="stdio for an assistant that starts this command; http for a shared server.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="HTTP transport: address.")
@click.option("--port", type=int, default=8765, show_default=True, help="HTTP transport: port.")
@click.option("--path", default="/mcp", show_default=True, help="HTTP transport: endpoint path.")
@click.option("--release", type=int, help="Pin every answer to this release id.")
@click.option("--api-key", help="An lmi API key, for endpoints that need a scope.")
@click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]),
    default="WARNING",
    show_default=True,
)
def mcp(
    api_url: str,
    transport: str,
    host: str,
    port: int,
    path: str,
    release: int | None,
    api_key: str | None,
    log_level: str,
) -> None:
    """Serve lmi's read API as MCP tools: search and code job titles, occupation profile, pay
    and hours, outlook, skills and related jobs, pathways from a subject."""
    try:
        from lmi.mcp.server import LogLevel, build_server
    except ImportError as exc:  # the optional extra is not installed
        raise click.ClickException(
            f"lmi mcp needs the MCP SDK and lmi-client ({exc.name} is missing): "
            "pip install -e '.[mcp]' -e clients/python"
        ) from None
    level = cast("LogLevel", log_level)  # one of click's choices
    server = build_server(api_url, release=release, api_key=api_key, log_level=level)
    if transport == "stdio":
        server.run("stdio")
    else:
        click.echo(
            f"lmi MCP server on http://{host}:{port}{path} (answers from {api_url})", err=True
        )
        server.run("streamable-http", host=host, port=port, streamable_http_path=path)
