"""The aggregation pipeline: LEO-format person records → the published LEO table, with SDC.

The same code a data owner would run on real records in a secure setting, testable here on
synthetic ones. Input: Parquet or CSV files with at least the columns ``tax_year``,
``academic_year``, ``yag``, ``sex`` (``F``/``M``), ``subject_cah2``, ``activity`` and
``earnings`` (the layout :mod:`lmi.synth.leo.generator` writes). Output: one row per CAH2
subject (and ``Total``) × sex (``Female``, ``Male``, ``Total``) × YAG in the columns of DfE's
table (``time_period`` … ``sust_emp_fs_or_both``), with DfE's publication rules applied:

* counts (``grads``, ``earnings_include``) rounded to the nearest 5;
* earnings quartiles (numpy's default ``linear`` quantiles) rounded to the nearest £100, and
  replaced by ``c`` when fewer than ``min_earners`` graduates have earnings;
* the sustained-employment rate in per cent to 0.1, ``c`` when fewer than ``min_graduates``.

The rounding steps come from the ``leo`` SDC policy (:mod:`lmi.sdc.policy`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lmi.datasets.leo.checks import EARNINGS_COLUMNS
from lmi.datasets.leo.codes import CAH2_NAMES
from lmi.sdc import policy
from lmi.synth.leo.fitting import SynthError
from lmi.synth.leo.variables import ACTIVITIES, EARNING_ACTIVITY, SUSTAINED_ACTIVITIES, YAGS

__all__ = [
    "HEADER",
    "INPUT_COLUMNS",
    "Aggregated",
    "Rules",
    "aggregate",
    "aggregate_files",
    "read_records",
    "write_table",
]

INPUT_COLUMNS = ("tax_year", "academic_year", "yag", "sex", "subject_cah2", "activity", "earnings")
HEADER = tuple(EARNINGS_COLUMNS)  # the published table layout
SUBJECT_CODES = tuple(CAH2_NAMES)
#: sex codes accepted in records → index (0 female, 1 male); index 2 is the Total
SEX_CODES = {"F": 0, "M": 1, "female": 0, "male": 1, "Female": 0, "Male": 1}
SEX_NAMES = ("Female", "Male", "Total")
QUARTILES = (0.25, 0.5, 0.75)
LEO = policy("leo")


@dataclass(frozen=True)
class Rules:
    """DfE's publication rules as applied here (defaults follow the published table)."""

    #: earnings quartiles are ``c`` below this many graduates with earnings (the published table
    #: shows quartiles for 20 earners and suppresses them for 10)
    min_earners: int = 15
    #: the rate is ``c`` below this many graduates (the table shows it for 5, not for 0)
    min_graduates: int = 3

    def describe(self) -> dict[str, Any]:
        return {
            "policy": LEO.id,
            "rounding": dict(LEO.rounding),
            "min_earners": self.min_earners,
            "min_graduates": self.min_graduates,
            "quantiles": "numpy linear (Hyndman & Fan type 7)",
        }


@dataclass
class Records:
    """The columns the pipeline needs, as integer codes."""

    tax_year: str
    cohorts: dict[int, str]
    subject: npt.NDArray[np.int16]
    sex: npt.NDArray[np.int8]
    yag: npt.NDArray[np.int8]  # index into YAGS
    activity: npt.NDArray[np.int8]
    earnings: npt.NDArray[np.float64]  # NaN for no earnings
    problems: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return int(self.subject.size)


@dataclass
class Aggregated:
    """Unrounded figures per cell (subject 0–34 or 35 = all, sex 0–2, YAG index) and the table."""

    tax_year: str
    cohorts: dict[int, str]
    grads: npt.NDArray[np.int64]  # shape (36, 3, 4)
    earners: npt.NDArray[np.int64]
    sustained: npt.NDArray[np.int64]
    quartiles: npt.NDArray[np.float64]  # shape (36, 3, 4, 3), NaN where no earners
    rules: Rules

    def rows(self) -> list[dict[str, str]]:
        """The published layout, with the SDC rules applied (strings, as in the CSV)."""
        found = []
        names = [*(CAH2_NAMES[c] for c in SUBJECT_CODES), "Total"]
        order = sorted(range(len(names)), key=lambda i: names[i])
        for y in reversed(range(len(YAGS))):
            for x in range(3):
                for s in order:
                    found.append(self._row(s, x, y, names[s]))
        return found

    def _row(self, s: int, x: int, y: int, name: str) -> dict[str, str]:
        grads, earners = int(self.grads[s, x, y]), int(self.earners[s, x, y])
        row = {
            "time_period": self.tax_year.replace("-", ""),
            "academic_year": self.cohorts.get(YAGS[y], ""),
            "YAG": f"{YAGS[y]} YAG",
            "sex": SEX_NAMES[x],
            "subject_name": name,
            "grads": _fmt(LEO.round(grads, "count")),
            "earnings_include": _fmt(LEO.round(earners, "count")),
        }
        for column, q in zip(
            ("earnings_LQ", "earnings_median", "earnings_UQ"), range(3), strict=True
        ):
            value = self.quartiles[s, x, y, q]
            row[column] = (
                "c"
                if earners < self.rules.min_earners or np.isnan(value)
                else _fmt(LEO.round(float(value), "earnings"))
            )
        rate = 100.0 * self.sustained[s, x, y] / grads if grads else float("nan")
        row["sust_emp_fs_or_both"] = (
            "c" if grads < self.rules.min_graduates else _fmt(LEO.round(rate, "percent"))
        )
        return row

    def median(self, subject: str, sex: str, yag: int) -> float | None:
        """Unrounded median of a cell (``subject`` CAH2 or ``all``; sex F, M or all)."""
        s = SUBJECT_CODES.index(subject) if subject in SUBJECT_CODES else len(SUBJECT_CODES)
        x = {"F": 0, "M": 1, "all": 2}[sex]
        value = float(self.quartiles[s, x, YAGS.index(yag), 1])
        return None if np.isnan(value) else value


