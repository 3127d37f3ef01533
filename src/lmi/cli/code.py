"""``lmi code``: code job titles to SOC unit groups, CSV out."""

from __future__ import annotations

import csv
import gc
import sys
from collections.abc import Iterator, Sequence
from typing import IO

import click

from lmi.cli.hints import hint
from lmi.errors import LMIError
from lmi.search.coder import Coder, Coding, load_coders
from lmi.settings import Settings
from lmi.store import Database, ReleaseStore

__all__ = ["code"]

#: the first seven columns are the original layout; the explanation columns follow them
HEADER = (
    "input",
    "rank",
    "code",
    "title",
    "score",
    "method",
    "matched",
    "soc_version",
    "route",
    "status",
    "normalised",
)
CHUNK = 2000
PROGRESS_FROM = 5000  # inputs; smaller runs finish before a bar is worth drawing


def read_inputs(handle: IO[str], context_column: str | None) -> tuple[list[str], list[str]]:
    """Titles (and context texts) from a CSV with a ``title`` column, or one title per line."""
    lines = handle.read().splitlines()
    header = next(csv.reader(lines[:1]), [])
    columns = [c.strip().lower() for c in header]
    if "title" in columns:
        rows = list(csv.reader(lines[1:]))
        at = columns.index("title")
        titles = [row[at] if at < len(row) else "" for row in rows]
        if context_column is None:
            return titles, [""] * len(titles)
        if context_column.lower() not in columns:
            raise click.UsageError(f"--context: no column {context_column!r} in the input")
        ctx = columns.index(context_column.lower())
        return titles, [row[ctx] if ctx < len(row) else "" for row in rows]
    if context_column is not None:
        raise click.UsageError("--context needs a CSV input with a header row")
    return lines, [""] * len(lines)


def rows(coding: Coding, top: int, version: str) -> Iterator[tuple[object, ...]]:
    """A title's CSV rows: one per answer (``top`` at most), or one blank row (uncodable)."""
    explained = (version, "", coding.status, coding.normalised)
    if not coding.candidates:
        yield (coding.input, 1, "", "", "", "", "", *explained)
        return
    for rank, c in enumerate(coding.candidates[:top], start=1):
        yield (
            coding.input,
            rank,
            c.code,
            c.title,
            f"{c.score:.3f}",
            c.method,
            c.matched,
            version,
            c.route,
            coding.status,
            coding.normalised,
        )


def _chunks(items: Sequence[str], size: int) -> Iterator[range]:
    for start in range(0, len(items), size):
        yield range(start, min(start + size, len(items)))


def write_codes(
    coders: Sequence[Coder], titles: Sequence[str], contexts: Sequence[str], top: int, out: IO[str]
) -> None:
    """CSV of every title's answers, for each coder (SOC version) in turn per chunk."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    with click.progressbar(
        length=len(titles),
        label="coding",
        file=sys.stderr,
        hidden=len(titles) < PROGRESS_FROM,
    ) as bar:
        for span in _chunks(titles, CHUNK):
            chunk = [titles[i] for i in span]
            answers = [
                (coder.version, coder.code_many(chunk, [contexts[i] for i in span], top=top))
                for coder in coders
            ]
            for i in range(len(chunk)):
                for version, codings in answers:
                    writer.writerows(rows(codings[i], top, version))
            bar.update(len(span))


def production_coders(settings: Settings, versions: Sequence[str]) -> list[Coder]:
    """The production release's coders for ``versions`` (read from the store once)."""
    db = Database(settings.effective_database_url)
    try:
        release = ReleaseStore(db).production()
        if release is None:
            raise click.ClickException(hint("no release is in production: run `lmi data build`"))
        loaded = load_coders(db, release.id, versions)
    except LMIError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        db.close()
    missing = [v for v in versions if v not in loaded]
    if missing:
        raise click.ClickException(f"{missing[0]} is not loaded in the production release")
    gc.freeze()  # the index lives as long as the command: no collection need walk it
    return [loaded[v] for v in versions]


def production_coder(settings: Settings, version: str) -> Coder:
    """One version's coder from the production release."""
    return production_coders(settings, (version,))[0]


@click.command("code")
@click.option(
    "--soc",
    type=click.Choice(["2010", "2020", "both"]),
    default="2010",
    show_default=True,
    help="SOC version; both writes each title's SOC 2010 rows then its SOC 2020 rows.",
)
@click.option(
    "--top", type=click.IntRange(1, 10), default=1, show_default=True, help="Answers per title."
)
@click.option("--context", "context_column", help="CSV column with context text (industry…).")
@click.argument(
    "input_file", metavar="INPUT", type=click.File("r", encoding="utf-8", errors="replace")
)
@click.pass_obj
def code(
    settings: Settings, soc: str, top: int, context_column: str | None, input_file: IO[str]
) -> None:
    """Code job titles to SOC unit groups: INPUT is a text file (one title per line), a CSV
    with a `title` column, or - for stdin. Writes CSV to stdout:
    input,rank,code,title,score,method,matched,soc_version,route,status,normalised (TOP rows per
    title and version; blank code when none, status uncodable)."""
    titles, contexts = read_inputs(input_file, context_column)
    versions = ("2010", "2020") if soc == "both" else (soc,)
    coders = production_coders(settings, [f"soc{v}" for v in versions])
    write_codes(coders, titles, contexts, top, click.get_text_stream("stdout"))
