"""UK SIC 2007 structure: on the real file and on fixtures in its format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lmi.datasets.sic2007 import SIC2007
from lmi.datasets.sic2007.checks import parent_of, parse_text_list
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, rewrite_csv


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("A", "section", None),
        ("01", "division", "A"),
        ("01.1", "group", "01"),
        ("01.11", "class", "01.1"),
        ("01.62/1", "subclass", "01.62"),
    ],
)
def test_parent_of(code: str, level: str, parent: str | None) -> None:
    assert parent_of(code, level, "A") == parent


def test_parse_text_list() -> None:
    assert parse_text_list("['a, b', \"c's\"]") == ["a, b", "c's"]
    assert parse_text_list("") == []
    assert parse_text_list("['unclosed") is None
    assert parse_text_list("[1, 2]") is None
    assert parse_text_list("__import__('os')") is None


# -- real file ---------------------------------------------------------------------------------


def test_real_sic_counts(real_release_db: Database) -> None:
    counts = dict(
        real_release_db.execute("SELECT level, count(*) FROM sic2007 GROUP BY level").rows
    )
    assert counts == {"section": 21, "division": 88, "group": 272, "class": 615, "subclass": 191}


def test_real_sic_hierarchy_and_notes(real_release_db: Database) -> None:
    rows = {
        code: (level, section, parent)
        for code, level, section, parent in real_release_db.execute(
            "SELECT code, level, section, parent_code FROM sic2007 "
            "WHERE code IN ('A', '01', '01.6', '01.62', '01.62/1', '62.01/1')"
        ).rows
    }
    assert rows == {
        "A": ("section", "A", None),
        "01": ("division", "A", "A"),
        "01.6": ("group", "A", "01"),
        "01.62": ("class", "A", "01.6"),
        "01.62/1": ("subclass", "A", "01.62"),
        "62.01/1": ("subclass", "J", "62.01"),
    }
    includes, excludes = real_release_db.execute(
        "SELECT includes, excludes FROM sic2007 WHERE code = '01.62/1'"
    ).rows[0]
    assert json.loads(includes) == ["farm animal boarding and care"]
    assert "pet boarding, see ##96.09" in json.loads(excludes)
    orphans = real_release_db.execute(
        "SELECT count(*) FROM sic2007 c LEFT JOIN sic2007 p ON p.release_id = c.release_id "
        "AND p.code = c.parent_code WHERE c.parent_code IS NOT NULL AND p.code IS NULL"
    ).scalar()
    assert orphans == 0


# -- fixture files -----------------------------------------------------------------------------


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [SIC2007])


def test_truncated_file_is_rejected_for_its_counts_only(tmp_path: Path, database: Database) -> None:
    copy_fixture(tmp_path, "sic2007")
    built = _build(database, tmp_path)
    assert not built.promoted
    errors = built.errors()
    assert len(errors) == 5 and all("(wrong-count)" in p for p in errors), errors
    assert any("expected 21 SIC 2007 codes at level 'section', found 1" in p for p in errors)


def test_missing_parent_names_row_and_column(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, "sic2007")
    rewrite_csv(folder / "sic2007_structure.csv", {4: {"code": "02.6"}})
    built = _build(database, tmp_path)
    assert not built.promoted
    assert any(
        "sic2007/sic2007_structure.csv:6 [section]" in p and "no parent '02' in A" in p
        for p in built.errors()
    ), built.problems


def test_bad_code_and_bad_list_are_errors(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, "sic2007")
    rewrite_csv(
        folder / "sic2007_structure.csv",
        {2: {"code": "01.1x"}, 6: {"excludes": "['pet boarding"}},
    )
    built = _build(database, tmp_path)
    errors = built.errors()
    assert any(":4 [code]" in p and "'01.1x' is not a SIC 2007 code" in p for p in errors), errors
    assert any(":8 [excludes]" in p and "not a list of strings" in p for p in errors), errors
