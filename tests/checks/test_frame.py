from __future__ import annotations

from pathlib import Path

import pytest

from lmi.checks import read_csv


def _file(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode(encoding))
    return path


def codes(tmp_path: Path, text: str) -> list[str]:
    return [p.code for p in read_csv(_file(tmp_path, text)).problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["empty-file"]),
        ("a,b\n", ["no-rows"]),
        ("a,b\n1,2\n3\n", ["ragged-row"]),
        ("a,a\n1,2\n", ["duplicate-column"]),
        ("a,b\n1,2\n", []),
    ],
)
def test_structural_problems(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert codes(tmp_path, text) == expected


def test_bad_encoding_is_reported_not_raised(tmp_path: Path) -> None:
    frame = read_csv(_file(tmp_path, "a\n\u00e9\n", encoding="latin-1"))
    assert [p.code for p in frame.problems] == ["bad-encoding"]


def test_line_numbers_survive_multiline_cells(tmp_path: Path) -> None:
    frame = read_csv(_file(tmp_path, 'code,text\n1,"two\nlines"\nx,ok\n'))
    bad = frame.check_pattern("code", r"\d+", what="a number")
    assert bad == [1]
    assert frame.problems[0].row == 4 and frame.problems[0].column == "code"


def test_checks_report_every_row_and_cap_the_list(tmp_path: Path) -> None:
    text = "n\n" + "".join(f"x{i}\n" for i in range(30))
    frame = read_csv(_file(tmp_path, text))
    assert len(frame.check_pattern("n", r"\d+", what="a number")) == 30
    messages = [p.message for p in frame.problems]
    assert len(messages) == 21 and "10 more rows" in messages[-1]


def test_require_columns_names_each_missing_one(tmp_path: Path) -> None:
    frame = read_csv(_file(tmp_path, "a\n1\n"))
    assert not frame.require_columns(["a", "b", "c"])
    assert [p.column for p in frame.problems] == ["b", "c"]


def test_unique_and_membership(tmp_path: Path) -> None:
    frame = read_csv(_file(tmp_path, "k\n1\n1\n2\n9\n"))
    assert frame.check_unique("k") == [0, 1]
    assert frame.check_in("k", {"1", "2"}, what="known") == [3]
    assert frame.has_errors
