"""``lmi`` — serve the API and manage data releases."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from lmi import __version__
from lmi.cli.common import fail, open_store, who
from lmi.cli.data_ops import DATA_OPERATIONS
from lmi.cli.hints import hint
from lmi.datasets import registry
from lmi.datasets.base import Dataset
from lmi.datasets.sources import fetch_lines, source_rows
from lmi.errors import LMIError
from lmi.etl import BuildReport, build_release
from lmi.etl.ops import promote_release, rollback_release
from lmi.etl.reuse import plan_only
from lmi.etl.runs import OpsConfig
from lmi.settings import Settings
from lmi.store import Database, Release, ReleaseStore

__all__ = ["main"]


class LMIGroup(click.Group):
    """The root command: any lmi error a command lets through is one red line and status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LMIError as exc:
            fail(str(exc))


@click.group(cls=LMIGroup)
@click.version_option(__version__, prog_name="lmi")
@click.option("--database-url", envvar="LMI_DATABASE_URL", help="Store URL (default: SQLite).")
@click.option(
    "--data-dir",
    envvar="LMI_DATA_DIR",
    type=click.Path(path_type=Path),
    help="Directory for the SQLite store and other files (default: ./var).",
)
@click.pass_context
def cli(ctx: click.Context, database_url: str | None, data_dir: Path | None) -> None:
    """lmi: UK labour-market information — official data, releases and a fast JSON API."""
    try:
        ctx.obj = Settings.from_env(database_url=database_url, data_dir=data_dir)
    except LMIError as exc:
        fail(str(exc))


@cli.group()
def data() -> None:
    """Build, inspect, promote and roll back data releases."""


@data.command("build")
@click.option(
    "--source",
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory of official files (default: LMI_SOURCE_DIR or ../shared/data).",
)
@click.option("--no-promote", is_flag=True, help="Leave the new release in test.")
@click.option(
    "--only",
    multiple=True,
    metavar="DATASET",
    help="Reload only this dataset (repeatable), with those sharing its tables or derived from "
    "it; the others are copied from production.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def data_build(
    settings: Settings, source: Path | None, no_promote: bool, only: tuple[str, ...], as_json: bool
) -> None:
    """Load every dataset found in the source directory into a new release."""
    source_dir = source or settings.source_dir
    if source_dir is None or not source_dir.is_dir():
        fail(
            f"no source directory ({source_dir or 'none found'}): pass --source DIR or set "
            "LMI_SOURCE_DIR to the folder holding the official files"
        )
    assert source_dir is not None
    db = open_store(settings)
    progress = None if as_json else (lambda line: click.echo(line, err=True))
    load: list[Dataset] = list(registry.DATASETS)
    reuse: list[Dataset] = []
    if only:
        try:
            load, reuse = plan_only(only, registry.DATASETS)
        except KeyError as exc:
            fail(f"unknown dataset {exc.args[0]}: see `lmi data sources`")
    try:
        report = build_release(
            db,
            source_dir.resolve(),
            load,
            promote=not no_promote,
            by=who(),
            progress=progress,
            ops=OpsConfig.from_settings(settings),
            reuse=reuse,
        )
    except LMIError as exc:
        fail(str(exc))
        return
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        print_report(report)
    if not report.ok:
        raise SystemExit(1)


def print_report(report: BuildReport) -> None:
    click.echo()
    for ds in report.datasets:
        colour = {"loaded": "green", "copied": "green", "missing": "yellow"}.get(ds.status, "red")
        click.secho(f"{ds.dataset:20} {ds.status:8}", fg=colour, nl=False)
        click.echo(
            f" {ds.rows_read:>8,} read {sum(ds.rows_loaded.values()):>8,} loaded "
            f"{ds.errors:>3} errors {ds.warnings:>3} warnings"
        )
        for f in ds.files:
            click.echo(f"    {f.path}: {f.rows_read:,} rows, sha256 {f.sha256[:12]}")
        for problem in ds.all_problems():
            click.secho(
                f"    {problem.render()}", fg="red" if problem.severity == "error" else "yellow"
            )
    for problem in report.checks:
        click.secho(f"    {problem.render()}", fg="yellow")
    click.echo()
    if report.promoted:
        click.secho(
            f"release {report.release_id} built and promoted to production "
            f"in {report.seconds:.1f} s",
            fg="green",
        )
    elif report.ok:
        click.secho(
            f"release {report.release_id} built (test) in {report.seconds:.1f} s; "
            f"promote with: lmi data promote {report.release_id}",
            fg="green",
        )
    else:
        click.secho(f"release {report.release_id} FAILED: production is unchanged", fg="red")


