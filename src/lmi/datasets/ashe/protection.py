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
from lmi.sdc.policy import ASHE, ASHE_WORKBOOK, SUPPRESSED

__all__ = ["protect_differencing", "protect_changes", "relations_for"]

PATTERNS = ("all", "full-time", "part-time")
SECONDARY = f"{ASHE.id}:secondary-differencing"


def protect_differencing(cells: dict[CellKey, Cell]) -> int:
    """Apply secondary suppression in place; returns how many statistics were withheld.

    Per edition and measure. Where an edition publishes sex splits (the ONS workbooks) the
    cells are ``(code, sex, pattern)`` and *all = male + female* joins the relations, so a
    count ONS withheld for women cannot be had as all − men.
    """
    tables: dict[tuple[int, str, str, str], dict[tuple[str, str, str], Cell]] = defaultdict(dict)
    for cell in cells.values():
        if cell.area == "K02000001" and "jobs" in cell.stats:
            tables[(cell.year, cell.edition, cell.soc_version, cell.measure)][
                (cell.code, cell.sex, cell.pattern)
            ] = cell
    withheld = 0
    for table in tables.values():
        if not ASHE_WORKBOOK.protect and all(_from_workbook(c) for c in table.values()):
            continue  # exactly ONS's published table: see the ashe-workbook policy
        codes = {code for code, _, _ in table}
        if {sex for _, sex, _ in table} == {"all"}:  # no sex split: cells are (code, pattern)
            flat: dict[Hashable, Cell] = {(c, p): cell for (c, _, p), cell in table.items()}
            withheld += _protect_table(flat, relations_for(codes))
        else:
            split: dict[Hashable, Cell] = {key: cell for key, cell in table.items()}
            withheld += _protect_table(split, relations_for(codes, sexes=SEXES))
    return withheld


SEXES = ("all", "male", "female")


def relations_for(codes: set[str], *, sexes: tuple[str, ...] = ()) -> list[Relation]:
    """Hierarchy relations per pattern, and all = full-time + part-time per code.

    With ``sexes`` the cells are ``(code, sex, pattern)``: the same relations per sex, and
    all = male + female per code and pattern.
    """
    children: dict[str, list[str]] = defaultdict(list)
    for code in codes:
        if code == "all":
            continue
        parent = "all" if len(code) == 1 else code[:-1]
        if parent in codes:
            children[parent].append(code)
    if not sexes:
        relations = [
            Relation((parent, p), tuple((c, p) for c in sorted(kids)))
            for parent, kids in sorted(children.items())
            for p in PATTERNS
        ]
        relations += [
            Relation((c, "all"), ((c, "full-time"), (c, "part-time"))) for c in sorted(codes)
        ]
        return relations
    relations = [
        Relation((parent, s, p), tuple((c, s, p) for c in sorted(kids)))
        for parent, kids in sorted(children.items())
        for s in sexes
        for p in PATTERNS
    ]
    relations += [
        Relation((c, s, "all"), ((c, s, "full-time"), (c, s, "part-time")))
        for c in sorted(codes)
        for s in sexes
    ]
    relations += [
        Relation((c, "all", p), ((c, "male", p), (c, "female", p)))
        for c in sorted(codes)
        for p in PATTERNS
    ]
    return relations


def _protect_table(table: dict[Hashable, Cell], relations: list[Relation]) -> int:
    jobs_hidden, jobs_protected = _states(table, relations, "jobs")
    extra_jobs = protect(
        jobs_protected, relations, hidden=jobs_hidden, cost=lambda c: _cost(table, c, "jobs")
    )
    withheld = _withhold(table, extra_jobs, "jobs")
    mean_hidden, mean_protected = _states(table, relations, "mean")
    total_protected = mean_protected | (jobs_protected | extra_jobs) - mean_hidden
    total_hidden = mean_hidden | jobs_hidden | jobs_protected | extra_jobs
    extra_means = protect(
        total_protected, relations, hidden=total_hidden, cost=lambda c: _cost(table, c, "jobs")
    )
    return withheld + _withhold(table, extra_means, "mean")


def _states(
    table: dict[Hashable, Cell], relations: list[Relation], stat: str
) -> tuple[set[Hashable], set[Hashable]]:
    """(hidden but not protected, protected) cells for ``stat``; absent cells are hidden."""
    hidden: set[Hashable] = set()
    protected: set[Hashable] = set()
    keys = {k for r in relations for k in r.cells} | set(table)
    for key in keys:
        cell = table.get(key)
        served = cell.stats.get(stat) if cell is not None else None
        if served is not None and served.status in SUPPRESSED and cell is not None:
            policy = ASHE_WORKBOOK if served.rule.startswith(ASHE_WORKBOOK.id) else ASHE
            if cell.method == "observed" and served.status in policy.protect:
                protected.add(key)
                continue
        if not servable(served):
            hidden.add(key)
    return hidden - protected, protected


def _cost(table: dict[Hashable, Cell], key: Hashable, stat: str) -> float:
    cell = table.get(key)
    value = cell.value(stat) if cell is not None else None
    return value if value is not None else 0.0


def _withhold(table: dict[Hashable, Cell], keys: set[Hashable], stat: str) -> int:
    for key in keys:
        cell = table[key]
        cell.stats[stat] = Served(None, "suppressed_disclosure", "none", SECONDARY)
    return len(keys)


def _from_workbook(cell: Cell) -> bool:
    return "workbook" in cell.source


def protect_changes(cells: dict[CellKey, Cell]) -> int:
    """Withhold a % change whose previous-year figure (held in this release) is suppressed.

    Not for a workbook cell (ONS publishes the change beside the figure: policy
    ``ashe-workbook``) unless the policy declares statuses to protect.
    """
    withheld = 0
    for cell in cells.values():
        if not ASHE_WORKBOOK.protect and _from_workbook(cell):
            continue
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
