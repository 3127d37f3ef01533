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
overlapping; EYFSP, KS1, KS2, KS3, KS4, KS5 and HE in order; tax years ``yyyyyy``; the three
census terms of a pupil-year agree; absence and exclusions only in census years; looked-after
children referred as in need first (and HESA care leavers exactly they); KS5 points and flags
from the exam results; level 3 at 19 exactly with KS5 or an FE full level 3; UCAS applications
in the cycle of HE entry at 18; SEISS only after self-assessment; ILR aims join LARS, and their
benefit flags agree with the benefit spells.

**Chunks** (:class:`ChunkTask`) carry their own random stream and key range, so worker processes
can make them in any order and the files are the same (:func:`plan_extract`, :func:`make_chunk`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from lmi.synth.leo.fitting import Model, SynthError
from lmi.synth.leo.generator import _earnings, generate
from lmi.synth.leo.layout import TABLES, Column, Table, arrow_schema, tax_year_code
from lmi.synth.leo.variables import EARNING_ACTIVITY, ENGLISH_REGIONS, SEXES, SUBJECTS, YAGS

__all__ = [
    "ASSUMPTIONS",
    "LAST_TAX_YEAR",
    "PUBLISHED_TAX_YEAR",
    "ROUTES",
    "ChunkTask",
    "Extract",
    "generate_extract",
    "make_chunk",
    "plan_extract",
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
    "census: every pupil in England on the spring census from reception to year 11 "
    "(autumn and summer too from 2006/07, no summer 2019/20); one school per phase; 0.3 % "
    "of spring records duplicated with RecordStatus 101; SEN 15 %, FSM 14 %",
    "key stages: EYFSP, KS1, KS2 and KS3 in the years their cohort sits them; results drawn "
    "from stated shares independently of each other and of later outcomes (KS1/KS2/KS3 "
    "levels, EYFSP scores); 3–9 GCSE results per KS4 pupil (letters to 2015/16, 9–1 after), "
    "3 or 4 A levels per KS5 student with KS5 points and the AAB flag computed from them",
    "absence: every pupil-year from 2005/06 (none 2019/20), sessions possible 300–330, "
    "authorised and unauthorised absence gamma-distributed; exclusions: fixed-period in 1 % "
    "(primary) and 5 % (secondary) of pupil-years, permanent in 0.1 %",
    "social care: 7 % of pupils have a child-in-need episode (referral from 2008/09), a fifth "
    "of them a period looked after starting after the referral; HESA HE_CARELEAVER is 1 for "
    "them; codes (need, legal status, placement, reason ended) from stated shares",
    "NCCIS at 16 and 17 (2010/11 on): KS5 students in education (210), FE learners in FE "
    "(220) or an apprenticeship (310), 10 % of the others NEET (540/550/610) with a NEET start "
    "date",
    "attainment at 19 (YPMAD): level 3 exactly when a KS5 year or an achieved full level 3 FE "
    "aim came by 19; level 2 for them and 55 % of the others",
    "UCAS: HE entrants straight from school apply in the cycle of their HE start (five "
    "choices, one accepted) and 30 % of KS5 leavers without HE apply (none accepted); their "
    "A levels are declared as pending qualifications; POLAR4, IMD and SEC codes uniform",
    "LARS: a fixed reference list of 1,331 synthetic aims (GCSE, A and AS level, vocational "
    "entry to level 3, ZPROG001); ILR aims, KS4 and KS5 results and PLAMS draw from it, so "
    "every aim and result joins its LARS row",
    "ILR benefit flags (OnBenefits/OnUC/OnJSAESA at start and 6 months before) read from the "
    "person's benefit spells; learner full-level flags from their aims",
    "SEISS in 2020-21 for 60 % of people with a self-assessment row in 2019-20: one to three "
    "grants, 80 % of a quarter's profit capped at £7,500 each",
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


#: days since 1970 of the first of each month from January 1900 (a lookup, not a conversion)
_MONTH_STARTS: IntArray = (
    np.arange(-70 * 12, 200 * 12).astype("datetime64[M]").astype("datetime64[D]") - _DAY0
).astype(np.int64)


def _date(year: IntArray, month: IntArray | int, day: IntArray | int) -> IntArray:
    """Days since 1970 of year-month-day, vectorised (day may overflow into the next month)."""
    months = (np.asarray(year, dtype=np.int64) - 1900) * 12 + np.asarray(month, np.int64) - 1
    found: IntArray = _MONTH_STARTS[months] + (np.asarray(day, dtype=np.int64) - 1)
    return found


_ARRAYS: dict[int, tuple[object, pa.Array]] = {}


def _lk(values: tuple[str, ...] | list[str], index: npt.ArrayLike) -> pa.Array:
    """Strings by index (Arrow ``take`` on a small list: no per-row Python or numpy strings).

    Long lists (the module's code pools) are converted to Arrow once."""
    if len(values) > 64:
        cached = _ARRAYS.get(id(values))
        if cached is None or cached[0] is not values:
            if len(_ARRAYS) > 64:  # lists made per call: keep the cache small
                _ARRAYS.clear()
            cached = _ARRAYS[id(values)] = (values, pa.array(values, type=pa.string()))
        array = cached[1]
    else:
        array = pa.array(values, type=pa.string())
    return array.take(pa.array(np.asarray(index, dtype=np.int64)))


def _const(value: str, n: int) -> pa.Array:
    return _lk([value], np.zeros(n, dtype=np.int64))


def _pool(prefix: str, width: int, count: int) -> list[str]:
    """``count`` format-valid codes ``<prefix><digits>`` (a pool drawn from by index)."""
    step = max(1, (10**width - 1) // max(count, 1))
    return [f"{prefix}{(i * step + 1) % 10**width:0{width}d}" for i in range(count)]


_LSOA = _pool("E01", 6, 32_844)
_COA = {p: _pool(p, 6, 20_000) for p in ("E00", "W00", "S00", "N00")}
_COA_ALL = [code for prefix in ("E00", "W00", "S00", "N00") for code in _COA[prefix]]
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


_ACADEMIC_YEARS = [f"{y - 1}/{y}" for y in range(1900, 2100)]


def _acad(end: IntArray) -> pa.Array:
    """Academic-year text ``2014/2015`` for years ending ``end`` (format inferred)."""
    return _lk(_ACADEMIC_YEARS, np.asarray(end) - 1900)


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
    delay: IntArray  # HE: years between KS5 age and HE entry (0: straight from school)
    cla: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # looked after


@dataclass
class _State:
    rng: np.random.Generator
    keys: _Keys
    jacs: dict[str, list[str]]
    enterprises: int
    flat: Iterator[pa.Table] | None
    buffer: list[pa.Table] = field(default_factory=list)
    buffered: int = 0


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


def _people(model: Model, state: _State, first: int, n: int, flat: pa.Table | None) -> _People:
    rng = state.rng
    n_he = 0 if flat is None else flat.num_rows
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
    delay = np.zeros(n, dtype=np.int64)
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
        delay[he] = lo + (rng.random(n_he) * (hi - lo + 1)).astype(np.int64)
        course[he] = np.where(subject[he] == SUBJECTS.index("01-01"), 5, 3)
        ks4_end[he] = grad_end[he] - course[he] - 2 - delay[he]
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
        delay,
        np.zeros(n, dtype=bool),
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


def _draw(c: Column, n: int, rng: np.random.Generator) -> pa.Array:
    """A column the generator does not derive: drawn from its code list or span, else NULL."""
    if c.codes:
        index = _pick(rng, c.shares, n) if c.shares else rng.integers(0, len(c.codes), n)
        return pa.array(list(c.codes), type=c.arrow).take(pa.array(index))
    if c.span is not None:
        lo, hi = c.span
        if pa.types.is_floating(c.arrow):
            return pa.array(np.round(rng.uniform(lo, hi, n), 3))
        return pa.array(rng.integers(int(lo), int(hi) + 1, n)).cast(c.arrow)
    return pa.nulls(n, c.arrow)


def _fill(
    spec: Table,
    n: int,
    rng: np.random.Generator,
    given: dict[str, Any],
    year: IntArray | None = None,
) -> pa.Table:
    """The table ``spec`` from the derived columns ``given`` (numpy or Arrow), the others drawn
    from their code lists; with ``year`` (start years), NULL outside each column's years."""
    arrays = []
    for c in spec.columns:
        value = given.get(c.name)
        if value is None:
            array = _draw(c, n, rng)
        elif isinstance(value, pa.Array | pa.ChunkedArray):
            array = value if value.type == c.arrow else value.cast(c.arrow)
        else:
            array = pa.array(np.asarray(value)).cast(c.arrow)
        if year is not None and (c.first is not None or c.last is not None):
            ok = (year >= (c.first if c.first is not None else -9999)) & (
                year <= (c.last if c.last is not None else 9999)
            )
            if not ok.all():
                array = pc.if_else(pa.array(ok), array, pa.scalar(None, c.arrow))
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=arrow_schema(spec))


def _col(spec: Table, name: str) -> Column:
    return next(c for c in spec.columns if c.name == name)


def _academic_end(days: IntArray) -> IntArray:
    """The academic year (named by its end) of each day: September on belongs to the next."""
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    found: IntArray = months // 12 + 1970 + (months % 12 >= 8)
    return found


def _masked(values: npt.ArrayLike, mask: BoolArray) -> pa.Array:
    """Numbers with NULL where ``mask`` is set."""
    return pa.array(np.asarray(values), mask=mask)


def _text_if(keep: BoolArray, values: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(keep), values, pa.scalar(None, values.type))


_NC = ["R", *(str(i) for i in range(1, 12))]
_MARKS = [str(i) for i in range(101)]
_ETHNIC_MINOR = ("WBRI", "BAFR", "APKN", "MWBC", "OOTH", "NOBT")
_SCHOOLS = 24_000  # pseudonymised schools (LAEstab_anon / URN_anon pools)
_LAEST = _pool("LE", 8, _SCHOOLS)
_URN = _pool("U", 9, _SCHOOLS)


def _school(p: _People, person: IntArray, secondary: BoolArray) -> IntArray:
    """Each pupil's school per phase (the same school every year of a phase)."""
    found: IntArray = (p.serial[person] * 2654435761 + secondary * 977) % _SCHOOLS
    return found


def _pupil_years(p: _People) -> tuple[IntArray, IntArray, IntArray]:
    """(person, academic year end, NC year 0 = reception … 11) inside the census coverage."""
    years = np.arange(-11, 1)
    n = p.serial.size
    person = np.repeat(np.arange(n), years.size)
    end = (p.ks4_end[:, None] + years[None, :]).reshape(-1)
    nc = np.tile(years + 11, n)
    keep = p.english[person] & (end >= 2002) & (end <= 2021)
    return person[keep], end[keep], nc[keep]


def _census(
    p: _People, state: _State, pmr: pa.Array, years: tuple[IntArray, IntArray, IntArray], term: str
) -> pa.Table:
    rng = state.rng
    person, end, nc = years
    spec = _SPEC[f"{term}_census"]
    if term == "spring":  # duplicated PMRs (RecordStatus) in the spring census
        dup = rng.random(person.size) < 0.003
        status = np.concatenate([np.where(dup, 1, 0), np.full(int(dup.sum()), 101)])
        person = np.concatenate([person, person[dup]])
        end = np.concatenate([end, end[dup]])
        nc = np.concatenate([nc, nc[dup]])
        order = np.lexsort((status, end, person))
        person, end, nc, status = person[order], end[order], nc[order], status[order]
    else:
        keep = (end >= 2007) & ~((term == "summer") & (end == 2020))
        person, end, nc = person[keep], end[keep], nc[keep]
        status = np.zeros(person.size, dtype=np.int64)
    n = person.size
    start = end - 1
    secondary = nc >= 7
    school = _school(p, person, secondary)
    census_date = {
        "spring": _date(end, 1, 16 + (end % 7)),
        "autumn": _date(start, 10, 1 + (end % 7)),
        "summer": _date(end, 5, 15 + (end % 7)),
    }[term]
    entry = _date(np.where(secondary, p.ks4_end[person] - 5, p.ks4_end[person] - 12), 9, 1)
    leaving = (term == "summer") & ((nc == 6) | (nc == 11))
    fsm = p.fsm[person]
    sen = np.where(rng.random(n) < 0.85, 0, np.where(start < 2014, 1, 2))
    given: dict[str, Any] = {
        "PupilMatchingRefAnonymous": pmr.take(pa.array(person)),
        "RecordStatus": _masked(status.astype(np.int16), status == 0),
        "AcademicYear": _acad(end),
        "CensusDate": _dates(census_date),
        "CensusTerm": _const({"spring": "SPR", "autumn": "AUT", "summer": "SUM"}[term], n),
        "OnRoll": np.ones(n, dtype=np.int8),
        "PHASE": _lk(["PS", "SE"], secondary),
        "EnrolStatus": _lk(["C", "M"], rng.random(n) >= 0.97),
        "NCyearActual": _lk(_NC, nc),
        "EntryDate": _dates(entry),
        "LeavingDate": _dates(_date(end, 7, 20), mask=~leaving),
        "FSMeligible": _masked(np.maximum(fsm, 0).astype(np.int8), fsm < 0),
        "SENprovision": _lk(["N", "A", "K"], sen),
        "LA_anon": _lk(_ANON10, school // 60),
        "LAEstab_anon": _lk(_LAEST, school),
        "URN_anon": _lk(_URN, school),
        "CensusYear": end,
    }
    if term == "spring":
        eth = p.ethnic[person]
        eth = np.where(eth < 0, len(_ETHNIC_NPD), eth)
        lsoa = _lk(_LSOA, (p.serial[person] * 40503 + secondary) % len(_LSOA))
        given.update(
            {
                "Gender": _lk(["F", "M"], p.sex[person]),
                "YearOfBirth": p.birth_year[person],
                "MonthOfBirth": p.birth_month[person],
                "AgeAtStartOfAcademicYear": start
                - p.birth_year[person]
                - (p.birth_month[person] >= 9),
                "EthnicGroupMajor": _lk([*_ETHNIC_NPD, "UNCL"], eth),
                "EthnicGroupMinor": _lk(_ETHNIC_MINOR, eth),
                "EVERFSM_6": _masked(np.maximum(fsm, 0).astype(np.int8), fsm < 0),
                "EVERFSM_ALL": _masked(np.maximum(fsm, 0).astype(np.int8), fsm < 0),
                "PrimarySENtype": _text_if(sen > 0, _draw(_col(spec, "PrimarySENtype"), n, rng)),
                "LSOA01": lsoa,
                "LSOA11": lsoa,
            }
        )
    return _fill(spec, n, rng, given, start)


def _stage(
    p: _People, pmr: pa.Array, offset: int, first_end: int, last_end: int
) -> tuple[IntArray, IntArray]:
    """(person, academic year end) of a key stage ``offset`` years before KS4, in coverage."""
    end = p.ks4_end - offset
    person = np.flatnonzero(p.english & (end >= first_end) & (end <= last_end))
    return person, end[person]


def _key_stages(p: _People, state: _State, pmr: pa.Array) -> dict[str, pa.Table]:
    rng = state.rng
    found = {}
    for name, offset, (first, last) in (
        ("EYFSP", 11, (2003, 2010)),
        ("KS1", 9, (1998, 2012)),
        ("KS2", 5, (1996, 2016)),
        ("KS3", 2, (1998, 2013)),
    ):
        person, end = _stage(p, pmr, offset, first, last)
        n = person.size
        fsm = p.fsm[person]
        given: dict[str, Any] = {
            f"{name}_PupilMatchingRefAnonymous": pmr.take(pa.array(person)),
            f"{name}_ACADYR": _acad(end),
            f"{name}_VERSION": _const("F", n),
            f"{name}_GENDER": _lk(["F", "M"], p.sex[person]),
            f"{name}_FSM": _masked(np.maximum(fsm, 0).astype(np.int8), fsm < 0),
            f"{name}_FSM6": _masked(np.maximum(fsm, 0).astype(np.int8), fsm < 0),
        }
        if name == "EYFSP":
            pse, cll, psrn = rng.integers(3, 28, n), rng.integers(4, 37, n), rng.integers(3, 28, n)
            given.update(
                {
                    "EYFSP_PSE_TOTAL": pse,
                    "EYFSP_CLL_TOTAL": cll,
                    "EYFSP_PSRN_TOTAL": psrn,
                    "EYFSP_TOTAL": pse + cll + psrn + rng.integers(9, 28, n),
                }
            )
        if name == "KS2":
            marks = _lk(_MARKS, rng.integers(10, 101, n))
            read = rng.integers(80, 121, n)
            maths = rng.integers(80, 121, n)
            given.update(
                {
                    "KS2_ENGTOTMRK": marks,
                    "KS2_MATTOTMRK": _lk(_MARKS, rng.integers(10, 101, n)),
                    "KS2_READSCORE": read,
                    "KS2_MATSCORE": maths,
                    "KS2_READEXP": (read >= 100).astype(np.int8),
                    "KS2_MATEXP": (maths >= 100).astype(np.int8),
                }
            )
        found[name] = _fill(_SPEC[name], n, rng, given, end - 1)
    return found


_GCSE_LETTERS = ("A*", "A", "B", "C", "D", "E", "F", "G", "U")
_GCSE_LETTER_SHARES = (0.07, 0.14, 0.2, 0.23, 0.15, 0.09, 0.06, 0.03, 0.03)
_GCSE_LETTER_POINTS = np.array([58, 52, 46, 40, 34, 28, 22, 16, 0], dtype=np.float64)
_GCSE_NUMBERS = ("9", "8", "7", "6", "5", "4", "3", "2", "1", "U")
_GCSE_NUMBER_SHARES = (0.04, 0.07, 0.1, 0.14, 0.17, 0.16, 0.12, 0.09, 0.06, 0.05)
_A_LEVEL = ("A*", "A", "B", "C", "D", "E", "U")
_A_LEVEL_SHARES = (0.08, 0.2, 0.26, 0.22, 0.13, 0.07, 0.04)
_A_LEVEL_POINTS = np.array([300, 270, 240, 210, 180, 150, 0], dtype=np.float64)


def _ks4(p: _People, state: _State, pmr: pa.Array) -> tuple[pa.Table, pa.Table]:
    rng = state.rng
    person, end = _stage(p, pmr, 0, 2002, 2021)
    start = end - 1
    n = person.size
    fsm = p.fsm[person]
    eth = p.ethnic[person]
    school = _school(p, person, np.ones(n, dtype=bool))
    pupils = _fill(
        _SPEC["KS4_Pupil"],
        n,
        rng,
        {
            "KS4_PupilMatchingRefAnonymous": pmr.take(pa.array(person)),
            "KS4_ACADYR": _acad(end),
            "KS4_VERSION": _lk(["A", "F"], start >= 2019),  # no amended version in COVID years
            "KS4_GENDER": _lk(["F", "M"], p.sex[person]),
            "KS4_ETHNIC": _lk([*_ETHNIC_NPD, "UNCL"], np.where(eth < 0, len(_ETHNIC_NPD), eth)),
            "KS4_FSM": _masked(np.maximum(fsm, 0).astype(np.int8), fsm < 0),
            "KS4_FSM6": _masked(np.maximum(fsm, 0).astype(np.int8), fsm < 0),
            "KS4_LAESTAB_anon": _lk(_LAEST, school),
            "KS4_URN_anon": _lk(_URN, school),
            "KS4_LEVEL2_EM": (rng.random(n) < 0.58).astype(np.int8),
            "KS4_EBACC": (rng.random(n) < 0.22).astype(np.int8),
            "KS4_ATT8": np.clip(np.round(rng.normal(48, 17, n), 1), 0, 90),
            "KS4_P8SCORE": np.round(rng.normal(0, 1.1, n), 2),
        },
        start,
    )
    # results: 3-9 GCSEs each, letters to 2015/16 and 9-1 after (era inferred)
    k = rng.integers(3, 10, n)
    row = np.repeat(np.arange(n), k)
    m = row.size
    new = start[row] >= 2016
    letter = _pick(rng, _GCSE_LETTER_SHARES, m)
    number = _pick(rng, _GCSE_NUMBER_SHARES, m)
    grade = np.where(new, len(_GCSE_LETTERS) + number, letter)
    points = np.where(
        new, np.maximum(9 - number, 0).astype(np.float64), _GCSE_LETTER_POINTS[letter]
    )
    aim = _LARS.gcse[rng.integers(0, _LARS.gcse.size, m)]
    exams = _fill(
        _SPEC["KS4_Exam"],
        m,
        rng,
        {
            "KS4_PupilMatchingRefAnonymous": pmr.take(pa.array(person[row])),
            "KS4_ACADYR": _acad(end[row]),
            "KS4_EXAMYEAR": end[row],
            "KS4_SEASON": _const("S", m),
            "KS4_QAN": _LARS.ref.take(pa.array(aim)),
            "KS4_SUBLEVNO": np.full(m, 310),
            "KS4_MAPPING": 1000 + aim % 97,
            "KS4_GRADE": _lk([*_GCSE_LETTERS, *_GCSE_NUMBERS], grade),
            "KS4_POINTS": points,
            "KS4_DISC_3A": (rng.random(m) < 0.03).astype(np.int8),
            "KS4_DISC_BEST": (rng.random(m) >= 0.03).astype(np.int8),
            "KS4_Teacher_Assessed_Flag": np.ones(m, dtype=np.int8),
            "KS4_Covid_Impacted_Flag": np.ones(m, dtype=np.int8),
        },
        start[row],
    )
    return pupils, exams


@dataclass
class _KS5:
    students: pa.Table
    exams: pa.Table
    plams: pa.Table
    #: exam rows: person, year end, LARS index, grade index
    person: IntArray
    end: IntArray
    aim: IntArray
    grade: IntArray


def _ks5(p: _People, state: _State, pmr: pa.Array) -> _KS5:
    rng = state.rng
    end = p.ks4_end + 2
    person = np.flatnonzero(p.english & p.has_ks5 & (end >= 2002) & (end <= 2021))
    end = end[person]
    n = person.size
    fsm = p.fsm[person]
    k = np.where(rng.random(n) < 0.6, 3, 4)
    row = np.repeat(np.arange(n), k)
    m = row.size
    grade = _pick(rng, _A_LEVEL_SHARES, m)
    grade = np.where((grade == 0) & (end[row] < 2010), 1, grade)  # A* from 2009/10
    points = _A_LEVEL_POINTS[grade]
    total = np.bincount(row, weights=points, minlength=n)
    top = np.bincount(row, weights=grade <= 1, minlength=n)
    good = np.bincount(row, weights=grade <= 2, minlength=n)
    aab = (top >= 2) & (good >= 3)
    students = _fill(
        _SPEC["KS5_Student"],
        n,
        rng,
        {
            "KS5_PupilMatchingRefAnonymous": pmr.take(pa.array(person)),
            "KS5_ACADYR": _acad(end),
            "KS5_VERSION": _lk(["A", "F"], end >= 2020),
            "KS5_GENDER": _lk(["F", "M"], p.sex[person]),
            "KS5_FSM": _masked(np.maximum(fsm, 0).astype(np.int8), fsm < 0),
            "KS5_TOTPTSE": total,
            "KS5_TOTPTSE_ALEV": total,
            "KS5_TOTPTSE_AGEN": np.zeros(n),
            "KS5_TOTPTSE_TLEV": total,
            "KS5_AAB_FAC": (aab & (rng.random(n) < 0.6)).astype(np.int8),
            "KS5_GRADE_AAB_ALL": aab.astype(np.int8),
        },
        end - 1,
    )
    aim = _LARS.a_level[rng.integers(0, _LARS.a_level.size, m)]
    exam_pmr = pmr.take(pa.array(person[row]))
    qan = _LARS.ref.take(pa.array(aim))
    grades = _lk(_A_LEVEL, grade)
    exams = _fill(
        _SPEC["KS5_Exam"],
        m,
        rng,
        {
            "KS5_PupilMatchingRefAnonymous": exam_pmr,
            "KS5_ACADYR": _acad(end[row]),
            "KS5_QAN": qan,
            "KS5_SUBLEVNO": np.full(m, 111),
            "KS5_MAPPING": 2000 + aim % 89,
            "KS5_GRADE": grades,
            "KS5_POINTS": points,
        },
    )
    later = pa.array(end[row] >= 2008)  # PLAMS from 2007/08
    plams = _fill(
        _SPEC["PLAMS_Amended"],
        int(np.count_nonzero(end[row] >= 2008)),
        rng,
        {
            "PLAMS_PupilMatchingRefAnonymous": exam_pmr.filter(later),
            "PLAMS_ACADYR": _acad(end[row]).filter(later),
            "PLAMS_LearnAimRef": qan.filter(later),
            "PLAMS_GRADE": grades.filter(later),
            "PLAMS_Year": pa.array(end[row]).filter(later),
        },
    )
    return _KS5(students, exams, plams, person[row], end[row], aim, grade)


def _ypmad(p: _People, state: _State, pmr: pa.Array, ks5: _KS5, fe_l3_end: IntArray) -> pa.Table:
    """Attainment at 19: level 3 by 19 exactly when a KS5 year or an achieved full level 3 FE
    aim came by then."""
    rng = state.rng
    person, end = _stage(p, pmr, -3, 2002, 2021)
    n = person.size
    has_ks5 = np.zeros(p.serial.size, dtype=bool)
    has_ks5[ks5.person] = True
    l3 = has_ks5[person] | (fe_l3_end[person] <= end)
    l2 = l3 | (rng.random(n) < 0.55)
    return _fill(
        _SPEC["YPMAD"],
        n,
        rng,
        {
            "YPMAD_PupilMatchingRefAnonymous": pmr.take(pa.array(person)),
            "YPMAD_ACADYR": _acad(end),
            "YPMAD_LEVEL2_BY19": l2.astype(np.int8),
            "YPMAD_LEVEL2_EM_BY19": (l2 & (rng.random(n) < 0.85)).astype(np.int8),
            "YPMAD_LEVEL3_BY19": l3.astype(np.int8),
        },
    )


def _absence_exclusions(
    p: _People, state: _State, pmr: pa.Array, years: tuple[IntArray, IntArray, IntArray]
) -> tuple[pa.Table, pa.Table]:
    rng = state.rng
    person, end, nc = years
    keep = (end >= 2006) & (end != 2020)
    a_person, a_end = person[keep], end[keep]
    n = a_person.size
    possible = rng.integers(300, 331, n)
    authorised = np.minimum(np.rint(rng.gamma(1.2, 8.0, n)), possible).astype(np.int64)
    unauthorised = np.minimum(np.rint(rng.gamma(0.4, 6.0, n)), possible - authorised).astype(
        np.int64
    )
    overall = authorised + unauthorised
    absence = _fill(
        _SPEC["Absence_3term"],
        n,
        rng,
        {
            "PupilMatchingRefAnonymous": pmr.take(pa.array(a_person)),
            "AcademicYear": _acad(a_end),
            "SessionsPossible": possible,
            "AuthorisedAbsence": authorised,
            "UnauthorisedAbsence": unauthorised,
            "OverallAbsence": overall,
            "PersistentAbsentee": (overall * 10 >= possible).astype(np.int8),
            "AbsenceYear": a_end,
        },
    )
    # exclusions: fixed-period in 1 % (primary) / 5 % (secondary) of pupil years, permanent 0.1 %
    share = np.where(nc >= 7, 0.05, 0.01)
    draw = rng.random(person.size)
    fixed, permanent = draw < share, (draw >= share) & (draw < share + 0.001)
    pick = fixed | permanent
    e_person, e_end, perm = person[pick], end[pick], permanent[pick]
    m = e_person.size
    exclusions = _fill(
        _SPEC["exclusions"],
        m,
        rng,
        {
            "PupilMatchingRefAnonymous": pmr.take(pa.array(e_person)),
            "AcademicYear": _acad(e_end),
            "Category": _lk(["FIXD", "PERM"], perm),
            "StartDate": _dates(_date(e_end - 1, 9, 5) + rng.integers(0, 300, m)),
            "Sessions": _masked(rng.integers(1, 21, m).astype(np.int16), perm),
            "ExclusionYear": e_end,
        },
    )
    return absence, exclusions


_LAST_SOCIAL_CARE = _date(np.array([2021]), 3, 31)[0]


def _social_care(p: _People, state: _State, pmr: pa.Array) -> tuple[pa.Table, pa.Table]:
    """Children in need (7 % of pupils, referrals from 2008/09) and looked after (a fifth of
    them, a period of care starting after the referral); ``p.cla`` marks the latter."""
    rng = state.rng
    first = np.maximum(2009, p.ks4_end - 11)
    eligible = p.english & (first <= p.ks4_end) & (p.ks4_end <= 2021 + 11)
    last = np.minimum(p.ks4_end, 2021)
    eligible &= first <= last
    person = np.flatnonzero(eligible & (rng.random(p.serial.size) < 0.07))
    n = person.size
    end = first[person] + (rng.random(n) * (last[person] - first[person] + 1)).astype(np.int64)
    # CIN and CLA years run April to March: the last referral before 31 March 2021
    referral = np.minimum(_date(end - 1, 9, 1) + rng.integers(0, 330, n), _LAST_SOCIAL_CARE - 100)
    closure = referral + rng.integers(30, 700, n)
    cpp = rng.random(n) < 0.2
    cin = _fill(
        _SPEC["cin_2009_to_2021"],
        n,
        rng,
        {
            "PupilMatchingRefAnonymous": pmr.take(pa.array(person)),
            "AcademicYear": _acad(end),
            "CIN_ReferralDate": _dates(referral),
            "CIN_ClosureDate": _dates(closure, mask=closure > _LAST_SOCIAL_CARE),
            "CIN_CPP_StartDate": _dates(referral + rng.integers(5, 25, n), mask=~cpp),
        },
    )
    looked = rng.random(n) < 0.2
    c_person = person[looked]
    m = c_person.size
    c_start = np.minimum(referral[looked] + rng.integers(0, 90, m), _LAST_SOCIAL_CARE)
    c_end = c_start + rng.integers(30, 1500, m)
    c_acad_end = _academic_end(c_start)
    cla = _fill(
        _SPEC["cla_2006_to_2021"],
        m,
        rng,
        {
            "PupilMatchingRefAnonymous": pmr.take(pa.array(c_person)),
            "AcademicYear": _acad(c_acad_end),
            "CLA_PeriodStart": _dates(c_start),
            "CLA_PeriodEnd": _dates(c_end, mask=c_end > _LAST_SOCIAL_CARE),
            "CLA_ReasonEnded": _text_if(
                c_end <= _LAST_SOCIAL_CARE,
                _lk(["E11", "E12", "E13", "E41", "E8"], rng.integers(0, 5, m)),
            ),
        },
    )
    p.cla[c_person] = True
    return cin, cla


_NEET_CODES = ("540", "550", "610")


def _nccis(p: _People, state: _State, pmr: pa.Array, apprentice: BoolArray) -> pa.Table:
    """Activity at 16 and 17: KS5 students in education (210), FE learners in FE (220) or an
    apprenticeship (310), the rest in FE or NEET (5xx/6xx, with a NEET start date)."""
    rng = state.rng
    person = np.repeat(np.flatnonzero(p.english), 2)
    age = np.tile([1, 2], person.size // 2)
    end = p.ks4_end[person] + age
    keep = (end >= 2011) & (end <= 2021)
    person, end = person[keep], end[keep]
    n = person.size
    neet = ~p.has_ks5[person] & (rng.random(n) < 0.1)
    code = np.where(
        p.has_ks5[person],
        0,
        np.where(neet, 3 + rng.integers(0, 3, n), np.where(apprentice[person], 2, 1)),
    )
    activity_start = _date(end - 1, 9, 1) + np.where(neet, rng.integers(0, 120, n), 0)
    return _fill(
        _SPEC["nccis_2011_to_2021"],
        n,
        rng,
        {
            "NCCIS_PupilMatchingRefAnonymous": pmr.take(pa.array(person)),
            "NCCIS_ACADYR": _acad(end),
            "NCCIS_MonthNo": np.array([12, 1, 2])[rng.integers(0, 3, n)],
            "NCCIS_Current_Activity_Code": _lk(["210", "220", "310", *_NEET_CODES], code),
            "NCCIS_Current_Activity_Start_Date": _dates(activity_start),
            "NCCIS_NEET_Start_Date": _dates(activity_start, mask=~neet),
        },
        end - 1,
    )


def _person_jacs(p: _People, state: _State, person: IntArray) -> pa.Array:
    """Each HE person's principal JACS code: one of their CAH2's codes (fixed per person)."""
    codes = list(SUBJECTS)
    pool = [code for c in codes for code in state.jacs.get(c, [])]
    if not pool:
        return pa.nulls(person.size, pa.string())
    offsets = np.cumsum([0] + [len(state.jacs.get(c, [])) for c in codes])
    sizes = np.diff(offsets)
    s_idx = np.maximum(p.subject[person], 0)
    has = (sizes[s_idx] > 0) & (p.subject[person] >= 0)
    pick = offsets[s_idx] + (p.serial[person] * 7919) % np.maximum(sizes[s_idx], 1)
    return _text_if(has, _lk(pool, np.where(has, pick, 0)))


def _ucas(p: _People, state: _State, pmr: pa.Array, ks5: _KS5) -> tuple[pa.Table, pa.Table]:
    """Applications at 18: HE entrants straight from school (accepted once, the cycle of their
    HE start) and 30 % of KS5 leavers who did not enter HE (no acceptance)."""
    rng = state.rng
    cycle = p.ks4_end + 2
    he_now = (p.route == 0) & (p.delay == 0)
    applied = p.english & (he_now | ((p.route == 1) & (rng.random(p.serial.size) < 0.3)))
    person = np.flatnonzero(applied & (cycle >= 2007) & (cycle <= 2021))
    n = person.size
    applicant = 3_000_000_000 + (p.serial[person] * 7_368_787) % 1_000_000_007
    uid = pc.binary_join_element_wise(
        pa.array(applicant).cast(pa.string()), pa.array(cycle[person]).cast(pa.string()), ""
    )
    choices = 5
    row = np.repeat(np.arange(n), choices)
    choice = np.tile(np.arange(1, choices + 1), n)
    m = row.size
    who = person[row]
    accepted_choice = rng.integers(1, choices + 1, n)
    accept = he_now[who] & (choice == accepted_choice[row])
    he_jacs = _person_jacs(p, state, who)
    pool = sorted({c for codes in state.jacs.values() for c in codes}) or ["X000"]
    other = _lk(pool, rng.integers(0, len(pool), m))
    jacs = pc.if_else(pa.array(p.route[who] == 0), pc.coalesce(he_jacs, other), other)
    decision = np.where(accept, rng.integers(0, 2, m), _pick(rng, (0.2, 0.5, 0.3), m))
    response = np.where(accept, 0, np.where(decision == 2, 3, _pick(rng, (0.05, 0.25, 0.7), m)))
    polar = rng.integers(1, 6, m)
    eth = p.ethnic[who]
    applications = _fill(
        _SPEC["ucas"],
        m,
        rng,
        {
            "PupilMatchingRefAnonymous": pmr.take(pa.array(who)),
            "applicant_id": applicant[row],
            "unique_id_cycle": uid.take(pa.array(row)),
            "application_cycle": cycle[who],
            "unique_application_id_cycle": pc.binary_join_element_wise(
                uid.take(pa.array(row)), pa.array(choice).cast(pa.string()), ""
            ),
            "applicant_gender_code": _lk(["F", "M"], p.sex[who]),
            "applicant_ethnic_group_code": np.where(eth < 0, 9, eth + 1),
            "applicant_polar4_code": polar,
            "polar4_quintile": _lk([f"Quintile {i}" for i in range(6)], polar),
            "course_identifier": _lk(_pool("C", 4, 5000), rng.integers(0, 5000, m)),
            "entry_year": cycle[who],
            "jacs3_sub_line_code": jacs,
            "provider_decision_june30": _lk(["U", "C", "R"], decision),
            "app_response_june30": _text_if(
                response < 3, _lk(["F", "I", "D"], np.minimum(response, 2))
            ),
            "accept_flag": accept.astype(np.int8),
            "acceptance_route": _text_if(
                accept, _lk(["Main scheme", "Clearing"], rng.random(m) < 0.12)
            ),
        },
    )
    # declared qualifications: the applicant's A levels, pending at application
    index = np.full(p.serial.size, -1, dtype=np.int64)
    index[person] = np.arange(n)
    has = index[ks5.person] >= 0
    q_app = index[ks5.person[has]]
    k = q_app.size
    qualifications = _fill(
        _SPEC["ucas_qualifications"],
        k,
        rng,
        {
            "PupilMatchingRefAnonymous": pmr.take(pa.array(ks5.person[has])),
            "applicant_id": applicant[q_app],
            "unique_id_cycle": uid.take(pa.array(q_app)),
            "application_cycle": cycle[ks5.person[has]],
            "qualification_description": _const("GCE Advanced Level", k),
            "subject_title": _LARS.title.take(pa.array(ks5.aim[has])),
            "grade": pa.nulls(k, pa.string()),
            "qualification_status": _const("Pending", k),
        },
    )
    return applications, qualifications


_HE_ETHNIC = ("10", "21", "31", "41", "80", "90")


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
    jacs = _person_jacs(p, state, person)
    codes = list(SUBJECTS)
    cah2 = _lk([f"CAH{c}" for c in codes], np.maximum(subject, 0))
    cah1 = _lk([f"CAH{c[:2]}" for c in codes], np.maximum(subject, 0))
    sex_code = np.where(p.sex[person] == 1, 1, 2).astype(np.int8)
    old = end <= 2007  # view years to 2006/07
    klass = _lk(["01", "02", "03", "05", "04"], _pick(rng, (0.3, 0.45, 0.17, 0.03, 0.05), n))
    age = start_year - p.birth_year[person] - (p.birth_month[person] >= 9)
    provider = _digits((p.serial[person] * 37 + state.keys.seed) % 130 + 1, 4)
    provider = pc.binary_join_element_wise("HEP", provider, "")
    eth = p.ethnic[person]
    eth = np.where(eth < 0, 5, eth)
    nation = np.where(p.english[person], 0, 1 + p.serial[person] % 3)
    first_year = year_no == 1
    spec = _SPEC["hesa"]
    soc = _lk(_pool("", 4, 350), rng.integers(0, 350, n))
    sec = _draw(_col(spec, "HE_SEC"), n, rng)
    area = p.serial[person] * 2246822519
    return _fill(
        spec,
        n,
        rng,
        {
            "HE_PUPILMATCHINGREFANONYMOUS": pmr.take(pa.array(person)),
            "HE_XINSTID01__ANON": provider,
            "HE_XPQUAL01": final.astype(np.int8),
            "HE_XPSR01": np.ones(n, dtype=np.int8),
            "HE_COMDATE": _dates(comdate),
            "HE_DATELEFT": _dates(enddate, mask=~(final & old)),
            "HE_ENDDATE": _dates(enddate, mask=~(final & ~old)),
            "HE_YEARSTU": year_no,
            "HE_YEARPRG": year_no,
            "HE_QUALAIM": _const("H00", n),
            "HE_COURSEAIM": _const("H00", n),
            "HE_XLEV601": np.full(n, 4),
            "HE_XMODE01": p.mode[person],
            "HE_XQOBTN01": _masked(np.ones(n, dtype=np.int8), ~final),
            "HE_XQLEV601": _masked(np.full(n, 4, dtype=np.int8), ~final),
            "HE_XCLASS01": _text_if(final, klass),
            "HE_SBJQA1": _text_if(old, jacs),
            "HE_XJACSA01_1": _text_if(~old, jacs),
            "HE_XJACS01_1": _text_if(~old, jacs),
            "HE_XFPE01_1": _masked(
                np.full(n, 100.0), old | ~pc.is_valid(jacs).to_numpy(zero_copy_only=False)
            ),
            "HE_XCAH01_1": _text_if(end >= 2020, cah1),
            "HE_XCAH02_1": _text_if(end >= 2020, cah2),
            "HE_GENDER": sex_code,
            "HE_SEXID": sex_code,
            "HE_ETHNIC": _lk(_HE_ETHNIC, eth),
            "HE_XETHNIC01": eth + 1,
            "HE_NATION": _lk(["XF", "XI", "XH", "XG"], nation),
            "HE_XAGEA01": age,
            "HE_CARELEAVER": np.where(p.cla[person], 1, 2),
            "HE_SEC": pc.if_else(pa.array(first_year), sec, pa.scalar(None, pa.int8())),
            "HE_SOC2000": _text_if(first_year, soc),
            "HE_XDOMUC01": nation + 1,
            "HE_XHOOS01": np.ones(n, dtype=np.int8),
            "HE_XQUALENT01": _lk(
                ["P50", "P80", "J80"],
                np.where(p.has_ks5[person], 0, np.where(p.has_fe[person], 1, 2)),
            ),
            "HE_FEEELIG": np.ones(n, dtype=np.int8),
            "HE_STULOAD": np.where(p.mode[person] == 3, 50.0, 100.0),
            "HE_OA11": _lk(_COA["E00"], area % len(_COA["E00"])),
            "HE_LSOA11": _lk(_LSOA, area % len(_LSOA)),
            "HE_LA_ANON": _lk(_LA, area % len(_LA)),
            "HE_Year": end,
        },
        end - 1,
    )


@dataclass
class _Lars:
    """The LARS reference table and the pools aims and exam results draw from."""

    table: pa.Table
    ref: pa.Array
    title: pa.Array
    level: pa.Array
    ssa1: pa.Array
    ssa2: pa.Array
    gcse: IntArray
    a_level: IntArray
    #: vocational aims by NotionalNVQLev index (0 level 2, 1 level 3, 2 entry)
    vocational: tuple[IntArray, IntArray, IntArray]
    programme: int


_SUBJECT_TITLES = (
    "Mathematics English Biology Chemistry Physics History Geography French Spanish German Art "
    "Music Drama Computing Economics Psychology Sociology Business Law Religious_Studies "
    "Media Design_and_Technology Physical_Education Health_and_Social_Care Engineering "
    "Construction Hairdressing Catering Accounting Childcare"
).split()


def _make_lars() -> _Lars:
    groups = [  # (count, QualType, Notional_Level_v2, title prefix)
        (1, "ZPRG", "X", "Programme aim"),
        (150, "0003", "2", "GCSE in"),
        (120, "0002", "3", "GCE A level in"),
        (60, "0001", "3", "GCE AS level in"),
        (300, "0010", "2", "Level 2 Diploma in"),
        (300, "0010", "3", "Level 3 Extended Diploma in"),
        (200, "0011", "E", "Entry Level Certificate in"),
        (200, "0011", "1", "Level 1 Award in"),
    ]
    refs, qual, level, title, kind = [], [], [], [], []
    for g, (count, qt, lv, prefix) in enumerate(groups):
        for i in range(count):
            refs.append("ZPROG001" if qt == "ZPRG" else f"{50 + g}{(i * 7919 + g) % 10**6:06d}")
            qual.append(qt)
            level.append(lv)
            subject = _SUBJECT_TITLES[i % len(_SUBJECT_TITLES)].replace("_", " ")
            title.append(prefix if qt == "ZPRG" else f"{prefix} {subject} ({i // 30 + 1})")
            kind.append(g)
    n = len(refs)
    k = np.array(kind)
    ssa1 = [f"{(i % 15) + 1:02d}" for i in range(n)]
    ssa2 = [f"{s}.{(i % 3) + 1}" for i, s in enumerate(ssa1)]
    l2 = np.where(k == 1, 12.5, np.where(np.isin(k, [4]), 100.0, 0.0))
    l3 = np.where(k == 2, 50.0, np.where(k == 3, 25.0, np.where(k == 5, 100.0, 0.0)))
    table = pa.Table.from_arrays(
        [
            pa.array(refs),
            pa.array(title),
            pa.array(qual),
            pa.array(level),
            pa.array(ssa1),
            pa.array(ssa2),
            pa.array(l2),
            pa.array(l3),
            pa.array(["F"] * n),
            pa.array([f"AO{(i * 31) % 40:04d}" for i in range(n)]),
        ],
        schema=arrow_schema(_SPEC["lars"]),
    )
    return _Lars(
        table,
        table.column("LearnAimRef").combine_chunks(),
        table.column("AimTitle").combine_chunks(),
        table.column("Notional_Level_v2").combine_chunks(),
        table.column("SectorSubjectAreaT1").combine_chunks(),
        table.column("SectorSubjectAreaT2").combine_chunks(),
        np.flatnonzero(k == 1),
        np.flatnonzero(k == 2),
        (np.flatnonzero(k == 4), np.flatnonzero(k == 5), np.flatnonzero(k == 6)),
        0,
    )


@dataclass
class _ILR:
    learners: pa.Table
    records: pa.Table
    #: the aims' derived columns, finished once benefit spells exist (their benefit flags)
    aims: dict[str, Any]
    aim_person: IntArray
    aim_start: IntArray
    aim_year: IntArray
    apprentice: BoolArray  # per person: any apprenticeship aim
    fe_l3_end: IntArray  # per person: academic year (end) of a first achieved full level 3


def _ilr(p: _People, state: _State, ae_id: pa.Array) -> _ILR:
    rng = state.rng
    fe = np.flatnonzero(p.has_fe)
    rows_per = 1 + (rng.random(fe.size) < 0.35)
    person = np.repeat(fe, rows_per)
    second = np.arange(person.size) - np.repeat(np.cumsum(rows_per) - rows_per, rows_per)
    year = p.ks4_end[person] + second  # ILR Year = start year of the academic year
    keep = (year >= 2002) & (year <= 2020)
    person, year, second = person[keep], year[keep], second[keep]
    n = person.size
    # keys from the person's serial: unique across chunks and workers, stable for a seed
    recordid = 2 * p.serial[person] + second + 1
    external = 2 * p.serial[person] + second + 1
    age = year - p.birth_year[person] - (p.birth_month[person] >= 9)
    eth = p.ethnic[person]
    ethnicity = np.where(eth >= 0, np.array(_ETHNIC_ILR)[np.maximum(eth, 0)], 99)
    ukprn = pc.binary_join_element_wise("0x", _digits(rng.integers(0, 16**6, n), 8), "")
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
    programme = app & (seq == 1)
    aim = np.zeros(m, dtype=np.int64)
    for lv in range(3):
        pool = _LARS.vocational[lv]
        chosen = level == lv
        aim[chosen] = pool[rng.integers(0, pool.size, int(chosen.sum()))]
    aim = np.where(programme, _LARS.programme, aim)
    full2, full3 = (level == 0) & ~programme, (level == 1) & ~programme

    def any_of(flag: BoolArray) -> npt.NDArray[np.int8]:
        return (np.bincount(row, weights=flag, minlength=n) > 0).astype(np.int8)

    learners = _fill(
        _SPEC["learners"],
        n,
        rng,
        {
            "external_id": external,
            "Year": year,
            "AcademicYear": _acad(year + 1),
            "dataset_identifier": _const("ILR", n),
            "learner_id": _digits(rng.integers(0, 10**12, n), 12),
            "upin_anon": _lk(["0x", *_pool("0x", 6, 200)], rng.integers(0, 201, n)),
            "ukprn_anon": ukprn,
            "RECORDID": recordid,
            "Sex": _lk(["F", "M"], p.sex[person]),
            "Ethnicity": ethnicity,
            "AcAge": age,
            "LLDD": np.array([1, 2, -1], dtype=np.int8)[_pick(rng, (0.15, 0.8, 0.05), n)],
            "PriorAttain": np.array([2, 9, 99, -1], dtype=np.int16)[
                _pick(rng, (0.5, 0.2, 0.2, 0.1), n)
            ],
            "L_FullLevel2": any_of(full2),
            "L_FullLevel2_Ach": any_of(full2 & achieved),
            "L_FullLevel3": any_of(full3),
            "L_FullLevel3_Ach": any_of(full3 & achieved),
            "L_FEFUND": any_of(~app),
            "AppParticipant": any_of(app),
        },
    )
    records = pa.Table.from_arrays(
        [pa.array(recordid.astype(np.int32)), ae_id.take(pa.array(person))],
        schema=arrow_schema(_SPEC["education_records_lookup"]),
    )
    level_of_learning = np.where(level == 2, 0, level + 2)
    aims = {
        "external_id": external[row],
        "sequence_index": seq,
        "learning_aim_id": _LARS.ref.take(pa.array(aim)),
        "RECORDID": recordid[row],
        "start_date": _dates(start),
        "end_date_expected": _dates(expected),
        "end_date": _dates(end_actual),
        "Achievement_date": _dates(end_actual, mask=~achieved),
        "Compstatus": np.where(withdrawn, 3, 2),
        "outcome": np.where(achieved, 1, 3),
        "programme_type": np.where(app, np.where(level == 1, 2, 3), -1),
        "AimType": np.where(programme, 1, np.where(app, 3, 4)),
        "FundModel": np.where(app, 36, 25),
        "framework_id": np.where(app & (y < 2017), 400 + aim % 50, -1),
        "Standard_id": np.where(app & (y >= 2017), 10 + aim % 300, -1),
        "NotionalNVQLev": _lk(["2", "3", "E"], level),
        "Notional_Level_v2": _LARS.level.take(pa.array(aim)),
        "SSATier1": _LARS.ssa1.take(pa.array(aim)),
        "SSATier2": _LARS.ssa2.take(pa.array(aim)),
        "LevelOfLearning": level_of_learning,
        "LevelOfLearning_Desc": _lk(
            ["Entry level", "Level 1", "Level 2", "Level 3"], level_of_learning
        ),
        "FullL2": full2.astype(np.int8),
        "FullL3": full3.astype(np.int8),
        "PartialL2": np.zeros(m, dtype=np.int8),
        "PartialL3": np.zeros(m, dtype=np.int8),
        "FrameworkApp": (app & (y < 2017)).astype(np.int8),
        "StandardApp": (app & (y >= 2017)).astype(np.int8),
        "Tlevel": np.zeros(m, dtype=np.int8),
        "active": np.ones(m, dtype=np.int8),
        "start": np.ones(m, dtype=np.int8),
        "completion": (~withdrawn).astype(np.int8),
        "achievement": achieved.astype(np.int8),
        "enrolment": np.ones(m, dtype=np.int8),
        "Funded_aim": np.ones(m, dtype=np.int8),
        "AimRankInYear": seq,
        "LevySupported": (app & (rng.random(m) < 0.5)).astype(np.int8),
    }
    apprentice = np.zeros(p.serial.size, dtype=bool)
    apprentice[person[row[app]]] = True
    fe_l3_end = np.full(p.serial.size, 9999, dtype=np.int64)
    done = full3 & achieved
    np.minimum.at(fe_l3_end, person[row[done]], y[done] + 1)
    return _ILR(learners, records, aims, person[row], start, y, apprentice, fe_l3_end)


def _aims(
    ilr: _ILR, state: _State, spells: tuple[IntArray, IntArray, IntArray, IntArray]
) -> pa.Table:
    """The aims table, with the benefit flags read from the person's benefit spells."""
    who, start, end, kind = spells  # sorted by person then start; kind 0 other, 1 UC, 2 JSA/ESA
    flags: dict[str, Any] = {}
    for label, offset in (("AtStart", 0), ("6MonthPrior", 182)):
        day = ilr.aim_start - offset
        key = who * 100_000 + start
        probe = ilr.aim_person * 100_000 + day
        i = np.searchsorted(key, probe, side="right") - 1
        ok = (i >= 0) & (who[np.maximum(i, 0)] == ilr.aim_person) & (end[np.maximum(i, 0)] >= day)
        k = kind[np.maximum(i, 0)]
        flags[f"OnBenefits_{label}"] = ok.astype(np.int8)
        flags[f"OnUC_{label}"] = (ok & (k == 1)).astype(np.int8)
        flags[f"OnJSAESA_{label}"] = (ok & (k == 2)).astype(np.int8)
    return _fill(
        _SPEC["aims"],
        ilr.aim_person.size,
        state.rng,
        {**ilr.aims, **flags},
        ilr.aim_year,
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


_Spells = tuple[IntArray, IntArray, IntArray, IntArray]


def _labour(
    p: _People, state: _State, edukeys: tuple[pa.Array, pa.Array]
) -> tuple[dict[str, pa.Table], _Spells]:
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
    earnings = _earnings_table(
        spell_key.take(pa.array(spell)),  # the spell's key: no earnings without a spell
        year,
        np.maximum(np.rint(pay), 1),
        ent[spell],
    )
    benefits, spells = _benefits(p, state, employed, edukeys)
    sa, sa_rows = _sa(p, state, employed, edukeys)
    tables = {
        "leo_employment": employment,
        "leo_earnings": earnings,
        "leo_benefit": benefits,
        "leo_self_assessment": sa,
        "LEO_Geography": _geography(p, state, edukeys),
        "leo_cjrs": _cjrs(p, state, employed, edukeys),
        "leo_seiss": _seiss(p, state, sa_rows, edukeys),
    }
    return tables, spells


def _earnings_table(key: pa.Array, year: IntArray, pay: npt.ArrayLike, ent: IntArray) -> pa.Table:
    """Earnings rows: one enterprise per person-year here, so the enterprise, section and SIC
    splits all equal the year's earnings and nothing is tied."""
    n = year.size
    section = _SECTION_OF_ENT[ent % _SECTION_OF_ENT.size]
    pay_array = pa.array(np.asarray(pay).astype(np.int32))
    ones = pa.array(np.ones(n, dtype=np.int16))
    zeros = pa.array(np.zeros(n, dtype=np.int8))
    sections = _lk(list(_SECTIONS), section)
    sic = _lk([d + "000" for d in _SECTION_DIVISION], section)
    return pa.Table.from_arrays(
        [
            key,
            pa.array(tax_year_code(year).astype(np.int32)),
            pay_array,
            _entkey(ent),
            pay_array,
            zeros,
            ones,
            sections,
            pay_array,
            zeros,
            ones,
            sic,
            pay_array,
            zeros,
            ones,
            sic,
            sections,
        ],
        schema=arrow_schema(_SPEC["leo_earnings"]),
    )


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
) -> tuple[pa.Table, _Spells]:
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
    table = pa.Table.from_arrays(
        [
            _key_for(p, everyone[order], years[order], edukeys),
            _dates(start[order]),
            _dates(end[order]),
            _lk(codes, types[order]),
            pa.array(out[order]),
        ],
        schema=arrow_schema(_SPEC["leo_benefit"]),
    )
    # per code: 1 Universal Credit, 2 JSA or ESA, 0 other (for the ILR aims' benefit flags)
    kind = np.array([1 if c.startswith("U") else 2 if c in ("JSA", "ESA") else 0 for c in codes])
    return table, (everyone[order], start[order], end[order], kind[types[order]])


def _sa(
    p: _People, state: _State, employed: BoolArray, edukeys: tuple[pa.Array, pa.Array]
) -> tuple[pa.Table, tuple[IntArray, IntArray, npt.NDArray[np.int32]]]:
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
    table = pa.Table.from_arrays(
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
    return table, (who, year, sole)


def _seiss(
    p: _People,
    state: _State,
    sa_rows: tuple[IntArray, IntArray, npt.NDArray[np.int32]],
    edukeys: tuple[pa.Array, pa.Array],
) -> pa.Table:
    """SEISS grants in 2020-21 for 60 % of the people self-employed (an SA row) in 2019-20: one
    to three grants (May, August and December 2020), 80 % of a quarter's profit, capped."""
    rng = state.rng
    who, year, sole = sa_rows
    pick = (year == 2019) & (rng.random(who.size) < 0.6)
    who, sole = who[pick], sole[pick]
    n = who.size
    grants = rng.integers(1, 4, n)
    months = np.zeros((n, 12), dtype=np.int64)
    for g, month in enumerate((1, 4, 8)):  # May, August, December of the tax year
        months[:, month] = grants > g
    bits = months @ (1 << np.arange(11, -1, -1))
    text = _lk(_BITS12, bits)
    amount = np.minimum(np.rint(0.8 * sole / 4.0), 7500) * grants
    return pa.Table.from_arrays(
        [
            _key_for(p, who, np.full(n, 2020), edukeys),
            pa.array(np.full(n, tax_year_code(2020), dtype=np.int32)),
            pa.array((grants * 13).astype(np.int16)),
            pa.array(amount.astype(np.int32)),
            text,
            text,
        ],
        schema=arrow_schema(_SPEC["leo_seiss"]),
    )


_BITS12 = [format(i, "012b") for i in range(4096)]
_PCON = [code for prefix in ("E14", "W07", "S14", "N06") for code in _pool(prefix, 6, 600)]
_PCON_NAMES = [f"Constituency {i:04d}" for i in range(len(_PCON))]


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
    pool = _COA_ALL
    coa = nation * 20_000 + rng.integers(0, 20_000, n)
    pcon = nation * 600 + rng.integers(0, 100, n)  # format-valid, not real constituencies
    none = pa.scalar(None, pa.string())
    mask = pa.array(abroad)
    _ = prefixes
    return pa.Table.from_arrays(
        [
            _key_for(p, who, year, edukeys),
            pa.array(tax_year_code(year).astype(np.int32)),
            pc.if_else(mask, none, _lk(pool, coa)),
            pc.if_else(mask, none, _lk(_LA, rng.integers(0, len(_LA), n))),
            pc.if_else(mask, none, _lk(_PCON, pcon)),
            pc.if_else(mask, none, _lk(_PCON_NAMES, pcon)),
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
    text = _lk(_BITS12, bits)
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
    born = rng.integers(1970 * 12, 2019 * 12, enterprises)
    died = born + rng.integers(12, 240, enterprises)
    dead = np.tile((rng.random(enterprises) < 0.1) & (died < 2020 * 12), 2)
    birth = np.tile((born // 12) * 100 + born % 12 + 1, 2)
    death = np.tile((died // 12) * 100 + died % 12 + 1, 2)
    return pa.Table.from_arrays(
        [
            _entkey(index),
            _lk([d + "000" for d in _SECTION_DIVISION], section),
            _lk([f"SECTION {s}" for s in _SECTIONS], section),
            _lk(ENGLISH_REGIONS, region),
            _lk(["1", "2", "3", "4"], rng.integers(0, 4, index.size)),
            _lk(["0-9", "10-49", "50-249", "250+"], rng.integers(0, 4, index.size)),
            pa.array(birth.astype(np.int32)),
            pa.array(death.astype(np.int32), mask=~dead),
            pa.array(source),
        ],
        schema=arrow_schema(_SPEC["idbr_lookup"]),
    )


_SPEC = {t.name: t for t in TABLES}
_LARS = _make_lars()


def _chunk(model: Model, state: _State, first: int, n: int, flat: pa.Table | None) -> Extract:
    p = _people(model, state, first, n, flat)
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
    ilr = _ilr(p, state, ae_id)
    pupil_years = _pupil_years(p)
    cin, cla = _social_care(p, state, pmr)  # before HESA: care leavers
    ks4_pupils, ks4_exams = _ks4(p, state, pmr)
    ks5 = _ks5(p, state, pmr)
    absence, exclusions = _absence_exclusions(p, state, pmr, pupil_years)
    ucas, ucas_qualifications = _ucas(p, state, pmr, ks5)
    tables = {
        "learner_ae_id_to_pmr_lookup": pmr_lookup,
        "learner_ae_id_to_edukey_lookup": edukey_lookup,
        "education_records_lookup": ilr.records,
        **{f"{term}_census": _census(p, state, pmr, pupil_years, term) for term in _TERMS},
        **_key_stages(p, state, pmr),
        "KS4_Pupil": ks4_pupils,
        "KS4_Exam": ks4_exams,
        "KS5_Student": ks5.students,
        "KS5_Exam": ks5.exams,
        "PLAMS_Amended": ks5.plams,
        "YPMAD": _ypmad(p, state, pmr, ks5, ilr.fe_l3_end),
        "Absence_3term": absence,
        "exclusions": exclusions,
        "cin_2009_to_2021": cin,
        "cla_2006_to_2021": cla,
        "nccis_2011_to_2021": _nccis(p, state, pmr, ilr.apprentice),
        "ucas": ucas,
        "ucas_qualifications": ucas_qualifications,
        "hesa": _hesa(p, state, pmr),
        "learners": ilr.learners,
    }
    labour, spells = _labour(p, state, edukey)
    tables.update(labour)
    tables["aims"] = _aims(ilr, state, spells)
    _orphans(state, first, n, tables)
    return Extract(tables)


_TERMS = ("spring", "autumn", "summer")


def _orphans(state: _State, first: int, n: int, tables: dict[str, pa.Table]) -> None:
    """EDUKEYs seen only in earnings (no AE_ID): 0.5 % of each chunk's people."""
    rng = state.rng
    m = int(round(n * 0.005))
    if m == 0:
        return
    serial = np.arange(first, first + m, dtype=np.int64)  # chunks never share a serial
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
    tables["leo_earnings"] = pa.concat_tables(
        [tables["leo_earnings"], _earnings_table(key, year, pay, ent)]
    )


@dataclass(frozen=True)
class ChunkTask:
    """One chunk of people to generate: everything a worker process needs besides the model."""

    number: int
    first: int
    persons: int
    #: the chunk's HE graduates from the flat generator (drawn in order, once, in the parent)
    flat: pa.Table | None
    seed: int
    enterprises: int
    jacs: dict[str, list[str]]


def plan_extract(
    model: Model,
    persons: int,
    seed: int,
    chunk_persons: int = 50_000,
    jacs: dict[str, list[str]] | None = None,
) -> tuple[Extract, Iterator[ChunkTask]]:
    """The reference tables (IDBR, LARS) and the chunks of people, to generate in any order:
    each chunk has its own random stream and key range, so the files do not depend on which
    process makes which chunk."""
    if persons < 1:
        raise SynthError("persons must be at least 1")
    if chunk_persons < 1:
        raise SynthError("chunk_persons must be at least 1")
    n_he = int(round(persons * ROUTE_SHARES[0]))
    enterprises = max(1000, persons // 20)
    reference = Extract({"idbr_lookup": idbr(enterprises), "lars": _LARS.table})

    def tasks() -> Iterator[ChunkTask]:
        flat = generate(model, n_he, seed, 1 << 16) if n_he else None
        state = _State(chunk_rng(seed, -1), _Keys(seed), {}, enterprises, flat)
        for number, first, n, flat_rows in _plan(persons, chunk_persons, n_he):
            table = _take_flat(state, flat_rows)
            yield ChunkTask(number, first, n, table, seed, enterprises, jacs or {})

    return reference, tasks()


def make_chunk(model: Model, task: ChunkTask) -> Extract:
    """Every table's rows for one chunk of people."""
    state = _State(
        chunk_rng(task.seed, task.number), _Keys(task.seed), task.jacs, task.enterprises, None
    )
    return _chunk(model, state, task.first, task.persons, task.flat)


def generate_extract(
    model: Model,
    persons: int,
    seed: int,
    chunk_persons: int = 50_000,
    jacs: dict[str, list[str]] | None = None,
) -> Iterator[Extract]:
    """The extract's rows, ``chunk_persons`` people at a time (IDBR and LARS come first)."""
    reference, tasks = plan_extract(model, persons, seed, chunk_persons, jacs)
    yield reference
    for task in tasks:
        yield make_chunk(model, task)


def chunk_rng(seed: int, number: int) -> np.random.Generator:
    """Each chunk's own random stream: the same files however chunks are shared out."""
    return np.random.Generator(np.random.PCG64([seed, 21, number + 1]))


def _plan(persons: int, chunk_persons: int, n_he: int) -> Iterator[tuple[int, int, int, int]]:
    """(chunk number, first person, people, HE graduates among them) of every chunk."""
    done, he_done, number = 0, 0, 0
    while done < persons:
        n = min(chunk_persons, persons - done)
        target_he = int(round((done + n) * n_he / persons))
        yield number, done, n, target_he - he_done
        he_done = target_he
        done += n
        number += 1


def route_of_tables() -> dict[str, str]:
    """Which SRS database each physical table belongs to."""
    return {t.name: t.database for t in TABLES}


_ = (YAGS,)
