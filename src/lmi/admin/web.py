"""The admin dashboard under ``/admin``: server-rendered pages (Jinja2), htmx only for polling.

Every handler goes through :func:`page`, which signs the user in from the session cookie
(HttpOnly, SameSite=Strict, Secure over https, HMAC-signed), enforces the role the action
needs, and for every POST checks the request's origin and the session's CSRF token before
anything else happens. Errors are shown as pages with a 4xx status, never a traceback.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from lmi import __version__
from lmi.admin import auth
from lmi.admin.jobs import Jobs, lock_holder, plan_build, validation_alive
from lmi.admin.staging import Staging, UploadTooLarge
from lmi.api.envelope import status_for
from lmi.datasets import registry
from lmi.errors import (
    InvalidQuery,
    LMIError,
    Locked,
    NotFound,
    ReleaseError,
)
from lmi.etl.build import BuildReport
from lmi.etl.diff import ReleaseDiff, diff_releases
from lmi.etl.runs import OpsConfig, list_runs
from lmi.ops.keys import list_keys
from lmi.ops.usage import usage_summary
from lmi.settings import Settings
from lmi.store.database import Database
from lmi.store.releases import PROMOTABLE, Release, ReleaseStore, not_promotable
from lmi.widgets.assets import MEDIA_TYPES, Asset, asset_response

__all__ = ["UPLOAD_PATH", "AdminContext", "admin_routes", "admin_context"]

log = logging.getLogger("lmi.admin")

PREFIX = "/admin"
UPLOAD_PATH = f"{PREFIX}/staging/upload"
SESSION_COOKIE = "lmi_admin_session"
LOGIN_COOKIE = "lmi_admin_login"
FLASH_COOKIE = "lmi_admin_flash"
#: multipart overhead allowed on top of the file size limit
UPLOAD_OVERHEAD = 64 * 1024
MAX_UPLOAD_FILES = 20
STATIC = ("htmx.min.js", "admin.css")
POLL_SECONDS = 2

SECURITY_HEADERS = {
    "cache-control": "no-store",
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-frame-options": "DENY",
}
#: the dashboard's own errors; every other one maps as in the API (envelope.STATUS_BY_ERROR)
ADMIN_STATUSES: tuple[tuple[type[LMIError], int], ...] = ((UploadTooLarge, 413), (Locked, 409))

_templates = Environment(
    loader=PackageLoader("lmi.admin", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_context_lock = threading.Lock()


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _size(value: int) -> str:
    """Bytes for people: 67,108,864 → "64 MiB"."""
    if value < 1024:
        return f"{value:,} bytes"
    size, unit = value / 1024, "KiB"
    for bigger in ("MiB", "GiB"):
        if size < 1024:
            break
        size, unit = size / 1024, bigger
    return f"{size:,.1f}".removesuffix(".0") + f" {unit}"


def _progress(text: str | None) -> tuple[int, int] | None:
    """``[3/12]`` in a progress line → (3, 12)."""
    found = re.search(r"\[(\d+)/(\d+)\]", text or "")
    return (int(found[1]), int(found[2])) if found else None


_templates.filters["number"] = _number
_templates.filters["size"] = _size
_templates.globals["progress_of"] = _progress
_templates.globals["promotable"] = PROMOTABLE


# -- state -------------------------------------------------------------------------------------


@dataclass
class AdminContext:
    """What the dashboard keeps per application (created on its first request)."""

    settings: Settings
    db: Database
    signer: auth.Signer
    throttle: auth.AddressThrottle
    staging: Staging
    jobs: Jobs
    diffs: OrderedDict[tuple[int, int], ReleaseDiff]
    static: dict[str, Asset]
    diff_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(cls, settings: Settings, db: Database) -> AdminContext:
        secret_file = settings.admin_secret_file or settings.data_dir / "admin-secret"
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        staging_dir = settings.admin_staging_dir or settings.data_dir / "staging"
        staging_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
        return cls(
            settings=settings,
            db=db,
            signer=auth.Signer(auth.load_secret(secret_file)),
            throttle=auth.AddressThrottle(
                limit=max(1, settings.admin_login_attempts * 4),
                window_seconds=settings.admin_lockout_minutes * 60,
            ),
            staging=Staging(
                staging_dir,
                source_dir=settings.source_dir,
                datasets=registry.DATASETS,
                max_bytes=settings.admin_max_upload_bytes,
            ),
            jobs=Jobs(),
            diffs=OrderedDict(),
            static=_load_static(),
        )

    def ops(self) -> OpsConfig:
        return OpsConfig.from_settings(self.settings)

    def diff(self, old: int, new: int) -> ReleaseDiff:
        """Releases never change once built, so their diffs are kept (the last few).

        One diff is computed at a time: a second request for it waits for the first.
        """
        key = (old, new)
        with self.diff_lock:
            found = self.diffs.get(key)
            if found is None:
                found = diff_releases(self.db, old, new)
                self.diffs[key] = found
                while len(self.diffs) > 8:
                    self.diffs.popitem(last=False)
            return found

    def prepare_diff(self, report: BuildReport) -> None:
        """After a build: compute its diff with production now, so the diff page is instant."""
        production = ReleaseStore(self.db).production_id()
        if report.ok and production is not None and production != report.release_id:
            self.diff(production, report.release_id)


def _load_static() -> dict[str, Asset]:
    import gzip
    import hashlib
    from importlib import resources

    found = {}
    for name in STATIC:
        body = resources.files("lmi.admin").joinpath("static", name).read_bytes()
        found[name] = Asset(
            name=name,
            body=body,
            gzipped=gzip.compress(body, 9, mtime=0),
            version=hashlib.sha256(body).hexdigest()[:12],
            media_type=MEDIA_TYPES[name[name.rfind(".") :]],
        )
    return found


def admin_context(request: Request) -> AdminContext:
    state = request.app.state
    found: AdminContext | None = getattr(state, "admin", None)
    if found is None:
        with _context_lock:
            found = getattr(state, "admin", None)
            if found is None:
                found = AdminContext.create(state.settings, state.served.db)
                state.admin = found
    return found


@dataclass
class Call:
    """One dashboard request: who is asking and what they posted."""

    request: Request
    ctx: AdminContext
    session: auth.Session | None
    form: FormData | None = None

    @property
    def user(self) -> auth.User:
        assert self.session is not None
        return self.session.user

    @property
    def by(self) -> str:
        """Who, as recorded in the run log and the releases."""
        return f"{self.user.username} (dashboard)"

    @property
    def address(self) -> str:
        client = self.request.client
        return client.host if client else "-"

    def field(self, name: str, limit: int = 2000) -> str:
        value = self.form.get(name) if self.form is not None else None
        return value[:limit] if isinstance(value, str) else ""

    def event(self, action: str, detail: str = "") -> None:
        auth.record_event(self.ctx.db, self.user.username, action, detail, self.address)


# -- rendering ---------------------------------------------------------------------------------

NAV = (
    ("/admin/", "Overview", "viewer"),
    ("/admin/staging", "Upload and build", "viewer"),
    ("/admin/releases", "Releases", "viewer"),
    ("/admin/runs", "Runs", "viewer"),
    ("/admin/usage", "API usage", "viewer"),
    ("/admin/vacancies", "Job adverts", "viewer"),
    ("/admin/users", "Users", "admin"),
)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _static_url(ctx: AdminContext, name: str) -> str:
    return f"{PREFIX}/static/{name}?v={ctx.static[name].version}"


def _read_flash(call: Call) -> dict[str, str] | None:
    raw = call.request.cookies.get(FLASH_COOKIE)
    value = call.ctx.signer.unsign(raw) if raw else None
    if not value:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def render(call: Call, template: str, status: int = 200, **context: Any) -> Response:
    flash = _read_flash(call)
    user = call.session.user if call.session else None
    html = _templates.get_template(template).render(
        user=user,
        csrf=call.session.csrf_token if call.session else "",
        nav=[(href, label) for href, label, role in NAV if user and user.can(role)],
        path=call.request.url.path,
        flash=flash,
        version=__version__,
        static=functools.partial(_static_url, call.ctx),
        poll=POLL_SECONDS,
        roles=auth.ROLE_HELP,
        **context,
    )
    response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE, path=PREFIX)
    return response


def redirect(call: Call, url: str, flash: str | None = None, kind: str = "ok") -> Response:
    """303 See Other (after a POST), with a one-time message for the next page."""
    response = RedirectResponse(url, status_code=303, headers={"cache-control": "no-store"})
    if flash:
        packed = base64.urlsafe_b64encode(json.dumps({"kind": kind, "text": flash}).encode())
        response.set_cookie(
            FLASH_COOKIE,
            call.ctx.signer.sign(packed.decode().rstrip("=")),
            max_age=120,
            path=PREFIX,
            httponly=True,
            samesite="strict",
            secure=_secure(call.request),
        )
    return response


def error_page(call: Call, status: int, message: str, title: str = "Not possible") -> Response:
    return render(call, "error.html", status=status, title=title, message=message)


# -- the gate every handler goes through --------------------------------------------------------

Handler = Callable[[Call], Awaitable[Response]]


def _same_origin(request: Request) -> bool:
    """Refuse POSTs a browser says came from another site (the CSRF token is checked too)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in {"same-origin", "none"}:
        return False
    origin = request.headers.get("origin")
    if origin is None:  # not a browser (the CSRF token is still required)
        return True
    # "null" is an opaque origin (a sandboxed frame, a data: or file: page): never same-site.
    # The dashboard's pages set referrer policy same-origin, so browsers send their real origin
    # on its forms even though API responses say no-referrer.
    return origin != "null" and urlsplit(origin).netloc == request.headers.get("host", "")


