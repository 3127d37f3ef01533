"""``lmi admin``: the admin dashboard's users (bootstrap the first one with ``create-user``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from lmi.admin import auth
from lmi.errors import LMIError
from lmi.settings import Settings
from lmi.store import Database, migrate
from lmi.store.releases import utc_now

__all__ = ["admin"]

ROLE = click.Choice(auth.ROLES)


def _store(settings: Settings) -> Database:
    db = Database(settings.effective_database_url)
    migrate(db)
    return db


def _password(stdin: bool) -> str:
    if stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


def _run(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except LMIError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        raise SystemExit(1) from exc


@click.group()
def admin() -> None:
    """Users of the admin dashboard (/admin): roles viewer, loader and admin."""


@admin.command("create-user")
@click.argument("username")
@click.option("--role", type=ROLE, default="viewer", show_default=True, help="What they may do.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@click.pass_obj
def create_user(settings: Settings, username: str, role: str, password_stdin: bool) -> None:
    """Create a dashboard user (the password is asked for, and stored scrypt-hashed)."""
    password = _password(password_stdin)
    user_id = _run(lambda: auth.create_user(_store(settings), username, password, role))
    click.secho(
        f"user {username!r} created (id {user_id}, role {role}: {auth.ROLE_HELP[role]}); "
        "sign in at /admin/login",
        fg="green",
    )


@admin.command("set-password")
@click.argument("username")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@click.pass_obj
def set_password(settings: Settings, username: str, password_stdin: bool) -> None:
    """Give a user a new password; unlocks the account and signs out its sessions."""
    password = _password(password_stdin)
    _run(lambda: auth.set_password(_store(settings), username, password))
    click.secho(f"password of {username!r} changed; their sessions are signed out", fg="green")


@admin.command("set-role")
@click.argument("username")
@click.argument("role", type=ROLE)
@click.pass_obj
def set_role(settings: Settings, username: str, role: str) -> None:
    """Change what a user may do."""
    _run(lambda: auth.set_role(_store(settings), username, role))
    click.secho(f"{username!r} is now {role}: {auth.ROLE_HELP[role]}", fg="green")


@admin.command("disable-user")
@click.argument("username")
@click.pass_obj
def disable_user(settings: Settings, username: str) -> None:
    """Stop a user signing in (their sessions end at once)."""
    _run(lambda: auth.set_disabled(_store(settings), username, True))
    click.secho(f"{username!r} is disabled", fg="yellow")


@admin.command("enable-user")
@click.argument("username")
@click.pass_obj
def enable_user(settings: Settings, username: str) -> None:
    """Let a disabled user sign in again."""
    _run(lambda: auth.set_disabled(_store(settings), username, False))
    click.secho(f"{username!r} is enabled", fg="green")


@admin.command("list-users")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def list_users(settings: Settings, as_json: bool) -> None:
    """Dashboard users, their roles and state."""
    users = auth.list_users(_store(settings))
    if as_json:
        click.echo(json.dumps(users, indent=2))
        return
    if not users:
        click.echo("no dashboard users yet: lmi admin create-user NAME --role admin")
    for u in users:
        if u["disabled_at"]:
            state = f"disabled {u['disabled_at']}"
        elif u["locked_until"] and str(u["locked_until"]) > utc_now():
            state = f"locked until {u['locked_until']}"
        else:
            state = "active"
        click.echo(
            f"{u['username']:24} {u['role']:7} {state:36} last sign-in "
            f"{u['last_login_at'] or 'never'}"
        )
