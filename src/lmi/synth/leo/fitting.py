"""Fitting the synthetic-LEO model: from the published LEO table to cell parameters.

Only the published, disclosure-checked table is read (``leo/leo_subject_sex_yag_2022_23.csv``:
CAH2 subject × sex × YAG, counts rounded to 5, earnings to £100, small cells ``c``).

* **L1** keeps each variable's marginal: subject, sex and YAG shares from the table's
  graduate counts, activity shares from the all-subject totals, and earnings as the pooled
  distribution of every cell (weighted by graduates with earnings), drawn independently of the
  person's other variables.
* **L2** keeps the table's joint cells: subject × sex × YAG counts (cell weights), within each
  cell the share with earnings (``earnings_include / grads``) and in sustained employment or
  study (the published rate), and earnings from a split log-normal passing exactly through
  the cell's published lower quartile, median and upper quartile. A cell whose quartiles are
  ``c`` borrows those of the same subject and YAG for both sexes, else all subjects for its
  sex and YAG (both published). The laws are then *raked* (:func:`rake`, the equivalent of
  iterative proportional fitting for quantiles) so that their earner-weighted mixtures also
  pass through the published quartiles of the totals: each subject over both sexes, all
  subjects by sex, and everyone, by YAG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from lmi.checks import read_csv
from lmi.datasets.leo.checks import EARNINGS_COLUMNS, check_earnings, yag_of
from lmi.datasets.leo.codes import ALL_SUBJECTS, cah2_of
from lmi.datasets.leo.parse import EARNINGS, figure
from lmi.errors import LMIError
from lmi.synth.leo.variables import (
    ACTIVITIES,
    ACTIVITY_SPLITS,
    EARNING_ACTIVITY,
    SEXES,
    SUBJECTS,
    YAGS,
)

__all__ = [
    "Model",
    "Published",
    "PublishedCell",
    "SynthError",
    "fit",
    "rake",
    "read_published",
]

#: z for the quartiles of a standard normal distribution
Z75 = 0.6744897501960817
_SEX = {"Female": "F", "Male": "M", "Total": "all"}


class SynthError(LMIError):
    """The published table cannot be used, or an argument of the generator is invalid."""


@dataclass(frozen=True)
class PublishedCell:
    """One row of the published LEO table (``None``: a symbol, kept in ``symbols``)."""

    subject: str  # CAH2 or "all"
    sex: str  # F | M | all
    yag: int
    academic_year: str
    grads: float | None
    included: float | None
    lq: float | None
    median: float | None
    uq: float | None
    rate: float | None
    symbols: dict[str, str] = field(default_factory=dict)

    @property
    def has_quartiles(self) -> bool:
        return None not in (self.lq, self.median, self.uq)


@dataclass(frozen=True)
class Published:
    """The published table, keyed by (subject, sex, yag)."""

    path: str
    tax_year: str
    cells: dict[tuple[str, str, int], PublishedCell]

    def get(self, subject: str, sex: str, yag: int) -> PublishedCell | None:
        return self.cells.get((subject, sex, yag))


def read_published(path: Path) -> Published:
    """Read and check the LEO table; raises :class:`SynthError` if it has errors."""
    frame = read_csv(path, label=str(path))
    check_earnings(frame)
    errors = [p.render() for p in frame.problems if p.severity == "error"]
    if errors:
        raise SynthError(f"{path}: " + "; ".join(errors[:5]))
    cells: dict[tuple[str, str, int], PublishedCell] = {}
    tax_years: set[str] = set()
    for period, cohort, yag_text, sex, name, *values in frame.rows(*EARNINGS_COLUMNS):
        subject, yag = cah2_of(name), yag_of(yag_text)
        if subject is None or yag is None or sex not in _SEX:
            continue
        parsed = [figure(v) for v in values]
        names = ("grads", "included", "lq", "median", "uq", "rate")
        symbols = {n: s for n, (_, s) in zip(names, parsed, strict=True) if s is not None}
        numbers = [v for v, _ in parsed]
        tax_years.add(f"{period[:4]}-{period[4:]}")
        grads, included, lq, median, uq, rate = numbers
        cells[(subject, _SEX[sex], yag)] = PublishedCell(
            subject, _SEX[sex], yag, cohort, grads, included, lq, median, uq, rate, symbols
        )
    if len(tax_years) != 1:
        raise SynthError(f"{path}: expected one tax year, found {sorted(tax_years)}")
    missing = [
        (s, x, y)
        for s in (*SUBJECTS, ALL_SUBJECTS)
        for x in SEXES
        for y in YAGS
        if (s, x, y) not in cells
    ]
    if missing:
        raise SynthError(
            f"{path}: {len(missing)} subject × sex × YAG cells missing, e.g. {missing[0]}"
        )
    return Published(str(path), tax_years.pop(), cells)


def default_source(source_dir: Path) -> Path:
    return source_dir / EARNINGS


#: knots outside the truncation range carry the tails (see EarningsLaw.knots)
TAIL_Z = 4.5
#: raking keeps knots at least this far apart in z, so no segment is near-vertical and a
#: cell's own quartiles stay sharp in a sample (a total that would need closer knots is met
#: only approximately, and noted)
KNOT_GAP = 0.05
#: ... and moves no point of a law by more than this in z (0.5: about 19 percentiles at the
#: median), so a cell's shape is bent, not broken, to meet a total
MAX_MOVE = 0.5


@dataclass
class EarningsLaw:
    """Log earnings piecewise linear in the normal score z, through knots ``(z, log £)``.

    It starts as a split log-normal through the published quartiles (knots at z = -0.674, 0,
    +0.674; slope ``sigma_lo`` below the median, ``sigma_hi`` above); raking (L2) adds knots
    where the published totals over sexes or subjects put their quartiles. ``knots`` always
    include one at z = ±``TAIL_Z`` continuing the tails, beyond the generator's truncation.
    """

    median: float
    sigma_lo: float
    sigma_hi: float
    source: str  # cell | subject_both_sexes | all_subjects
    lq: float
    uq: float
    knots: list[tuple[float, float]] = field(default_factory=list)

    @classmethod
    def through(cls, lq: float, median: float, uq: float, source: str) -> EarningsLaw:
        lo = math.log(median / lq) / Z75 if lq < median else 1e-6
        hi = math.log(uq / median) / Z75 if uq > median else 1e-6
        m = math.log(median)
        knots = [
            (-TAIL_Z, m - lo * TAIL_Z),
            (-Z75, math.log(lq)),
            (0.0, m),
            (Z75, math.log(uq)),
            (TAIL_Z, m + hi * TAIL_Z),
        ]
        return cls(median, lo, hi, source, lq, uq, knots)

    def z_of(self, log_value: float) -> float:
        """The normal score at which the law reaches ``log_value`` (clipped to the knots)."""
        zs, logs = zip(*self.knots, strict=True)
        return float(np.interp(log_value, logs, zs))

    def bounds(self, log_value: float) -> tuple[float, float] | None:
        """The z range a new knot at ``log_value`` may take (None: already a knot)."""
        if any(abs(v - log_value) < 1e-9 for _, v in self.knots):
            return None
        below = [z for z, v in self.knots if v < log_value]
        above = [z for z, v in self.knots if v > log_value]
        if not below or not above:
            return None
        return max(below) + KNOT_GAP, min(above) - KNOT_GAP

    def insert(self, z: float, log_value: float) -> None:
        self.knots.append((z, log_value))
        self.knots.sort()


def _phi(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


@dataclass
class Model:
    """What the generator draws from: cells (L2) or marginals (L1), plus provenance."""

    tier: str
    published: Published
    #: L2 cells: (subject, sex, yag), in a fixed order
    cells: list[tuple[str, str, int]]
    #: graduates per cell (published, rounded to 5)
    weights: npt.NDArray[np.float64]
    #: per cell, probabilities of the five activities
    activity: npt.NDArray[np.float64]
    #: per cell, the earnings law
    laws: list[EarningsLaw]
    #: per cell, graduates with earnings (published), the weight of each law in L1's pool
    earners: npt.NDArray[np.float64]
    notes: list[str] = field(default_factory=list)

    @property
    def population(self) -> int:
        return int(self.weights.sum())

    def marginal(self, what: str) -> dict[str, float]:
        """A marginal share implied by the published cells (subject, sex, yag or activity)."""
        total = self.weights.sum()
        found: dict[str, float] = {}
        if what == "activity":
            mix = (self.weights[:, None] * self.activity).sum(axis=0) / total
            return {a: float(p) for a, p in zip(ACTIVITIES, mix, strict=True)}
        index = {"subject": 0, "sex": 1, "yag": 2}[what]
        for cell, weight in zip(self.cells, self.weights, strict=True):
            key = str(cell[index])
            found[key] = found.get(key, 0.0) + float(weight) / total
        return found

    def describe(self) -> dict[str, Any]:
        sources: dict[str, int] = {}
        for law in self.laws:
            sources[law.source] = sources.get(law.source, 0) + 1
        return {
            "tier": self.tier,
            "published_table": self.published.path,
            "tax_year": self.published.tax_year,
            "cells": len(self.cells),
            "published_population": self.population,
            "earnings_quartiles_from": sources,
            "notes": self.notes,
        }


def fit(published: Published, tier: str) -> Model:
    """The model of ``tier`` (L1 or L2) from the published table."""
    if tier not in ("L1", "L2"):
        raise SynthError(f"unknown tier {tier!r}: use L1 or L2")
    cells = [(s, x, y) for y in YAGS for s in SUBJECTS for x in SEXES]
    weights = np.array([_number(published.get(*c), "grads") for c in cells], dtype=np.float64)
    laws, activity, earners, notes = [], [], [], []
    for subject, sex, yag in cells:
        law = _law(published, subject, sex, yag)
        if law.source != "cell":
            notes.append(f"{subject} {sex} {yag} YAG: quartiles are 'c', from {law.source}")
        laws.append(law)
        activity.append(_activity(published, subject, sex, yag))
        earners.append(_number(published.get(subject, sex, yag), "included"))
    model = Model(
        tier=tier,
        published=published,
        cells=cells,
        weights=weights,
        activity=np.array(activity, dtype=np.float64),
        laws=laws,
        earners=np.array(earners, dtype=np.float64),
        notes=notes,
    )
    if tier == "L2":
        rake(model)
    return model


def rake(model: Model) -> list[str]:
    """Make mixtures of the cell laws reproduce the published totals' quartiles.

    The subject × sex laws already pass through their cells' quartiles. For each published
    total — a subject over both sexes, all subjects for one sex, all subjects and sexes, each
    by YAG — the laws of the cells it is made of get a knot at each of the total's quartiles,
    placed (one common shift of z, within each law's neighbouring knots) so that the earner-
    weighted mixture of the laws has exactly that quartile there. Earlier knots are never
    moved, so every earlier fit still holds. Returns the totals that could not be met exactly
    (a knot bound reached), also added to the model's notes.
    """
    earners = model.weights * model.activity[:, EARNING_ACTIVITY]
    index = {cell: i for i, cell in enumerate(model.cells)}
    groups: list[tuple[tuple[str, str, int], list[int]]] = []
    for yag in YAGS:
        for subject in SUBJECTS:
            groups.append(((subject, "all", yag), [index[(subject, x, yag)] for x in SEXES]))
        for sex in SEXES:
            groups.append(((ALL_SUBJECTS, sex, yag), [index[(s, sex, yag)] for s in SUBJECTS]))
        everyone = [index[(s, x, yag)] for s in SUBJECTS for x in SEXES]
        groups.append(((ALL_SUBJECTS, "all", yag), everyone))
    missed = []
    for key, members in groups:
        total = model.published.cells.get(key)
        if total is None or not total.has_quartiles:
            continue
        weights = earners[members]
        if weights.sum() <= 0:
            continue
        for q, value in ((0.25, total.lq), (0.5, total.median), (0.75, total.uq)):
            assert value is not None
            if not _place(model, members, weights / weights.sum(), q, math.log(value)):
                missed.append(f"{key[0]} {key[1]} {key[2]} YAG q{q:g}")
    if missed:
        model.notes.append(f"raking: {len(missed)} total quartiles met only approximately")
    return missed


def _place(
    model: Model, members: list[int], weights: npt.NDArray[np.float64], q: float, log_value: float
) -> bool:
    """Add knots at ``log_value`` so the weighted mixture's CDF there is ``q``; True if exact."""
    laws = [model.laws[i] for i in members]
    start = [law.z_of(log_value) for law in laws]
    bounds = [law.bounds(log_value) for law in laws]
    # each law moves by the same fraction t of its room in the direction needed: no law hits
    # a bound before every law has
    #: per law: its start and the z range its new knot may take (None: it gets no knot)
    limits: list[tuple[float, tuple[float, float] | None]] = []
    for z, b in zip(start, bounds, strict=True):
        if b is None or b[0] > b[1]:
            limits.append((z, None))
        else:
            inside = min(max(z, b[0]), b[1])
            span = (max(b[0], inside - MAX_MOVE), min(b[1], inside + MAX_MOVE))
            limits.append((inside, span))

    def placed(t: float) -> list[float]:
        found = []
        for z, room in limits:
            if room is None:
                found.append(z)
            else:
                found.append(z + t * (room[1] - z) if t >= 0 else z + t * (z - room[0]))
        return found

    def mixture(t: float) -> float:
        return float(sum(w * _phi(z) for w, z in zip(weights, placed(t), strict=True)))

    low, high = -1.0, 1.0
    for _ in range(60):
        mid = (low + high) / 2
        if mixture(mid) < q:
            low = mid
        else:
            high = mid
    t = (low + high) / 2
    for law, z, (_, room) in zip(laws, placed(t), limits, strict=True):
        if room is not None:
            law.insert(z, log_value)
    return abs(mixture(t) - q) < 1e-6


def _number(cell: PublishedCell | None, name: str) -> float:
    value = None if cell is None else getattr(cell, name)
    return 0.0 if value is None else float(value)


def _law(published: Published, subject: str, sex: str, yag: int) -> EarningsLaw:
    for key, source in (
        ((subject, sex, yag), "cell"),
        ((subject, "all", yag), "subject_both_sexes"),
        ((ALL_SUBJECTS, sex, yag), "all_subjects"),
    ):
        cell = published.cells.get(key)
        if cell is not None and cell.has_quartiles:
            assert cell.lq is not None and cell.median is not None and cell.uq is not None
            return EarningsLaw.through(cell.lq, cell.median, cell.uq, source)
    raise SynthError(f"no published quartiles for {subject} {sex} {yag} YAG or its parents")


def _activity(published: Published, subject: str, sex: str, yag: int) -> list[float]:
    """Probabilities of the five activities in a cell, from its published shares."""
    for key in ((subject, sex, yag), (subject, "all", yag), (ALL_SUBJECTS, sex, yag)):
        cell = published.cells.get(key)
        if cell is None or not cell.grads or cell.included is None or cell.rate is None:
            continue
        earning = min(cell.included / cell.grads, 1.0)
        sustained = max(min(cell.rate / 100.0, 1.0), earning)
        other = sustained - earning
        rest = 1.0 - sustained
        (both, study), (none, uncaptured) = ACTIVITY_SPLITS
        return [earning, other * both, other * study, rest * none, rest * uncaptured]
    raise SynthError(f"no published activity shares for {subject} {sex} {yag} YAG")
