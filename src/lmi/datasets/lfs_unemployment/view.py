"""The LFS unemployment table as the API reads it: rates per cell and year.

A year the table gives only by quarter is served as a modelled mean of its four quarters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lmi.datasets.base import View, ViewSource
from lmi.sdc import Served

__all__ = ["LFS_INDEX", "LfsIndex", "LfsSeries"]


@dataclass
class LfsSeries:
    """Rates of one cell (version, group, sex, age band, area) by year."""

    title: str
    years: dict[int, Served] = field(default_factory=dict)


@dataclass
class LfsIndex:
    cells: dict[tuple[str, str, str, str, str], LfsSeries] = field(default_factory=dict)
    versions: set[str] = field(default_factory=set)


def _lfs_index(source: ViewSource) -> LfsIndex:
    found = LfsIndex()
    quarters: dict[tuple[tuple[str, str, str, str, str], int], list[dict[str, Any]]] = {}
    for row in source.rows("lfs_unemployment"):
        key = (row["soc_version"], row["occupation"], row["sex"], row["age_band"], row["area"])
        found.versions.add(row["soc_version"])
        series = found.cells.setdefault(key, LfsSeries(row["title"]))
        if row["quarter"] == 0:
            rule = str(row["rule"])
            series.years[row["year"]] = Served(
                row["rate"], row["status"], "not_published", rule, method="observed"
            )
        else:
            quarters.setdefault((key, row["year"]), []).append(row)
    for (key, year), rows in quarters.items():
        series = found.cells[key]
        if year not in series.years:
            series.years[year] = _mean_of_quarters(rows)
    return found


def _mean_of_quarters(rows: list[dict[str, Any]]) -> Served:
    """A year from its four quarters (modelled): the ratio of summed levels, or the mean of
    the rates where levels are missing; fewer than four servable quarters: not served."""
    servable = [r for r in rows if r["status"] in ("ok", "caution") and r["rate"] is not None]
    if len(rows) != 4 or len(servable) != 4:
        return Served(None, "not_available", "none", "lfs@1:fewer-than-4-quarters")
    if all(r["unemployed"] is not None and r["active"] for r in rows):
        unemployed, active = sum(r["unemployed"] for r in rows), sum(r["active"] for r in rows)
        value, rule = round(100 * unemployed / active, 1), "lfs@1:4-quarter-levels"
    else:
        value, rule = round(sum(r["rate"] for r in rows) / 4, 1), "lfs@1:mean-of-4-quarters"
    if any(r["status"] == "caution" for r in rows):
        return Served(value, "caution", "not_published", rule, method="modelled")
    return Served(value, "ok", "not_published", rule, method="modelled")


#: unemployment rates by (SOC version, group, sex, age band, area) and year
LFS_INDEX = View("lfs_unemployment", "unemployment rates", _lfs_index)
