"""``lmi vacancies``: pull live job adverts from the configured feeds, and look at the runs."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime

import click

from lmi.errors import ConfigurationError, Locked
from lmi.settings import Settings
from lmi.store import Database, migrate

__all__ = ["vacancies"]

_EVERY = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """``"1h"``, ``"30m"``, ``"90s"``, ``"1d"`` → seconds (at least 60)."""
    match = _EVERY.fullmatch(text.strip().lower())
    if match is None:
        raise click.BadParameter("give a number and a unit: 30m, 1h, 1d", param_hint="--every")
    seconds = float(match.group(1)) * _UNIT[match.group(2)]
    if seconds < 60:
        raise click.BadParameter("at least 60 seconds between pulls", param_hint="--every")
    return seconds


def _store(settings: Settings) -> Database:
    db = Database(settings.effective_database_url)
    migrate(db)
    return db


@click.group()
def vacancies() -> None:
    """Live job adverts: pull from feeds, see runs (docs/vacancies.md)."""


@vacancies.command("pull")
@click.option(
    "--feed",
    "feeds",
    multiple=True,
    help="Only this feed (repeatable): adzuna, reed, jobposting, files, synthetic.",
)
@click.option(
    "--every", default=None, help="Pull again at this interval (30m, 1h, …) until stopped."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@click.pass_obj
def pull(
    settings: Settings, feeds: tuple[str, ...], every: str | None, as_json: bool, quiet: bool
) -> None:
    """Pull adverts from the configured feeds: code, place, de-duplicate, count.

    Exits 1 when a feed failed or was partly read (the runs record why) or none is configured.
    """
    from lmi.vacancies.config import configured_feeds
    from lmi.vacancies.pipeline import open_pipeline

    interval = parse_every(every) if every else None
    db = _store(settings)
    found = configured_feeds(settings, feeds)
    if not found:
        raise ConfigurationError(
            "no feed is configured: set LMI_VACANCIES_* (docs/vacancies.md) or use "
            "--feed synthetic for the labelled demo feed"
        )
    pipeline = open_pipeline(db, settings)
    if pipeline.coder.release_id is None:
        click.secho(
            "warning: no release in production: adverts are stored uncoded", fg="yellow", err=True
        )
    while True:
        progress = None if quiet or as_json else (lambda line: click.echo(line, err=True))
        try:
            result = pipeline.pull(found, progress)
        except Locked as exc:
            if interval is None:
                raise
            click.secho(f"skipped: {exc}", fg="yellow", err=True)  # try again next time
        else:
            _report(result.as_dict(), as_json)
            if interval is None:
                if not result.ok:
                    raise SystemExit(1)
                return
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        click.echo(f"{stamp}: next pull in {interval:.0f} s (Ctrl-C stops)", err=True)
        try:
            time.sleep(interval)
        except KeyboardInterrupt:
            return


def _report(result: dict[str, object], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        _print_summary(result)


def _print_summary(result: dict[str, object]) -> None:
    feeds = result["feeds"]
    assert isinstance(feeds, list)
    for feed in feeds:
        colour = {"ok": "green", "partial": "yellow"}.get(feed["status"], "red")
        click.secho(
            f"{feed['feed']}: {feed['status']} — {feed['fetched']} fetched, {feed['new']} new, "
            f"{feed['updated']} updated, {feed['duplicates']} duplicates, {feed['rejected']} "
            f"rejected; {feed['pages']} pages ({feed['pages_failed']} failed) in "
            f"{feed['seconds']} s",
            fg=colour,
        )
        for error in feed["errors"][:5]:
            click.echo(f"  {error}")
    click.echo(
        f"expired {result['expired']}, deleted {result['purged']}, "
        f"{result['count_cells']} weekly count cells"
    )


@vacancies.command("recode")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Every stored advert, not only those another release coded.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@click.pass_obj
def recode_command(settings: Settings, everything: bool, as_json: bool, quiet: bool) -> None:
    """Code stored adverts again with the production release's coders.

    By default the adverts another release (or none) coded; --all for every one (after the
    coder changed within a release). Progress on stderr, a summary on stdout; the weekly
    counts are rebuilt and API workers re-read the adverts.
    """
    from lmi.vacancies.pipeline import open_pipeline, recode

    db = _store(settings)
    pipeline = open_pipeline(db, settings)
    progress = None if quiet or as_json else (lambda line: click.echo(line, err=True))
    result = recode(pipeline, everything=everything, progress=progress)
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
        return
    click.echo(
        f"release {result.release_id}: {result.examined} adverts coded again, "
        f"{result.changed} changed, {result.examined - result.changed} unchanged "
        f"in {result.seconds:.1f} s"
    )
    for version, moved in result.moved.items():
        found = sorted(result.statuses[version].items())
        statuses = ", ".join(f"{n} {status}" for status, n in found) or "none"
        click.echo(f"  {version}: {moved} codes moved; now {statuses}")
    click.echo(f"{result.cells} weekly count cells")


@vacancies.command("runs")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def runs(settings: Settings, limit: int, as_json: bool) -> None:
    """Recent pull runs per feed, newest first, with their failures."""
    from lmi.vacancies.store import recent_runs

    rows = recent_runs(_store(settings), limit)
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    for row in rows:
        click.echo(
            f"#{row['id']} {row['feed']} {row['status']} {row['started_at']} "
            f"fetched {row['fetched']} new {row['new']} dup {row['duplicates']} "
            f"pages failed {row['pages_failed']}"
        )
        for error in row["errors"][:3]:
            click.echo(f"    {error}")


@vacancies.command("feeds")
@click.pass_obj
def feeds_command(settings: Settings) -> None:
    """The feeds the settings configure (no secrets shown)."""
    from lmi.vacancies.config import describe_feeds

    found = describe_feeds(settings)
    if not found:
        click.echo("no feed configured (see docs/vacancies.md); `--feed synthetic` for the demo")
    for feed in found:
        click.echo(f"{feed['feed']}: {feed['source']}")
