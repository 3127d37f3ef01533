"""Which titles each SOC version's coder indexes (invented rows in the store's shape)."""

from __future__ import annotations

from lmi.search.index import GroupRow, IndexRow, entries_for, forward_codes


def row(version: str, title: str, code: str, soc2010: str | None = None) -> IndexRow:
    return IndexRow(version, title, title, None, None, None, code, soc2010)


ROWS = [
    # SOC 2020 index: 2136 (2010) is 2134 (2020) for 9 titles of 10; 9999 (2010) is split evenly
    *(row("soc2020", f"Developer {i}", "2134", "2136") for i in range(9)),
    row("soc2020", "Web developer", "2137", "2136"),
    row("soc2020", "Odd job A", "1111", "9999"),
    row("soc2020", "Odd job B", "2222", "9999"),
    # SOC 2010 index
    row("soc2010", "Developer 1", "2136"),
    row("soc2010", "Analyst programmer", "2136"),
    row("soc2010", "Odd job C", "9999"),
]
GROUPS = [GroupRow("soc2020", "2134", "Programmers", ("Coder (computing)",))]


def test_forward_codes_need_a_clear_majority() -> None:
    assert forward_codes(ROWS) == {"2136": "2134"}
    assert forward_codes(ROWS, least=0.95) == {}


def test_soc2020_gains_soc2010_titles_it_lacks_through_the_dual_coding() -> None:
    entries = entries_for("soc2020", ROWS, GROUPS)
    crosscoded = [(e.title, e.code) for e in entries if e.source == "crosscoded"]
    assert crosscoded == [("Analyst programmer", "2134")]  # not "Developer 1" (already there)
    assert ("Coder", "2134", "computing") in [(e.title, e.code, e.qualifier) for e in entries]


def test_soc2010_gains_the_soc2020_index_titles_with_their_2010_codes() -> None:
    entries = entries_for("soc2010", ROWS, [])
    crosscoded = {(e.title, e.code) for e in entries if e.source == "crosscoded"}
    assert ("Web developer", "2136") in crosscoded and ("Odd job A", "9999") in crosscoded
    assert all(e.weight < 1 for e in entries if e.source == "crosscoded")
