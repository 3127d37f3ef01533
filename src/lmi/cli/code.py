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

HEADER = ("input", "rank", "code", "title", "score", "method", "matched")
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


def rows(coding: Coding, top: int) -> Iterator[tuple[object, ...]]:
    if not coding.candidates:
        yield (coding.input, 1, "", "", "", "", "")
        return
    for rank, c in enumerate(coding.candidates[:top], start=1):
        yield (coding.input, rank, c.code, c.title, f"{c.score:.3f}", c.method, c.matched)


def _chunks(items: Sequence[str], size: int) -> Iterator[range]:
    for start in range(0, len(items), size):
        yield range(start, min(start + size, len(items)))


def write_codes(
    coder: Coder, titles: Sequence[str], contexts: Sequence[str], top: int, out: IO[str]
) -> None:
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
            codings = coder.code_many(chunk, [contexts[i] for i in span], top=top)
            for coding in codings:
                writer.writerows(rows(coding, top))
            bar.update(len(span))


def production_coder(settings: Settings, version: str) -> Coder:
    db = Database(settings.effective_database_url)
    try:
        release = ReleaseStore(db).production()
        if release is None:
            raise click.ClickException(hint("no release is in production: run `lmi data build`"))
        coder = load_coders(db, release.id, (version,)).get(version)
    except LMIError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        db.close()
    if coder is None:
        raise click.ClickException(f"{version} is not loaded in the production release")
    gc.freeze()  # the index lives as long as the command: no collection need walk it
    return coder


@click.command("code")
@click.option("--soc", type=click.Choice(["2010", "2020"]), default="2010", show_default=True)
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
    input,rank,code,title,score,method,matched (TOP rows per title; blank code when none)."""
    titles, contexts = read_inputs(input_file, context_column)
    coder = production_coder(settings, f"soc{soc}")
    write_codes(coder, titles, contexts, top, click.get_text_stream("stdout"))
