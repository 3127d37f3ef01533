"""Modelled ASHE figures carry no more precision than the published figures they come from."""

from __future__ import annotations

from typing import Any

from lmi.datasets.ashe.cube import PRECISION, PayCube, Request, to_precision
from lmi.sdc.fallback import UK


def _row(measure: str, mean: float, code: str = "2134") -> dict[str, Any]:
    return {
        "year": 2023,
        "edition": "p",
        "soc_version": "soc2020",
        "code": code,
        "measure": measure,
        "sex": "all",
        "pattern": "all",
        "area": UK,
        "mean": mean,
        "median": None,
        "flags_json": "{}",
        "method": "observed",
    }


def test_weekly_pay_modelled_from_annual_is_given_to_a_tenth_of_a_pound() -> None:
    """ONS publishes weekly pay to 0.1: 40,078.89 a year / 52 is 770.7, not 770.74788…"""
    cube = PayCube([_row("annual", 40078.893872261404)], [])
    served = cube.estimate(Request("soc2020", "2134", 2023, "weekly", coarse=False)).served
    assert served.method == "modelled" and served.rule.endswith("ashe:weekly=annual/52")
    assert served.value == 770.7


def test_each_measure_has_its_published_precision() -> None:
    assert to_precision(40078.893872261404, "annual") == 40079
    assert to_precision(21.23456, "hourly") == 21.23
    assert to_precision(37.46, "hours") == 37.5
    assert set(PRECISION) >= {"annual", "weekly", "hourly", "hours"}
