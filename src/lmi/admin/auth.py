"""Dashboard users, passwords, sessions and sign-in throttling.

Passwords are hashed with scrypt (:func:`hashlib.scrypt`, a random 16-byte salt per user) and
compared in constant time. A session is a random token: the cookie carries it with an HMAC
signature (:class:`Signer`), the store keeps only its SHA-256, with the session's CSRF token,
expiry and last use. Failed sign-ins lock the account after ``attempts`` in a row; a client
address is throttled in memory as well (:class:`AddressThrottle`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from lmi.errors import ConfigurationError, InvalidQuery, NotFound
from lmi.store.database import Database
from lmi.store.releases import utc_now
from lmi.store.schema import admin_events, admin_sessions, admin_users

__all__ = [
    "ROLES",
    "AddressThrottle",
    "Session",
    "Signer",
    "User",
    "authenticate",
    "check_password_rules",
    "create_session",
    "create_user",
    "end_session",
    "get_user",
    "hash_password",
    "list_users",
    "load_secret",
    "lookup_session",
    "record_event",
    "set_disabled",
    "set_password",
    "set_role",
    "verify_password",
]

#: roles, least to most powerful: each can do everything the ones before it can
ROLES = ("viewer", "loader", "admin")
ROLE_HELP = {
    "viewer": "sees releases, runs, diffs, reports and usage",
    "loader": "also uploads files, validates them and builds test releases",
    "admin": "also promotes and rolls back releases",
}
MIN_PASSWORD = 10
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")

# scrypt cost: 2**15 × 8 × 128 bytes = 32 MiB and ~0.1 s per hash on one core
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_MAXMEM = 64 * 1024 * 1024


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """``scrypt$n$r$p$salt$hash`` with a fresh random salt."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode(),
            salt=_unb64(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=_MAXMEM,
            dklen=len(_unb64(expected)),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, _unb64(expected))


@functools.cache
def _dummy_hash() -> str:
    """Checked when the user does not exist, so timing does not tell who exists."""
    return hash_password(secrets.token_urlsafe(16))


