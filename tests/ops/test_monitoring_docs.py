"""The example alert rules and Grafana dashboard in docs/monitoring use only metrics lmi exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.settings import Settings
from lmi.store import Database, migrate
from lmi.web import create_app
from tests.soc_fixtures import write_soc_sources

DOCS = Path(__file__).resolve().parents[2] / "docs" / "monitoring"
_METRIC = re.compile(r"\blmi_[a-z0-9_]+")


def _expressions() -> dict[str, list[str]]:
    """Every PromQL expression of the alert rules and of the dashboard's panels."""
    rules = (DOCS / "alerts.yml").read_text()
    alerts = re.findall(r"expr: >?\n?((?:.*\n)+?)\s+(?:for|labels):", rules)
    dashboard = json.loads((DOCS / "grafana-dashboard.json").read_text())
    panels = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    return {"alerts.yml": alerts, "grafana-dashboard.json": panels}


def _exported(tmp_path: Path, db: Database) -> set[str]:
    """Sample names on /metrics after a build, a failed build and a few requests."""
    migrate(db)
    source = write_soc_sources(tmp_path / "src")
    build_release(db, source, [SOC2010, SOC2020])
    (source / "soc2010" / "soc2010_structure.csv").write_text("broken\n")
    build_release(db, source, [SOC2010, SOC2020])
    settings = Settings.from_env({}, release_poll_seconds=0)
    with TestClient(create_app(settings, db=db)) as client:
        assert client.get("/v1/occupations/soc2010/1111").status_code == 200
        text = client.get("/metrics").text
    return {s.name for family in text_string_to_metric_families(text) for s in family.samples}


def test_every_metric_the_examples_use_exists(tmp_path: Path, sqlite_database: Database) -> None:
    exported = _exported(tmp_path, sqlite_database)
    found = _expressions()
    assert len(found["alerts.yml"]) >= 8 and len(found["grafana-dashboard.json"]) >= 10
    used = {m for exprs in found.values() for e in exprs for m in _METRIC.findall(e)}
    assert {"lmi_build_last_status", "lmi_release_age_seconds", "lmi_dataset_latest_year"} <= used
    assert {"lmi_dataset_requests_total", "lmi_uptime_seconds"} <= used
    missing = sorted(used - exported)
    assert not missing, f"metrics used in docs/monitoring but not exported: {missing}"


def test_on_call_metrics_say_what_happened(tmp_path: Path, sqlite_database: Database) -> None:
    migrate(sqlite_database)
    source = write_soc_sources(tmp_path / "src")
    build_release(sqlite_database, source, [SOC2010, SOC2020])
    (source / "soc2010" / "soc2010_structure.csv").write_text("broken\n")
    assert not build_release(sqlite_database, source, [SOC2010, SOC2020]).ok
    settings = Settings.from_env({}, release_poll_seconds=0)
    with TestClient(create_app(settings, db=sqlite_database)) as client:
        client.get("/v1/occupations/soc2010/1111")
        exported_text = client.get("/metrics").text
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(exported_text)
        for s in family.samples
    }
    assert samples[("lmi_build_last_status", (("status", "failed"),))] == 1
    assert samples[("lmi_build_failures_total", ())] == 1
    assert samples[("lmi_release_age_seconds", ())] >= 0
    usage = (
        "lmi_dataset_requests_total",
        (("dataset", "soc"), ("endpoint", "/v1/occupations/{version}/{code}")),
    )
    assert samples[usage] == 1
    assert 0 <= samples[("lmi_uptime_seconds", ())]
