"""Stand-ins of the pathways: modelled subject → occupation links, synthetic standards."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lmi.synth.pathways import (
    SYNTHETIC_PREFIX,
    LinkModel,
    Occupation,
    SubjectDoc,
    stem,
    synthetic_standards,
    tokens,
)

DEGREE = "Entrants usually possess a degree."
OCCUPATIONS = [
    Occupation(
        "2134",
        "Programmers and software development professionals",
        ("Software engineer", "Developer"),
        DEGREE,
    ),
    Occupation("2231", "Midwifery nurses", ("Midwife",), "A degree in midwifery is essential."),
    Occupation("2237", "Other registered nursing professionals", ("Nurse",), DEGREE),
    Occupation("2412", "Solicitors and lawyers", ("Solicitor",), "A qualifying law degree."),
    Occupation("4212", "Legal secretaries", ("Legal secretary",), "GCSEs are usually required."),
    Occupation(
        "5241",
        "Electricians and electrical fitters",
        ("Electrician",),
        "Apprenticeships are available at levels 2 and 3.",
    ),
    Occupation(
        "8211",
        "Heavy goods vehicle drivers",
        ("HGV driver",),
        "Apprenticeships relevant to this occupation are available.",
    ),
    Occupation("9111", "Farm workers", ("Farm hand",), "No formal qualifications."),
]


def test_stem_joins_word_forms() -> None:
    assert stem("nursing") == stem("nurses") == stem("nurse") == "nurs"
    assert stem("accounting") == stem("accountants")
    assert stem("programmers") == stem("programming")
    assert stem("medicine") == stem("medical")
    assert stem("nursery") == stem("nurseries") != stem("nursing")  # a false friend
    assert tokens("Studies of the law") == ["law"]


def test_links_rank_the_obvious_occupation_first() -> None:
    model = LinkModel(OCCUPATIONS)
    computing = model.link(SubjectDoc("11-01", "computing", ("software engineering",)))
    assert computing[0].code == "2134" and computing[0].relative == 1.0
    law = model.link(SubjectDoc("16-01", "law"))
    assert [k.code for k in law[:2]] == ["2412", "4212"]
    assert "law" in law[0].shared_words or "legal" in law[0].shared_words
    nursing = model.link(SubjectDoc("02-04", "nursing and midwifery"))
    assert {k.code for k in nursing[:2]} == {"2231", "2237"}
    assert model.link(SubjectDoc("99", "astrology")) == []


def test_non_graduate_occupations_are_halved() -> None:
    """Same words, different entry routes: the graduate-entry occupation scores double."""
    twins = [
        Occupation("2999", "Widget engineers", (), DEGREE),
        Occupation("8999", "Widget engineers", (), "No qualifications needed."),
        Occupation("9998", "Cleaners", (), ""),
    ]
    links = {
        k.code: k.affinity for k in LinkModel(twins).link(SubjectDoc("x", "widget engineering"))
    }
    assert abs(links["2999"] - 2 * links["8999"]) < 1e-3


def test_shares_are_capped_by_the_professional_split() -> None:
    model = LinkModel(OCCUPATIONS)
    plain = model.link(SubjectDoc("16-01", "law"))
    assert abs(sum(k.share for k in plain) - 100) < 0.5
    capped = model.link(SubjectDoc("16-01", "law"), professional_share=60.0, other_share=5.0)
    professional = sum(k.share for k in capped if k.code[0] in "123")
    other = sum(k.share for k in capped if k.code[0] not in "123")
    assert professional <= 60.05 and other <= 5.05


@given(
    professional=st.floats(min_value=0, max_value=100),
    other=st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
)
def test_capped_shares_never_exceed_their_blocks(professional: float, other: float | None) -> None:
    links = LinkModel(OCCUPATIONS).link(
        SubjectDoc("16-01", "law legal secretaries nursing"), professional, other
    )
    plain = {
        k.code: k.share
        for k in LinkModel(OCCUPATIONS).link(SubjectDoc("16-01", "law legal secretaries nursing"))
    }
    top = professional
    bottom = 100 - professional if other is None else other
    rounding = 0.05 * len(links) + 1e-9  # each share is rounded to 0.1
    assert sum(k.share for k in links if k.code[0] in "123") <= top + rounding
    assert sum(k.share for k in links if k.code[0] not in "123") <= max(bottom, 0) + rounding
    for k in links:  # scaling only ever lowers a share
        assert k.share <= plain[k.code] + 0.05


def test_synthetic_standards_only_for_apprenticeship_entry_routes() -> None:
    standards = synthetic_standards(OCCUPATIONS, {"5241": "5241"})
    assert [s.reference for s in standards] == ["SYN5241", "SYN8211"]
    electrician, driver = standards
    assert electrician.level == 3 and electrician.level_rule == "entry routes"
    assert electrician.route == "Engineering and manufacturing"
    assert electrician.soc2010 == ("5241",) and electrician.soc2020 == ("5241",)
    assert driver.level == 2 and driver.level_rule == "major group"
    assert driver.route == "Transport and logistics" and driver.soc2010 == ()
    for s in standards:
        assert s.reference.startswith(SYNTHETIC_PREFIX) and "(synthetic standard)" in s.title
        assert "synthetic" in s.status


def test_synthetic_standards_are_reproducible() -> None:
    assert synthetic_standards(OCCUPATIONS) == synthetic_standards(list(reversed(OCCUPATIONS)))
