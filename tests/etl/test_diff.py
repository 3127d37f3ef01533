"""`lmi data diff` and the suspicious-jump warnings of a build."""

from __future__ import annotations

from pathlib import Path

from lmi.datasets.soc import SOC2010, SOC2020
from lmi.etl import build_release
from lmi.etl.diff import Change, diff_releases, jump_problems
from lmi.etl.runs import OpsConfig
from lmi.store import Database
from tests.soc_fixtures import write_soc_sources


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_diff_counts_added_removed_and_changed_rows(tmp_path: Path, database: Database) -> None:
    source = write_soc_sources(tmp_path)
    first = build_release(database, source, [SOC2010, SOC2020])
    index = source / "soc2010" / "soc2010_coding_index.csv"
    _rewrite(index, '"Worker, fixture 1111"', '"Worker, renamed 1111"')  # one changed row
    lines = index.read_text().splitlines(keepends=True)
    index.write_text("".join(lines[:2] + lines[3:]) + '9999,0,,,,,1111,"New, worker",,,,,\n')
    second = build_release(database, source, [SOC2010, SOC2020], promote=False)
    diff = diff_releases(database, first.release_id, second.release_id)
    tables = {t.table: t for t in diff.tables}
    index_diff = tables["soc_index_entries"]
    assert (index_diff.added, index_diff.removed, index_diff.changed) == (1, 1, 1)
    assert index_diff.added_keys == ["soc2010/9999.0"]
    assert index_diff.removed_keys == ["soc2010/2.0"]
    assert index_diff.changed_columns == {"indexocc": 1, "natural_title": 1}
    assert tables["soc_groups"].unchanged
    assert diff.as_dict()["tables"][0]["table"]


def test_numeric_changes_are_ranked_and_jumps_warned() -> None:
    from lmi.etl.diff import ReleaseDiff, TableDiff

    diff = ReleaseDiff(
        old=1,
        new=2,
        tables=[TableDiff("pay", rows_old=100, rows_new=60)],
        changes=[
            Change("pay", "2136", "median", 40000.0, 41000.0),
            Change("pay", "1111", "median", 50000.0, 80000.0),
            Change("pay", "9999", "median", 0, 10),
        ],
    )
    assert [c.key for c in diff.largest(2)] == ["9999", "1111"]
    messages = [p.message for p in jump_problems(diff, 20)]
    assert "pay has 60 rows; production has 100 (-40.0%" in messages[0]
    assert "pay.median: 2 values moved by more than 20%" in messages[1]
    assert all(p.severity == "warning" for p in jump_problems(diff, 20))


def test_build_warns_when_a_table_shrinks(tmp_path: Path, database: Database) -> None:
    source = write_soc_sources(tmp_path)
    build_release(database, source, [SOC2010, SOC2020])
    index = source / "soc2020" / "soc2020_coding_index.csv"
    lines = index.read_text().splitlines(keepends=True)
    index.write_text("".join(lines[:100]))
    report = build_release(
        database, source, [SOC2010, SOC2020], ops=OpsConfig(jump_warn_percent=10)
    )
    assert report.promoted  # warnings do not block
    assert [p.code for p in report.checks] == ["suspicious-jump"]
    assert "soc_index_entries" in report.checks[0].message
