"""Writing the synthetic standard extract: Parquet and CSV per table, SQLite with SRS views.

Streams chunk by chunk (:func:`lmi.synth.leo.extract.generate_extract`): every table has one
open Parquet writer and one open CSV writer, and SQLite gets each chunk's rows inserted in one
transaction, so memory is bounded by a chunk of people, not the population. After the rows:
the SQLite views named as in the SRS (``leo_earnings``, ``spring_census_2015``, ``hesa_2017``,
…), a ``CREATE VIEW`` script for SQL Server, and ``extract.metadata.json``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import shutil
import sqlite3
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lmi.synth.leo.extract import (
    ASSUMPTIONS,
    LAST_TAX_YEAR,
    PUBLISHED_TAX_YEAR,
    ChunkTask,
    Extract,
    make_chunk,
    plan_extract,
)
from lmi.synth.leo.fitting import Model, SynthError
from lmi.synth.leo.generator import GENERATOR_VERSION, Progress
from lmi.synth.leo.layout import TABLES, Table, arrow_schema
from lmi.synth.leo.variables import WATERMARK

__all__ = ["EXTRACT_FORMATS", "SQLITE_NAME", "ExtractWritten", "sql_server_script", "write_extract"]

EXTRACT_FORMATS = ("parquet", "csv", "sqlite")
SQLITE_NAME = "leo_synthetic_extract.sqlite"
#: lmi-added reference table (a public classification mapping, not part of the extract)
JACS_TABLE = "jacs_to_cah2"
LAYOUT_VERSION = "leo-standard-extract@1"


@dataclass
class ExtractWritten:
    out: Path
    rows: dict[str, int]
    seconds: float
    peak_rss_mb: float
    metadata: dict[str, Any]
    paths: list[Path]


def _sqlite_type(arrow: pa.DataType) -> str:
    if pa.types.is_integer(arrow):
        return "INTEGER"
    if pa.types.is_floating(arrow):
        return "REAL"
    return "TEXT"


def _create_sqlite(path: Path) -> Any:
    """An ADBC connection to a new SQLite file with every physical table created.

    Rows go in through ADBC's bulk ingest of Arrow tables (C code, about three times the speed
    of ``sqlite3.executemany`` here); indexes and views are added afterwards with ``sqlite3``.
    """
    import adbc_driver_sqlite.dbapi as adbc

    if path.exists():
        path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = OFF")
        for spec in TABLES:
            cols = ", ".join(f'"{c.name}" {_sqlite_type(c.arrow)}' for c in spec.columns)
            conn.execute(f'CREATE TABLE "{spec.sqlite_name}" ({cols})')
    conn.close()
    return adbc.connect(str(path))


def _insert(conn: Any, spec: Table, table: pa.Table) -> None:
    if table.num_rows == 0:
        return
    columns = [  # ISO dates as text: they compare as dates, as in the example queries
        column.cast(pa.string()) if pa.types.is_date(column.type) else column
        for column in table.columns
    ]
    with conn.cursor() as cursor:
        cursor.adbc_ingest(
            spec.sqlite_name,
            pa.Table.from_arrays(columns, names=table.column_names),
            mode="append",
        )


def _finish_sqlite(path: Path, meta: dict[str, Any], jacs: dict[str, list[str]], text: str) -> None:
    """Indexes on the keys, the SRS views, the JACS lookup and the watermark table."""
    with sqlite3.connect(path) as conn:
        _indexes(conn)
        meta["views"] = _views(conn)
        _jacs_table(conn, jacs)
        conn.execute('CREATE TABLE "lmi_metadata" ("key" TEXT, "value" TEXT)')
        conn.executemany(
            'INSERT INTO "lmi_metadata" VALUES (?, ?)',
            [("synthetic", "true"), ("watermark", WATERMARK), ("metadata", text)],
        )
    conn.close()


def _views(conn: sqlite3.Connection) -> list[str]:
    names = []
    for spec in TABLES:
        for view, (year, columns) in spec.views().items():
            select = ", ".join(f'"{src}" AS "{alias}"' for src, alias in columns)
            where = f' WHERE "{spec.per_year}" = {year}' if year is not None else ""
            conn.execute(
                f'CREATE VIEW "{view}" AS SELECT {select} FROM "{spec.sqlite_name}"{where}'
            )
            names.append(view)
    return names


def _indexes(conn: sqlite3.Connection) -> None:
    """Indexes on the join keys (the SRS views are backed by indexed tables too)."""
    for spec in TABLES:
        for column in spec.columns:
            if column.key:
                conn.execute(
                    f'CREATE INDEX "ix_{spec.sqlite_name}_{column.name}" '
                    f'ON "{spec.sqlite_name}" ("{column.name}")'
                )


def _jacs_table(conn: sqlite3.Connection, jacs: dict[str, list[str]]) -> None:
    conn.execute(f'CREATE TABLE "{JACS_TABLE}" ("JACS" TEXT, "CAH2" TEXT)')
    conn.executemany(
        f'INSERT INTO "{JACS_TABLE}" VALUES (?, ?)',
        [(code, cah2) for cah2, codes in sorted(jacs.items()) for code in codes],
    )


def sql_server_script() -> str:
    """``CREATE VIEW`` statements giving the SRS names over tables loaded as ``<db>__<table>``.

    Load the CSV files into one SQL Server database (``$(source)``, tables named like the
    files) and run this with sqlcmd variables ``source`` and ``project`` (the project schema).
    """
    lines = [
        "-- SYNTHETIC DATA generated by lmi: the LEO standard-extract views over loaded tables.",
        "-- sqlcmd -v source=lmi_synthetic project=p0000 -i create_views.sql",
        "",
    ]
    for database in dict.fromkeys(t.database for t in TABLES):
        lines += [f"USE [{database}];", "GO"]
        for spec in (t for t in TABLES if t.database == database):
            for view, (year, columns) in spec.views().items():
                select = ",\n    ".join(f"[{src}] AS [{alias}]" for src, alias in columns)
                where = f"\nWHERE [{spec.per_year}] = {year}" if year is not None else ""
                lines += [
                    f"CREATE VIEW [$(project)].[{view}] AS",
                    f"SELECT\n    {select}",
                    f"FROM [$(source)].[dbo].[{spec.sqlite_name}]{where};",
                    "GO",
                ]
        lines.append("")
    return "\n".join(lines)


def _metadata(model: Model, persons: int, seed: int, chunk: int) -> dict[str, Any]:
    from lmi.datasets.leo import LEO

    return {
        "synthetic": True,
        "watermark": WATERMARK,
        "generator": GENERATOR_VERSION,
        "layout": LAYOUT_VERSION,
        "tier": model.tier,
        "tier_meaning": {
            "L1": "structure, valid codes, per-variable marginals and missingness by year; no "
            "relationships between variables (the DfE/UCL synthetic LEO level)",
            "L2": "L1 plus the relationships the published LEO table pins down for HE "
            "graduates: subject × sex × YAG counts, the share in sustained employment and "
            "earnings quartiles in tax year 2022-23",
        }[model.tier],
        "persons": persons,
        "seed": seed,
        "chunk_persons": chunk,
        "coverage_note": (
            f"education tables follow Iteration 2 coverage (to 2020/21); HMRC/DWP tables run to "
            f"tax year {LAST_TAX_YEAR}-{(LAST_TAX_YEAR + 1) % 100:02d} as in Iteration 2.1, so "
            f"that the published {PUBLISHED_TAX_YEAR}-{(PUBLISHED_TAX_YEAR + 1) % 100:02d} "
            "table can be recomputed"
        ),
        "model": model.describe(),
        "sources": [
            {
                "dataset": LEO.name,
                "title": LEO.title,
                "publisher": LEO.publisher,
                "licence": LEO.licence,
                "file": model.published.path,
                "used": "published, disclosure-checked aggregates only",
            },
            {
                "file": "subjects/jacs_to_cah3_from_ilr_mapping.csv (if present)",
                "used": "public JACS → CAH classification mapping (HESA subject codes)",
            },
        ],
        "tables": [
            {
                "database": t.database,
                "name": t.name,
                "grain": t.grain,
                "status": t.status,
                "note": t.note,
                "coverage": list(t.coverage),
                "views": list(t.views()),
                "no_rows_in": [f"{y}/{(y + 1) % 100:02d}" for y in t.skip_years],
                "columns": [
                    {
                        "name": c.name,
                        "sql_type": c.sql,
                        "status": c.status,
                        "key": c.key,
                        "years": [c.first, c.last],
                        **(
                            {"codes": list(c.codes), "code_shares": list(c.shares) or None}
                            if c.codes
                            else {}
                        ),
                        **({"range": list(c.span)} if c.span is not None else {}),
                    }
                    for c in t.columns
                ],
            }
            for t in TABLES
        ],
        "assumptions": list(ASSUMPTIONS),
        "not_generated": [
            "the PRU census (pru_census_2010_to_2013) and the alternative provision census "
            "(ap_census_2008_to_2021): the reference names them without their items",
            "IDBR ties and earnings splits: one enterprise per person-year, so "
            "enterprise_earnings, Section_Earnings and SIC_Earnings equal Earnings and the "
            "tie flags are 0",
            "HESA HECoS and CAH3 codes (NULL: no public mapping used) and second to fourth "
            "subjects (NULL)",
            "Iteration 2.1's simplified identifiers and derived FSM/SEN histories (not public)",
        ],
    }


def _parquet_options(spec: Table) -> dict[str, Any]:
    """Dictionary encoding for code columns only (not for keys, where it never pays) and
    min/max statistics for keys and years (what readers filter on): a quarter less CPU."""
    return {
        "use_dictionary": [
            c.name for c in spec.columns if not c.key and pa.types.is_string(c.arrow)
        ],
        "write_statistics": [
            c.name
            for c in spec.columns
            if c.key or c.name == spec.per_year or "year" in c.name.lower()
        ],
    }


def default_workers() -> int:
    """Worker processes for generation: the machine's cores, at most 4 (1: no workers)."""
    return max(1, min(4, os.cpu_count() or 1))


