"""Fit the weights of the coder's fuzzy stage (``lmi.search.coder.WEIGHTS``) on the index itself.

    .venv/bin/python bench/coder_fit.py [--database-url URL] [--per-version 6000] [--folds 8]

Training examples come from the coding indexes themselves, never from an evaluation list:
unqualified index titles naming one unit group (both SOC versions, the SOC 2020 index's SOC 2010
codes included), in folds; each fold's titles are removed from the coder's index, then coded
(half of them with advert noise added) through the fuzzy stage. The titles that
``bench/coder_quality.py`` evaluates (its ``held-out`` part, every Volume 1 related title, the
hand-written lists) are left out, so its figures stay out-of-sample. The model is a softmax over
each title's candidate codes (a conditional logit) on ``FEATURES``, fitted with L2-penalised
gradient descent; the script prints the weights to paste into ``coder/fuzzy.py`` and the
precision by predicted probability, from which the ``fuzzy`` calibration points are read. The
weights in use now come from ``bench/coder_heldout.py --fit-weights`` (real unseen titles).
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict

import numpy as np

from coder_eval import (
    EvalData,
    _key,
    add_noise,
    build_eval,
    coders_without,
    modern_cases,
    open_release,
    related_folds,
    unseen_cases,
)
from lmi.search.coder import FEATURES
from lmi.search.index import VERSIONS, entries_for


def training_titles(
    data: EvalData, excluded: set[str], per_version: int, seed: int
) -> list[tuple[str, str, str]]:
    """(version, title, code): unqualified titles whose unqualified entries name one code."""
    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []
    for version in VERSIONS:
        codes: dict[str, set[str]] = defaultdict(set)
        titles: dict[str, str] = {}
        for entry in entries_for(version, data.rows, data.groups):
            if entry.qualifier:
                continue
            key = _key(entry.title)
            codes[key].add(entry.code)
            titles.setdefault(key, entry.title)
        keys = sorted(k for k, c in codes.items() if len(c) == 1 and k and k not in excluded)
        rng.shuffle(keys)
        out += [(version, titles[k], next(iter(codes[k]))) for k in keys[:per_version]]
    return out


def compounds(
    data: EvalData, excluded: set[str], per_version: int, seed: int
) -> list[tuple[str, str, str]]:
    """(version, title, code): an unambiguous index title with one more modifier in front,
    taken from another title of the same minor group ("employment" + "solicitor"), as adverts
    add them; titles that are themselves index titles are skipped."""
    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []
    for version in VERSIONS:
        codes: dict[str, set[str]] = defaultdict(set)
        titles: dict[str, str] = {}
        for entry in entries_for(version, data.rows, data.groups):
            key = _key(entry.title)
            codes[key].add(entry.code)
            if not entry.qualifier:
                titles.setdefault(key, entry.title)
        modifiers: dict[str, list[str]] = defaultdict(list)
        for key, title in titles.items():
            words = title.split()
            if len(words) > 1 and len(codes[key]) == 1:
                minor = next(iter(codes[key]))[:3]
                modifiers[minor] += [w for w in words[:-1] if w.isalpha() and len(w) > 3]
        keys = sorted(
            k for k in titles if len(codes[k]) == 1 and k not in excluded and len(k.split()) <= 3
        )
        rng.shuffle(keys)
        made = 0
        for key in keys:
            code = next(iter(codes[key]))
            choices = modifiers.get(code[:3])
            if not choices:
                continue
            title = f"{rng.choice(choices)} {titles[key]}"
            if _key(title) in codes:
                continue
            out.append((version, title, code))
            made += 1
            if made >= per_version:
                break
    return out


def examples(
    data: EvalData, titles: list[tuple[str, str, str]], folds: int, seed: int
) -> tuple[list[np.ndarray], list[int], int]:
    """Feature matrices of candidate codes and the gold candidate's index per coded title."""
    rng = random.Random(seed)
    order = list(range(len(titles)))
    rng.shuffle(order)
    matrices: list[np.ndarray] = []
    golds: list[int] = []
    missed = 0
    for fold in range(folds):
        chosen = [titles[i] for i in order[fold::folds]]
        coders = coders_without(data, {_key(t) for _, t, _ in chosen})
        for version, title, gold in chosen:
            text = add_noise(title, rng) if rng.random() < 0.5 else title
            query = coders[version].query_words(text)
            if query is None:
                continue
            codes, rows, _ = coders[version].features(*query)
            if gold not in codes:
                missed += 1
                continue
            matrices.append(np.array(rows, dtype=np.float64))
            golds.append(codes.index(gold))
        print(f"fold {fold + 1}/{folds}: {len(golds)} examples, {missed} without the gold code")
    return matrices, golds, missed


