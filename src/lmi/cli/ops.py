"""``lmi doctor``, ``lmi keys`` and ``lmi usage``: operating a running installation."""

from __future__ import annotations

import json

import click

from lmi.errors import LMIError
from lmi.ops import doctor as checks
from lmi.ops.keys import create_key, list_keys, revoke_key
from lmi.ops.usage import usage_summary
from lmi.settings import Settings
from lmi.store import Database, migrate

__all__ = ["doctor", "keys", "settings_command", "usage"]

COLOURS = {"ok": "green", "warning": "yellow", "error": "red"}


def _store(settings: Settings) -> Database:
    db = Database(settings.effective_database_url)
    if db.ping():
        migrate(db)
    return db


@click.command()
@click.option(
    "--url",
    multiple=True,
    help="A server to check: /readyz, and the TLS certificate for https URLs (repeatable).",
)
@click.option(
    "--ca-file",
    type=click.Path(exists=True, dir_okay=False),
    help="Trust this CA bundle for the certificate check (default: the system's).",
)
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON.")
@click.pass_obj
def doctor(settings: Settings, url: tuple[str, ...], ca_file: str | None, as_json: bool) -> None:
    """Check the database, the production release, disk space and servers' certificates."""
    db = _store(settings)
    findings = [
        checks.check_database(db),
        checks.check_release(db),
        checks.check_disk(settings.data_dir),
    ]
    for target in url:
        findings.append(checks.check_url(target, cafile=ca_file))
        if target.startswith("https"):
            findings.append(checks.check_certificate(target, cafile=ca_file))
    if as_json:
        click.echo(json.dumps([f.__dict__ for f in findings], indent=2))
    else:
        for f in findings:
            click.secho(f"{f.level.upper():8}", fg=COLOURS[f.level], nl=False)
            click.echo(f" {f.check:12} {f.message}")
    if any(f.level == "error" for f in findings):
        raise SystemExit(1)


@click.command("settings")
@click.option("--markdown", is_flag=True, help="Print the settings reference (docs/settings.md).")
@click.pass_obj
def settings_command(settings: Settings, markdown: bool) -> None:
    """The effective settings (secrets masked), or their reference as Markdown."""
    if markdown:
        click.echo(Settings.markdown(), nl=False)
        return
    for name, value in sorted(vars(settings).items()):
        shown = "***" if "url" in name and value and "@" in str(value) else value
        click.echo(f"LMI_{name.upper():28} {shown}")


@click.group()
def keys() -> None:
    """Create, list and revoke API keys (stored hashed; shown once)."""


@keys.command("create")
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    help="A scope the key carries, e.g. pay:md for the median/decile pay endpoint.",
)
@click.option("--rate", type=int, help="Requests per minute for this key (default: the setting).")
@click.pass_obj
def keys_create(settings: Settings, name: str, scopes: tuple[str, ...], rate: int | None) -> None:
    key_id, key = create_key(_store(settings), name, scopes=scopes, rate_per_minute=rate)
    click.echo(f"key {key_id} for {name!r}: {key}")
    click.secho("Store it now: it is not shown again.", fg="yellow", err=True)


@keys.command("list")
@click.pass_obj
def keys_list(settings: Settings) -> None:
    for row in list_keys(_store(settings)):
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        click.echo(
            f"{row['id']:>4}  {row['prefix']}…  {row['name']:24} scopes: "
            f"{row['scopes'] or '-':16} rate: {row['rate_per_minute'] or 'default':>8}  "
            f"{state}"
        )


@keys.command("revoke")
@click.argument("key_id", type=int)
@click.pass_obj
def keys_revoke(settings: Settings, key_id: int) -> None:
    try:
        revoke_key(_store(settings), key_id)
    except LMIError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        raise SystemExit(1) from exc
    click.echo(f"key {key_id} revoked (servers stop accepting it within seconds)")


@click.command()
@click.option("--days", type=int, default=7, show_default=True)
@click.pass_obj
def usage(settings: Settings, days: int) -> None:
    """Requests served per day, route and status class (persisted by every worker)."""
    for row in usage_summary(_store(settings), days=days):
        click.echo(f"{row['day']}  {row['route']:32} {row['status_class']}  {row['requests']:>10,}")
