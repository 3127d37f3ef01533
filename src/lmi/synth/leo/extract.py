"""Synthetic LEO in the standard-extract layout: linked, longitudinal people, streamed to tables.

Each synthetic person gets an education history and a labour-market history, drawn together in
chunks of people (vectorised with numpy; no Python loop over people or rows) and written table by
table (:mod:`lmi.synth.leo.layout`), so memory stays flat whatever the population.

**Routes** (shares are assumptions): *HE* graduates (their subject, sex, YAG, 2022-23 activity
and earnings come from the flat L1/L2 generator, so the published relationships carry over in
L2), *KS5* leavers without HE, and *FE* learners after KS4.

**Keys** (as in the extract): ``PupilMatchingRefAnonymous`` (PMR, NPD and HESA) →
``learner_ae_id_to_pmr_lookup`` → ``AE_ID`` → ``learner_ae_id_to_edukey_lookup`` → ``EDUKEY``
(all HMRC/DWP tables); ILR ``RECORDID`` → ``education_records_lookup`` → ``AE_ID``; ILR aims join
learners on ``external_id``. Quirks kept: some AE_IDs carry two EDUKEYs (outcome rows split at a
date between them), some education records have no EDUKEY (not matched: no outcome rows), some
EDUKEYs have no AE_ID (seen only in earnings), duplicated census PMRs flagged by
``RecordStatus``, ILR learner rows per provider and year, six-digit tax years, ``-1`` ILR
sentinels, ``Uncertain*`` spell flags with 6/5 April default dates, monthly CJRS strings.

**Consistency rules** (checked by :func:`lmi.synth.leo.extract_reports.consistency`): every date
inside its table's coverage; an earnings row only in a tax year overlapped by an employment
spell of the same person; HE years before the graduate outcomes; spells ordered and not
overlapping; KS4 before KS5 before HE; tax years ``yyyyyy``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from lmi.synth.leo.fitting import Model, SynthError
from lmi.synth.leo.generator import _earnings, generate
from lmi.synth.leo.layout import TABLES, arrow_schema, tax_year_code
from lmi.synth.leo.variables import EARNING_ACTIVITY, ENGLISH_REGIONS, SEXES, SUBJECTS, YAGS

__all__ = [
    "ASSUMPTIONS",
    "LAST_TAX_YEAR",
    "PUBLISHED_TAX_YEAR",
    "ROUTES",
    "Extract",
    "generate_extract",
    "jacs_by_cah2",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: the published table's tax year (2022-23) and the last tax year written (I2.1: to 2023-24)
PUBLISHED_TAX_YEAR = 2022
LAST_TAX_YEAR = 2023
FIRST_TAX_YEAR = 1997
ROUTES = ("HE", "KS5", "FE")
ROUTE_SHARES = (0.45, 0.25, 0.30)
#: assumptions (no source): listed in the metadata and reports
ASSUMPTIONS = (
    "routes: 45 % HE graduates, 25 % KS5 leavers without HE, 30 % FE learners after KS4",
    "non-HE people: KS4 year uniform over 2002/03–2020/21; sex 50/50; earnings log-normal with "
    "median £21,000 and log-sd 0.5 in 2022-23",
    "HE age at graduation from the flat generator's age band (21 and under: no delay; 22–24: "
    "1–3 years; 25–29: 4–8; 30 and over: 9–20); courses last 3 years (5 for medicine)",
    "graduates with A-level prior attainment have a KS5 row two years after KS4; 'vocational' "
    "prior attainment gives FE aims instead",
    "employment by tax year: a Markov chain (stay employed 0.9, enter 0.5) from labour-market "
    "entry; the published 2022-23 activity of HE graduates overrides 2022-23",
    "earnings outside 2022-23: the person's 2022-23 level × 1.035 per year, scaled by the share "
    "of the year employed; earnings of graduates in employment and further study drawn from "
    "their cell's law (L2) or the pooled law (L1)",
    "benefit spells: 30 % of years out of work (50 % for 'no sustained destination' in 2022-23), "
    "30–300 days; types by era (JSA/IB/IS to 2012-13, ESA from 2008-09, UC from 2018-19); "
    "in-work UC in 5 % of employed years from 2018-19",
    "self-assessment: 4 % of person-years from 2013-14, sole-trader profits log-normal median "
    "£9,000",
    "geography: residence region of the flat generator (HE) or its stand-in shares (others); 3 % "
    "of person-years without an address row; output areas and LAs are random, format-valid "
    "codes (pseudonymised in the real extract too)",
    "CJRS: 5 % of employed people furloughed in March 2020 (2019-20) and 15 % in 2020-21",
    "industries: enterprises' SIC 2007 sections have stand-in shares; Main_SIC2007 is the "
    "section's first division followed by 000 (not a real 5-digit subclass)",
    "unmatched: 4 % of non-HE people have no EDUKEY; 1.5 % of people have a second EDUKEY (their "
    "outcome rows switch to it from a random tax year); 0.5 % extra EDUKEYs with no AE_ID",
    "census: spring census rows for NC years 7–11 only (not primary years); 0.3 % duplicated "
    "with RecordStatus 101",
    "HE graduates domiciled outside England have a PMR (in HESA and the lookup) but no NPD rows",
)

_DAY0 = np.datetime64("1970-01-01", "D")
_REGION_NAMES = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
_NATIONS = (("W92000004", "Wales"), ("S92000003", "Scotland"), ("N92000002", "Northern Ireland"))
_RESIDENCE_SHARES = (0.04, 0.1, 0.07, 0.06, 0.08, 0.08, 0.22, 0.14, 0.08, 0.04, 0.06, 0.03)
_SECTIONS = "ABCDEFGHIJKLMNOPQRSTU"
_SECTION_DIVISION = (
    "01 05 10 35 36 41 45 49 55 58 64 68 69 77 84 85 86 90 94 97 99".split()  # first division
)
_SECTION_SHARES = np.array(
    [1, 0.3, 8, 0.5, 0.7, 6, 15, 5, 7, 5, 4, 1.5, 9, 8, 5, 9, 13, 2.5, 2, 0.1, 0.1]
)
_ETHNIC_NPD = ("WHIT", "BLAC", "ASIA", "MIXD", "AOEG")
_ETHNIC_ILR = (31, 44, 39, 35, 47)
_BENEFIT_OLD = ("JSA", "IB", "IS")
_BENEFIT_ESA = ("JSA", "ESA", "IS")
_BENEFIT_UC = ("UAA", "UCE", "JSA", "ESA")


@dataclass
class Extract:
    """One chunk of the extract: physical table name → Arrow table."""

    tables: dict[str, pa.Table]

    @property
    def rows(self) -> dict[str, int]:
        return {name: t.num_rows for name, t in self.tables.items()}


@dataclass
class _Keys:
    """Deterministic pseudonymous keys: affine bijections of serial numbers."""

    seed: int
    next_recordid: int = 1
    next_external: int = 1

    def pmr(self, serial: IntArray) -> pa.Array:
        return _digits(_affine(serial, 618_033_988_749_894_849, 271_828_182_845_904_523, 9), 18)

    def ae_id(self, serial: IntArray) -> pa.Array:
        return pa.array(100_000_000 + (serial * 7_919 + 17) % 9_000_000_007)

    def edukey(self, serial: IntArray) -> pa.Array:
        return _digits(_affine(serial, 41_421_356_237_309, 31_415_926_535_897, 7), 14)


def _affine(serial: IntArray, a: int, b: int, half: int) -> IntArray:
    """``(a·serial + b) mod 10^(2·half)`` without overflow (a bijection: ``a`` is odd, not ×5)."""
    base = 10**half
    a_hi, a_lo = divmod(a, base)
    found: IntArray = ((serial * a_hi) % base * base + serial * a_lo + b) % (base * base)
    return found


def _digits(values: IntArray, width: int) -> pa.Array:
    return pc.utf8_lpad(pa.array(values).cast(pa.string()), width=width, padding="0")


def _date(year: IntArray, month: IntArray | int, day: IntArray | int) -> IntArray:
    """Days since 1970 of year-month-day, vectorised (day may overflow into the next month)."""
    y = np.asarray(year, dtype=np.int64)
    months = (y - 1970) * 12 + (np.asarray(month, dtype=np.int64) - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    found: IntArray = (first - _DAY0).astype(np.int64) + (np.asarray(day, dtype=np.int64) - 1)
    return found


def _lk(values: tuple[str, ...] | list[str], index: npt.ArrayLike) -> pa.Array:
    """Strings by index (Arrow ``take`` on a small list: no per-row Python or numpy strings)."""
    return pa.array(values, type=pa.string()).take(pa.array(np.asarray(index, dtype=np.int64)))


def _const(value: str, n: int) -> pa.Array:
    return _lk([value], np.zeros(n, dtype=np.int64))


def _pool(prefix: str, width: int, count: int) -> list[str]:
    """``count`` format-valid codes ``<prefix><digits>`` (a pool drawn from by index)."""
    step = max(1, (10**width - 1) // max(count, 1))
    return [f"{prefix}{(i * step + 1) % 10**width:0{width}d}" for i in range(count)]


_LSOA = _pool("E01", 6, 32_844)
_COA = {p: _pool(p, 6, 20_000) for p in ("E00", "W00", "S00", "N00")}
_LA = _pool("LA", 4, 400)
_ANON10 = _pool("", 10, 4000)


def _dates(days: IntArray, mask: BoolArray | None = None) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.int32(), mask=mask).cast(pa.date32())


def _pick(rng: np.random.Generator, shares: npt.ArrayLike, size: int) -> IntArray:
    p = np.asarray(shares, dtype=np.float64)
    found: IntArray = np.minimum(
        np.searchsorted(np.cumsum(p / p.sum()), rng.random(size), side="right"), p.size - 1
    ).astype(np.int64)
    return found


def _acad(end: IntArray) -> pa.Array:
    """Academic-year text ``2014/2015`` for years ending ``end`` (format inferred)."""
    start = pa.array(end - 1).cast(pa.string())
    return pc.binary_join_element_wise(start, pa.array(end).cast(pa.string()), "/")


def jacs_by_cah2(source_dir: Path | None) -> dict[str, list[str]]:
    """JACS 3.0 codes per current CAH2 (``03-01`` → [``C100``, …]) from public mappings.

    Reads ``subjects/jacs_to_cah3_from_ilr_mapping.csv`` and, to renumber its older CAH3 codes
    by label as the subjects dataset does, ``subjects/cah_hierarchy_from_hecos_mapping.csv``
    (public classification mappings, not data about anyone). Without them, HESA's JACS
    column stays NULL.
    """
    from lmi.datasets.subjects.parse import resolve_cah3

    if source_dir is None:
        return {}
    path = source_dir / "subjects" / "jacs_to_cah3_from_ilr_mapping.csv"
    hierarchy = source_dir / "subjects" / "cah_hierarchy_from_hecos_mapping.csv"
    if not path.is_file():
        return {}
    labels: dict[str, str] = {}
    if hierarchy.is_file():
        with hierarchy.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                if (row.get("level") or "").strip() == "3":
                    labels[(row.get("cah_code") or "").strip()] = row.get("cah_label") or ""
    found: dict[str, list[str]] = {}
    resolved: dict[str, str | None] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            code = (row.get("JACS") or "").strip()
            cah3_code = (row.get("CAH3 code") or "").strip()
            if len(code) != 4 or not cah3_code:
                continue
            cah3 = resolved.get(cah3_code)
            if cah3_code not in resolved:  # resolve each CAH3 code once (label matching)
                cah3 = resolved[cah3_code] = (
                    resolve_cah3(cah3_code, row.get("CAH3 name") or "", labels)
                    if labels
                    else cah3_code.removeprefix("CAH")
                )
            if cah3 is not None and len(cah3) >= 5:
                found.setdefault(cah3[:5], []).append(code)
    return {k: sorted(set(v)) for k, v in found.items()}


@dataclass
class _People:
    """The person-level draws of one chunk (arrays of length n)."""

    serial: IntArray
    route: IntArray
    sex: IntArray  # 0 F, 1 M
    ks4_end: IntArray  # academic year (end) of KS4
    birth_year: IntArray
    birth_month: IntArray
    ethnic: IntArray  # index into _ETHNIC_*, -1 unknown
    fsm: IntArray  # 1/0, -1 unknown
    english: BoolArray
    residence: IntArray  # index into regions+nations, -1 abroad/unknown
    # HE only (else -1 / 0)
    subject: IntArray
    yag: IntArray  # the published YAG (1, 3, 5, 10) or 0
    grad_end: IntArray  # academic year (end) of graduation or 0
    course: IntArray
    activity: IntArray  # published activity in 2022-23 or -1
    has_ks5: BoolArray
    has_fe: BoolArray
    matched: BoolArray  # has an EDUKEY
    two_keys: BoolArray
    switch_year: IntArray
    entry: IntArray  # first tax year (start) in the labour market
    base: npt.NDArray[np.float64]  # 2022-23 earnings level
    mode: IntArray  # HESA XMODE01


@dataclass
class _State:
    rng: np.random.Generator
    keys: _Keys
    jacs: dict[str, list[str]]
    enterprises: int
    flat: Iterator[pa.Table] | None
    buffer: list[pa.Table] = field(default_factory=list)
    buffered: int = 0
    orphans: int = 0


def _take_flat(state: _State, rows: int) -> pa.Table | None:
    """Exactly ``rows`` flat graduate records (re-chunked from the flat generator)."""
    if rows == 0 or state.flat is None:
        return None
    while state.buffered < rows:
        chunk = next(state.flat)
        state.buffer.append(chunk)
        state.buffered += chunk.num_rows
    table = pa.concat_tables(state.buffer)
    state.buffer = [table.slice(rows)]
    state.buffered = table.num_rows - rows
    return table.slice(0, rows)


def _codes(table: pa.Table, name: str, codes: tuple[str, ...]) -> IntArray:
    """A dictionary/string column as indices into ``codes`` (-1 for null)."""
    column = table.column(name).combine_chunks()
    if pa.types.is_dictionary(column.type):
        column = column.cast(pa.string())
    index = pc.index_in(column, value_set=pa.array(codes)).fill_null(-1)
    found: IntArray = index.to_numpy(zero_copy_only=False).astype(np.int64)
    return found


def _people(model: Model, state: _State, first: int, n: int, n_he: int) -> _People:
    rng = state.rng
    serial = np.arange(first, first + n, dtype=np.int64)
    route = np.zeros(n, dtype=np.int64)
    route[n_he:] = 1 + _pick(rng, ROUTE_SHARES[1:], n - n_he)
    he = route == 0
    sex = rng.integers(0, 2, n)
    ethnic = _pick(rng, (0.72, 0.08, 0.12, 0.05, 0.03), n)
    ethnic[rng.random(n) < 0.02] = -1
    fsm = (rng.random(n) < 0.14).astype(np.int64)
    residence = _pick(rng, _RESIDENCE_SHARES, n)
    residence[rng.random(n) < 0.05] = -1
    home_english = np.ones(n, dtype=bool)
    subject = np.full(n, -1, dtype=np.int64)
    yag = np.zeros(n, dtype=np.int64)
    grad_end = np.zeros(n, dtype=np.int64)
    course = np.zeros(n, dtype=np.int64)
    activity = np.full(n, -1, dtype=np.int64)
    has_ks5 = route == 1
    has_fe = route == 2
    mode = np.ones(n, dtype=np.int64)
    base = np.exp(np.log(21000.0) + 0.5 * rng.standard_normal(n))
    ks4_end = rng.integers(2003, 2022, n)
    flat = _take_flat(state, n_he)
    if flat is not None:
        sex[he] = _codes(flat, "sex", SEXES)
        subject[he] = _codes(flat, "subject_cah2", SUBJECTS)
        yag[he] = flat.column("yag").to_numpy().astype(np.int64)
        grad_end[he] = PUBLISHED_TAX_YEAR - yag[he]
        activity[he] = _codes(
            flat,
            "activity",
            (
                "sustained_employment_only",
                "sustained_employment_and_further_study",
                "further_study_only",
                "no_sustained_destination",
                "activity_not_captured",
            ),
        )
        ethnic[he] = _codes(flat, "ethnicity", ("white", "black", "asian", "mixed", "other"))
        f = _codes(flat, "fsm", ("Y", "N"))
        fsm[he] = np.where(f == 0, 1, np.where(f == 1, 0, -1))
        regions = (*ENGLISH_REGIONS, *(c for c, _ in _NATIONS))
        home_english[he] = _codes(flat, "home_region", regions) < len(ENGLISH_REGIONS)
        residence[he] = _codes(flat, "residence_region", regions)
        mode[he] = np.where(_codes(flat, "study_mode", ("full_time", "part_time")) == 1, 3, 1)
        band = _codes(flat, "age_band", ("21_and_under", "22_to_24", "25_to_29", "30_and_over"))
        lo = np.array([0, 1, 4, 9])[band]
        hi = np.array([0, 3, 8, 20])[band]
        delay = lo + (rng.random(n_he) * (hi - lo + 1)).astype(np.int64)
        course[he] = np.where(subject[he] == SUBJECTS.index("01-01"), 5, 3)
        ks4_end[he] = grad_end[he] - course[he] - 2 - delay
        prior = _codes(
            flat,
            "prior_attainment",
            ("a_level_high", "a_level_mid", "a_level_low", "vocational", "other"),
        )
        has_ks5[he] = prior <= 2
        has_fe[he] = prior == 3
        earned = flat.column("earnings").to_numpy(zero_copy_only=False)
        cell_of = {c: i for i, c in enumerate(model.cells)}
        cells = np.array(
            [
                cell_of.get((SUBJECTS[s], SEXES[x], int(y)), 0)
                for s, x, y in zip(subject[he], sex[he], yag[he], strict=True)
            ],
            dtype=np.int64,
        )
        drawn = _law_draw(model, cells, rng)
        base[he] = np.where(activity[he] == EARNING_ACTIVITY, np.nan_to_num(earned), drawn)
    birth_month = rng.integers(1, 13, n)
    birth_year = np.where(birth_month >= 9, ks4_end - 17, ks4_end - 16)
    entry = np.where(he, grad_end, np.where(route == 1, ks4_end + 2, ks4_end + 1))  # tax year start
    matched = he | (rng.random(n) >= 0.04)
    two_keys = matched & (rng.random(n) < 0.015)
    switch_year = rng.integers(2005, LAST_TAX_YEAR + 1, n)
    return _People(
        serial,
        route,
        sex,
        ks4_end,
        birth_year,
        birth_month,
        ethnic,
        fsm,
        home_english,
        residence,
        subject,
        yag,
        grad_end,
        course,
        activity,
        has_ks5,
        has_fe,
        matched,
        two_keys,
        switch_year,
        entry,
        base,
        mode,
    )


def _law_draw(model: Model, cells: IntArray, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """Earnings from each person's cell law (L2) or the pooled laws (L1), at random quantiles."""
    if cells.size == 0:
        return np.zeros(0)
    if model.tier == "L1":
        weights = np.cumsum(model.earners / model.earners.sum())
        cells = np.minimum(
            np.searchsorted(weights, rng.random(cells.size), side="right"), len(model.laws) - 1
        )
    z = rng.standard_normal(cells.size)
    values = _earnings(model, cells, z, cells.size, np.arange(cells.size), is_z=True)
    found: npt.NDArray[np.float64] = values.to_numpy(zero_copy_only=False).astype(np.float64)
    return found


