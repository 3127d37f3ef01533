"""lat,lng → nearest postcode through the position index: same answers as a full search.

The directory here is synthetic (invented postcodes at seeded random positions, written
straight into ``onspd_postcodes`` of an unused release id): towns of close postcodes, sparse
open country, and a corner case where the nearest postcode lies just outside the first box.
"""

from __future__ import annotations

import math
import random

import pytest
import sqlalchemy as sa

from lmi.datasets.onspd.index import NEAREST_DEGREES, SEARCH_STEPS, PostcodeIndex
from lmi.datasets.onspd.tables import POSITION_INDEX, onspd_postcodes
from lmi.store import Database, migrate

RELEASE = 9001  # no such release is ever built in these stores
Point = tuple[str, float, float]


def _synthetic_directory(seed: int = 7) -> list[Point]:
    rng = random.Random(seed)
    points: list[Point] = []
    towns = [(51.5, -0.12), (53.48, -2.24), (55.95, -3.19)]
    for t, (lat, lng) in enumerate(towns):  # dense: ~100 m apart
        for i in range(400):
            points.append(
                (f"T{t}{i:04d}X", lat + rng.uniform(-0.03, 0.03), lng + rng.uniform(-0.05, 0.05))
            )
    for i in range(300):  # open country: kilometres apart
        points.append((f"C{i:05d}X", rng.uniform(50.0, 58.0), rng.uniform(-5.5, 1.5)))
    # the nearest to (52.0, -1.0) lies 0.0105° north, just outside the first box (0.01°),
    # while one inside the box's corner is farther (0.0127°)
    scale = math.cos(math.radians(52.0))
    points.append(("EDGE1AA", 52.0105, -1.0))
    points.append(("EDGE2AA", 52.009, -1.0 + 0.009 / scale))
    return points


def _brute_force(points: list[Point], lat: float, lng: float) -> str | None:
    """The definition: the nearest within the widest box, ties broken by postcode."""
    scale = max(math.cos(math.radians(lat)), 0.1)
    half = NEAREST_DEGREES
    inside = [
        ((p_lat - lat) ** 2 + ((p_lng - lng) * scale) ** 2, code)
        for code, p_lat, p_lng in points
        if abs(p_lat - lat) <= half and abs(p_lng - lng) <= half / scale
    ]
    return min(inside)[1] if inside else None


@pytest.fixture
def directory(database: Database) -> list[Point]:
    points = _synthetic_directory()
    with database.engine.begin() as conn:
        conn.execute(
            onspd_postcodes.insert(),
            [
                {"release_id": RELEASE, "postcode": c, "latitude": la, "longitude": ln}
                for c, la, ln in points
            ],
        )
    return points


def test_the_index_answers_exactly_as_a_full_search(
    database: Database, directory: list[Point]
) -> None:
    index = PostcodeIndex(database, RELEASE, {})
    rng = random.Random(11)
    queries = [(52.0, -1.0), (51.5, -0.12), (60.5, -1.0), (49.0, -8.0)]
    queries += [(rng.uniform(49.5, 59.0), rng.uniform(-6.0, 2.0)) for _ in range(150)]
    queries += [(la + 0.002, ln - 0.003) for _, la, ln in directory[::97]]
    answers = [(q, index.nearest(*q), _brute_force(directory, *q)) for q in queries]
    assert [a for a in answers if a[1] != a[2]] == []
    assert index.nearest(52.0, -1.0) == "EDGE1AA"  # not the corner one found first
    found = {a[1] for a in answers}
    assert None in found and len(found) > 50  # far points, and many distinct answers


def test_each_step_is_wider_and_the_last_is_the_widest() -> None:
    assert list(SEARCH_STEPS) == sorted(set(SEARCH_STEPS))
    assert SEARCH_STEPS[-1] == NEAREST_DEGREES


def test_sqlite_walks_the_position_index(sqlite_database: Database) -> None:
    migrate(sqlite_database)
    index = PostcodeIndex(sqlite_database, RELEASE, {})
    statement = index._nearest_in(52.0, -1.0, math.cos(math.radians(52.0)), SEARCH_STEPS[0])
    compiled = statement.compile(
        dialect=sqlite_database.engine.dialect, compile_kwargs={"literal_binds": True}
    )
    with sqlite_database.engine.connect() as conn:
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
    assert f"INDEX {POSITION_INDEX} (release_id=? AND latitude>? AND latitude<?)" in plan


def test_migrate_adds_the_index_to_a_store_made_before_it(database: Database) -> None:
    with database.engine.begin() as conn:
        conn.execute(sa.text(f"DROP INDEX {POSITION_INDEX}"))
    assert POSITION_INDEX not in _indexes(database)
    migrate(database)
    assert POSITION_INDEX in _indexes(database)
    migrate(database)  # and only once


def _indexes(database: Database) -> set[str]:
    with database.engine.connect() as conn:
        return {str(i["name"]) for i in sa.inspect(conn).get_indexes(onspd_postcodes.name)}
