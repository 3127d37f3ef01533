"""The modern-title lexicon: parsing, rewriting, and the shipped file."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lmi.search.coder import Coder
from lmi.search.lexicon import Lexicon, default_lexicon
from lmi.search.normalise import normalise

SMALL = """
# a comment, then a blank line

react\tsoftware
react native\tmobile software
waking\t-
people adviser\thuman resources adviser
no replacement here
"""


@pytest.fixture(scope="module")
def small() -> Lexicon:
    return Lexicon.parse(SMALL)


def test_parse_skips_comments_blanks_and_lines_without_a_replacement(small: Lexicon) -> None:
    assert len(small) == 4


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("react developer", "software developer"),
        ("react native developer", "mobile software developer"),  # longest phrase first
        ("waking night carer", "night carer"),  # "-" drops the phrase
        ("senior people adviser", "senior human resource adviser"),  # normalised on load
        ("react software developer", "software developer"),  # repeats kept once
        ("nurse", "nurse"),
        ("", ""),
    ],
)
def test_rewrite(small: Lexicon, words: str, expected: str) -> None:
    assert " ".join(small.rewrite(tuple(words.split()))) == expected


@given(st.lists(st.sampled_from(["react", "native", "waking", "nurse", "people", "adviser"])))
def test_rewrite_never_repeats_a_word(words: list[str]) -> None:
    out = Lexicon.parse(SMALL).rewrite(words)
    assert len(out) == len(set(out))


@given(st.lists(st.sampled_from(["nurse", "chef", "senior", "driver"]), unique=True))
def test_titles_without_a_phrase_are_unchanged(words: list[str]) -> None:
    assert Lexicon.parse(SMALL).rewrite(words) == tuple(words)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Senior React Native Developer", "senior mobile software developer"),
        ("Node.js Engineer", "software engineer"),
        ("People Advisor", "human resource adviser"),
        ("Uber Driver", "private hire driver"),
        ("Customer Success Manager", "account manager"),
        ("Head of People", "human resource head"),
        ("KP", "kitchen porter"),
        ("Management Accountant ACCA", "management accountant qualified"),
        ("Architect RIBA", "architect"),
        ("Security Officer SIA Licence", "security officer"),
        ("HGV Driver CPC", "hgv driver"),
    ],
)
def test_shipped_lexicon(title: str, expected: str) -> None:
    assert " ".join(default_lexicon().rewrite(normalise(title).tokens)) == expected


def test_shipped_replacements_use_words_the_indexes_know(coders: dict[str, Coder]) -> None:
    known = set(coders["soc2010"].index.df) | set(coders["soc2020"].index.df)
    unknown = {w for words in default_lexicon().phrases.values() for w in words if w not in known}
    assert not unknown