_WORKER: dict[str, Any] = {}


def _init_worker(model: Model, parts: Path, formats: tuple[str, ...]) -> None:
    _WORKER.update(model=model, parts=parts, formats=formats)
    pa.set_cpu_count(1)  # one core per worker process
    pa.set_io_thread_count(1)


def _work(task: ChunkTask) -> tuple[int, dict[str, int]]:
    """In a worker: generate one chunk, write each table's CSV rows (no header) and its Arrow
    IPC file (for Parquet and SQLite) under ``parts/<chunk>/``; return the row counts."""
    chunk = make_chunk(_WORKER["model"], task)
    folder = Path(_WORKER["parts"]) / str(task.number)
    folder.mkdir()
    formats = _WORKER["formats"]
    for name, table in chunk.tables.items():
        if "csv" in formats:
            pacsv.write_csv(table, folder / f"{name}.csv", pacsv.WriteOptions(include_header=False))
        if "parquet" in formats or "sqlite" in formats:
            with pa.OSFile(str(folder / f"{name}.arrow"), "wb") as sink:
                with pa.ipc.new_file(sink, table.schema) as writer:
                    writer.write_table(table)
    return task.number, chunk.rows


def _parallel(
    model: Model,
    tasks: Iterator[ChunkTask],
    workers: int,
    parts: Path,
    formats: tuple[str, ...],
) -> Iterator[tuple[dict[str, int], Path]]:
    """Chunks generated by ``workers`` processes, yielded in order as (rows, part folder);
    at most two chunks per worker are in flight, so memory and disk stay bounded."""
    context = multiprocessing.get_context("spawn")  # no fork of a threaded parent
    with context.Pool(workers, _init_worker, (model, parts, formats)) as pool:
        pending: deque[Any] = deque()
        for task in tasks:
            pending.append(pool.apply_async(_work, (task,)))
            if len(pending) >= 2 * workers:
                number, rows = pending.popleft().get()
                yield rows, parts / str(number)
        while pending:
            number, rows = pending.popleft().get()
            yield rows, parts / str(number)


