"""The pay cube this dataset serves, built once per release (see :mod:`lmi.datasets.ashe.cube`)."""

from __future__ import annotations

from lmi.datasets.ashe.cube import PayCube
from lmi.datasets.base import View, ViewSource

__all__ = ["PAY"]


def _pay_cube(source: ViewSource) -> PayCube:
    return PayCube(source.rows("ashe_cells"), source.rows("soc2010_soc2020_dual_coding"))


#: pay and hours by occupation, year, area, sex and pattern, with disclosure control
PAY = View("ashe", "pay cube", _pay_cube)
