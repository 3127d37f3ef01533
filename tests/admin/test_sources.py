"""The dashboard's Data sources page: the same rows as ``lmi data sources``, for every role."""

from __future__ import annotations

import html
import shutil

from lmi.datasets.sources import fetch_lines, source_rows
from tests.admin.conftest import Dashboard, text_of
from tests.conftest import FIXTURES


def _with_workbooks(dashboard: Dashboard) -> None:
    shutil.copytree(FIXTURES / "ashe_workbooks", dashboard.source / "ashe_workbooks")


def _section(page: str, name: str) -> str:
    """The text of one dataset's section (its heading up to the next heading)."""
    start = page.index(f'id="ds-{name}-h"')
    end = page.find("<h2", start + 1)
    return html.unescape(text_of(page[start : end if end != -1 else len(page)]))


def test_sources_page_shows_what_to_fetch_and_what_is_held(dashboard: Dashboard) -> None:
    _with_workbooks(dashboard)
    response = dashboard.client("vic").get("/admin/sources")
    assert response.status_code == 200
    page = response.text
    assert f"Source directory: {dashboard.source}" in text_of(page)
    soc = _section(page, "soc2010")
    assert "found soc2010/soc2010_unit_groups.csv" in soc
    assert "not recorded yet" in soc  # SOC declares no publisher's page yet
    ashe = _section(page, "ashe")
    assert "Publisher's page https://www.ons.gov.uk/" in ashe
    assert "Editions read Table 14 workbooks" in ashe
    assert "workbooks 2024p soc2020: Tables 14.1, 14.7" in ashe  # the loader's own holdings
    assert "4 files" in ashe and "Table 14.7b" in ashe  # the files matched by the pattern
    assert (
        "missing (optional) ashe/original/" in ashe
    )  # the older extract is not in this source folder
    onspd = _section(page, "onspd")
    assert "lad25cd" in onspd
    summary = text_of(page.split('id="sources-summary"')[1].split("</table>")[0])
    assert "soc2010 required 4 of 4" in summary
    assert "onet_uk_soc optional derived (reads no file)" in summary


def test_sources_page_says_what_the_cli_says(dashboard: Dashboard) -> None:
    """One function feeds both: every line the CLI prints for a dataset is on the page."""
    _with_workbooks(dashboard)
    page = dashboard.client("vic").get("/admin/sources").text
    rows = source_rows(dashboard.source)
    assert [r.name for r in rows] == [
        n.split('"')[0] for n in page.split('<section class="panel" id="ds-')[1:]
    ]
    for row in rows:
        section = _section(page, row.name)
        for line in fetch_lines(row):
            value = line.split(": ", 1)[1] if row.page else "not recorded yet"
            assert value in section, (row.name, line)
        for line in row.holdings:
            assert line in section
        for f in row.files:
            assert ("found" if f.found else "missing") + f" {f.path}" in section.replace(
                "missing (optional)", "missing"
            )


def test_sources_page_without_a_source_directory(dashboard: Dashboard) -> None:
    shutil.rmtree(dashboard.source)  # moved or unmounted since the release was built
    response = dashboard.client("vic").get("/admin/sources")
    assert response.status_code == 200
    assert f"{dashboard.source} does not exist" in text_of(response.text)
    assert "soc2010 required 0 of 4" in text_of(response.text)


def test_sources_page_is_in_the_navigation_and_needs_a_session(dashboard: Dashboard) -> None:
    anonymous = dashboard.client().get("/admin/sources", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/admin/login?next=/admin/sources"
    overview = dashboard.client("vic").get("/admin/").text
    assert '<a href="/admin/sources">Data sources</a>' in overview
