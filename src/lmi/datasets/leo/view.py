"""LEO graduate outcomes as the API reads them: the latest tax year of each cell."""

from __future__ import annotations

from typing import Any

from lmi.datasets.base import View, ViewSource

__all__ = ["LEO_CELLS"]

Cells = dict[tuple[str, str, int], dict[str, Any]]


def _latest_cells(source: ViewSource) -> Cells:
    """(CAH2 or all, sex, years after graduation) → the row of the latest tax year."""
    found: Cells = {}
    for row in sorted(source.rows("leo_earnings"), key=lambda r: r["tax_year"]):
        found[(row["cah_code"], row["sex"], row["yag"])] = row
    return found


LEO_CELLS = View("leo", "latest cells", _latest_cells)
