"""Start-up time, memory per worker and uncached server time of every endpoint, against targets.

Run from the repository root on a data directory holding a built release::

    .venv/bin/python bench/serving.py --data-dir var [--workers 1,2,4] [--repeat 3]

It prints three tables (figures, not timed tests):

1. **ready**: wall time from starting ``lmi serve --workers 1`` to ``GET /readyz`` answering 200,
   the median of ``--repeat`` starts (target: at most 1 s).
2. **memory**: for each worker count, once every worker answers, the memory of the whole
   process tree: RSS summed (shared pages counted in every process) and PSS summed (shared pages
   divided among the processes that share them, the memory really used), and what each worker
   after the first adds (target: at most 80 MB).
3. **uncached**: the median in-process time of each endpoint's documented example through the
   whole application (edge, router, handler, envelope) with the response cache disabled, so
   every request renders (target: at most 0.5 ms each). The cached fast path against the raw
   ASGI baseline is measured by ``bench/run.py`` and ``bench/mix.py``.

Exit status: 0 when every target is met, 1 when one is missed, 2 on errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

READY_TARGET_S = 1.0
WORKER_TARGET_MB = 80.0
UNCACHED_TARGET_MS = 0.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def lmi_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMI_")}
    env.update(LMI_DATA_DIR=str(data_dir), LMI_RATE_LIMIT_ANONYMOUS="0", LMI_LOG_LEVEL="warning")
    return env


@contextmanager
def serving(data_dir: Path, workers: int) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    cmd = [sys.executable, "-m", "lmi", "serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(
        cmd, env=lmi_env(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield proc, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def wait_ready(proc: subprocess.Popen[bytes], port: int, timeout: float = 180) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"lmi serve exited with status {proc.returncode}")
        if ready(port):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"lmi serve not ready after {timeout:.0f} s")


def measure_ready(data_dir: Path, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        with serving(data_dir, 1) as (proc, port):
            start = time.perf_counter()
            wait_ready(proc, port)
            times.append(time.perf_counter() - start)
    return times


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of one process in MB, from /proc/PID/smaps_rollup."""
    rss = pss = 0.0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == "Rss":
            rss = int(value.split()[0]) / 1024
        elif name == "Pss":
            pss = int(value.split()[0]) / 1024
    return rss, pss


def measure_memory(data_dir: Path, workers: int, settle: float) -> tuple[float, float, int]:
    with serving(data_dir, workers) as (proc, port):
        wait_ready(proc, port)
        time.sleep(settle)  # every worker loads its release and warms up
        for _ in range(200):  # touch every worker's hot paths
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/soc/code/2136").read()
        rss = pss = 0.0
        pids = tree(proc.pid)
        for pid in pids:
            try:
                one_rss, one_pss = memory_mb(pid)
            except OSError:
                continue
            rss += one_rss
            pss += one_pss
        return rss, pss, len(pids)


def example_paths() -> list[tuple[str, str]]:
    from lmi.api.routes import ENDPOINTS

    return [
        (e.operation_id, e.example)
        for e in ENDPOINTS
        if e.example and "GET" in e.methods and not e.scope
    ]


async def _call(app: Any, path: str) -> int:
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": urllib.request.unquote(raw_path),
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 80),
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def measure_uncached(data_dir: Path, calls: int) -> list[tuple[str, str, float, int]]:
    from lmi.serve.cache import ResponseCache
    from lmi.settings import Settings
    from lmi.web import create_app

    os.environ.update(lmi_env(data_dir))
    app = create_app(Settings.from_env())
    served = app.state.served
    if not served.refresh():
        raise SystemExit(f"no release to serve in {data_dir}: {served.last_error}")
    served.snapshot.responses = ResponseCache(max_bytes=0)  # nothing is ever kept
    loop = asyncio.new_event_loop()
    found = []
    for name, path in example_paths():
        status = loop.run_until_complete(_call(app, path))  # the first call may build lazily
        times = []
        for _ in range(calls):
            start = time.perf_counter()
            loop.run_until_complete(_call(app, path))
            times.append((time.perf_counter() - start) * 1000)
        found.append((name, path, statistics.median(times), status))
    loop.close()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--workers", default="1,2,4", help="worker counts for the memory table")
    parser.add_argument("--repeat", type=int, default=3, help="starts timed for 'ready'")
    parser.add_argument("--settle", type=float, default=8.0, help="seconds after ready")
    parser.add_argument("--calls", type=int, default=50, help="uncached calls per endpoint")
    parser.add_argument("--skip", default="", help="comma list of: ready, memory, uncached")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    missed = False

    if "ready" not in skip:
        times = measure_ready(args.data_dir, args.repeat)
        median = statistics.median(times)
        verdict = "PASS" if median <= READY_TARGET_S else "MISS"
        missed |= verdict == "MISS"
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"ready: median {median:.2f} s over {len(times)} starts ({runs})")
        print(f"  target <= {READY_TARGET_S:.1f} s: {verdict}")

    if "memory" not in skip:
        counts = [int(n) for n in args.workers.split(",")]
        print("memory: workers, processes, RSS summed, PSS summed (MB)")
        figures = {}
        for count in counts:
            rss, pss, processes = measure_memory(args.data_dir, count, args.settle)
            figures[count] = (rss, pss)
            print(f"  {count} worker(s): {processes} processes, RSS {rss:.0f}, PSS {pss:.0f}")
        first = min(counts)
        for count in counts:
            if count == first:
                continue
            extra = (figures[count][1] - figures[first][1]) / (count - first)
            verdict = "PASS" if extra <= WORKER_TARGET_MB else "MISS"
            missed |= verdict == "MISS"
            print(
                f"  each worker beyond {first} adds {extra:.0f} MB PSS "
                f"(target <= {WORKER_TARGET_MB:.0f}): {verdict}"
            )

    if "uncached" not in skip:
        rows = measure_uncached(args.data_dir, args.calls)
        print("uncached: median ms per request, in process, response cache disabled")
        slow = 0
        for name, path, ms, status in sorted(rows, key=lambda r: -r[2]):
            flag = "" if ms <= UNCACHED_TARGET_MS else "  > target"
            slow += bool(flag)
            print(f"  {ms:8.3f}  {status}  {name:34} {path}{flag}")
        verdict = "PASS" if slow == 0 else "MISS"
        missed |= verdict == "MISS"
        print(
            f"  {len(rows) - slow} of {len(rows)} endpoints at most {UNCACHED_TARGET_MS} ms: "
            f"{verdict}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
