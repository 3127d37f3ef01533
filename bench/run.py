"""Benchmark lmi's HTTP endpoints with wrk against a raw-ASGI baseline served the same way.

Run from the repository root::

    .venv/bin/python bench/run.py [--duration 5] [--only soc] [--json bench/results/run.json]

Prints figures (no timed tests). Exit status: 0 when every endpoint with a target passes,
1 when a target is missed, 2 on errors (non-200 endpoint, server died, wrk missing, ...).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from endpoints import ENDPOINTS, Endpoint  # bench/ is sys.path[0] when run as a script

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
P99_LIMIT_MS = 10.0
PERCENTILES = ("50", "75", "90", "99")
# The uvicorn options `lmi serve` uses; the baseline is served with exactly these.
UVICORN_OPTIONS = [
    "--workers", "1",
    "--loop", "uvloop",
    "--http", "httptools",
    "--no-access-log",
    "--log-level", "warning",
]  # fmt: skip
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_STDERR_TAIL_LINES = 40
BASELINE_DRIFT_WARN = 0.2


class BenchError(Exception):
    """A problem that stops the run; its message is printed as is."""


class ServerDied(BenchError):
    """A server process exited; the message includes the tail of its output."""


# --------------------------------------------------------------------------- wrk


@dataclass
class WrkResult:
    requests_per_sec: float
    latency_ms: dict[str, float]
    requests: int
    non_2xx: int
    socket_errors: dict[str, int]

    @property
    def socket_error_total(self) -> int:
        return sum(self.socket_errors.values())


def _to_ms(value: str, unit: str) -> float:
    return float(value) * _UNIT_MS[unit]


def parse_wrk(output: str) -> WrkResult:
    """Parse the text ``wrk --latency`` prints."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if rps is None:
        raise BenchError(f"could not find Requests/sec in wrk output:\n{output}")
    latency = {
        m.group(1): _to_ms(m.group(2), m.group(3))
        for m in re.finditer(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
    }
    missing = [p for p in PERCENTILES if p not in latency]
    if missing:
        raise BenchError(f"wrk output lacks latency percentiles {missing}:\n{output}")
    total = re.search(r"^\s*(\d+) requests in", output, re.M)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sock = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    socket_errors = dict.fromkeys(("connect", "read", "write", "timeout"), 0)
    if sock is not None:
        socket_errors = dict(zip(socket_errors, map(int, sock.groups()), strict=True))
    return WrkResult(
        requests_per_sec=float(rps.group(1)),
        latency_ms={p: latency[p] for p in PERCENTILES},
        requests=int(total.group(1)) if total else 0,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=socket_errors,
    )


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise BenchError(
            "wrk is not installed or not on PATH: install it with `apt-get install wrk`"
        )
    return path


def wrk_version(wrk: str) -> str:
    proc = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    lines = (proc.stdout or proc.stderr).splitlines()
    return lines[0].strip() if lines else "?"


@dataclass(frozen=True)
class WrkOptions:
    wrk: str
    duration: int
    connections: int
    threads: int
    warmup: int
    script: str | None = None  # a wrk Lua script (e.g. a request mix, see bench/mix.py)


def run_wrk(opts: WrkOptions, url: str, duration: int) -> str:
    cmd = [
        opts.wrk,
        f"-t{opts.threads}",
        f"-c{opts.connections}",
        f"-d{duration}s",
        "--latency",
        *(["-s", opts.script] if opts.script else []),
        url,
    ]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=duration + 60, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"wrk did not finish: {' '.join(cmd)}") from exc
    if proc.returncode != 0 or "Requests/sec" not in proc.stdout:
        raise BenchError(
            f"wrk failed (exit {proc.returncode}): {' '.join(cmd)}\n{proc.stdout}{proc.stderr}"
        )
    return proc.stdout


def measure(opts: WrkOptions, url: str) -> WrkResult:
    """Warm up, then run wrk for the configured duration and parse the result."""
    if opts.warmup > 0:
        run_wrk(opts, url, opts.warmup)
    return parse_wrk(run_wrk(opts, url, opts.duration))


# --------------------------------------------------------------------------- HTTP / servers


