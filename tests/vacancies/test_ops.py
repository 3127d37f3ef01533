"""Pull runs and their failures in /metrics and on the admin dashboard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lmi.vacancies.coding import AdvertCoder
from lmi.vacancies.connectors import FileFeed
from lmi.vacancies.http import Fetcher
from lmi.vacancies.pipeline import Pipeline
from lmi.vacancies.place import Placer
from tests.admin.conftest import Dashboard, text_of
from tests.vacancies.conftest import DATA, tiny_coders


def pull_fixtures(dashboard: Dashboard, missing: Path) -> None:
    pipeline = Pipeline(dashboard.db, AdvertCoder(tiny_coders(), 1), Placer(), Fetcher())
    pipeline.pull([FileFeed([DATA / "adverts.csv", DATA / "adverts.jsonl"])])
    pipeline.pull([FileFeed([missing])])  # a file that went away: the run fails


def test_runs_and_failures_in_metrics_and_dashboard(
    make_dashboard: Callable[..., Dashboard],
    tmp_path: Path,
) -> None:
    dashboard = make_dashboard(vacancies_files=str(DATA / "adverts.csv"))
    pull_fixtures(dashboard, tmp_path / "gone.csv")
    client = dashboard.client()
    metrics = client.get("/metrics").text
    live = dashboard.db.execute("SELECT count(*) FROM lmi_adverts WHERE status='live'").scalar()
    assert live > 0 and f'lmi_adverts{{state="live"}} {float(live)}' in metrics
    assert 'lmi_adverts{state="duplicate"} 0.0' in metrics
    assert 'lmi_advert_pulls_total{feed="files",status="ok"} 1.0' in metrics
    assert 'lmi_advert_pulls_total{feed="files",status="failed"} 1.0' in metrics
    assert 'lmi_advert_last_pull_timestamp_seconds{feed="files"}' in metrics

    assert client.get("/admin/vacancies", follow_redirects=False).status_code == 303  # sign in
    viewer = dashboard.client("vic")
    page = viewer.get("/admin/vacancies")
    assert page.status_code == 200
    text = text_of(page.text)
    assert f"files : {DATA / 'adverts.csv'}" in text  # the configured feed
    assert "failed" in text and "gone.csv: cannot read" in text
    assert "Job adverts" in viewer.get("/admin/").text  # in the navigation