@data.command("sources")
@click.option(
    "--source",
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory of official files to check (default: LMI_SOURCE_DIR).",
)
@click.option("--markdown", is_flag=True, help="Print as a Markdown document.")
@click.pass_obj
def data_sources(settings: Settings, source: Path | None, markdown: bool) -> None:
    """The files each dataset reads, and whether they are in the source directory."""
    source_dir = source or settings.source_dir
    if markdown:
        click.echo(datasets_markdown())
        return
    click.echo(f"source directory: {source_dir or 'none (set LMI_SOURCE_DIR or --source)'}")
    for row in source_rows(source_dir):
        need = "required" if row.required else "optional"
        click.echo(f"\n{row.name} ({need}): {row.title}\n  {row.publisher}; {row.licence}")
        for line in fetch_lines(row):
            click.echo(f"  {line}")
        for line in row.holdings:
            click.echo(f"  holds: {line}")
        for f in row.files:
            mark = (
                click.style("found  ", fg="green") if f.found else click.style("missing", fg="red")
            )
            click.echo(f"  {mark} {f.path} — {f.description}")
            if f.is_pattern and len(f.held) > 1:  # what the source directory holds for it
                click.echo(f"          {len(f.held)} files: " + "; ".join(f.held[:6]))
                if len(f.held) > 6:
                    click.echo(f"          … and {len(f.held) - 6} more")


NO_SPEC = "no format specification declared yet (only the loader's checks apply)."


def datasets_markdown() -> str:
    lines = [
        "# Datasets and their source files",
        "",
        "Generated by `lmi data sources --markdown`. Paths are relative to the source "
        "directory (`LMI_SOURCE_DIR`, default `../shared/data`). A release is promoted only "
        "when every required dataset loaded and no dataset reported an error.",
        "",
    ]
    for ds, row in zip(registry.DATASETS, source_rows(None), strict=True):
        need = "required" if ds.required else "optional"
        lines += [
            f"## `{ds.name}` ({need})",
            "",
            f"{ds.title}. Publisher: {ds.publisher}. Licence: {ds.licence}.",
            "",
        ]
        if ds.depends_on:
            lines += [f"Loaded after: {', '.join(f'`{d}`' for d in ds.depends_on)}.", ""]
        if row.page is not None:
            lines += [
                f"- **Publisher's page:** <{row.page}>",
                *(f"- **Download:** {line}" for line in row.downloads),
                f"- **Editions read:** {row.editions}",
                "",
            ]
        if ds.about:
            lines += [
                f"- **Coverage:** {ds.about.coverage}",
                f"- **Currency:** {ds.about.currency}",
                f"- **Update frequency:** {ds.about.frequency}",
                f"- **Limitations and quality:** {ds.about.limitations}",
                "",
            ]
        if ds.files:
            lines += ["| file | contents |", "|---|---|"]
            lines += [f"| `{f.path}` | {f.description} |" for f in ds.files]
            for f in ds.files:
                spec = f.spec.markdown(f.path) if f.spec else [f"`{f.path}`: {NO_SPEC}"]
                lines += ["", *spec]
        else:
            lines += ["Derived from datasets already loaded in the release; reads no file."]
        lines += ["", f"Tables: {', '.join(f'`{t.name}`' for t in ds.tables)}.", ""]
    return "\n".join(lines)


@data.command("releases")
@click.pass_obj
def data_releases(settings: Settings) -> None:
    """List releases, newest first."""
    store = ReleaseStore(open_store(settings))
    for release in store.all_releases():
        counts = store.table_counts(release.id)
        marker = "*" if release.status == "production" else " "
        click.echo(
            f"{marker} {release.id:>4}  {release.status:11} {release.kind:9} "
            f"{release.created_at}  {sum(counts.values()):>8,} rows  {release.label}"
        )


