"""Differencing attacks: totals minus components must never recover a suppressed cell.

The attacker here is independent of the engine: exact Gaussian elimination over the rationals
(:class:`fractions.Fraction`) on the served values, deciding for each hidden cell whether its
value is fixed by the relations.
"""

from __future__ import annotations

from collections.abc import Hashable
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmi.datasets.ashe.protection import relations_for
from lmi.sdc import Relation, protect, revealed


def attacker(hidden: set[Hashable], relations: list[Relation]) -> set[Hashable]:
    """Hidden cells whose value a reader can compute from the served ones."""
    cells = sorted(hidden, key=repr)
    col = {c: i for i, c in enumerate(cells)}
    rows = []
    for r in relations:
        row = [Fraction(0)] * len(cells)
        for cell, sign in ((r.total, 1), *((p, -1) for p in r.parts)):
            if cell in col:
                row[col[cell]] += sign
        if any(row):
            rows.append(row)
    pivots: list[int] = []
    rank = 0
    for j in range(len(cells)):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][j] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][j]
        rows[rank] = [v / lead for v in rows[rank]]
        for i in range(len(rows)):
            if i != rank and rows[i][j] != 0:
                factor = rows[i][j]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        pivots.append(j)
        rank += 1
    found = set()
    for i, j in enumerate(pivots):
        if all(v == 0 for k, v in enumerate(rows[i]) if k != j):
            found.add(cells[j])
    return found


def test_total_minus_components_reveals_a_lone_suppression() -> None:
    relations = [Relation("T", ("a", "b", "c"))]
    assert attacker({"a"}, relations) == {"a"} == revealed({"a"}, relations)
    extra = protect({"a"}, relations, cost={"a": 5, "b": 3, "c": 1, "T": 9}.get)  # type: ignore[arg-type]
    assert extra == {"c"} and attacker({"a", "c"}, relations) == set()


@st.composite
def soc_tables(draw: st.DrawFn) -> tuple[set[str], set[tuple[str, str]], set[tuple[str, str]]]:
    """A random SOC hierarchy (codes 1–4 digits) × work pattern, with random suppressions."""
    majors = draw(st.lists(st.sampled_from("123456789"), min_size=1, max_size=3, unique=True))
    codes: set[str] = {"all"}
    for major in majors:
        codes.add(major)
        for sub in draw(st.lists(st.sampled_from("123"), min_size=1, max_size=3, unique=True)):
            codes.add(major + sub)
            for minor in draw(st.lists(st.sampled_from("12"), min_size=0, max_size=2, unique=True)):
                codes.add(major + sub + minor)
                for unit in draw(st.lists(st.sampled_from("123"), max_size=3, unique=True)):
                    codes.add(major + sub + minor + unit)
    cells = sorted((c, p) for c in codes for p in ("all", "full-time", "part-time"))
    observed = [c for c in cells if c[1] != "part-time"]
    suppressed = set(draw(st.lists(st.sampled_from(observed), max_size=6, unique=True)))
    # part-time is never published directly; some "not available" cells are hidden too
    hidden = {c for c in cells if c[1] == "part-time"}
    hidden |= set(draw(st.lists(st.sampled_from(observed), max_size=2, unique=True)))
    return codes, suppressed, hidden - suppressed


@settings(max_examples=150, deadline=None)
@given(soc_tables(), st.integers(min_value=0, max_value=1000))
@pytest.mark.slow
def test_no_filter_combination_reveals_a_protected_cell(
    table: tuple[set[str], set[tuple[str, str]], set[tuple[str, str]]], seed: int
) -> None:
    codes, suppressed, hidden = table
    relations = relations_for(codes)
    extra = protect(suppressed, relations, hidden=hidden, cost=lambda c: (hash(c) ^ seed) % 97)
    protected = suppressed | extra
    assert not (attacker(protected | hidden, relations) & protected)
    assert extra.isdisjoint(hidden)


@settings(max_examples=100, deadline=None)
@given(soc_tables())
def test_engine_auditor_agrees_with_the_rational_attacker(
    table: tuple[set[str], set[tuple[str, str]], set[tuple[str, str]]],
) -> None:
    codes, suppressed, hidden = table
    relations = relations_for(codes)
    assert revealed(suppressed | hidden, relations) == attacker(suppressed | hidden, relations)
