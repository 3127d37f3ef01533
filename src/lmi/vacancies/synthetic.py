"""A labelled synthetic advert feed, so the feature shows without keys (the demo, benchmarks).

Every advert is invented from a fixed seed: its employer is "Synthetic employer N", its title
ends in "(synthetic)" is never claimed as real, its link points at ``example.org`` and it is
stored with ``synthetic = true``, so search answers and counts say ``method: synthetic``.
Titles mix common job titles with the demo release's field × role titles (so the demo
release's coder codes them too), with the seniority words, places and punctuation adverts carry.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from lmi.classification.areas import LOCAL_AUTHORITIES, REGIONS
from lmi.synth.demo_groups import FIELDS, ROLES
from lmi.vacancies.connectors import Page
from lmi.vacancies.http import Fetcher
from lmi.vacancies.model import RawAdvert

__all__ = ["SyntheticFeed", "synthetic_adverts"]

SEED = 19
#: common job titles, as adverts write them
TITLES = (
    "Software Developer",
    "Java Developer",
    "Care Assistant",
    "Registered Nurse",
    "HGV Class 1 Driver",
    "Warehouse Operative",
    "Primary School Teacher",
    "Accountant",
    "Sales Assistant",
    "Chef",
    "Electrician",
    "Receptionist",
    "Customer Service Advisor",
    "Project Manager",
    "Cleaner",
    "Mechanical Engineer",
    "Data Analyst",
    "Plumber",
    "Teaching Assistant",
    "Bookkeeper",
    "Solicitor",
    "Pharmacist",
    "Forklift Driver",
    "Kitchen Porter",
    "Marketing Manager",
)
SENIORITY = ("", "", "", "Senior ", "Junior ", "Trainee ", "Lead ")
SUFFIXES = ("", "", "", " - {place}", " (Nights)", " | Immediate start")
CATEGORIES = ("IT Jobs", "Healthcare & Nursing Jobs", "Logistics & Warehouse Jobs", "Other")


def synthetic_adverts(
    count: int, today: date, seed: int = SEED, first_id: int = 0
) -> Iterator[RawAdvert]:
    """``count`` invented adverts posted over the 8 weeks before ``today``, numbered from
    ``first_id``."""
    rng = random.Random(seed)
    places = [a.name for a in LOCAL_AUTHORITIES] + [r.name for r in REGIONS]
    demo_titles = [f"{f.capitalize()} {r}" for f in FIELDS for r in ROLES]
    for n in range(first_id, first_id + count):
        base = rng.choice(TITLES) if rng.random() < 0.6 else rng.choice(demo_titles)
        place = rng.choice(places)
        suffix = rng.choice(SUFFIXES).format(place=place)
        low = rng.randrange(18, 70) * 1000
        yield RawAdvert(
            feed="synthetic",
            feed_id=f"syn-{n}",
            title=f"{rng.choice(SENIORITY)}{base}{suffix} (synthetic)",
            company=f"Synthetic employer {rng.randrange(1, 400)}",
            description=(
                f"An invented advert for the lmi demo: a {base.lower()} role in {place}. "
                "Contact jobs@example.org or 020 7946 0000 (removed when stored)."
            ),
            category=CATEGORIES[sum(map(ord, base)) % len(CATEGORIES)],  # a board files a job
            # title under one category
            location=place,
            salary_min=float(low),
            salary_max=float(low + rng.randrange(0, 15) * 1000),
            url=f"https://example.org/synthetic-adverts/{n}",
            posted=(today - timedelta(days=rng.randrange(0, 56))).isoformat(),
            closes=(today + timedelta(days=rng.randrange(-7, 40))).isoformat(),
            synthetic=True,
        )


@dataclass
class SyntheticFeed:
    count: int = 2000
    seed: int = SEED
    first_id: int = 0
    name: str = "synthetic"

    def pages(self, fetcher: Fetcher, since: date | None, max_pages: int) -> Iterator[Page]:
        adverts = list(synthetic_adverts(self.count, date.today(), self.seed, self.first_id))
        for start in range(0, len(adverts), 500):
            yield Page(f"synthetic {start + 1}–{start + 500}", adverts[start : start + 500])
