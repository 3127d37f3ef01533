"""``lmi code``: titles in (text, CSV, stdin), CSV out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmi.cli.main import cli
from lmi.store import Database, migrate

HEADER = ["input", "rank", "code", "title", "score", "method", "matched"]


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
