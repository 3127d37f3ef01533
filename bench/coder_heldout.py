"""The job-title coder on real titles it has never seen, held out by source.

    .venv/bin/python bench/coder_heldout.py [--database-url URL] [--source-dir DIR]
        [--n 1500] [--split test|dev|all]

Every set below is made of *real* occupation titles written by people, none of which is a
title (or a ``see`` alias) of the coder's index for the version scored — the coder is
built from the ONS coding indexes and Volume 1 only, and none of these sources was used to
build, tune or fit it:

* ``onet`` — O*NET 29 *Alternate Titles* and *Sample of Reported Titles* (US titles reported
  by job incumbents and employers). The answer is reached through the documented crosswalks:
  O*NET-SOC → US SOC 2018 → US SOC 2010 (BLS) → ISCO-08 (BLS) → UK SOC 2010 / SOC 2020 (the
  ISCO-08 codes ONS gives each SOC 2020 index title), each UK code weighted by its number of
  index titles. A title is kept only when one UK code holds at least ``GOLD_SHARE`` of that
  weight; the crosswalk is many-to-many, so this set measures agreement with a *proxy* answer
  (US occupational boundaries differ from UK ones): read it as a lower bound.
* ``isco`` — ISCO-08 unit-group titles ("Software developers", "Ships' engineers"), answered
  through the same ISCO-08 → UK SOC weights (same ``GOLD_SHARE`` rule).
* ``soc2020-new`` — unqualified SOC 2020 coding-index titles that the SOC 2010 index does not
  contain, with the ONS's own SOC 2010 and SOC 2020 codes for them (exact answers, set by
  ONS coders). In ``FOLDS`` folds, every entry and alias with a held-out title's words is
  removed from *both* versions' coders before the fold's titles are coded.
* ``in-index`` — (the control, not unseen) unambiguous index titles as they are, and with
  advert noise added (``coder_eval.add_noise``): the ≥ 96 % target.

Each unseen set is split by a hash of the title into ``dev`` (the only part fitted on) and
``test`` (only scored); ``--split`` picks which is printed (default ``test``).
``--fit-calibration`` fits the fuzzy route's calibration on the ``dev`` split of the sets with
exact answers (never on O*NET, never on ``test``). ``--fit-weights`` fits the fuzzy stage's
``WEIGHTS`` on the Volume 1 related job titles left out of the index fold by fold (``--fit-on
related``, the default: none of the held-out sets, so both their splits stay unseen), or on the
``dev`` split of the sets with exact answers (``--fit-on dev``).

Printed: top-1 and top-3 at 4, 3, 2 and 1 digits per SOC version; top-1 at 4 digits by major
group; the precision/coverage curve over score thresholds, and the precision and coverage of the
answers whose ``status`` is ``coded`` (not ``ambiguous`` or ``uncodable``); throughput (CPU
seconds, one core) for exact/alias titles and for a realistic mix; and the index load time.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from coder_eval import (
    FOLDS,
    _key,
    add_noise,
    build_eval,
    coders_without,
    open_release,
    related_folds,
    unambiguous_rows,
)
from coder_fit import fit
from coder_quality import print_calibration
from coder_speed import pin_one_core
from lmi.search.coder import CALIBRATION, FEATURES, Coder, Coding, load_coders
from lmi.search.index import VERSIONS, IndexRow
from lmi.search.normalise import title_tokens
from lmi.settings import Settings

#: least share of the crosswalk weight the answer must hold for a title to be kept
GOLD_SHARE = 0.6
DIGITS = (4, 3, 2, 1)
THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)


@dataclass(frozen=True)
class Case:
    title: str
    gold: dict[str, str]  # version → unit group


# -- sources --------------------------------------------------------------------------------------


def _read(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def isco_to_uk(source: Path) -> dict[str, dict[str, dict[str, float]]]:
    """ISCO-08 unit group → version → UK unit group → share of that ISCO code's index titles."""
    out: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for version in VERSIONS:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        path = source / "soc_crosswalks" / f"{version}_to_isco08_from_coding_index.csv"
        for row in _read(path):
            counts[row["isco08"]][row[version]] += float(row["n_index_entries"])
        for isco, by_code in counts.items():
            total = sum(by_code.values())
            out[isco][version] = {code: n / total for code, n in by_code.items()}
    return out


def _mix(parts: Iterable[dict[str, float]]) -> dict[str, float]:
    parts = list(parts)
    mixed: Counter[str] = Counter()
    for part in parts:
        for code, share in part.items():
            mixed[code] += share / len(parts)
    return dict(mixed)