# -- education ---------------------------------------------------------------------------------


def _census(p: _People, state: _State, pmr: pa.Array) -> pa.Table:
    rng = state.rng
    school = p.english
    years = np.arange(-4, 1)  # NC years 7..11
    person = np.repeat(np.arange(p.serial.size), years.size)
    end = (p.ks4_end[:, None] + years[None, :]).reshape(-1)
    nc = np.tile(years + 11, p.serial.size)
    keep = school[person] & (end >= 2002) & (end <= 2021)
    person, end, nc = person[keep], end[keep], nc[keep]
    dup = rng.random(person.size) < 0.003
    status = np.where(dup, 1, 0)
    person = np.concatenate([person, person[dup]])
    end = np.concatenate([end, end[dup]])
    nc = np.concatenate([nc, nc[dup]])
    status = np.concatenate([status, np.full(int(dup.sum()), 101)])
    order = np.lexsort((status, end, person))
    person, end, nc, status = person[order], end[order], nc[order], status[order]
    n = person.size
    start = end - 1
    lsoa = _lk(_LSOA, rng.integers(0, len(_LSOA), n))  # format-valid, not real areas
    eth = p.ethnic[person]
    fsm = p.fsm[person]
    return pa.Table.from_arrays(
        [
            pmr.take(pa.array(person)),
            pa.array(status, type=pa.int16(), mask=status == 0),
            _acad(end),
            _dates(_date(end, 1, 16 + (end % 7))),
            _const("SPR", n),
            pa.array(np.ones(n, dtype=np.int8), mask=start < 2008),
            _const("SE", n),
            _lk(["C", "M"], rng.random(n) >= 0.97),
            _lk([str(i) for i in range(12)], nc),
            _lk(["F", "M"], p.sex[person]),
            pa.array(p.birth_year[person].astype(np.int16)),
            pa.array(p.birth_month[person].astype(np.int8)),
            _lk([*_ETHNIC_NPD, "UNCL"], np.where(eth < 0, len(_ETHNIC_NPD), eth)),
            pa.array(np.maximum(fsm, 0).astype(np.int8), mask=fsm < 0),
            _lk(["N", "A", "K"], np.where(rng.random(n) < 0.85, 0, np.where(start < 2014, 1, 2))),
            pc.if_else(pa.array(start <= 2013), lsoa, pa.scalar(None, pa.string())),
            pc.if_else(pa.array(start >= 2012), lsoa, pa.scalar(None, pa.string())),
            _lk(_ANON10, rng.integers(0, len(_ANON10), n)),
            pa.array(end.astype(np.int16)),
        ],
        schema=arrow_schema(_SPEC["spring_census"]),
    )


