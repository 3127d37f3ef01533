"""``lmi code``: titles in (text, CSV, stdin), CSV out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmi.cli.main import cli
from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.store import Database, migrate
from tests.soc_fixtures import write_soc_sources

HEADER = [
    "input",
    "rank",
    "code",
    "title",
    "score",
    "method",
    "matched",
    "soc_version",
    "route",
    "status",
    "normalised",
]


@pytest.fixture(scope="module")
def store_url(real_release_db: Database) -> str:
    return real_release_db.url


def run(store_url: str, *args: str, stdin: str | None = None) -> list[dict[str, str]]:
    result = CliRunner().invoke(cli, ["--database-url", store_url, "code", *args], input=stdin)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def test_stdin_text_lines(store_url: str) -> None:
    rows = run(store_url, "-", stdin="software developer\n\n!!!\nsnr java dev - London\n")
    assert [r["input"] for r in rows] == ["software developer", "", "!!!", "snr java dev - London"]
    assert rows[0]["code"] == "2136" and rows[0]["method"] == "exact" and rows[0]["rank"] == "1"
    assert rows[1]["code"] == "" and rows[2]["code"] == ""
    assert rows[3]["code"] == "2136" and float(rows[3]["score"]) > 0.9


def test_top_k_rows_per_title_soc2020(store_url: str, tmp_path: Path) -> None:
    path = tmp_path / "titles.txt"
    path.write_text("software developer\nmanager\n", encoding="utf-8")
    rows = run(store_url, "--soc", "2020", "--top", "3", str(path))
    manager = [r for r in rows if r["input"] == "manager"]
    assert rows[0]["code"] == "2134"
    assert [r["rank"] for r in manager] == ["1", "2", "3"]
    assert len({r["code"] for r in manager}) == 3


def test_both_versions_row_by_row(store_url: str) -> None:
    rows = run(store_url, "--soc", "both", "-", stdin="software developer\n!!!\n")
    assert [(r["input"], r["soc_version"], r["code"]) for r in rows] == [
        ("software developer", "soc2010", "2136"),
        ("software developer", "soc2020", "2134"),
        ("!!!", "soc2010", ""),
        ("!!!", "soc2020", ""),
    ]
    assert rows[0]["status"] == "coded" and rows[0]["route"] == "exact"
    assert rows[0]["normalised"] == "software developer"
    assert rows[2]["status"] == "uncodable"


def test_csv_with_title_and_context_columns(store_url: str, tmp_path: Path) -> None:
    path = tmp_path / "jobs.csv"
    path.write_text('id,Title,industry\n1,Manager,hotel\n2,"Chef, head",\n', encoding="utf-8")
    rows = run(store_url, "--context", "industry", str(path))
    assert [(r["input"], r["code"]) for r in rows] == [("Manager", "1221"), ("Chef, head", "5434")]


def test_context_needs_a_csv_column(store_url: str, tmp_path: Path) -> None:
    path = tmp_path / "jobs.csv"
    path.write_text("title\nnurse\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--database-url", store_url, "code", "--context", "sector", str(path)]
    )
    assert result.exit_code == 2 and "sector" in result.output


def test_no_release_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    migrate(Database(url))
    result = CliRunner().invoke(cli, ["--database-url", url, "code", "-"], input="nurse\n")
    assert result.exit_code != 0 and "lmi data build" in result.output


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with a release built from the synthetic SOC fixture files (no official data)."""
    root = write_soc_sources(tmp_path_factory.mktemp("soc-source"))
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'lmi.sqlite'}"
    db = Database(url)
    migrate(db)
    assert build_release(db, root, [SOC2010, SOC2020]).promoted
    db.close()
    return url


def test_both_versions_over_fixture_data(fixture_url: str) -> None:
    rows = run(fixture_url, "--soc", "both", "-", stdin="Fixture 1111 worker\n£28,000\n")
    assert [(r["input"], r["soc_version"]) for r in rows] == [
        ("Fixture 1111 worker", "soc2010"),
        ("Fixture 1111 worker", "soc2020"),
        ("£28,000", "soc2010"),
        ("£28,000", "soc2020"),
    ]
    # every fixture index title is "Worker, fixture <code>": the number is no title word
    assert rows[0]["route"] == "exact" and rows[0]["normalised"] == "fixture worker"
    assert rows[0]["code"].isdigit() and len(rows[0]["code"]) == 4
    assert [r["status"] for r in rows[2:]] == ["uncodable", "uncodable"]
