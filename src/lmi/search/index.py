"""The coder's index, read from a release in the store: coding-index entries and unit groups.

For SOC 2010 the SOC 2010 coding index is joined by the SOC 2020 index rows, which carry SOC 2010
codes for newer titles ("UX researcher", "Scrum master"); for SOC 2020 the SOC 2020 index. Both
add the unit-group titles and the Volume 1 related job titles. ``see`` cross-references
become aliases of the entry they point to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa

from lmi.datasets.soc.tables import soc_groups, soc_index_entries
from lmi.store.database import Database

__all__ = [
    "VERSIONS",
    "Alias",
    "Entry",
    "GroupRow",
    "IndexRow",
    "aliases_for",
    "documents_for",
    "entries_for",
    "forward_codes",
    "read_groups",
    "read_index",
    "split_bracket",
]

VERSIONS = ("soc2010", "soc2020")
#: weight of an entry by where it comes from (an index title of the version itself counts most)
SOURCE_WEIGHT = {"index": 1.0, "related": 0.9, "crosscoded": 0.7, "title": 0.6}
#: least share of a SOC 2010 group's titles one SOC 2020 group must hold for SOC 2010 index titles
#: the SOC 2020 index lacks to join the SOC 2020 coder under that group
FORWARD_SHARE = 0.8
_BRACKET = re.compile(r"\s*\(([^)]*)\)\s*")
_SEE = re.compile(r"^\W*see\s+(also\s+)?", re.IGNORECASE)


class IndexRow(NamedTuple):
    """One row of ``soc_index_entries`` (the columns the coder uses)."""

    version: str
    indexocc: str
    natural_title: str
    add_qualifier: str | None
    ind_qualifier: str | None
    see: str | None
    soc_code: str | None
    soc2010: str | None


@dataclass(frozen=True, slots=True)
class GroupRow:
    version: str
    code: str
    title: str
    related_titles: tuple[str, ...]
    description: str = ""
    tasks: tuple[str, ...] = ()


class Entry(NamedTuple):
    """One title the coder can match: a coding-index entry, a related title or a group title."""

    code: str
    title: str  # natural order, e.g. "Software developer"
    qualifier: str  # ADD/IND qualifiers, e.g. "computing" (may be empty)
    source: str  # index | crosscoded | related | title
    weight: float

    @property
    def label(self) -> str:
        """How the entry is shown as ``matched``: ``Developer (computing)``."""
        return f"{self.title} ({self.qualifier})" if self.qualifier else self.title


@dataclass(frozen=True, slots=True)
class Alias:
    """A ``see`` cross-reference: ``title`` means the same as ``target`` (natural order)."""

    title: str
    target: str


def read_index(db: Database, release_id: int) -> list[IndexRow]:
    c = soc_index_entries.c
    statement = (
        sa.select(
            c.soc_version,
            c.indexocc,
            c.natural_title,
            c.add_qualifier,
            c.ind_qualifier,
            c.see,
            c.soc_code,
            c.soc2010,
        )
        .where(c.release_id == release_id)
        .order_by(c.soc_version, c.entry_id)
    )
    with db.engine.connect() as conn:
        make = IndexRow._make
        return [make(row) for row in conn.execute(statement)]


def read_groups(db: Database, release_id: int) -> list[GroupRow]:
    c = soc_groups.c
    statement = sa.select(
        c.soc_version, c.code, c.title, c.related_titles_json, c.description, c.tasks_json
    ).where(c.release_id == release_id, c.level == "unit_group")
    with db.engine.connect() as conn:
        return [
            GroupRow(
                version,
                code,
                title,
                tuple(json.loads(related or "[]")),
                description or "",
                tuple(json.loads(tasks or "[]")),
            )
            for version, code, title, related, description, tasks in conn.execute(statement)
        ]


def documents_for(version: str, groups: Iterable[GroupRow]) -> dict[str, str]:
    """Each unit group's Volume 1 text (title, description, tasks): what the words of a title
    never seen in the index can be compared with."""
    return {
        g.code: " ".join([g.title, g.description, *g.tasks]) for g in groups if g.version == version
    }


def _qualifier(row: IndexRow) -> str:
    add, ind = row.add_qualifier, row.ind_qualifier
    if not add and not ind:
        return ""
    parts = (q.strip().strip("()").strip() for q in (add, ind) if q)
    return "; ".join(p for p in parts if p)


def split_bracket(text: str) -> tuple[str, str]:
    """``Programme manager (computing)`` → (``Programme manager``, ``computing``)."""
    qualifier = "; ".join(m.strip() for m in _BRACKET.findall(text) if m.strip())
    return _BRACKET.sub(" ", text).strip(), qualifier


def forward_codes(rows: Iterable[IndexRow], least: float = FORWARD_SHARE) -> dict[str, str]:
    """SOC 2010 code → the SOC 2020 code that at least ``least`` of the SOC 2020 index titles
    coded to it in SOC 2010 carry (the ONS dual coding of the index, title by title)."""
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        if row.version == "soc2020" and row.soc_code and row.soc2010:
            by_code = counts.setdefault(row.soc2010, {})
            by_code[row.soc_code] = by_code.get(row.soc_code, 0) + 1
    out = {}
    for old, by_code in counts.items():
        code, n = max(by_code.items(), key=lambda item: (item[1], item[0]))
        if n >= least * sum(by_code.values()):
            out[old] = code
    return out


def _index_entries(version: str, rows: Iterable[IndexRow]) -> Iterator[Entry]:
    rows = list(rows)
    forward = forward_codes(rows) if version == "soc2020" else {}
    own = {row.natural_title for row in rows if row.version == version} if forward else set()
    weight = SOURCE_WEIGHT["crosscoded"]
    for row in rows:
        if row.version == version and row.soc_code:
            yield Entry(row.soc_code, row.natural_title, _qualifier(row), "index", 1.0)
        elif version == "soc2010" and row.version == "soc2020" and row.soc2010:
            yield Entry(row.soc2010, row.natural_title, _qualifier(row), "crosscoded", weight)
        elif (
            forward
            and row.version == "soc2010"
            and row.soc_code in forward
            and row.natural_title not in own
        ):
            code = forward[row.soc_code]
            yield Entry(code, row.natural_title, _qualifier(row), "crosscoded", weight)


def _group_entries(version: str, groups: Iterable[GroupRow]) -> Iterator[Entry]:
    for group in groups:
        if group.version != version:
            continue
        title = group.title.replace("n.e.c.", "").strip()
        yield Entry(group.code, title, "", "title", SOURCE_WEIGHT["title"])
        for related in group.related_titles:
            name, qualifier = split_bracket(related)
            yield Entry(group.code, name, qualifier, "related", SOURCE_WEIGHT["related"])


def entries_for(version: str, rows: Iterable[IndexRow], groups: Iterable[GroupRow]) -> list[Entry]:
    """Every matchable title of one SOC version."""
    rows = list(rows)
    return [*_index_entries(version, rows), *_group_entries(version, groups)]


def aliases_for(version: str, rows: Iterable[IndexRow]) -> list[Alias]:
    """``see`` cross-references of one version (``see notes`` carries no target: skipped)."""
    from lmi.datasets.soc.parse import natural_order

    found: list[Alias] = []
    for row in rows:
        if row.version != version or not row.see or row.soc_code:
            continue
        target = _SEE.sub("", row.see.strip()).strip()
        target, _ = split_bracket(target)
        if target and "notes" not in target.lower():
            found.append(Alias(row.natural_title, natural_order(target)))
    return found
