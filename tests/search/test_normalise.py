"""The title normaliser, case by case: noise goes, abbreviations expand, seniority is set apart."""

from __future__ import annotations

import pytest

from lmi.search.normalise import normalise, stem, text_words, title_tokens


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


@pytest.mark.parametrize(
    ("text", "tokens", "context"),
    [
        # prepositional titles: the object names the field, the head word comes last
        ("Teacher of Maths", "mathematic teacher", ()),
        ("Lecturer in Computer Science", "computer science lecturer", ()),
        ("Head of HR", "human resource head", ()),
        ("Director of Finance and Operations", "finance operation director", ()),
        # "to": the rest only qualifies the title
        ("PA to the CEO", "personal assistant", ("chief", "executive")),
        ("Assistant to the Director of Finance", "assistant", ("director", "finance")),
        # a bracket or a separator before the preposition is not part of the title
        ("Warehouse Operative (Temp to Perm)", "warehouse operative", ()),
        ("Chef de Partie", "chef de partie", ()),
    ],
)
def test_prepositions(text: str, tokens: str, context: tuple[str, ...]) -> None:
    found = normalise(text)
    assert " ".join(found.tokens) == tokens
    assert found.context == context


@pytest.mark.parametrize(
    ("text", "alternatives"),
    [
        ("Carpenter/Joiner", ("carpenter", "joiner")),
        ("UX/UI Designer", ("ux designer", "ui designer")),
        ("Senior Receptionist/Administrator", ("senior receptionist", "senior administrator")),
        ("Plumbing & Heating Engineer", ("plumbing engineer", "heating engineer")),
        ("Painter and Decorator", ("painter", "decorator")),
        ("Care Assistant", ()),
        ("Carpenter / Joiner", ()),  # spaced: the second part is a separate segment
    ],
)
def test_choices(text: str, alternatives: tuple[str, ...]) -> None:
    assert tuple(" ".join(a) for a in normalise(text).alternatives) == alternatives


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Office Admin", "office administrator"),  # "admin" as the head
        ("Sales Admin - London", "sale administrator"),
        ("Admin Assistant", "administration assistant"),  # "admin" as a modifier
        ("KS2 Teacher", "primary teacher"),
        ("KS4 Maths Teacher", "secondary mathematic teacher"),
        ("Senior .NET Developer", "senior dotnet developer"),
        ("C# Developer", "csharp developer"),
    ],
)
def test_abbreviations_by_position_and_technology_names(text: str, tokens: str) -> None:
    assert " ".join(normalise(text).tokens) == tokens


def test_index_titles_are_ordered_like_queries() -> None:
    assert title_tokens("Director of administration") == ("administration", "director")
    assert title_tokens("Clerk to the justices") == ("justice", "clerk")
    assert title_tokens("Head of department") == ("department", "head")


def test_text_words_keep_repeats_and_drop_stop_words() -> None:
    assert text_words("Nurses care for patients and nurses teach") == [
        "nurse",
        "care",
        "patient",
        "nurse",
        "teach",
    ]
