"""Speed of the synthetic-LEO generator against the issue's targets, on one core.

    .venv/bin/python bench/synth_leo.py [--source FILE] [--repeat 3] [--out DIR]

Targets: L1 generation ≥ 1,000,000 rows/s; 3 million rows as Parquet < 10 s; L2 fit + 1
million rows < 30 s. Prints, for each: wall time and CPU time of this process (pinned to one
core; CPU time does not count other processes on a shared machine), best of ``--repeat``.

* *L1 generate*: drawing records in memory (no file);
* *L1/L2 parquet 3M*: drawing and writing 3,000,000 records as Parquet;
* *L2 fit + 1M*: reading and fitting the published table, then writing 1,000,000 records as
  Parquet; *+ reports* adds the utility and disclosure reports (aggregation included).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lmi.settings import default_source_dir
from lmi.synth.leo.fitting import default_source, fit, read_published
from lmi.synth.leo.generator import generate, write
from lmi.synth.leo.reports import write_reports


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best (wall, CPU) seconds over ``repeat`` runs."""
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="the published LEO table")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="directory for files (default: a temp dir)")
    args = parser.parse_args()
    pin_one_core()
    source = args.source or default_source(default_source_dir() or Path("../shared/data"))
    out = args.out or Path(tempfile.mkdtemp(prefix="synth-leo-bench-"))
    published = read_published(source)
    l1, l2 = fit(published, "L1"), fit(published, "L2")

    def gen_l1() -> None:
        for _ in generate(l1, 1_000_000, 1):
            pass

    def parquet(model_tier: str) -> Callable[[], object]:
        model = l1 if model_tier == "L1" else l2
        return lambda: write(model, out, rows=3_000_000, seed=1, progress=False)

    def fit_and_write(reports: bool) -> Callable[[], object]:
        def run() -> None:
            model = fit(read_published(source), "L2")
            written = write(model, out, rows=1_000_000, seed=1, progress=False, stem="bench_l2")
            if reports:
                write_reports(written.paths[0], model)

        return run

    print(f"source {source}; files in {out}; best of {args.repeat}; one core")
    print(f"{'case':<28}{'wall s':>9}{'cpu s':>9}{'rows/s (cpu)':>15}  target")
    cases: list[tuple[str, Callable[[], object], int, str]] = [
        ("L1 generate 1M (memory)", gen_l1, 1_000_000, ">= 1,000,000 rows/s"),
        ("L1 parquet 3M", parquet("L1"), 3_000_000, "< 10 s"),
        ("L2 parquet 3M", parquet("L2"), 3_000_000, "< 10 s"),
        ("L2 fit + 1M parquet", fit_and_write(False), 1_000_000, "< 30 s"),
        ("L2 fit + 1M + reports", fit_and_write(True), 1_000_000, "(< 30 s)"),
    ]
    for name, fn, rows, target in cases:
        wall, cpu = timed(fn, args.repeat)
        print(f"{name:<28}{wall:>9.2f}{cpu:>9.2f}{rows / cpu:>15,.0f}  {target}")


if __name__ == "__main__":
    main()
