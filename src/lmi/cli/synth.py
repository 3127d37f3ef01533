"""``lmi synth``: synthetic microdata. ``lmi synth leo`` writes synthetic LEO records.

* ``lmi synth leo --tier L2 --rows 1000000 --out DIR`` — a watermarked file (Parquet and/or
  CSV) with its ``.metadata.json``, utility report and disclosure report beside it;
* ``lmi synth leo aggregate FILE… --out TABLE.csv`` — the aggregation pipeline: records →
  the published LEO table with DfE's rules (counts to 5, earnings to £100, ``c``);
* ``lmi synth leo report FILE --tier L2`` — (re)write the two reports of a file;
* ``lmi synth leo --layout standard-extract --persons 100000 --out DIR`` — linked,
  longitudinal people in the tables, names and types of the LEO standard extract (Parquet and
  CSV per table, a SQLite file with the SRS view names, a SQL Server ``CREATE VIEW`` script,
  metadata and a report); see docs/synthetic-leo.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from lmi.errors import LMIError
from lmi.settings import Settings

__all__ = ["synth"]


def _fail(message: str) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    raise SystemExit(1)


def _source(settings: Settings | None, source: Path | None) -> Path:
    from lmi.synth.leo.fitting import default_source

    if source is not None:
        return source
    source_dir = settings.source_dir if settings is not None else None
    if source_dir is None:
        raise click.UsageError(
            "no source directory: pass --source FILE or set LMI_SOURCE_DIR (the published "
            "LEO table is leo/leo_subject_sex_yag_2022_23.csv there)"
        )
    return default_source(source_dir)


@click.group()
def synth() -> None:
    """Synthetic microdata, labelled as such, from published tables only."""


_SOURCE = click.option(
    "--source",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The published LEO table (default: leo/leo_subject_sex_yag_2022_23.csv in "
    "LMI_SOURCE_DIR).",
)


@synth.group(invoke_without_command=True)
@click.option(
    "--tier",
    type=click.Choice(["L1", "L2"]),
    default="L2",
    show_default=True,
    help="L1: marginals only; L2: subject × sex × YAG relationships from the published table.",
)
@click.option(
    "--rows",
    type=click.IntRange(min=1),
    help="Records to write (default: the published population, about 1.2 million).",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory to write into (required to generate).",
)
@click.option(
    "--layout",
    type=click.Choice(["flat", "standard-extract"]),
    default="flat",
    show_default=True,
    help="flat: one graduate record per person; standard-extract: the SRS extract's linked tables.",
)
@click.option(
    "--persons",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    help="standard-extract: people to generate (each with their linked rows).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(["parquet", "csv", "sqlite", "both", "all"]),
    help="flat: parquet (default), csv or both; standard-extract: all (default: parquet, csv "
    "and sqlite), both (parquet and csv), or one.",
)
@click.option(
    "--chunk-rows",
    type=click.IntRange(min=1000),
    default=1 << 18,
    show_default=True,
    help="Records generated and written per chunk (memory stays flat).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="standard-extract: processes generating chunks of people (default: the machine's "
    "cores, at most 4; the files are the same with any number).",
)
@click.option("--no-reports", is_flag=True, help="Skip the utility and disclosure reports.")
@click.option("--no-progress", is_flag=True, help="No progress bar on stderr.")
@_SOURCE
@click.pass_context
def leo(
    ctx: click.Context,
    tier: str,
    rows: int | None,
    seed: int,
    out: Path | None,
    layout: str,
    persons: int,
    formats: str | None,
    chunk_rows: int,
    workers: int | None,
    no_reports: bool,
    no_progress: bool,
    source: Path | None,
) -> None:
    """Synthetic LEO graduate records (tiers L1, L2), with utility and disclosure reports."""
    if ctx.invoked_subcommand is not None:
        return
    if out is None:
        raise click.UsageError("--out DIR is required to generate a file")
    from lmi.synth.leo.fitting import fit, read_published
    from lmi.synth.leo.generator import write
    from lmi.synth.leo.reports import write_reports

    settings: Settings | None = ctx.find_object(Settings)
    if layout == "standard-extract":
        _extract(
            settings,
            source,
            tier,
            persons,
            seed,
            out,
            formats or "all",
            no_reports,
            no_progress,
            workers,
        )
        return
    if formats in ("sqlite", "all"):
        raise click.UsageError("--format sqlite/all is for --layout standard-extract")
    formats = formats or "parquet"
    try:
        model = fit(read_published(_source(settings, source)), tier)
        chosen = ("parquet", "csv") if formats == "both" else (formats,)
        written = write(
            model,
            out,
            rows=rows or model.population,
            seed=seed,
            formats=chosen,
            chunk_rows=chunk_rows,
            progress=not no_progress,
        )
        click.echo(
            f"wrote {written.rows:,} synthetic {tier} records in {written.seconds:.2f} s "
            f"({written.rows / max(written.seconds, 1e-9):,.0f} rows/s)"
        )
        for path in written.paths:
            click.echo(f"  {path}")
            if not no_reports:
                reports = write_reports(path, model)
                _summarise(reports)
    except LMIError as exc:
        _fail(str(exc))


def _extract(
    settings: Settings | None,
    source: Path | None,
    tier: str,
    persons: int,
    seed: int,
    out: Path,
    formats: str,
    no_reports: bool,
    no_progress: bool,
    workers: int | None = None,
) -> None:
    """Generate the standard-extract layout (and its report when SQLite is written)."""
    from lmi.synth.leo.extract import jacs_by_cah2
    from lmi.synth.leo.extract_reports import _verdict, write_extract_reports
    from lmi.synth.leo.extract_write import EXTRACT_FORMATS, default_workers, write_extract
    from lmi.synth.leo.fitting import fit, read_published

    chosen = {"all": EXTRACT_FORMATS, "both": ("parquet", "csv")}.get(formats, (formats,))
    try:
        published = _source(settings, source)
        model = fit(read_published(published), tier)
        source_dir = settings.source_dir if settings is not None else None
        jacs = jacs_by_cah2(source_dir or published.parent.parent)
        written = write_extract(
            model,
            out,
            persons=persons,
            seed=seed,
            formats=chosen,
            jacs=jacs,
            progress=not no_progress,
            workers=workers or default_workers(),
        )
    except LMIError as exc:
        _fail(str(exc))
        return
    total = sum(written.rows.values())
    click.echo(
        f"wrote {persons:,} synthetic {tier} people, {total:,} rows in {len(written.rows)} "
        f"tables in {written.seconds:.1f} s (peak memory {written.peak_rss_mb:,.0f} MB)"
    )
    for name, count in written.rows.items():
        click.echo(f"  {name:<32}{count:>14,}")
    if not jacs:
        click.echo("  note: no subjects/jacs_to_cah3_from_ilr_mapping.csv: HESA JACS codes NULL")
    if "sqlite" in chosen and not no_reports:
        paths = write_extract_reports(out, model)
        report = json.loads(paths["json"].read_text(encoding="utf-8"))
        fit_ok = report["fit_for_purpose"]["passed"]
        pub = report["published_recomputed"]
        click.echo(
            f"  fit for purpose: {'passed' if fit_ok else 'FAILED'}; published medians: "
            f"{pub['cells_compared']} cells judged, max difference "
            f"{pub['median_max_relative_difference']:.2%}, within tolerance: "
            f"{_verdict(pub['within_tolerance'])}"
        )
        click.echo(f"  {paths['md']}")
    elif not no_reports:
        click.echo("  report skipped: it runs its checks on the SQLite file (--format all)")


def _summarise(reports: dict[str, Path]) -> None:
    utility = json.loads(reports["utility_json"].read_text(encoding="utf-8"))
    disclosure = json.loads(reports["disclosure_json"].read_text(encoding="utf-8"))
    target = utility["target_analyses"]
    cells, totals = target["cells"], target["totals"]
    click.echo(
        f"  utility: medians exact after rounding in {cells['median_exact_after_rounding']}/"
        f"{cells['compared']} cells (max {cells['median_max_relative_difference']:.2%}), "
        f"totals max {totals['median_max_relative_difference']:.2%}; within tolerance: "
        f"{'yes' if target['within_tolerance'] else 'no'}"
    )
    failed = [name for name, check in disclosure["checks"].items() if not check["passed"]]
    click.echo(
        "  disclosure: "
        + ("all four checks passed" if not failed else f"FAILED: {', '.join(failed)}")
    )
    for path in reports.values():
        click.echo(f"  {path}")


@leo.command("aggregate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="CSV to write, in the published LEO table layout.",
)
@click.option(
    "--min-earners",
    type=click.IntRange(min=1),
    default=15,
    show_default=True,
    help="Earnings quartiles are c below this many graduates with earnings.",
)
@click.option(
    "--min-graduates",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="The sustained-employment rate is c below this many graduates.",
)
def aggregate_command(
    files: tuple[Path, ...], out: Path, min_earners: int, min_graduates: int
) -> None:
    """LEO-format records (Parquet/CSV) → the published LEO table, DfE's SDC rules applied."""
    from lmi.synth.leo.aggregate import Rules, aggregate_files, write_table

    try:
        aggregated = aggregate_files(files, Rules(min_earners, min_graduates))
    except LMIError as exc:
        _fail(str(exc))
        return
    write_table(aggregated, out)
    click.echo(f"wrote {out} ({int(aggregated.grads[-1, 2].sum()):,} records aggregated)")


