"""The synthetic demo release: every README example answers, and everything says "synthetic".

This is the acceptance test of the demo (issue 16, item 5): a clone with no official files
serves every `curl` call of the README with 200 and labelled synthetic data.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from lmi.datasets import registry
from lmi.store import Database
from lmi.store.releases import ReleaseStore
from lmi.synth.demo import DEMO_PUBLISHER, DEMO_SOURCE
from lmi.synth.demo_sources import write_demo_sources

README = Path(__file__).parents[2] / "README.md"
#: answers that describe the service, not figures: they carry no provenance to check
NOT_DATA = {"/openapi.json"}
#: every dataset but the optional postcode lookup (ONSPD is 2 GB of real postcodes: not faked)
SHOWN = {ds.name for ds in registry.DATASETS} - {"onspd"}


def readme_urls() -> list[str]:
    """The path and query of every `curl` call in the README."""
    found = re.findall(r"curl -s '?localhost:8000([^' \n]+)", README.read_text(encoding="utf-8"))
    assert len(found) >= 17, "the README's tour of the API has changed shape"
    return found


def _real_publisher(provenance: dict[str, Any]) -> bool:
    text = " ".join(str(provenance.get(k, "")) for k in ("publisher", "licence"))
    return any(word in text for word in ("Office for National Statistics", "Open Government"))


@pytest.mark.parametrize("url", readme_urls())
def test_every_readme_call_answers_200_with_labelled_synthetic_data(
    demo_client: TestClient, url: str
) -> None:
    response = demo_client.get(url)
    assert response.status_code == 200, response.text[:500]
    if url in NOT_DATA:
        return
    if url.startswith("/api/v1/"):  # LMI for All's bare shapes: provenance in headers
        assert response.headers["X-LMI-Method"] == "synthetic"
        assert "synthetic" in response.headers["X-LMI-Source"]
        return
    body = response.json()
    assert body["ok"] is True
    if url == "/v1/release":
        assert body["data"]["kind"] == "synthetic"
        return
    if url.startswith("/v1/releases"):  # release bookkeeping, not figures
        assert body["meta"]["release"]["kind"] == "synthetic"
        return
    provenance = body["meta"]["provenance"]
    assert provenance, "a native answer names where its figures come from"
    for item in provenance:
        assert item["method"] == "synthetic", item
        assert item["publisher"] == DEMO_PUBLISHER, item
        assert not _real_publisher(item), item


def test_every_dataset_the_readme_and_widgets_use_is_loaded(demo_release_db: Database) -> None:
    store = ReleaseStore(demo_release_db)
    release = store.production()
    assert release is not None and release.kind == "synthetic"
    loaded = {row["dataset"] for row in store.datasets(release.id) if row["status"] == "loaded"}
    assert SHOWN <= loaded, sorted(SHOWN - loaded)
    counts = store.table_counts(release.id)
    tables = {t.name for ds in registry.DATASETS if ds.name in SHOWN for t in ds.tables}
    tables -= {"leo_industry_region"}  # only from the optional original LEO regional file
    tables -= {"aps_unit_industry"}  # not generated yet: ONS's user-requested APS workbook
    assert [name for name in sorted(tables) if counts.get(name, 0) == 0] == []


def test_demo_loads_without_warnings(demo_release_db: Database) -> None:
    """The generator writes coherent files: totals add up, shares stay under 100 %, …"""
    store = ReleaseStore(demo_release_db)
    release = store.production()
    assert release is not None
    warned = {r["dataset"]: r["warnings"] for r in store.datasets(release.id) if r["warnings"]}
    assert warned == {}


def test_release_page_names_the_generator_for_every_dataset(demo_client: TestClient) -> None:
    body = demo_client.get("/v1/release").json()
    text = str(body)
    assert "Office for National Statistics" not in text
    assert "Open Government Licence" not in text
    assert DEMO_PUBLISHER in text


def test_rows_that_name_a_source_name_the_generator(demo_release_db: Database) -> None:
    sources = demo_release_db.execute("SELECT DISTINCT source FROM ashe_cells").rows
    assert sources == [(DEMO_SOURCE,)]


def test_sdc_flags_survive_into_the_demo(demo_client: TestClient) -> None:
    """Some demo cells are suppressed as ONS would ('x'): the pay endpoint flags, never shows."""
    statuses = set()
    for code in ("2136", "2134", "1111", "3125", "5213", "9336"):
        series = demo_client.get(f"/v1/pay/soc2020/{code}?coarse=false").json()["data"]["series"]
        statuses |= {point["status"] for point in series}
        for point in series:
            if point["status"] != "ok":
                assert point["value"] is None, point
    assert "ok" in statuses


def test_site_shows_a_synthetic_demo_banner(demo_client: TestClient) -> None:
    page = demo_client.get("/").text
    assert "synthetic demo" in page.lower()
    assert "Open Government Licence" not in page


def test_generated_files_are_seeded(tmp_path: Path) -> None:
    def digest(root: Path) -> str:
        h = hashlib.sha256()
        for path in sorted(root.rglob("*")):
            if path.is_file():
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
        return h.hexdigest()

    first = digest(write_demo_sources(tmp_path / "a"))
    assert first == digest(write_demo_sources(tmp_path / "b"))


def test_the_widgets_calls_answer_with_figures(demo_client: TestClient) -> None:
    """What the Careerometer and Pathways widgets fetch (static/careerometer.js, pathways.js):
    every card row and the UK average have a figure, so none says "Not available"."""
    average = demo_client.get("/widgets/uk-average.json").json()
    for key in ("pay", "hours", "outlook"):
        assert average[key] is not None and average[key]["method"] == "synthetic", key
    found = demo_client.get("/api/v1/soc/search?q=software&limit=8").json()
    soc = found[0]["soc"]
    assert demo_client.get(f"/api/v1/soc/code/{soc}").status_code == 200
    assert demo_client.get(f"/api/v1/ashe/estimatePay?soc={soc}").json()["series"]
    assert demo_client.get(f"/api/v1/ashe/estimateHours?soc={soc}").json()["series"]
    outlook = demo_client.get(f"/api/v1/wf/predict?soc={soc}&minYear=2026").json()
    assert len(outlook["predictedEmployment"]) >= 2  # a change needs two years
    subjects = demo_client.get("/v1/subjects/cah?level=cah2").json()["data"]
    assert subjects
    pathway = demo_client.get(f"/v1/pathways/cah/CAH{subjects[0]['code']}").json()["data"]
    assert pathway["earnings"] and pathway["method"] == "synthetic"


def test_careerometer_footer_says_synthetic_demo(demo_client: TestClient) -> None:
    script = demo_client.get("/widgets/careerometer.js").text
    assert "SYNTHETIC DEMO" in script and "releaseMethod()" in script
