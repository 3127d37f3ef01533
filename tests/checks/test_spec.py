"""Format specifications: the checks every build and `lmi data check` run on each file."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lmi.checks import read_csv
from lmi.checks.spec import Column, FileSpec, check_file_bytes, validate_frame

SPEC = FileSpec(
    columns=(
        Column("code", "code", pattern=r"\d{4}", blank=False, symbols=(("}}}}", "xref"),)),
        Column("level", "code", values=("unit", "minor")),
        Column("count", "integer"),
        Column("share", "proportion"),
        Column("tasks", "json-list"),
    ),
    key=("code",),
    min_rows=3,
)


def _codes(tmp_path: Path, text: str) -> list[tuple[str, int | None, str | None]]:
    path = tmp_path / "f.csv"
    path.write_text(text)
    problems = validate_frame(read_csv(path), SPEC)
    return [(p.code, p.row, p.column) for p in problems]


def test_a_good_file_has_no_problems(tmp_path: Path) -> None:
    text = (
        "code,level,count,share,tasks\n"
        '1111,unit,3,0.5,"[""a""]"\n'
        "}}}},minor,,1,\n"
        "1112,unit,0,0,[]\n"
    )
    assert _codes(tmp_path, text) == []


def test_every_problem_is_reported_with_row_and_column(tmp_path: Path) -> None:
    text = (
        "code,level,count,share,tasks\n"
        "11a1,unit,3,0.5,[]\n"  # letter in a code
        "1111,unit,3x,0.5,[]\n"  # letter in a number column
        "1111,major,1,1.5,nope\n"  # duplicate, unknown level, out of range, not a list
    )
    found = _codes(tmp_path, text)
    assert ("bad-format", 2, "code") in found
    assert ("bad-number", 3, "count") in found
    assert ("unknown-code", 4, "level") in found
    assert ("out-of-range", 4, "share") in found
    assert ("bad-format", 4, "tasks") in found
    assert ("duplicate-key", 4, "code") in found


def test_missing_column_and_too_few_rows(tmp_path: Path) -> None:
    found = _codes(tmp_path, "code,level,count,share\n1111,unit,1,0\n")
    assert ("missing-column", None, "tasks") in found
    assert ("too-few-rows", None, None) in found


def test_truncated_text_file_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"code,level\n1111,un")
    assert [p.code for p in check_file_bytes(path, SPEC, label="f.csv")] == ["no-final-newline"]


def test_empty_zip_and_binary_files_are_errors(tmp_path: Path) -> None:
    cases = {
        b"": "empty-file",
        b"PK\x03\x04rest": "wrong-format",
        b"a,b\n\x00\x01\n": "binary-file",
    }
    for content, code in cases.items():
        path = tmp_path / "f.csv"
        path.write_bytes(content)
        assert [p.code for p in check_file_bytes(path, SPEC, label="f.csv")] == [code]


def test_xlsx_zip_is_checked_without_unpacking(tmp_path: Path) -> None:
    xlsx = FileSpec(columns=(), format="xlsx")
    good = tmp_path / "good.xlsx"
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert check_file_bytes(good, xlsx, label="good.xlsx") == []
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:-30])
    assert [p.code for p in check_file_bytes(truncated, xlsx, label="t")] == ["corrupt-xlsx"]
    not_workbook = tmp_path / "other.xlsx"
    with zipfile.ZipFile(not_workbook, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert [p.code for p in check_file_bytes(not_workbook, xlsx, label="o")] == ["corrupt-xlsx"]


SPECIFIED = {
    "soc2010",
    "soc2020",
    "soc_crosswalks",
    "isco",
    "onet_occupations",
    "sic2007",
    "regions",
    "subjects",
    "ashe",
}


def test_every_file_of_the_specified_datasets_has_a_spec() -> None:
    from lmi.datasets import registry

    checked = [ds for ds in registry.DATASETS if ds.name in SPECIFIED]
    assert {ds.name for ds in checked} == SPECIFIED
    missing = [f.path for ds in checked for f in ds.files if f.spec is None]
    assert missing == [], "declare a FileSpec (spec=…) on these SourceFiles"