def page(
    role: str | None = "viewer", *, upload: bool = False, login: bool = False
) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a handler: session, role, origin and CSRF checks; errors as pages."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(handler)
        async def endpoint(request: Request) -> Response:
            ctx = admin_context(request)
            session = await run_in_threadpool(_session, ctx, request)
            call = Call(request, ctx, session)
            if role is not None and session is None:
                return _sign_in_first(call)
            if role is not None and not call.user.can(role):
                return error_page(
                    call,
                    403,
                    f"This needs the {role} role; you are signed in as {call.user.username} "
                    f"({call.user.role}). Ask an admin (`lmi admin set-role`).",
                    "Not allowed",
                )
            try:
                if request.method == "POST":
                    refused = await _check_post(call, upload=upload, login=login)
                    if refused is not None:
                        return refused
                return await handler(call)
            except LMIError as exc:
                status = status_for(exc, ADMIN_STATUSES)
                return error_page(call, status, str(exc))
            except HTTPException as exc:  # e.g. a malformed multipart body
                return error_page(call, exc.status_code, str(exc.detail))
            finally:
                if call.form is not None:
                    await call.form.close()

        return endpoint

    return wrap


def _session(ctx: AdminContext, request: Request) -> auth.Session | None:
    raw = request.cookies.get(SESSION_COOKIE)
    token = ctx.signer.unsign(raw) if raw else None
    if token is None:
        return None
    return auth.lookup_session(ctx.db, token, idle_minutes=ctx.settings.admin_idle_minutes)


