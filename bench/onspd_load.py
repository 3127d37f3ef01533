"""Time the postcode-directory loader on a generated ONSPD-shaped file (no real data).

Writes a synthetic ``onspd/Data/ONSPD_BENCH_2000_UK.csv`` (53 published columns, about a third
of the rows terminated, like the real file) into a temporary source directory, builds the
``onspd`` dataset alone into a fresh store and prints the seconds taken and the peak memory::

    .venv/bin/python bench/onspd_load.py                 # 2.7 million rows into SQLite
    .venv/bin/python bench/onspd_load.py --rows 300000 --database-url postgresql://…/lmi

Generating the full-size file takes about 30 s and 1.6 GB of disk (removed afterwards).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

HEADER = (
    "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,"
    "osgrdind,oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl,statsward,oa01,casward,"
    "npark,lsoa01,msoa01,ur01ind,oac01,oa11,lsoa11,msoa11,wz11,sicbl,bua11,buasd11,ru11ind,oac11,"
    "lat,long,lep1,lep2,pfa,imd,calncv,icb,oa21,lsoa21,msoa21"
).split(",")
LETTERS = np.array(list("ABCDEFGHJKLMNOPRSTUWYZ"))


def write_directory(path: Path, rows: int, seed: int = 1, chunk: int = 100_000) -> None:
    """A synthetic directory of ``rows`` distinct postcodes in the published layout."""
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    options = pacsv.WriteOptions(quoting_style="needed")
    schema = pa.schema([(name, _type(name)) for name in HEADER])
    with pacsv.CSVWriter(path, schema, write_options=options) as writer:
        for start in range(0, rows, chunk):
            i = np.arange(start, min(start + chunk, rows))
            writer.write_table(pa.table(_columns(i, rng), schema=schema))


def _type(name: str) -> pa.DataType:
    return {"lat": pa.float64(), "long": pa.float64(), "imd": pa.int64()}.get(name, pa.string())


def _columns(i: np.ndarray, rng: np.random.Generator) -> dict[str, object]:
    """One chunk of rows: postcodes from ``i`` (mixed radix: distinct up to 23 million)."""
    n = len(i)
    first, second = LETTERS[(i // 1_064_800) % 22], LETTERS[(i // 22) % 22]
    third, last = LETTERS[(i // 48_400) % 22], LETTERS[i % 22]
    district, sector = ((i // 4840) % 10).astype(str), ((i // 484) % 10).astype(str)
    outward = np.char.add(np.char.add(first, second), district)
    inward = np.char.add(np.char.add(sector, third), last)
    columns: dict[str, object] = {name: np.full(n, "E99999999") for name in HEADER}
    columns["pcds"] = np.char.add(np.char.add(outward, " "), inward)
    columns["pcd"] = np.char.add(np.char.ljust(outward, 4), inward)
    columns["pcd2"] = np.char.add(np.char.ljust(outward, 5), inward)
    columns["dointr"] = np.full(n, "198001")
    columns["doterm"] = np.where(rng.random(n) < 0.33, "201206", "")
    counties = np.array([f"E100000{k:02d}" for k in range(1, 22)] + ["E99999999"] * 20)
    columns["oscty"] = counties[rng.integers(0, len(counties), n)]
    districts = np.array([f"E0{k:07d}" for k in range(1, 301)])
    columns["oslaua"] = districts[rng.integers(0, len(districts), n)]
    columns["ctry"] = np.full(n, "E92000001")
    columns["rgn"] = np.array([f"E1200000{k}" for k in range(1, 10)])[rng.integers(0, 9, n)]
    leps = np.array([f"E370000{k:02d}" for k in range(1, 39)])
    columns["lep1"] = leps[rng.integers(0, 38, n)]
    columns["lep2"] = np.where(rng.random(n) < 0.05, leps[rng.integers(0, 38, n)], "")
    columns["lat"] = np.round(rng.uniform(50, 55.5, n), 6)
    columns["long"] = np.round(rng.uniform(-5, 1.7, n), 6)
    columns["imd"] = rng.integers(1, 32000, n)
    return columns


def load(source: Path, database_url: str | None) -> None:
    """Build ``onspd`` from ``source`` into a fresh store (run in its own process)."""
    from lmi.datasets.onspd import ONSPD
    from lmi.etl import build_release
    from lmi.store import Database, migrate

    db = Database(database_url or f"sqlite:///{source / 'lmi.sqlite'}")
    migrate(db)
    started = time.perf_counter()
    report = build_release(db, source, [ONSPD], promote=False)
    loaded = report.datasets[0]
    print(f"onspd {loaded.status}: {loaded.rows_loaded} in {time.perf_counter() - started:.1f} s")
    print(f"peak RSS of the build process: {_peak_mb()} MB")
    db.close()


def _peak_mb() -> int:
    """Peak resident memory of this process since its exec (VmHWM; ru_maxrss would count the
    parent's pages shared before the exec)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rows", type=int, default=2_700_000)
    parser.add_argument("--database-url", help="store to build into (default: a temp SQLite)")
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.source is not None:
        load(args.source, args.database_url)
        return
    with tempfile.TemporaryDirectory(prefix="lmi-onspd-bench-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        write_directory(root / "onspd" / "Data" / "ONSPD_BENCH_2000_UK.csv", args.rows)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
        command = [sys.executable, __file__, "--source", str(root)]
        if args.database_url:
            command += ["--database-url", args.database_url]
        subprocess.run(command, check=True)  # its own process: the peak is the loader's alone


if __name__ == "__main__":
    main()