def _ks4(p: _People, state: _State, pmr: pa.Array) -> pa.Table:
    rng = state.rng
    end = p.ks4_end
    person = np.flatnonzero(p.english & (end >= 2002) & (end <= 2021))
    end, start = end[person], end[person] - 1
    n = person.size
    fsm = p.fsm[person]
    att8 = np.clip(np.round(rng.normal(48, 17, n), 1), 0, 90)
    return pa.Table.from_arrays(
        [
            pmr.take(pa.array(person)),
            _acad(end),
            _lk(["A", "F"], start >= 2019),  # no amended version in COVID years
            _lk(["F", "M"], p.sex[person]),
            pa.array(np.maximum(fsm, 0).astype(np.int8), mask=fsm < 0),
            pa.array(np.maximum(fsm, 0).astype(np.int8), mask=(start < 2011) | (fsm < 0)),
            pa.array((rng.random(n) < 0.58).astype(np.int8), mask=(start < 2003) | (start > 2012)),
            pa.array(att8, mask=start < 2015),
            pa.array(np.round(rng.normal(0, 1.1, n), 2), mask=start < 2015),
        ],
        schema=arrow_schema(_SPEC["KS4_Pupil"]),
    )


def _ks5(p: _People, state: _State, pmr: pa.Array) -> pa.Table:
    rng = state.rng
    end = p.ks4_end + 2
    person = np.flatnonzero(p.english & p.has_ks5 & (end >= 2002) & (end <= 2021))
    end = end[person]
    n = person.size
    fsm = p.fsm[person]
    points = np.clip(np.round(rng.normal(110, 35, n), 1), 0, None)
    return pa.Table.from_arrays(
        [
            pmr.take(pa.array(person)),
            _acad(end),
            _lk(["A", "F"], end >= 2020),
            _lk(["F", "M"], p.sex[person]),
            pa.array(np.maximum(fsm, 0).astype(np.int8), mask=fsm < 0),
            pa.array(points),
            pa.array((points > 135).astype(np.int8)),
        ],
        schema=arrow_schema(_SPEC["KS5_Student"]),
    )


