"""Loader of the ONS Postcode Directory (or NSPL) and its names files (see :mod:`.formats`).

The directory is read with Arrow in column batches — only the ten columns used, never the whole
file in memory — checked batch by batch (:mod:`.checks`), and its live postcodes written to
``onspd_postcodes`` once every batch passed. Optional: a release builds without it, and the API
then refuses postcodes with a 400 that says the directory is not loaded.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lmi.checks import FileReport, Problem
from lmi.checks.bounded import (
    MAX_LINE_CHARS,
    MAX_TEXT_BYTES,
    LineTooLong,
    bounded_lines,
    size_problem,
)
from lmi.checks.spec import check_file_bytes
from lmi.datasets.base import About, Dataset, Fetch, LoadContext, SourceFile
from lmi.datasets.onspd.checks import (
    COMPLETE,
    Findings,
    check_codes,
    check_coordinates,
    check_header,
    check_postcodes,
    check_terminated,
    plain,
    tolerate_postcodes,
)
from lmi.datasets.onspd.formats import (
    ALIASES,
    CODE,
    COLUMN_EDITIONS,
    DATA_FILES,
    NAMES_CODE,
    NAMES_FILES,
    NAMES_NAME,
    NAMES_SPEC,
    ONSPD_SPEC,
    POSTCODE_AREAS,
    SPLIT_FILES,
    is_pseudo,
)
from lmi.datasets.onspd.tables import onspd_areas, onspd_coverage, onspd_postcodes
from lmi.datasets.onspd.view import POSTCODES

__all__ = ["ONSPD", "load_onspd", "read_directory", "read_names"]

#: bytes of CSV parsed per batch (about 1,700 ONSPD rows; the reader holds ~30 blocks ahead)
BLOCK = 1 << 20
#: rows per insert batch handed to the store
WRITE_SLICE = 20_000
#: problems shown per kind (then a count)
MAX_SHOWN = 20
CODE_FIELDS = ("country", "region", "county", "district", "lep1", "lep2")
STORED = ("postcode", *CODE_FIELDS, "latitude", "longitude")


@dataclass
class Directory:
    """The live postcodes read, as one Arrow table (columns :data:`STORED`)."""

    table: Any
    rows_read: int


def load_onspd(ctx: LoadContext) -> None:
    found = [path for pattern in DATA_FILES for path in _matches(ctx.source_dir, pattern)]
    split = [path for pattern in SPLIT_FILES for path in _matches(ctx.source_dir, pattern)]
    if not found and not split:
        wanted = " or ".join((*DATA_FILES, *SPLIT_FILES))
        ctx.problem("error", "missing-file", f"no {wanted} in the source")
        return
    if len(found) > 1:
        listed = ", ".join(_relative(ctx.source_dir, p) for p in found)
        ctx.problem(
            "error",
            "several-files",
            f"several postcode directory files: {listed}; keep only the one to load",
        )
        return
    if found and split:
        ctx.problem(
            "warning",
            "split-ignored",
            f"the whole-UK file {_relative(ctx.source_dir, found[0])} is read; the "
            f"{len(split)} per-area files of Data/multi_csv/ (the same rows) are not",
        )
    if found:
        relative = _relative(ctx.source_dir, found[0])
        directory = read_directory(found[0], relative, ctx.file_report(relative))
        coverage: list[dict[str, Any]] = []
    else:
        directory, coverage = _read_split(ctx, split)
    names: list[dict[str, str]] = []
    for geography, pattern in NAMES_FILES.items():
        for path in _matches(ctx.source_dir, pattern):
            names_relative = _relative(ctx.source_dir, path)
            names += read_names(path, geography, ctx.file_report(names_relative))
    if directory is None:
        return
    ctx.write(onspd_areas, _unique_names(names))
    ctx.write(onspd_coverage, coverage)
    ctx.write_tuples(onspd_postcodes, STORED, _rows(directory.table))


_SPLIT_NAME = re.compile(r"(ONSPD|NSPL)_?(.*)_UK_([A-Z]{1,2})\.csv", re.IGNORECASE)


def _read_split(ctx: LoadContext, paths: list[Path]) -> tuple[Directory | None, list[Any]]:
    """The per-area files of ``Data/multi_csv`` as one directory, and which areas they cover.

    Areas not loaded are reported by name ("postcode area XX not loaded"), and the API answers
    a postcode of such an area with that reason rather than "not a live postcode".
    """
    import pyarrow as pa

    editions: set[str] = set()
    tables: list[Any] = []
    coverage: list[dict[str, Any]] = []
    failed = False
    for path in paths:
        relative = _relative(ctx.source_dir, path)
        match = _SPLIT_NAME.fullmatch(path.name)
        if match is None or match.group(3).upper() not in POSTCODE_AREAS:
            ctx.problem(
                "error",
                "unknown-area-file",
                f"{relative}: not named …_UK_<postcode area>.csv with a known postcode area",
            )
            failed = True
            continue
        editions.add(f"{match.group(1).upper()} {match.group(2).upper()}")
        directory = read_directory(path, relative, ctx.file_report(relative), whole=False)
        if directory is None:
            failed = True
            continue
        tables.append(directory.table)
        area = match.group(3).upper()
        coverage.append({"area": area, "file": relative, "postcodes": directory.table.num_rows})
    if len(editions) > 1:
        listed = ", ".join(sorted(editions))
        ctx.problem("error", "mixed-editions", f"per-area files of several editions: {listed}")
        failed = True
    if failed:
        return None, []
    loaded = {c["area"] for c in coverage}
    missing = [a for a in POSTCODE_AREAS if a not in loaded]
    if missing:
        shown = ", ".join(missing)  # every one: an operator needs to know what to fetch
        ctx.problem(
            "warning",
            "partial-coverage",
            f"{len(loaded)} of {len(POSTCODE_AREAS)} postcode areas loaded "
            f"({', '.join(sorted(loaded))}); postcode areas {shown} not loaded: their "
            "postcodes are answered 'postcode area XX not loaded'",
        )
    return Directory(pa.concat_tables(tables), sum(t.num_rows for t in tables)), coverage


def read_directory(
    path: Path, label: str, report: FileReport, *, whole: bool = True
) -> Directory | None:
    """Read and check the directory file; ``None`` when it has errors (all in ``report``).

    ``whole``: the file should hold the whole UK (a short one is warned about); a per-area
    file of ``Data/multi_csv`` is not.
    """
    import numpy as np
    import pyarrow as pa

    report.problems += check_file_bytes(path, ONSPD_SPEC, label=label)
    if any(p.severity == "error" for p in report.problems):
        return None
    findings = Findings(label)
    header = _header(path, findings)
    fields = check_header(header, findings) if header is not None else {}
    if header is None or findings.has_errors:
        report.problems += findings.problems()
        return None
    names = {field: header[index].strip() for field, index in fields.items()}
    batches: list[Any] = []
    lines: list[Any] = []
    keys: list[Any] = []
    rows_read = live = 0
    try:
        for batch in _batches(path, fields, len(header), findings):
            start = rows_read + 2  # line 1 is the header
            rows_read += batch.num_rows
            kept, kept_lines = _check_batch(batch, start, names, findings)
            live += kept.num_rows if kept is not None else 0
            if kept is not None and not findings.has_errors:
                batches.append(kept)
                lines.append(kept_lines)
                keys.append(postcode_keys(kept.column("postcode").chunk(0)))
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        findings.add("error", "bad-csv", f"malformed CSV: {plain(str(exc))}")
    report.rows_read = rows_read
    tolerate_postcodes(findings, names["postcode"], live)
    if rows_read == 0 and not findings.has_errors:
        findings.add("error", "no-rows", "file has a header but no data rows")
    if findings.has_errors:
        report.problems += findings.problems()
        return None
    table = pa.concat_tables(batches) if batches else _empty()
    if batches:
        _check_unique(
            np.concatenate(keys), np.concatenate(lines), table, names["postcode"], findings
        )
    if whole and not findings.has_errors and table.num_rows < COMPLETE:
        findings.add(
            "warning",
            "partial-file",
            f"{table.num_rows:,} live postcodes; the complete UK directory has about 1.8 "
            "million (a partial extract?): postcodes not in this file are answered 404",
        )
    report.problems += findings.problems()
    if findings.has_errors:
        return None
    return Directory(table, rows_read)


def _header(path: Path, findings: Findings) -> list[str] | None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(bounded_lines(handle)), None)
    except LineTooLong:
        findings.add(
            "error", "line-too-long", f"header is longer than {MAX_LINE_CHARS:,} characters"
        )
        return None
    except UnicodeDecodeError as exc:
        findings.add("error", "bad-encoding", f"header is not UTF-8 text: {exc.reason}")
        return None
    if not header:
        findings.add("error", "empty-file", "file is empty")
        return None
    return header


def _batches(path: Path, fields: dict[str, int], width: int, findings: Findings) -> Iterator[Any]:
    """The file's record batches, holding only the columns of ``fields`` (named after them)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    columns = [f"c{i}" for i in range(width)]
    wanted = {f"c{index}": field for field, index in fields.items()}

    def ragged(row: Any) -> str:
        findings.add(
            "error",
            "ragged-row",
            f"row has {row.actual_columns} fields, the header {row.expected_columns}: "
            f"{plain(row.text)!r}",
        )
        return "skip"

    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(column_names=columns, skip_rows=1, block_size=BLOCK),
        parse_options=pacsv.ParseOptions(invalid_row_handler=ragged),
        convert_options=pacsv.ConvertOptions(
            include_columns=list(wanted),
            column_types=dict.fromkeys(wanted, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    for batch in reader:
        yield batch.rename_columns([wanted[name] for name in batch.schema.names])


def _check_batch(
    batch: Any, start: int, names: dict[str, str], findings: Findings
) -> tuple[Any, Any]:
    """Check one batch; its live rows as :data:`STORED` columns, and their file lines."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    lines = np.arange(start, start + batch.num_rows, dtype=np.int64)
    terminated = pc.utf8_trim_whitespace(batch.column("terminated"))
    check_terminated(terminated, lines, findings, names["terminated"])
    live = pc.equal(terminated, "")
    batch = batch.filter(live)
    lines = lines[np.asarray(live.to_numpy(zero_copy_only=False), dtype=bool)]
    if batch.num_rows == 0:
        return None, None
    raw = batch.column("postcode")
    compact = pc.utf8_upper(pc.replace_substring_regex(raw, r"\s+", ""))
    good = check_postcodes(raw, compact, lines, findings, names["postcode"])
    if not pc.all(good).as_py():  # skipped (see tolerate_postcodes)
        batch, compact = batch.filter(good), compact.filter(good)
        lines = lines[np.asarray(good.to_numpy(zero_copy_only=False), dtype=bool)]
        if batch.num_rows == 0:
            return None, None
    columns: dict[str, Any] = {"postcode": compact}
    for field in CODE_FIELDS:
        if field not in names:
            columns[field] = pa.nulls(batch.num_rows, pa.string())
            continue
        values = pc.utf8_trim_whitespace(batch.column(field))
        check_codes(values, lines, findings, names[field])
        columns[field] = pc.dictionary_encode(_without_pseudo(values))
    lat, lng = check_coordinates(
        batch.column("latitude"),
        batch.column("longitude"),
        lines,
        findings,
        (names["latitude"], names["longitude"]),
    )
    columns["latitude"], columns["longitude"] = lat, lng
    return pa.table({name: columns[name] for name in STORED}), lines


def _without_pseudo(values: Any) -> Any:
    """Blank cells and ONS pseudo-codes (``E99999999``) as nulls."""
    import pyarrow as pa
    import pyarrow.compute as pc

    none = pc.or_(pc.equal(values, ""), pc.match_substring_regex(values, "^[A-Z]99999999$"))
    return pc.if_else(none, pa.scalar(None, pa.string()), values)


def postcode_keys(compact: Any) -> Any:
    """Each postcode (upper case, no space, at most 7 characters) as one int64, for sorting.

    Base 37 over the padded characters (0 pad, 1–10 digits, 11–36 letters): 14 MB for the
    whole directory where a hash of the strings would take ten times that.
    """
    import numpy as np

    n = len(compact)
    if n == 0 or compact.buffers()[2] is None:
        return np.zeros(n, dtype=np.int64)
    offsets = np.frombuffer(compact.buffers()[1], dtype=np.int32)[compact.offset :][: n + 1]
    data = np.frombuffer(compact.buffers()[2], dtype=np.uint8)
    starts, lengths = offsets[:-1], np.diff(offsets)
    keys = np.zeros(n, dtype=np.int64)
    for k in range(7):
        chars = data[np.minimum(starts + k, len(data) - 1)].astype(np.int64)
        digit = (chars >= 48) & (chars <= 57)
        code = np.where(digit, chars - 47, np.where((chars >= 65) & (chars <= 90), chars - 54, 0))
        keys = keys * 37 + np.where(lengths > k, code, 0)
    return keys


def _check_unique(keys: Any, lines: Any, table: Any, column: str, findings: Findings) -> None:
    """Live postcodes listed twice (found by sorting their int64 keys)."""
    import numpy as np

    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    repeated = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
    if len(repeated) == 0:
        return
    where = np.sort(order[repeated])
    shown = [int(i) for i in where[:MAX_SHOWN]]
    postcodes = table.column("postcode")
    findings.cells(
        "error",
        "duplicate-key",
        column,
        [int(lines[i]) for i in shown],
        [f"live postcode {postcodes[i].as_py()} is listed more than once" for i in shown],
        len(where),
    )


def _empty() -> Any:
    import pyarrow as pa

    return pa.table(
        {name: pa.array([], pa.float64() if "itude" in name else pa.string()) for name in STORED}
    )


def _rows(table: Any) -> Iterator[tuple[Any, ...]]:
    """The table's rows as tuples (columns :data:`STORED`), a slice at a time."""
    for offset in range(0, table.num_rows, WRITE_SLICE):
        part = table.slice(offset, WRITE_SLICE)
        yield from zip(*(_values(part.column(name)) for name in STORED), strict=True)


def _values(column: Any) -> list[Any]:
    """A column as Python values (dictionary chunks decoded first: ten times faster)."""
    import pyarrow as pa

    values: list[Any] = []
    for chunk in column.chunks:
        plain = chunk.dictionary_decode() if pa.types.is_dictionary(chunk.type) else chunk
        values += plain.to_pylist()
    return values


def read_names(path: Path, geography: str, report: FileReport) -> list[dict[str, str]]:
    """``{code, geography, name}`` of a names file; problems (warnings only) into ``report``.

    A names file only adds names: one that cannot be read is a warning, never an error.
    """
    label = report.path
    report.problems += [
        Problem("warning", p.code, p.message, p.file, p.row, p.column)
        for p in check_file_bytes(path, NAMES_SPEC, label=label)
    ]
    refused = size_problem(path, label, MAX_TEXT_BYTES)
    if refused is not None:
        report.problems.append(Problem("warning", refused.code, refused.message, label))
        return []
    text = _decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    code_at = next((i for i, h in enumerate(header) if re.fullmatch(NAMES_CODE, h)), None)
    name_at = _name_column(header, code_at)
    if code_at is None or name_at is None:
        report.problems.append(
            Problem(
                "warning",
                "missing-column",
                "no code and name columns (like LAD23CD, LAD23NM): names not read, so areas "
                "are matched without them",
                label,
            )
        )
        return []
    found: list[dict[str, str]] = []
    for record in reader:
        if len(record) <= max(code_at, name_at):
            continue
        report.rows_read += 1
        code, name = record[code_at].strip(), record[name_at].strip()
        if re.fullmatch(CODE, code) and name and not is_pseudo(code):
            found.append({"code": code, "geography": geography, "name": name})
    return found


def _name_column(header: list[str], code_at: int | None) -> int | None:
    """The name column: ``LAD23NM`` beside ``LAD23CD`` (else the first ``…NM``)."""
    names = [i for i, h in enumerate(header) if re.fullmatch(NAMES_NAME, h)]
    if code_at is None or not names:
        return None
    stem = header[code_at][:-2].casefold()
    return next((i for i in names if header[i][:-2].casefold() == stem), names[0])


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (older names files)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _unique_names(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    by_code: dict[str, dict[str, str]] = {}
    for row in rows:
        by_code.setdefault(row["code"], row)
    return list(by_code.values())


def _matches(source_dir: Path, pattern: str) -> list[Path]:
    return sorted(p for p in source_dir.glob(pattern) if p.is_file())


def _relative(source_dir: Path, path: Path) -> str:
    return path.relative_to(source_dir).as_posix()


@dataclass(frozen=True)
class PostcodeDirectoryDataset(Dataset):
    """Present when one directory file (ONSPD or NSPL) is; the names files are optional."""

    def present(self, source_dir: Path) -> bool:
        wanted = (*DATA_FILES, *SPLIT_FILES)
        return any(f.find(source_dir) is not None for f in self.files if f.path in wanted)

    def missing_files(self, source_dir: Path) -> list[str]:
        return [] if self.present(source_dir) else [" or ".join((*DATA_FILES, *SPLIT_FILES))]


_NAMES_TITLES = {
    "la": "local authority districts and unitary authorities",
    "county": "counties",
    "region": "English regions",
    "lep": "Local Enterprise Partnerships",
    "country": "countries",
}

ABOUT = About(
    coverage="Every live postcode of the UK, the Channel Islands and the Isle of Man (about 1.8 "
    "million), with the GSS codes of its local authority district or unitary authority, county, "
    "English region, Local Enterprise Partnership and country, and its centroid. Terminated "
    "postcodes are left out.",
    currency="The edition placed in the source directory, named by its month in the file name "
    "(ONSPD_FEB_2024_UK.csv); no edition is there yet, so the API refuses postcodes.",
    frequency="ONS publishes the ONSPD and the NSPL every quarter (February, May, August and "
    "November); lmi picks up a new edition when its file replaces the old one in the source "
    "directory and a release is built.",
    limitations="A postcode belongs whole to the areas its centroid lies in, so one straddling "
    "a boundary counts in one area only. The API's local authorities (the 152 of ESS 2017) have "
    "no codes and are matched by name: authorities created since (Bournemouth, Christchurch and "
    "Poole; the Northamptonshire unitaries) resolve to their LEP or region. LEPs were wound up "
    "in 2024, so later editions may carry no LEP codes.",
)

FETCH = Fetch(
    page="https://geoportal.statistics.gov.uk/search?q=PRD_ONSPD",
    files=(
        "onspd/Data/ONSPD_<MON>_<YEAR>_UK.csv (whole UK) from the ONSPD zip, or its "
        "Data/multi_csv/ONSPD_<MON>_<YEAR>_UK_<AREA>.csv per-area files (any subset)",
        "onspd/Documents/*names and codes*.csv (optional: area names)",
    ),
    editions="ONSPD and NSPL, whole-UK file or per-area split, with each edition's column "
    "names (mapping table: "
    + "; ".join(
        f"{field} = "
        + " / ".join(dict.fromkeys(names[field] for names in COLUMN_EDITIONS.values()))
        for field in STORED
    )
    + "; the 2025 names are accepted for any boundary year, e.g. lad24cd)",
)

ONSPD = PostcodeDirectoryDataset(
    name="onspd",
    title="ONS Postcode Directory (or National Statistics Postcode Lookup): live UK postcodes "
    "with their local authority, county, region, LEP and country codes and centroid",
    publisher="Office for National Statistics (ONS Geography)",
    licence="Open Government Licence v3.0; contains OS data © Crown copyright and database "
    "right, Royal Mail data © Royal Mail copyright and database right",
    files=(
        SourceFile(
            DATA_FILES[0],
            "ONS Postcode Directory as published (`Data/` of the ONSPD zip; one file, any month)",
            required=False,
            spec=ONSPD_SPEC,
        ),
        SourceFile(
            DATA_FILES[1],
            "or the National Statistics Postcode Lookup (`Data/` of the NSPL zip)",
            required=False,
            spec=ONSPD_SPEC,
        ),
        SourceFile(
            SPLIT_FILES[0],
            "or the same rows split by postcode area (`Data/multi_csv/` of the ONSPD zip): any "
            "set of areas; the areas missing are reported and answered as not loaded",
            required=False,
            spec=ONSPD_SPEC,
            many=True,
        ),
        SourceFile(
            SPLIT_FILES[1],
            "or the NSPL's per-area split (`Data/multi_csv/` of the NSPL zip)",
            required=False,
            spec=ONSPD_SPEC,
            many=True,
        ),
        *(
            SourceFile(
                pattern,
                f"names of the codes of {_NAMES_TITLES[geography]} (`Documents/` of the zip)",
                required=False,
                spec=NAMES_SPEC,
            )
            for geography, pattern in NAMES_FILES.items()
        ),
    ),
    tables=(onspd_postcodes, onspd_areas, onspd_coverage),
    views=(POSTCODES,),
    load=load_onspd,
    about=ABOUT,
    fetch=FETCH,
)

assert set(ALIASES) >= set(STORED)
