"""What the coder answers: candidates with calibrated scores, and the calibration itself.

Scores are calibrated to be read as the chance the code is right: raw scores go through a
monotone piecewise-linear map per route (``CALIBRATION``: exact, alias, rewrite, typo, fuzzy),
fitted by isotonic regression on the development parts of ``bench/coder_quality.py``, which
reports precision by score band.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CALIBRATION", "CLOSE_CALL", "ROUTES", "Candidate", "Coding", "calibrate", "extend"]

#: raw score → calibrated score: points (raw, calibrated) of a monotone piecewise-linear map
CALIBRATION: dict[str, tuple[tuple[float, float], ...]] = {
    # fitted by `bench/coder_quality.py --fit-calibration` (isotonic, per route) on its development
    # parts; the dev titles are unambiguous, so below 0.9 the exact and alias points are set by hand
    # (the fuzzy route is refitted on real unseen titles: below)
    "exact": ((0.0, 0.0), (0.6, 0.45), (0.8, 0.75), (0.944, 0.889), (1.0, 0.997)),
    "alias": ((0.0, 0.0), (0.6, 0.45), (0.8, 0.7), (1.0, 0.95)),
    "rewrite": ((0.0, 0.0), (0.6, 0.35), (0.949, 0.697), (1.0, 0.7)),
    "typo": ((0.0, 0.0), (0.6, 0.4), (0.991, 0.89), (1.0, 0.89)),
    # refitted by `bench/coder_heldout.py --fit-calibration` on the dev split of real titles
    # the index lacks (ISCO-08 titles, SOC 2020 titles new to SOC 2010: 2,145 fuzzy answers),
    # after the weights of the titles-by-meaning features were fitted (December 2026)
    "fuzzy": (
        (0.0, 0.0),
        (0.212, 0.177),
        (0.365, 0.33),
        (0.497, 0.47),
        (0.607, 0.599),
        (0.725, 0.682),
        (0.822, 0.79),
        (0.94, 0.911),
        (1.0, 0.911),
    ),
}
#: how a title was matched (the calibration used) → the method reported: ``rewrite`` is a
#: match found only for one side of a choice ("Receptionist/Administrator") or after rewriting
#: modern vocabulary with the lexicon; ``typo`` one found only after correcting a misspelling
ROUTES = {
    "exact": "exact",
    "alias": "alias",
    "rewrite": "alias",
    "typo": "fuzzy",
    "fuzzy": "fuzzy",
}

#: a fuzzy answer below this score whose runner-up is within this margin is ``ambiguous``
CLOSE_CALL = (0.5, 0.1)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One coded answer: a unit group, with the evidence that chose it."""

    code: str
    title: str  # unit-group title
    score: float  # calibrated, 0–1
    method: str  # exact | alias | fuzzy
    matched: str  # the index entry matched, e.g. "Software developer"
    #: the calibration the score went through (a key of ``CALIBRATION``): finer than method
    route: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "score": self.score,
            "method": self.method,
            "matched": self.matched,
            "route": self.route,
        }


@dataclass(frozen=True, slots=True)
class Coding:
    """The answer for one input title: candidates best first (empty when nothing matched)."""

    input: str
    candidates: tuple[Candidate, ...]
    ambiguous: bool = False
    #: the title's words as matched (normalised, repaired; seniority kept), for explanations
    normalised: str = ""

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def status(self) -> str:
        """``coded``; ``ambiguous`` when the index names several codes with none holding half
        the weight, or when a fuzzy answer's two best codes are both unlikely and close
        (``CLOSE_CALL``, judged on the whole ranking, whatever ``top``); ``uncodable`` when no
        code could be proposed at all."""
        if not self.candidates:
            return "uncodable"
        return "ambiguous" if self.ambiguous else "coded"


def calibrate(method: str, raw: float) -> float:
    """``raw`` through the piecewise-linear map of ``method`` (a key of ``CALIBRATION``)."""
    points = CALIBRATION[method]
    raw = min(max(raw, 0.0), 1.0)
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if raw <= x1:
            return round(y0 + (y1 - y0) * (raw - x0) / (x1 - x0), 3)
    return points[-1][1]


def extend(
    first: tuple[Candidate, ...], more: Iterable[Candidate], top: int
) -> tuple[Candidate, ...]:
    """``first`` then the codes of ``more`` not in it, scored no higher than ``first``'s last."""
    seen = {c.code for c in first}
    ceiling = first[-1].score if first else 1.0
    extra = [
        Candidate(c.code, c.title, min(c.score, ceiling), c.method, c.matched, c.route)
        for c in more
        if c.code not in seen
    ]
    return (*first, *extra)[:top]
