"""``lmi data diff``: what would change between two releases, table by table, by primary key.

Rows are matched on each table's primary key (without ``release_id``): a key only in the newer
release is *added*, only in the older *removed*, in both with another value *changed*. Numeric
changes are ranked by relative size; :func:`jump_problems` turns row-count and value jumps
larger than a percentage into build warnings.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from lmi.checks import Problem
from lmi.store.database import Database
from lmi.store.schema import release_scoped_tables

__all__ = ["Change", "ReleaseDiff", "TableDiff", "diff_releases", "jump_problems"]

SAMPLE = 10


@dataclass(frozen=True)
class Change:
    table: str
    key: str
    column: str
    old: Any
    new: Any

    @property
    def percent(self) -> float:
        if self.old == 0:
            return math.inf if self.new != 0 else 0.0
        return float((self.new - self.old) / abs(self.old) * 100)

    def as_dict(self) -> dict[str, Any]:
        pct = self.percent
        return {
            "table": self.table,
            "key": self.key,
            "column": self.column,
            "old": self.old,
            "new": self.new,
            "percent": None if math.isinf(pct) else round(pct, 2),
        }


@dataclass
class TableDiff:
    table: str
    rows_old: int
    rows_new: int
    added: int = 0
    removed: int = 0
    changed: int = 0
    added_keys: list[str] = field(default_factory=list)
    removed_keys: list[str] = field(default_factory=list)
    changed_columns: dict[str, int] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ReleaseDiff:
    old: int
    new: int
    tables: list[TableDiff] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def largest(self, n: int = SAMPLE) -> list[Change]:
        return sorted(self.changes, key=lambda c: (-abs(c.percent), str(c.key)))[:n]

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "tables": [t.as_dict() for t in self.tables],
            "largest_changes": [c.as_dict() for c in self.largest()],
        }


def diff_releases(db: Database, old: int, new: int) -> ReleaseDiff:
    """Compare every release-scoped table of release ``old`` with release ``new``."""
    diff = ReleaseDiff(old=old, new=new)
    for table in release_scoped_tables():
        table_diff = _diff_table(db, table, old, new, diff.changes)
        if table_diff.rows_old or table_diff.rows_new:
            diff.tables.append(table_diff)
    return diff


def _diff_table(
    db: Database, table: sa.Table, old: int, new: int, changes: list[Change]
) -> TableDiff:
    keys = [str(c.name) for c in table.primary_key.columns if c.name != "release_id"]
    if table.info.get("large"):
        return _diff_large_table(db, table, keys, old, new)
    before = _keyed(db.release_rows(table, old), keys)
    after = _keyed(db.release_rows(table, new), keys)
    result = TableDiff(table.name, rows_old=len(before), rows_new=len(after))
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    result.added, result.removed = len(added), len(removed)
    result.added_keys = [_label(k) for k in added[:SAMPLE]]
    result.removed_keys = [_label(k) for k in removed[:SAMPLE]]
    columns: Counter[str] = Counter()
    for key in sorted(before.keys() & after.keys()):
        differing = [c for c, v in after[key].items() if before[key].get(c) != v]
        if not differing:
            continue
        result.changed += 1
        columns.update(differing)
        for column in differing:
            was, now = before[key][column], after[key][column]
            if _number(was) and _number(now):
                changes.append(Change(table.name, _label(key), column, was, now))
    result.changed_columns = dict(columns.most_common())
    return result


def _diff_large_table(
    db: Database, table: sa.Table, keys: Sequence[str], old: int, new: int
) -> TableDiff:
    """Counts and sample keys, computed by the database (millions of rows stay out of memory).

    Changed values are counted per column but not listed, so they raise no jump warning.
    """
    a, b = table.alias("a"), table.alias("b")
    same_key = sa.and_(*(a.c[k] == b.c[k] for k in keys))
    values = [str(c.name) for c in table.columns if c.name not in keys and c.name != "release_id"]
    differs = {v: a.c[v].is_distinct_from(b.c[v]) for v in values}
    with db.engine.connect() as conn:
        rows = {release: _count_rows(conn, table, release) for release in (old, new)}
        result = TableDiff(table.name, rows_old=rows[old], rows_new=rows[new])
        for side, (mine, mine_id, other, other_id) in {
            "added": (b, new, a, old),
            "removed": (a, old, b, new),
        }.items():
            absent = ~sa.exists().where(other.c.release_id == other_id, same_key)
            only = sa.select(*(mine.c[k] for k in keys)).where(mine.c.release_id == mine_id, absent)
            found = conn.execute(sa.select(sa.func.count()).select_from(only.subquery()))
            sample = conn.execute(only.order_by(*only.selected_columns).limit(SAMPLE))
            setattr(result, side, int(found.scalar_one()))
            setattr(result, f"{side}_keys", [_label(tuple(row)) for row in sample])
        if differs:
            sums = [_flagged(sa.or_(*differs.values())), *map(_flagged, differs.values())]
            joined = sa.select(*sums).select_from(a.join(b, same_key))
            totals = conn.execute(joined.where(a.c.release_id == old, b.c.release_id == new)).one()
            result.changed = int(totals[0] or 0)
            counted = {v: int(n or 0) for v, n in zip(values, totals[1:], strict=True) if n}
            result.changed_columns = dict(sorted(counted.items(), key=lambda item: -item[1]))
    return result


def _count_rows(conn: sa.Connection, table: sa.Table, release_id: int) -> int:
    statement = sa.select(sa.func.count()).select_from(table)
    return int(conn.execute(statement.where(table.c.release_id == release_id)).scalar_one())


def _flagged(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[Any]:
    """How many rows meet ``condition`` (a SUM that works on SQLite and PostgreSQL)."""
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _keyed(
    rows: list[dict[str, Any]], keys: Sequence[str]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row.pop(k) for k in keys)
        found[key] = row
    return found


def _label(key: tuple[Any, ...]) -> str:
    return "/".join("" if v is None else str(v) for v in key)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def jump_problems(diff: ReleaseDiff, percent: float) -> list[Problem]:
    """Warnings for row counts and numbers that moved by more than ``percent`` %."""
    problems: list[Problem] = []
    for t in diff.tables:
        if t.rows_old and abs(t.rows_new - t.rows_old) / t.rows_old * 100 > percent:
            moved = (t.rows_new - t.rows_old) / t.rows_old * 100
            problems.append(
                Problem(
                    "warning",
                    "suspicious-jump",
                    f"{t.table} has {t.rows_new:,} rows; production has {t.rows_old:,} "
                    f"({moved:+.1f}%, more than ±{percent:g}%)",
                    column=t.table,
                )
            )
    by_column: dict[tuple[str, str], list[Change]] = {}
    for c in diff.changes:
        if abs(c.percent) > percent:
            by_column.setdefault((c.table, c.column), []).append(c)
    for (table, column), found in sorted(by_column.items()):
        worst = sorted(found, key=lambda c: -abs(c.percent))[:3]
        examples = ", ".join(f"{c.key}: {c.old} → {c.new}" for c in worst)
        problems.append(
            Problem(
                "warning",
                "suspicious-jump",
                f"{table}.{column}: {len(found):,} values moved by more than {percent:g}% "
                f"since production, e.g. {examples}",
                column=f"{table}.{column}",
            )
        )
    return problems