def fit(
    matrices: list[np.ndarray], golds: list[int], l2: float, steps: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Conditional-logit weights by Adam on the mean negative log-likelihood (+ L2)."""
    width = max(m.shape[0] for m in matrices)
    n, k = len(matrices), matrices[0].shape[1]
    x = np.zeros((n, width, k))
    mask = np.full((n, width), -1e9)
    for i, m in enumerate(matrices):
        x[i, : m.shape[0]] = m
        mask[i, : m.shape[0]] = 0.0
    y = np.array(golds)
    w = np.zeros(k)
    w[0] = 10.0  # start from the former scoring
    former = ((x @ w + mask).argmax(axis=1) == y).mean()
    print(f"  former scoring: top-1 of titles with the gold code {former:.1%}")
    m1, m2 = np.zeros(k), np.zeros(k)
    rate, b1, b2 = 0.05, 0.9, 0.999
    for step in range(1, steps + 1):
        logits = x @ w + mask
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        expected = np.einsum("nc,nck->nk", p, x)
        observed = x[np.arange(n), y]
        grad = (expected - observed).mean(axis=0) + l2 * w
        m1 = b1 * m1 + (1 - b1) * grad
        m2 = b2 * m2 + (1 - b2) * grad**2
        w -= rate * (m1 / (1 - b1**step)) / (np.sqrt(m2 / (1 - b2**step)) + 1e-8)
        if step % 500 == 0:
            nll = -np.log(p[np.arange(n), y] + 1e-12).mean()
            top1 = (p.argmax(axis=1) == y).mean()
            print(f"  step {step}: nll {nll:.4f}  top-1 of titles with the gold code {top1:.1%}")
    logits = x @ w + mask
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    return w, p.max(axis=1), (p.argmax(axis=1) == y)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--per-version", type=int, default=6000)
    parser.add_argument("--folds", type=int, default=8)
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--compounds", type=int, default=1000, help="compound titles per version (see compounds())"
    )
    args = parser.parse_args()
    db, release_id = open_release(args.database_url)
    data = build_eval(db, release_id)
    excluded = set(data.held_out_keys)
    for keys, _, _ in related_folds(data):
        excluded |= keys
    listed = [
        *modern_cases(),
        *(
            c
            for k in ("common", "compound")
            for s in ("dev", "test")
            for c in unseen_cases(k, s, noise=False)
        ),
    ]
    excluded |= {_key(c.source if c.source != "modern" else c.title) for c in listed}
    titles = training_titles(data, excluded, args.per_version, args.seed)
    matrices, golds, missed = examples(data, titles, args.folds, args.seed)
    if args.compounds:
        extra = compounds(data, excluded, args.compounds, args.seed)
        more, more_golds, more_missed = examples(data, extra, 1, args.seed)
        matrices, golds, missed = matrices + more, golds + more_golds, missed + more_missed
    weights, confidence, correct = fit(matrices, golds, args.l2, args.steps)
    total = len(golds) + missed
    print(f"\nexamples {len(golds)} (+{missed} whose gold code was no candidate)")
    print(f"top-1 over all fuzzy titles: {correct.sum() / total:.1%}")
    print("\nWEIGHTS: dict[str, float] = {")
    for name, w in zip(FEATURES, weights, strict=True):
        print(f'    "{name}": {w:.4f},')
    print("}")
    print("\nprecision by predicted probability (titles with the gold code among candidates)")
    edges = np.array([0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01])
    for lo, hi in zip(edges, edges[1:], strict=False):
        inside = (confidence >= lo) & (confidence < hi)
        if inside.any():
            print(
                f"  [{lo:.1f}, {min(hi, 1.0):.1f})  n={inside.sum():5}  mean p "
                f"{confidence[inside].mean():.3f}  precision {correct[inside].mean():.3f}"
            )


if __name__ == "__main__":
    main()
