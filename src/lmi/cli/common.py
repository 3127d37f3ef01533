"""What every command needs: the store of the settings, the one-red-line failure, who is acting."""

from __future__ import annotations

import os

import click

from lmi.cli.hints import hint
from lmi.settings import Settings
from lmi.store import Database, migrate

__all__ = ["fail", "open_store", "who"]


def open_store(settings: Settings) -> Database:
    db = Database(settings.effective_database_url)
    migrate(db)
    return db


def fail(message: str) -> None:
    click.secho(f"error: {hint(message)}", fg="red", err=True)
    raise SystemExit(1)


def who() -> str:
    """The operator's name for run logs: the login name, else ``lmi``."""
    return os.environ.get("USER") or os.environ.get("LOGNAME") or "lmi"
