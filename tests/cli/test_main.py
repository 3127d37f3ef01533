"""The lmi command, driven as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmi.cli.main import cli
from tests.soc_fixtures import write_soc_sources


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "var"), *args])
    return result.exit_code, result.output


def test_build_promote_rollback_cycle(tmp_path: Path) -> None:
    source = write_soc_sources(tmp_path / "src")
    code, out = run(tmp_path, "data", "build", "--source", str(source))
    assert code == 0, out
    assert "built and promoted to production" in out
    code, out = run(tmp_path, "data", "build", "--source", str(source), "--no-promote")
    assert code == 0 and "lmi data promote 2" in out
    code, out = run(tmp_path, "data", "promote", "2", "--note", "new files")
    assert code == 0 and "release 2 is now production" in out
    code, out = run(tmp_path, "data", "releases")
    assert "*    2  production" in out and "archived" in out
    code, out = run(tmp_path, "data", "rollback")
    assert code == 0 and "release 1 is production again" in out
    code, out = run(tmp_path, "data", "show")
    shown = json.loads(out)
    assert shown["id"] == 1 and shown["tables"]["soc_groups"] == 1044
    assert {f["path"] for f in shown["files"]} >= {"soc2010/soc2010_structure.csv"}


def test_bad_file_fails_with_report_and_production_untouched(tmp_path: Path) -> None:
    source = write_soc_sources(tmp_path / "src")
    assert run(tmp_path, "data", "build", "--source", str(source))[0] == 0
    structure = source / "soc2010" / "soc2010_structure.csv"
    structure.write_text(structure.read_text().replace("1111,unit", "11a1,unit", 1))
    code, out = run(tmp_path, "data", "build", "--source", str(source))
    assert code == 1
    assert "'11a1' is not a SOC code" in out and "production is unchanged" in out
    shown = json.loads(run(tmp_path, "data", "show")[1])
    assert shown["id"] == 1 and shown["status"] == "production"


def test_json_report(tmp_path: Path) -> None:
    source = write_soc_sources(tmp_path / "src")
    code, out = run(tmp_path, "data", "build", "--source", str(source), "--json")
    report = json.loads(out)
    assert code == 0 and report["promoted"] and report["ok"]
    assert [d["dataset"] for d in report["datasets"]][:2] == ["soc2010", "soc2020"]


def test_missing_source_directory_is_a_clear_error(tmp_path: Path) -> None:
    code, out = run(tmp_path, "data", "build", "--source", str(tmp_path / "nope"))
    assert code != 0


def test_promote_unknown_release(tmp_path: Path) -> None:
    code, out = run(tmp_path, "data", "promote", "42")
    assert code == 1 and "release 42 does not exist" in out


@pytest.mark.slow
def test_demo(tmp_path: Path) -> None:
    code, out = run(tmp_path, "data", "demo")
    assert code == 0 and "synthetic demo release 1" in out


def test_an_unreachable_database_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    for args in (["serve"], ["data", "releases"], ["keys", "list"]):
        result = CliRunner().invoke(
            cli, ["--database-url", "postgresql://nobody@127.0.0.1:1/none", *args]
        )
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith("error: database unavailable"), result.output
        assert "Traceback" not in result.output


def test_bad_worker_counts_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run(tmp_path, "serve", "--workers", "-1")
    assert code == 2 and "-1 is not in the range x>=0" in out
    monkeypatch.setenv("LMI_WORKERS", "-2")
    code, out = run(tmp_path, "serve")
    assert code == 1 and "LMI_WORKERS must be 0 (one per core) or more, not -2" in out


def test_serve_without_source_files_builds_the_full_synthetic_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make serve` in a clone without ../shared asks for the demo of every dataset (the full
    build itself is tested once per session, on the ``demo_release_db`` fixture)."""
    import lmi.synth.demo
    from lmi.cli.main import ensure_release
    from lmi.settings import Settings
    from lmi.store import Database, migrate
    from lmi.store.releases import ReleaseStore

    asked: list[object] = []
    quick = lmi.synth.demo.build_demo_release

    def recording(db: Database, *, datasets: object = None) -> int:
        asked.append(datasets)
        return quick(db, datasets=lmi.synth.demo.CLASSIFICATIONS)

    monkeypatch.setattr(lmi.synth.demo, "build_demo_release", recording)
    settings = Settings.from_env(
        {}, data_dir=tmp_path, source_dir=tmp_path / "no-such-folder", demo_when_no_source=True
    )
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    migrate(db)
    ensure_release(settings, db)
    assert asked == [None]  # every dataset
    release = ReleaseStore(db).production()
    assert release is not None and release.kind == "synthetic"
    ensure_release(settings, db)  # a release is in production: nothing is rebuilt
    assert asked == [None]
    db.close()