def _fmt(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


# -- reading -----------------------------------------------------------------------------------


def _batches(path: Path) -> Iterator[pa.RecordBatch]:
    if path.suffix == ".parquet":
        yield from pq.ParquetFile(path).iter_batches(
            batch_size=1 << 18, columns=list(INPUT_COLUMNS)
        )
        return
    if path.suffix == ".csv":
        options = pacsv.ConvertOptions(
            include_columns=list(INPUT_COLUMNS),
            column_types={c: pa.string() for c in INPUT_COLUMNS if c not in ("yag", "earnings")}
            | {"yag": pa.int16(), "earnings": pa.float64()},
            strings_can_be_null=True,
        )
        with pacsv.open_csv(path, convert_options=options) as reader:
            yield from reader
        return
    raise SynthError(f"{path}: not a .parquet or .csv file")


def read_records(paths: Iterable[Path]) -> Records:
    """Read and code the pipeline's columns from Parquet/CSV files, streaming batch by batch."""
    subject_parts, sex_parts, yag_parts, activity_parts, earning_parts = [], [], [], [], []
    tax_years: set[str] = set()
    cohorts: dict[int, str] = {}
    for path in paths:
        if not path.is_file():
            raise SynthError(f"{path}: no such file")
        try:
            for batch in _batches(path):
                table = pa.Table.from_batches([batch])
                missing = [c for c in INPUT_COLUMNS if c not in table.column_names]
                if missing:
                    raise SynthError(f"{path}: missing columns {missing}")
                tax_years.update(_strings(table, "tax_year"))
                yag = table.column("yag").to_numpy(zero_copy_only=False)
                subject = _codes(
                    table, "subject_cah2", {c: i for i, c in enumerate(SUBJECT_CODES)}, path
                )
                sex = _codes(table, "sex", SEX_CODES, path)
                activity = _codes(table, "activity", {a: i for i, a in enumerate(ACTIVITIES)}, path)
                yag_index = np.searchsorted(np.asarray(YAGS), yag)
                bad = (yag_index >= len(YAGS)) | (
                    np.asarray(YAGS)[np.minimum(yag_index, len(YAGS) - 1)] != yag
                )
                if bad.any():
                    raise SynthError(
                        f"{path}: yag must be one of {YAGS}, found "
                        f"{sorted(set(yag[bad].tolist()))[:5]}"
                    )
                for y, cohort in zip(
                    table.column("yag").slice(0, 1000).to_pylist(),
                    table.column("academic_year").slice(0, 1000).to_pylist(),
                    strict=True,
                ):
                    cohorts.setdefault(int(y), str(cohort))
                earnings = (
                    table.column("earnings").cast(pa.float64()).to_numpy(zero_copy_only=False)
                )
                subject_parts.append(subject.astype(np.int16))
                sex_parts.append(sex.astype(np.int8))
                yag_parts.append(yag_index.astype(np.int8))
                activity_parts.append(activity.astype(np.int8))
                earning_parts.append(np.asarray(earnings, dtype=np.float64))
        except (pa.ArrowException, OSError) as exc:
            raise SynthError(f"{path}: cannot read: {exc}") from None
    if len(tax_years) > 1:
        raise SynthError(f"records span several tax years {sorted(tax_years)}: aggregate each")
    if not subject_parts:
        raise SynthError("no records")
    return Records(
        tax_year=tax_years.pop() if tax_years else "",
        cohorts=cohorts,
        subject=np.concatenate(subject_parts),
        sex=np.concatenate(sex_parts),
        yag=np.concatenate(yag_parts),
        activity=np.concatenate(activity_parts),
        earnings=np.concatenate(earning_parts),
    )


def _strings(table: pa.Table, name: str) -> set[str]:
    column = table.column(name)
    if pa.types.is_dictionary(column.type):
        column = column.cast(pa.string())
    return {str(v) for v in pc.unique(column).to_pylist() if v is not None}


def _codes(table: pa.Table, name: str, known: dict[str, int], path: Path) -> npt.NDArray[np.int64]:
    """A categorical column as integer codes; an unknown or missing code is an error."""
    column = table.column(name).combine_chunks()
    if pa.types.is_dictionary(column.type):
        dictionary = column.dictionary.to_pylist()
        indices = column.indices.to_numpy(zero_copy_only=False)
        if column.null_count:
            raise SynthError(f"{path}: {column.null_count} records without {name}")
        lookup = np.array([known.get(str(d), -1) for d in dictionary], dtype=np.int64)
        found: npt.NDArray[np.int64] = lookup[indices]
    else:
        values = column.cast(pa.string())
        uniques = pc.unique(values).to_pylist()
        index = pc.index_in(values, value_set=pa.array(uniques, pa.string())).to_numpy(
            zero_copy_only=False
        )
        lookup = np.array(
            [known.get(str(u), -1) if u is not None else -1 for u in uniques], dtype=np.int64
        )
        found = lookup[index]
    if (found < 0).any():
        bad = sorted(
            {
                str(v)
                for v in np.asarray(table.column(name).cast(pa.string()).to_pylist(), dtype=object)[
                    found < 0
                ][:5]
            }
        )
        raise SynthError(f"{path}: unknown {name} code(s) {bad}")
    return found


# -- aggregating -------------------------------------------------------------------------------


def aggregate(records: Records, rules: Rules | None = None) -> Aggregated:
    """Counts, rates and earnings quartiles for every subject × sex × YAG cell and its totals."""
    rules = rules or Rules()
    n_s, n_y = len(SUBJECT_CODES) + 1, len(YAGS)
    shape = (n_s, 3, n_y)
    grads = np.zeros(shape, dtype=np.int64)
    earners = np.zeros(shape, dtype=np.int64)
    sustained = np.zeros(shape, dtype=np.int64)
    quartiles = np.full((*shape, len(QUARTILES)), np.nan)
    earning = (records.activity == EARNING_ACTIVITY) & ~np.isnan(records.earnings)
    is_sustained = np.isin(records.activity, SUSTAINED_ACTIVITIES)
    values = records.earnings[earning]
    size = n_s * 3 * n_y
    flat = quartiles.reshape(size, len(QUARTILES))
    # the four groupings (subject × sex, subject × all, all × sex, all × all) fill disjoint cells
    for all_subjects in (False, True):
        for all_sexes in (False, True):
            s = np.full(records.rows, n_s - 1) if all_subjects else records.subject
            x = np.full(records.rows, 2) if all_sexes else records.sex
            key: npt.NDArray[np.int64] = (s.astype(np.int64) * 3 + x) * n_y + records.yag
            grads += _counts(key, size, shape)
            earners += _counts(key[earning], size, shape)
            sustained += _counts(key[is_sustained], size, shape)
            found = _quantiles(key[earning], values, size)
            filled = ~np.isnan(found)
            flat[filled] = found[filled]
    return Aggregated(
        records.tax_year, records.cohorts, grads, earners, sustained, quartiles, rules
    )


def _counts(key: npt.NDArray[np.int64], size: int, shape: tuple[int, ...]) -> npt.NDArray[np.int64]:
    found: npt.NDArray[np.int64] = np.bincount(key, minlength=size).reshape(shape)
    return found


def _quantiles(
    key: npt.NDArray[np.int64], values: npt.NDArray[np.float64], size: int
) -> npt.NDArray[np.float64]:
    """Linear-interpolation quartiles per group, vectorised over groups (NaN for empty)."""
    found = np.full((size, len(QUARTILES)), np.nan)
    if key.size == 0:
        return found
    order = np.lexsort((values, key))
    ordered = values[order]
    counts = np.bincount(key, minlength=size)
    starts = np.cumsum(counts) - counts
    present = np.flatnonzero(counts)
    n = counts[present]
    first = starts[present]
    for j, p in enumerate(QUARTILES):
        h = (n - 1) * p
        lo = np.floor(h).astype(np.int64)
        hi = np.minimum(lo + 1, n - 1)
        frac = h - lo
        found[present, j] = ordered[first + lo] + frac * (ordered[first + hi] - ordered[first + lo])
    return found


def aggregate_files(paths: Iterable[Path], rules: Rules | None = None) -> Aggregated:
    return aggregate(read_records(paths), rules)


def write_table(aggregated: Aggregated, path: Path) -> Path:
    """Write the published layout (SDC applied) as CSV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(aggregated.rows())
    return path
