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
import pytest

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.serve import served
from lmi.serve.snapshot import load_snapshot
from lmi.store import Database, migrate
from lmi.synth.demo import CLASSIFICATIONS, build_demo_release
from tests.soc_fixtures import write_soc_sources


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
    env.update(
        LMI_DATA_DIR=str(tmp_path), LMI_RATE_LIMIT_ANONYMOUS="0", LMI_PREPARE_NEXT_RELEASE="false"
    )
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


def test_a_keeper_stores_the_next_release_for_the_workers(tmp_path: Path) -> None:
    """With a test release waiting, its snapshot is built once, by the keeper, and stored."""
    source = write_soc_sources(tmp_path / "source")
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    migrate(db)
    build_demo_release(db, datasets=CLASSIFICATIONS)
    waiting = build_release(db, source, [SOC2010, SOC2020], promote=False)
    db.close()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMI_")}
    env.update(LMI_DATA_DIR=str(tmp_path), LMI_RELEASE_POLL_SECONDS="1")
    command = [sys.executable, "-m", "lmi", "serve", "--port", str(port), "--workers", "2"]
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(command, env=env, stderr=log)
    try:
        deadline = time.monotonic() + 90
        pattern = f"release-{waiting.release_id}-*.snapshot"
        while not list((tmp_path / "snapshots").glob(pattern)):
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "the next release was not stored in 90 s"
            time.sleep(0.2)
        assert len(_children(proc.pid)) == 3  # two workers and the keeper
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()


def test_one_worker_reads_the_release_first_and_freezes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lmi serve` with one worker reads the release before uvicorn starts and freezes it out
    of the cyclic collector (a full collection walking the snapshot paused every request)."""
    import gc

    import uvicorn

    from lmi.cli.main import serve
    from lmi.settings import Settings

    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    migrate(db)
    write_soc_sources(tmp_path / "source")
    assert build_release(db, tmp_path / "source", [SOC2010, SOC2020]).promoted
    db.close()
    seen: dict[str, object] = {}

    def run(app: str, **options: object) -> None:
        seen.update(app=app, workers=options["workers"], frozen=gc.get_freeze_count())
        seen["preloaded"] = [s.release.id for s in served._PRELOADED]

    monkeypatch.setattr(uvicorn, "run", run)
    module = sys.modules[serve.callback.__module__]  # type: ignore[union-attr]
    monkeypatch.setattr(module, "export_settings", lambda _settings: None)  # no env change
    settings = Settings.from_env({}, data_dir=tmp_path, prepare_next_release=False)
    try:
        serve.callback.__wrapped__(settings, "127.0.0.1", _free_port(), 1)  # type: ignore[union-attr]
    finally:
        served._PRELOADED.clear()
        gc.unfreeze()
    assert seen["workers"] == 1 and seen["preloaded"] == [1]
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 10_000
