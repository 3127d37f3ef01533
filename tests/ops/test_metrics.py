from __future__ import annotations

import json
from pathlib import Path

from lmi.ops.metrics import BUCKETS, RequestStats, render_metrics


def test_histogram_buckets_and_totals() -> None:
    stats = RequestStats()
    stats.observe("a", "GET", 200, 0.0004)
    stats.observe("a", "GET", 200, 0.003)
    stats.observe("a", "GET", 404, 9.0)
    count, seconds, buckets = stats.entries[("a", "GET", 200)]
    assert count == 2 and abs(seconds - 0.0034) < 1e-12
    assert buckets[0] == 1 and buckets[BUCKETS.index(0.005)] == 1
    assert stats.entries[("a", "GET", 404)][2][-1] == 1  # +Inf
    assert stats.totals() == {("a", "2xx"): 2, ("a", "4xx"): 1}


def test_metrics_sum_over_workers(tmp_path: Path) -> None:
    other = RequestStats()
    other.observe("a", "GET", 200, 0.001)
    (tmp_path / "worker-999999.json").write_text(json.dumps(other.dump()))
    (tmp_path / "worker-888888.json").write_text("{half-writ")  # ignored, not fatal
    mine = RequestStats()
    mine.observe("a", "GET", 200, 0.002)
    mine.write(tmp_path)  # my own published file is not counted twice
    text = render_metrics(mine, tmp_path, lambda: {"release_id": 7, "releases": {"test": 2}})
    body = text.decode()
    assert 'lmi_http_requests_total{method="GET",route="a",status="200"} 2.0' in body
    assert 'lmi_http_request_duration_seconds_count{route="a"} 2.0' in body
    assert "lmi_release_id 7.0" in body and 'lmi_releases{status="test"} 2.0' in body
