"""Generating synthetic LEO records in chunks, written as Parquet and/or CSV.

Everything is vectorised with numpy (no Python loop over rows) and streamed: each chunk of
``chunk_rows`` records is drawn, written and dropped, so memory does not grow with the file.
The same seed, tier, row count and chunk size give byte-identical files.

Structure enforced on every record (checked again by the disclosure report):

* ``earnings`` is set exactly when ``activity`` is ``sustained_employment_only`` (the graduates
  DfE counts in its earnings figures), and is a positive whole number of pounds;
* ``sustained`` is true exactly for the activities the published rate counts;
* ``academic_year`` is the cohort that is ``yag`` years on in ``tax_year`` (one record per
  person, so a person's YAG, cohort and tax year always agree);
* every code is from its code list; ``fsm`` is null for graduates domiciled outside England.

L2 draws cell × activity counts without replacement from counts allocated exactly to the
published shares (largest remainder), so a file's cell shares and activity rates reproduce the
table; the earners of a cell take each stratum (j + ½)/n of the cell's earnings law once (in
a scrambled order), so its sample quartiles sit on the published ones even in small cells.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lmi.synth.leo.fitting import Model, SynthError
from lmi.synth.leo.variables import (
    ACTIVITIES,
    COLUMNS,
    EARNING_ACTIVITY,
    ENGLISH_REGIONS,
    SEXES,
    STAND_INS,
    SUBJECTS,
    SUSTAINED_ACTIVITIES,
    TAX_YEAR,
    WATERMARK,
    YAGS,
    cohort_of,
)

__all__ = [
    "CHUNK_ROWS",
    "GENERATOR_VERSION",
    "Progress",
    "Written",
    "allocate",
    "generate",
    "metadata",
    "ndtri",
    "schema",
    "write",
]

GENERATOR_VERSION = "leo-synth@1"
CHUNK_ROWS = 1 << 18
#: earnings z-scores are truncated here (no one earns more than exp(3.5 σ) × the median)
Z_LIMIT = 3.5
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
FORMATS = ("parquet", "csv")

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


# -- numerics --------------------------------------------------------------------------------

_A = (
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.357751867269,
    -30.66479806614716,
    2.506628277459239,
)
_B = (
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
)
_C = (
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
)
_D = (0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416)
_P_LOW = 0.02425


def ndtri(p: FloatArray) -> FloatArray:
    """Inverse of the standard normal CDF (Acklam's approximation, relative error < 1.2e-9)."""
    p = np.clip(p, 1e-300, 1 - 1e-16)
    q = p - 0.5
    r = q * q
    num = ((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]
    den = ((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1.0
    x: FloatArray = num * q / den
    tail = np.minimum(p, 1.0 - p) < _P_LOW
    if tail.any():
        pt = p[tail]
        t = np.sqrt(-2.0 * np.log(np.minimum(pt, 1.0 - pt)))
        num_t = ((((_C[0] * t + _C[1]) * t + _C[2]) * t + _C[3]) * t + _C[4]) * t + _C[5]
        den_t = (((_D[0] * t + _D[1]) * t + _D[2]) * t + _D[3]) * t + 1.0
        x[tail] = np.where(pt < 0.5, num_t / den_t, -num_t / den_t)
    return x


def allocate(total: int, weights: FloatArray) -> IntArray:
    """Split ``total`` in proportion to ``weights`` exactly (largest remainder, ties by index)."""
    weights = np.asarray(weights, dtype=np.float64)
    if total < 0 or weights.sum() <= 0:
        raise SynthError("nothing to allocate rows to")
    exact = weights / weights.sum() * total
    base: IntArray = np.floor(exact).astype(np.int64)
    short = total - int(base.sum())
    if short:
        order = np.argsort(-(exact - base), kind="stable")
        base[order[:short]] += 1
    return base


#: categorical draws map a uniform 16-bit integer through a table of this many entries, so
#: each share is kept to within 1/65,536 (a gather, much faster than a binary search)
TABLE_BITS = 16


def _table(
    shares: tuple[float, ...] | list[float] | FloatArray, missing: float = 0.0
) -> npt.NDArray[np.int8]:
    """Lookup table: entry i is the category of draw i; the last category is 'missing'."""
    p = np.asarray(shares, dtype=np.float64)
    p = np.append(p / p.sum() * (1.0 - missing), missing)
    counts = allocate(1 << TABLE_BITS, p)
    table: npt.NDArray[np.int8] = np.repeat(np.arange(p.size, dtype=np.int8), counts)
    return table


def _draw(rng: np.random.Generator, table: npt.NDArray[np.int8], size: int) -> npt.NDArray[np.int8]:
    found: npt.NDArray[np.int8] = table[rng.integers(0, 1 << TABLE_BITS, size, dtype=np.uint16)]
    return found


# -- Arrow schema and arrays -------------------------------------------------------------------


#: dictionary (codes) of every categorical column
def _codes() -> dict[str, tuple[str, ...]]:
    return {
        "tax_year": (TAX_YEAR,),
        "academic_year": tuple(cohort_of(y) for y in YAGS),
        "sex": SEXES,
        "subject_cah2": SUBJECTS,
        **{m.name: m.codes for m in STAND_INS},
        "activity": ACTIVITIES,
    }


CODES = _codes()
_DICT = pa.dictionary(pa.int8(), pa.string())


def schema(meta: dict[str, str] | None = None) -> pa.Schema:
    """The Arrow schema of every synthetic LEO file (categoricals dictionary-encoded)."""
    fields = []
    for name in COLUMNS:
        if name == "synthetic" or name == "sustained":
            kind: pa.DataType = pa.bool_()
        elif name == "person_id":
            kind = pa.int64()
        elif name == "yag":
            kind = pa.int8()
        elif name == "earnings":
            kind = pa.int32()
        else:
            kind = _DICT
        fields.append(pa.field(name, kind, nullable=name not in ("synthetic", "person_id")))
    return pa.schema(fields, metadata=meta)


def _categorical(name: str, index: npt.NDArray[np.int8]) -> pa.Array:
    codes = CODES[name]
    missing = index >= len(codes)
    indices = pa.array(index, type=pa.int8(), mask=missing if missing.any() else None)
    return pa.DictionaryArray.from_arrays(indices, pa.array(codes, pa.string()), safe=False)


# -- generation --------------------------------------------------------------------------------


@dataclass
class _State:
    """What carries over from one chunk to the next."""

    rng: np.random.Generator
    next_id: int
    remaining: IntArray | None  # L2: cell × activity counts still to draw
    earned: IntArray | None  # L2: earners drawn so far per cell
    #: L2: per cell, total earners n, step a (coprime with n) and offset b: the k-th earner of
    #: a cell (in file order) takes stratum (a·k + b) mod n, a permutation of 0 … n-1
    strata: IntArray | None = None


def generate(
    model: Model, rows: int, seed: int, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pa.Table]:
    """The records of a synthetic file, ``chunk_rows`` at a time, as Arrow tables."""
    if rows < 1:
        raise SynthError("rows must be at least 1")
    if chunk_rows < 1:
        raise SynthError("chunk_rows must be at least 1")
    rng = np.random.Generator(np.random.PCG64(seed))
    state = _State(rng, 1, None, None)
    if model.tier == "L2":
        cells = allocate(rows, model.weights)
        counts = np.stack(
            [
                allocate(int(n), p) if n else np.zeros(len(ACTIVITIES), np.int64)
                for n, p in zip(cells, model.activity, strict=True)
            ]
        )
        state.remaining = counts.reshape(-1)
        state.earned = np.zeros(len(model.cells), dtype=np.int64)
        state.strata = _strata(rng, counts[:, EARNING_ACTIVITY])
    schema_ = schema()
    done = 0
    while done < rows:
        size = min(chunk_rows, rows - done)
        arrays = (
            _chunk_l2(model, state, size) if model.tier == "L2" else _chunk_l1(model, state, size)
        )
        done += size
        yield pa.Table.from_arrays(arrays, schema=schema_)


def _strata(rng: np.random.Generator, earners: IntArray) -> IntArray:
    """Per cell (n, a, b): the affine permutation k → (a·k + b) mod n of the cell's strata.

    Every cell's earners together take each stratum (j + ½)/n exactly once, so the sample
    quartiles sit on the law's quartiles; a ≈ n/φ spreads neighbouring records apart.
    """
    n = np.maximum(earners, 1)
    a = np.maximum(np.rint(n * _GOLDEN), 1).astype(np.int64)
    for i in range(n.size):  # one small loop per cell (280), not per record
        while math.gcd(int(a[i]), int(n[i])) != 1:
            a[i] += 1
    b = (rng.random(n.size) * n).astype(np.int64)
    return np.stack([n, a, b])


def _cell_codes(
    model: Model,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8], npt.NDArray[np.int8]]:
    subject = np.array([SUBJECTS.index(c[0]) for c in model.cells], dtype=np.int8)
    sex = np.array([SEXES.index(c[1]) for c in model.cells], dtype=np.int8)
    yag = np.array([YAGS.index(c[2]) for c in model.cells], dtype=np.int8)
    return subject, sex, yag


def _chunk_l2(model: Model, state: _State, size: int) -> list[pa.Array]:
    rng = state.rng
    assert state.remaining is not None and state.earned is not None and state.strata is not None
    drawn = rng.multivariate_hypergeometric(state.remaining, size, method="marginals")
    state.remaining -= drawn
    labels = rng.permutation(np.repeat(np.arange(drawn.size, dtype=np.int32), drawn))
    n_act = len(ACTIVITIES)
    cell = labels // n_act
    activity = (labels % n_act).astype(np.int8)
    earners = np.flatnonzero(activity == EARNING_ACTIVITY)
    earner_cell = cell[earners]
    # the k-th earner of a cell (in file order) takes stratum (a·k + b) mod n of the cell
    order = np.argsort(earner_cell, kind="stable")
    per_cell = np.bincount(earner_cell, minlength=len(model.cells))
    starts = np.cumsum(per_cell) - per_cell
    rank = np.empty(earners.size, dtype=np.int64)
    rank[order] = np.arange(earners.size) - np.repeat(starts, per_cell)
    k = state.earned[earner_cell] + rank
    state.earned += per_cell
    n, a, b = (state.strata[i][earner_cell] for i in range(3))
    u = (np.mod(a * k + b, n) + 0.5) / n
    earnings = _earnings(model, earner_cell, u, size, earners)
    subject, sex, yag = _cell_codes(model)
    return _assemble(state, size, subject[cell], sex[cell], yag[cell], activity, earnings)


def _chunk_l1(model: Model, state: _State, size: int) -> list[pa.Array]:
    rng = state.rng
    marg = {what: model.marginal(what) for what in ("subject", "sex", "yag", "activity")}
    subject = _draw(rng, _table([marg["subject"].get(s, 0.0) for s in SUBJECTS]), size)
    sex = _draw(rng, _table([marg["sex"].get(s, 0.0) for s in SEXES]), size)
    yag = _draw(rng, _table([marg["yag"].get(str(y), 0.0) for y in YAGS]), size)
    activity = _draw(rng, _table([marg["activity"][a] for a in ACTIVITIES]), size)
    earners = np.flatnonzero(activity == EARNING_ACTIVITY)
    # pooled earnings: a cell's law chosen by its published earners, independent of the person
    weights = np.cumsum(model.earners / model.earners.sum())
    component = np.minimum(
        np.searchsorted(weights, rng.random(earners.size), side="right"), len(model.laws) - 1
    )
    z = rng.standard_normal(earners.size)
    earnings = _earnings(model, component, z, size, earners, is_z=True)
    return _assemble(state, size, subject, sex, yag, activity, earnings)


def _earnings(
    model: Model,
    cell: IntArray,
    u: FloatArray,
    size: int,
    earners: IntArray,
    *,
    is_z: bool = False,
) -> pa.Array:
    """Earnings of ``earners`` (row numbers) from their cells' laws at uniforms ``u`` (or z)."""
    kz, kl = _knots(model)
    z = np.clip(u if is_z else ndtri(u), -Z_LIMIT, Z_LIMIT)
    cell_z, cell_log = kz[cell], kl[cell]
    upper = np.clip((z[:, None] >= cell_z).sum(axis=1), 1, kz.shape[1] - 1)
    rows = np.arange(z.size)
    z0, z1 = cell_z[rows, upper - 1], cell_z[rows, upper]
    v0, v1 = cell_log[rows, upper - 1], cell_log[rows, upper]
    log_values = v0 + (z - z0) / (z1 - z0) * (v1 - v0)
    values = np.maximum(np.rint(np.exp(log_values)), 1.0).astype(np.int32)
    # no record carries a published figure itself (in a small cell, a quartile may be one
    # person's earnings): a value equal to one of its law's knots (the published quartiles of
    # its cell and of the totals it is raked to) moves by £1
    values[(values[:, None] == np.rint(np.exp(cell_log))).any(axis=1)] += 1
    full = np.zeros(size, dtype=np.int32)
    full[earners] = values
    mask = np.ones(size, dtype=bool)
    mask[earners] = False
    return pa.array(full, type=pa.int32(), mask=mask)


def _knots(model: Model) -> tuple[FloatArray, FloatArray]:
    """Every law's knots as (cells × K) arrays of z and log £, padded along the upper tail."""
    width = max(len(law.knots) for law in model.laws)
    kz = np.empty((len(model.laws), width))
    kl = np.empty((len(model.laws), width))
    for i, law in enumerate(model.laws):
        zs, logs = (list(v) for v in zip(*law.knots, strict=True))
        while len(zs) < width:  # extend the upper tail with the same slope
            zs.append(zs[-1] + 1.0)
            logs.append(logs[-1] + law.sigma_hi)
        kz[i], kl[i] = zs, logs
    return kz, kl


def _assemble(
    state: _State,
    size: int,
    subject: npt.NDArray[np.int8],
    sex: npt.NDArray[np.int8],
    yag: npt.NDArray[np.int8],
    activity: npt.NDArray[np.int8],
    earnings: pa.Array,
) -> list[pa.Array]:
    rng = state.rng
    stand_ins = {m.name: _draw(rng, _table(m.shares, m.missing), size) for m in STAND_INS}
    # FSM is recorded for English state schools only: null for other home nations
    english = stand_ins["home_region"] < len(ENGLISH_REGIONS)
    stand_ins["fsm"] = np.where(english, stand_ins["fsm"], len(CODES["fsm"])).astype(np.int8)
    ids = np.arange(state.next_id, state.next_id + size, dtype=np.int64)
    state.next_id += size
    yag_values = np.asarray(YAGS, dtype=np.int8)[yag]
    sustained = np.isin(activity, SUSTAINED_ACTIVITIES)
    columns: dict[str, pa.Array] = {
        "synthetic": pa.array(np.ones(size, dtype=bool)),
        "person_id": pa.array(ids),
        "tax_year": _categorical("tax_year", np.zeros(size, dtype=np.int8)),
        "academic_year": _categorical("academic_year", yag),
        "yag": pa.array(yag_values, type=pa.int8()),
        "sex": _categorical("sex", sex),
        "subject_cah2": _categorical("subject_cah2", subject),
        **{name: _categorical(name, index) for name, index in stand_ins.items()},
        "activity": _categorical("activity", activity),
        "sustained": pa.array(sustained),
        "earnings": earnings,
    }
    return [columns[name] for name in COLUMNS]


# -- files -------------------------------------------------------------------------------------


def metadata(model: Model, *, rows: int, seed: int, chunk_rows: int) -> dict[str, Any]:
    """What every synthetic file says about itself (Parquet key ``lmi``, and a sidecar JSON)."""
    from lmi.datasets.leo import LEO

    return {
        "synthetic": True,
        "watermark": WATERMARK,
        "generator": GENERATOR_VERSION,
        "tier": model.tier,
        "tier_meaning": {
            "L1": "each variable's marginal and missingness kept, no relationships",
            "L2": "subject × sex × YAG counts, activity shares and earnings quartiles kept "
            "from the published LEO table; everything else independent",
        }[model.tier],
        "rows": rows,
        "seed": seed,
        "chunk_rows": chunk_rows,
        "model": model.describe(),
        "sources": [
            {
                "dataset": LEO.name,
                "title": LEO.title,
                "publisher": LEO.publisher,
                "licence": LEO.licence,
                "file": model.published.path,
                "used": "published, disclosure-checked aggregates only",
            }
        ],
        "variables": _variables(model),
        "structure": [
            "earnings set exactly when activity = sustained_employment_only (positive £)",
            "sustained = activity in (sustained_employment_only, "
            "sustained_employment_and_further_study, further_study_only)",
            "academic_year = the cohort yag years on in tax_year; one record per person",
            "fsm null when home_region is outside England",
            "every code from its code list",
        ],
        "assumptions": [
            f"{m.name}: stand-in marginal (not from any published table)" for m in STAND_INS
        ]
        + [
            "activity: the published share outside earnings but in employment/study is split "
            "60 % employment and further study, 40 % further study only; the rest 60 % no "
            "sustained destination, 40 % activity not captured (assumed)",
            "earnings: split log-normal through the published quartiles of the cell, raked to "
            "the published quartiles of the totals (log earnings piecewise linear in the "
            f"normal score), truncated at ±{Z_LIMIT} standard deviations; whole pounds",
        ],
    }


def _variables(model: Model) -> list[dict[str, Any]]:
    published = "published LEO table" + (" (cell weights)" if model.tier == "L2" else "")
    found: list[dict[str, Any]] = [
        {"name": "synthetic", "description": "always true: this record is synthetic"},
        {"name": "person_id", "description": "synthetic person number (no link to anyone)"},
        {"name": "tax_year", "codes": list(CODES["tax_year"]), "source": "published LEO table"},
        {"name": "academic_year", "description": "graduating cohort, implied by yag"},
        {"name": "yag", "codes": list(YAGS), "source": published},
        {"name": "sex", "codes": list(SEXES), "source": published},
        {"name": "subject_cah2", "codes": list(SUBJECTS), "source": published},
    ]
    for m in STAND_INS:
        found.append(
            {
                "name": m.name,
                "description": m.description,
                "codes": list(m.codes),
                "shares": list(m.shares),
                "missing": m.missing,
                "source": "stand-in marginal",
                "assumption": m.assumption,
            }
        )
    found += [
        {"name": "activity", "codes": list(ACTIVITIES), "source": published},
        {"name": "sustained", "description": "in sustained employment, further study or both"},
        {
            "name": "earnings",
            "description": "annual earnings, £ (nominal), earners only",
            "source": published,
        },
    ]
    return found


class Progress:
    """A progress bar on stderr (redrawn in place on a terminal, a line per 10 % otherwise)."""

    def __init__(
        self,
        total: int,
        *,
        label: str,
        enabled: bool = True,
        stream: IO[str] | None = None,
        unit: str = "rows",
    ) -> None:
        self.total, self.label, self.enabled, self.unit = total, label, enabled, unit
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()
        self.done = 0
        self._last_decile = -1

    def update(self, rows: int) -> None:
        self.done += rows
        if not self.enabled:
            return
        fraction = self.done / self.total if self.total else 1.0
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        bar = "#" * int(fraction * 30)
        line = (
            f"{self.label} [{bar:<30}] {fraction:6.1%} {self.done:,}/{self.total:,} {self.unit} "
            f"{self.done / elapsed:,.0f} {self.unit}/s"
        )
        if self.stream.isatty():
            end = "\n" if self.done >= self.total else ""
            self.stream.write(f"\r{line}{end}")
        else:
            decile = int(fraction * 10)
            if decile == self._last_decile and self.done < self.total:
                return
            self._last_decile = decile
            self.stream.write(line + "\n")
        self.stream.flush()


@dataclass
class Written:
    paths: list[Path]
    rows: int
    seconds: float
    metadata: dict[str, Any]


def write(
    model: Model,
    out: Path,
    *,
    rows: int,
    seed: int,
    formats: tuple[str, ...] = ("parquet",),
    chunk_rows: int = CHUNK_ROWS,
    stem: str | None = None,
    progress: bool = True,
) -> Written:
    """Write a synthetic file per format into directory ``out``, streaming chunk by chunk."""
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise SynthError(f"unknown format(s) {sorted(unknown)}: use parquet and/or csv")
    out.mkdir(parents=True, exist_ok=True)
    stem = stem or f"leo_synthetic_{model.tier}"
    meta = metadata(model, rows=rows, seed=seed, chunk_rows=chunk_rows)
    text = json.dumps(meta, indent=2, ensure_ascii=False)
    file_meta = {"lmi": text, "synthetic": "true", "watermark": WATERMARK}
    paths = {f: out / f"{stem}.{f}" for f in formats}
    parquet = (
        pq.ParquetWriter(paths["parquet"], schema(file_meta), compression="zstd")
        if "parquet" in paths
        else None
    )
    csv_writer = None
    csv_schema = pa.schema(
        [
            pa.field(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type)
            for f in schema()
        ]
    )
    if "csv" in paths:
        csv_writer = pacsv.CSVWriter(paths["csv"], csv_schema)
    bar = Progress(rows, label=f"synth leo {model.tier}", enabled=progress)
    start = time.perf_counter()
    try:
        for table in generate(model, rows, seed, chunk_rows):
            if parquet is not None:
                parquet.write_table(table.replace_schema_metadata(file_meta))
            if csv_writer is not None:
                csv_writer.write_table(_decoded(table, csv_schema))
            bar.update(table.num_rows)
    finally:
        if parquet is not None:
            parquet.close()
        if csv_writer is not None:
            csv_writer.close()
    seconds = time.perf_counter() - start
    for path in paths.values():
        path.with_name(path.name + ".metadata.json").write_text(text + "\n", encoding="utf-8")
    return Written(list(paths.values()), rows, seconds, meta)


def _decoded(table: pa.Table, target: pa.Schema) -> pa.Table:
    columns = [
        col.cast(pa.string()) if pa.types.is_dictionary(col.type) else col for col in table.columns
    ]
    return pa.Table.from_arrays(columns, schema=target)