def gold_of(distribution: dict[str, float]) -> str | None:
    if not distribution:
        return None
    code, share = max(distribution.items(), key=lambda item: (item[1], item[0]))
    return code if share >= GOLD_SHARE else None


def onet_cases(source: Path, isco: dict[str, dict[str, dict[str, float]]]) -> list[Case]:
    """O*NET alternate and reported titles with crosswalked UK answers (see the docstring)."""
    us2018_to_2010: dict[str, list[str]] = defaultdict(list)
    for row in _read(source / "isco" / "us_soc2010_to_soc2018_bls.csv"):
        us2018_to_2010[row["2018 SOC Code"].strip()].append(row["2010 SOC Code"].strip())
    us2010_to_isco: dict[str, list[str]] = defaultdict(list)
    for row in _read(source / "isco" / "us_soc2010_to_isco08_bls.csv"):
        us2010_to_isco[row["2010 SOC Code"].strip()].append(row["ISCO-08 Code"].strip())
    onet = source / "onet" / "original"
    titles: list[tuple[str, str]] = [
        (r["O*NET-SOC Code"], r["Alternate Title"])
        for r in _read(onet / "Alternate Titles.txt", "\t")
    ]
    titles += [
        (r["O*NET-SOC Code"], r["Reported Job Title"])
        for r in _read(onet / "db_29_0_text" / "Sample of Reported Titles.txt", "\t")
    ]
    gold_by_occupation: dict[str, dict[str, str]] = {}
    for occupation in {o for o, _ in titles}:
        iscos = [
            i for us in us2018_to_2010.get(occupation[:7], []) for i in us2010_to_isco.get(us, [])
        ]
        gold: dict[str, str] = {}
        for version in VERSIONS:
            found = gold_of(_mix(isco[i][version] for i in iscos if version in isco.get(i, {})))
            if found is not None:
                gold[version] = found
        gold_by_occupation[occupation] = gold
    return _distinct(
        Case(title, gold_by_occupation[occupation])
        for occupation, title in titles
        if gold_by_occupation[occupation]
    )


def isco_cases(source: Path, isco: dict[str, dict[str, dict[str, float]]]) -> list[Case]:
    """ISCO-08 unit-group titles with their UK answers through the same weights."""
    out = []
    for row in _read(source / "isco" / "isco08_structure_from_ons_soc2020_index.csv"):
        if row["level"] != "unit":
            continue
        gold = {v: g for v in VERSIONS if (g := gold_of(isco.get(row["isco08"], {}).get(v, {})))}
        if gold:
            out.append(Case(row["title"], gold))
    return _distinct(out)


def _distinct(cases: Iterable[Case]) -> list[Case]:
    """One case per normalised title; a title given different answers is dropped."""
    by_key: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_key[_key(case.title)].append(case)
    return [
        found[0]
        for key, found in by_key.items()
        if key and len({tuple(sorted(c.gold.items())) for c in found}) == 1
    ]


def unseen_by(coders: dict[str, Coder], cases: list[Case]) -> list[Case]:
    """Cases with the versions whose coder has no index title or alias with the same words."""
    out = []
    for case in cases:
        key = " ".join(sorted(set(title_tokens(case.title))))
        gold = {
            v: g
            for v, g in case.gold.items()
            if key not in coders[v].index.key_ids and key not in coders[v].index.aliases
        }
        if gold:
            out.append(Case(case.title, gold))
    return out


def soc2020_new_folds(rows: list[IndexRow]) -> list[tuple[set[str], list[Case]]]:
    """SOC 2020 index titles the SOC 2010 index lacks, in folds: (keys removed, cases)."""
    old = {_key(r.natural_title) for r in rows if r.version == "soc2010"}
    chosen: dict[str, Case] = {}
    codes: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in rows:
        if row.version != "soc2020" or not row.soc_code or not row.soc2010:
            continue
        key = _key(row.natural_title)
        codes[key].add((row.soc2010, row.soc_code))
        if row.add_qualifier or row.ind_qualifier or not key or key in old:
            continue
        chosen.setdefault(
            key, Case(row.natural_title, {"soc2010": row.soc2010, "soc2020": row.soc_code})
        )
    items = sorted((k, c) for k, c in chosen.items() if len(codes[k]) == 1)
    random.Random(3).shuffle(items)
    return [
        ({k for k, _ in items[f::FOLDS]}, [c for _, c in items[f::FOLDS]]) for f in range(FOLDS)
    ]


