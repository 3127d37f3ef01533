"""Subject codes recognised by shape, and CAH nesting."""

from __future__ import annotations

import pytest

from lmi.classification.subjects import SubjectCode, cah_ancestors, recognise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11", SubjectCode("cah", "11", "cah1")),
        ("CAH11-01", SubjectCode("cah", "11-01", "cah2")),
        ("11-01-02", SubjectCode("cah", "11-01-02", "cah3")),
        ("100425", SubjectCode("hecos", "100425", "hecos")),
        ("G400", SubjectCode("jacs", "G400", "detailed")),
        ("G4", SubjectCode("jacs", "G4", "principal")),
    ],
)
def test_codes_are_recognised_by_their_shape(text: str, expected: SubjectCode) -> None:
    assert recognise(text) == expected


@pytest.mark.parametrize("text", ["", "1", "11-1", "CAH", "G40", "10042", "ALL", "11-01-02-03"])
def test_other_text_is_no_subject_code(text: str) -> None:
    assert recognise(text) is None


def test_cah_ancestors_broadest_first() -> None:
    assert cah_ancestors("11-01-02") == ["11", "11-01", "11-01-02"]
    assert cah_ancestors("11") == ["11"]
