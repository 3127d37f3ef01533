"""Ranking on the real coding indexes (needs the official files; skipped without them)."""

from __future__ import annotations

import pytest

from lmi.search.coder import Coder, calibrate, load_coders
from lmi.store import Database, ReleaseStore


@pytest.fixture(scope="module")
def coders(real_release_db: Database) -> dict[str, Coder]:
    release = ReleaseStore(real_release_db).production()
    assert release is not None
    return load_coders(real_release_db, release.id)


@pytest.mark.parametrize(
    ("title", "soc2010", "soc2020"),
    [
        ("software developer", "2136", "2134"),
        ("Software Developers", "2136", "2134"),
        ("HGV class 1 driver (nights)", "8211", "8211"),
        ("Kitchen Porter x2 - immediate start", "9272", "9263"),
        ("Band 5 Staff Nurse", "2231", "2237"),
        ("Electrician - JIB Approved", "5241", "5241"),
        ("Engineer, civil", "2121", "2121"),
        ("Secondary School Teacher £28,000 + benefits", "2314", "2313"),
        ("softwre developr", "2136", "2134"),
    ],
)
def test_codes_real_titles(
    coders: dict[str, Coder], title: str, soc2010: str, soc2020: str
) -> None:
    for version, expected in (("soc2010", soc2010), ("soc2020", soc2020)):
        best = coders[version].code(title).best
        assert best is not None and best.code == expected, (version, best)


def test_snr_java_dev_is_a_programming_occupation(coders: dict[str, Coder]) -> None:
    for version, programming in (("soc2010", {"2136", "2137"}), ("soc2020", {"2134", "2141"})):
        best = coders[version].code("snr java dev - London").best
        assert best is not None and best.code in programming
        assert best.method == "exact" and best.score >= 0.9
        assert best.matched == "Java developer"


@pytest.mark.parametrize("title", ["manager", "Engineer", "assistant"])
def test_bare_generic_titles_are_ambiguous(coders: dict[str, Coder], title: str) -> None:
    coding = coders["soc2010"].code(title, top=5)
    assert coding.ambiguous
    assert len(coding.candidates) == 5
    assert coding.best is not None and coding.best.score < 0.6


def test_specific_titles_are_not_ambiguous(coders: dict[str, Coder]) -> None:
    coding = coders["soc2020"].code("Teaching assistant", top=3)
    assert not coding.ambiguous and coding.best is not None and coding.best.code == "6112"


def test_context_breaks_ties(coders: dict[str, Coder]) -> None:
    hotel = coders["soc2010"].code("Manager", context="hotel").best
    assert hotel is not None and hotel.code == "1221" and hotel.score > 0.9


@pytest.mark.parametrize("title", ["", "   ", "!!!", "£28,000 + benefits", "asdfghjk qwrtzy"])
def test_junk_gets_no_code(coders: dict[str, Coder], title: str) -> None:
    coding = coders["soc2010"].code(title)
    assert coding.candidates == () and not coding.ambiguous


def test_unknown_titles_fall_back_to_similar_ones(coders: dict[str, Coder]) -> None:
    coding = coders["soc2020"].code("python data pipeline developer", top=3)
    assert coding.best is not None and coding.best.method == "fuzzy"
    assert coding.best.code == "2134"
    assert [c.score for c in coding.candidates] == sorted(
        (c.score for c in coding.candidates), reverse=True
    )


def test_alternatives_are_distinct_codes_best_first(coders: dict[str, Coder]) -> None:
    coding = coders["soc2010"].code("Care assistant", top=3)
    codes = [c.code for c in coding.candidates]
    assert codes[0] == "6145" and len(set(codes)) == 3
    assert all(0 <= c.score <= 1 for c in coding.candidates)


def test_search_expands_exact_matches(coders: dict[str, Coder]) -> None:
    plain = coders["soc2010"].code("programmer", top=5)
    expanded = coders["soc2010"].code("programmer", top=5, expand=True)
    assert [c.code for c in plain.candidates] == ["2136"]
    assert expanded.candidates[0] == plain.candidates[0] and len(expanded.candidates) >= 2
    assert all(c.method == "fuzzy" for c in expanded.candidates[1:])
    assert all(c.score <= plain.candidates[0].score for c in expanded.candidates)


def test_batch_dedupes_and_keeps_order(coders: dict[str, Coder]) -> None:
    titles = ["nurse", "chef", "nurse", ""]
    codings = coders["soc2010"].code_many(titles)
    assert [c.input for c in codings] == titles
    assert codings[0] is codings[2] and codings[3].best is None


def test_batch_of_numbered_titles(coders: dict[str, Coder]) -> None:
    titles = [f"{word} {i}" for i in range(2000) for word in ("nurse", "sous chef")]
    codes = {c.best.code for c in coders["soc2010"].code_many(titles) if c.best}
    assert codes == {"2231", "5434"}


@pytest.mark.parametrize(("raw", "expected"), [(-1.0, 0.0), (0.0, 0.0), (1.0, 0.98), (5.0, 0.98)])
def test_calibration_is_bounded(raw: float, expected: float) -> None:
    assert calibrate("exact", raw) == expected


def test_calibration_is_monotone() -> None:
    for method in ("exact", "alias", "fuzzy"):
        scores = [calibrate(method, i / 100) for i in range(101)]
        assert scores == sorted(scores)