def _append(target: Path, part: Path) -> None:
    """Append ``part``'s bytes to ``target`` in the kernel (``sendfile``; a copy if refused)."""
    with part.open("rb") as source, target.open("ab") as sink:
        size = part.stat().st_size
        offset = 0
        try:
            while offset < size:
                sent = os.sendfile(sink.fileno(), source.fileno(), offset, size - offset)
                if sent == 0:
                    break
                offset += sent
        except OSError:
            source.seek(offset)
            shutil.copyfileobj(source, sink, 1 << 24)


def write_extract(
    model: Model,
    out: Path,
    *,
    persons: int,
    seed: int,
    formats: tuple[str, ...] = EXTRACT_FORMATS,
    chunk_persons: int = 50_000,
    jacs: dict[str, list[str]] | None = None,
    progress: bool = True,
    workers: int = 1,
) -> ExtractWritten:
    """Generate and write the extract into ``out`` (Parquet/CSV under ``tables/``, SQLite).

    ``workers`` > 1 generates chunks in that many processes (each chunk has its own random
    stream, so the files are the same as with one).

    Everything is written into a staging directory beside ``out`` and moved in only when the
    whole extract is written, so a failure never leaves a half-written extract in ``out``.
    """
    unknown = set(formats) - set(EXTRACT_FORMATS)
    if unknown or not formats:
        raise SynthError(f"unknown format(s) {sorted(unknown)}: use parquet, csv and/or sqlite")
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        written = _write_extract(
            model,
            staging,
            persons=persons,
            seed=seed,
            formats=formats,
            chunk_persons=chunk_persons,
            jacs=jacs,
            progress=progress,
            workers=workers,
        )
        for entry in staging.iterdir():
            target = out / entry.name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            entry.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    written.out = out
    written.paths = [out / p.relative_to(staging) for p in written.paths]
    return written


