"""Realistic mixed load with wrk, on 1 and N workers, each against a raw-ASGI baseline.

LMI for All's traffic was led by pay and employment queries with a flood of SOC look-ups. This
script weights the endpoints the running release offers in that spirit (ones that answer
404 — datasets not built yet — are dropped and the rest renormalised), samples 20,000 request
paths over random unit groups and search words, and replays them with a wrk Lua script. The
baseline is the raw-ASGI hello app served with the same number of workers in the same run,
measured before and after the mix; the ratio is mix req/s over the mean of the two.

    .venv/bin/python bench/mix.py [--workers 1,2] [--duration 10] [--warmup 3] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import (
    BENCH_DIR,
    WrkOptions,
    build_data,
    http_get,
    lmi_env,
    measure,
    require_wrk,
    start_server,
)

#: (weight, path template); {soc} is a SOC 2010 unit group, {soc2020} a SOC 2020 one
MIX = [
    (30, "/api/v1/soc/code/{soc}"),
    (20, "/api/v1/ashe/estimatePay?soc={soc}"),
    (5, "/api/v1/ashe/estimatePay?soc={soc}&breakdown=region"),
    (5, "/api/v1/ashe/estimateHours?soc={soc}"),
    (15, "/api/v1/wf/predict?soc={soc}&minYear=2024&maxYear=2035"),
    (10, "/api/v1/soc/search?q={word}"),
    (10, "/v1/occupations/soc2020/{soc2020}"),
    (5, "/v1/occupations/soc2010/{soc}/convert?to=soc2020"),
    # what lmi adds, at the weights a careers site using it would give them
    (3, "/v1/occupations/soc2020/{soc2020}/profile"),
    (3, "/v1/employment/soc2010/{soc}?minYear=2024"),
    (2, "/api/v1/lfs/unemployment?soc={soc}"),
    (2, "/api/v1/ess/uk/{soc}"),
]
WORDS = [
    "nurse",
    "teacher",
    "software developer",
    "electrician",
    "chef",
    "accountant",
    "hgv driver",
    "care worker",
    "plumber",
    "solicitor",
    "engineer",
    "designer",
]
SAMPLES = 20_000


def unit_groups(base: str, version: str) -> list[str]:
    status, body = http_get(f"{base}/v1/occupations?soc={version[-4:]}&level=unit_group")
    if status != 200:
        raise SystemExit(f"cannot list {version} unit groups: {status}")
    return [row["code"] for row in json.loads(body)["data"]]


def available(base: str, codes: list[str], codes2020: list[str]) -> list[tuple[int, str]]:
    found = []
    for weight, template in MIX:
        path = template.format(soc=codes[0], soc2020=codes2020[0], word="nurse")
        status, _ = http_get(base + path)
        print(f"  {template:58} {'included' if status == 200 else f'skipped ({status})'}")
        if status == 200:
            found.append((weight, template))
    return found


def write_script(folder: Path, paths: list[str], delay_ms: int = 0) -> Path:
    """A wrk Lua script replaying ``paths`` in turn; each connection waits ``delay_ms``
    between requests when it is set (wrk's ``delay`` hook), which paces the load."""
    listing = folder / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = folder / "mix.lua"
    script.write_text(
        f'local paths = {{}}\nfor line in io.lines("{listing}") do paths[#paths + 1] = line end\n'
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        '  return wrk.format("GET", paths[(n % #paths) + 1])\n'
        "end\n" + (f"delay = function() return {delay_ms} end\n" if delay_ms > 0 else "")
    )
    return script


def sample_paths(
    base: str, mix: list[tuple[int, str]], codes: list[str], codes2020: list[str]
) -> list[str]:
    """SAMPLES request paths drawn by weight, without those that answer 404.

    A few unit groups have no figure for an endpoint (a SOC 2020 group mapping to no O*NET
    occupation has no profile): the 404 is the right answer, but a client would not ask for it
    again and again, so such paths are dropped (and counted) rather than counted as errors.
    """
    rng = random.Random(42)
    templates = [t for _, t in mix]
    weights = [w for w, _ in mix]
    paths = [
        rng.choices(templates, weights)[0]
        .format(soc=rng.choice(codes), soc2020=rng.choice(codes2020), word=rng.choice(WORDS))
        .replace(" ", "+")
        for _ in range(SAMPLES)
    ]
    missing = {path for path in set(paths) if http_get(base + path)[0] == 404}
    if missing:
        print(f"  {len(missing)} sampled paths answer 404 (no figure for that group): dropped")
    return [path for path in paths if path not in missing]


def serve_cmd(workers: int) -> object:
    def lmi(port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "lmi",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]

    return lmi


def hello_cmd(workers: int) -> object:
    def hello(port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "hello_app:app",
            "--app-dir",
            str(BENCH_DIR),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "warning",
        ]

    return hello


def run_mix(args: argparse.Namespace, env: dict[str, str], work: Path) -> int:
    opts = WrkOptions(require_wrk(), args.duration, args.connections, 1, args.warmup)
    failures = 0
    rows = []
    for workers in args.workers:
        lmi, _ = start_server(
            f"lmi-{workers}w",
            serve_cmd(workers),
            env,  # type: ignore[arg-type]
            "/readyz",
            60,
            work,
        )
        hello, _ = start_server(
            f"hello-{workers}w",
            hello_cmd(workers),
            env,  # type: ignore[arg-type]
            "/",
            60,
            work,
        )
        try:
            codes = unit_groups(lmi.base_url, "soc2010")
            codes2020 = unit_groups(lmi.base_url, "soc2020")
            print(f"\nmix on {workers} worker(s):")
            mix = available(lmi.base_url, codes, codes2020)
            paths = sample_paths(lmi.base_url, mix, codes, codes2020)
            script = write_script(work, paths)
            # the baseline is driven by the same Lua script (its paths all "/"), so the client's
            # own cost per request is the same on both sides of the ratio
            plain = work / f"baseline-{workers}"
            plain.mkdir(exist_ok=True)
            base_script = write_script(plain, ["/"] * len(paths))
            # baseline before and after the mix: the ratio uses their mean, so a machine that
            # slows down or speeds up during the run does not favour either side
            before = measure(replace(opts, script=str(base_script)), hello.base_url + "/")
            mixed = measure(replace(opts, script=str(script)), lmi.base_url + "/")
            after = measure(replace(opts, script=str(base_script)), hello.base_url + "/")
        finally:
            lmi.stop()
            hello.stop()
        errors = mixed.non_2xx + mixed.socket_error_total
        base_rate = (before.requests_per_sec + after.requests_per_sec) / 2
        drift = abs(before.requests_per_sec - after.requests_per_sec) / base_rate
        print(
            f"  baseline {before.requests_per_sec:,.0f} then {after.requests_per_sec:,.0f} req/s"
            + (f"  (warning: moved {drift:.0%}: the machine is busy)" if drift > 0.2 else "")
        )
        rows.append((workers, base_rate, mixed, errors))
    print(
        f"\n{'workers':>7} {'baseline r/s':>13} {'mix r/s':>10} {'ratio':>6} "
        f"{'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'errors':>7}  targets"
    )
    for workers, base_rate, mixed, errors in rows:
        ratio = mixed.requests_per_sec / base_rate
        ok = ratio >= 0.5 and mixed.latency_ms["99"] < 20 and errors == 0
        failures += not ok
        print(
            f"{workers:>7} {base_rate:>13,.0f} {mixed.requests_per_sec:>10,.0f} "
            f"{ratio:>6.2f} {mixed.latency_ms['50']:>7.2f} {mixed.latency_ms['90']:>7.2f} "
            f"{mixed.latency_ms['99']:>7.2f} "
            f"{errors:>7}  {'PASS' if ok else 'FAIL'} (ratio >= 0.5, p99 < 20 ms, 0 errors)"
        )
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--warmup",
        type=int,
        default=3,
        help="seconds of the mix before each measured run (default 3: every sampled path "
        "reaches every worker, so the figures are those of a server in steady state)",
    )
    parser.add_argument("--data-dir", type=Path, help="reuse a data dir (skip the build)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lmi-mix-"))
    try:
        data_dir = args.data_dir or work / "data"
        env = lmi_env(data_dir, None)
        if args.data_dir is None:
            print(f"data build: {build_data(env, work):.1f} s")
        return run_mix(args, env, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
