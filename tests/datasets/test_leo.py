"""DfE LEO graduate earnings: the loader on invented fixtures and on the real files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lmi.datasets.leo import LEO
from lmi.datasets.leo.checks import tax_year_of, yag_of
from lmi.datasets.leo.codes import CAH2_NAMES, cah2_of
from lmi.datasets.leo.parse import EARNINGS, INDUSTRY, figure
from lmi.store import Database
from tests.datasets.helpers import build
from tests.leo_fixtures import write_leo_fixture


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("34300", (34300.0, None)),
        ("83.4", (83.4, None)),
        ("c", (None, "c")),
        ("z", (None, "z")),
        ("x", (None, "x")),
        ("low", (None, "low")),
        ("", (None, "x")),
    ],
)
def test_figure_keeps_dfe_symbols_distinct(cell: str, expected: tuple[object, object]) -> None:
    assert figure(cell) == expected


@given(st.text(max_size=8))
def test_figure_sets_exactly_one_of_value_and_symbol(cell: str) -> None:
    value, symbol = figure(cell)
    assert (value is None) != (symbol is None)


def test_codes_and_years() -> None:
    assert yag_of("10 YAG") == 10 and yag_of("YAG") is None
    assert tax_year_of("202223") == "2022-23" and tax_year_of("202224") is None
    assert cah2_of("computing") == "11-01" and cah2_of("Total") == "all"
    assert cah2_of("Underwater basket weaving") is None
    assert len(CAH2_NAMES) == 35


# -- fixture files -----------------------------------------------------------------------------


def _rows(db: Database, where: str = "1 = 1") -> list[dict[str, object]]:
    result = db.execute(f"SELECT * FROM leo_earnings WHERE {where}")
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def test_fixture_loads_with_symbols_kept_distinct(tmp_path: Path, database: Database) -> None:
    write_leo_fixture(
        tmp_path,
        {
            ("Celtic studies", "Male", 5): {
                "grads": "0",
                "earnings_include": "0",
                "earnings_LQ": "c",
                "earnings_median": "c",
                "earnings_UQ": "c",
                "sust_emp_fs_or_both": "c",
            },
            ("Law", "Female", 1): {"earnings_median": "z", "earnings_UQ": "x"},
        },
    )
    built = build(database, tmp_path, [LEO])
    assert built.promoted, built.problems
    assert built.report.datasets[0].rows_loaded == {"leo_earnings": 432}
    [celtic] = _rows(database, "cah_code = '19-02' AND sex = 'male' AND yag = 5")
    assert celtic["graduates"] == 0 and celtic["graduates_symbol"] is None
    assert celtic["earnings_median"] is None and celtic["earnings_median_symbol"] == "c"
    assert celtic["sustained_rate"] is None and celtic["sustained_rate_symbol"] == "c"
    assert celtic["academic_year"] == "2016/2017" and celtic["tax_year"] == "2022-23"
    [law] = _rows(database, "cah_code = '16-01' AND sex = 'female' AND yag = 1")
    assert (law["earnings_median"], law["earnings_median_symbol"]) == (None, "z")
    assert (law["earnings_uq"], law["earnings_uq_symbol"]) == (None, "x")
    assert law["earnings_lq"] is not None and law["earnings_lq_symbol"] is None
    totals = _rows(database, "cah_code = 'all'")
    assert len(totals) == 12 and {r["cah_level"] for r in totals} == {"all"}
    assert {r["sex"] for r in totals} == {"female", "male", "all"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"subject_name": "Basket weaving"}, "is not a CAH2 subject name"),
        ({"earnings_LQ": "50000"}, "quartiles not ordered"),
        ({"academic_year": "2015/2016"}, "is not 10 YAG"),
        ({"earnings_include": "99999"}, "graduates with earnings"),
        ({"sust_emp_fs_or_both": "120"}, "is not a percentage"),
        ({"earnings_median": "lots"}, "earnings_median"),
    ],
)
def test_bad_cells_are_reported_not_loaded(
    tmp_path: Path, sqlite_database: Database, change: dict[str, str], expected: str
) -> None:
    from lmi.store import migrate

    migrate(sqlite_database)
    write_leo_fixture(tmp_path, {("Computing", "Female", 10): change})
    built = build(sqlite_database, tmp_path, [LEO])
    assert not built.promoted
    assert any(expected in p for p in built.errors()), built.problems


def test_totals_that_do_not_add_up_are_warned(tmp_path: Path, sqlite_database: Database) -> None:
    from lmi.store import migrate

    migrate(sqlite_database)
    write_leo_fixture(tmp_path, {("Total", "Female", 3): {"grads": "999995"}})
    built = build(sqlite_database, tmp_path, [LEO])
    assert built.promoted
    assert any("subjects sum to" in w for w in built.warnings()), built.problems


def _write_industry(source: Path) -> None:
    path = source / INDUSTRY
    path.parent.mkdir(parents=True, exist_ok=True)
    from lmi.datasets.leo.codes import REGION_OF_NAME, SECTION_OF_NAME

    header = [
        "",
        "YAG",
        "region",
        "SECTIONNAME",
        "trained_in_region",
        "number_of_providers",
        "subject_name",
        "living_in_region",
        "earnings_median",
        "difference",
        "difference_prop",
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        n = 0
        for yag in (1, 3, 5, 10):
            for region in REGION_OF_NAME:
                for section in SECTION_OF_NAME:
                    for subject in ("All", "Computing"):
                        n += 1
                        median = "-10000" if section == "MINING AND QUARRYING" else "25000"
                        living = "NA" if section == "NOT KNOWN" else "120"
                        prop = "Inf" if section == "EDUCATION" else "0.2"
                        writer.writerow(
                            [n, yag, region, section, 100, 7, subject, living, median, 20, prop]
                        )


def test_industry_file_is_optional_and_its_sentinels_become_symbols(
    tmp_path: Path, sqlite_database: Database
) -> None:
    from lmi.store import migrate

    migrate(sqlite_database)
    write_leo_fixture(tmp_path)
    _write_industry(tmp_path)
    built = build(sqlite_database, tmp_path, [LEO])
    assert built.promoted, built.problems
    counts = dict(
        sqlite_database.execute(
            "SELECT coalesce(earnings_median_symbol, '-'), count(*) FROM leo_industry_region "
            "GROUP BY 1"
        ).rows
    )
    per_section = 4 * 9 * 2
    assert counts == {"c": per_section, "-": per_section * 21}
    living = sqlite_database.execute(
        "SELECT living_in_region, living_in_region_symbol FROM leo_industry_region "
        "WHERE sic_section = 'NK' LIMIT 1"
    ).rows
    assert living == [(None, "x")]
    props = sqlite_database.execute(
        "SELECT DISTINCT difference_prop FROM leo_industry_region WHERE sic_section = 'P'"
    ).rows
    assert props == [(None,)]


# -- real files --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def leo_db(source_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Database:
    from lmi.store import migrate

    db = Database(f"sqlite:///{tmp_path_factory.mktemp('leo') / 'lmi.sqlite'}")
    migrate(db)
    built = build(db, source_dir, [LEO])
    assert built.promoted, built.problems
    return db


def _source_rows(source_dir: Path) -> list[dict[str, str]]:
    with (source_dir / EARNINGS).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.realdata
def test_real_file_loads_every_row_with_its_symbols(leo_db: Database, source_dir: Path) -> None:
    source = _source_rows(source_dir)
    rows = _rows(leo_db)
    assert len(rows) == len(source) == 432
    suppressed = sum(1 for r in source for v in r.values() if v == "c")
    symbols = sum(1 for r in rows for k, v in r.items() if k.endswith("_symbol") and v == "c")
    assert symbols == suppressed > 0


@pytest.mark.realdata
def test_real_computing_female_5_yag_matches_the_source_line(
    leo_db: Database, source_dir: Path
) -> None:
    [line] = [
        r
        for r in _source_rows(source_dir)
        if (r["subject_name"], r["sex"], r["YAG"]) == ("Computing", "Female", "5 YAG")
    ]
    [row] = _rows(leo_db, "cah_code = '11-01' AND sex = 'female' AND yag = 5")
    assert row["graduates"] == int(line["grads"])
    assert row["earnings_included"] == int(line["earnings_include"])
    assert row["earnings_lq"] == float(line["earnings_LQ"])
    assert row["earnings_median"] == float(line["earnings_median"])
    assert row["earnings_uq"] == float(line["earnings_UQ"])
    assert row["sustained_rate"] == float(line["sust_emp_fs_or_both"])
    assert row["academic_year"] == line["academic_year"]


@pytest.mark.realdata
def test_real_industry_file_loads(leo_db: Database) -> None:
    count, suppressed = leo_db.execute(
        "SELECT count(*), sum(CASE WHEN earnings_median_symbol = 'c' THEN 1 ELSE 0 END) "
        "FROM leo_industry_region"
    ).rows[0]
    assert count > 20000 and 0 < suppressed < count
    negative = leo_db.execute(
        "SELECT count(*) FROM leo_industry_region WHERE earnings_median < 0"
    ).scalar()
    assert negative == 0
