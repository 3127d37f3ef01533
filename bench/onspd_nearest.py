"""Time lat,lng → nearest postcode with the position index against the previous full search.

Builds the ``onspd`` dataset alone from a generated ONSPD-shaped file (invented postcodes at
random positions, see ``bench/onspd_load.py``) into a temporary SQLite store, then answers the
same random points twice in the same run:

- **indexed**: ``PostcodeIndex.nearest`` (boxes growing from ~1 km over the lat,lng index);
- **baseline**: the previous query, one ~55 km box ordered by distance, with the index dropped
  (as stores had it before): it reads every postcode of the release.

It checks both give the same postcode for every point and prints milliseconds per lookup and
their ratio::

    .venv/bin/python bench/onspd_nearest.py                  # 600,000 rows, 200 points
    .venv/bin/python bench/onspd_nearest.py --rows 2700000   # the full directory's size
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lmi.datasets.onspd import ONSPD
from lmi.datasets.onspd.index import NEAREST_DEGREES, PostcodeIndex
from lmi.datasets.onspd.tables import POSITION_INDEX, onspd_postcodes
from lmi.etl import build_release
from lmi.store import Database, migrate
from onspd_load import write_directory


def baseline(db: Database, release_id: int, latitude: float, longitude: float) -> str | None:
    """The search before the index: one widest box, every postcode of the release read."""
    t = onspd_postcodes.c
    scale = max(math.cos(math.radians(latitude)), 0.1)
    half = NEAREST_DEGREES
    distance = (t.latitude - latitude) * (t.latitude - latitude) + (
        (t.longitude - longitude) * scale
    ) * ((t.longitude - longitude) * scale)
    statement = (
        sa.select(t.postcode)
        .where(
            t.release_id == release_id,
            t.latitude.between(latitude - half, latitude + half),
            t.longitude.between(longitude - half / scale, longitude + half / scale),
        )
        .order_by(distance, t.postcode)
        .limit(1)
    )
    with db.engine.connect() as conn:
        found = conn.execute(statement).scalar()
    return None if found is None else str(found)


def timed(
    points: list[tuple[float, float]], lookup: Callable[[float, float], str | None]
) -> tuple[list[str | None], float]:
    """Answers and the median milliseconds per lookup."""
    answers: list[str | None] = []
    times: list[float] = []
    for lat, lng in points:
        started = time.perf_counter()
        answers.append(lookup(lat, lng))
        times.append((time.perf_counter() - started) * 1000)
    return answers, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rows", type=int, default=600_000)
    parser.add_argument("--points", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lmi-onspd-nearest-") as tmp:
        root = Path(tmp)
        write_directory(root / "onspd" / "Data" / "ONSPD_BENCH_2000_UK.csv", args.rows)
        db = Database(f"sqlite:///{root / 'lmi.sqlite'}")
        migrate(db)
        started = time.perf_counter()
        report = build_release(db, root, [ONSPD], promote=False)
        postcodes = report.datasets[0].rows_loaded.get(onspd_postcodes.name, 0)
        print(f"built {postcodes:,} live postcodes in {time.perf_counter() - started:.1f} s")
        rng = random.Random(3)
        # inside the generated area (lat 50-55.5, lng -5-1.7) and around it (sea, far away)
        points = [(rng.uniform(49.5, 56.0), rng.uniform(-5.5, 2.2)) for _ in range(args.points)]
        index = PostcodeIndex(db, report.release_id, {})
        fast, fast_ms = timed(points, index.nearest)
        with db.engine.begin() as conn:
            conn.execute(sa.text(f"DROP INDEX {POSITION_INDEX}"))
        slow, slow_ms = timed(points, lambda la, ln: baseline(db, report.release_id, la, ln))
        db.close()
    differ = sum(a != b for a, b in zip(fast, slow, strict=True))
    print(f"{args.points} points, {sum(a is None for a in fast)} with no postcode within ~50 km")
    print(f"indexed:  {fast_ms:8.2f} ms per lookup (median)")
    print(f"baseline: {slow_ms:8.2f} ms per lookup (median, no index, one widest box)")
    print(f"speed-up: {slow_ms / fast_ms:8.1f}x; answers that differ: {differ}")
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
