"""The method vocabulary: what kind of number a served figure is.

Every figure in the native API carries exactly one of these in ``method``:

* ``observed`` — a value the source published, served as published (an ASHE workbook cell, a
  Working Futures figure up to its base year, an APS cell);
* ``projection`` — published by the source, but produced by the source's own forecasting model
  (Skills Imperative / Working Futures employment after its 2020 base year and its 2020–2035
  replacement demand): not a measurement;
* ``modelled`` — computed by lmi from published figures by a documented method whose inputs
  are stated with the figure (``rule``, ``note``, ``sources``, ``fallback_*``): SOC
  re-expression, annual ÷ 52, part-time = all − full-time, sex and region ratios, pooled
  years, apportioning;
* ``synthetic`` — made-up data of the labelled demo release or a labelled stand-in.

Anything exact but not published (the part-time arithmetic) is ``modelled``, never
``observed``: only a published value is observed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

__all__ = ["METHODS", "Method", "combine"]

Method = Literal["observed", "projection", "modelled", "synthetic"]
METHODS: tuple[Method, ...] = ("observed", "projection", "modelled", "synthetic")
#: a figure made from several inputs takes the first of these any input has
_PRECEDENCE: tuple[Method, ...] = ("synthetic", "modelled", "projection")


def combine(methods: Iterable[str]) -> Method:
    """The label of a figure made from others (unknown labels count as modelled)."""
    found = set(methods)
    if found - set(METHODS):
        return "modelled"
    for label in _PRECEDENCE:
        if label in found:
            return label
    return "observed"
