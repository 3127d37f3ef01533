"""``lmi data sources``: where to get each dataset, the editions read, what the source holds."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from lmi.cli.main import cli, datasets_markdown

FIXTURES = Path(__file__).parent.parent / "data"


def test_sources_show_the_publisher_page_and_the_workbooks_held(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "ashe_workbooks", tmp_path / "ashe_workbooks")
    result = CliRunner().invoke(cli, ["data", "sources", "--source", str(tmp_path)])
    assert result.exit_code == 0, result.output
    ashe = result.output.split("\nashe (")[1].split("\n\n")[0]
    assert "publisher's page: https://www.ons.gov.uk/" in ashe
    assert "download: ashe_workbooks/" in ashe and "editions read: Table 14 workbooks" in ashe
    assert "holds: workbooks 2024p soc2020: Tables 14.1, 14.7" in ashe
    assert "4 files: ashe_workbooks/2024provisional_soc2020/" in ashe
    onspd = result.output.split("\nonspd (")[1].split("\n\n")[0]
    assert "lad25cd" in onspd  # the column-name mapping table of every edition


def test_a_workbook_without_its_cv_file_is_said(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "ashe_workbooks", tmp_path / "ashe_workbooks")
    for cv in (tmp_path / "ashe_workbooks").rglob("*14.7b*"):
        cv.unlink()
    result = CliRunner().invoke(cli, ["data", "sources", "--source", str(tmp_path)])
    assert "Tables 14.1, 14.7 (no CV file)" in result.output


def test_the_markdown_is_docs_datasets_md() -> None:
    docs = Path(__file__).parent.parent.parent / "docs" / "datasets.md"
    assert docs.read_text(encoding="utf-8").rstrip("\n") == datasets_markdown().rstrip("\n")