def _sign_in_first(call: Call) -> Response:
    target = f"{PREFIX}/login?next={quote(call.request.url.path)}"
    if call.request.headers.get("hx-request"):  # a poll after the session ended
        return Response(status_code=200, headers={"hx-redirect": target, **SECURITY_HEADERS})
    if call.request.method != "GET":
        return error_page(call, 401, "Your session has ended: sign in again.", "Signed out")
    return RedirectResponse(target, status_code=303, headers={"cache-control": "no-store"})


async def _check_post(call: Call, *, upload: bool, login: bool) -> Response | None:
    request = call.request
    if not _same_origin(request):
        return error_page(call, 403, "This form was sent from another site: refused.", "Refused")
    if upload:
        limit = call.ctx.settings.admin_max_upload_bytes + UPLOAD_OVERHEAD
        length = request.headers.get("content-length", "")
        if not length.isdigit():
            return error_page(call, 411, "Uploads need a Content-Length.", "Refused")
        if int(length) > limit:
            return error_page(
                call,
                413,
                f"The upload is {int(length):,} bytes; the limit is "
                f"{call.ctx.settings.admin_max_upload_bytes:,} bytes per file "
                "(LMI_ADMIN_MAX_UPLOAD_BYTES). Nothing was stored.",
                "Too large",
            )
        call.form = await request.form(max_files=MAX_UPLOAD_FILES, max_fields=5)
    else:
        call.form = await request.form(max_files=0, max_fields=20, max_part_size=64 * 1024)
    sent = call.field("csrf_token", 200)
    if login:
        raw = request.cookies.get(LOGIN_COOKIE)
        expected = call.ctx.signer.unsign(raw) if raw else None
        if expected is None:
            return _login_page(
                call,
                "Your browser did not keep the sign-in cookie: allow "
                "cookies for this site and try again.",
                400,
            )
    else:
        expected = call.session.csrf_token if call.session else None
    if not sent or expected is None or not secrets.compare_digest(sent, expected):
        return error_page(
            call,
            403,
            "The form's security token is missing or out of date (CSRF check). Go back, "
            "reload the page and try again.",
            "Refused",
        )
    return None


