"""API keys: stored hashed, scoped, revocable; each worker keeps a copy refreshed by polling.

A key is ``lmi_`` plus 32 random URL-safe characters, shown once at creation. Only its SHA-256
is stored (keys are random, so a slow hash adds nothing). Clients send it as the
``X-API-Key`` header or the ``api_key`` query parameter.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from lmi.errors import NotFound, StoreError
from lmi.store.database import Database
from lmi.store.releases import utc_now
from lmi.store.schema import api_keys

__all__ = ["ApiKey", "KeyRing", "api_keys", "create_key", "hash_key", "list_keys", "revoke_key"]


@dataclass(frozen=True)
class ApiKey:
    id: int
    name: str
    prefix: str
    scopes: frozenset[str]
    rate_per_minute: int | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(
    db: Database, name: str, *, scopes: tuple[str, ...] = (), rate_per_minute: int | None = None
) -> tuple[int, str]:
    """Create a key; returns its id and the key itself (shown once, never stored)."""
    key = "lmi_" + secrets.token_urlsafe(24)
    with db.transaction() as tx:
        result = tx.connection.execute(
            api_keys.insert().returning(api_keys.c.id),
            {
                "name": name,
                "key_hash": hash_key(key),
                "prefix": key[:8],
                "scopes": " ".join(sorted(set(scopes))),
                "rate_per_minute": rate_per_minute,
                "created_at": utc_now(),
            },
        )
        return int(result.scalar_one()), key


def revoke_key(db: Database, key_id: int) -> None:
    with db.transaction() as tx:
        done = tx.connection.execute(
            api_keys.update()
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=utc_now())
        )
        if done.rowcount == 0:
            raise NotFound(f"no active API key with id {key_id}")


def list_keys(db: Database) -> list[dict[str, object]]:
    return db.execute(
        "SELECT id, name, prefix, scopes, rate_per_minute, created_at, revoked_at "
        "FROM api_keys ORDER BY id"
    ).dicts()


MAX_UNKNOWN = 10_000  # unknown key hashes remembered between refreshes


class KeyRing:
    """The active keys by hash, as last read from the store."""

    def __init__(self) -> None:
        self._by_hash: dict[str, ApiKey] = {}
        self._unknown: set[str] = set()

    def refresh(self, db: Database) -> None:
        rows = db.execute(
            "SELECT id, name, prefix, scopes, rate_per_minute, key_hash FROM api_keys "
            "WHERE revoked_at IS NULL"
        ).rows
        self._unknown = set()
        self._by_hash = {
            key_hash: ApiKey(id_, name, prefix, frozenset(scopes.split()), rate)
            for id_, name, prefix, scopes, rate, key_hash in rows
        }

    def lookup(self, key: str) -> ApiKey | None:
        return self._by_hash.get(hash_key(key))

    def load(self, db: Database, key: str) -> ApiKey | None:
        """A key :meth:`lookup` missed, read from the store: a key created after the last
        :meth:`refresh` works at once rather than seconds later. Unknown keys are remembered
        until the next refresh, so a client repeating a wrong key costs one read, not one per
        request."""
        key_hash = hash_key(key)
        if key_hash in self._unknown:
            return None
        try:
            rows = db.execute(
                "SELECT id, name, prefix, scopes, rate_per_minute FROM api_keys "
                "WHERE key_hash = :key_hash AND revoked_at IS NULL",
                {"key_hash": key_hash},
            ).rows
        except StoreError:  # the store is down: the copy from the last refresh is all there is
            return None
        if not rows:
            if len(self._unknown) < MAX_UNKNOWN:
                self._unknown.add(key_hash)
            return None
        id_, name, prefix, scopes, rate = rows[0]
        found = ApiKey(id_, name, prefix, frozenset(scopes.split()), rate)
        self._by_hash[key_hash] = found
        return found
