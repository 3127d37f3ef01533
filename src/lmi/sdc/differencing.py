"""Protection against differencing: no combination of served figures reveals a hidden cell.

Additive figures (job counts, pay totals) satisfy linear relations such as *total = Σ parts*
(a minor group and its unit groups; all employees = full-time + part-time). If every figure
of a relation but one is served, the missing one is their difference. More generally a hidden
cell is **revealed** when its value is fixed by the system of relations once the served cells
are substituted: when its unit vector lies in the row space of the relations restricted to the
hidden cells. :func:`revealed` decides that exactly, by Gauss–Jordan elimination over the prime
field GF(2^61 − 1) (coefficients are small integers, so ranks agree with the rationals except
with negligible probability). :func:`protect` adds secondary suppressions until no protected
cell is revealed, choosing the cheapest published cell of a relation each time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Relation", "protect", "revealed"]

PRIME = (1 << 61) - 1


@dataclass(frozen=True)
class Relation:
    """``total = sum(parts)``."""

    total: Hashable
    parts: tuple[Hashable, ...]

    @property
    def cells(self) -> tuple[Hashable, ...]:
        return (self.total, *self.parts)


def revealed(hidden: Iterable[Hashable], relations: Sequence[Relation]) -> set[Hashable]:
    """Hidden cells whose value follows from the served ones (all cells not in ``hidden``)."""
    hidden_set = set(hidden)
    index: dict[Hashable, int] = {}
    pivots: dict[int, dict[int, int]] = {}
    for relation in relations:
        row = _row(relation, hidden_set, index)
        if row:
            _add_row(pivots, row)
    names = {i: cell for cell, i in index.items()}
    return {names[col] for col, row in pivots.items() if len(row) == 1}


def protect(
    protected: Iterable[Hashable],
    relations: Sequence[Relation],
    *,
    hidden: Iterable[Hashable] = (),
    cost: Callable[[Hashable], float] = lambda _cell: 1.0,
) -> set[Hashable]:
    """Secondary suppressions so that no ``protected`` cell is revealed.

    ``hidden`` are cells not served for other reasons (unavailable, not derived): unknown to a
    reader but needing no protection. Returns the cells to suppress in addition.
    """
    must = set(protected)
    unknown = must | set(hidden)
    by_cell = _relations_by_cell(relations)
    secondary: set[Hashable] = set()
    while True:
        exposed = sorted(revealed(unknown, relations) & must, key=repr)
        if not exposed:
            return secondary
        for cell in exposed:
            choice = _cheapest_partner(cell, by_cell, unknown, cost)
            if choice is None:  # pragma: no cover - every relation fully hidden cannot reveal
                continue
            secondary.add(choice)
            must.add(choice)
            unknown.add(choice)


def _row(relation: Relation, hidden: set[Hashable], index: dict[Hashable, int]) -> dict[int, int]:
    row: dict[int, int] = {}
    for cell, coefficient in ((relation.total, 1), *((p, -1) for p in relation.parts)):
        if cell in hidden:
            col = index.setdefault(cell, len(index))
            row[col] = (row.get(col, 0) + coefficient) % PRIME
    return {c: v for c, v in row.items() if v}


def _add_row(pivots: dict[int, dict[int, int]], row: dict[int, int]) -> None:
    """Reduce ``row`` by the pivot rows; if anything is left, make it a pivot (keeping RREF)."""
    for col in [c for c in row if c in pivots]:
        factor = row.get(col, 0)
        if factor:
            _axpy(row, pivots[col], -factor)
    if not row:
        return
    col = min(row)
    inverse = pow(row[col], PRIME - 2, PRIME)
    new = {c: v * inverse % PRIME for c, v in row.items()}
    for other in pivots.values():
        factor = other.get(col, 0)
        if factor:
            _axpy(other, new, -factor)
    pivots[col] = new


def _axpy(target: dict[int, int], source: dict[int, int], factor: int) -> None:
    """``target += factor · source`` over GF(p), dropping zeros."""
    for col, value in source.items():
        updated = (target.get(col, 0) + factor * value) % PRIME
        if updated:
            target[col] = updated
        else:
            target.pop(col, None)


def _relations_by_cell(relations: Sequence[Relation]) -> dict[Hashable, list[Relation]]:
    found: dict[Hashable, list[Relation]] = {}
    for relation in relations:
        for cell in relation.cells:
            found.setdefault(cell, []).append(relation)
    return found


def _cheapest_partner(
    cell: Hashable,
    by_cell: dict[Hashable, list[Relation]],
    unknown: set[Hashable],
    cost: Callable[[Hashable], float],
) -> Hashable | None:
    """The cheapest served cell sharing a relation with ``cell`` (searching outwards through
    hidden cells when its own relations are fully hidden); parts before totals."""
    seen_cells: set[Hashable] = {cell}
    frontier = [cell]
    while frontier:
        candidates: list[tuple[int, float, str, Hashable]] = []
        next_frontier: list[Hashable] = []
        for current in frontier:
            for relation in by_cell.get(current, []):
                for other in relation.cells:
                    if other in seen_cells:
                        continue
                    seen_cells.add(other)
                    if other in unknown:
                        next_frontier.append(other)
                    else:
                        is_total = 1 if other == relation.total else 0
                        candidates.append((is_total, cost(other), repr(other), other))
        if candidates:
            return min(candidates)[3]
        frontier = next_frontier
    return None
