"""The in-memory advert index answers exactly what a plain scan of the adverts would."""

from __future__ import annotations

import random
from datetime import date, timedelta

from lmi.vacancies.search import AdvertIndex, Item, Query, miles, words

TODAY = date(2026, 12, 7)
AREAS = [("la-leeds", "E12000003"), ("la-camden", "E12000007"), (None, "E12000007"), (None, None)]
TITLES = ["Care assistant", "Software developer", "Chef", "Sales assistant", "Nurse"]


def items(n: int) -> list[Item]:
    rng = random.Random(5)
    made = []
    for i in range(n):
        area, region = rng.choice(AREAS)
        point = rng.random() < 0.5
        made.append(
            Item(
                id=i,
                feed="f",
                feed_id=str(i),
                title=rng.choice(TITLES),
                company=f"Employer {rng.randrange(20)}",
                summary=None,
                location="Leeds" if area == "la-leeds" else "London",
                postcode=None,
                area_kind="la" if area else None,
                area_code=area or region,
                region_code=region,
                latitude=51.5 + rng.random() if point else None,
                longitude=-0.1 - rng.random() if point else None,
                salary_min=None,
                salary_max=None,
                url=None,
                posted=(TODAY - timedelta(days=rng.randrange(60))).isoformat(),
                closes=None,
                last_seen="2026-12-07T00:00:00+00:00",
                soc2010=rng.choice(["2136", "6145", "5434", None]),
                soc2010_score=0.9,
                soc2010_status="coded",
                soc2020=rng.choice(["2134", "6135", "5434", None]),
                soc2020_score=0.9,
                soc2020_status="coded",
                coded_release=1,
                synthetic=False,
            )
        )
    made.sort(key=lambda x: (x.posted, x.id), reverse=True)  # as load_index orders them
    return made


def scan(all_items: list[Item], q: Query) -> list[Item]:
    found = []
    for item in all_items:
        code = item.soc2010 if q.soc_version == "soc2010" else item.soc2020
        if q.soc_code and not (code or "").startswith(q.soc_code):
            continue
        if not q.keywords <= words(item.title) | words(item.company):
            continue
        if q.since and item.posted < q.since.isoformat():
            continue
        if q.area_codes or q.centre:
            in_area = item.area_code in q.area_codes or item.region_code in q.area_codes
            near = (
                q.centre is not None
                and q.radius_miles is not None
                and item.latitude is not None
                and item.longitude is not None
                and miles(q.centre, (item.latitude, item.longitude)) <= q.radius_miles
            )
            if not (in_area or near):
                continue
        found.append(item)
    return found


def test_index_matches_a_plain_scan() -> None:
    all_items = items(3000)
    index = AdvertIndex(all_items)
    rng = random.Random(9)
    for _ in range(400):
        q = Query(
            soc_version=rng.choice(["soc2010", "soc2020"]),
            soc_code=rng.choice([None, "2", "21", "6135", "5434", "9"]),
            keywords=frozenset(rng.choice([(), ("assistant",), ("chef",), ("employer", "3")])),
            area_codes=frozenset(rng.choice([(), ("la-leeds",), ("E12000007",)])),
            centre=rng.choice([None, (51.9, -0.5)]),
            radius_miles=rng.choice([10.0, 40.0]),
            since=rng.choice([None, TODAY - timedelta(days=rng.randrange(70))]),
            offset=rng.choice([0, 5, 100]),
            limit=rng.choice([1, 20, 100]),
        )
        expected = scan(all_items, q)
        total, page = index.search(q)
        assert total == len(expected), q
        assert [i.id for i in page] == [i.id for i in expected[q.offset : q.offset + q.limit]]


def test_live_counts_and_rendered_adverts_follow_the_index() -> None:
    import json

    all_items = items(600)
    index = AdvertIndex(all_items)
    for version, code in (("soc2010", "2"), ("soc2020", "6135"), ("soc2010", "5434")):
        expected = scan(all_items, Query(soc_version=version, soc_code=code))
        assert index.live(version, code) == len(expected) > 0
        in_london = scan(
            all_items,
            Query(soc_version=version, soc_code=code, area_codes=frozenset({"E12000007"})),
        )
        assert index.live(version, code, frozenset({"E12000007"})) == len(in_london)
    assert index.live("soc2020", "8") == 0
    first = json.loads(index.json(0))
    assert (
        first == json.loads(json.dumps(all_items[0].as_dict())) and first["id"] == all_items[0].id
    )
    assert index.json(0) is index.json(0)  # rendered once
    title = index.json(3, lambda item: {"title": item.title})
    assert json.loads(title) == {"title": all_items[3].title}
    assert not (index.pulled or index.last_pull)  # an index with no finished pull
