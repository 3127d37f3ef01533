"""``lmi data check|diff|runs|backup|restore``: data operations, registered on ``lmi data``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from lmi.checks import Problem
from lmi.cli.common import fail, open_store, who
from lmi.cli.hints import hint
from lmi.datasets import registry
from lmi.errors import LMIError
from lmi.etl.check import CheckReport, check_files
from lmi.etl.diff import ReleaseDiff, diff_releases
from lmi.etl.ops import backup_now, restore_now
from lmi.etl.runs import OpsConfig, list_runs
from lmi.settings import Settings
from lmi.store import ReleaseStore

__all__ = ["print_check_report", "print_diff"]


def _echo_err(line: str) -> None:
    click.echo(line, err=True)


def _problem_line(problem: Problem) -> None:
    click.secho(f"    {problem.render()}", fg="red" if problem.severity == "error" else "yellow")


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--source",
    type=click.Path(path_type=Path, file_okay=False),
    help="Source directory the files belong to, and where the dataset's other files are "
    "(default: LMI_SOURCE_DIR).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def data_check(
    settings: Settings, files: tuple[Path, ...], source: Path | None, as_json: bool
) -> None:
    """Run a build's checks on FILES without loading anything (exit 1 on any error)."""
    source_dir = source or settings.source_dir
    report = check_files(list(files), registry.DATASETS, source_dir)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        print_check_report(report)
    if not report.ok:
        raise SystemExit(1)


def print_check_report(report: CheckReport) -> None:
    for check in report.files:
        what = f"{check.dataset}: {check.source_path}" if check.dataset else "unknown file"
        colour = "red" if check.errors else "yellow" if check.warnings else "green"
        click.secho(f"{check.path} ({what})", bold=True)
        click.secho(
            f"    {check.rows_read:,} rows, {check.errors} errors, {check.warnings} warnings",
            fg=colour,
        )
        for problem in check.problems:
            _problem_line(problem)
    verdict = "REJECTED" if not report.ok else "OK"
    click.secho(
        f"\n{verdict}: {len(report.files)} files, {report.errors} errors, "
        f"{report.warnings} warnings",
        fg="red" if not report.ok else "green",
    )


@click.command("diff")
@click.argument("old", type=int, required=False)
@click.argument("new", type=int, required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
@click.pass_obj
def data_diff(settings: Settings, old: int | None, new: int | None, as_json: bool) -> None:
    """What would change from release OLD to NEW (default: production → newest test release)."""
    db = open_store(settings)
    store = ReleaseStore(db)
    if new is None:
        tests = [r for r in store.all_releases() if r.status == "test"]
        if old is not None:
            old, new = store.production_id(), old  # one argument: production → that release
        elif tests:
            new = tests[0].id
    if old is None:
        old = store.production_id()
    if old is None or new is None:
        fail("nothing to compare: give two release ids (see `lmi data releases`)")
    assert old is not None and new is not None
    for release_id in (old, new):
        if store.get(release_id) is None:
            fail(f"release {release_id} does not exist")
    diff = diff_releases(db, old, new)
    if as_json:
        click.echo(json.dumps(diff.as_dict(), indent=2, default=str))
    else:
        print_diff(diff)


def print_diff(diff: ReleaseDiff) -> None:
    click.secho(f"release {diff.old} → release {diff.new}", bold=True)
    click.echo(
        f"{'table':32} {'old rows':>9} {'new rows':>9} {'added':>7} {'removed':>7} {'changed':>7}"
    )
    for t in diff.tables:
        click.secho(
            f"{t.table:32} {t.rows_old:>9,} {t.rows_new:>9,} {t.added:>7,} {t.removed:>7,} "
            f"{t.changed:>7,}",
            fg=None if t.unchanged else "yellow",
        )
        if t.added_keys:
            click.echo(
                f"    new: {', '.join(t.added_keys)}{' …' if t.added > len(t.added_keys) else ''}"
            )
        if t.removed_keys:
            click.echo(
                f"    removed: {', '.join(t.removed_keys)}"
                f"{' …' if t.removed > len(t.removed_keys) else ''}"
            )
        if t.changed_columns:
            columns = ", ".join(f"{c} ({n:,})" for c, n in t.changed_columns.items())
            click.echo(f"    changed columns: {columns}")
    largest = diff.largest()
    if largest:
        click.secho("largest numeric changes:", bold=True)
        for c in largest:
            pct = c.as_dict()["percent"]
            click.echo(
                f"    {c.table} {c.key} {c.column}: {c.old} → {c.new} "
                f"({'new' if pct is None else f'{pct:+.1f}%'})"
            )
    if all(t.unchanged for t in diff.tables):
        click.secho("no differences", fg="green")


@click.command("runs")
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def data_runs(settings: Settings, limit: int, as_json: bool) -> None:
    """The run log: builds, promotions, rollbacks, backups and restores, newest first."""
    found = list_runs(open_store(settings), limit)
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    colours = {"succeeded": "green", "running": "cyan", "refused": "yellow"}
    for run in found:
        seconds = f"{run['seconds']:.1f}s" if run["seconds"] is not None else "…"
        click.secho(
            f"{run['id']:>5} {run['kind']:8} {run['status']:9}",
            fg=colours.get(run["status"], "red"),
            nl=False,
        )
        release = f"release {run['release_id']}" if run["release_id"] else ""
        click.echo(
            f" {run['started_at']} {seconds:>8} {run['by']:12} {release:12} "
            f"{run['message'] or run['progress'] or run['detail'] or ''}"
        )


@click.command("backup")
@click.option("--release", "release_id", type=int, help="Release to back up (default: production).")
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write (default: DATA_DIR/backups/lmi-release-ID-TIME.jsonl.gz).",
)
@click.pass_obj
def data_backup(settings: Settings, release_id: int | None, output: Path | None) -> None:
    """Back up a release to a portable, checksummed gzip JSON-lines file."""
    try:
        written = backup_now(
            open_store(settings),
            by=who(),
            release_id=release_id,
            output=output,
            folder=settings.data_dir / "backups",
            ops=OpsConfig.from_settings(settings),
            echo=_echo_err,
        )
    except LMIError as exc:
        fail(str(exc))
        return
    click.secho(
        f"release {written['release_id']} backed up to {written['path']}: {written['rows']:,} "
        f"rows, sha256 {written['sha256']}",
        fg="green",
    )


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--promote", is_flag=True, help="Promote the restored release to production.")
@click.pass_obj
def data_restore(settings: Settings, file: Path, promote: bool) -> None:
    """Verify a backup's checksum and restore it as a new test release."""
    try:
        release = restore_now(
            open_store(settings),
            file,
            by=who(),
            promote=promote,
            ops=OpsConfig.from_settings(settings),
            echo=_echo_err,
        )
    except LMIError as exc:
        fail(str(exc))
        return
    if release.status == "production":
        click.secho(f"restored as release {release.id}, now production", fg="green")
    else:
        click.secho(
            hint(
                f"restored as release {release.id} (test); compare with `lmi data diff "
                f"{release.id}` and promote with `lmi data promote {release.id}`"
            ),
            fg="green",
        )


#: the `lmi data` subcommands defined here (the `data` group itself is in lmi.cli.main)
DATA_OPERATIONS = (data_check, data_diff, data_runs, data_backup, data_restore)
