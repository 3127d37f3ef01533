"""Safety: SIGKILL the `lmi` command mid-load and mid-promotion; production stays intact.

The command runs in a real subprocess (a small driver calling the `lmi` CLI) whose loader or
promotion is made to pause at the dangerous moment and announce it; the test then kills it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.etl.ops import promote_release
from lmi.etl.runs import list_runs
from lmi.serve.served import ServedRelease
from lmi.store import Database, ReleaseStore
from tests.soc_fixtures import write_soc_sources

DRIVER = """
import sys, time
import lmi.store.releases as releases
from lmi.datasets import registry
from lmi.cli.main import cli

def pause(marker):
    print(marker, flush=True)
    time.sleep(120)

if sys.argv[1] == "load":
    ds = registry.dataset("soc2020")
    original = ds.load
    def load(ctx):
        original(ctx)  # rows written, transaction still open
        pause("MID-LOAD")
    object.__setattr__(ds, "load", load)
else:
    original_now = releases.utc_now
    def now():
        if sys._getframe(1).f_code.co_name == "promote":  # old production already archived
            pause("MID-PROMOTE")
        return original_now()
    releases.utc_now = now
cli(sys.argv[2:], prog_name="lmi")
"""


def _kill_at(tmp_path: Path, db: Database, mode: str, marker: str, *args: str) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    env = {**os.environ, "LMI_DATABASE_URL": db.url, "LMI_DATA_DIR": str(tmp_path / "var")}
    with (tmp_path / "stderr.txt").open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, str(driver), mode, *args],
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
            text=True,
            cwd=Path(__file__).parents[2],
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    assert line.strip() == marker, (tmp_path / "stderr.txt").read_text()


def _counts(db: Database, release_id: int) -> dict[str, int]:
    return {
        table: db.execute(
            f"SELECT count(*) FROM {table} WHERE release_id = :r", {"r": release_id}
        ).scalar()
        for table in ("soc_groups", "soc_index_entries")
    }


def _serves(db: Database, release_id: int) -> None:
    served = ServedRelease(db)
    assert served.refresh() and served.snapshot.release.id == release_id


def test_kill_mid_load_leaves_production_intact(tmp_path: Path, database: Database) -> None:
    source = write_soc_sources(tmp_path / "src")
    first = build_release(database, source, [SOC2010, SOC2020])
    before = _counts(database, first.release_id)
    _kill_at(tmp_path, database, "load", "MID-LOAD", "data", "build", "--source", str(source))
    store = ReleaseStore(database)
    assert store.production_id() == first.release_id
    assert _counts(database, first.release_id) == before
    killed = store.all_releases()[0]
    assert killed.status == "building"
    soc2020_rows = database.execute(
        "SELECT count(*) FROM soc_groups WHERE release_id = :r AND soc_version = 'soc2020'",
        {"r": killed.id},
    ).scalar()
    assert soc2020_rows == 0  # the open transaction died with the process
    _serves(database, first.release_id)
    # the next build recovers the lock, fails the killed build and removes its rows
    again = build_release(database, source, [SOC2010, SOC2020])
    assert again.promoted
    assert store.get(killed.id).status == "failed"  # type: ignore[union-attr]
    assert _counts(database, killed.id) == {"soc_groups": 0, "soc_index_entries": 0}
    assert "died" in [r["status"] for r in list_runs(database)]


def test_kill_mid_promotion_promotes_nothing(tmp_path: Path, database: Database) -> None:
    source = write_soc_sources(tmp_path / "src")
    first = build_release(database, source, [SOC2010, SOC2020])
    second = build_release(database, source, [SOC2010, SOC2020], promote=False)
    _kill_at(
        tmp_path, database, "promote", "MID-PROMOTE", "data", "promote", str(second.release_id)
    )
    store = ReleaseStore(database)
    assert store.production_id() == first.release_id
    statuses = {r.id: r.status for r in store.all_releases()}
    assert statuses == {first.release_id: "production", second.release_id: "test"}
    _serves(database, first.release_id)
    assert promote_release(database, second.release_id, by="tester").status == "production"
    assert list_runs(database)[1]["status"] == "died"
