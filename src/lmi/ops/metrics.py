"""Request metrics, counted with plain dictionaries on the hot path, exposed for Prometheus.

Each worker counts requests by (route, method, status) with a latency histogram per key; a
custom collector turns them into Prometheus samples at scrape time. With several workers
(``lmi serve --workers N`` sets ``LMI_METRICS_DIR``), each worker writes its counts to a small
file there every few seconds and ``/metrics`` adds up the other workers' files to its own live
counts, so one scrape sees the whole server.
"""

from __future__ import annotations

import bisect
import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from lmi.ops.oncall import START_TIME, OnCall, dataset_of_path

__all__ = ["BUCKETS", "RequestStats", "render_metrics"]

BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)

Key = tuple[str, str, int]  # route, method, status


class RequestStats:
    """Counts, latency sums and histogram buckets per (route, method, status)."""

    def __init__(self) -> None:
        # key → [count, seconds, bucket counts (len(BUCKETS) + 1 for +Inf)]
        self.entries: dict[Key, list[Any]] = {}

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, status)
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = [0, 0.0, [0] * (len(BUCKETS) + 1)]
        entry[0] += 1
        entry[1] += seconds
        entry[2][bisect.bisect_left(BUCKETS, seconds)] += 1

    def totals(self) -> dict[tuple[str, str], int]:
        """Requests by (route, status class), e.g. ("compat_soc_code", "2xx")."""
        found: dict[tuple[str, str], int] = {}
        for (route, _method, status), entry in list(self.entries.items()):
            key = (route, f"{status // 100}xx")
            found[key] = found.get(key, 0) + entry[0]
        return found

    def dump(self) -> list[list[Any]]:
        return [[*key, *entry] for key, entry in list(self.entries.items())]

    def merge(self, rows: list[list[Any]]) -> None:
        for route, method, status, count, seconds, buckets in rows:
            entry = self.entries.setdefault(
                (route, method, int(status)), [0, 0.0, [0] * (len(BUCKETS) + 1)]
            )
            entry[0] += count
            entry[1] += seconds
            entry[2] = [a + b for a, b in zip(entry[2], buckets, strict=True)]

    def write(self, folder: Path) -> None:
        """Publish this worker's counts for the others' ``/metrics`` (atomic replace)."""
        path = folder / f"worker-{os.getpid()}.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.dump()))
        temporary.replace(path)


def combined(own: RequestStats, folder: Path | None) -> RequestStats:
    """This worker's live counts plus every other worker's last published counts."""
    if folder is None:
        return own
    total = RequestStats()
    total.merge(own.dump())
    mine = f"worker-{os.getpid()}.json"
    for path in folder.glob("worker-*.json"):
        if path.name != mine:
            try:
                total.merge(json.loads(path.read_text()))
            except (OSError, ValueError):
                continue  # a worker is replacing its file right now: next scrape
    return total


class _Collector(Collector):
    def __init__(self, stats: RequestStats, gauges: Callable[[], dict[str, Any]]) -> None:
        self.stats = stats
        self.gauges = gauges

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "lmi_http_requests",
            "HTTP requests by route, method and status",
            labels=["route", "method", "status"],
        )
        by_route: dict[str, list[Any]] = {}
        for (route, method, status), (count, seconds, buckets) in self.stats.entries.items():
            requests.add_metric([route, method, str(status)], count)
            agg = by_route.setdefault(route, [0.0, [0] * (len(BUCKETS) + 1)])
            agg[0] += seconds
            agg[1] = [a + b for a, b in zip(agg[1], buckets, strict=True)]
        yield requests
        latency = HistogramMetricFamily(
            "lmi_http_request_duration_seconds", "Time to answer, by route", labels=["route"]
        )
        for route, (seconds, buckets) in by_route.items():
            cumulative, running = [], 0
            for bound, n in zip([*map(str, BUCKETS), "+Inf"], buckets, strict=True):
                running += n
                cumulative.append((bound, running))
            latency.add_metric([route], cumulative, seconds)
        yield latency
        values = self.gauges()
        release = GaugeMetricFamily("lmi_release_id", "Id of the release being served")
        if values.get("release_id") is not None:
            release.add_metric([], values["release_id"])
        yield release
        releases = GaugeMetricFamily(
            "lmi_releases",
            "Releases in the store by status (builds, promotions, failures)",
            labels=["status"],
        )
        for status, count in values.get("releases", {}).items():
            releases.add_metric([status], count)
        yield releases
        yield from _usage_by_dataset(self.stats, values.get("routes", {}))
        facts = values.get("oncall")
        if isinstance(facts, OnCall):
            yield from _on_call(facts)
        now = time.time()
        yield _gauge("lmi_start_time_seconds", "When this worker started (Unix time)", START_TIME)
        yield _gauge("lmi_uptime_seconds", "Seconds since this worker started", now - START_TIME)

        yield from _advert_metrics(values.get("adverts") or {})


