"""The declarative policies and the primary rules applied to one value."""

from __future__ import annotations

import pytest

from lmi.sdc import Served, classify, policy, soc_chain
from lmi.sdc.fallback import first_servable, pooled_years

ASHE = policy("ashe")


@pytest.mark.parametrize(
    ("cv", "band", "status"),
    [
        (4.9, "precise", "ok"),
        (5.0, "precise", "ok"),
        (7.5, "reasonably_precise", "ok"),
        (15.0, "use_with_caution", "caution"),
        (20.1, "unreliable", "suppressed_quality"),
    ],
)
def test_cv_bands_follow_the_ons_key(cv: float, band: str, status: str) -> None:
    served = classify(ASHE, "512.34", measure="weekly", cv=cv)
    assert (served.band, served.status) == (band, status)
    assert (served.value is None) == (status == "suppressed_quality")


@pytest.mark.parametrize(
    ("symbol", "status"),
    [
        ("x", "suppressed_quality"),
        ("..", "suppressed_disclosure"),
        (":", "not_applicable"),
        ("", "not_available"),
    ],
)
def test_source_symbols_stay_distinct_and_carry_no_number(symbol: str, status: str) -> None:
    served = classify(ASHE, symbol, measure="annual")
    assert served.status == status and served.value is None and not served.servable
    assert served.rule.startswith("ashe@1:symbol")


def test_min_count_and_rounding() -> None:
    assert classify(ASHE, "100", measure="annual", count=4).status == "suppressed_disclosure"
    assert classify(ASHE, "100", measure="annual", count=6).status == "caution"
    assert classify(ASHE, "812.44", measure="weekly").value == 812.4
    leo = policy("leo")
    assert leo.round(23_449, "earnings") == 23_400 and leo.round(12, "count") == 10
    assert classify(leo, "c", measure="count").status == "suppressed_disclosure"
    assert classify(leo, "z", measure="count").status == "not_applicable"


def test_fallback_walks_the_soc_hierarchy_and_marks_the_level() -> None:
    assert soc_chain("2136") == [("2136", 4), ("213", 3), ("21", 2), ("2", 1), ("all", 0)]
    table = {
        "2136": Served(None, "suppressed_quality", "none", "x"),
        "213": Served(None, "suppressed_disclosure", "none", "secondary"),
        "21": Served(700.0, "ok", "not_published", "published"),
    }
    found = first_servable(soc_chain("2136"), table.get)
    assert found is not None and found.value == 700.0 and found.fallback_level == 2
    direct = first_servable(soc_chain("21"), table.get)
    assert direct is not None and direct.fallback_level is None


def test_pooled_years_average_only_other_published_years_in_the_window() -> None:
    published = [
        (2021, Served(10.0, "ok", "not_published", "published")),
        (2023, Served(None, "suppressed_quality", "none", "x")),  # the asked year itself
        (2025, Served(14.0, "ok", "not_published", "published")),
        (2019, Served(99.0, "ok", "not_published", "published")),  # outside the window
        (2022, Served(None, "suppressed_disclosure", "none", "x")),  # not servable
    ]
    found = pooled_years(2023, published, window=2, rule="pooled")
    assert found is not None and found.value == 12.0 and found.fallback_years == (2021, 2025)
    assert found.method == "modelled" and found.status == "caution"
    assert found.as_dict()["fallback_years"] == [2021, 2025]
    assert pooled_years(2023, published[1:2] + published[4:], window=2, rule="p") is None


def test_pooled_years_are_tried_at_each_level_before_a_coarser_one() -> None:
    table = {
        "2136": Served(None, "suppressed_quality", "none", "x"),
        "21": Served(700.0, "ok", "not_published", "published"),
    }
    pooled = {"213": Served(650.0, "caution", "not_published", "pooled", fallback_years=(2021,))}
    found = first_servable(soc_chain("2136"), table.get, pooled.get)
    assert found is not None and found.value == 650.0
    assert found.fallback_level == 3 and found.fallback_years == (2021,)
    pooled_here = {"2136": Served(600.0, "caution", "not_published", "pooled")}
    found = first_servable(soc_chain("2136"), table.get, pooled_here.get)
    assert found is not None and found.value == 600.0 and found.fallback_level is None
    assert first_servable(soc_chain("2136"), table.get) == table["21"].stand_in(level=2)
