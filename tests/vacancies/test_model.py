"""Normalising adverts: text, personal data, dates, fingerprints, job titles, places."""

from __future__ import annotations

from datetime import date

import pytest

from lmi.errors import InvalidQuery
from lmi.vacancies.coding import job_title
from lmi.vacancies.model import RawAdvert, fingerprint, monday, normalise, parse_date, redact
from lmi.vacancies.place import Placer

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mail jo.bloggs+jobs@example.co.uk today", "Mail [email removed] today"),
        ("Call 0113 496 0000.", "Call [phone removed]."),
        ("Mobile 07700 900123 or +44 7700 900123", "Mobile [phone removed] or [phone removed]"),
        ("Ring (020) 7946 0000", "Ring [phone removed]"),
        ("Salary £32,000 - £35,000, 37.5 hours, ref 2026-1234", None),
    ],
)
def test_personal_data_is_removed(text: str, expected: str | None) -> None:
    assert redact(text) == (expected if expected is not None else text)


def test_normalise_cleans_and_rejects() -> None:
    raw = RawAdvert("f", " 7 ", "<b>Chef</b> &amp; Cook", description="<p>Hi</p>", location="Leeds")
    advert = normalise(raw, TODAY)
    assert (advert.feed_id, advert.title, advert.summary) == ("7", "Chef & Cook", "Hi")
    assert advert.posted == TODAY  # no date given: first seen today
    with pytest.raises(InvalidQuery):
        normalise(RawAdvert("f", "1", "  <br>  "), TODAY)
    future = normalise(RawAdvert("f", "1", "Chef", posted="2099-01-01"), TODAY)
    assert future.posted == TODAY
    assert normalise(RawAdvert("f", "1", "Chef", url="javascript:x"), TODAY).url is None
    assert normalise(RawAdvert("f", "1", "Chef", latitude=123.0), TODAY).latitude is None


def test_dates_and_weeks() -> None:
    assert parse_date("2026-12-01T09:15:00Z") == date(2026, 12, 1)
    assert parse_date("04/12/2026") == date(2026, 12, 4)
    assert parse_date("31/02/2026") is None
    assert parse_date("next week") is None
    assert monday(date(2026, 12, 6)) == date(2026, 11, 30)


def test_fingerprint_matches_the_same_job_on_two_boards() -> None:
    a = fingerprint("Registered Nurse", "Example Health Trust", "London")
    b = fingerprint("registered nurse", "Example Health Trust Ltd", "London, UK")
    c = fingerprint("Registered Nurse", "Example Health Trust", "Leeds")
    assert a == b != c


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Snr Java Dev - London (Hybrid)", "snr java dev"),
        ("HGV Class 1 Driver (Nights) (synthetic)", "hgv class 1 driver"),
        ("Data Analyst | Immediate start", "data analyst"),
        ("Receptionist/Administrator", "receptionist/administrator"),
        ("(Remote)", "(remote)"),
    ],
)
def test_job_title(title: str, expected: str) -> None:
    assert job_title(title) == expected


@pytest.mark.parametrize(
    ("location", "kind", "code"),
    [
        ("Leeds, West Yorkshire", "la", "la-leeds"),
        ("Central London", "region", "E12000007"),
        ("Kent", "la", "la-kent"),
        ("Somewhere, South West", "region", "E12000009"),
        ("Remote", None, None),
        ("Cardiff", None, None),
    ],
)
def test_placing_by_names(location: str, kind: str | None, code: str | None) -> None:
    placed = Placer().place(location, None)
    assert (placed.kind, placed.code) == (kind, code)


def test_remembered_answers_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from lmi.vacancies import search

    monkeypatch.setattr(search, "BODY_BYTES", 6400)
    index = search.AdvertIndex([])
    for n in range(10):
        index.remember(("q", str(n).encode()), (b"x" * 100 * (n + 1), ()))
    assert sum(len(b) for b, _ in index.bodies.values()) <= 6400
    assert ("q", b"9") not in index.bodies  # larger than a 64th of the budget: never kept
    assert ("q", b"0") in index.bodies
