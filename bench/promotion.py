"""Promotion and switch time on a real release, on SQLite and PostgreSQL.

For each store: copy the real production release P into a scratch store, make a second release
T from it (``INSERT … SELECT``, as `lmi data build --only` does), back both up as builds do, start
`lmi serve --workers 2` on the scratch store, then

- **promotion**: `promote_release(T)` as `lmi data promote` runs it (lock, run log, backup check,
  the switch transaction), against the baseline measured in the same run: what promotion did
  before (a full backup of production, then the switch);
- **switch**: from the promotion's commit until 40 answers of `/v1/release` in a row (new
  connections, so both workers answer) say T; then the same for a rollback to P.

    python bench/promotion.py [--source-db var/lmi.sqlite] [--postgres URL] [--poll 2]
                              [--settle 60] [--no-sqlite | --no-postgres]

``--settle`` is how long the bench waits after the server is ready before promoting, so both
workers have loaded the next release in the background (a real release takes about 6 s to load
from SQLite and 25 s from PostgreSQL on a busy 2-core machine; two workers load in parallel).
A promotion before that still switches as soon as the preparation in progress completes.

Targets (issue 22): promotion ≤ 3 s; every worker serving the new release within
2 × LMI_RELEASE_POLL_SECONDS.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from lmi.datasets import registry
from lmi.etl.backup import backup_release, default_backup_name, restore_release
from lmi.etl.ops import promote_release, rollback_release
from lmi.etl.reuse import copy_datasets
from lmi.etl.runs import OpsConfig
from lmi.store import Database, ReleaseStore, migrate

IN_A_ROW = 40


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def served_id(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/release", timeout=5) as answer:
            return int(json.loads(answer.read())["data"]["id"])
    except OSError:
        return None


def wait_until_serving(port: int, release: int, since: float, limit: float = 120) -> float:
    """Seconds from ``since`` until IN_A_ROW answers in a row name ``release``."""
    streak = 0
    first_seen: float | None = None
    while time.perf_counter() - since < limit:
        if served_id(port) == release:
            streak += 1
            first_seen = first_seen or time.perf_counter()
            if streak >= IN_A_ROW:
                return first_seen - since
        else:
            streak, first_seen = 0, None
        time.sleep(0.01)
    raise SystemExit(f"release {release} not served within {limit:.0f} s")


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite store (WAL included)."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def second_release(db: Database, production: int) -> int:
    store = ReleaseStore(db)
    release = store.create("bench: copy of the production release")
    copy_datasets(db, registry.DATASETS, production, release)
    store.finish(release, ok=True, report_json="{}")
    return release


def bench_store(
    name: str, url: str, env: dict[str, str], work: Path, poll: float, settle: float
) -> None:
    db = Database(url)
    store = ReleaseStore(db)
    production = store.production_id()
    assert production is not None
    rows = sum(store.table_counts(production).values())
    made, candidate = timed(lambda: second_release(db, production))
    ops = OpsConfig(backup_dir=work / "backups", backup_keep=4)
    backup_dir = ops.backup_dir
    assert backup_dir is not None
    build_time = 0.0
    for release in (production, candidate):  # as `lmi data build` now does after each build
        seconds, _ = timed(
            lambda r=release: backup_release(db, r, backup_dir / default_backup_name(r))
        )
        build_time += seconds
    print(
        f"\n== {name}: release {production} ({rows:,} rows); test copy {candidate} in {made:.1f} s"
    )
    print(f"   build-time backups of both releases: {build_time:.1f} s (paid by the builds)")

    port = free_port()
    server_env = {**os.environ, **env, "LMI_RELEASE_POLL_SECONDS": str(poll)}
    cmd = [sys.executable, "-m", "lmi", "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(
        cmd, env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        started = time.perf_counter()
        wait_until_serving(port, production, started, limit=180)
        print(f"   server ready in {time.perf_counter() - started:.1f} s; settling {settle:.0f} s")
        time.sleep(settle)

        promoted_at = time.perf_counter()
        promote_s, _ = timed(lambda: promote_release(db, candidate, by="bench", ops=ops))
        committed = time.perf_counter()
        switch_s = wait_until_serving(port, candidate, committed)
        print(f"   promotion (lmi data promote): {promote_s:.2f} s   target ≤ 3 s")
        total = committed - promoted_at + switch_s
        print(
            f"   switch after commit: {switch_s:.2f} s ({IN_A_ROW} answers in a row)   "
            f"target ≤ {2 * poll:.0f} s; promotion to serving {total:.2f} s"
        )
        time.sleep(settle)  # the rollback target is prepared
        rollback_s, _ = timed(lambda: rollback_release(db, by="bench", ops=ops))
        rolled = time.perf_counter()
        back_s = wait_until_serving(port, production, rolled)
        print(f"   rollback: {rollback_s:.2f} s; switch after commit: {back_s:.2f} s")
    finally:
        server.terminate()
        server.wait(timeout=30)

    # the baseline, measured now: what promotion did before (full backup, then the switch)
    def old_promotion() -> None:
        backup_release(db, production, work / "baseline.jsonl.gz")
        store.promote(candidate, by="bench baseline")

    baseline_s, _ = timed(old_promotion)
    print(
        f"   baseline (backup then switch, as before): {baseline_s:.2f} s; "
        f"promotion now {promote_s:.2f} s = {promote_s / baseline_s:.1%} of it"
    )
    db.close()


def postgres_copy(url: str, backup: Path) -> tuple[str, str]:
    """A scratch schema holding the real release (restored from its backup) in production."""
    schema = f"bench_promotion_{secrets.token_hex(4)}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    scoped = f"{url}{sep}options=-csearch_path%3D{schema}"
    db = Database(scoped)
    migrate(db)
    seconds, release = timed(lambda: restore_release(db, backup))
    ReleaseStore(db).promote(release, by="bench setup")
    print(f"\n(PostgreSQL setup: real release restored into schema {schema} in {seconds:.0f} s)")
    db.close()
    return scoped, schema


def drop_schema(url: str, schema: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    data_dir = Path(os.environ.get("LMI_DATA_DIR", "var"))
    parser.add_argument("--source-db", type=Path, default=data_dir / "lmi.sqlite")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--poll", type=float, default=2.0)
    parser.add_argument("--settle", type=float, default=60.0)
    args = parser.parse_args()
    if not args.source_db.is_file():
        raise SystemExit(f"{args.source_db}: no SQLite store with a real release (--source-db)")
    work = Path(tempfile.mkdtemp(prefix="lmi-bench-promotion-"))
    try:
        sqlite_dir = work / "sqlite"
        sqlite_dir.mkdir()
        copy_sqlite(args.source_db, sqlite_dir / "lmi.sqlite")
        url = f"sqlite:///{sqlite_dir / 'lmi.sqlite'}"
        migrate(Database(url))
        env = {"LMI_DATA_DIR": str(sqlite_dir), "LMI_DEMO_WHEN_NO_SOURCE": "false"}
        if args.no_sqlite:
            production = ReleaseStore(Database(url)).production_id()
            assert production is not None
            backup = sqlite_dir / "backups" / default_backup_name(production)
            backup_release(Database(url), production, backup)
        else:
            bench_store("SQLite", url, env, sqlite_dir, args.poll, args.settle)
            backup = next((sqlite_dir / "backups").glob("lmi-release-*.jsonl.gz"))
        if not args.no_postgres:
            pg_dir = work / "postgres"
            pg_dir.mkdir()
            scoped, schema = postgres_copy(args.postgres, backup)
            try:
                env = {
                    "LMI_DATA_DIR": str(pg_dir),
                    "LMI_DATABASE_URL": scoped,
                    "LMI_DEMO_WHEN_NO_SOURCE": "false",
                }
                bench_store("PostgreSQL", scoped, env, pg_dir, args.poll, args.settle)
            finally:
                drop_schema(args.postgres, schema)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
