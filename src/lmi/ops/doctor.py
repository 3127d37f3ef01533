"""``lmi doctor``: is this installation healthy? Each check returns a finding, never raises.

Checks: the database answers and its schema is current; a release is in production and has
rows; the data directory has disk space; and, for a URL, that the server answers ``/readyz``
and — for https — that its TLS certificate is valid, trusted and not close to expiry (LMI for
All lost half a day twice to expired certificates its monitor did not check).
"""

from __future__ import annotations

import shutil
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from lmi.errors import StoreError
from lmi.store.database import Database
from lmi.store.migrations import MIGRATION_NAMES, applied_versions
from lmi.store.releases import ReleaseStore

__all__ = [
    "Finding",
    "check_certificate",
    "check_database",
    "check_disk",
    "check_release",
    "check_url",
]

Level = Literal["ok", "warning", "error"]
CERT_WARNING_DAYS = 21
DISK_WARNING_BYTES = 1 << 30
DISK_ERROR_BYTES = 100 << 20


@dataclass(frozen=True)
class Finding:
    check: str
    level: Level
    message: str


def check_database(db: Database) -> Finding:
    if not db.ping():
        return Finding("database", "error", f"cannot reach {db.engine.url.render_as_string()}")
    try:
        missing = sorted(set(MIGRATION_NAMES) - applied_versions(db))
    except StoreError as exc:
        return Finding("database", "error", str(exc))
    if missing:
        return Finding("database", "error", f"schema migrations not applied: {missing}")
    return Finding("database", "ok", f"{db.backend} reachable, schema current")


def check_release(db: Database) -> Finding:
    try:
        store = ReleaseStore(db)
        release = store.production()
    except StoreError as exc:
        return Finding("release", "error", str(exc))
    if release is None:
        return Finding("release", "error", "no release in production: run `lmi data build`")
    rows = sum(store.table_counts(release.id).values())
    if rows == 0:
        return Finding("release", "error", f"release {release.id} is in production but empty")
    kind = " (SYNTHETIC demo data)" if release.kind == "synthetic" else ""
    level: Level = "warning" if release.kind == "synthetic" else "ok"
    return Finding(
        "release",
        level,
        f"release {release.id}{kind} in production since {release.promoted_at}: {rows:,} rows",
    )


def check_disk(folder: Path) -> Finding:
    folder.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(folder).free
    text = f"{free / (1 << 30):.1f} GiB free in {folder}"
    if free < DISK_ERROR_BYTES:
        return Finding("disk", "error", text)
    return Finding("disk", "warning" if free < DISK_WARNING_BYTES else "ok", text)


def check_url(url: str, *, timeout: float = 5.0, cafile: str | None = None) -> Finding:
    """The server at ``url`` answers ``/readyz`` with 200."""
    target = url.rstrip("/") + "/readyz"
    context = ssl.create_default_context(cafile=cafile) if url.startswith("https") else None
    try:
        with urllib.request.urlopen(target, timeout=timeout, context=context) as response:
            return Finding("server", "ok", f"{target} answered {response.status}")
    except urllib.error.HTTPError as exc:
        return Finding("server", "error", f"{target} answered {exc.code}")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Finding("server", "error", f"{target} unreachable: {reason}")


def check_certificate(
    url: str, *, timeout: float = 5.0, cafile: str | None = None, now: float | None = None
) -> Finding:
    """The TLS certificate of an https URL: trusted, valid for the host, days to expiry."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return Finding("certificate", "warning", f"{url} is not https: no certificate to check")
    host, port = parts.hostname, parts.port or 443
    context = ssl.create_default_context(cafile=cafile)
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            cert = tls.getpeercert()
    except ssl.SSLCertVerificationError as exc:
        return Finding("certificate", "error", f"{host}:{port}: {exc.verify_message}")
    except (ssl.SSLError, OSError) as exc:
        return Finding("certificate", "error", f"{host}:{port}: TLS failed: {exc}")
    assert cert is not None
    expires = ssl.cert_time_to_seconds(str(cert["notAfter"]))
    days = (expires - (now if now is not None else time.time())) / 86400
    text = f"{host}:{port} certificate valid, expires {cert['notAfter']} ({days:.0f} days)"
    return Finding("certificate", "warning" if days < CERT_WARNING_DAYS else "ok", text)