def _hesa(p: _People, state: _State, pmr: pa.Array) -> pa.Table:
    rng = state.rng
    he = np.flatnonzero(p.route == 0)
    length = p.course[he]
    person = np.repeat(he, length)
    year_no = np.arange(person.size) - np.repeat(np.cumsum(length) - length, length) + 1
    end = p.grad_end[person] - length.repeat(length) + year_no  # academic year (end)
    keep = (end >= 2005) & (end <= 2020)
    person, year_no, end = person[keep], year_no[keep], end[keep]
    n = person.size
    final = end == p.grad_end[person]
    start_year = p.grad_end[person] - p.course[person]
    comdate = _date(start_year, 9, 15 + rng.integers(0, 20, n))
    enddate = _date(end, 6, 10 + rng.integers(0, 20, n))
    subject = p.subject[person]
    codes = [SUBJECTS[s] for s in range(len(SUBJECTS))]
    # each person's principal JACS code: one of their CAH2's codes (fixed per person)
    pool = [code for c in codes for code in state.jacs.get(c, [])]
    offsets = np.cumsum([0] + [len(state.jacs.get(c, [])) for c in codes])
    sizes = np.diff(offsets)
    s_idx = np.maximum(subject, 0)
    has = sizes[s_idx] > 0
    pick = offsets[s_idx] + (p.serial[person] * 7919) % np.maximum(sizes[s_idx], 1)
    jacs = (
        pc.if_else(pa.array(has), _lk(pool, np.where(has, pick, 0)), pa.scalar(None, pa.string()))
        if pool
        else pa.nulls(n, pa.string())
    )
    cah2 = _lk([f"CAH{c}" for c in codes], np.maximum(subject, 0))
    sex_code = np.where(p.sex[person] == 1, 1, 2).astype(np.int8)
    old = end <= 2007  # view years to 2006/07
    klass = _lk(["01", "02", "03", "05", "04"], _pick(rng, (0.3, 0.45, 0.17, 0.03, 0.05), n))
    age = start_year - p.birth_year[person] - (p.birth_month[person] >= 9)
    provider = _digits((p.serial[person] * 37 + state.keys.seed) % 130 + 1, 4)
    provider = pc.binary_join_element_wise("HEP", provider, "")
    return pa.Table.from_arrays(
        [
            pmr.take(pa.array(person)),
            provider,
            pa.array(final.astype(np.int8)),
            pa.array(np.ones(n, dtype=np.int8)),
            _dates(comdate),
            _dates(enddate, mask=~(final & old)),
            _dates(enddate, mask=~(final & ~old)),
            pa.array(year_no.astype(np.int8)),
            pc.if_else(pa.array(old), _const("H00", n), pa.scalar(None, pa.string())),
            pc.if_else(pa.array(~old), _const("H00", n), pa.scalar(None, pa.string())),
            pa.array(np.full(n, 4, dtype=np.int8)),
            pa.array(p.mode[person].astype(np.int8)),
            pa.array(np.ones(n, dtype=np.int8), mask=~final),
            pc.if_else(pa.array(final), klass, pa.scalar(None, pa.string())),
            pc.if_else(pa.array(old), jacs, pa.scalar(None, pa.string())),
            pc.if_else(pa.array(~old), jacs, pa.scalar(None, pa.string())),
            pc.if_else(pa.array(end >= 2020), cah2, pa.scalar(None, pa.string())),
            pa.array(sex_code, mask=end > 2012),
            pa.array(sex_code, mask=end <= 2012),
            pa.array(age.astype(np.int8)),
            pa.array(end.astype(np.int16)),
        ],
        schema=arrow_schema(_SPEC["hesa"]),
    )