@data.command("show")
@click.argument("release_id", type=int, required=False)
@click.pass_obj
def data_show(settings: Settings, release_id: int | None) -> None:
    """Details of a release (default: production): datasets, files, checksums, row counts."""
    store = ReleaseStore(open_store(settings))
    release = store.get(release_id) if release_id else store.production()
    if release is None:
        fail("no such release" if release_id else "no release is in production")
    assert release is not None
    details: dict[str, Any] = {
        **release.as_dict(),
        "source_dir": release.source_dir,
        "promoted_by": release.promoted_by,
        "note": release.note,
        "previous_id": release.previous_id,
        "datasets": store.datasets(release.id),
        "files": store.files(release.id),
        "tables": store.table_counts(release.id),
    }
    click.echo(json.dumps(details, indent=2))


@data.command("promote")
@click.argument("release_id", type=int)
@click.option("--note", help="Why (recorded with the promotion).")
@click.pass_obj
def data_promote(settings: Settings, release_id: int, note: str | None) -> None:
    """Make a tested release production (atomic; the current one is kept for rollback)."""
    release = _release_operation(settings, promote_release, release_id, note=note)
    click.secho(f"release {release.id} is now production", fg="green")


@data.command("rollback")
@click.option("--note", help="Why (recorded).")
@click.pass_obj
def data_rollback(settings: Settings, note: str | None) -> None:
    """Return production to the release it replaced."""
    release = _release_operation(settings, rollback_release, note=note)
    click.secho(f"rolled back: release {release.id} is production again", fg="green")


def _release_operation(
    settings: Settings, operation: Callable[..., Release], *args: Any, note: str | None
) -> Release:
    """Run a promotion or rollback under the lock and run log; errors end the command."""
    try:
        return operation(
            open_store(settings),
            *args,
            by=who(),
            note=note,
            ops=OpsConfig.from_settings(settings),
            echo=lambda line: click.echo(line, err=True),
        )
    except LMIError as exc:
        fail(str(exc))
        raise  # fail() exits; this keeps type checkers sure nothing is returned


@data.command("sdc-report")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def data_sdc_report(settings: Settings, as_json: bool) -> None:
    """Disclosure control of the production release: cells by status and rule, fallbacks."""
    from lmi.datasets.ashe.report import sdc_report

    try:
        report = sdc_report(open_store(settings))
    except LMIError as exc:
        fail(str(exc))
        return
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.render(), nl=False)


@data.command("demo")
@click.pass_obj
def data_demo(settings: Settings) -> None:
    """Build and promote the clearly labelled synthetic demo release."""
    from lmi.synth.demo import build_demo_release

    click.echo(DEMO_PROGRESS, err=True)
    try:
        release_id = build_demo_release(open_store(settings))
    except LMIError as exc:
        fail(str(exc))
        return
    click.secho(f"synthetic demo release {release_id} is now production", fg="yellow")


#: said before the demo is built: it takes a while, and it is not real data
DEMO_PROGRESS = (
    "Building the SYNTHETIC DEMO release: every dataset, invented figures from a fixed seed "
    "(10–40 s) …"
)


@cli.command()
@click.option("--host", help="Bind address (default 127.0.0.1).")
@click.option("--port", type=int, help="Port (default 8000).")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Worker processes (default 1; 0: one per available CPU core).",
)
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the API (builds a first release, or a synthetic demo, when none exists)."""
    import uvicorn

    if workers is not None:
        settings = replace(settings, workers=workers)
    workers = settings.effective_workers
    db = open_store(settings)
    ensure_release(settings, db)
    db.close()
    host = host or settings.host
    port = port or settings.port
    export_settings(settings)
    if workers > 1:
        prepare_metrics_dir(settings.data_dir)
    click.echo(
        f"lmi {__version__} on http://{host}:{port} with {workers} worker"
        f"{'s' if workers > 1 else ''} — docs at http://{host}:{port}/docs",
        err=True,
    )
    options: dict[str, Any] = {
        "factory": True,
        "host": host,
        "port": port,
        "loop": "uvloop" if sys.platform != "win32" else "auto",
        "http": "httptools",
        "access_log": False,
        "log_level": settings.log_level,
        **proxy_options(settings),
    }
    if workers > 1 and hasattr(os, "fork"):  # the release read once, shared by forked workers
        from lmi.cli.prefork import serve_forked

        def make_server() -> Any:
            return uvicorn.Server(uvicorn.Config("lmi.web:create_app_from_env", **options))

        serve_forked(settings, workers, make_server)
        return
    if workers == 1:  # read here and frozen out of the cyclic collector, as prefork
        from lmi.cli.prefork import preload  # does: a full collection never walks the snapshot

        preload(settings)
    uvicorn.run("lmi.web:create_app_from_env", workers=workers, **options)


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's forwarded-header options from ``LMI_FORWARDED_ALLOW_IPS``.

    uvicorn by default believes X-Forwarded-For from 127.0.0.1, so a client connecting
    directly (or through a same-host proxy that passes the header on) could pick the address
    its rate limit and sign-in lockout count under. lmi believes no proxy unless told.
    """
    trusted = settings.forwarded_allow_ips.strip()
    if not trusted:
        return {"proxy_headers": False, "forwarded_allow_ips": ""}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