@leo.command("report")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--tier", type=click.Choice(["L1", "L2"]), required=True)
@_SOURCE
@click.pass_context
def report_command(ctx: click.Context, file: Path, tier: str, source: Path | None) -> None:
    """(Re)write the utility and disclosure reports of a synthetic LEO file."""
    from lmi.synth.leo.fitting import fit, read_published
    from lmi.synth.leo.reports import write_reports

    settings: Settings | None = ctx.find_object(Settings)
    try:
        _summarise(write_reports(file, fit(read_published(_source(settings, source)), tier)))
    except LMIError as exc:
        _fail(str(exc))


@leo.command("queries")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("names", nargs=-1)
def queries_command(directory: Path, names: tuple[str, ...]) -> None:
    """Run the shipped example queries on a standard-extract directory's SQLite views."""
    from lmi.synth.leo import example_queries
    from lmi.synth.leo.extract_write import SQLITE_NAME

    try:
        for name in names or tuple(example_queries.names()):
            columns, rows = example_queries.run(directory / SQLITE_NAME, name)
            click.echo(f"-- {name} ({len(rows)} rows)")
            click.echo("\t".join(columns))
            for row in rows:
                click.echo(
                    "\t".join(
                        "" if v is None else f"{v:.6g}" if isinstance(v, float) else str(v)
                        for v in row
                    )
                )
    except LMIError as exc:
        _fail(str(exc))
