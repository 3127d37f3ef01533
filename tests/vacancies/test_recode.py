"""`lmi vacancies recode`: stored adverts coded again after the coder or the release changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmi.cli.main import cli
from lmi.errors import ConfigurationError
from lmi.store import Database
from lmi.vacancies.coding import AdvertCoder
from lmi.vacancies.connectors import FileFeed
from lmi.vacancies.http import Fetcher
from lmi.vacancies.pipeline import Pipeline, recode
from lmi.vacancies.place import Placer
from lmi.vacancies.store import recent_runs
from tests.vacancies.conftest import DATA, build_soc_release, tiny_coders

FEED = [DATA / "adverts.csv", DATA / "adverts.jsonl"]


def codes(db: Database) -> dict[str, tuple[object, ...]]:
    rows = db.execute(
        "SELECT feed_id, soc2010, soc2010_status, soc2020, soc2020_status, coded_release "
        "FROM lmi_adverts ORDER BY feed_id"
    ).rows
    return {str(r[0]): tuple(r[1:]) for r in rows}


def test_recode_codes_adverts_another_release_coded(database: Database) -> None:
    uncoded = Pipeline(database, AdvertCoder({}, None), Placer(), Fetcher(per_second=0))
    assert uncoded.pull([FileFeed(FEED)]).ok
    before = codes(database)
    assert {c[1] for c in before.values()} == {"no-coder"}
    assert database.execute("SELECT count(*) FROM lmi_advert_counts").scalar() == 0
    lines: list[str] = []
    coder = Pipeline(database, AdvertCoder(tiny_coders(), 7), Placer(), Fetcher(per_second=0))
    done = recode(coder, batch=2, progress=lines.append)
    after = codes(database)
    assert done.examined == len(before) == 5 and done.changed == 5
    assert after["csv-1"][:2] == ("2136", "coded") and after["csv-2"][:2] == ("5314", "coded")
    assert {c[4] for c in after.values()} == {7}  # coded by release 7 now
    assert done.moved["soc2010"] == sum(1 for c in after.values() if c[0] is not None)
    assert sum(done.statuses["soc2020"].values()) == 5
    assert lines[0] == "5 adverts to code again with release 7's coders"
    assert lines[-1] == "coded 5/5 (5 changed)" and len(lines) == 4  # batches of 2
    # the weekly counts follow the new codes, and a finished run tells API workers to re-read
    assert (
        done.cells > 0
        and database.execute(
            "SELECT count(*) FROM lmi_advert_counts WHERE soc_code = '2136'"
        ).scalar()
    )
    run = recent_runs(database, 1)[0]
    assert (run["feed"], run["status"], run["fetched"], run["updated"]) == ("recode", "ok", 5, 5)
    again = recode(coder)  # nothing another release coded is left
    assert (again.examined, again.changed) == (0, 0)
    every = recode(coder, everything=True)  # the same coder gives the same codes
    assert (every.examined, every.changed) == (5, 0) and codes(database) == after


def test_recode_needs_a_coder(database: Database) -> None:
    nothing = Pipeline(database, AdvertCoder({}, None), Placer(), Fetcher(per_second=0))
    with pytest.raises(ConfigurationError, match="no release in production"):
        recode(nothing)


def run(tmp_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["--data-dir", str(tmp_path), "vacancies", *args], env=env, catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def test_recode_command_after_a_release_is_promoted(tmp_path: Path) -> None:
    files = ",".join(str(p) for p in FEED)
    code, out, err = run(tmp_path, "pull", "--quiet", LMI_VACANCIES_FILES=files)
    assert code == 0, out + err  # no release yet: stored uncoded
    code, _out, err = run(tmp_path, "recode")
    assert code == 1 and "no release in production" in err
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    release = build_soc_release(db, tmp_path / "source")
    code, out, err = run(tmp_path, "recode")
    assert code == 0, out + err
    assert f"5 adverts to code again with release {release}'s coders" in err  # progress
    assert out.startswith(f"release {release}: 5 adverts coded again, ")
    assert "soc2010: " in out and "weekly count cells" in out
    assert {row[4] for row in codes(db).values()} == {release}
    code, out, _ = run(tmp_path, "recode", "--json")
    assert code == 0 and json.loads(out)["examined"] == 0
    code, out, _ = run(tmp_path, "recode", "--all", "--json")
    summary = json.loads(out)
    assert (summary["examined"], summary["changed"], summary["release"]) == (5, 0, release)
    db.close()