def _ilr(p: _People, state: _State, ae_id: pa.Array) -> tuple[pa.Table, pa.Table, pa.Table]:
    rng = state.rng
    fe = np.flatnonzero(p.has_fe)
    rows_per = 1 + (rng.random(fe.size) < 0.35)
    person = np.repeat(fe, rows_per)
    second = np.arange(person.size) - np.repeat(np.cumsum(rows_per) - rows_per, rows_per)
    year = p.ks4_end[person] + second  # ILR Year = start year of the academic year
    keep = (year >= 2002) & (year <= 2020)
    person, year = person[keep], year[keep]
    n = person.size
    recordid = np.arange(state.keys.next_recordid, state.keys.next_recordid + n, dtype=np.int64)
    external = np.arange(state.keys.next_external, state.keys.next_external + n, dtype=np.int64)
    state.keys.next_recordid += n
    state.keys.next_external += n
    age = year - p.birth_year[person] - (p.birth_month[person] >= 9)
    eth = p.ethnic[person]
    ethnicity = np.where(eth >= 0, np.array(_ETHNIC_ILR)[np.maximum(eth, 0)], 99)
    ukprn = pc.binary_join_element_wise("0x", _digits(rng.integers(0, 16**6, n), 8), "")
    learners = pa.Table.from_arrays(
        [
            pa.array(external),
            pa.array(year.astype(np.int16)),
            _acad(year + 1),
            _const("ILR", n),
            _digits(rng.integers(0, 10**12, n), 12),
            ukprn,
            pa.array(recordid.astype(np.int32)),
            _lk(["F", "M"], p.sex[person]),
            pa.array(ethnicity.astype(np.int16)),
            pa.array(age.astype(np.int16)),
            pa.array(np.array([1, 2, -1], dtype=np.int8)[_pick(rng, (0.15, 0.8, 0.05), n)]),
            pa.array(np.array([2, 9, 99, -1], dtype=np.int16)[_pick(rng, (0.5, 0.2, 0.2, 0.1), n)]),
        ],
        schema=arrow_schema(_SPEC["learners"]),
    )
    lookup = pa.Table.from_arrays(
        [pa.array(recordid.astype(np.int32)), ae_id.take(pa.array(person))],
        schema=arrow_schema(_SPEC["education_records_lookup"]),
    )
    aims_per = rng.integers(1, 4, n)
    row = np.repeat(np.arange(n), aims_per)
    seq = np.arange(row.size) - np.repeat(np.cumsum(aims_per) - aims_per, aims_per) + 1
    m = row.size
    y = year[row]
    start = _date(y, 9, 1 + rng.integers(0, 25, m))
    expected = start + 300 + rng.integers(0, 60, m)
    withdrawn = rng.random(m) < 0.12
    end_actual = np.where(withdrawn, start + rng.integers(20, 200, m), expected)
    achieved = ~withdrawn & (rng.random(m) < 0.85)
    app = rng.random(m) < 0.2
    level = _pick(rng, (0.45, 0.4, 0.15), m)
    return (
        learners,
        lookup,
        pa.Table.from_arrays(
            [
                pa.array(external[row]),
                pa.array(seq.astype(np.int16)),
                pc.if_else(
                    pa.array(app & (seq == 1)),
                    pa.scalar("ZPROG001"),
                    _digits(rng.integers(10**7, 10**8 - 1, m), 8),
                ),
                pa.array(recordid[row].astype(np.int32)),
                _dates(start),
                _dates(expected),
                _dates(end_actual),
                _dates(end_actual, mask=~achieved),
                pa.array(np.where(withdrawn, 3, 2).astype(np.int8)),
                pa.array(np.where(achieved, 1, 3).astype(np.int8)),
                pa.array(np.where(app, np.where(level == 1, 2, 3), -1).astype(np.int16)),
                pa.array(np.where(app & (seq == 1), 1, np.where(app, 3, 4)).astype(np.int8)),
                pa.array(np.where(app, 36, 25).astype(np.int16)),
                _lk(["2", "3", "E"], level),
                pa.array((level == 0).astype(np.int8)),
                pa.array((level == 1).astype(np.int8)),
                pa.array(app.astype(np.int8)),
                pa.array(achieved.astype(np.int8)),
            ],
            schema=arrow_schema(_SPEC["aims"]),
        ),
    )


# -- labour market -----------------------------------------------------------------------------