def ensure_release(settings: Settings, db: Database) -> None:
    """Without a production release: build one from the source files, or the synthetic demo."""
    store = ReleaseStore(db)
    if store.production() is not None:
        return
    source = settings.source_dir
    if source is not None and source.is_dir():
        click.echo(f"No release in production: building one from {source} …", err=True)
        report = build_release(
            db, source, registry.DATASETS, progress=lambda line: click.echo(line, err=True)
        )
        if report.promoted:
            return
        print_report(report)
        fail("the build failed; fix the files above or run `lmi data demo` for demo data")
    if not settings.demo_when_no_source:
        click.echo(
            hint(
                "No release in production and no source directory: the API will answer "
                "503 until you run `lmi data build --source DIR`."
            ),
            err=True,
        )
        return
    from lmi.synth.demo import build_demo_release

    click.echo(DEMO_PROGRESS, err=True)
    try:
        build_demo_release(db)
        _demo_adverts(settings, db)
    except LMIError as exc:
        fail(str(exc))
    click.secho(
        hint(
            "No source directory found: serving a SYNTHETIC DEMO release (every response says "
            "'synthetic').\nTo serve real data, put the official files in a folder (see "
            "docs/datasets.md) and run:\n    LMI_SOURCE_DIR=/path/to/data lmi data build"
        ),
        fg="yellow",
        err=True,
    )


def _demo_adverts(settings: Settings, db: Database) -> None:
    """The demo also gets the labelled synthetic advert feed, so /v1/vacancies shows."""
    from lmi.vacancies.pipeline import open_pipeline
    from lmi.vacancies.synthetic import SyntheticFeed

    result = open_pipeline(db, settings).pull([SyntheticFeed()])
    click.echo(f"demo: {result.feeds[0].counts.new} synthetic job adverts loaded", err=True)


def prepare_metrics_dir(data_dir: Path) -> None:
    """Workers publish their request counts here so /metrics sums over all of them."""
    import shutil

    folder = (data_dir / "metrics").resolve()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["LMI_METRICS_DIR"] = str(folder)


def export_settings(settings: Settings) -> None:
    """Pass resolved settings to worker processes through the environment."""
    os.environ["LMI_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        os.environ["LMI_DATABASE_URL"] = settings.database_url
    if settings.source_dir:
        os.environ["LMI_SOURCE_DIR"] = str(settings.source_dir)


def _register_operations() -> None:
    from lmi.cli.ops import doctor, keys, settings_command, usage

    for command in (doctor, keys, settings_command, usage):
        cli.add_command(command)


_register_operations()


def main() -> None:
    cli(prog_name="lmi")


from lmi.cli.admin import admin as _admin  # noqa: E402
from lmi.cli.code import code as _code  # noqa: E402
from lmi.cli.mcp import mcp as _mcp  # noqa: E402
from lmi.cli.synth import synth as _synth  # noqa: E402
from lmi.cli.vacancies import vacancies as _vacancies  # noqa: E402

for _command in DATA_OPERATIONS:
    data.add_command(_command)
cli.add_command(_code)
cli.add_command(_admin)
cli.add_command(_synth)
cli.add_command(_mcp)
cli.add_command(_vacancies)