def check_password_rules(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidQuery(f"a password needs at least {MIN_PASSWORD} characters")
    if password.strip().lower() == username.strip().lower():
        raise InvalidQuery("the password must not be the user name")


# -- users -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    disabled: bool

    def can(self, role: str) -> bool:
        """True when this user's role includes ``role``."""
        return not self.disabled and ROLES.index(self.role) >= ROLES.index(role)


_USER_COLUMNS = (
    "id, username, role, created_at, password_changed_at, disabled_at, failed_logins, "
    "locked_until, last_login_at"
)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidQuery(f"unknown role {role!r}: one of {', '.join(ROLES)}")


def create_user(db: Database, username: str, password: str, role: str) -> int:
    if not USERNAME.fullmatch(username):
        raise InvalidQuery(
            "a user name is 1–100 letters, digits and . _ @ -, starting with a letter or digit"
        )
    _check_role(role)
    check_password_rules(username, password)
    now = utc_now()
    try:
        with db.transaction() as tx:
            result = tx.connection.execute(
                admin_users.insert().returning(admin_users.c.id),
                {
                    "username": username,
                    "role": role,
                    "password_hash": hash_password(password),
                    "created_at": now,
                    "password_changed_at": now,
                    "failed_logins": 0,
                },
            )
            return int(result.scalar_one())
    except sa.exc.IntegrityError as exc:
        raise InvalidQuery(f"user {username!r} already exists") from exc


def _user_id(db: Database, username: str) -> int:
    found = db.execute("SELECT id FROM admin_users WHERE username = :u", {"u": username}).scalar()
    if found is None:
        raise NotFound(f"no dashboard user {username!r} (see `lmi admin list-users`)")
    return int(found)


def set_password(db: Database, username: str, password: str) -> None:
    """New password; unlocks the account and signs out its sessions."""
    check_password_rules(username, password)
    user_id = _user_id(db, username)
    with db.transaction() as tx:
        tx.connection.execute(
            admin_users.update()
            .where(admin_users.c.id == user_id)
            .values(
                password_hash=hash_password(password),
                password_changed_at=utc_now(),
                failed_logins=0,
                locked_until=None,
            )
        )
        tx.connection.execute(admin_sessions.delete().where(admin_sessions.c.user_id == user_id))


def set_role(db: Database, username: str, role: str) -> None:
    _check_role(role)
    user_id = _user_id(db, username)
    with db.transaction() as tx:
        tx.connection.execute(
            admin_users.update().where(admin_users.c.id == user_id).values(role=role)
        )


def set_disabled(db: Database, username: str, disabled: bool) -> None:
    """Disable (signing out every session) or re-enable a user."""
    user_id = _user_id(db, username)
    with db.transaction() as tx:
        tx.connection.execute(
            admin_users.update()
            .where(admin_users.c.id == user_id)
            .values(disabled_at=utc_now() if disabled else None, failed_logins=0, locked_until=None)
        )
        if disabled:
            tx.connection.execute(
                admin_sessions.delete().where(admin_sessions.c.user_id == user_id)
            )


def list_users(db: Database) -> list[dict[str, object]]:
    return db.execute(f"SELECT {_USER_COLUMNS} FROM admin_users ORDER BY username").dicts()


def get_user(db: Database, user_id: int) -> User | None:
    row = db.execute(
        "SELECT id, username, role, disabled_at FROM admin_users WHERE id = :id", {"id": user_id}
    ).first()
    return User(row[0], row[1], row[2], row[3] is not None) if row else None


def _later(minutes: float) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat(timespec="seconds")


def _passed(stamp: str | None) -> bool:
    return stamp is None or datetime.fromisoformat(stamp) <= datetime.now(UTC)


def authenticate(
    db: Database, username: str, password: str, *, attempts: int, lockout_minutes: float
) -> User | None:
    """The user when the password is right and the account usable; None otherwise.

    ``attempts`` failures in a row lock the account for ``lockout_minutes``: while locked even
    the right password is refused. The caller shows one message for every refusal.
    """
    row = db.execute(
        "SELECT id, username, role, password_hash, disabled_at, failed_logins, locked_until "
        "FROM admin_users WHERE username = :u",
        {"u": username[:100]},
    ).first()
    if row is None:
        verify_password(password, _dummy_hash())  # same work as for a real user
        return None
    user_id, name, role, stored, disabled_at, failures, locked_until = row
    right = verify_password(password, stored)
    if disabled_at is not None or not _passed(locked_until):
        return None
    with db.transaction() as tx:
        if right:
            tx.connection.execute(
                admin_users.update()
                .where(admin_users.c.id == user_id)
                .values(failed_logins=0, locked_until=None, last_login_at=utc_now())
            )
        else:
            failed = int(failures or 0) + 1
            lock = _later(lockout_minutes) if failed >= attempts else None
            tx.connection.execute(
                admin_users.update()
                .where(admin_users.c.id == user_id)
                .values(failed_logins=0 if lock else failed, locked_until=lock)
            )
    return User(int(user_id), str(name), str(role), False) if right else None


# -- sessions ----------------------------------------------------------------------------------


class Signer:
    """HMAC-SHA256 signatures of cookie values with the dashboard's secret key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ConfigurationError("the dashboard's secret key needs at least 32 bytes")
        self._key = key

    def sign(self, value: str) -> str:
        mac = hmac.new(self._key, value.encode(), hashlib.sha256).digest()
        return f"{value}.{_b64(mac)}"

    def unsign(self, signed: str) -> str | None:
        value, _, mac = signed.rpartition(".")
        if not value or not mac:
            return None
        expected = _b64(hmac.new(self._key, value.encode(), hashlib.sha256).digest())
        return value if hmac.compare_digest(expected, mac) else None


def load_secret(path: Path) -> bytes:
    """The key in ``path``, created (random, mode 600) on first use by whichever worker is first."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise ConfigurationError(f"cannot create the dashboard key {path}: {exc.strerror}") from exc
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    for _ in range(50):  # another worker may be writing it this instant
        try:
            text = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigurationError(
                f"cannot read the dashboard key {path}: {exc.strerror}"
            ) from exc
        if text:
            return text.encode()
        time.sleep(0.01)
    raise ConfigurationError(f"the dashboard key file {path} is empty")


@dataclass(frozen=True)
class Session:
    token_hash: str
    user: User
    csrf_token: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(
    db: Database, user: User, *, hours: float, address: str | None
) -> tuple[str, Session]:
    """A new session for ``user``: (the token for the cookie, the session)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utc_now()
    with db.transaction() as tx:
        tx.connection.execute(
            admin_sessions.insert(),
            {
                "token_hash": _token_hash(token),
                "user_id": user.id,
                "csrf_token": csrf,
                "created_at": now,
                "expires_at": _later(hours * 60),
                "last_seen_at": now,
                "address": (address or "")[:100],
            },
        )
        # sessions that ended long ago are of no use to anyone
        tx.connection.execute(admin_sessions.delete().where(admin_sessions.c.expires_at < now))
    return token, Session(_token_hash(token), user, csrf)


def lookup_session(db: Database, token: str, *, idle_minutes: float) -> Session | None:
    """The live session of ``token``: not expired, not idle too long, user enabled."""
    row = db.execute(
        "SELECT s.token_hash, s.csrf_token, s.expires_at, s.last_seen_at, u.id, u.username, "
        "u.role, u.disabled_at FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id "
        "WHERE s.token_hash = :h",
        {"h": _token_hash(token)},
    ).first()
    if row is None:
        return None
    token_hash, csrf, expires_at, last_seen, user_id, username, role, disabled_at = row
    now = datetime.now(UTC)
    idle = now - datetime.fromisoformat(last_seen)
    if disabled_at is not None or _passed(expires_at) or idle > timedelta(minutes=idle_minutes):
        end_session(db, token_hash)
        return None
    if idle > timedelta(seconds=30):  # keep writes rare: polling pages ask every few seconds
        with db.transaction() as tx:
            tx.connection.execute(
                admin_sessions.update()
                .where(admin_sessions.c.token_hash == token_hash)
                .values(last_seen_at=utc_now())
            )
    return Session(token_hash, User(int(user_id), username, role, False), csrf)


def end_session(db: Database, token_hash: str) -> None:
    with db.transaction() as tx:
        tx.connection.execute(
            admin_sessions.delete().where(admin_sessions.c.token_hash == token_hash)
        )


# -- audit and throttling ----------------------------------------------------------------------


def record_event(
    db: Database, username: str, action: str, detail: str = "", address: str | None = None
) -> None:
    with db.transaction() as tx:
        tx.connection.execute(
            admin_events.insert(),
            {
                "at": utc_now(),
                "username": username[:100],
                "action": action[:40],
                "detail": detail[:2000],
                "address": (address or "")[:100],
            },
        )


class AddressThrottle:
    """Failed sign-ins per client address in a sliding window (per worker, in memory)."""

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float]:
        found = self._failures.setdefault(address, deque())
        while found and found[0] <= now - self.window:
            found.popleft()
        return found

    def retry_after(self, address: str) -> int:
        """Seconds until ``address`` may try again (0: now)."""
        with self._lock:
            now = time.monotonic()
            found = self._recent(address, now)
            if len(found) < self.limit:
                return 0
            return max(1, int(found[0] + self.window - now) + 1)

    def failed(self, address: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(address, now).append(now)
            if len(self._failures) > 10_000:  # forget addresses that stopped trying
                for key in [k for k, v in self._failures.items() if not v]:
                    del self._failures[key]
