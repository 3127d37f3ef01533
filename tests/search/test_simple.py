from __future__ import annotations

import pytest

from lmi.search.simple import TitleSearch, tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Software Developers", ["software", "developer"]),
        ("HGV (class 1)", ["hgv", "class", "1"]),
        ("", []),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


@pytest.fixture
def index() -> TitleSearch:
    search = TitleSearch()
    search.add_group(
        "2136",
        "Programmers and software development professionals",
        ["Software engineer"],
        ["Developer, software", "Programmer"],
    )
    search.add_group("2134", "IT project and programme managers", [], ["Manager, project, IT"])
    search.add_group("3131", "IT operations technicians", [], ["Technician, software"])
    return search.freeze()


def test_all_words_must_match(index: TitleSearch) -> None:
    assert [h.code for h in index.search("software developer")] == ["2136"]


def test_title_words_outrank_index_words(index: TitleSearch) -> None:
    assert [h.code for h in index.search("software")][:2] == ["2136", "3131"]


def test_last_word_matches_as_a_prefix(index: TitleSearch) -> None:
    assert {h.code for h in index.search("progr")} == {"2136", "2134"}


def test_no_match_and_empty_query(index: TitleSearch) -> None:
    assert index.search("astronaut") == [] and index.search("  ") == []
