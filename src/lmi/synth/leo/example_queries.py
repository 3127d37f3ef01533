"""The example researcher queries shipped with the synthetic extract (``queries/*.sql``).

They are written the way researchers write SQL against the LEO views in the Secure Research
Service (view names unqualified, portable SQL: no SQLite- or T-SQL-only functions, ISO date
literals), and run unchanged on the synthetic SQLite file's views.
"""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path
from typing import Any

from lmi.synth.leo.fitting import SynthError

__all__ = ["names", "read", "run"]

_PACKAGE = "lmi.synth.leo.queries"


def names() -> list[str]:
    """The shipped query names (file stems), sorted."""
    return sorted(
        Path(entry.name).stem
        for entry in resources.files(_PACKAGE).iterdir()
        if entry.name.endswith(".sql")
    )


def read(name: str) -> str:
    if name not in names():
        raise SynthError(f"unknown example query {name!r}: one of {', '.join(names())}")
    return resources.files(_PACKAGE).joinpath(f"{name}.sql").read_text(encoding="utf-8")


def run(database: Path, name: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run query ``name`` on a synthetic extract's SQLite file: (column names, rows)."""
    if not database.is_file():
        raise SynthError(f"{database}: no such SQLite file (generate with --format all)")
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        cursor = conn.execute(read(name))
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()
    except sqlite3.Error as exc:
        raise SynthError(f"{name}: {exc}") from None
    finally:
        conn.close()
