"""The title normaliser, case by case: noise goes, abbreviations expand, seniority is set apart."""

from __future__ import annotations

import pytest

from lmi.search.normalise import normalise, stem, title_tokens


@pytest.mark.parametrize(
    ("text", "tokens", "core"),
    [
        ("Software Developer", "software developer", "software developer"),
        ("snr java dev - London", "senior java developer", "java developer"),
        ("HGV class 1 driver (nights)", "hgv driver", "hgv driver"),
        ("Cat C+E Driver", "hgv driver", "hgv driver"),
        ("Care Assistant - Part Time - £10.50 ph", "care assistant", "care assistant"),
        ("£28,000 + benefits Admin Asst x2 immediate start", "administration assistant", None),
        ("Band 5 Staff Nurse", "staff nurse", "nurse"),
        ("Maternity cover: Marketing Exec", "marketing executive", None),
        ("Engineer, software", "software engineer", None),
        ("Warehouse Operative (Temp to Perm) £11.44 per hour", "warehouse operative", None),
        ("Sales Mgr", "sale manager", None),
        ("Co-ordinator, events", "event coordinator", None),
        ("Secretaries", "secretary", None),
        ("NURSERY NURSES - NORTH WEST", "nursery nurse", None),
        ("Receptionist/Administrator", "receptionist administrator", None),
        ("Chef de Partie - Live in", "chef de partie", None),
        ("Trainee Electrician", "trainee electrician", "electrician"),
        ("Café Supervisor", "cafe supervisor", None),
        ("Senior", "senior", "senior"),
        ("", "", ""),
        ("!!! ***", "", ""),
    ],
)
def test_title_words(text: str, tokens: str, core: str | None) -> None:
    found = normalise(text)
    assert " ".join(found.tokens) == tokens
    assert " ".join(found.core) == (tokens if core is None else core)


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("Sales Manager - Automotive", ("automotive",)),
        ("Chef @ The Savoy", ("savoy",)),
        ("Project Manager | IT", ("it",)),
        ("Cleaner - London - Part Time", ()),
    ],
)
def test_later_segments_are_context(text: str, context: tuple[str, ...]) -> None:
    assert normalise(text).context == context


def test_context_text_is_normalised_too() -> None:
    assert normalise("Manager", "Hotels and restaurants").context == ("hotel", "restaurant")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("nurses", "nurse"),
        ("secretaries", "secretary"),
        ("boxes", "box"),
        ("business", "business"),
        ("analysis", "analysis"),
        ("bus", "bus"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_index_titles_keep_seniority_but_share_the_word_pipeline() -> None:
    assert title_tokens("Senior Administrative Assistants") == (
        "senior",
        "administration",
        "assistant",
    )
    assert title_tokens("Hand, datal") == ("hand", "datal")


def test_long_input_is_cut_not_fatal() -> None:
    assert normalise("developer " * 500).tokens == ("developer",)