def feature_rows(coders: dict[str, Coder], cases: Sequence[Case]) -> list[tuple[Any, int]]:
    """(feature matrix, index of the gold code) of each case the fuzzy stage codes and whose
    answer is one of its candidates."""
    out = []
    for case in cases:
        for version, gold in case.gold.items():
            query = coders[version].query_words(case.title)
            if query is None:
                continue
            codes, rows, _ = coders[version].features(*query)
            if gold in codes:
                out.append((np.array(rows, dtype=np.float64), codes.index(gold)))
    return out


def split_of(title: str) -> str:
    return "dev" if zlib.crc32(title.lower().encode()) % 2 == 0 else "test"


# -- scoring --------------------------------------------------------------------------------------


@dataclass
class Scored:
    gold: str
    coding: Coding


def score(coders: dict[str, Coder], cases: Sequence[Case]) -> dict[str, list[Scored]]:
    out: dict[str, list[Scored]] = defaultdict(list)
    for version, coder in coders.items():
        chosen = [c for c in cases if version in c.gold]
        for case, coding in zip(
            chosen, coder.code_many([c.title for c in chosen], top=3), strict=True
        ):
            out[version].append(Scored(case.gold[version], coding))
    return out


def hit(scored: Scored, k: int, digits: int) -> bool:
    return any(c.code[:digits] == scored.gold[:digits] for c in scored.coding.candidates[:k])


def report(name: str, results: dict[str, list[Scored]], *, detail: bool) -> None:
    for version in VERSIONS:
        got = results.get(version, [])
        if not got:
            continue
        cells = []
        for digits in DIGITS:
            top1 = sum(hit(s, 1, digits) for s in got) / len(got)
            top3 = sum(hit(s, 3, digits) for s in got) / len(got)
            cells.append(f"{digits}d {top1:6.1%} {top3:6.1%}")
        print(f"{name:<14} {version}  n={len(got):>5}  " + "  ".join(cells))
        if not detail:
            continue
        by_major: dict[str, list[bool]] = defaultdict(list)
        for s in got:
            by_major[s.gold[0]].append(hit(s, 1, 4))
        print(
            "    top-1 4d by major group: "
            + "  ".join(f"{m}:{sum(v) / len(v):.0%}({len(v)})" for m, v in sorted(by_major.items()))
        )
        curve(got)


def curve(got: list[Scored]) -> None:
    """Precision and coverage of answers at or above each score threshold."""
    answers = [(s.coding.best.score if s.coding.best else 0.0, hit(s, 1, 4)) for s in got]
    parts = []
    best95: tuple[float, float] | None = None
    for t in THRESHOLDS:
        kept = [right for score_, right in answers if score_ >= t and score_ > 0]
        if not kept:
            continue
        precision, coverage = sum(kept) / len(kept), len(kept) / len(answers)
        parts.append(f"≥{t:.2f}: {precision:.0%}/{coverage:.0%}")
        if precision >= 0.95 and best95 is None:
            best95 = (t, coverage)
    print("    precision/coverage: " + "  ".join(parts))
    coded = [hit(s, 1, 4) for s in got if s.coding.status == "coded"]
    if coded:
        print(
            f"    status coded: precision {sum(coded) / len(coded):.0%}, "
            f"coverage {len(coded) / len(got):.0%}"
        )
    found = f"≥{best95[0]:.2f} covers {best95[1]:.0%}" if best95 else "no threshold reaches it"
    print(f"    95% precision: {found}")


# -- speed ------------------------------------------------------------------------------


