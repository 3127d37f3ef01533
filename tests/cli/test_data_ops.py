"""`lmi data check|diff|runs|backup|restore` and `build --only`, driven as a user would."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lmi.cli.main import cli
from tests.datasets.helpers import copy_fixture
from tests.soc_fixtures import write_soc_sources


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "var"), *args])
    return result.exit_code, result.output


def test_check_rejects_a_bad_file_with_a_report(tmp_path: Path) -> None:
    source = write_soc_sources(tmp_path / "src")
    good = source / "soc2010" / "soc2010_structure.csv"
    code, out = run(tmp_path, "data", "check", "--source", str(source), str(good))
    assert code == 0 and "OK: 1 files, 0 errors" in out
    bad = tmp_path / "soc2010_structure.csv"
    bad.write_text(good.read_text().replace("1111,unit", "11a1,unit", 1))
    code, out = run(tmp_path, "data", "check", "--source", str(source), str(bad))
    assert code == 1 and "'11a1' is not a SOC code" in out and "REJECTED" in out
    code, out = run(tmp_path, "data", "check", "--source", str(source), "--json", str(bad))
    report = json.loads(out)
    assert code == 1 and not report["ok"] and report["files"][0]["dataset"] == "soc2010"
    assert report["files"][0]["problems"][0]["row"] is not None


def test_stage_diff_promote_rollback_backup_restore(tmp_path: Path) -> None:
    source = write_soc_sources(tmp_path / "src")
    assert run(tmp_path, "data", "build", "--source", str(source))[0] == 0
    index = source / "soc2010" / "soc2010_coding_index.csv"
    index.write_text(index.read_text().replace("Worker, fixture 1111", "Worker, renamed"))
    code, out = run(tmp_path, "data", "build", "--source", str(source), "--no-promote")
    assert code == 0 and "lmi data promote 2" in out
    code, out = run(tmp_path, "data", "diff")
    assert code == 0 and "release 1 → release 2" in out and "indexocc (1)" in out
    diff = json.loads(run(tmp_path, "data", "diff", "1", "2", "--json")[1])
    changed = {t["table"]: t["changed"] for t in diff["tables"]}
    assert changed["soc_index_entries"] == 1
    code, out = run(tmp_path, "data", "promote", "2", "--note", "renamed")
    assert code == 0 and "release 2 is now production" in out
    assert list((tmp_path / "var" / "backups").glob("lmi-release-1-*.jsonl.gz"))  # automatic
    assert run(tmp_path, "data", "rollback")[0] == 0
    backup = tmp_path / "prod.jsonl.gz"
    code, out = run(tmp_path, "data", "backup", "--output", str(backup))
    assert code == 0 and "release 1 backed up" in out
    code, out = run(tmp_path, "data", "restore", str(backup))
    assert code == 0 and "restored as release 3 (test)" in out
    assert "no differences" in run(tmp_path, "data", "diff", "1", "3")[1]
    code, out = run(tmp_path, "data", "runs")
    kinds = [line.split()[1] for line in out.splitlines()]
    assert kinds[:5] == ["restore", "backup", "rollback", "promote", "build"]


def test_build_only_reloads_one_dataset(tmp_path: Path) -> None:
    source = write_soc_sources(tmp_path / "src")
    copy_fixture(source, "regions")
    assert run(tmp_path, "data", "build", "--source", str(source))[0] == 0
    code, out = run(tmp_path, "data", "build", "--source", str(source), "--only", "regions")
    assert code == 0, out
    assert "soc2010              copied" in out and "release 2 built and promoted" in out
    code, out = run(tmp_path, "data", "build", "--source", str(source), "--only", "nope")
    assert code == 1 and "unknown dataset nope" in out


def test_promotion_is_refused_while_another_run_holds_the_lock(tmp_path: Path) -> None:
    import subprocess
    import sys

    from lmi.settings import Settings
    from lmi.store import Database, migrate
    from lmi.store.schema import locks

    source = write_soc_sources(tmp_path / "src")
    assert run(tmp_path, "data", "build", "--source", str(source), "--no-promote")[0] == 0
    db = Database(Settings.from_env({}, data_dir=tmp_path / "var").effective_database_url)
    migrate(db)
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        import socket

        with db.transaction() as tx:
            tx.connection.execute(
                locks.insert(),
                {
                    "name": "data",
                    "holder": "build by alice",
                    "host": socket.gethostname(),
                    "pid": holder.pid,
                    "acquired_at": "2025-01-01T00:00:00+00:00",
                    "heartbeat_at": "2025-01-01T00:00:00+00:00",
                },
            )
        code, out = run(tmp_path, "data", "promote", "1")
        assert code == 1 and "another data operation is running" in out and "alice" in out
    finally:
        holder.kill()
        holder.wait()
        db.close()
    code, out = run(tmp_path, "data", "promote", "1")
    assert code == 0, out
