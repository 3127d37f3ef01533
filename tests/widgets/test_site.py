"""The website and widget assets over HTTP (no browser): pages, CSV downloads, caching, size."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from importlib import resources

import pytest
from markupsafe import escape
from starlette.testclient import TestClient

from lmi.datasets import registry
from lmi.settings import Settings
from lmi.store import Database
from lmi.web import create_app
from lmi.widgets.assets import asset

MAX_GZIPPED = 30 * 1024
ABOUT_FIELDS = ("coverage", "currency", "frequency", "limitations")


@pytest.fixture(scope="module")
def client(widget_fixture_db: Database) -> Iterator[TestClient]:
    settings = Settings.from_env({}, release_poll_seconds=0)
    with TestClient(create_app(settings, db=widget_fixture_db)) as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/", "/data", "/developers", "/widgets", "/docs"])
def test_pages_render_with_navigation(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "<h1" in html and 'lang="en' in html
    if path != "/docs":
        assert 'href="/docs"' in html and "/assets/site.css?v=" in html


def test_every_registered_dataset_has_a_data_page(client: TestClient) -> None:
    index = client.get("/data").text
    for dataset in registry.DATASETS:
        assert f'href="/data/{dataset.name}"' in index
        page = client.get(f"/data/{dataset.name}")
        assert page.status_code == 200, dataset.name
        html = page.text
        for text in (dataset.publisher, dataset.licence, "Release history", "synthetic"):
            assert text.replace("'", "&#39;") in html, (dataset.name, text)
        for source in dataset.files:
            assert source.path in html


def test_every_dataset_says_what_it_covers() -> None:
    for dataset in registry.DATASETS:
        assert dataset.about is not None, dataset.name
        for name in ABOUT_FIELDS:
            assert getattr(dataset.about, name).strip(), (dataset.name, name)


def test_data_page_shows_the_datasets_about(client: TestClient) -> None:
    about = registry.dataset("ashe").about
    assert about is not None
    html = client.get("/data/ashe").text
    for name in ABOUT_FIELDS:
        assert str(escape(getattr(about, name))) in html, name
    assert "Update frequency" in html and "Not yet recorded" not in html


def test_data_page_shows_the_served_release_and_csv_links(client: TestClient) -> None:
    html = client.get("/data/soc2010").text
    assert "in the served release" in html and "production" in html
    assert 'href="/data/soc2010.csv?table=soc_groups"' in html
    assert client.get("/data/nothing-here").status_code == 404


def test_csv_streams_the_production_rows_of_one_dataset(client: TestClient) -> None:
    response = client.get("/data/soc2010.csv", params={"table": "soc_groups"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["x-lmi-method"] == "observed"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert "release_id" not in rows[0]
    assert {row["soc_version"] for row in rows} == {"soc2010"}
    assert sum(1 for row in rows if row["level"] == "unit_group") == 369
    default = client.get("/data/soc2010.csv")
    assert default.status_code == 200 and default.text.startswith("soc_version,")


def test_parquet_holds_the_same_rows_and_types_as_the_csv(client: TestClient) -> None:
    import pyarrow.parquet as pq

    response = client.get("/data/soc2010.parquet", params={"table": "soc_groups"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    assert response.headers["content-disposition"].endswith('.parquet"')
    table = pq.read_table(io.BytesIO(response.content))
    assert table.schema.metadata[b"lmi.dataset"] == b"soc2010"
    rows = list(csv.DictReader(io.StringIO(client.get("/data/soc2010.csv").text)))
    assert table.num_rows == len(rows) and table.column_names == list(rows[0])
    assert table.column("code").to_pylist() == [row["code"] for row in rows]
    assert str(table.schema.field("code").type) == "string"
    html = client.get("/data/soc2010").text
    assert 'href="/data/soc2010.parquet?table=soc_groups"' in html
    assert client.get("/data/nothing.parquet").status_code == 404


def test_csv_of_unknown_dataset_or_table_is_a_json_404(client: TestClient) -> None:
    assert client.get("/data/nothing.csv").json()["status"] == 404
    wrong = client.get("/data/soc2010.csv", params={"table": "regions"})
    assert wrong.status_code == 404 and "soc_groups" in wrong.json()["error"]


@pytest.mark.parametrize("name", ["careerometer.js", "pathways.js"])
def test_widget_scripts_are_small_cached_and_cross_origin(client: TestClient, name: str) -> None:
    found = asset(name)
    assert found is not None and len(found.gzipped) <= MAX_GZIPPED
    plain = client.get(f"/widgets/{name}", headers={"origin": "https://school.example"})
    assert plain.status_code == 200
    assert plain.headers["content-type"].startswith("text/javascript")
    assert plain.headers["access-control-allow-origin"] == "*"
    assert "max-age=86400" in plain.headers["cache-control"]
    zipped = client.get(f"/widgets/{name}", headers={"accept-encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == found.body  # decoded by the client
    versioned = client.get(f"/widgets/{name}", params={"v": found.version})
    assert "immutable" in versioned.headers["cache-control"]
    again = client.get(f"/widgets/{name}", headers={"if-none-match": plain.headers["etag"]})
    assert again.status_code == 304


def test_only_known_assets_are_served(client: TestClient) -> None:
    assert client.get("/widgets/nothing.js").status_code == 404
    assert client.get("/assets/..%2Fassets.py").status_code == 404
    assert client.get("/assets/site.css").headers["content-type"].startswith("text/css")


def test_uk_average_says_what_is_not_available(client: TestClient) -> None:
    body = client.get("/widgets/uk-average.json").json()
    assert set(body) >= {"pay", "hours", "outlook", "notes", "release"}
    for key in ("pay", "hours", "outlook"):
        assert body[key] is None or isinstance(body[key]["value"], float)
        if body[key] is None:
            assert key in body["notes"]


@pytest.fixture(scope="module")
def real_client(real_release_db: Database) -> Iterator[TestClient]:
    settings = Settings.from_env({}, release_poll_seconds=0)
    with TestClient(create_app(settings, db=real_release_db)) as test_client:
        yield test_client


def test_developer_examples_work_against_the_real_release(real_client: TestClient) -> None:
    """Every URL in the developer guide's examples answers 200 on this server."""
    client = real_client
    html = client.get("/developers").text
    base = "http://testserver"
    urls = set(re.findall(r"'(http://testserver/[^']+)'", html))
    urls |= {base + href for href in re.findall(r'href="(/(?:api|v1)/[^"]+)"', html)}
    assert len(urls) >= 5
    for url in sorted(urls):
        response = client.get(url.replace("&amp;", "&").removeprefix(base))
        assert response.status_code == 200, url


