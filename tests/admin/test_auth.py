"""Dashboard users: scrypt passwords, lockout, sessions, cookie signatures, address throttling."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmi.admin import auth
from lmi.errors import ConfigurationError, InvalidQuery, NotFound
from lmi.store import Database
from lmi.store.schema import admin_sessions

PASSWORD = "correct horse battery"


def test_password_hash_is_salted_scrypt_and_verifies() -> None:
    first, second = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    scheme, n, r, p, salt, digest = first.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", auth.SCRYPT_N, auth.SCRYPT_R, 1)
    assert first != second and salt != second.split("$")[4]  # a fresh salt per hash
    assert PASSWORD not in first
    assert auth.verify_password(PASSWORD, first) and auth.verify_password(PASSWORD, second)
    assert not auth.verify_password(PASSWORD + "!", first)
    assert not auth.verify_password(PASSWORD, first.replace(digest, digest[::-1]))


@pytest.mark.parametrize("stored", ["", "plain", "md5$x$y", "scrypt$x$8$1$AA$AA", "scrypt$$$$$"])
def test_malformed_stored_hashes_never_verify(stored: str) -> None:
    assert not auth.verify_password(PASSWORD, stored)


@settings(max_examples=25, deadline=None)
@given(password=st.text(min_size=1, max_size=40), other=st.text(min_size=1, max_size=40))
def test_only_the_same_password_verifies(password: str, other: str) -> None:
    stored = auth.hash_password(password, n=16, r=1, p=1)  # cheap cost: the property is the same
    assert auth.verify_password(password, stored)
    assert auth.verify_password(other, stored) == (other == password)


def test_signed_values_reject_tampering() -> None:
    signer = auth.Signer(b"k" * 32)
    signed = signer.sign("token-123")
    assert signer.unsign(signed) == "token-123"
    assert signer.unsign(signed[:-1] + ("A" if signed[-1] != "A" else "B")) is None
    assert signer.unsign("token-124" + signed[len("token-123") :]) is None
    assert auth.Signer(b"x" * 32).unsign(signed) is None  # another key
    assert signer.unsign("no-signature") is None
    with pytest.raises(ConfigurationError):
        auth.Signer(b"short")


def test_secret_file_is_created_private_once(tmp_path: Path) -> None:
    path = tmp_path / "admin-secret"
    key = auth.load_secret(path)
    assert len(key) >= 32 and auth.load_secret(path) == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_user_rules(database: Database) -> None:
    auth.create_user(database, "ada", PASSWORD, "admin")
    with pytest.raises(InvalidQuery, match="already exists"):
        auth.create_user(database, "ada", PASSWORD, "viewer")
    with pytest.raises(InvalidQuery, match="at least 10"):
        auth.create_user(database, "bob", "short", "viewer")
    with pytest.raises(InvalidQuery, match="user name"):
        auth.create_user(database, "bob smith", PASSWORD, "viewer")
    with pytest.raises(InvalidQuery, match="must not be the user name"):
        auth.create_user(database, "longusername", "LongUserName", "viewer")
    with pytest.raises(InvalidQuery, match="unknown role"):
        auth.create_user(database, "bob", PASSWORD, "root")
    with pytest.raises(NotFound):
        auth.set_role(database, "nobody", "admin")
    stored = database.execute("SELECT password_hash FROM admin_users").scalar()
    assert stored.startswith("scrypt$") and PASSWORD not in stored


def test_roles_are_ordered() -> None:
    viewer, loader, admin = (auth.User(1, "u", role, False) for role in auth.ROLES)
    assert viewer.can("viewer") and not viewer.can("loader") and not viewer.can("admin")
    assert loader.can("loader") and not loader.can("admin")
    assert admin.can("admin") and admin.can("viewer")
    assert not auth.User(1, "u", "admin", True).can("viewer")  # disabled


def _login(db: Database, password: str, attempts: int = 3) -> auth.User | None:
    return auth.authenticate(db, "ada", password, attempts=attempts, lockout_minutes=15)


def test_lockout_after_failures_even_for_the_right_password(database: Database) -> None:
    auth.create_user(database, "ada", PASSWORD, "admin")
    assert _login(database, "wrong one!") is None
    assert _login(database, PASSWORD) is not None  # a success resets the count
    for _ in range(3):
        assert _login(database, "wrong one!") is None
    assert _login(database, PASSWORD) is None  # locked
    locked = database.execute("SELECT locked_until FROM admin_users").scalar()
    assert datetime.fromisoformat(locked) > datetime.now(UTC) + timedelta(minutes=14)
    auth.set_password(database, "ada", "another good password")  # an admin resets it
    assert _login(database, "another good password") is not None


def test_disabled_and_unknown_users_cannot_sign_in(database: Database) -> None:
    auth.create_user(database, "ada", PASSWORD, "admin")
    assert auth.authenticate(database, "eve", PASSWORD, attempts=3, lockout_minutes=1) is None
    auth.set_disabled(database, "ada", True)
    assert _login(database, PASSWORD) is None
    auth.set_disabled(database, "ada", False)
    assert _login(database, PASSWORD) is not None


def test_sessions_end_on_expiry_idleness_password_change_and_disable(database: Database) -> None:
    auth.create_user(database, "ada", PASSWORD, "admin")
    user = _login(database, PASSWORD)
    assert user is not None
    token, session = auth.create_session(database, user, hours=8, address="127.0.0.1")
    stored = database.execute("SELECT token_hash FROM admin_sessions").scalar()
    assert stored == session.token_hash and token not in stored  # only the hash is kept
    found = auth.lookup_session(database, token, idle_minutes=60)
    assert found is not None and found.user.username == "ada" and found.csrf_token
    assert auth.lookup_session(database, token + "x", idle_minutes=60) is None

    long_ago = (datetime.now(UTC) - timedelta(minutes=61)).isoformat(timespec="seconds")
    with database.transaction() as tx:
        tx.connection.execute(admin_sessions.update().values(last_seen_at=long_ago))
    assert auth.lookup_session(database, token, idle_minutes=60) is None  # idle too long

    token, _ = auth.create_session(database, user, hours=-1, address=None)
    assert auth.lookup_session(database, token, idle_minutes=60) is None  # expired

    token, _ = auth.create_session(database, user, hours=8, address=None)
    auth.set_password(database, "ada", "another good password")
    assert auth.lookup_session(database, token, idle_minutes=60) is None

    token, _ = auth.create_session(database, user, hours=8, address=None)
    auth.set_disabled(database, "ada", True)
    assert auth.lookup_session(database, token, idle_minutes=60) is None


def test_address_throttle_counts_failures_in_a_window() -> None:
    throttle = auth.AddressThrottle(limit=3, window_seconds=60)
    for _ in range(2):
        throttle.failed("10.0.0.1")
    assert throttle.retry_after("10.0.0.1") == 0
    throttle.failed("10.0.0.1")
    assert 0 < throttle.retry_after("10.0.0.1") <= 61
    assert throttle.retry_after("10.0.0.2") == 0
    short = auth.AddressThrottle(limit=1, window_seconds=0.0)
    short.failed("10.0.0.1")
    assert short.retry_after("10.0.0.1") == 0  # the window has passed
