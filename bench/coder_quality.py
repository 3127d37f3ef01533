"""Quality report of the job-title coder on the development evaluation set (see coder_eval.py).

    .venv/bin/python bench/coder_quality.py [--database-url URL] [--n 2000] [--show-errors 20]

Prints, per part and SOC version: top-1 and top-3 exact 4-digit accuracy, top-1 3-digit
accuracy, coverage, and precision of the top answer by calibrated score band.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from coder_eval import Case, build_eval, coders_without, modern_cases, open_release
from lmi.search.coder import Coder, Coding
from lmi.search.index import VERSIONS

BANDS = (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.0)


def evaluate(
    name: str, cases: Sequence[Case], coders: dict[str, Coder], errors: int
) -> list[tuple[float, bool]]:
    """Print accuracy lines; return (score, correct) of each top answer for the bands table."""
    scored: list[tuple[float, bool]] = []
    for version in VERSIONS:
        chosen = [c for c in cases if c.gold(version)]
        codings = coders[version].code_many([c.title for c in chosen], top=3)
        top1 = top3 = digit3 = covered = 0
        wrong: list[tuple[Case, Coding]] = []
        for case, coding in zip(chosen, codings, strict=True):
            gold = case.gold(version)
            codes = [c.code for c in coding.candidates]
            covered += bool(codes)
            top1 += bool(codes) and codes[0] == gold
            top3 += gold in codes
            digit3 += bool(codes) and gold is not None and codes[0][:3] == gold[:3]
            if coding.best is not None:
                scored.append((coding.best.score, codes[0] == gold))
            if not codes or codes[0] != gold:
                wrong.append((case, coding))
        n = len(chosen) or 1
        print(
            f"{name:9} {version}  n={len(chosen):5}  top-1 {top1 / n:6.1%}  top-3 {top3 / n:6.1%}"
            f"  3-digit {digit3 / n:6.1%}  coded {covered / n:6.1%}"
        )
        for case, coding in wrong[:errors]:
            best = coding.best
            got = f"{best.code} {best.score:.2f} {best.method} [{best.matched}]" if best else "-"
            print(f"      want {case.gold(version)} got {got}  <- {case.title!r} ({case.source})")
    return scored


def print_bands(scored: list[tuple[float, bool]]) -> None:
    print("\nprecision of the top answer by calibrated score band (all parts, both versions)")
    upper = 1.0
    for lower in BANDS:
        inside = [ok for score, ok in scored if lower <= score < upper or score == upper == 1.0]
        if inside:
            precision = sum(inside) / len(inside)
            print(f"  [{lower:.1f}, {upper:.1f})  n={len(inside):5}  precision {precision:6.1%}")
        upper = lower


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--show-errors", type=int, default=0)
    args = parser.parse_args()
    db, release_id = open_release(args.database_url)
    data = build_eval(db, release_id, n=args.n)
    full = coders_without(data, set())
    reduced = coders_without(data, data.held_out_keys)
    scored = evaluate("noisy", data.noisy, full, args.show_errors)
    scored += evaluate("held-out", data.held_out, reduced, args.show_errors)
    scored += evaluate("modern", modern_cases(), full, args.show_errors)
    print_bands(scored)


if __name__ == "__main__":
    main()