def test_static_files_are_package_data() -> None:
    static = resources.files("lmi.widgets").joinpath("static")
    names = {entry.name for entry in static.iterdir()}
    assert {"careerometer.js", "pathways.js", "generator.js", "site.css"} <= names


def test_uk_averages_for_the_latest_year_come_from_the_major_groups(
    real_client: TestClient,
) -> None:
    """2025p publishes major groups but no all-occupations row: the UK mean hours are modelled
    from them (job-weighted), so hours have a 2025 average; typical pay is the median, which
    does not combine across groups, so its latest UK figure is ONS's last published one."""
    body = real_client.get("/widgets/uk-average.json").json()
    pay, hours = body["pay"], body["hours"]
    assert hours["year"] == "2025" and hours["method"] == "modelled"
    by_year = {point["year"]: point["value"] for point in pay["series"]}
    assert pay["year"] == str(max(by_year)) and int(pay["year"]) < 2025
    assert pay["method"] in {"observed", "modelled"}  # modelled where re-expressed in SOC 2010
    assert 30 < hours["value"] < 40 and 500 < pay["value"] < 900
    assert by_year[2021] < by_year[2023] < by_year[max(by_year)]
    assert not body["notes"]


def test_occupation_pages_say_live_adverts_are_not_collected(client: TestClient) -> None:
    index = client.get("/occupations")
    assert index.status_code == 200 and 'href="/occupations/soc2020/1"' in index.text
    page = client.get("/occupations/soc2010/1111")
    assert page.status_code == 200
    html = page.text
    assert "Fixture unit 1111" in html
    crumbs = re.findall(r'href="/occupations/soc2010/(\d+)"', html.split("<h1")[0])
    assert crumbs == ["1", "11", "111"]  # its groups, major group first
    assert 'data-state="not-collected"' in html and "does not collect job adverts" in html
    assert 'href="/v1/vacancies/live?version=soc2010&amp;soc=1111"' in html
    for missing in ("/occupations/soc2010/9999", "/occupations/soc1990/1111"):
        assert client.get(missing).status_code == 404


def test_occupation_pages_show_live_adverts_with_disclosure_control(adverts_db: Database) -> None:
    settings = Settings.from_env({}, release_poll_seconds=0)
    with TestClient(create_app(settings, db=adverts_db)) as client:
        counted = client.get("/occupations/soc2010/1111").text
        assert 'data-state="counted"' in counted
        assert re.search(r"<strong>5</strong> live adverts coded to this occupation", counted)
        assert 'href="/v1/vacancies?version=soc2010&amp;soc=1111"' in counted
        group = client.get("/occupations/soc2010/111").text  # the minor group: 5 + 2 below it
        assert re.search(r"<strong>7</strong> live adverts", group)
        withheld = client.get("/occupations/soc2020/1112").text
        assert 'data-state="suppressed"' in withheld and "Fewer than 3 live adverts" in withheld
        assert "/v1/vacancies?version=soc2020&amp;soc=1112" not in withheld  # no list shows it
        none = client.get("/occupations/soc2010/1113").text
        assert 'data-state="none"' in none and "No live adverts coded" in none
