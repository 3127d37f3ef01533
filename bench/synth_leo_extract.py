"""Speed and memory of synthetic LEO in the standard-extract layout (issue target: ≥ 1 million
people with their linked rows in ≤ 60 s, streaming, bounded memory).

    .venv/bin/python bench/synth_leo_extract.py [--persons 1000000] [--check-persons 100000]
        [--source FILE] [--out DIR]

Each case runs in its own child process (so its peak memory is its own) and prints rows per
table, wall time, CPU time and peak resident memory:

* *baseline*: the flat L2 generator writing as many graduate records as the extract has
  people, as Parquet (the existing ``lmi synth leo`` path), measured in the same run;
* *extract parquet+csv*: ``--persons`` people, every linked table as Parquet and CSV;
* *extract parquet+csv (1/5)*: a fifth of the people, to show memory does not grow with size;
* *extract all + checks*: ``--check-persons`` people with the SQLite file and SRS views too,
  then the fit-for-purpose consistency rules and the L2 recomputation (printed).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lmi.settings import default_source_dir
from lmi.synth.leo.fitting import default_source


def child(case: str, persons: int, source: Path, out: Path, workers: int) -> dict[str, Any]:
    """Run one case in this process and return its figures."""
    from lmi.synth.leo.extract import jacs_by_cah2
    from lmi.synth.leo.extract_reports import write_extract_reports
    from lmi.synth.leo.extract_write import write_extract
    from lmi.synth.leo.fitting import fit, read_published
    from lmi.synth.leo.generator import write

    wall, cpu = time.perf_counter(), time.process_time()
    model = fit(read_published(source), "L2")
    found: dict[str, Any] = {"case": case, "persons": persons}
    if case == "baseline":
        written = write(model, out, rows=persons, seed=1, progress=False, stem="baseline")
        found["rows"] = {"flat graduates": written.rows}
    else:
        formats = ("parquet", "csv", "sqlite") if case == "checks" else ("parquet", "csv")
        jacs = jacs_by_cah2(source.parent.parent)
        extract = write_extract(
            model,
            out,
            persons=persons,
            seed=1,
            formats=formats,
            jacs=jacs,
            progress=False,
            workers=workers,
        )
        found["rows"] = extract.rows
        found["generate_seconds"] = extract.seconds
        if case == "checks":
            report = json.loads(
                write_extract_reports(out, model)["json"].read_text(encoding="utf-8")
            )
            fit_report = report["fit_for_purpose"]
            found["checks"] = {k: v["violations"] for k, v in fit_report["checks"].items()}
            found["quirks"] = fit_report["quirks_present"]
            pub = report["published_recomputed"]
            found["l2"] = {
                k: pub[k]
                for k in (
                    "cells_compared",
                    "cells_outside_tolerance",
                    "median_max_relative_difference",
                    "median_mean_relative_difference",
                    "within_tolerance",
                )
            }
            found["disclosure"] = report["disclosure"]["small_cells"]
    found["wall"] = time.perf_counter() - wall
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker processes, joined
    found["cpu_main"] = time.process_time() - cpu
    found["cpu"] = found["cpu_main"] + children.ru_utime + children.ru_stime
    found["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found["worker_peak_mb"] = children.ru_maxrss / 1024
    found["workers"] = workers
    return found


def run(case: str, persons: int, source: Path, out: Path, workers: int) -> dict[str, Any]:
    target = out / f"{case}-{persons}"
    target.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, __file__, "--child", case, "--persons", str(persons)]
    command += ["--workers", str(workers)]
    command += ["--source", str(source), "--out", str(target)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{case} failed:\n{result.stderr}")
    figures: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--check-persons", type=int, default=100_000)
    parser.add_argument("--source", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--workers", type=int, default=2, help="worker processes for the extract (default 2)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    source = args.source or default_source(default_source_dir() or Path("../shared/data"))
    out = args.out or Path(tempfile.mkdtemp(prefix="synth-leo-extract-bench-"))
    if args.child:
        print(json.dumps(child(args.child, args.persons, source, out, args.workers)))
        return
    print(f"source {source}; files in {out}")
    cases = [
        ("baseline", args.persons),
        ("extract", args.persons // 5),
        ("extract", args.persons),
        ("checks", args.check_persons),
    ]
    results = []
    for case, persons in cases:
        found = run(case, persons, source, out, args.workers)
        results.append(found)
        total = sum(found["rows"].values())
        label = {
            "baseline": "baseline flat L2 parquet",
            "extract": "extract parquet+csv",
            "checks": "extract all + checks",
        }[case]
        print(
            f"\n{label}: {persons:,} people, {total:,} rows, wall {found['wall']:.1f} s, "
            f"cpu {found['cpu']:.1f} s (user+sys, workers included), peak memory "
            f"{found['peak_mb']:,.0f} MB (main) + {found['worker_peak_mb']:,.0f} MB "
            f"(largest worker) x {found['workers']} workers"
        )
        if case != "baseline":
            print(f"    of which generating and writing: {found['generate_seconds']:.1f} s wall")
            for name, rows in found["rows"].items():
                print(f"    {name:<34}{rows:>14,}")
        if case == "checks":
            print(f"    consistency violations: {found['checks']}")
            print(f"    quirks present: {found['quirks']}")
            print(f"    L2 recomputed vs published: {found['l2']}")
            print(f"    disclosure (small cells): {found['disclosure']}")
    base, small, big = results[0], results[1], results[2]
    print(
        f"\nextract {args.persons:,} people, {args.workers} workers: {big['wall']:.1f} s wall "
        f"(target <= 60 s), {big['cpu']:.1f} s CPU, "
        f"{big['wall'] / base['wall']:.1f}x the flat baseline's {base['wall']:.1f} s; "
        f"peak memory {big['peak_mb']:,.0f} MB vs {small['peak_mb']:,.0f} MB at "
        f"{args.persons // 5:,} people ({big['peak_mb'] / small['peak_mb']:.2f}x for 5x the people)"
    )


if __name__ == "__main__":
    main()
