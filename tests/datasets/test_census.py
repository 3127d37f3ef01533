"""Census 2021 TS063 (occupation) and TS058 (distance to work): loaders on format fixtures."""

from __future__ import annotations

import csv
from pathlib import Path

from lmi.datasets.census import CENSUS_DISTANCE, CENSUS_OCCUPATION
from lmi.store import Database
from tests.datasets.helpers import Built, build, copy_fixture, rewrite_csv

FOLDER = "census2021"
TS063_LTLA = "census2021-ts063-ltla.csv"


def _build(database: Database, source: Path) -> Built:
    return build(database, source, [CENSUS_OCCUPATION, CENSUS_DISTANCE])


def _values(db: Database, table: str, area: str) -> dict[str, int]:
    rows = db.execute(f"SELECT category, value FROM {table} WHERE area = :a", {"a": area}).rows
    return {str(c): int(v) for c, v in rows}


def test_fixtures_load_both_topics_and_levels(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    built = _build(database, tmp_path)
    assert built.promoted, built.problems
    camden = _values(database, "census_occupation", "E09000007")
    with (folder / TS063_LTLA).open(newline="", encoding="utf-8") as handle:
        source = next(r for r in csv.DictReader(handle) if r["geography code"] == "E09000007")
    assert camden["2"] == int(source["Occupation (current): 2. Professional occupations"])
    assert camden["all"] == sum(v for c, v in camden.items() if c != "all")
    # the region file heads its columns "Occupation: …": matched by category label
    london = _values(database, "census_occupation", "E12000007")
    assert len(london) == 10
    level = database.execute(
        "SELECT geography, area_name FROM census_occupation WHERE area = 'E12000007' LIMIT 1"
    ).first()
    assert level == ("rgn", "London")
    distance = _values(database, "census_distance", "E06000001")
    assert distance["home"] == 6000 and set(distance) >= {"lt2", "60+", "other", "all"}


def test_missing_category_and_bad_count_are_errors(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    path = folder / TS063_LTLA
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Elementary occupations", "Elementary"), encoding="utf-8")
    rewrite_csv(path, {0: {"Occupation (current): 2. Professional occupations": "many"}})
    built = _build(database, tmp_path)
    assert not built.promoted
    errors = "\n".join(built.errors())
    assert "no column for the category '9. Elementary occupations'" in errors
    assert "'many' is not a whole number of people" in errors
    assert any("is not a TS063 category: ignored" in w for w in built.warnings())


def test_categories_not_adding_up_is_a_warning(tmp_path: Path, database: Database) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    total = (
        "Distance travelled to work: Total: All usual residents aged 16 years and over in "
        "employment the week before the census"
    )
    rewrite_csv(folder / "census2021-ts058-ltla.csv", {1: {total: "99999"}})
    built = _build(database, tmp_path)
    assert built.promoted, built.errors()
    assert any("categories sum to 42,400, the total is 99,999" in w for w in built.warnings())


def test_only_the_lower_tier_file_is_required(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path, FOLDER)
    assert CENSUS_OCCUPATION.present(tmp_path) and CENSUS_DISTANCE.present(tmp_path)
    (folder / "census2021-ts058-ltla.csv").unlink()
    assert not CENSUS_DISTANCE.present(tmp_path)
    (folder / "census2021-ts063-rgn.csv").unlink()
    assert CENSUS_OCCUPATION.present(tmp_path)