def http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """GET ``url``; return (status, body). Connection problems raise ``OSError``."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return int(resp.status), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = _STDERR_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no output captured)"
    return "\n".join(text.splitlines()[-lines:]) or "(no output)"


@dataclass
class Server:
    """A server subprocess in its own process group, output captured to a log file."""

    name: str
    cmd: list[str]
    env: dict[str, str]
    port: int
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._log = self.log_path.open("wb")
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(
            self.cmd,
            env=self.env,
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output_tail(self) -> str:
        return _tail(self.log_path)

    def check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise ServerDied(
                f"{self.name} server exited with status {self.proc.returncode}\n"
                f"command: {' '.join(self.cmd)}\n"
                f"--- last lines of its output ---\n{self.output_tail()}"
            )

    def wait_ready(self, path: str, timeout: float) -> float:
        """Poll ``path`` until it answers 200; return seconds since the process started."""
        deadline = self.started_at + timeout
        last = "no answer yet"
        while time.perf_counter() < deadline:
            self.check_alive()
            try:
                status, _ = http_get(self.base_url + path, timeout=1.0)
                if status == 200:
                    return time.perf_counter() - self.started_at
                last = f"HTTP {status}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.05)
        raise BenchError(
            f"{self.name} server not ready after {timeout:.0f} s (GET {path}: {last})\n"
            f"--- last lines of its output ---\n{self.output_tail()}"
        )

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the process group, then SIGKILL it if it does not exit in time."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                print(f"warning: {self.name} server ignored SIGTERM; killing it", file=sys.stderr)
                self._signal(signal.SIGKILL)
                proc.wait(timeout=grace)
        if self._log is not None:
            self._log.close()
            self._log = None

    def _signal(self, sig: signal.Signals) -> None:
        assert self.proc is not None
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)


def start_server(
    name: str,
    make_cmd: Callable[[int], list[str]],
    env: dict[str, str],
    ready_path: str,
    timeout: float,
    log_dir: Path,
) -> tuple[Server, float]:
    """Start a server on a free port (retrying if the port was grabbed); wait until ready."""
    for attempt in range(3):
        port = free_port()
        server = Server(name, make_cmd(port), env, port, log_dir / f"{name}-{port}.log")
        server.start()
        try:
            return server, server.wait_ready(ready_path, timeout)
        except ServerDied as exc:
            server.stop()
            if "address already in use" in str(exc).lower() and attempt < 2:
                continue
            raise
        except BaseException:
            server.stop()
            raise
    raise AssertionError("unreachable")


def lmi_serve_cmd(port: int) -> list[str]:
    return [
        sys.executable, "-m", "lmi", "serve",
        "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
    ]  # fmt: skip


def hello_cmd(port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", "hello_app:app", "--app-dir", str(BENCH_DIR),
        "--host", "127.0.0.1", "--port", str(port), *UVICORN_OPTIONS,
    ]  # fmt: skip


# --------------------------------------------------------------------------- store


@dataclass
class Store:
    env: dict[str, str]
    description: str
    build_seconds: float | None = None


def redact_url(url: str) -> str:
    """Hide the password of a database URL before printing or saving it."""
    return re.sub(r"(//[^:/@]*):[^@/]*@", r"\1:***@", url)


def lmi_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"LMI_DATA_DIR", "LMI_DATABASE_URL"}}
    env["LMI_DATA_DIR"] = str(data_dir)
    # wrk is one client hammering from one address: measure the server, not its rate limiter
    env.setdefault("LMI_RATE_LIMIT_ANONYMOUS", "0")
    if database_url:
        env["LMI_DATABASE_URL"] = database_url
    return env


@contextmanager
def prepared_store(args: argparse.Namespace, log_dir: Path) -> Iterator[Store]:
    """Yield the environment for lmi; build a fresh store in a temp dir unless told otherwise."""
    temp_dir: Path | None = None
    if args.data_dir is None:
        temp_dir = Path(tempfile.mkdtemp(prefix="lmi-bench-data-"))
    data_dir = Path(args.data_dir).resolve() if args.data_dir else temp_dir
    assert data_dir is not None
    if args.data_dir is not None and not data_dir.is_dir():
        raise BenchError(f"--data-dir {data_dir} is not a directory")
    env = lmi_env(data_dir, args.database_url)
    where = redact_url(args.database_url) if args.database_url else f"{data_dir} (SQLite)"
    try:
        seconds: float | None = None
        if args.build or (args.data_dir is None and args.database_url is None):
            print(f"data build into {where} ...", flush=True)
            seconds = build_data(env, log_dir)
            print(f"data build: {seconds:.1f} s")
        else:
            print(f"data build: skipped, reusing {where}")
        yield Store(env, where, seconds)
    finally:
        if temp_dir is not None and not args.keep_data:
            shutil.rmtree(temp_dir, ignore_errors=True)
        elif temp_dir is not None:
            print(f"kept data dir {temp_dir}")


def build_data(env: dict[str, str], log_dir: Path) -> float:
    cmd = [sys.executable, "-m", "lmi", "data", "build"]
    log_path = log_dir / "data-build.log"
    started = time.perf_counter()
    with log_path.open("wb") as log:
        proc = subprocess.run(
            cmd,
            env=env,
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            check=False,
        )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise BenchError(
            f"`lmi {' '.join(cmd[3:])}` failed with status {proc.returncode} "
            f"after {seconds:.1f} s\n"
            f"--- last lines of its output ---\n{_tail(log_path)}"
        )
    return seconds


# --------------------------------------------------------------------------- evaluation


@dataclass
class EndpointResult:
    name: str
    path: str
    url: str
    target_ratio: float | None
    wrk: WrkResult | None = None
    ratio: float | None = None
    error: str | None = None

    @property
    def ratio_ok(self) -> bool | None:
        if self.target_ratio is None or self.ratio is None:
            return None
        return self.ratio >= self.target_ratio

    @property
    def p99_ok(self) -> bool | None:
        if self.target_ratio is None or self.wrk is None:
            return None
        return self.wrk.latency_ms["99"] < P99_LIMIT_MS

    @property
    def failed(self) -> bool:
        return self.ratio_ok is False or self.p99_ok is False

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "url": self.url,
            "target_ratio": self.target_ratio,
            "ratio": self.ratio,
            "ratio_ok": self.ratio_ok,
            "p99_ok": self.p99_ok,
            "error": self.error,
            "wrk": asdict(self.wrk) if self.wrk else None,
        }


def check_endpoint(url: str) -> str | None:
    """GET ``url`` once; return an error message unless it answers 200."""
    try:
        status, body = http_get(url)
    except OSError as exc:
        return f"GET {url} failed: {exc}"
    if status != 200:
        snippet = " ".join(body[:600].decode("utf-8", errors="replace").split())[:200]
        return f"GET {url} returned HTTP {status} (expected 200): {snippet}"
    return None


def bench_endpoint(
    opts: WrkOptions, base_url: str, endpoint: Endpoint, server: Server | None
) -> EndpointResult:
    name, path, target = endpoint
    result = EndpointResult(name, path, base_url + path, target)
    result.error = check_endpoint(result.url)
    if result.error is not None:
        print(f"ERROR {name}: {result.error}", file=sys.stderr)
        return result
    result.wrk = measure(opts, result.url)
    if server is not None:
        server.check_alive()
    if result.wrk.non_2xx:
        result.error = f"{result.wrk.non_2xx} non-2xx/3xx responses under load"
        print(f"ERROR {name}: {result.error}", file=sys.stderr)
    return result


def select_endpoints(only: str | None) -> list[Endpoint]:
    if only is None:
        return list(ENDPOINTS)
    needle = only.lower()
    chosen = [e for e in ENDPOINTS if needle in e[0].lower() or needle in e[1].lower()]
    if not chosen:
        names = ", ".join(repr(e[0]) for e in ENDPOINTS)
        raise BenchError(f"--only {only!r} matches no endpoint; endpoints are: {names}")
    return chosen


# --------------------------------------------------------------------------- output


def _fmt(value: float | None, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def _verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("PASS" if ok else "FAIL")


_ROW = "{:<28} {:>10} {:>8} {:>8} {:>8} {:>7} {:>7} {:>6} {:>6}"


def print_table(baselines: dict[str, WrkResult], results: list[EndpointResult]) -> None:
    print()
    print(
        _ROW.format(
            "endpoint", "req/s", "p50 ms", "p90 ms", "p99 ms", "ratio", "target", "ratio", "p99"
        )
    )
    print("-" * 94)
    for label, res in baselines.items():
        print(_row(f"baseline ({label})", res, None, None, None, None))
    for r in results:
        if r.wrk is None:
            print(f"{r.name[:28]:<28} ERROR (not benchmarked, see above)")
            continue
        print(_row(r.name, r.wrk, r.ratio, r.target_ratio, r.ratio_ok, r.p99_ok))
        if r.error:
            print(f"{'':<28} ERROR: {r.error}")
        if r.wrk.socket_error_total:
            print(f"{'':<28} warning: socket errors {r.wrk.socket_errors}")


def _row(
    name: str,
    res: WrkResult,
    ratio: float | None,
    target: float | None,
    ratio_ok: bool | None,
    p99_ok: bool | None,
) -> str:
    lat = res.latency_ms
    return _ROW.format(
        name[:28],
        f"{res.requests_per_sec:,.0f}",
        _fmt(lat["50"]),
        _fmt(lat["90"]),
        _fmt(lat["99"]),
        _fmt(ratio),
        _fmt(target),
        _verdict(ratio_ok),
        _verdict(p99_ok),
    )


def summary_line(results: list[EndpointResult], fatal: str | None) -> tuple[str, int]:
    errors = [r for r in results if r.error]
    targeted = [r for r in results if r.target_ratio is not None and r.wrk is not None]
    failed = [r for r in targeted if r.failed]
    passed = len(targeted) - len(failed)
    text = (
        f"{passed}/{len(targeted)} targeted endpoints PASS "
        f"(ratio >= target and p99 < {P99_LIMIT_MS:g} ms); {len(errors)} endpoint error(s)"
    )
    if failed:
        text += "; FAIL: " + ", ".join(r.name for r in failed)
    if errors:
        text += "; ERRORS: " + ", ".join(r.name for r in errors)
    if fatal:
        return f"SUMMARY: ABORTED ({fatal.splitlines()[0]}); {text}", 2
    if errors:
        return f"SUMMARY: ERROR: {text}", 2
    if failed:
        return f"SUMMARY: FAIL: {text}", 1
    return f"SUMMARY: PASS: {text}", 0


# --------------------------------------------------------------------------- main


@dataclass
class Run:
    meta: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    baselines: dict[str, WrkResult] = field(default_factory=dict)
    results: list[EndpointResult] = field(default_factory=list)

    @property
    def baseline_mean(self) -> float | None:
        values = [b.requests_per_sec for b in self.baselines.values()]
        return sum(values) / len(values) if values else None

    def as_dict(self, summary: str, status: int) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "timings_s": self.timings,
            "baseline": {k: asdict(v) for k, v in self.baselines.items()},
            "baseline_mean_rps": self.baseline_mean,
            "baseline_drift": baseline_drift(self),
            "endpoints": [r.as_dict() for r in self.results],
            "summary": summary,
            "exit_status": status,
        }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--duration", type=int, default=5, help="wrk seconds per run (default 5)")
    p.add_argument("--connections", type=int, default=64, help="wrk connections (default 64)")
    p.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    p.add_argument("--warmup", type=int, default=1, help="warm-up seconds per URL (default 1)")
    p.add_argument("--only", metavar="SUBSTRING", help="benchmark endpoints whose name/path match")
    p.add_argument("--json", metavar="PATH", type=Path, help="also write all figures as JSON")
    store = p.add_argument_group("store (ignored with --target-url)")
    store.add_argument("--data-dir", metavar="DIR", help="reuse an existing LMI_DATA_DIR")
    store.add_argument("--database-url", metavar="URL", help="use this LMI_DATABASE_URL")
    store.add_argument(
        "--build",
        action="store_true",
        help="run `lmi data build` even with --data-dir/--database-url",
    )
    store.add_argument("--keep-data", action="store_true", help="keep the temporary data dir")
    p.add_argument(
        "--target-url",
        metavar="URL",
        help="benchmark an already-running server at this base URL instead of starting lmi",
    )
    p.add_argument(
        "--ready-timeout", type=float, default=120.0, help="seconds to wait for /readyz (120)"
    )
    args = p.parse_args(argv)
    for name in ("duration", "connections", "threads"):
        if getattr(args, name) < 1:
            p.error(f"--{name} must be at least 1")
    if args.connections < args.threads:
        p.error("--connections must be >= --threads")
    return args


def measure_baseline(run: Run, opts: WrkOptions, hello: Server, label: str) -> None:
    result = measure(opts, hello.base_url + "/")
    hello.check_alive()
    run.baselines[label] = result
    print(
        f"baseline ({label}): {result.requests_per_sec:,.0f} req/s, "
        f"p99 {result.latency_ms['99']:.2f} ms"
    )


def bench_all(
    run: Run, opts: WrkOptions, base_url: str, endpoints: list[Endpoint], lmi: Server | None
) -> None:
    for endpoint in endpoints:
        print(f"benchmarking {endpoint[0]} ...", flush=True)
        run.results.append(bench_endpoint(opts, base_url, endpoint, lmi))


def execute(args: argparse.Namespace, run: Run, opts: WrkOptions, log_dir: Path) -> None:
    endpoints = select_endpoints(args.only)
    servers: list[Server] = []
    try:
        hello, hello_ready = start_server(
            "hello", hello_cmd, dict(os.environ), "/", args.ready_timeout, log_dir
        )
        servers.append(hello)
        print(f"baseline ready: {hello_ready:.2f} s  ({hello.base_url})")
        measure_baseline(run, opts, hello, "start")
        if args.target_url:
            print(f"target: {args.target_url} (already running)")
            bench_all(run, opts, args.target_url.rstrip("/"), endpoints, None)
        else:
            with prepared_store(args, log_dir) as store:
                run.meta["store"] = store.description
                if store.build_seconds is not None:
                    run.timings["data_build"] = store.build_seconds
                lmi, ready = start_server(
                    "lmi", lmi_serve_cmd, store.env, "/readyz", args.ready_timeout, log_dir
                )
                servers.append(lmi)
                run.timings["serve_ready"] = ready
                print(f"serve ready: {ready:.2f} s  ({lmi.base_url})")
                bench_all(run, opts, lmi.base_url, endpoints, lmi)
                lmi.stop()
        measure_baseline(run, opts, hello, "end")
    finally:
        for server in reversed(servers):
            server.stop()


def compute_ratios(run: Run) -> None:
    mean = run.baseline_mean
    for r in run.results:
        if r.wrk is not None and mean:
            r.ratio = r.wrk.requests_per_sec / mean


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # so `finally` stops the servers
    fatal: str | None = None
    run = Run(meta={})
    try:
        wrk = require_wrk()
        opts = WrkOptions(wrk, args.duration, args.connections, args.threads, args.warmup)
        run.meta = run_meta(args, wrk)
        print(
            f"wrk -t{opts.threads} -c{opts.connections} -d{opts.duration}s --latency "
            f"(warm-up {opts.warmup} s); {os.cpu_count()} CPUs"
        )
        with tempfile.TemporaryDirectory(prefix="lmi-bench-logs-") as logs:
            execute(args, run, opts, Path(logs))
    except BenchError as exc:
        fatal = str(exc)
        print(f"\nERROR: {fatal}", file=sys.stderr)
    except KeyboardInterrupt:
        fatal = "interrupted"
        print("\ninterrupted", file=sys.stderr)
    compute_ratios(run)
    report(run)
    summary, status = summary_line(run.results, fatal)
    print(summary)
    if args.json:
        write_json(args.json, run.as_dict(summary, status))
    return status


def report(run: Run) -> None:
    if not run.baselines and not run.results:
        return
    print_table(run.baselines, run.results)
    if run.baseline_mean is not None:
        figures = ", ".join(f"{k} {v.requests_per_sec:,.0f}" for k, v in run.baselines.items())
        print(f"baseline req/s: {figures}; mean {run.baseline_mean:,.0f} (ratios use the mean)")
        drift = baseline_drift(run)
        if drift is not None and drift > BASELINE_DRIFT_WARN:
            print(
                f"warning: baseline moved {drift:.0%} between start and end: the machine is "
                "noisy, treat ratios with care (or rerun)"
            )


def baseline_drift(run: Run) -> float | None:
    """Relative difference between the start and end baselines, or None without both."""
    if "start" not in run.baselines or "end" not in run.baselines:
        return None
    start = run.baselines["start"].requests_per_sec
    end = run.baselines["end"].requests_per_sec
    return abs(start - end) / max(start, end) if max(start, end) else None


def run_meta(args: argparse.Namespace, wrk: str) -> dict[str, Any]:
    saved = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    if args.database_url:
        saved["database_url"] = redact_url(args.database_url)
    return {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "args": saved,
        "wrk": wrk_version(wrk),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "uvicorn_options": UVICORN_OPTIONS,
        "p99_limit_ms": P99_LIMIT_MS,
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
