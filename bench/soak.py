"""Soak test: a steady request mix for a long time, reporting errors and memory over time.

Runs the realistic mix (see mix.py) against `lmi serve` in slices of --interval seconds for
--minutes minutes, and after each slice records req/s, errors and the resident memory of
the server and its workers. Verdict: zero errors, and memory at the end within 10% of memory
after the first slice (the warm-up that fills the per-release caches).

    .venv/bin/python bench/soak.py [--minutes 30] [--interval 30] [--rate 2000] [--workers 1]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from mix import MIX, available, sample_paths, serve_cmd, unit_groups, write_script
from run import WrkOptions, build_data, lmi_env, parse_wrk, require_wrk, run_wrk, start_server


def resident_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total = 0.0
    for process in [pid, *_descendants(pid)]:
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


def _descendants(pid: int) -> list[int]:
    found = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found += [int(child), *_descendants(int(child))]
    return found


def soak(args: argparse.Namespace, env: dict[str, str], work: Path) -> int:
    server, _ = start_server(
        "lmi-soak",
        serve_cmd(args.workers),
        env,  # type: ignore[arg-type]
        "/readyz",
        60,
        work,
    )
    try:
        codes, codes2020 = (
            unit_groups(server.base_url, "soc2010"),
            unit_groups(server.base_url, "soc2020"),
        )
        mix = available(server.base_url, codes, codes2020)
        # pacing: each of the connections waits connections / rate seconds between requests
        delay_ms = round(1000 * args.connections / args.rate) if args.rate else 0
        paths = sample_paths(server.base_url, mix, codes, codes2020)
        script = write_script(work, paths, delay_ms)
        opts = WrkOptions(require_wrk(), args.interval, args.connections, 1, 0, str(script))
        assert server.proc is not None
        print(f"\n{'minute':>7} {'req/s':>9} {'p99 ms':>7} {'errors':>7} {'RSS MB':>8}")
        samples: list[tuple[float, float, int, float]] = []
        started = time.monotonic()
        while time.monotonic() - started < args.minutes * 60:
            result = parse_wrk(run_wrk(opts, server.base_url + "/", args.interval))
            errors = result.non_2xx + result.socket_error_total
            rss = resident_mb(server.proc.pid)
            samples.append((result.requests_per_sec, result.latency_ms["99"], errors, rss))
            minute = (time.monotonic() - started) / 60
            print(
                f"{minute:>7.1f} {result.requests_per_sec:>9,.0f} "
                f"{result.latency_ms['99']:>7.2f} {errors:>7} {rss:>8.1f}",
                flush=True,
            )
    finally:
        server.stop()
    total_errors = sum(s[2] for s in samples)
    first, last = samples[0][3], samples[-1][3]
    growth = (last - first) / first
    ok = total_errors == 0 and abs(growth) <= 0.10
    print(
        f"\nerrors: {total_errors}; memory after warm-up {first:.1f} MB, at the end "
        f"{last:.1f} MB ({growth:+.1%}); {'PASS' if ok else 'FAIL'} "
        "(zero errors, memory flat within 10%)"
    )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--interval", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rate", type=int, default=0, help="approximate requests/s (0: flat out)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, help="reuse a data dir (skip the build)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lmi-soak-"))
    try:
        env = lmi_env(args.data_dir or work / "data", None)
        if args.data_dir is None:
            print(f"data build: {build_data(env, work):.1f} s")
        print(f"mix weights: {MIX}")
        return soak(args, env, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
