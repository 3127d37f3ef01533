"""Fallback hierarchies: where to look when a cell cannot be served at the level asked."""

from __future__ import annotations

from collections.abc import Callable

from lmi.sdc.values import Served

__all__ = ["ALL", "UK", "area_chain", "first_servable", "soc_chain"]

ALL = "all"  # all occupations (SOC "level 0")
UK = "K02000001"


def soc_chain(code: str) -> list[tuple[str, int]]:
    """``2136`` → ``[(2136, 4), (213, 3), (21, 2), (2, 1), (all, 0)]``."""
    if code == ALL:
        return [(ALL, 0)]
    return [(code[:n], n) for n in range(len(code), 0, -1)] + [(ALL, 0)]


def area_chain(area: str) -> list[str]:
    """A region, then the UK (countries are the regions' parents only for England)."""
    return [area] if area == UK else [area, UK]


def first_servable(
    chain: list[tuple[str, int]], lookup: Callable[[str], Served | None]
) -> Served | None:
    """The first servable figure along ``chain``; a coarser one is marked with its level."""
    for position, (code, level) in enumerate(chain):
        found = lookup(code)
        if found is not None and found.servable:
            return found if position == 0 else found.stand_in(level=level)
    return None
