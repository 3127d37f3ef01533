"""The build-time differencing pass over Table 14 job counts and pay totals.

For each edition and measure, cells are (code, pattern) with patterns all / full-time /
part-time. Relations: every parent code equals the sum of its children (per pattern) and
all = full-time + part-time (per code). Job counts are protected where ONS suppressed them;
pay totals (mean × jobs) where the mean or the job count is suppressed. Secondary suppressions
withhold further job counts or means; a percentage change is withheld when the previous year's
figure is suppressed (change and current value would give it back).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

from lmi.datasets.ashe.cells import Cell, CellKey, servable
from lmi.sdc import Relation, Served, protect
from lmi.sdc.policy import ASHE, SUPPRESSED

__all__ = ["protect_differencing", "protect_changes", "relations_for"]

PATTERNS = ("all", "full-time", "part-time")
SECONDARY = f"{ASHE.id}:secondary-differencing"


def protect_differencing(cells: dict[CellKey, Cell]) -> int:
    """Apply secondary suppression in place; returns how many statistics were withheld."""
    tables: dict[tuple[int, str, str, str], dict[tuple[str, str], Cell]] = defaultdict(dict)
    for cell in cells.values():
        if cell.sex == "all" and cell.area == "K02000001" and "jobs" in cell.stats:
            tables[(cell.year, cell.edition, cell.soc_version, cell.measure)][
                (cell.code, cell.pattern)
            ] = cell
    withheld = 0
    for table in tables.values():
        withheld += _protect_table(table)
    return withheld


def relations_for(codes: set[str]) -> list[Relation]:
    """Hierarchy relations per pattern, and all = full-time + part-time per code."""
    children: dict[str, list[str]] = defaultdict(list)
    for code in codes:
        if code == "all":
            continue
        parent = "all" if len(code) == 1 else code[:-1]
        if parent in codes:
            children[parent].append(code)
    relations = [
        Relation((parent, p), tuple((c, p) for c in sorted(kids)))
        for parent, kids in sorted(children.items())
        for p in PATTERNS
    ]
    relations += [Relation((c, "all"), ((c, "full-time"), (c, "part-time"))) for c in sorted(codes)]
    return relations


def _protect_table(table: dict[tuple[str, str], Cell]) -> int:
    relations = relations_for({code for code, _ in table})
    jobs_hidden, jobs_protected = _states(table, "jobs")
    extra_jobs = protect(
        jobs_protected, relations, hidden=jobs_hidden, cost=lambda c: _cost(table, c, "jobs")
    )
    withheld = _withhold(table, extra_jobs, "jobs")
    mean_hidden, mean_protected = _states(table, "mean")
    total_protected = mean_protected | (jobs_protected | extra_jobs) - mean_hidden
    total_hidden = mean_hidden | jobs_hidden | jobs_protected | extra_jobs
    extra_means = protect(
        total_protected, relations, hidden=total_hidden, cost=lambda c: _cost(table, c, "jobs")
    )
    return withheld + _withhold(table, extra_means, "mean")


def _states(table: dict[tuple[str, str], Cell], stat: str) -> tuple[set[Hashable], set[Hashable]]:
    """(hidden but not protected, protected) cells for ``stat``; absent cells are hidden."""
    hidden: set[Hashable] = set()
    protected: set[Hashable] = set()
    codes = {code for code, _ in table}
    for code in codes:
        for pattern in PATTERNS:
            cell = table.get((code, pattern))
            served = cell.stats.get(stat) if cell is not None else None
            if served is not None and served.status in SUPPRESSED and cell is not None:
                if cell.method == "observed":
                    protected.add((code, pattern))
                    continue
            if not servable(served):
                hidden.add((code, pattern))
    return hidden - protected, protected


def _cost(table: dict[tuple[str, str], Cell], key: Hashable, stat: str) -> float:
    cell = table.get(key)  # type: ignore[call-overload]
    value = cell.value(stat) if cell is not None else None
    return value if value is not None else 0.0


def _withhold(table: dict[tuple[str, str], Cell], keys: set[Hashable], stat: str) -> int:
    for key in keys:
        cell = table[key]  # type: ignore[index]
        cell.stats[stat] = Served(None, "suppressed_disclosure", "none", SECONDARY)
    return len(keys)


def protect_changes(cells: dict[CellKey, Cell]) -> int:
    """Withhold a % change whose previous-year figure (held in this release) is suppressed."""
    withheld = 0
    for cell in cells.values():
        for stat in ("median", "mean"):
            change = cell.stats.get(f"{stat}_change")
            if change is None or not change.servable:
                continue
            previous = _previous_year(cells, cell)
            if previous is not None and previous.stats.get(stat, change).status in SUPPRESSED:
                rule = f"{ASHE.id}:secondary-change"
                cell.stats[f"{stat}_change"] = Served(None, "suppressed_disclosure", "none", rule)
                withheld += 1
    return withheld


def _previous_year(cells: dict[CellKey, Cell], cell: Cell) -> Cell | None:
    for edition in ("r", "p"):
        key = (cell.year - 1, edition, *cell.key[2:])
        if key in cells:
            return cells[key]
    return None