def _employment_years(p: _People, rng: np.random.Generator) -> BoolArray:
    """Employed (n × tax years FIRST..LAST), a Markov chain from entry, 2022-23 as published."""
    years = np.arange(FIRST_TAX_YEAR, LAST_TAX_YEAR + 1)
    n = p.serial.size
    employed = np.zeros((n, years.size), dtype=bool)
    state = rng.random(n) < 0.75
    for j, y in enumerate(years):
        active = p.entry <= y
        stay = rng.random(n)
        state = np.where(state, stay < 0.9, stay < 0.5)
        if y == PUBLISHED_TAX_YEAR:
            he = p.activity >= 0
            state = np.where(he, p.activity <= 1, state)
        employed[:, j] = state & active & p.matched
    return employed


def _runs(employed: BoolArray) -> tuple[IntArray, IntArray, IntArray]:
    """(person, first year index, last year index) of each run of employed years."""
    padded = np.zeros((employed.shape[0], employed.shape[1] + 2), dtype=bool)
    padded[:, 1:-1] = employed
    diff = np.diff(padded.astype(np.int8), axis=1)
    sp, sy = np.nonzero(diff == 1)
    ep, ey = np.nonzero(diff == -1)
    return sp.astype(np.int64), sy.astype(np.int64), (ey - 1).astype(np.int64)


def _labour(p: _People, state: _State, edukeys: tuple[pa.Array, pa.Array]) -> dict[str, pa.Table]:
    rng = state.rng
    employed = _employment_years(p, rng)
    person, first, last = _runs(employed)
    k = person.size
    y0, y1 = first + FIRST_TAX_YEAR, last + FIRST_TAX_YEAR
    he = p.route[person] == 0
    # graduates start work after the summer they graduate; others any time in the year
    off_s = np.where(
        he & (y0 == p.entry[person]), 90 + rng.integers(0, 60, k), rng.integers(0, 150, k)
    )
    off_e = rng.integers(0, 150, k)
    covers = (y0 <= PUBLISHED_TAX_YEAR) & (y1 >= PUBLISHED_TAX_YEAR) & (p.activity[person] >= 0)
    off_s = np.where(covers & (y0 == PUBLISHED_TAX_YEAR), 0, off_s)
    off_e = np.where((covers & (y1 == PUBLISHED_TAX_YEAR)) | (y1 == LAST_TAX_YEAR), 0, off_e)
    unc_s = (rng.random(k) < 0.03) & ~(he & (y0 == p.entry[person]))
    unc_e = (rng.random(k) < 0.03) & (y1 < LAST_TAX_YEAR)
    off_s = np.where(unc_s, 0, off_s)
    off_e = np.where(unc_e, 0, off_e)
    start = _date(y0, 4, 6) + off_s
    end = _date(y1 + 1, 4, 5) - off_e
    ent = rng.integers(0, state.enterprises, k)
    spell_key = _key_for(p, person, y0, edukeys)
    employment = pa.Table.from_arrays(
        [
            spell_key,
            _dates(start),
            _dates(end),
            pa.array(unc_s.astype(np.int8)),
            pa.array(unc_e.astype(np.int8)),
        ],
        schema=arrow_schema(_SPEC["leo_employment"]),
    )
    # earnings: one row per tax year a spell overlaps (from 2003-04)
    length = last - first + 1
    spell = np.repeat(np.arange(k), length)
    year = np.repeat(y0, length) + (
        np.arange(spell.size) - np.repeat(np.cumsum(length) - length, length)
    )
    keep = year >= 2003
    spell, year = spell[keep], year[keep]
    who = person[spell]
    days = (
        np.minimum(end[spell], _date(year + 1, 4, 5))
        - np.maximum(start[spell], _date(year, 4, 6))
        + 1
    )
    share = np.clip(days / 365.0, 0.02, 1.0)
    pay = p.base[who] * 1.035 ** (year - PUBLISHED_TAX_YEAR) * share
    exact = (year == PUBLISHED_TAX_YEAR) & (p.activity[who] >= 0)
    pay = np.where(exact, p.base[who], pay)
    section = _SECTION_OF_ENT[ent[spell] % _SECTION_OF_ENT.size]
    earnings = pa.Table.from_arrays(
        [
            spell_key.take(pa.array(spell)),  # the spell's key: no earnings without a spell
            pa.array(tax_year_code(year).astype(np.int32)),
            pa.array(np.maximum(np.rint(pay), 1).astype(np.int32)),
            _entkey(ent[spell]),
            pa.array(np.ones(spell.size, dtype=np.int16)),
            _lk(list(_SECTIONS), section),
            pa.array(np.ones(spell.size, dtype=np.int16)),
            _lk([d + "000" for d in _SECTION_DIVISION], section),
        ],
        schema=arrow_schema(_SPEC["leo_earnings"]),
    )
    return {
        "leo_employment": employment,
        "leo_earnings": earnings,
        "leo_benefit": _benefits(p, state, employed, edukeys),
        "leo_self_assessment": _sa(p, state, employed, edukeys),
        "LEO_Geography": _geography(p, state, edukeys),
        "leo_cjrs": _cjrs(p, state, employed, edukeys),
    }


def _key_for(
    p: _People, who: IntArray, year: IntArray, edukeys: tuple[pa.Array, pa.Array]
) -> pa.Array:
    """The EDUKEY of each row: the second key from the person's switch year, if they have one."""
    use_second = p.two_keys[who] & (year >= p.switch_year[who])
    both = pa.concat_arrays([edukeys[0], edukeys[1]])
    return both.take(pa.array(who + use_second * p.serial.size))


def _entkey(index: IntArray) -> pa.Array:
    return pc.binary_join_element_wise("E", _digits(index * 7 + 1_000_003, 7), "")


_SECTION_OF_ENT = _pick(np.random.Generator(np.random.PCG64(2024)), _SECTION_SHARES, 4096)


def _out_years(p: _People, employed: BoolArray) -> tuple[IntArray, IntArray]:
    years = np.arange(FIRST_TAX_YEAR, LAST_TAX_YEAR + 1)
    active = (p.entry[:, None] <= years[None, :]) & p.matched[:, None]
    who, j = np.nonzero(active & ~employed)
    return who.astype(np.int64), (j + FIRST_TAX_YEAR).astype(np.int64)


