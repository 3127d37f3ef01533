"""The dashboard in headless Chromium: sign in, upload, validate, build, diff, promote, roll back.

lmi runs under uvicorn in a thread over a store whose production release is built from the SOC
fixtures; the browser is Debian's Chromium driven by Playwright, set up and skipped exactly as
the widget tests do (tests/widgets/conftest.py). The SOC 2010 loader is slowed down for the
build so the runs page can be seen following its progress live (htmx polling), without reloads.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from lmi.admin import auth
from lmi.datasets.base import LoadContext
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.settings import Settings
from lmi.store import Database, ReleaseStore, migrate
from lmi.web import create_app
from tests.soc_fixtures import write_soc_sources
from tests.widgets.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _chromium_missing, free_port

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
UNITS = "soc2010/soc2010_unit_groups.csv"


@dataclass
class Site:
    url: str
    db: Database
    source: Path
    data_dir: Path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium; skips without it, but fails under CI=true (as for widgets)."""
    missing = _chromium_missing()
    if missing:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"browser tests must run in CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    source = write_soc_sources(tmp_path / "source")
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    migrate(db)
    assert build_release(db, source, [SOC2010, SOC2020]).promoted
    auth.create_user(db, "ada", PASSWORD, "admin")
    settings = Settings.from_env(
        {}, data_dir=tmp_path / "data", source_dir=source, release_poll_seconds=0
    )
    app = create_app(settings, db=db)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 90  # a cold snapshot build on a busy machine
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "lmi did not start"
        time.sleep(0.02)
    yield Site(f"http://127.0.0.1:{port}", db, source, tmp_path / "data")
    admin = getattr(app.state, "admin", None)
    if admin is not None:
        admin.jobs.wait(60)
    server.should_exit = True
    thread.join(10)
    db.close()


@pytest.fixture
def slow_soc2010() -> Iterator[None]:
    """Each SOC 2010 load takes 3 s more, so a build is seen running."""
    original = SOC2010.load

    def load(ctx: LoadContext) -> None:
        time.sleep(3)
        original(ctx)

    object.__setattr__(SOC2010, "load", load)
    yield
    object.__setattr__(SOC2010, "load", original)


def test_sign_in_upload_build_promote_roll_back(
    browser: Any, site: Site, slow_soc2010: None, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    store = ReleaseStore(site.db)

    # sign in (a wrong password first)
    page.goto(f"{site.url}/admin/")
    assert "/admin/login" in page.url
    page.get_by_label("User name").fill("ada")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert "Wrong user name or password" in page.locator("#login-error").inner_text()
    page.get_by_label("User name").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Data operations").wait_for()
    errors: list[str] = []  # from here on (the wrong password above was a 401)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    cookies = {c["name"]: c for c in context.cookies()}
    session = cookies["lmi_admin_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"

    # upload a good file: it is validated in the background and the page follows it
    renamed = (site.source / UNITS).read_text().replace("Fixture unit 1111", "Renamed unit 1111")
    upload = tmp_path / "upload" / "soc2010_unit_groups.csv"
    upload.parent.mkdir()
    upload.write_text(renamed)
    page.get_by_role("link", name="Upload and build").click()
    page.get_by_label("Source files").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and validate").click()
    assert "Stored soc2010/soc2010_unit_groups.csv" in page.locator(".flash").inner_text()
    page.get_by_text("Passed: 1 file, 0 errors").wait_for()
    page.screenshot(path=str(ARTIFACTS / "admin-staging.png"), full_page=True)

    # build: the runs page shows the running build's progress, then its outcome, by itself
    page.get_by_role("button", name="Build test release").click()
    assert "/admin/runs" in page.url
    running = page.locator(
        'table.runs tr[data-status="running"]', has_text=re.compile(r"\[\d+/\d+\] soc2010")
    )
    running.wait_for()  # the progress line of the slow load, shown while it runs
    assert page.locator("table.runs progress").count() == 1
    page.screenshot(path=str(ARTIFACTS / "admin-build-running.png"), full_page=True)
    page.locator('table.runs tr[data-status="succeeded"]', has_text="release 2 test").wait_for()
    assert "/admin/runs" in page.url  # no navigation: htmx replaced the table
    assert store.production_id() == 1

    # the diff, then promotion with its confirmation
    page.get_by_role("link", name="Releases").click()
    page.get_by_role("link", name="Diff of release 2").click()
    diff = page.locator("table.diff").inner_text()
    assert "soc_groups" in diff and "title (1)" in diff
    page.get_by_role("link", name="Promote release 2 …").click()
    page.get_by_role("heading", name="Promote release 2 to production?").wait_for()
    page.get_by_label("Why").fill("renamed unit 1111")
    page.get_by_role("button", name="Promote release 2").click()
    assert "/promote" in page.url and store.production_id() == 1  # the box is not ticked
    page.get_by_label("I have checked what changes").check()
    page.get_by_role("button", name="Promote release 2").click()
    page.locator(
        'table.runs tr[data-status="succeeded"]', has_text="release 2 is production (was 1)"
    ).wait_for()
    assert store.production_id() == 2

    # roll back, with its confirmation
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("link", name="Roll back to release 1 …").click()
    page.get_by_label("I want release 1 back in production").check()
    page.get_by_role("button", name="Roll back to release 1").click()
    page.locator(
        'table.runs tr[data-status="succeeded"]', has_text="release 1 is production again"
    ).wait_for()
    assert store.production_id() == 1
    page.get_by_role("link", name="Releases").click()
    assert page.locator('tr[data-release="2"]').get_attribute("data-status") == "rolled_back"
    assert page.locator('tr[data-release="1"]').get_attribute("data-status") == "production"
    page.screenshot(path=str(ARTIFACTS / "admin-releases.png"), full_page=True)

    assert errors == []  # no script errors, no CSP violations
    context.close()


def test_data_sources_page_from_the_navigation(browser: Any, site: Site) -> None:
    """The Data sources link, its summary's anchors, and no script or CSP errors."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{site.url}/admin/login")
    page.get_by_label("User name").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Data sources").click()
    page.get_by_role("heading", name="Data sources", exact=True).wait_for()
    assert page.get_by_role("link", name="Data sources").get_attribute("aria-current") == "page"
    soc = page.locator("#sources-summary tr", has_text="soc2010")
    assert re.search(r"4 of 4", soc.inner_text())
    soc.get_by_role("link", name="soc2010").click()
    assert page.url.endswith("#ds-soc2010")
    files = page.locator("#ds-soc2010 table.data").inner_text()
    assert "found" in files and "soc2010/soc2010_unit_groups.csv" in files
    ashe = page.locator("#ds-ashe").inner_text()
    assert "Publisher's page" in ashe and "https://www.ons.gov.uk/" in ashe
    page.screenshot(path=str(ARTIFACTS / "admin-sources.png"), full_page=True)
    assert errors == []
    context.close()
