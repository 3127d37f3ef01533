"""One typed settings object, built explicitly at startup (never at import time).

Every setting is read from an ``LMI_``-prefixed environment variable and is documented in
``docs/settings.md`` (a test keeps the two in step).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from lmi.errors import ConfigurationError

__all__ = ["Settings", "default_source_dir"]

_REPO_ROOT = Path(__file__).resolve().parents[2]


def default_source_dir() -> Path | None:
    """``../shared/data`` beside the working directory or the checkout, when it exists."""
    for base in (Path.cwd(), _REPO_ROOT):
        candidate = (base / ".." / "shared" / "data").resolve()
        if candidate.is_dir():
            return candidate
    return None


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Runtime configuration of lmi. Build with :meth:`from_env`."""

    source_dir: Path | None = _setting(
        None,
        "Directory of official source files (one folder per dataset, as in ../shared/data). "
        "Defaults to ../shared/data when that exists.",
    )
    data_dir: Path = _setting(
        Path("var"), "Directory for lmi's own files: the SQLite database, backups, logs."
    )
    database_url: str | None = _setting(
        None,
        "SQLAlchemy URL of the store, e.g. postgresql://postgres@127.0.0.1:5432/lmi. "
        "Defaults to SQLite at DATA_DIR/lmi.sqlite.",
    )
    host: str = _setting("127.0.0.1", "Address `lmi serve` binds to.")
    port: int = _setting(8000, "Port `lmi serve` listens on.")
    workers: int = _setting(
        1, "Number of server worker processes for `lmi serve` (0: one per available CPU core)."
    )
    snapshot_cache: bool = _setting(
        True,
        "Keep each served release's built snapshot in DATA_DIR/snapshots, so workers and "
        "restarts read it back (about a second) instead of building it from the store.",
    )
    release_poll_seconds: float = _setting(
        2.0,
        "How often each worker checks for a newly promoted release (seconds; 0 disables).",
    )
    prepare_next_release: bool = _setting(
        True,
        "Each worker also loads, in the background, the release most likely to be served next "
        "(the newest test release, else the one a rollback returns to), so a promotion or "
        "rollback is served within one LMI_RELEASE_POLL_SECONDS. Costs that release's memory.",
    )
    release_retention: int = _setting(
        2,
        "How many earlier promoted releases stay servable beside production: a request pinned "
        "with `?release=ID` or the `X-LMI-Release` header is answered from any of them, and a "
        "release that drops out (or was rolled back) answers 410. 0: production only.",
    )
    pinned_snapshots: int = _setting(
        2,
        "How many pinned (non-production) releases each worker keeps loaded in memory at once; "
        "the least recently used one is dropped to load another (from the snapshot cache). Each "
        "costs about as much memory as production's (a few hundred MB on the real release), "
        "and only once clients pin one.",
    )
    demo_when_no_source: bool = _setting(
        True,
        "When no source directory exists and no release is in production, `lmi serve` builds "
        "and serves a clearly labelled synthetic demo release.",
    )
    compat_standins: bool = _setting(
        False,
        "The LMI-for-All-compatible /api/v1 layer serves synthetic stand-ins (figures lmi makes "
        "up for a dataset the release lacks, e.g. LFS unemployment) instead of LMI for All's "
        "'no data' form. For demos only: strict clients cannot see a label, so the body then "
        "carries a 'note' saying the figures are synthetic.",
    )
    log_level: str = _setting("info", "Log level: debug, info, warning or error.")
    webhook_url: str | None = _setting(
        None,
        "When set, every data operation (build, promote, rollback, backup, restore) POSTs a JSON "
        "notification of its outcome to this URL. Outcomes are always logged.",
    )
    lock_stale_seconds: float = _setting(
        600.0,
        "A data-operation lock held by another host whose heartbeat is older than this (seconds) "
        "is stale and recovered; on the same host a lock is stale as soon as its process died.",
    )
    backup_keep: int = _setting(
        10,
        "How many automatic backups (taken before each promotion into DATA_DIR/backups) to keep; "
        "older ones are deleted. 0 disables automatic backups.",
    )
    jump_warn_percent: float = _setting(
        20.0,
        "A build warns when a table's row count, or a number in a row, differs from production by "
        "more than this percentage (suspicious jumps).",
    )
    access_log: bool = _setting(
        False, "Log one JSON line per request (request id, route, status, milliseconds)."
    )
    rate_limit_anonymous: int = _setting(
        1200,
        "Requests per minute allowed to each client address without an API key, per worker "
        "(bursts up to this many); 0 disables.",
    )
    rate_limit_keyed: int = _setting(
        12000,
        "Requests per minute allowed to each API key, per worker, unless the key sets its own; "
        "0 disables.",
    )
    max_body_bytes: int = _setting(1_048_576, "Largest request body accepted (413 beyond).")
    coder_workers: int = _setting(
        1,
        "Threads per server worker that code POST /v1/code batches off the event loop.",
    )
    coder_queue: int = _setting(
        4,
        "Batches of POST /v1/code admitted beyond those being coded; more are refused with "
        "503 and Retry-After rather than queued without bound.",
    )
    max_query_length: int = _setting(4096, "Longest query string accepted (414 beyond).")
    max_header_count: int = _setting(100, "Most request headers accepted (431 beyond).")
    max_header_bytes: int = _setting(
        32_768, "Largest total size of a request's header names and values (431 beyond)."
    )
    forwarded_allow_ips: str = _setting(
        "",
        "Comma-separated addresses of reverse proxies (or `*` for any) whose X-Forwarded-For "
        "and X-Forwarded-Proto headers `lmi serve` believes. Empty (the default): no proxy is "
        "trusted and the client is the connection's address, so a client cannot choose the "
        "address its rate limits, admin sign-in lockouts, logs and usage are counted under. "
        "Behind nginx on the same host set `127.0.0.1` (see docs/deployment.md).",
    )
    metrics_dir: Path | None = _setting(
        None,
        "Folder where each worker publishes its request counts so /metrics covers all workers "
        "(`lmi serve --workers N` sets it to DATA_DIR/metrics).",
    )
    usage_flush_seconds: float = _setting(
        10.0, "How often each worker adds its usage counts to the store (seconds)."
    )
    admin_secret_file: Path | None = _setting(
        None,
        "File holding the key that signs the admin dashboard's session cookies. Unset: a random "
        "key is created once in DATA_DIR/admin-secret (mode 600); point every host serving "
        "/admin at the same file.",
    )
    admin_session_hours: float = _setting(
        8.0, "A dashboard sign-in lasts at most this long (hours), however active."
    )
    admin_idle_minutes: float = _setting(
        60.0, "A dashboard session unused for this long (minutes) is signed out."
    )
    admin_login_attempts: int = _setting(
        5,
        "Failed dashboard sign-ins in a row after which the account is locked for "
        "LMI_ADMIN_LOCKOUT_MINUTES; a client address is refused (429) after four times as many.",
    )
    admin_lockout_minutes: float = _setting(
        15.0, "How long a dashboard account (or client address) stays locked (minutes)."
    )
    admin_max_upload_bytes: int = _setting(
        67_108_864,
        "Largest source file the dashboard accepts for upload (bytes; 413 beyond). Uploads are "
        "stored as they are: never unpacked or executed.",
    )
    admin_staging_dir: Path | None = _setting(
        None,
        "Where dashboard uploads are staged for the next build, at their source paths "
        "(default DATA_DIR/staging).",
    )
    smtp_host: str | None = _setting(
        None,
        "When set (with LMI_SMTP_TO), every data operation's outcome is also e-mailed through "
        "this SMTP server.",
    )
    smtp_port: int = _setting(587, "Port of the SMTP server.")
    smtp_security: str = _setting(
        "starttls",
        "starttls (upgrade the connection, never falling back to plain text), ssl (TLS from "
        "the start, usually port 465) or none (only for a relay on the same host).",
    )
    smtp_user: str | None = _setting(None, "SMTP user name, when the server needs a login.")
    smtp_password_file: Path | None = _setting(
        None, "File holding the SMTP password (kept out of the environment and `lmi settings`)."
    )
    smtp_from: str | None = _setting(
        None, "Sender address of notification e-mails (default lmi@ this host's name)."
    )
    smtp_to: str | None = _setting(
        None, "Comma-separated addresses that receive notification e-mails."
    )
    smtp_failures_only: bool = _setting(
        False, "E-mail only failed, refused or died runs (the log and webhook get every outcome)."
    )

    vacancies_adzuna_app_id: str | None = _setting(
        None, "Adzuna application id (with LMI_VACANCIES_ADZUNA_KEY_FILE enables the adzuna feed)."
    )
    vacancies_adzuna_key_file: Path | None = _setting(
        None, "File holding the Adzuna application key (never logged or shown)."
    )
    vacancies_adzuna_url: str = _setting(
        "https://api.adzuna.com/v1/api/jobs/gb/search",
        "Adzuna search endpoint (Great Britain); the page number is appended.",
    )
    vacancies_adzuna_what: str | None = _setting(
        None, "Optional Adzuna `what` keywords restricting the adverts pulled."
    )
    vacancies_reed_key_file: Path | None = _setting(
        None, "File holding the Reed jobseeker API key: set, it enables the reed feed."
    )
    vacancies_reed_url: str = _setting(
        "https://www.reed.co.uk/api/1.0/search", "Reed jobseeker API search endpoint."
    )
    vacancies_reed_keywords: str | None = _setting(
        None, "Optional Reed `keywords` restricting the adverts pulled."
    )
    vacancies_jobposting_urls_file: Path | None = _setting(
        None,
        "File of web page URLs (one a line) carrying schema.org JobPosting JSON-LD: set, it "
        "enables the jobposting feed.",
    )
    vacancies_jobposting_sitemap: str | None = _setting(
        None, "Sitemap URL listing JobPosting pages (instead of the URLs file)."
    )
    vacancies_files: str | None = _setting(
        None,
        "Comma-separated CSV / JSON Lines advert files or folders (layout in "
        "docs/vacancies.md): set, it enables the files feed.",
    )
    vacancies_max_pages: int = _setting(
        20, "Pages (or JobPosting web pages) read per feed per pull at most."
    )
    vacancies_requests_per_second: float = _setting(
        2.0, "Requests per second to each feed at most (429 Retry-After is honoured too)."
    )
    vacancies_unseen_days: int = _setting(
        30,
        "An advert without a closing date that a complete pull of its feed has not seen for "
        "this many days expires.",
    )
    vacancies_retention_days: int = _setting(
        180, "Expired adverts last seen longer ago than this (days) are deleted."
    )
    vacancies_min_count: int = _setting(
        3,
        "Advert counts below this (1 or more) are withheld (null, `suppressed`) in weekly "
        "counts and trends and in 'N live adverts': a small count can point at one employer.",
    )
    vacancies_refresh_seconds: float = _setting(
        30.0, "How often each worker re-reads live adverts for /v1/vacancies (seconds)."
    )

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'lmi.sqlite').resolve()}"

    @property
    def effective_workers(self) -> int:
        """``workers``, with 0 meaning one per CPU core this process may run on."""
        if self.workers < 0:
            raise ConfigurationError(
                f"LMI_WORKERS must be 0 (one per core) or more, not {self.workers}"
            )
        if self.workers:
            return self.workers
        if hasattr(os, "sched_getaffinity"):
            return len(os.sched_getaffinity(0))
        return os.cpu_count() or 1

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``LMI_*`` variables; keyword overrides win (used by the CLI)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"LMI_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _cast(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        if settings.source_dir is None and "source_dir" not in values:
            settings = replace(settings, source_dir=default_source_dir())
        return settings

    @classmethod
    def markdown(cls) -> str:
        """docs/settings.md, generated from the fields (a test keeps the file current)."""
        lines = [
            "# Settings",
            "",
            "Generated by `lmi settings --markdown`. lmi reads its settings once at startup from",
            "`LMI_`-prefixed environment variables (command-line options such as",
            "`lmi serve --port` override them). Nothing is read at import time.",
            "",
            "| variable | default | meaning |",
            "|---|---|---|",
        ]
        for f in fields(cls):
            default = "—" if f.default is None else f.default
            lines.append(f"| `LMI_{f.name.upper()}` | `{default}` | {f.metadata['help']} |")
        lines += [
            "",
            "For tests only: `LMI_TEST_POSTGRES_URL` (default "
            "`postgresql://postgres@127.0.0.1:5432/test`) is the PostgreSQL server the store "
            "tests use; they skip when it is unreachable, except under `CI=true`. "
            "`LMI_TEST_STORE=postgresql` runs the release-reading tests on PostgreSQL "
            "(`make test` does both).",
            "",
        ]
        return "\n".join(lines)

    @classmethod
    def documented(cls) -> dict[str, str]:
        """Environment variable name → help text, for docs and tests."""
        return {f"LMI_{f.name.upper()}": f.metadata["help"] for f in fields(cls)}


def _cast(name: str, type_name: Any, raw: str) -> Any:
    kind = str(type_name)
    try:
        if kind.startswith("Path"):
            return Path(raw)
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            lowered = raw.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
    except ValueError as exc:
        raise ConfigurationError(
            f"LMI_{name.upper()}={raw!r} is not a valid {kind.split(' ')[0]}"
        ) from exc
    return raw