def _benefits(
    p: _People, state: _State, employed: BoolArray, edukeys: tuple[pa.Array, pa.Array]
) -> pa.Table:
    rng = state.rng
    who, year = _out_years(p, employed)
    act = p.activity[who]
    prob = np.where((year == PUBLISHED_TAX_YEAR) & (act >= 0), np.where(act == 3, 0.5, 0.0), 0.3)
    claim = (rng.random(who.size) < prob) & (year >= 1999)
    who, year = who[claim], year[claim]
    # in-work Universal Credit
    ew, ey = np.nonzero(employed)
    ey = ey + FIRST_TAX_YEAR
    inwork = (ey >= 2018) & (rng.random(ew.size) < 0.05)
    ew, ey = ew[inwork], ey[inwork]
    n, m = who.size, ew.size
    start = np.concatenate(
        [_date(year, 4, 6) + rng.integers(0, 60, n), _date(ey, 4, 6) + rng.integers(0, 200, m)]
    )
    length = np.concatenate([rng.integers(30, 300, n), rng.integers(30, 150, m)])
    end = np.minimum(start + length, np.concatenate([_date(year + 1, 4, 5), _date(ey + 1, 4, 5)]))
    pick = rng.integers(0, 3, n)
    kinds = np.where(
        year >= 2018,
        np.array(_BENEFIT_UC)[pick],
        np.where(year >= 2008, np.array(_BENEFIT_ESA)[pick], np.array(_BENEFIT_OLD)[pick]),
    )
    codes = sorted({*_BENEFIT_OLD, *_BENEFIT_ESA, *_BENEFIT_UC, "UAB"})
    kind_index = np.searchsorted(np.array(codes), kinds)
    types = np.concatenate([kind_index, np.full(m, codes.index("UAB"))])
    out = np.concatenate([np.ones(n, dtype=np.int8), np.zeros(m, dtype=np.int8)])
    everyone = np.concatenate([who, ew])
    years = np.concatenate([year, ey])
    order = np.lexsort((start, everyone))
    return pa.Table.from_arrays(
        [
            _key_for(p, everyone[order], years[order], edukeys),
            _dates(start[order]),
            _dates(end[order]),
            _lk(codes, types[order]),
            pa.array(out[order]),
        ],
        schema=arrow_schema(_SPEC["leo_benefit"]),
    )


def _sa(
    p: _People, state: _State, employed: BoolArray, edukeys: tuple[pa.Array, pa.Array]
) -> pa.Table:
    rng = state.rng
    years = np.arange(FIRST_TAX_YEAR, LAST_TAX_YEAR + 1)
    active = (p.entry[:, None] <= years[None, :]) & p.matched[:, None] & (years >= 2013)[None, :]
    who, j = np.nonzero(active)
    year = (j + FIRST_TAX_YEAR).astype(np.int64)
    hidden = (year == PUBLISHED_TAX_YEAR) & (p.activity[who] >= 2)
    pick = (rng.random(who.size) < 0.04) & ~hidden
    who, year = who[pick], year[pick]
    n = who.size
    sole = np.rint(np.exp(np.log(9000.0) + 0.9 * rng.standard_normal(n))).astype(np.int32)
    partner = rng.random(n) < 0.1
    ptr = np.rint(np.exp(np.log(7000.0) + 0.9 * rng.standard_normal(n))).astype(np.int32)
    return pa.Table.from_arrays(
        [
            _key_for(p, who, year, edukeys),
            pa.array(tax_year_code(year).astype(np.int32)),
            pa.array(np.ones(n, dtype=np.int8)),
            pa.array(sole),
            pa.array(ptr, mask=~partner),
            pa.array(sole + np.where(partner, ptr, 0)),
        ],
        schema=arrow_schema(_SPEC["leo_self_assessment"]),
    )


def _geography(p: _People, state: _State, edukeys: tuple[pa.Array, pa.Array]) -> pa.Table:
    rng = state.rng
    years = np.arange(2004, LAST_TAX_YEAR + 1)
    active = (p.entry[:, None] <= years[None, :]) & p.matched[:, None]
    who, j = np.nonzero(active)
    keep = rng.random(who.size) >= 0.03
    who, year = who[keep], (j[keep] + 2004).astype(np.int64)
    n = who.size
    region = p.residence[who]
    r = np.where(region < 0, 12, region)
    abroad = r == 12
    names = [*_REGION_NAMES, "Wales", "Scotland", "Northern Ireland", ""]
    gor = [*ENGLISH_REGIONS, "W99999999", "S99999999", "N99999999", ""]
    ctry = ["E92000001"] * 9 + [c for c, _ in _NATIONS] + [""]
    ctrynm = ["England"] * 9 + ["Wales", "Scotland", "NI", "Abroad"]
    prefixes = ["E00"] * 9 + ["W00", "S00", "N00", "E00"]
    nation = np.array([0] * 9 + [1, 2, 3, 0])[r]
    pool = [code for prefix in ("E00", "W00", "S00", "N00") for code in _COA[prefix]]
    coa = nation * 20_000 + rng.integers(0, 20_000, n)
    none = pa.scalar(None, pa.string())
    mask = pa.array(abroad)
    _ = prefixes
    return pa.Table.from_arrays(
        [
            _key_for(p, who, year, edukeys),
            pa.array(tax_year_code(year).astype(np.int32)),
            pc.if_else(mask, none, _lk(pool, coa)),
            pc.if_else(mask, none, _lk(_LA, rng.integers(0, len(_LA), n))),
            pc.if_else(mask, none, _lk(gor, r)),
            pc.if_else(mask, none, _lk(names, r)),
            pc.if_else(mask, none, _lk(ctry, r)),
            _lk(ctrynm, r),
        ],
        schema=arrow_schema(_SPEC["LEO_Geography"]),
    )


def _cjrs(
    p: _People, state: _State, employed: BoolArray, edukeys: tuple[pa.Array, pa.Array]
) -> pa.Table:
    rng = state.rng
    rows = []
    for year, share in ((2019, 0.05), (2020, 0.15)):
        who = np.flatnonzero(
            employed[:, year - FIRST_TAX_YEAR] & (rng.random(p.serial.size) < share)
        )
        n = who.size
        if year == 2019:
            months = np.zeros((n, 12), dtype=np.int8)
            months[:, 11] = 1
        else:
            first = rng.integers(0, 4, n)
            length = rng.integers(2, 11, n)
            idx = np.arange(12)
            months = ((idx >= first[:, None]) & (idx < (first + length)[:, None])).astype(np.int8)
        text = months @ (1 << np.arange(11, -1, -1))  # the 12 months as a bit pattern
        weeks = np.rint(months.sum(axis=1) * 4.33).astype(np.int16)
        rows.append((who, np.full(n, year), text, weeks))
    who = np.concatenate([r[0] for r in rows])
    years = np.concatenate([r[1] for r in rows]).astype(np.int64)
    bits = np.concatenate([r[2] for r in rows]).astype(np.int64)
    text = _lk([format(i, "012b") for i in range(4096)], bits)
    weeks = np.concatenate([r[3] for r in rows])
    order = np.lexsort((years, who))
    return pa.Table.from_arrays(
        [
            _key_for(p, who[order], years[order], edukeys),
            pa.array(tax_year_code(years[order]).astype(np.int32)),
            text.take(pa.array(order)),
            text.take(pa.array(order)),
            pa.array(np.minimum(weeks[order], 26).astype(np.int16)),
            pa.array(weeks[order]),
        ],
        schema=arrow_schema(_SPEC["leo_cjrs"]),
    )