def _gauge(name: str, documentation: str, value: float | None) -> GaugeMetricFamily:
    metric = GaugeMetricFamily(name, documentation)
    if value is not None:
        metric.add_metric([], value)
    return metric


def _usage_by_dataset(stats: RequestStats, routes: dict[str, str]) -> Iterator[Metric]:
    """Requests by the dataset an endpoint answers from, and the endpoint (path template)."""
    usage = CounterMetricFamily(
        "lmi_dataset_requests",
        "Requests answered from each dataset, by endpoint path (2xx and 304 only)",
        labels=["dataset", "endpoint"],
    )
    counts: dict[tuple[str, str], int] = {}
    for (route, _method, status), entry in stats.entries.items():
        path = routes.get(route)
        if path is None or not (200 <= status < 300 or status == 304):
            continue
        dataset = dataset_of_path(path)
        if dataset:
            counts[(dataset, path)] = counts.get((dataset, path), 0) + entry[0]
    for (dataset, path), count in sorted(counts.items()):
        usage.add_metric([dataset, path], count)
    yield usage


def _on_call(facts: OnCall) -> Iterator[Metric]:
    status = GaugeMetricFamily(
        "lmi_build_last_status",
        "1 for the outcome of the last finished build (succeeded, failed, died)",
        labels=["status"],
    )
    if facts.last_build_status:
        status.add_metric([facts.last_build_status], 1)
    yield status
    yield _gauge(
        "lmi_build_last_finished_timestamp_seconds",
        "When the last build finished, whatever its outcome (Unix time)",
        facts.last_build_finished,
    )
    yield _gauge(
        "lmi_build_last_success_timestamp_seconds",
        "When the last successful build finished (Unix time)",
        facts.last_build_success,
    )
    failures = CounterMetricFamily(
        "lmi_build_failures", "Builds that failed or died, as recorded in the run log"
    )
    failures.add_metric([], facts.build_failures)
    yield failures
    yield _gauge(
        "lmi_release_built_timestamp_seconds",
        "When the served release was built (Unix time)",
        facts.release_built,
    )
    yield _gauge(
        "lmi_release_promoted_timestamp_seconds",
        "When the served release was last promoted (Unix time)",
        facts.release_promoted,
    )
    age = None if facts.release_built is None else time.time() - facts.release_built
    yield _gauge("lmi_release_age_seconds", "Seconds since the served release was built", age)
    latest = GaugeMetricFamily(
        "lmi_dataset_latest_year",
        "Latest year of the data each dataset holds in the served release (basis: data = its "
        "period column, stated = the year its declared currency names)",
        labels=["dataset", "period", "basis"],
    )
    for dataset, (period, year, basis) in sorted(facts.currency.items()):
        if year is not None:
            latest.add_metric([dataset, period, basis], year)
    yield latest


def _advert_metrics(found: dict[str, Any]) -> Iterator[Metric]:
    """Job adverts by state, pull runs by feed and outcome, each feed's last finished pull
    (``found`` is :func:`lmi.vacancies.store.summary`)."""
    adverts = GaugeMetricFamily(
        "lmi_adverts", "Job adverts in the store by state (live, expired)", labels=["state"]
    )
    for state, count in found.get("adverts", {}).items():
        adverts.add_metric([state], count)
    adverts.add_metric(["duplicate"], found.get("duplicates", 0))
    yield adverts
    runs = CounterMetricFamily(
        "lmi_advert_pulls",
        "Job-advert pull runs by feed and outcome (ok, partial, failed, running)",
        labels=["feed", "status"],
    )
    for feed, status, count in found.get("runs", []):
        runs.add_metric([feed, status], count)
    yield runs
    last = GaugeMetricFamily(
        "lmi_advert_last_pull_timestamp_seconds",
        "When each feed's last pull finished (Unix time)",
        labels=["feed"],
    )
    for feed, finished in found.get("last_finished", {}).items():
        try:
            last.add_metric([feed], datetime.fromisoformat(finished).timestamp())
        except ValueError:
            continue
    yield last


def render_metrics(
    stats: RequestStats, folder: Path | None, gauges: Callable[[], dict[str, Any]]
) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(combined(stats, folder), gauges))
    return generate_latest(registry)
