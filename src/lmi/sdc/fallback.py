"""Fallback hierarchies: where to look when a cell cannot be served at the level asked."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lmi.sdc.values import Served

__all__ = ["ALL", "UK", "area_chain", "first_servable", "pooled_years", "soc_chain"]

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
    chain: list[tuple[str, int]],
    lookup: Callable[[str], Served | None],
    pooled: Callable[[str], Served | None] | None = None,
) -> Served | None:
    """The first servable figure along ``chain``; a coarser one is marked with its level.

    With ``pooled``, each level tries its pooled-years figure before the next coarser level
    (SOC 4 → pooled 4 → 3 → pooled 3 …), so occupational detail is kept where other years
    of the same cell were published.
    """
    for position, (code, level) in enumerate(chain):
        candidates = [lookup(code)] if pooled is None else [lookup(code), pooled(code)]
        for found in candidates:
            if found is not None and found.servable:
                return found if position == 0 else found.stand_in(level=level)
    return None


def pooled_years(
    year: int, published: Iterable[tuple[int, Served | None]], *, window: int, rule: str
) -> Served | None:
    """The mean of the same cell in other published years within ``window`` of ``year``.

    A stand-in for a suppressed single-year cell: only servable figures of *other* years are
    used, so it cannot reveal the suppressed one; it is ``modelled``, at best ``caution``, and
    names the years it pooled in ``fallback_years``.
    """
    values: list[float] = []
    years: list[int] = []
    for other, found in published:
        if other == year or abs(other - year) > window:
            continue
        if found is not None and found.servable and found.value is not None:
            values.append(found.value)
            years.append(other)
    if not values:
        return None
    return Served(
        sum(values) / len(values),
        "caution",
        "not_published",
        rule,
        method="modelled",
        fallback_years=tuple(sorted(years)),
    )
