"""``source_rows``: the one account of where files come from, for the CLI and the dashboard."""

from __future__ import annotations

from pathlib import Path

from lmi.datasets.base import Dataset, Fetch, LoadContext, SourceFile
from lmi.datasets.sources import NOT_RECORDED, fetch_lines, source_rows


def _load(ctx: LoadContext) -> None:
    raise AssertionError("source_rows must never load anything")


def _unreadable(source_dir: Path) -> list[str]:
    raise OSError(f"permission denied: {source_dir / 'area'}")


AREA = Dataset(
    name="area",
    title="Areas",
    publisher="ONS",
    licence="OGL",
    files=(
        SourceFile("area/areas.csv", "the areas"),
        SourceFile("area/Data/*_AB.csv", "per-area files", many=True),
        SourceFile("area/extra.csv", "optional extra", required=False),
    ),
    tables=(),
    load=_load,
    fetch=Fetch(
        page="https://example.org/areas",
        files=("area/: the zip",),
        editions="2025",
        holdings=lambda d: [f"{len(list((d / 'area').iterdir()))} entries"],
    ),
)


def test_rows_say_what_is_found_and_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "area" / "Data").mkdir(parents=True)
    (tmp_path / "area" / "areas.csv").write_text("x\n")
    for area in ("AB", "XAB"):
        (tmp_path / "area" / "Data" / f"{area}_AB.csv").write_text("x\n")
    (row,) = source_rows(tmp_path, [AREA])
    assert [f.held for f in row.files] == [
        ("area/areas.csv",),
        ("area/Data/AB_AB.csv", "area/Data/XAB_AB.csv"),
        (),
    ]
    assert [f.path for f in row.missing] == ["area/extra.csv"]
    assert row.complete  # the missing file is optional
    assert row.holdings == ("2 entries",)  # areas.csv and Data/
    assert fetch_lines(row) == [
        "publisher's page: https://example.org/areas",
        "download: area/: the zip",
        "editions read: 2025",
    ]


def test_a_missing_required_file_makes_the_row_incomplete(tmp_path: Path) -> None:
    (tmp_path / "area").mkdir()
    (row,) = source_rows(tmp_path, [AREA])
    assert not row.complete
    assert [f.path for f in row.missing] == [f.path for f in AREA.files]


def test_without_a_source_directory_only_declared_facts_are_given() -> None:
    (row,) = source_rows(None, [AREA])
    assert row.holdings == () and all(f.held == () for f in row.files)
    assert not row.complete and row.page == "https://example.org/areas"


def test_a_holdings_report_that_cannot_read_its_files_is_said(tmp_path: Path) -> None:
    broken = Dataset(
        name="broken",
        title="Broken",
        publisher="ONS",
        licence="OGL",
        files=(),
        tables=(),
        load=_load,
        fetch=Fetch(page="https://example.org", files=(), editions="-", holdings=_unreadable),
    )
    (row,) = source_rows(tmp_path, [broken])
    assert row.holdings == (
        f"could not read what {tmp_path} holds: permission denied: {tmp_path / 'area'}",
    )


def test_a_dataset_without_fetch_facts_says_so() -> None:
    rows = {r.name: r for r in source_rows(None)}
    assert fetch_lines(rows["soc2010"]) == [NOT_RECORDED]
    assert rows["ashe"].page is not None and rows["ashe"].page.startswith("https://www.ons.gov.uk/")


def test_holdings_are_read_again_only_when_a_file_changed(tmp_path: Path) -> None:
    calls: list[Path] = []

    def counted(source_dir: Path) -> list[str]:
        calls.append(source_dir)
        return [f"{len(list(source_dir.rglob('*.csv')))} csv files"]

    dataset = Dataset(
        name="counted",
        title="Counted",
        publisher="ONS",
        licence="OGL",
        files=(),
        tables=(),
        load=_load,
        fetch=Fetch(page="https://example.org", files=(), editions="-", holdings=counted),
    )
    (tmp_path / "a.csv").write_text("x\n")
    assert source_rows(tmp_path, [dataset])[0].holdings == ("1 csv files",)
    assert source_rows(tmp_path, [dataset])[0].holdings == ("1 csv files",)
    assert len(calls) == 1  # the second page view did not read the files again
    (tmp_path / "b.csv").write_text("x\n")
    assert source_rows(tmp_path, [dataset])[0].holdings == ("2 csv files",)
    (tmp_path / "a.csv").write_text("changed, longer\n")
    assert source_rows(tmp_path, [dataset])[0].holdings == ("2 csv files",)
    assert len(calls) == 3
