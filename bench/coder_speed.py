"""Speed of the job-title coder: index load time and batch coding throughput on one core.

    .venv/bin/python bench/coder_speed.py [--database-url URL] [--n 2000] [--repeat 3]

Throughput is measured on three streams: *distinct* noisy titles (every title new to the
coder's caches: the worst case), the *modern* hand-written titles, and a *stream* that repeats
titles with a Zipf-like frequency, as a day of job adverts does (batches code repeats once).
Times are CPU time of this process, pinned to one core. *cold* clears every cache first;
*warm* keeps what the coder memoises per index title and per word, clearing the per-title cache.
Structures only misspelt or unmatched titles need are built on first use (``Coder.warm``); their
build time is printed after the load time and is not part of the throughput figures.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import time

from coder_eval import build_eval, modern_cases, open_release
from lmi.search.coder import Coder, load_coders
from lmi.search.normalise import clear_caches, clear_title_cache


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def throughput(coder: Coder, titles: list[str], repeat: int, *, cold: bool) -> float:
    """Titles per CPU-second (CPU time: other processes on the machine do not count).

    ``cold`` clears every cache first (a coder just loaded); otherwise only the per-title
    cache is cleared, keeping what the coder memoises per index title and per word.
    """
    best = float("inf")
    for _ in range(repeat):
        if cold:
            clear_caches()
            coder.clear_cache()
        else:
            clear_title_cache()
        start = time.process_time()
        coder.code_many(titles)
        best = min(best, time.process_time() - start)
    return len(titles) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pin_one_core()
    db, release_id = open_release(args.database_url)
    loads = []
    for _ in range(args.repeat):
        gc.collect()
        clear_caches()
        start = time.process_time()
        coders = load_coders(db, release_id)
        loads.append(time.process_time() - start)
    print(
        f"index load (both versions, from the store, CPU time): best {min(loads):.3f} s, "
        f"worst {max(loads):.3f} s"
    )
    start = time.process_time()
    for coder in coders.values():
        coder.warm()
    print(
        "then built on the first misspelt or unmatched title (typo and text indexes, both "
        f"versions): {time.process_time() - start:.3f} s"
    )
    data = build_eval(db, release_id, n=args.n)
    distinct = list(dict.fromkeys(c.title for c in [*data.noisy, *data.held_out]))
    modern = [c.title for c in modern_cases()]
    rng = random.Random(3)
    weights = [1 / (rank + 1) for rank in range(len(distinct))]
    stream = rng.choices(distinct, weights=weights, k=50_000)
    for version, coder in coders.items():
        for name, titles in (("distinct", distinct), ("modern", modern), ("stream", stream)):
            cold = throughput(coder, titles, args.repeat, cold=True)
            warm = throughput(coder, titles, args.repeat, cold=False)
            print(
                f"{version}  {name:8}  {len(titles):6} titles  cold {cold:9,.0f} titles/s"
                f"  warm {warm:9,.0f} titles/s"
            )


if __name__ == "__main__":
    main()
