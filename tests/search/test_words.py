"""Word repair and rewriting in a coder built from a handful of invented index titles."""

from __future__ import annotations

import pickle

import pytest

from lmi.search.coder import Coder
from lmi.search.index import Entry

TITLES = [
    ("2136", "Software developer"),
    ("2136", "Software engineer"),
    ("2136", "Java developer"),
    ("2444", "Vicar"),
    ("6222", "Make-up artist"),
    ("6222", "Make-up assistant"),
    ("6222", "Make-up consultant"),
    ("3411", "Artist"),
    ("6231", "Housekeeper"),
    ("6231", "Resident housekeeper"),
    ("4159", "Administrator"),
    ("4159", "Office administrator"),
    ("8232", "Deck hand"),
    ("8232", "Deck officer"),
    ("8232", "Deck crew"),
    ("9111", "Farm hand"),
    ("9111", "Hand milker"),
    ("5434", "Chef"),
    ("5434", "Chef de partie"),
    ("6145", "Care worker"),
    ("4216", "Receptionist"),
]
UNITS = {code: f"Group {code}" for code, _ in TITLES}


@pytest.fixture(scope="module")
def coder() -> Coder:
    entries = [Entry(code, title, "", "index", 1.0) for code, title in TITLES]
    documents = {"2444": "Clergy lead worship in churches", "5434": "Chefs cook in kitchens"}
    return Coder("soc2010", entries, [], UNITS, documents)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("softwre", "developer"), ("software", "developer")),  # a dropped letter
        (("sofftware", "developer"), ("software", "developer")),  # an inserted letter
        (("software", "develaper"), ("software", "developer")),  # a substituted letter
        (("vciar",), ("vicar",)),  # swapped letters
        (("makeup", "artist"), ("make", "up", "artist")),  # a compound split
        (("deckhand",), ("deck", "hand")),  # split before trying two edits
        (("house", "keeper"), ("housekeeper",)),  # two words the index writes as one
        (("amdin",), ("administration",)),  # an abbreviation is a target too
        (("java", "developer"), ("java", "developer")),  # known words stay
        (("qwzxv",), ("qwzxv",)),  # nothing near: left alone
    ],
)
def test_prepare(coder: Coder, words: tuple[str, ...], expected: tuple[str, ...]) -> None:
    assert coder.repair.prepare(words) == expected


@pytest.mark.parametrize(
    ("title", "code", "route"),
    [
        ("Software Developer", "2136", "exact"),
        ("Sofware Developer", "2136", "typo"),
        ("Makeup Artist", "6222", "typo"),
        ("Receptionist/Housekeeper", "4216", "rewrite"),
        ("Node.js Developer", "2136", "rewrite"),
        ("KP", None, None),  # rewritten to kitchen porter: not in this index, nothing similar
    ],
)
def test_routes(coder: Coder, title: str, code: str | None, route: str | None) -> None:
    best = coder.code(title).best
    if code is None:
        assert best is None or best.route == "fuzzy"
    else:
        assert best is not None and (best.code, best.route) == (code, route)


def test_junk_words_are_not_remembered_without_bound(coder: Coder) -> None:
    for i in range(50):
        coder.code(f"zzqq{i}x developer")
    assert len(coder.index.model.heads.dists) < 20  # only asked-for known words are kept


def test_words_of_the_group_descriptions_are_not_typos() -> None:
    # "zookeeper" is two letters from the index's "bookkeeper", and Volume 1 text uses it: a
    # real word, left for the fuzzy stage; "bookeeper" is a typo and still corrected
    entries = [
        Entry("4122", "Bookkeeper", "", "index", 1.0),
        Entry("6139", "Animal keeper", "", "index", 1.0),
    ]
    units = {"4122": "Book-keepers", "6139": "Animal care services occupations"}
    documents = {"6139": "Zookeepers care for animals in zoos"}
    coder = Coder("soc2010", entries, [], units, documents)
    assert coder.repair.prepare(("zookeeper",)) == ("zookeeper",)
    assert coder.repair.prepare(("bookeeper",)) == ("bookkeeper",)
    assert coder.repair.prepare(("bokkeepr",)) == ("bookkeeper",)  # two edits, same first letter
    without_text = Coder("soc2010", entries, [], units, {})
    assert without_text.repair.prepare(("zookeeper",)) == ("zookeeper",)  # first letter differs
    assert without_text.repair.prepare(("zoekeeper",)) == ("zoekeeper",)


def test_a_coder_pickles_and_codes_alike(coder: Coder) -> None:
    # built snapshots are stored pickled (lmi.serve.stored): a coder must survive the round trip
    coder.warm()
    again = pickle.loads(pickle.dumps(coder, protocol=pickle.HIGHEST_PROTOCOL))
    for title in ("Sofware developer", "pastry chef", "Receptionist/Housekeeper"):
        assert again.code(title, top=3) == coder.code(title, top=3)


@pytest.mark.parametrize("title", ["pastry chef", "night worker", "deck artist", "farm vicar"])
def test_status_does_not_depend_on_how_many_answers_are_asked(coder: Coder, title: str) -> None:
    one, three = coder.code(title, top=1), coder.code(title, top=3)
    assert one.status == three.status and one.best == three.best


def test_a_close_call_is_ambiguous_even_when_one_answer_is_asked() -> None:
    entries = [
        Entry("1111", "Alpha widget maker", "", "index", 1.0),
        Entry("2222", "Beta widget maker", "", "index", 1.0),
    ]
    # without word vectors ("alpha" and "beta" differ in meaning: the titles would not tie)
    tied = Coder("soc2010", entries, [], {"1111": "Group A", "2222": "Group B"}, embedding=None)
    one, two = tied.code("widget maker", top=1), tied.code("widget maker", top=2)
    assert len(one.candidates) == 1 and len(two.candidates) == 2
    assert one.status == two.status == "ambiguous"
