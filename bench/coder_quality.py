"""Quality report of the job-title coder on the development evaluation set (see coder_eval.py).

    .venv/bin/python bench/coder_quality.py [--database-url URL] [--n 2000] [--show-errors 20]
        [--only PART] [--bands-json FILE]

Prints, per part and SOC version: top-1 and top-3 exact 4-digit accuracy, top-1 3-digit
accuracy, coverage, and precision of the top answer by calibrated score band — over the
development parts, and over the parts the coder was not developed against (the ``test`` halves
of the hand-written ``common`` and ``compound`` sets).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field

import lmi.search.coder.exact
from coder_eval import (
    Case,
    build_eval,
    coders_without,
    modern_cases,
    open_release,
    related_folds,
    unseen_cases,
)
from lmi.search.coder import CALIBRATION, Coder, Coding
from lmi.search.index import VERSIONS

BANDS = (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.0)
#: fewest answers behind each fitted calibration point
MIN_BLOCK = 40


@dataclass
class Tally:
    n: int = 0
    top1: int = 0
    top3: int = 0
    digit3: int = 0
    covered: int = 0
    wrong: list[tuple[Case, Coding]] = field(default_factory=list)

    def add(self, case: Case, gold: str, coding: Coding) -> bool:
        codes = [c.code for c in coding.candidates]
        self.n += 1
        self.covered += bool(codes)
        ok = bool(codes) and codes[0] == gold
        self.top1 += ok
        self.top3 += gold in codes
        self.digit3 += bool(codes) and codes[0][:3] == gold[:3]
        if not ok:
            self.wrong.append((case, coding))
        return ok


def evaluate(
    name: str, parts: Sequence[tuple[Sequence[Case], dict[str, Coder]]], errors: int
) -> list[tuple[float, bool, str]]:
    """Print accuracy lines; return (score, correct, calibration route) of each top answer."""
    scored: list[tuple[float, bool, str]] = []
    for version in VERSIONS:
        tally = Tally()
        for cases, coders in parts:
            chosen = [c for c in cases if c.gold(version)]
            codings = coders[version].code_many([c.title for c in chosen], top=3)
            for case, coding in zip(chosen, codings, strict=True):
                gold = case.gold(version)
                assert gold is not None
                ok = tally.add(case, gold, coding)
                if coding.best is not None:
                    scored.append((coding.best.score, ok, coding.best.route))
        if not tally.n:
            continue
        n = tally.n
        print(
            f"{name:15} {version}  n={n:5}  top-1 {tally.top1 / n:6.1%}"
            f"  top-3 {tally.top3 / n:6.1%}  3-digit {tally.digit3 / n:6.1%}"
            f"  coded {tally.covered / n:6.1%}",
            flush=True,
        )
        for case, coding in tally.wrong[:errors]:
            best = coding.best
            got = f"{best.code} {best.score:.2f} {best.method} [{best.matched}]" if best else "-"
            print(f"      want {case.gold(version)} got {got}  <- {case.title!r} ({case.source})")
    return scored


def print_bands(title: str, scored: list[tuple[float, bool, str]]) -> None:
    print(f"\nprecision of the top answer by calibrated score band ({title})")
    upper = 1.0
    for lower in BANDS:
        inside = [ok for score, ok, _ in scored if lower <= score < upper or score == upper == 1.0]
        if inside:
            precision = sum(inside) / len(inside)
            mid = (lower + upper) / 2
            print(
                f"  [{lower:.1f}, {upper:.1f})  n={len(inside):5}  precision {precision:6.1%}"
                f"  (band middle {mid:.2f})"
            )
        upper = lower


def isotonic(points: list[tuple[float, bool]]) -> list[tuple[float, float, int]]:
    """Pool-adjacent-violators: (mean raw score, precision, n) blocks, precision non-decreasing."""
    ties: dict[float, list[float]] = {}  # equal scores form one block from the start
    for raw, ok in points:
        block = ties.setdefault(raw, [0.0, 0.0, 0])
        block[0] += raw
        block[1] += ok
        block[2] += 1
    blocks: list[list[float]] = []  # [sum raw, sum correct, n]
    for raw in sorted(ties):
        blocks.append(ties[raw])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            for i in range(3):
                blocks[-1][i] += last[i]
    return [(r / n, c / n, int(n)) for r, c, n in blocks]


def _pool(a: tuple[float, float, int], b: tuple[float, float, int]) -> tuple[float, float, int]:
    n = a[2] + b[2]
    return ((a[0] * a[2] + b[0] * b[2]) / n, (a[1] * a[2] + b[1] * b[2]) / n, n)


def print_calibration(scored: list[tuple[float, bool, str]]) -> None:
    """CALIBRATION points: isotonic blocks merged to at least MIN_BLOCK answers each."""
    print("\nCALIBRATION = {")
    for route in CALIBRATION:
        points = [(raw, ok) for raw, ok, r in scored if r == route]
        if not points:
            continue
        least = max(MIN_BLOCK, len(points) // 12)
        merged: list[tuple[float, float, int]] = []
        for block in isotonic(points):
            if merged and merged[-1][2] < least:
                block = _pool(merged.pop(), block)
            merged.append(block)
        while len(merged) > 1 and merged[-1][2] < least:
            merged.append(_pool(merged.pop(-2), merged.pop()))
        knots = [(0.0, 0.0), *((round(r, 3), round(p, 3)) for r, p, _ in merged)]
        if knots[-1][0] < 1.0:
            knots.append((1.0, knots[-1][1]))
        print(f"    {route!r}: {tuple(knots)},  # n={len(points)}")
        print(
            "        # blocks (mean raw, precision, n): "
            + ", ".join(f"({r:.2f}, {p:.2f}, {n})" for r, p, n in merged)
        )
    print("}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--show-errors", type=int, default=0)
    parser.add_argument("--only", help="run only parts whose name contains this")
    parser.add_argument(
        "--fit-calibration",
        action="store_true",
        help="score the development parts uncalibrated and print CALIBRATION points fitted to "
        "them (isotonic regression of correctness on the raw score, per calibration route)",
    )
    args = parser.parse_args()
    if args.fit_calibration:
        for route in CALIBRATION:
            CALIBRATION[route] = ((0.0, 0.0), (1.0, 1.0))
        lmi.search.coder.exact.AMBIGUOUS_FACTOR = 1.0
    db, release_id = open_release(args.database_url)
    data = build_eval(db, release_id, n=args.n)
    full = coders_without(data, set())

    def want(name: str) -> bool:
        return args.only is None or args.only in name

    dev: list[tuple[float, bool, str]] = []
    test: list[tuple[float, bool, str]] = []
    if want("noisy"):
        dev += evaluate("noisy", [(data.noisy, full)], args.show_errors)
    if want("held-out"):
        reduced = coders_without(data, data.held_out_keys)
        dev += evaluate("held-out", [(data.held_out, reduced)], args.show_errors)
    if want("related"):
        folds = [
            (coders_without(data, keys), clean, noisy) for keys, clean, noisy in related_folds(data)
        ]
        dev += evaluate("related", [(c, k) for k, c, _ in folds], args.show_errors)
        dev += evaluate("related+noise", [(n, k) for k, _, n in folds], args.show_errors)
    if want("modern"):
        dev += evaluate("modern", [(modern_cases(), full)], args.show_errors)
    for kind in ("common", "compound"):
        for split in ("dev", "test"):
            for noise in (False, True):
                name = f"{kind} {split}{'+noise' if noise else ''}"
                if not want(name):
                    continue
                shown = args.show_errors if split == "dev" else 0
                cases = unseen_cases(kind, split, noise=noise)
                (dev if split == "dev" else test).extend(evaluate(name, [(cases, full)], shown))
    if args.fit_calibration:
        print_calibration(dev)
        return
    print_bands("development parts, both versions", dev)
    if test:
        print_bands("unseen test, never tuned on", test)


if __name__ == "__main__":
    main()
