"""The dashboard over HTTP: sign-in, cookies, roles, CSRF, uploads, and the whole data flow."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from lmi.admin.web import SESSION_COOKIE
from lmi.etl.lock import DataLock
from lmi.store import ReleaseStore
from tests.admin.conftest import (
    PASSWORD,
    Dashboard,
    csrf,
    sign_in,
    source_text,
    text_of,
    token_in,
)
from tests.conftest import FIXTURES

UNITS = "soc2010/soc2010_unit_groups.csv"
INDEX = "soc2010/soc2010_coding_index.csv"
GROUPS = "soc2010/soc2010_group_descriptions.csv"
STRUCTURE = "soc2010/soc2010_structure.csv"


def _replace(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def _upload(client: TestClient, files: dict[str, bytes | str], token: str | None = None) -> Any:
    parts = [
        ("files", (name, body.encode() if isinstance(body, str) else body, "text/csv"))
        for name, body in files.items()
    ]
    return client.post(
        "/admin/staging/upload", data={"csrf_token": token or csrf(client)}, files=parts
    )


# -- signing in ----------------------------------------------------------------------------------


def test_pages_need_a_session(dashboard: Dashboard) -> None:
    client = dashboard.client()
    for path in ("/admin/", "/admin/releases", "/admin/runs/1", "/admin/staging"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/admin/login?next={path}"
    poll = client.get("/admin/runs/fragment", headers={"HX-Request": "true"})
    assert poll.headers["hx-redirect"].startswith("/admin/login")
    refused = client.post("/admin/staging/clear", data={"csrf_token": "x"})
    assert refused.status_code == 401


def test_sign_in_sets_a_hardened_session_cookie(dashboard: Dashboard) -> None:
    client = dashboard.client()
    response = sign_in(client, "ada")
    assert response.status_code == 200 and "Signed in as ada" in response.text
    cookie = next(
        h for h in response.history[0].headers.get_list("set-cookie") if SESSION_COOKIE in h
    )
    lowered = cookie.lower()
    assert "httponly" in lowered and "samesite=strict" in lowered and "path=/admin" in lowered
    assert "secure" not in lowered  # plain http (tests); see the https test below
    value = cookie.split(";")[0].split("=", 1)[1]
    token, _, signature = value.rpartition(".")
    assert token and signature
    stored = dashboard.db.execute("SELECT token_hash FROM admin_sessions").scalar()
    assert token not in stored  # the store keeps only a hash of the token

    assert client.get("/admin/").status_code == 200
    forged = dashboard.client()
    forged.cookies.set(SESSION_COOKIE, f"{token}.forged")  # the token with a wrong signature
    assert forged.get("/admin/", follow_redirects=False).status_code == 303
    forged.cookies.set(SESSION_COOKIE, value)
    assert forged.get("/admin/", follow_redirects=False).status_code == 200


def test_cookies_are_secure_over_https(dashboard: Dashboard) -> None:
    client = dashboard.client(base_url="https://testserver")
    response = sign_in(client, "ada")
    cookies = response.history[0].headers.get_list("set-cookie")
    session = next(c for c in cookies if SESSION_COOKIE in c)
    assert "secure" in session.lower()


def test_sign_out_ends_the_session(dashboard: Dashboard) -> None:
    client = dashboard.client("vic")
    token = csrf(client, "/admin/")
    response = client.post("/admin/logout", data={"csrf_token": token})
    assert "Sign in" in response.text
    assert dashboard.db.execute("SELECT COUNT(*) FROM admin_sessions").scalar() == 0
    assert client.get("/admin/", follow_redirects=False).status_code == 303


def test_wrong_passwords_lock_the_account(make_dashboard: Callable[..., Dashboard]) -> None:
    dashboard = make_dashboard(admin_login_attempts=3)
    client = dashboard.client()
    for _ in range(3):
        response = sign_in(client, "ada", "not the password")
        assert response.status_code == 401
        assert "Wrong user name or password" in text_of(response.text)
    locked = sign_in(client, "ada", PASSWORD)
    assert locked.status_code == 401 and "Sign out" not in locked.text
    unknown = sign_in(client, "nobody", PASSWORD)
    assert text_of(unknown.text).count("Wrong user name") == 1  # the same message for everyone
    events = dashboard.db.execute(
        "SELECT COUNT(*) FROM admin_events WHERE action = 'sign-in failed'"
    ).scalar()
    assert events == 5


def test_an_address_with_many_failures_is_throttled(
    make_dashboard: Callable[..., Dashboard],
) -> None:
    dashboard = make_dashboard(admin_login_attempts=1)  # 4 failures per address
    client = dashboard.client()
    for user in ("a1", "a2", "a3", "a4"):
        assert sign_in(client, user, "whatever123").status_code == 401
    throttled = sign_in(client, "vic", PASSWORD)
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0


def test_sign_in_needs_its_csrf_cookie_and_token(dashboard: Dashboard) -> None:
    client = dashboard.client()
    page = client.get("/admin/login")
    form = {"username": "ada", "password": PASSWORD, "next": "/admin/"}
    wrong = client.post("/admin/login", data={**form, "csrf_token": "forged"})
    assert wrong.status_code == 403 and "CSRF" in wrong.text
    client.cookies.clear()
    no_cookie = client.post("/admin/login", data={**form, "csrf_token": token_in(page.text)})
    assert no_cookie.status_code == 400 and "cookie" in no_cookie.text


def test_next_only_leads_inside_the_dashboard(dashboard: Dashboard) -> None:
    client = dashboard.client()
    page = client.get("/admin/login?next=//evil.example/")
    response = client.post(
        "/admin/login",
        data={
            "username": "ada",
            "password": PASSWORD,
            "csrf_token": token_in(page.text),
            "next": "https://evil.example/admin",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/admin/"


# -- roles and CSRF on every action --------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "allowed"),
    [("vic", {"viewer"}), ("lou", {"viewer", "loader"}), ("ada", {"viewer", "loader", "admin"})],
)
def test_roles_are_enforced_on_every_action(
    dashboard: Dashboard, user: str, allowed: set[str]
) -> None:
    client = dashboard.client(user)
    token = csrf(client, "/admin/")
    gets = {
        "/admin/": "viewer",
        "/admin/releases": "viewer",
        "/admin/releases/1": "viewer",
        "/admin/releases/1/diff": "viewer",
        "/admin/runs": "viewer",
        "/admin/staging": "viewer",
        "/admin/usage": "viewer",
        "/admin/users": "admin",
        "/admin/rollback": "admin",
    }
    for path, role in gets.items():
        status = client.get(path).status_code
        assert status == (200 if role in allowed else 403), (path, status)
    posts = {
        "/admin/staging/validate": "loader",
        "/admin/staging/clear": "loader",
        "/admin/staging/remove": "loader",
        "/admin/staging/build": "loader",
        "/admin/releases/1/promote": "admin",
        "/admin/rollback": "admin",
    }
    for path, role in posts.items():
        response = client.post(path, data={"csrf_token": token, "path": UNITS})
        if role in allowed:
            assert response.status_code != 403, (path, response.text)
        else:
            assert response.status_code == 403 and f"needs the {role} role" in response.text
    upload = _upload(client, {"soc2010_structure.csv": "code\n"}, token)
    assert (upload.status_code == 403) == ("loader" not in allowed)
    assert dashboard.production_id == 1  # nothing above changed production


def test_every_post_needs_the_session_csrf_token(dashboard: Dashboard) -> None:
    client = dashboard.client("ada")
    other = dashboard.client("lou")
    foreign = csrf(other)  # a valid token, of another session
    for path in (
        "/admin/staging/clear",
        "/admin/staging/validate",
        "/admin/staging/build",
        "/admin/releases/1/promote",
        "/admin/rollback",
        "/admin/logout",
    ):
        for data in ({}, {"csrf_token": ""}, {"csrf_token": foreign}):
            response = client.post(path, data={**data, "confirm": "yes"})
            assert response.status_code == 403 and "CSRF" in response.text, (path, data)
    upload = _upload(client, {"soc2010_structure.csv": "x"}, foreign)
    assert upload.status_code == 403
    assert not (dashboard.settings.data_dir / "staging" / STRUCTURE).exists()
    assert client.get("/admin/").status_code == 200  # still signed in


def test_cross_site_posts_are_refused_even_with_a_token(dashboard: Dashboard) -> None:
    client = dashboard.client("ada")
    token = csrf(client)
    cross_site = (
        {"origin": "https://evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"origin": "null"},  # an opaque origin: a sandboxed frame or a data: page
    )
    for headers in cross_site:
        response = client.post("/admin/staging/clear", data={"csrf_token": token}, headers=headers)
        assert response.status_code == 403 and "another site" in response.text


def test_pages_carry_security_headers(dashboard: Dashboard) -> None:
    client = dashboard.client("vic")
    response = client.get("/admin/")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    # forms must send their real origin (an "Origin: null" POST is refused)
    assert '<meta name="referrer" content="same-origin">' in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    sources = re.findall(r'<script src="([^"]+)"', response.text)
    assert len(sources) == 1 and sources[0].startswith("/admin/static/htmx.min.js?v=")  # no CDN
    script = client.get(sources[0])
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert b"htmx" in script.content[:200]
    assert client.get("/admin/static/evil.js").status_code == 404
    missing = client.get("/admin/no-such-page")
    assert missing.status_code == 404 and "no such dashboard page" in missing.text


# -- uploads -------------------------------------------------------------------------------------


def test_uploads_only_accept_known_names_and_store_them_at_their_source_path(
    dashboard: Dashboard,
) -> None:
    client = dashboard.client("lou")
    staging = dashboard.settings.data_dir / "staging"
    body = source_text(dashboard.source, STRUCTURE)
    unknown = _upload(client, {"holiday_photos.csv": body})
    assert unknown.status_code == 400 and "not the name of a file" in unknown.text
    near = _upload(client, {"soc2010_structur.csv": body})
    assert "Did you mean soc2010_structure.csv" in text_of(near.text)
    traversal = _upload(client, {"../../../soc2010_structure.csv": body})
    assert traversal.status_code == 200
    assert (staging / STRUCTURE).read_text() == body  # the declared path, not the client's
    assert not (dashboard.settings.data_dir.parent / "soc2010_structure.csv").exists()
    assert sorted(p.name for p in staging.rglob("*") if p.is_file()) == [
        ".validation.json",
        "soc2010_structure.csv",
    ]
    assert (staging / STRUCTURE).stat().st_mode & 0o111 == 0  # never executable
    dashboard.wait()


def test_upload_size_limits(make_dashboard: Callable[..., Dashboard]) -> None:
    dashboard = make_dashboard(admin_max_upload_bytes=4096)
    client = dashboard.client("lou")
    token = csrf(client)
    staging = dashboard.settings.data_dir / "staging"
    big = source_text(dashboard.source, STRUCTURE)
    assert 4096 < len(big) < 64 * 1024  # within the request limit: refused while stored
    response = _upload(client, {"soc2010_structure.csv": big}, token)
    assert response.status_code == 413 and "upload limit" in response.text
    assert not (staging / STRUCTURE).exists()
    assert not list(staging.rglob("*.part"))  # the partial file is gone
    huge = "x" * (4096 + 64 * 1024 + 1)
    refused = _upload(client, {"soc2010_structure.csv": huge}, token)
    assert refused.status_code == 413 and "Nothing was stored" in refused.text
    # other endpoints keep the edge's 1 MB body limit
    flood = client.post("/admin/staging/clear", content=b"x" * 1_100_000)
    assert flood.status_code == 413


def test_remove_and_clear_staged_files(dashboard: Dashboard) -> None:
    client = dashboard.client("lou")
    _upload(
        client,
        {
            "soc2010_structure.csv": source_text(dashboard.source, STRUCTURE),
            "soc2010_unit_groups.csv": source_text(dashboard.source, UNITS),
        },
    )
    dashboard.wait()
    staging = dashboard.settings.data_dir / "staging"
    token = csrf(client)
    removed = client.post("/admin/staging/remove", data={"csrf_token": token, "path": UNITS})
    assert "Removed soc2010/soc2010_unit_groups.csv" in removed.text
    assert not (staging / UNITS).exists() and (staging / STRUCTURE).exists()
    outside = client.post("/admin/staging/remove", data={"csrf_token": token, "path": "../x"})
    assert outside.status_code == 404
    client.post("/admin/staging/clear", data={"csrf_token": token})
    assert not (staging / STRUCTURE).exists()
    assert "Nothing is staged" in client.get("/admin/staging").text


# -- the data flow ---------------------------------------------------------------------------------


def _problem_rows(page: str) -> list[tuple[str, str, str, str]]:
    """(severity, row, column, code) of each problem in a report table."""
    rows = re.findall(
        r'<tr class="(error|warning)">.*?<td class="num">(\d*)</td>\s*'
        r"<td>(?:<code>([^<]*)</code>)?</td>\s*<td>.*?</td>\s*<td><code>([^<]+)</code>",
        page,
        re.S,
    )
    return [(severity, row, column, code) for severity, row, column, code in rows]


def test_malformed_files_are_rejected_with_their_report(dashboard: Dashboard) -> None:
    client = dashboard.client("lou")
    src = dashboard.source
    files = {
        # unknown SOC unit group
        "soc2010_unit_groups.csv": _replace(source_text(src, UNITS), "\n1111,", "\n9999,"),
        # a letter in a number column
        "soc2010_coding_index.csv": _replace(source_text(src, INDEX), "\n2,0,", "\n2x,0,"),
        # truncated
        "soc2010_group_descriptions.csv": source_text(src, GROUPS)[:900],
    }
    assert _upload(client, files).status_code == 200
    dashboard.wait()
    page = client.get("/admin/staging").text
    shown = text_of(page)
    assert "REJECTED" in shown and "Production is unchanged" in shown
    assert "Build test release" not in shown  # no build button for rejected files
    rows = _problem_rows(page)
    found = {(code, column) for _, _, column, code in rows}
    assert ("unknown-code", "soc2010") in found
    assert ("bad-number", "REC_NO") in found
    assert ("no-final-newline", "") in found and ("too-few-rows", "") in found
    assert ("error", "3", "REC_NO", "bad-number") in rows  # line 3: the header is line 1
    build = client.post("/admin/staging/build", data={"csrf_token": csrf(client)})
    assert build.status_code == 400 and "errors" in build.text

    # a wrong column, on its own
    client.post("/admin/staging/clear", data={"csrf_token": csrf(client)})
    wrong = _replace(source_text(src, STRUCTURE), "parent_code", "parent")
    _upload(client, {"soc2010_structure.csv": wrong})
    dashboard.wait()
    page = client.get("/admin/staging").text
    assert ("error", "", "parent_code", "missing-column") in _problem_rows(page)
    assert "REJECTED" in text_of(page)

    assert ReleaseStore(dashboard.db).production_id() == 1
    assert len(ReleaseStore(dashboard.db).all_releases()) == 1  # nothing was even built


def test_a_file_published_under_a_dated_name_is_uploaded_and_validated(
    dashboard: Dashboard,
) -> None:
    loader = dashboard.client("lou")
    postcodes = FIXTURES / "onspd" / "Data" / "ONSPD_FEB_2024_UK.csv"
    uploaded = _upload(loader, {postcodes.name: postcodes.read_bytes()})
    assert "Stored onspd/Data/ONSPD_FEB_2024_UK.csv" in uploaded.text
    dashboard.wait()
    staging = text_of(loader.get("/admin/staging").text)
    assert "Passed: 1 file, 0 errors" in staging, staging


def test_good_file_build_diff_promote_rollback(dashboard: Dashboard) -> None:
    loader = dashboard.client("lou")
    renamed = _replace(
        source_text(dashboard.source, UNITS), "Fixture unit 1111", "Renamed unit 1111"
    )
    uploaded = _upload(loader, {"soc2010_unit_groups.csv": renamed})
    assert "Stored soc2010/soc2010_unit_groups.csv" in uploaded.text
    dashboard.wait()
    staging = text_of(loader.get("/admin/staging").text)
    assert "Passed: 1 file, 0 errors" in staging and "Build test release" in staging

    started = loader.post("/admin/staging/build", data={"csrf_token": csrf(loader)})
    assert "Build started" in started.text and "production is not touched" in started.text
    dashboard.wait()
    store = ReleaseStore(dashboard.db)
    built = store.all_releases()[0]
    assert built.id == 2 and built.status == "test" and store.production_id() == 1
    runs = text_of(loader.get("/admin/runs").text)
    assert "build succeeded" in runs and "lou (dashboard)" in runs
    assert "release 2 test: 0 errors" in runs

    assert (1, 2) in dashboard.app.state.admin.diffs  # prepared right after the build
    diff = text_of(loader.get("/admin/releases/2/diff").text)
    assert "1 of 2 tables change" in diff and "1 table unchanged" in diff
    assert "soc_groups 1,044 1,044 0 0 1 changed columns: title (1)" in diff

    admin = dashboard.client("ada")
    confirm = admin.get("/admin/releases/2/promote")
    assert "Promote release 2 to production?" in confirm.text
    token = token_in(confirm.text)
    unconfirmed = admin.post("/admin/releases/2/promote", data={"csrf_token": token})
    assert unconfirmed.status_code == 400 and store.production_id() == 1
    promoted = admin.post(
        "/admin/releases/2/promote",
        data={"csrf_token": token, "confirm": "yes", "note": "renamed unit 1111"},
    )
    assert "Promotion of release 2 started" in promoted.text
    dashboard.wait()
    assert store.production_id() == 2
    release = store.get(2)
    assert release is not None and release.promoted_by == "ada (dashboard)"
    assert release.note == "renamed unit 1111"
    backups = sorted(p.name for p in (dashboard.settings.data_dir / "backups").glob("*.jsonl.gz"))
    # each build backs up the release it made, so production's backup exists before promotion
    assert [name.split("-")[2] for name in backups] == ["1", "2"]

    rollback_page = admin.get("/admin/rollback")
    assert "makes release 1" in text_of(rollback_page.text)
    unconfirmed = admin.post("/admin/rollback", data={"csrf_token": token})
    assert unconfirmed.status_code == 400 and store.production_id() == 2
    admin.post("/admin/rollback", data={"csrf_token": token, "confirm": "yes", "note": "undo"})
    dashboard.wait()
    assert store.production_id() == 1
    rolled = store.get(2)
    assert rolled is not None and rolled.status == "rolled_back"
    # a rollback made in error is undone by promoting the rolled-back release again
    assert "Promote release 2 to production?" in admin.get("/admin/releases/2/promote").text
    again = admin.post("/admin/releases/2/promote", data={"csrf_token": token, "confirm": "yes"})
    assert "Promotion of release 2 started" in again.text, again.text
    dashboard.wait()
    assert store.production_id() == 2
    history = text_of(admin.get("/admin/runs").text)
    for kind in ("build", "promote", "rollback"):
        assert f"{kind} succeeded" in history
    events = [
        row[0] for row in dashboard.db.execute("SELECT action FROM admin_events ORDER BY id").rows
    ]
    assert [e for e in events if e != "signed in"] == [
        "upload",
        "build",
        "promote",
        "rollback",
        "promote",
    ]


def test_a_running_operation_blocks_builds_and_is_polled(dashboard: Dashboard) -> None:
    client = dashboard.client("ada")
    _upload(client, {"soc2010_unit_groups.csv": source_text(dashboard.source, UNITS)})
    dashboard.wait()
    idle = client.get("/admin/runs/fragment")
    assert idle.status_code == 286  # htmx stops polling
    assert "hx-trigger" not in client.get("/admin/runs").text
    lock = DataLock(dashboard.db, holder="build by someone else")
    lock.acquire()
    try:
        busy = client.get("/admin/runs")
        assert 'hx-trigger="every 2s"' in busy.text
        assert client.get("/admin/runs/fragment").status_code == 200
        assert "build by someone else" in client.get("/admin/staging").text
        refused = client.post("/admin/staging/build", data={"csrf_token": csrf(client)})
        assert refused.status_code == 409
        assert "another data operation is running" in refused.text
        promote = client.post(
            "/admin/releases/1/promote", data={"csrf_token": csrf(client), "confirm": "yes"}
        )
        assert promote.status_code == 409
    finally:
        lock.release()
    assert len(ReleaseStore(dashboard.db).all_releases()) == 1


def test_promoting_a_release_that_is_not_test_is_refused(dashboard: Dashboard) -> None:
    client = dashboard.client("ada")
    page = client.get("/admin/releases/1/promote")
    assert page.status_code == 409 and "only a test" in page.text
    missing = client.get("/admin/releases/99/diff")
    assert missing.status_code == 404 and "there is no release 99" in missing.text
    no_previous = client.post(
        "/admin/rollback", data={"csrf_token": csrf(client), "confirm": "yes"}
    )
    assert no_previous.status_code == 409 and "no earlier production release" in no_previous.text


def test_usage_summary_and_keys(dashboard: Dashboard) -> None:
    with dashboard.db.transaction() as tx:
        for route, status, n in (
            ("soc_search", "2xx", 120),
            ("soc_search", "4xx", 5),
            ("pay", "2xx", 30),
            ("admin_overview", "2xx", 999),
        ):
            tx.execute(
                "INSERT INTO api_usage (day, route, status_class, requests) "
                "VALUES ('2026-01-02', :r, :s, :n)",
                {"r": route, "s": status, "n": n},
            )
    from lmi.ops.keys import create_key

    create_key(dashboard.db, "careers-site", scopes=("pay:md",))
    admin = text_of(dashboard.client("ada").get("/admin/usage").text)
    assert "2026-01-02 155 5 0" in admin  # the dashboard's own pages are left out
    assert "soc_search 125" in admin and "pay 30" in admin and "admin_overview" not in admin
    assert "careers-site" in admin and "pay:md" in admin
    viewer = text_of(dashboard.client("vic").get("/admin/usage").text)
    assert "soc_search 125" in viewer and "careers-site" not in viewer  # keys: admins only


def test_users_page_lists_roles_and_activity(dashboard: Dashboard) -> None:
    client = dashboard.client("ada")
    sign_in(dashboard.client(), "vic", "not the password")
    page = text_of(client.get("/admin/users").text)
    assert "lou loader" in page and "vic viewer" in page
    assert "vic sign-in failed" in page and "ada signed in" in page