# -- signing in and out ------------------------------------------------------------------------


def _next_url(value: str) -> str:
    if value.startswith(PREFIX) and not value.startswith("//") and "\\" not in value:
        return value
    return f"{PREFIX}/"


def _login_page(call: Call, error: str | None = None, status: int = 200) -> Response:
    nonce = secrets.token_urlsafe(24)
    response = render(
        call,
        "login.html",
        status=status,
        error=error,
        login_token=nonce,
        next=_next_url(call.request.query_params.get("next", "") or call.field("next")),
    )
    response.set_cookie(
        LOGIN_COOKIE,
        call.ctx.signer.sign(nonce),
        max_age=3600,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=_secure(call.request),
    )
    if status == 429:
        response.headers["retry-after"] = str(call.ctx.throttle.retry_after(call.address) or 60)
    return response


@page(role=None)
async def admin_login_form(call: Call) -> Response:
    if call.session is not None:
        return RedirectResponse(f"{PREFIX}/", status_code=303)
    return _login_page(call)


@page(role=None, login=True)
async def admin_login(call: Call) -> Response:
    ctx = call.ctx
    settings = ctx.settings
    if ctx.throttle.retry_after(call.address):
        return _login_page(
            call, "Too many failed sign-ins from your address: wait a few minutes.", 429
        )
    username = call.field("username", 100).strip()
    password = call.field("password", 1000)
    user = await run_in_threadpool(
        auth.authenticate,
        ctx.db,
        username,
        password,
        attempts=settings.admin_login_attempts,
        lockout_minutes=settings.admin_lockout_minutes,
    )
    if user is None:
        ctx.throttle.failed(call.address)
        await run_in_threadpool(
            auth.record_event, ctx.db, username or "-", "sign-in failed", "", call.address
        )
        return _login_page(
            call,
            "Wrong user name or password, or the account is disabled or locked after "
            f"{settings.admin_login_attempts} failed attempts (it unlocks after "
            f"{settings.admin_lockout_minutes:g} minutes).",
            401,
        )
    token, session = await run_in_threadpool(
        auth.create_session,
        ctx.db,
        user,
        hours=settings.admin_session_hours,
        address=call.address,
    )
    call.session = session
    await run_in_threadpool(call.event, "signed in")
    response = redirect(call, _next_url(call.field("next")), f"Signed in as {user.username}.")
    response.set_cookie(
        SESSION_COOKIE,
        ctx.signer.sign(token),
        max_age=int(settings.admin_session_hours * 3600),
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=_secure(call.request),
    )
    response.delete_cookie(LOGIN_COOKIE, path=PREFIX)
    return response


