"""`lmi vacancies pull | runs | feeds`: progress, summary, exit status, secrets kept out."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from lmi.cli.main import cli
from lmi.cli.vacancies import parse_every
from tests.vacancies.conftest import DATA, FakeFeed, Reply, fixture_bytes


def run(tmp_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["--data-dir", str(tmp_path), "vacancies", *args], env=env, catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def test_pull_files_prints_progress_and_summary(tmp_path: Path) -> None:
    files = f"{DATA / 'adverts.csv'},{DATA / 'adverts.jsonl'}"
    code, out, err = run(tmp_path, "pull", LMI_VACANCIES_FILES=files)
    assert code == 0, out + err
    assert "files: adverts.csv records 1–1000: 2 adverts" in err  # progress
    assert "files: ok — 5 fetched, 5 new, 0 updated, 0 duplicates, 2 rejected" in out
    assert "warning: no release in production: adverts are stored uncoded" in err
    code, out, _ = run(tmp_path, "runs")
    assert code == 0 and "#1 files ok" in out


def test_a_failing_feed_exits_non_zero_without_showing_its_key(
    tmp_path: Path, fake_feed: FakeFeed
) -> None:
    key = tmp_path / "adzuna.key"
    key.write_text("top-secret-key\n")
    fake_feed.add("/s/1", Reply(401, b'{"exception": "AUTH_FAIL"}'))
    code, out, err = run(
        tmp_path,
        "pull",
        "--json",
        LMI_VACANCIES_ADZUNA_APP_ID="app",
        LMI_VACANCIES_ADZUNA_KEY_FILE=str(key),
        LMI_VACANCIES_ADZUNA_URL=f"{fake_feed.base}/s",
        LMI_VACANCIES_REQUESTS_PER_SECOND="0",
    )
    assert code == 1
    summary = json.loads(out)
    assert summary["ok"] is False and summary["feeds"][0]["status"] == "failed"
    assert "HTTP 401" in summary["feeds"][0]["errors"][0]
    assert "top-secret-key" not in out + err
    assert "app_key=top-secret-key" in fake_feed.seen[0][0]  # it was sent, only to the feed


def test_jobposting_and_reed_from_settings(tmp_path: Path, fake_feed: FakeFeed) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# career pages\n{fake_feed.base}/jobs/1001\n")
    fake_feed.add("/jobs/1001", Reply(200, fixture_bytes("jobposting_1.html")))
    reed_key = tmp_path / "reed.key"
    reed_key.write_text("reed-secret")
    fake_feed.add("/reed", Reply(200, fixture_bytes("reed_page2.json")))
    code, out, err = run(
        tmp_path,
        "pull",
        "--quiet",
        LMI_VACANCIES_JOBPOSTING_URLS_FILE=str(urls),
        LMI_VACANCIES_REED_KEY_FILE=str(reed_key),
        LMI_VACANCIES_REED_URL=f"{fake_feed.base}/reed",
        LMI_VACANCIES_REQUESTS_PER_SECOND="0",
    )
    assert code == 0, out + err
    assert "reed: ok — 1 fetched, 1 new" in out and "jobposting: ok — 1 fetched, 1 new" in out
    code, out, _ = run(tmp_path, "feeds", LMI_VACANCIES_REED_KEY_FILE=str(reed_key))
    assert out.strip() == "reed: https://www.reed.co.uk/api/1.0/search"


def test_configuration_problems_are_one_clear_line(tmp_path: Path) -> None:
    code, _out, err = run(tmp_path, "pull")
    assert code == 1 and "no feed is configured" in err
    code, _out, err = run(tmp_path, "pull", "--feed", "monster")
    assert code == 1 and "unknown feed monster" in err
    missing = tmp_path / "nope.key"
    code, _out, err = run(tmp_path, "pull", LMI_VACANCIES_REED_KEY_FILE=str(missing))
    assert code == 1 and "LMI_VACANCIES_REED_KEY_FILE: cannot read" in err
    code, _out, err = run(tmp_path, "pull", "--feed", "adzuna")
    assert code == 1 and "LMI_VACANCIES_ADZUNA_APP_ID" in err


def test_synthetic_feed_is_labelled(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "pull", "--feed", "synthetic", "--quiet")
    assert code == 0 and "synthetic: ok — 2000 fetched, 2000 new" in out


def test_every() -> None:
    assert (parse_every("1h"), parse_every("30m"), parse_every("2d")) == (3600, 1800, 172800)
    for bad in ("hourly", "5s", "0m"):
        with pytest.raises(click.BadParameter):
            parse_every(bad)


def test_every_pulls_again_until_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("lmi.cli.vacancies.time.sleep", sleep)
    files = str(DATA / "adverts.csv")
    code, out, err = run(tmp_path, "pull", "--every", "1h", "--quiet", LMI_VACANCIES_FILES=files)
    assert code == 0 and waits == [3600.0, 3600.0]
    assert out.count("files: ok") == 2 and "0 new, 2 updated" in out  # the second round
    assert "next pull in 3600 s" in err


def test_every_skips_a_round_while_another_pull_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lmi.etl.lock import DataLock
    from lmi.store import Database, migrate
    from lmi.vacancies.pipeline import LOCK

    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    migrate(db)
    DataLock(db, holder="a pull started elsewhere", name=LOCK).acquire()

    def stop(_seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("lmi.cli.vacancies.time.sleep", stop)
    files = str(DATA / "adverts.csv")
    code, _out, err = run(tmp_path, "pull", "--every", "1h", LMI_VACANCIES_FILES=files)
    assert code == 0 and "skipped: another data operation is running" in err
    code, _out, err = run(tmp_path, "pull", LMI_VACANCIES_FILES=files)
    assert code == 1 and "a pull started elsewhere" in err
