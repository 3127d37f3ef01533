"""One advert as a feed gives it, and its normalised form: text cleaned, personal data removed.

Feeds differ in everything but the essentials, so connectors map their records to
:class:`RawAdvert` and :func:`normalise` does the rest the same way for all of them: HTML tags and
entities removed, whitespace collapsed, e-mail addresses and phone numbers replaced (adverts name
recruiters; lmi stores no personal data), dates read in the formats feeds use, and a
*fingerprint* that is the same for the same job posted on two boards or posted again.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lmi.errors import InvalidQuery

__all__ = [
    "RawAdvert",
    "Advert",
    "clean_text",
    "fingerprint",
    "monday",
    "normalise",
    "parse_date",
    "redact",
]

#: the longest summary kept (the search answers a summary, not the whole advert)
SUMMARY_CHARACTERS = 500
#: words of the description given to the coder as context when the title alone is not enough
CONTEXT_WORDS = 12
_TAG = re.compile(r"<[^>]{0,2000}>")
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
#: UK numbers: +44 or 0, then 9–10 more digits in groups separated by spaces, dots or dashes
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?|\(?0)\d{2,4}\)?(?:[\s.-]?\d){6,8}(?!\d)")
_WORDS = re.compile(r"[a-z0-9]+")
#: a phone number has at least three digits in a row (or "(0"): a cheap test before PHONE
_DIGIT_RUN = re.compile(r"\d{3}|\(0")
#: words that differ between postings of the same job and say nothing of it
_NOISE = frozenset({"the", "and", "a", "an", "ltd", "limited", "plc", "uk", "job", "vacancy"})


@dataclass(frozen=True, slots=True)
class RawAdvert:
    """The fields every connector fills (``None`` where its feed has nothing)."""

    feed: str
    feed_id: str
    title: str
    company: str | None = None
    description: str | None = None
    category: str | None = None
    location: str | None = None
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    url: str | None = None
    posted: str | None = None
    closes: str | None = None
    synthetic: bool = False


@dataclass(slots=True)
class Advert:
    """A normalised advert, ready to code, place and store."""

    feed: str
    feed_id: str
    title: str
    company: str | None
    summary: str | None
    #: context for the coder: the category, NUL, the description's first words
    context: str
    location: str | None
    postcode: str | None
    latitude: float | None
    longitude: float | None
    salary_min: float | None
    salary_max: float | None
    url: str | None
    posted: date
    closes: date | None
    fingerprint: str
    synthetic: bool


def clean_text(text: str | None) -> str:
    """Tags and entities out, whitespace collapsed (descriptions arrive as HTML)."""
    if not text:
        return ""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


def redact(text: str) -> str:
    """Replace e-mail addresses and phone numbers: stored text carries no personal data."""
    if "@" in text:
        text = EMAIL.sub("[email removed]", text)
    if _DIGIT_RUN.search(text):
        text = PHONE.sub("[phone removed]", text)
    return text


def parse_date(text: str | None) -> date | None:
    """A date in the forms feeds use: ISO date or timestamp (``2026-12-07T10:00:00Z``) or
    Reed's ``07/12/2026``; ``None`` when absent or unreadable."""
    if not text:
        return None
    raw = text.strip()
    try:
        if len(raw) >= 10 and raw[4] == "-":
            return date.fromisoformat(raw[:10])
        if len(raw) == 10 and raw[2] == "/" and raw[5] == "/":
            return datetime.strptime(raw, "%d/%m/%Y").date()
    except ValueError:
        return None
    return None


def monday(day: date) -> date:
    """The Monday of ``day``'s ISO week: the key of weekly counts."""
    return day - timedelta(days=day.weekday())


def _words(text: str | None) -> str:
    return " ".join(w for w in _WORDS.findall((text or "").casefold()) if w not in _NOISE)


def fingerprint(title: str, company: str | None, place: str | None) -> str:
    """The same for one job wherever and however often it is posted: normalised title,
    employer and the first part of its place (``Leeds, West Yorkshire`` → ``leeds``)."""
    first_place = (place or "").split(",")[0]
    key = "|".join((_words(title), _words(company), _words(first_place)))
    return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()


def normalise(raw: RawAdvert, today: date) -> Advert:
    """Clean one advert; :class:`InvalidQuery` when it cannot be stored (no id or title)."""
    title = redact(clean_text(raw.title))[:300]
    if not title:
        raise InvalidQuery("advert has no title", parameter="title")
    if not raw.feed_id or not str(raw.feed_id).strip():
        raise InvalidQuery("advert has no id", parameter="id")
    description = redact(clean_text(raw.description))
    summary = description[:SUMMARY_CHARACTERS] or None
    category = clean_text(raw.category)
    company = redact(clean_text(raw.company))[:300] or None
    location = clean_text(raw.location)[:300] or None
    posted = parse_date(raw.posted) or today
    return Advert(
        feed=raw.feed,
        feed_id=str(raw.feed_id).strip()[:200],
        title=title,
        company=company,
        summary=summary,
        context=f"{category}\u0000{' '.join(description.split()[:CONTEXT_WORDS])}",
        location=location,
        postcode=(raw.postcode or "").strip().upper() or None,
        latitude=_coordinate(raw.latitude, 90.0),
        longitude=_coordinate(raw.longitude, 180.0),
        salary_min=_money(raw.salary_min),
        salary_max=_money(raw.salary_max),
        url=raw.url if raw.url and raw.url.startswith(("http://", "https://")) else None,
        posted=min(posted, today),
        closes=parse_date(raw.closes),
        fingerprint=fingerprint(title, company, location or raw.postcode),
        synthetic=raw.synthetic,
    )


def _coordinate(value: float | None, limit: float) -> float | None:
    try:
        number = float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and -limit <= number <= limit else None


def _money(value: object) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number is not None and 0 <= number < 10_000_000 else None