@page("viewer")
async def admin_logout(call: Call) -> Response:
    assert call.session is not None
    await run_in_threadpool(auth.end_session, call.ctx.db, call.session.token_hash)
    await run_in_threadpool(call.event, "signed out")
    response = RedirectResponse(f"{PREFIX}/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


# -- overview, runs, releases ------------------------------------------------------------------


def _runs_context(ctx: AdminContext, limit: int) -> dict[str, Any]:
    found = list_runs(ctx.db, limit)
    holder = lock_holder(ctx.db)
    running = [r for r in found if r["status"] == "running"]
    return {"runs": found, "running": bool(running) or holder is not None, "lock": holder}


@page("viewer")
async def admin_overview(call: Call) -> Response:
    def gather() -> dict[str, Any]:
        store = ReleaseStore(call.ctx.db)
        production = store.production()
        previous = _previous(store, production)
        tests = [r for r in store.all_releases() if r.status == "test"]
        return {
            "production": production,
            "previous": previous,
            "tests": tests[:5],
            "staged": call.ctx.staging.files(),
            "limit": 5,
            **_runs_context(call.ctx, 5),
        }

    return render(call, "overview.html", **await run_in_threadpool(gather))


@page("viewer")
async def admin_runs(call: Call) -> Response:
    context = await run_in_threadpool(_runs_context, call.ctx, 50)
    return render(call, "runs.html", limit=50, **context)


@page("viewer")
async def admin_runs_fragment(call: Call) -> Response:
    """The runs table alone, for htmx polling; 286 stops the polling once nothing runs."""
    try:
        limit = min(200, max(1, int(call.request.query_params.get("limit", "20"))))
    except ValueError:
        limit = 20
    context = await run_in_threadpool(_runs_context, call.ctx, limit)
    response = render(call, "_runs.html", limit=limit, **context)
    if not context["running"]:
        response.status_code = 286
    return response


@page("viewer")
async def admin_run(call: Call) -> Response:
    run_id = int(call.request.path_params["run_id"])

    def gather() -> dict[str, Any]:
        rows = call.ctx.db.execute(
            "SELECT id, kind, status, started_at, finished_at, seconds, by, host, pid, "
            "release_id, detail, progress, message, report_json FROM lmi_runs WHERE id = :id",
            {"id": run_id},
        ).dicts()
        if not rows:
            raise NotFound(f"there is no run {run_id}")
        run = rows[0]
        report = _load_json(run.pop("report_json"))
        if report is None and run["kind"] == "build" and run["release_id"]:
            report = _release_report(call.ctx.db, int(run["release_id"]))
        return {"run": run, "report": report}

    return render(call, "run.html", **await run_in_threadpool(gather))


def _load_json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _release_report(db: Database, release_id: int) -> Any:
    return _load_json(
        db.execute(
            "SELECT report_json FROM lmi_releases WHERE id = :id", {"id": release_id}
        ).scalar()
    )


@page("viewer")
async def admin_releases(call: Call) -> Response:
    def gather() -> dict[str, Any]:
        store = ReleaseStore(call.ctx.db)
        releases = store.all_releases()
        rows = call.ctx.db.execute(
            "SELECT release_id, SUM(rows) FROM lmi_release_tables GROUP BY release_id"
        ).rows
        counts = {int(r): int(n or 0) for r, n in rows}
        return {
            "releases": releases,
            "counts": counts,
            "production": store.production(),
        }

    return render(call, "releases.html", **await run_in_threadpool(gather))


def _previous(store: ReleaseStore, production: Release | None) -> Release | None:
    if production is None or production.previous_id is None:
        return None
    return store.get(production.previous_id)


def _release_or_404(db: Database, release_id: int) -> Any:
    release = ReleaseStore(db).get(release_id)
    if release is None:
        raise NotFound(f"there is no release {release_id}")
    return release


@page("viewer")
async def admin_release(call: Call) -> Response:
    release_id = int(call.request.path_params["release_id"])

    def gather() -> dict[str, Any]:
        store = ReleaseStore(call.ctx.db)
        release = _release_or_404(call.ctx.db, release_id)
        return {
            "release": release,
            "datasets": store.datasets(release_id),
            "files": store.files(release_id),
            "tables": store.table_counts(release_id),
            "report": _release_report(call.ctx.db, release_id),
            "production": store.production(),
        }

    return render(call, "release.html", **await run_in_threadpool(gather))


def _diff_context(ctx: AdminContext, release_id: int) -> dict[str, Any]:
    store = ReleaseStore(ctx.db)
    release = _release_or_404(ctx.db, release_id)
    production = store.production()
    diff = None
    if production is not None and production.id != release_id:
        if release.status in {"building", "failed"}:
            raise ReleaseError(
                f"release {release_id} is {release.status}: it has no rows to compare"
            )
        diff = ctx.diff(production.id, release_id)
    return {"release": release, "production": production, "diff": diff}


@page("viewer")
async def admin_diff(call: Call) -> Response:
    release_id = int(call.request.path_params["release_id"])
    context = await run_in_threadpool(_diff_context, call.ctx, release_id)
    return render(call, "diff.html", **context)


@page("admin")
async def admin_promote_confirm(call: Call) -> Response:
    release_id = int(call.request.path_params["release_id"])
    context = await run_in_threadpool(_diff_context, call.ctx, release_id)
    if context["release"].status not in PROMOTABLE:
        raise ReleaseError(not_promotable(context["release"]))
    return render(call, "promote.html", **context, error=None)


@page("admin")
async def admin_promote(call: Call) -> Response:
    release_id = int(call.request.path_params["release_id"])
    if call.field("confirm") != "yes":
        context = await run_in_threadpool(_diff_context, call.ctx, release_id)
        return render(
            call,
            "promote.html",
            status=400,
            error="Tick the confirmation box to promote.",
            **context,
        )
    note = call.field("note", 500).strip()
    ctx = call.ctx
    await run_in_threadpool(ctx.jobs.promote, ctx.db, release_id, call.by, note, ctx.ops())
    await run_in_threadpool(call.event, "promote", f"release {release_id}: {note}")
    return redirect(
        call,
        f"{PREFIX}/runs",
        f"Promotion of release {release_id} started: production switches when the run "
        "below succeeds (a backup of the current production is taken first).",
    )


@page("admin")
async def admin_rollback_confirm(call: Call) -> Response:
    def gather() -> dict[str, Any]:
        store = ReleaseStore(call.ctx.db)
        production = store.production()
        previous = _previous(store, production)
        return {"production": production, "previous": previous, "error": None}

    return render(call, "rollback.html", **await run_in_threadpool(gather))


@page("admin")
async def admin_rollback(call: Call) -> Response:
    if call.field("confirm") != "yes":
        return error_page(call, 400, "Tick the confirmation box to roll back.", "Not confirmed")
    note = call.field("note", 500).strip()
    ctx = call.ctx
    await run_in_threadpool(ctx.jobs.rollback, ctx.db, call.by, note, ctx.ops())
    await run_in_threadpool(call.event, "rollback", note)
    return redirect(call, f"{PREFIX}/runs", "Rollback started: see its run below.")


# -- staging: upload, validate, build ----------------------------------------------------------


def _uploaders(db: Database) -> dict[str, str]:
    """Staged path → who uploaded it last (from the audit trail)."""
    rows = db.execute(
        "SELECT detail, username FROM admin_events WHERE action = 'upload' ORDER BY id DESC "
        "LIMIT 500"
    ).rows
    found: dict[str, str] = {}
    for detail, username in rows:
        path = str(detail).split(" ", 1)[0]
        found.setdefault(path, username)
    return found


def _validation_context(ctx: AdminContext) -> dict[str, Any]:
    staged = ctx.staging.files()
    state = ctx.staging.validation()
    current = bool(state and state.get("fingerprint") == ctx.staging.fingerprint(staged))
    running = bool(state and validation_alive(state))
    if state and state.get("state") == "running" and not running:
        state = {**state, "state": "crashed", "error": "the validating process stopped"}
    return {"staged": staged, "validation": state, "current": current, "validating": running}


def _staging_context(ctx: AdminContext) -> dict[str, Any]:
    context = _validation_context(ctx)
    names: dict[str, list[str]] = {}
    for ds in ctx.staging.datasets:
        names[ds.name] = [f.path for f in ds.files]
    plan = plan_build(ctx.db, ctx.staging) if context["staged"] else None
    return {
        **context,
        "uploaders": _uploaders(ctx.db),
        "accepted": names,
        "max_bytes": ctx.settings.admin_max_upload_bytes,
        "plan": plan,
        "lock": lock_holder(ctx.db),
        "source_dir": ctx.settings.source_dir,
    }


@page("viewer")
async def admin_staging(call: Call) -> Response:
    context = await run_in_threadpool(_staging_context, call.ctx)
    return render(call, "staging.html", errors=[], **context)


@page("viewer")
async def admin_validation_fragment(call: Call) -> Response:
    context = await run_in_threadpool(_staging_context, call.ctx)
    response = render(call, "_validation.html", **context)
    if not context["validating"]:
        response.status_code = 286
    return response


@page("loader", upload=True)
async def admin_upload(call: Call) -> Response:
    ctx = call.ctx
    assert call.form is not None
    uploads = [f for f in call.form.getlist("files") if isinstance(f, UploadFile)]
    uploads = [f for f in uploads if f.filename]
    errors: list[str] = []
    saved = []
    if not uploads:
        errors.append("Choose at least one file to upload.")
    for upload in uploads:
        try:
            await upload.seek(0)
            staged = await run_in_threadpool(ctx.staging.save, upload.filename or "", upload.file)
        except UploadTooLarge as exc:
            errors.append(str(exc))
            continue
        except InvalidQuery as exc:
            errors.append(str(exc))
            continue
        saved.append(staged)
        await run_in_threadpool(
            call.event, "upload", f"{staged.path} {staged.bytes} bytes sha256 {staged.sha256}"
        )
    if saved:
        await run_in_threadpool(
            ctx.jobs.validate,
            ctx.staging,
            call.user.username,
            ctx.staging.datasets,
            ctx.settings.source_dir,
        )
    if errors:
        status = 413 if any("upload limit" in e for e in errors) else 400
        context = await run_in_threadpool(_staging_context, ctx)
        return render(call, "staging.html", status=status, errors=errors, saved=saved, **context)
    names = ", ".join(s.path for s in saved)
    return redirect(call, f"{PREFIX}/staging", f"Stored {names}. Validating the staged files …")


@page("loader")
async def admin_validate(call: Call) -> Response:
    ctx = call.ctx
    await run_in_threadpool(
        ctx.jobs.validate,
        ctx.staging,
        call.user.username,
        ctx.staging.datasets,
        ctx.settings.source_dir,
    )
    await run_in_threadpool(call.event, "validate", "")
    return redirect(call, f"{PREFIX}/staging#validation", "Validating the staged files …")


@page("loader")
async def admin_remove(call: Call) -> Response:
    path = call.field("path", 500)
    await run_in_threadpool(call.ctx.staging.remove, path)
    await run_in_threadpool(call.event, "remove", path)
    return redirect(call, f"{PREFIX}/staging", f"Removed {path} from staging.")


@page("loader")
async def admin_clear(call: Call) -> Response:
    removed = await run_in_threadpool(call.ctx.staging.clear)
    await run_in_threadpool(call.event, "clear", f"{removed} files")
    return redirect(call, f"{PREFIX}/staging", f"Removed {removed} staged files.")


@page("loader")
async def admin_build(call: Call) -> Response:
    ctx = call.ctx
    plan = await run_in_threadpool(
        ctx.jobs.build, ctx.db, ctx.staging, call.by, ctx.ops(), ctx.prepare_diff
    )
    await run_in_threadpool(call.event, "build", f"load {', '.join(d.name for d in plan.load)}")
    return redirect(
        call,
        f"{PREFIX}/runs",
        f"Build started: {len(plan.load)} datasets loaded from files"
        + (f", {len(plan.reuse)} copied from production" if plan.reuse else "")
        + ". It becomes a test release; production is not touched.",
    )


# -- usage, users, static ----------------------------------------------------------------------


@page("viewer")
async def admin_usage(call: Call) -> Response:
    def gather() -> dict[str, Any]:
        rows = usage_summary(call.ctx.db, days=30)
        rows = [r for r in rows if not str(r["route"]).startswith("admin")]
        days: dict[str, dict[str, int]] = {}
        routes: dict[str, int] = {}
        for r in rows:
            n = int(str(r["requests"]))
            day = days.setdefault(str(r["day"]), {"total": 0, "4xx": 0, "5xx": 0})
            day["total"] += n
            if r["status_class"] in ("4xx", "5xx"):
                day[str(r["status_class"])] += n
            routes[str(r["route"])] = routes.get(str(r["route"]), 0) + n
        top = sorted(routes.items(), key=lambda kv: (-kv[1], kv[0]))[:25]
        keys = list_keys(call.ctx.db) if call.user.can("admin") else None
        return {"days": sorted(days.items(), reverse=True), "routes": top, "keys": keys}

    return render(call, "usage.html", **await run_in_threadpool(gather))


@page("viewer")
async def admin_vacancies(call: Call) -> Response:
    """Job-advert pulls: adverts by state, configured feeds, recent runs and their failures."""
    from lmi.vacancies.config import describe_feeds
    from lmi.vacancies.store import recent_runs, summary

    def gather() -> dict[str, Any]:
        return {
            "summary": summary(call.ctx.db),
            "runs": recent_runs(call.ctx.db, 50),
            "feeds": describe_feeds(call.ctx.settings),
        }

    return render(call, "vacancies.html", **await run_in_threadpool(gather))


@page("admin")
async def admin_users(call: Call) -> Response:
    users = await run_in_threadpool(auth.list_users, call.ctx.db)
    events = await run_in_threadpool(
        lambda: call.ctx.db.execute(
            "SELECT at, username, action, detail, address FROM admin_events ORDER BY id DESC "
            "LIMIT 100"
        ).dicts()
    )
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return render(call, "users.html", users=users, events=events, now=now)


async def admin_static(request: Request) -> Response:
    ctx = admin_context(request)
    found = ctx.static.get(request.path_params["name"])
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return asset_response(request, found)


@page(role=None)
async def admin_not_found(call: Call) -> Response:
    return error_page(call, 404, "There is no such dashboard page.", "Not found")


async def admin_root(request: Request) -> Response:
    return RedirectResponse(f"{PREFIX}/", status_code=307)


def admin_routes() -> list[Route]:
    """The dashboard's routes, added to the application's route table."""
    get, post = ["GET"], ["POST"]
    return [
        Route(PREFIX, admin_root, methods=get, include_in_schema=False),
        Route(f"{PREFIX}/", admin_overview, methods=get, include_in_schema=False),
        Route(f"{PREFIX}/login", admin_login_form, methods=get, include_in_schema=False),
        Route(f"{PREFIX}/login", admin_login, methods=post, include_in_schema=False),
        Route(f"{PREFIX}/logout", admin_logout, methods=post, include_in_schema=False),
        Route(f"{PREFIX}/staging", admin_staging, methods=get, include_in_schema=False),
        Route(UPLOAD_PATH, admin_upload, methods=post, include_in_schema=False),
        Route(f"{PREFIX}/staging/validate", admin_validate, methods=post, include_in_schema=False),
        Route(
            f"{PREFIX}/staging/validation",
            admin_validation_fragment,
            methods=get,
            include_in_schema=False,
        ),
        Route(f"{PREFIX}/staging/remove", admin_remove, methods=post, include_in_schema=False),
        Route(f"{PREFIX}/staging/clear", admin_clear, methods=post, include_in_schema=False),
        Route(f"{PREFIX}/staging/build", admin_build, methods=post, include_in_schema=False),
        Route(f"{PREFIX}/releases", admin_releases, methods=get, include_in_schema=False),
        Route(
            f"{PREFIX}/releases/{{release_id:int}}",
            admin_release,
            methods=get,
            include_in_schema=False,
        ),
        Route(
            f"{PREFIX}/releases/{{release_id:int}}/diff",
            admin_diff,
            methods=get,
            include_in_schema=False,
        ),
        Route(
            f"{PREFIX}/releases/{{release_id:int}}/promote",
            admin_promote_confirm,
            methods=get,
            include_in_schema=False,
        ),
        Route(
            f"{PREFIX}/releases/{{release_id:int}}/promote",
            admin_promote,
            methods=post,
            include_in_schema=False,
        ),
        Route(f"{PREFIX}/rollback", admin_rollback_confirm, methods=get, include_in_schema=False),
        Route(f"{PREFIX}/rollback", admin_rollback, methods=post, include_in_schema=False),
        Route(f"{PREFIX}/runs", admin_runs, methods=get, include_in_schema=False),
        Route(f"{PREFIX}/runs/fragment", admin_runs_fragment, methods=get, include_in_schema=False),
        Route(f"{PREFIX}/runs/{{run_id:int}}", admin_run, methods=get, include_in_schema=False),
        Route(f"{PREFIX}/usage", admin_usage, methods=get, include_in_schema=False),
        Route(f"{PREFIX}/vacancies", admin_vacancies, methods=get, include_in_schema=False),
        Route(f"{PREFIX}/users", admin_users, methods=get, include_in_schema=False),
        Route(f"{PREFIX}/static/{{name}}", admin_static, methods=get, include_in_schema=False),
        Route(
            f"{PREFIX}/{{rest:path}}",
            admin_not_found,
            methods=["GET", "POST"],
            include_in_schema=False,
        ),
    ]