def idbr(enterprises: int) -> pa.Table:
    """The enterprise lookup, one row per enterprise and snapshot (SourceYear 2019 and 2020)."""
    index = np.tile(np.arange(enterprises, dtype=np.int64), 2)
    source = np.repeat(np.array([2019, 2020], dtype=np.int16), enterprises)
    section = _SECTION_OF_ENT[index % _SECTION_OF_ENT.size]
    rng = np.random.Generator(np.random.PCG64(enterprises))
    region = rng.integers(0, 9, index.size)
    return pa.Table.from_arrays(
        [
            _entkey(index),
            _lk([d + "000" for d in _SECTION_DIVISION], section),
            _lk([f"SECTION {s}" for s in _SECTIONS], section),
            _lk(ENGLISH_REGIONS, region),
            _lk(["1", "2", "3", "4"], rng.integers(0, 4, index.size)),
            _lk(["0-9", "10-49", "50-249", "250+"], rng.integers(0, 4, index.size)),
            pa.array(source),
        ],
        schema=arrow_schema(_SPEC["idbr_lookup"]),
    )


_SPEC = {t.name: t for t in TABLES}


def _chunk(model: Model, state: _State, first: int, n: int, n_he: int) -> Extract:
    p = _people(model, state, first, n, n_he)
    keys = state.keys
    pmr = keys.pmr(p.serial)
    ae_id = keys.ae_id(p.serial)
    edukey = (keys.edukey(2 * p.serial), keys.edukey(2 * p.serial + 1))
    has_pmr = p.english | (p.route == 0)
    pmr_lookup = pa.Table.from_arrays(
        [ae_id.filter(pa.array(has_pmr)), pmr.filter(pa.array(has_pmr))],
        schema=arrow_schema(_SPEC["learner_ae_id_to_pmr_lookup"]),
    )
    who = np.flatnonzero(p.matched)
    two = np.flatnonzero(p.two_keys)
    link_ae = pa.concat_arrays([ae_id.take(pa.array(who)), ae_id.take(pa.array(two))])
    link_key = pa.concat_arrays([edukey[0].take(pa.array(who)), edukey[1].take(pa.array(two))])
    edukey_lookup = pa.Table.from_arrays(
        [link_ae, link_key], schema=arrow_schema(_SPEC["learner_ae_id_to_edukey_lookup"])
    )
    learners, records, aims = _ilr(p, state, ae_id)
    tables = {
        "learner_ae_id_to_pmr_lookup": pmr_lookup,
        "learner_ae_id_to_edukey_lookup": edukey_lookup,
        "education_records_lookup": records,
        "spring_census": _census(p, state, pmr),
        "KS4_Pupil": _ks4(p, state, pmr),
        "KS5_Student": _ks5(p, state, pmr),
        "hesa": _hesa(p, state, pmr),
        "learners": learners,
        "aims": aims,
    }
    tables.update(_labour(p, state, edukey))
    _orphans(state, n, tables)
    return Extract(tables)


def _orphans(state: _State, n: int, tables: dict[str, pa.Table]) -> None:
    """EDUKEYs seen only in earnings (no AE_ID): 0.5 % of each chunk's people."""
    rng = state.rng
    m = int(round(n * 0.005))
    if m == 0:
        return
    serial = np.arange(state.orphans, state.orphans + m, dtype=np.int64)
    state.orphans += m
    key = pc.binary_join_element_wise("X", state.keys.edukey(serial + 10**9).cast(pa.string()), "")
    key = pc.utf8_slice_codeunits(key, 0, 14)
    year = rng.integers(2003, LAST_TAX_YEAR + 1, m)
    start, end = _date(year, 4, 6), _date(year + 1, 4, 5)
    tables["leo_employment"] = pa.concat_tables(
        [
            tables["leo_employment"],
            pa.Table.from_arrays(
                [
                    key,
                    _dates(start),
                    _dates(end),
                    pa.array(np.zeros(m, np.int8)),
                    pa.array(np.zeros(m, np.int8)),
                ],
                schema=tables["leo_employment"].schema,
            ),
        ]
    )
    pay = np.rint(np.exp(np.log(15000.0) + 0.6 * rng.standard_normal(m))).astype(np.int32)
    ent = rng.integers(0, state.enterprises, m)
    section = _SECTION_OF_ENT[ent % _SECTION_OF_ENT.size]
    tables["leo_earnings"] = pa.concat_tables(
        [
            tables["leo_earnings"],
            pa.Table.from_arrays(
                [
                    key,
                    pa.array(tax_year_code(year).astype(np.int32)),
                    pa.array(pay),
                    _entkey(ent),
                    pa.array(np.ones(m, np.int16)),
                    _lk(list(_SECTIONS), section),
                    pa.array(np.ones(m, np.int16)),
                    _lk([d + "000" for d in _SECTION_DIVISION], section),
                ],
                schema=tables["leo_earnings"].schema,
            ),
        ]
    )


def generate_extract(
    model: Model,
    persons: int,
    seed: int,
    chunk_persons: int = 50_000,
    jacs: dict[str, list[str]] | None = None,
) -> Iterator[Extract]:
    """The extract's rows, ``chunk_persons`` people at a time (the IDBR lookup comes first)."""
    if persons < 1:
        raise SynthError("persons must be at least 1")
    if chunk_persons < 1:
        raise SynthError("chunk_persons must be at least 1")
    n_he = int(round(persons * ROUTE_SHARES[0]))
    rng = np.random.Generator(np.random.PCG64([seed, 21]))
    enterprises = max(1000, persons // 20)
    flat = generate(model, n_he, seed, 1 << 16) if n_he else None
    state = _State(rng, _Keys(seed), jacs or {}, enterprises, flat)
    yield Extract({"idbr_lookup": idbr(enterprises)})
    done, he_done = 0, 0
    while done < persons:
        n = min(chunk_persons, persons - done)
        target_he = int(round((done + n) * n_he / persons))
        yield _chunk(model, state, done, n, target_he - he_done)
        he_done = target_he
        done += n


def route_of_tables() -> dict[str, str]:
    """Which SRS database each physical table belongs to."""
    return {t.name: t.database for t in TABLES}


_ = (YAGS,)