def per_second(coder: Coder, titles: list[str]) -> float:
    """Distinct titles per CPU second, coded once each (the coder's memos warm, as served)."""
    coder.code_many(titles[:200])
    start = time.process_time()
    coder.code_many(titles)
    return len(titles) / max(time.process_time() - start, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--source-dir", type=Path)
    parser.add_argument("--n", type=int, default=1500, help="titles sampled per set at most")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test")
    parser.add_argument(
        "--fit-calibration",
        action="store_true",
        help="score the dev split with the fuzzy route uncalibrated and print the fuzzy "
        "CALIBRATION points fitted (isotonic) to the sets with exact answers (isco, "
        "soc2020-new); the O*NET proxy answers are not used",
    )
    parser.add_argument(
        "--fit-weights",
        action="store_true",
        help="fit the fuzzy stage's WEIGHTS (conditional logit, coder_fit.fit) and print them: "
        "on --fit-on's titles",
    )
    parser.add_argument(
        "--fit-on",
        choices=("related", "dev"),
        default="related",
        help="related (default): Volume 1 related job titles left out of the index fold by "
        "fold (coder_eval.related_folds), a source none of the held-out sets comes from; dev: "
        "the dev split of the sets with exact answers (isco, soc2020-new)",
    )
    args = parser.parse_args()
    if args.fit_weights:
        args.split = "dev"
    if args.fit_calibration:
        args.split = "dev"
        CALIBRATION["fuzzy"] = ((0.0, 0.0), (1.0, 1.0))
    source = args.source_dir or Settings.from_env().source_dir
    if source is None or not (source / "onet").is_dir():
        raise SystemExit("the official files are needed: --source-dir ../shared/data")
    pin_one_core()
    db, release_id = open_release(args.database_url)
    start = time.perf_counter()
    coders = load_coders(db, release_id)
    load = time.perf_counter() - start
    rng = random.Random(17)

    def sample(cases: list[Case]) -> list[Case]:
        cases = [c for c in cases if args.split in ("all", split_of(c.title))]
        rng.shuffle(cases)
        return cases[: args.n]

    isco = isco_to_uk(source)
    print(f"split {args.split}; top-1 top-3 at 4/3/2/1 digits (exact unit-group match)")
    onet = sample(unseen_by(coders, onet_cases(source, isco)))
    report("onet", score(coders, onet), detail=True)
    isco_set = sample(unseen_by(coders, isco_cases(source, isco)))
    if args.fit_weights and args.fit_on == "related":
        data = build_eval(db, release_id)
        examples = []
        for removed, clean, noisy in related_folds(data):
            without = coders_without(data, removed)
            for part in (clean, noisy):
                chosen = [Case(c.title, {v: g for v in VERSIONS if (g := c.gold(v))}) for c in part]
                examples += feature_rows(without, chosen)
        weights, _, _ = fit([m for m, _ in examples], [g for _, g in examples], 1e-3, 3000)
        print(f"{len(examples)} examples (related titles)\nWEIGHTS: dict[str, float] = {{")
        for name, w in zip(FEATURES, weights, strict=True):
            print(f'    "{name}": {w:.4f},')
        print("}")
        return
    if args.fit_weights:
        examples = feature_rows(coders, isco_set)
        data = build_eval(db, release_id)
        for removed, cases in soc2020_new_folds(data.rows):
            chosen = [c for c in cases if split_of(c.title) == "dev"]
            examples += feature_rows(coders_without(data, removed), chosen)
        weights, _, _ = fit([m for m, _ in examples], [g for _, g in examples], 1e-3, 3000)
        print(f"{len(examples)} examples\nWEIGHTS: dict[str, float] = {{")
        for name, w in zip(FEATURES, weights, strict=True):
            print(f'    "{name}": {w:.4f},')
        print("}")
        return
    isco_scored = score(coders, isco_set)
    report("isco", isco_scored, detail=True)
    data = build_eval(db, release_id)
    new: dict[str, list[Scored]] = defaultdict(list)
    budget = args.n
    for removed, cases in soc2020_new_folds(data.rows):
        chosen = [c for c in cases if args.split in ("all", split_of(c.title))][: budget // FOLDS]
        for version, got in score(coders_without(data, removed), chosen).items():
            new[version] += got
    report("soc2020-new", new, detail=True)
    if args.fit_calibration:
        print_calibration(
            [
                (s.coding.best.score, hit(s, 1, 4), "fuzzy")
                for results in (isco_scored, new)
                for got in results.values()
                for s in got
                if s.coding.best is not None and s.coding.best.route == "fuzzy"
            ]
        )
        return
    rows = unambiguous_rows(data.rows, data.groups)[: args.n]
    clean = [
        Case(r.natural_title, {"soc2010": r.soc2010 or "", "soc2020": r.soc_code or ""})
        for r in rows
    ]
    noisy = [Case(add_noise(c.title, rng), c.gold) for c in clean]
    report("in-index", score(coders, clean), detail=False)
    report("in-index+noise", score(coders, noisy), detail=True)
    coder = coders["soc2010"]
    coder.clear_cache()
    exact = [c.title for c in clean]
    mix = [c.title for c in noisy[:600]] + [c.title for c in onet[:400]]
    rng.shuffle(mix)
    print(f"index load (both versions): {load:.2f} s")
    print(
        f"throughput soc2010, one core: exact/alias {per_second(coder, exact):,.0f} titles/s "
        f"({len(exact)} distinct in-index titles); realistic mix {per_second(coder, mix):,.0f} "
        f"titles/s (60% noisy in-index, 40% unseen O*NET, all distinct)"
    )


if __name__ == "__main__":
    main()
