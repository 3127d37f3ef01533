"""`lmi serve --workers 2`: the release read once, then forked workers that answer and stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import orjson

from lmi.serve import served
from lmi.serve.snapshot import load_snapshot
from lmi.store import Database, migrate
from lmi.synth.demo import CLASSIFICATIONS, build_demo_release


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def test_forked_workers_share_one_load_answer_and_stop(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    migrate(db)
    build_demo_release(db, datasets=CLASSIFICATIONS)
    db.close()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMI_")}
    env.update(LMI_DATA_DIR=str(tmp_path), LMI_RATE_LIMIT_ANONYMOUS="0")
    command = [sys.executable, "-m", "lmi", "serve", "--port", str(port), "--workers", "2"]
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(command, env=env, stderr=log)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "not ready in 90 s"
                time.sleep(0.1)
        workers = _children(proc.pid)
        assert len(workers) == 2
        for _ in range(20):  # the kernel spreads connections over both workers
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/occupations/soc2010/11") as r:
                assert orjson.loads(r.read())["data"]["code"] == "11"
        os.kill(workers[0], signal.SIGKILL)  # a worker that dies is replaced
        time.sleep(1.5)
        assert len(_children(proc.pid)) == 2
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()


def test_a_worker_adopts_the_preloaded_snapshot_of_its_release(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    migrate(db)
    build_demo_release(db, datasets=CLASSIFICATIONS)
    snapshot = load_snapshot(db)
    served.preloaded(snapshot)
    worker_db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    release = served.ServedRelease(worker_db)
    assert release.refresh()
    assert release.snapshot is snapshot and snapshot.db is worker_db
    other = served.ServedRelease(worker_db)
    assert other.refresh() and other.snapshot is not snapshot  # handed over once only
