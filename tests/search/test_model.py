"""The head/modifier title model and the Volume 1 text model, on invented titles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lmi.search.model import TextModel, TitleModel

TITLES = [
    ("software engineer", "2136"),
    ("software developer", "2136"),
    ("java developer", "2136"),
    ("web developer", "2137"),
    ("web designer", "2137"),
    ("civil engineer", "2121"),
    ("structural engineer", "2121"),
    ("maintenance engineer", "5223"),
    ("maintenance fitter", "5223"),
    ("heating engineer", "5314"),
    ("marine biologist", "2112"),
    ("microbiologist", "2112"),
    ("geologist", "2113"),
    ("hydrologist", "2113"),
    ("seismologist", "2113"),
    ("site manager", "1122"),
    ("support worker", "6145"),
    ("care worker", "6145"),
    ("mental health nurse", "2231"),
]


@pytest.fixture(scope="module")
def model() -> TitleModel:
    return TitleModel((t.split(), {c: 1.0}) for t, c in TITLES)


def best(model: TitleModel, title: str) -> str:
    scores = model.scores(title.split())
    return max(scores, key=scores.__getitem__)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("python software engineer", "2136"),  # modifiers pull towards programming
        ("cloud civil engineer", "2121"),
        ("java web developer", "2136"),  # a strong modifier outweighs the tail "web developer"
        ("maintenance worker", "6145"),  # the head decides against a weaker modifier…
        ("plant maintenance fitter", "5223"),  # …the tail bigram even more so
        ("volcanologist", "2113"),  # an unknown head backs off to heads ending alike
        ("mental health support worker", "6145"),
    ],
)
def test_title_model(model: TitleModel, title: str, expected: str) -> None:
    assert best(model, title) == expected


@given(st.lists(st.sampled_from(["software", "civil", "engineer", "worker", "zzz"]), min_size=1))
def test_scores_are_a_distribution(words: list[str]) -> None:
    scores = TitleModel((t.split(), {c: 1.0}) for t, c in TITLES).scores(words)
    assert not scores or abs(sum(scores.values()) - 1.0) < 1e-9
    assert all(0.0 <= p <= 1.0 for p in scores.values())


def test_unknown_words_give_nothing(model: TitleModel) -> None:
    assert model.scores(["qqq"]) == {} and model.scores([]) == {}


def test_text_model_ranks_by_shared_rare_words() -> None:
    text = TextModel(
        {
            "2213": "pharmacists dispense drugs in hospitals and pharmacy".split(),
            "7111": "sales assistants sell goods in shops and stores".split(),
            "1223": "managers plan catering in restaurants and hotels".split(),
        }
    )
    scores = text.scores(["pharmacy", "manager"])
    assert max(scores, key=scores.__getitem__) == "2213"
    assert text.scores(["shops"], ["hotels"])["7111"] > text.scores(["shops"], ["hotels"])["1223"]
    assert text.scores(["unheard"]) == {}
    assert all(0 < v <= 1.0 + 1e-9 for v in text.scores(["shops", "stores"]).values())
