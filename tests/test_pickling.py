"""Frozen dataclasses of a stored snapshot pickle as constructor calls and read back equal."""

from __future__ import annotations

import pickle
from dataclasses import fields
from typing import Any

import pytest

from lmi.datasets.employer_skills_survey.quality import Figures
from lmi.datasets.onet_profiles.index import Coverage, Element
from lmi.sdc import Served
from lmi.serve.snapshot import Group

EXAMPLES: list[Any] = [
    Element("skills", "2.A.1.a", "Reading Comprehension", 3.5, None, 4, 0.75),
    Coverage(3, 0.9, (("15-1252.00", 0.6), ("15-1253.00", 0.3))),
    Served(41.5, "caution", "B", "ashe:pooled", "modelled", 3, "K02000001", (2023, 2024), "n", 9.1),
    Figures({"n": Served(None, "suppressed_quality", "none", "ess:base<25")}, {}, {"n": None}),
    Group("soc2020", "2134", "unit_group", "Programmers", "213", None, None, ("a",), ("b",)),
]


@pytest.mark.parametrize("value", EXAMPLES, ids=lambda v: type(v).__name__)
def test_round_trip_is_equal_and_a_constructor_call(value: Any) -> None:
    assert value.__reduce__() == (type(value), tuple(getattr(value, n) for n in value.__slots__))
    back = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == value and type(back) is type(value)


def test_every_field_is_an_init_argument_in_order() -> None:
    """``by_constructor`` passes the slots positionally: a field left out of ``__init__`` (or
    given a different order) would shift every value after it."""
    for value in EXAMPLES:
        names = [f.name for f in fields(value)]
        assert all(f.init for f in fields(value)), type(value)
        assert tuple(names) == value.__slots__, type(value)