def _write_extract(
    model: Model,
    out: Path,
    *,
    persons: int,
    seed: int,
    formats: tuple[str, ...] = EXTRACT_FORMATS,
    chunk_persons: int = 50_000,
    jacs: dict[str, list[str]] | None = None,
    progress: bool = True,
    workers: int = 1,
) -> ExtractWritten:
    meta = _metadata(model, persons, seed, chunk_persons)
    text = json.dumps(meta, indent=2, ensure_ascii=False)
    file_meta = {"synthetic": "true", "watermark": WATERMARK, "layout": LAYOUT_VERSION}
    tables_dir = out / "tables"
    tables_dir.mkdir(exist_ok=True)
    parquet: dict[str, pq.ParquetWriter] = {}
    csv_paths: dict[str, Path] = {}
    paths: list[Path] = []
    for spec in TABLES:
        stem = tables_dir / spec.sqlite_name
        if "parquet" in formats:
            path = stem.with_suffix(".parquet")
            parquet[spec.name] = pq.ParquetWriter(
                path, arrow_schema(spec, file_meta), compression="zstd", **_parquet_options(spec)
            )
            paths.append(path)
        if "csv" in formats:
            path = stem.with_suffix(".csv")
            pacsv.write_csv(arrow_schema(spec).empty_table(), path)  # the header line
            csv_paths[spec.name] = path
            paths.append(path)
    conn = _create_sqlite(out / SQLITE_NAME) if "sqlite" in formats else None
    specs = {t.name: t for t in TABLES}
    rows = {t.name: 0 for t in TABLES}
    bar = Progress(
        persons, label=f"synth leo extract {model.tier}", enabled=progress, unit="people"
    )
    start = time.perf_counter()
    reference, tasks = plan_extract(model, persons, seed, chunk_persons, jacs)
    # chunks handed over by worker processes: in memory (/dev/shm) when the machine has it
    shm = Path("/dev/shm")
    parts = Path(
        tempfile.mkdtemp(prefix="lmi-leo-parts-", dir=shm if workers > 1 and shm.is_dir() else out)
    )

    def write(name: str, table: pa.Table | None, csv_part: Path | None) -> None:
        if table is not None:
            rows[name] += table.num_rows
            if name in parquet:
                parquet[name].write_table(table)
            if conn is not None:
                _insert(conn, specs[name], table)
        if name in csv_paths:
            if csv_part is not None:
                _append(csv_paths[name], csv_part)
            elif table is not None:
                with csv_paths[name].open("ab") as sink:
                    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False))

    def chunks() -> Iterator[tuple[dict[str, int], Path | Extract]]:
        if min(workers, -(-persons // chunk_persons)) <= 1:  # one chunk: no workers
            for task in tasks:
                chunk = make_chunk(model, task)
                yield chunk.rows, chunk
        else:
            yield from _parallel(model, tasks, workers, parts, formats)

    try:
        for name, table in reference.tables.items():
            write(name, table, None)
        for counts, chunk in chunks():
            for name, count in counts.items():
                if isinstance(chunk, Extract):
                    write(name, chunk.tables[name], None)
                    continue
                ipc = chunk / f"{name}.arrow"
                csv_part = chunk / f"{name}.csv" if name in csv_paths else None
                if ipc.exists():
                    with pa.memory_map(str(ipc)) as source:  # no copy: the worker's file
                        write(name, pa.ipc.open_file(source).read_all(), csv_part)
                else:
                    write(name, None, csv_part)
                    rows[name] += count
            if conn is not None:
                conn.commit()
            if not isinstance(chunk, Extract):
                shutil.rmtree(chunk)
            bar.update(min(chunk_persons, persons - bar.done))
        if conn is not None:
            conn.close()
            conn = None
            _finish_sqlite(out / SQLITE_NAME, meta, jacs or {}, text)
            paths.append(out / SQLITE_NAME)
    finally:
        for writer in parquet.values():
            writer.close()
        if conn is not None:
            conn.close()
        shutil.rmtree(parts, ignore_errors=True)
    seconds = time.perf_counter() - start
    # CSV cannot carry metadata: a watermark sidecar beside each file and a README in tables/
    label = json.dumps({"synthetic": True, "watermark": WATERMARK, "layout": LAYOUT_VERSION})
    for spec in TABLES:
        if "csv" in formats:
            sidecar = tables_dir / f"{spec.sqlite_name}.csv.metadata.json"
            sidecar.write_text(label + "\n", encoding="utf-8")
    (tables_dir / "SYNTHETIC_DATA.txt").write_text(
        f"{WATERMARK}\nSee ../extract.metadata.json for tier, sources and assumptions.\n",
        encoding="utf-8",
    )
    script = out / "create_views.sql"
    script.write_text(sql_server_script(), encoding="utf-8")
    meta["rows"] = rows
    (out / "extract.metadata.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return ExtractWritten(out, rows, seconds, peak, meta, [*paths, script])
