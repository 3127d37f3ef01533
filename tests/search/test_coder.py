"""Ranking on the real coding indexes (needs the official files; skipped without them)."""

from __future__ import annotations

import pytest

from lmi.search.coder import CALIBRATION, FEATURES, ROUTES, WEIGHTS, Coder, calibrate


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
        ("Architect RIBA", "2431", "2451"),  # a professional body's letters are not a title word
        ("Security Officer SIA", "9241", "9231"),
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


def test_titles_are_coded_by_meaning_not_by_letters(coders: dict[str, Coder]) -> None:
    # issue 18's examples: "Zookeeper" is no book-keeper, an offshore drilling worker no
    # kitchen assistant (through "offshore steward"), and "Astronaut" shares no index word
    coder = coders["soc2010"]
    zookeeper = coder.code("Zookeeper")
    assert zookeeper.best is not None and zookeeper.best.code == "6139"  # animal care
    driller = coder.code("Offshore drilling worker", top=3)
    assert "9272" not in [c.code for c in driller.candidates]
    astronaut = coder.code("Astronaut", top=3)
    assert "3512" in [c.code for c in astronaut.candidates]  # aircraft pilots


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


@pytest.mark.parametrize("route", sorted(CALIBRATION))
@pytest.mark.parametrize(("raw", "end"), [(-1.0, 0), (0.0, 0), (1.0, -1), (5.0, -1)])
def test_calibration_is_bounded(route: str, raw: float, end: int) -> None:
    assert calibrate(route, raw) == CALIBRATION[route][end][1]


@pytest.mark.parametrize("route", sorted(CALIBRATION))
def test_calibration_is_monotone_within_0_1(route: str) -> None:
    scores = [calibrate(route, i / 100) for i in range(101)]
    assert scores == sorted(scores)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_every_route_is_calibrated_and_reported_as_a_public_method() -> None:
    assert set(ROUTES) == set(CALIBRATION)
    assert set(ROUTES.values()) == {"exact", "alias", "fuzzy"}


@pytest.mark.parametrize(
    ("title", "soc2010", "method", "route"),
    [
        # a misspelling one edit from an index word (here a swapped pair of letters)
        ("Vciar", "2444", "fuzzy", "typo"),
        # a compound the index spells as two words
        ("Makeup Artist", "6222", "fuzzy", "typo"),
        # "admin" as the head word is an administrator
        ("Office Admin", "4159", "exact", "exact"),
        # "PA to the CEO": the words after "to" only qualify the title
        ("PA to the CEO", "4215", "exact", "exact"),
        # key stages name the school phase
        ("KS2 Teacher", "2315", "exact", "exact"),
        # modern vocabulary through the lexicon: an alias of an index title
        ("React Developer", "2136", "alias", "rewrite"),
        ("Senior .NET Developer", "2136", "alias", "rewrite"),
        ("Demi Chef de Partie", "5434", "alias", "rewrite"),
        ("Head of People", "1135", "alias", "rewrite"),
    ],
)
def test_normalisation_routes(
    coders: dict[str, Coder], title: str, soc2010: str, method: str, route: str
) -> None:
    best = coders["soc2010"].code(title).best
    assert best is not None
    assert (best.code, best.method, best.route) == (soc2010, method, route)


def test_one_side_of_a_choice_is_an_alias(coders: dict[str, Coder]) -> None:
    # "Ward clerk/receptionist" is no index title, but each side is
    best = coders["soc2010"].code("Cleaner/Caretaker").best
    assert best is not None and best.route in {"exact", "rewrite"}
    assert best.code in {"9233", "6232"}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("software developer", "softwre developr"),  # exact, then an exact match after typos
        ("software developer", "python data pipeline developer"),  # exact, then fuzzy
        ("software developer", "React Developer"),  # exact, then through the lexicon
    ],
)
def test_less_direct_matches_score_lower(coders: dict[str, Coder], first: str, second: str) -> None:
    a, b = coders["soc2010"].code(first).best, coders["soc2010"].code(second).best
    assert a is not None and b is not None and a.score > b.score


def test_fuzzy_weights_name_every_feature_once() -> None:
    assert list(WEIGHTS) == list(FEATURES)


def test_features_describe_every_candidate(coders: dict[str, Coder]) -> None:
    coder = coders["soc2010"]
    query = coder.query_words("cloud platform engineer")
    assert query is not None
    codes, rows, entries = coder.features(*query)
    assert codes and len(codes) == len(set(codes)) == len(rows) == len(entries)
    assert all(len(row) == len(FEATURES) for row in rows)
    assert coder.query_words("software developer") is None  # an exact match: no fuzzy stage


def test_fuzzy_scores_are_probabilities(coders: dict[str, Coder]) -> None:
    coding = coders["soc2010"].code("mobile app quality lead", top=5)
    scores = [c.score for c in coding.candidates]
    assert scores == sorted(scores, reverse=True) and 0 < sum(scores) <= 1.0 + 1e-9


def test_warm_builds_what_misspellings_need(coders: dict[str, Coder]) -> None:
    coder = coders["soc2020"].warm()
    assert "deletes" in vars(coder.repair) and "text" in vars(coder.fuzzy)
