"""The data lock and the run log: concurrent runs refused, stale locks recovered."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.errors import Locked
from lmi.etl import build_release
from lmi.etl.lock import DataLock, pid_alive
from lmi.etl.notify import Notifier
from lmi.etl.ops import promote_release
from lmi.etl.runs import OpsConfig, list_runs, tracked_run
from lmi.store import Database, ReleaseStore
from lmi.store.schema import locks
from tests.soc_fixtures import write_soc_sources


@pytest.fixture
def other_process() -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    proc.kill()
    proc.wait()


def _held_by(
    db: Database, pid: int, host: str | None = None, beat: str = "2020-01-01T00:00:00+00:00"
) -> None:
    with db.transaction() as tx:
        tx.connection.execute(
            locks.insert(),
            {
                "name": "data",
                "run_id": None,
                "holder": "build by someone",
                "host": host or socket.gethostname(),
                "pid": pid,
                "acquired_at": beat,
                "heartbeat_at": beat,
            },
        )


def test_a_live_holder_refuses_builds_and_promotions(
    tmp_path: Path, database: Database, other_process: subprocess.Popen[bytes]
) -> None:
    source = write_soc_sources(tmp_path)
    built = build_release(database, source, [SOC2010, SOC2020], promote=False)
    _held_by(database, other_process.pid)
    with pytest.raises(Locked, match=f"pid {other_process.pid}"):
        build_release(database, source, [SOC2010, SOC2020])
    with pytest.raises(Locked, match="another data operation is running"):
        promote_release(database, built.release_id, by="tester")
    assert ReleaseStore(database).production_id() is None
    statuses = [r["status"] for r in list_runs(database)]
    assert statuses[:2] == ["refused", "refused"] and statuses[2] == "succeeded"


def test_lock_of_a_dead_process_is_recovered(tmp_path: Path, database: Database) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    assert not pid_alive(dead.pid)
    with tracked_run(database, "build", by="a") as first:
        first_id = first.id
    # simulate a run killed while holding the lock
    with database.transaction() as tx:
        tx.execute("UPDATE lmi_runs SET status = 'running' WHERE id = :i", {"i": first_id})
    _held_by(database, dead.pid)
    with database.transaction() as tx:
        tx.execute("UPDATE lmi_locks SET run_id = :i", {"i": first_id})
    report = build_release(database, write_soc_sources(tmp_path), [SOC2010, SOC2020])
    assert report.promoted
    runs = {r["id"]: r for r in list_runs(database)}
    assert (
        runs[first_id]["status"] == "died" and "stale lock recovered" in runs[first_id]["message"]
    )
    assert DataLock(database, holder="x").current() is None  # released after the build


def test_lock_from_another_host_is_stale_after_its_heartbeat_ages(database: Database) -> None:
    _held_by(database, 1, host="elsewhere", beat="2999-01-01T00:00:00+00:00")
    with pytest.raises(Locked):
        DataLock(database, holder="me").acquire()
    with database.transaction() as tx:
        tx.execute("UPDATE lmi_locks SET heartbeat_at = '2020-01-01T00:00:00+00:00'")
    lock = DataLock(database, holder="me", stale_seconds=60)
    lock.acquire()
    assert lock.recovered is not None and lock.recovered.host == "elsewhere"
    lock.release()


def test_failed_run_is_logged_with_its_error_and_notified(database: Database) -> None:
    sent: list[dict[str, object]] = []

    class Recording(Notifier):
        def notify(self, event: dict[str, object]) -> bool:  # type: ignore[override]
            sent.append(event)
            return True

    with (
        pytest.raises(RuntimeError),
        tracked_run(database, "backup", by="me", ops=OpsConfig(notifier=Recording())) as run,
    ):
        run.progress("halfway")
        raise RuntimeError("disk full")
    row = list_runs(database)[0]
    assert row["status"] == "failed" and row["progress"] == "halfway"
    assert row["message"] == "RuntimeError: disk full" and row["seconds"] is not None
    assert sent[0]["status"] == "failed" and sent[0]["kind"] == "backup"


def test_webhook_receives_json(tmp_path: Path) -> None:
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    received: list[dict[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/hook"
    assert Notifier(url).notify({"run_id": 1, "kind": "build", "status": "succeeded"})
    thread.join(5)
    server.server_close()
    assert received == [{"source": "lmi", "run_id": 1, "kind": "build", "status": "succeeded"}]
    assert not Notifier("http://127.0.0.1:9/unreachable", timeout=1).notify({"status": "failed"})
