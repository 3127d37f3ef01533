"""UK SOC profiles from O*NET: each unit group's weighted aggregate of its O*NET occupations.

A UK unit group U (SOC 2010 or SOC 2020) maps to O*NET occupations o with weights w(o) summing
to 1 (``onet_uk_soc``: UK SOC → ISCO-08 → US SOC → O*NET-SOC; see
:mod:`lmi.datasets.onet.uk_soc`). For each descriptor domain (skills, knowledge, abilities, work
activities, work styles, work values, interests) and element e:

- the *contributors* of e are the occupations of U that have a rating of e (O*NET rates 879 of
  the 1,016 occupations for skills, for instance; detailed ``.0x`` occupations often have none);
- the UK value is the weighted mean over the contributors, weights renormalised over them:
  ``sum(w(o) * x(o, e)) / sum(w(o))``, for the importance scale (IM; EX for work values, OI for
  interests) and the level scale (LV, counted as 0 where O*NET marks the level not relevant);
- ``weight_covered`` is ``sum(w(o))`` over the contributors: the share of U's mapping backed by
  data. A domain is *thin* (low confidence) when in effect one occupation contributes (the
  effective number of contributors ``1 / sum(share(o)^2)``, shares renormalised over the
  contributors, is below 1.5: one occupation holds about 80% or more of the weight) or less than
  half of the mapping weight is covered.

Job zone: the zone with the largest summed weight (and the weighted mean). Education: the
weighted mean of O*NET's "Required Level of Education" percentages per category. Technology
skills: a commodity's weight is the covered weight of the occupations listing it (top 25 kept,
with up to 5 example products, most widely listed first). Tasks: O*NET has no task ratings in
the source files, so the top 15 tasks are picked from the contributing occupations in proportion
to their weights (D'Hondt allocation), core tasks before supplemental ones, in O*NET's order.

Figures are modelled: US job content carried over to UK occupations through crosswalks, not
observed in the UK.
"""

from __future__ import annotations

import inspect
import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from lmi.datasets.base import About, LoadContext
from lmi.datasets.onet_descriptors.tables import RATING_TABLES
from lmi.datasets.onet_profiles.tables import (
    onet_uk_coverage,
    onet_uk_elements,
    onet_uk_preparation,
    onet_uk_tasks,
    onet_uk_technology,
)

__all__ = [
    "PRIMARY_SCALE",
    "PROFILE_METHOD",
    "dhondt",
    "effective_contributors",
    "is_thin",
]

PROFILE_METHOD = inspect.cleandoc(__doc__ or "")

#: the scale reported as ``importance`` per domain (``level`` is always LV)
PRIMARY_SCALE = {
    "skills": "IM",
    "knowledge": "IM",
    "abilities": "IM",
    "work_activities": "IM",
    "work_styles": "IM",
    "work_values": "EX",
    "interests": "OI",
}
THIN_WEIGHT = 0.5
THIN_EFFECTIVE = 1.5
TOP_TECHNOLOGY = 25
TOP_EXAMPLES = 5
TOP_TASKS = 15

Key = tuple[str, str]
Mapping_ = dict[Key, list[tuple[str, float]]]


def effective_contributors(shares: Sequence[float]) -> float:
    """``1 / sum(share^2)``: 1 when one occupation holds all the weight, n for n equal shares."""
    total = sum(shares)
    return 1 / sum((s / total) ** 2 for s in shares) if total > 0 else 0.0


def is_thin(shares: Sequence[float], weight_covered: float) -> bool:
    return effective_contributors(shares) < THIN_EFFECTIVE or weight_covered < THIN_WEIGHT


def load_profiles(ctx: LoadContext) -> None:
    mapping = _mapping(ctx)
    if not mapping:
        ctx.problem("error", "missing-dependency", "onet_uk_soc has no rows in this release")
        return
    for domain, table in RATING_TABLES.items():
        with_data = _codes(ctx, table.name)
        if not with_data:
            ctx.problem("warning", "no-data", f"no {domain} ratings in this release: skipped")
            continue
        ctx.write(onet_uk_elements, _element_rows(ctx, domain, table.name))
        ctx.write(onet_uk_coverage, _coverage_rows(domain, mapping, with_data))
    _load_preparation(ctx, mapping)
    _load_technology(ctx, mapping)
    _load_tasks(ctx, mapping)


def _mapping(ctx: LoadContext) -> Mapping_:
    found: Mapping_ = defaultdict(list)
    for version, code, onet_code, weight in ctx.tx.execute(
        "SELECT soc_version, soc_code, onet_code, weight FROM onet_uk_soc WHERE release_id = :r "
        "ORDER BY soc_version, soc_code, weight DESC, onet_code",
        {"r": ctx.release_id},
    ).rows:
        found[version, code].append((onet_code, float(weight)))
    return dict(found)


def _codes(ctx: LoadContext, table: str) -> set[str]:
    rows = ctx.tx.execute(
        f"SELECT DISTINCT onet_code FROM {table} WHERE release_id = :r", {"r": ctx.release_id}
    ).rows
    return {code for (code,) in rows}


# -- rated elements ----------------------------------------------------------------------------

ELEMENT_SQL = """
SELECT m.soc_version, m.soc_code, r.element_id, min(r.element_name), r.scale_id,
       sum(m.weight * CASE WHEN r.not_relevant THEN 0 ELSE r.value END) / sum(m.weight),
       count(*), sum(m.weight)
FROM onet_uk_soc m JOIN {table} r ON r.release_id = m.release_id AND r.onet_code = m.onet_code
WHERE m.release_id = :r AND r.scale_id IN (:primary, 'LV')
GROUP BY m.soc_version, m.soc_code, r.element_id, r.scale_id
"""


def _element_rows(ctx: LoadContext, domain: str, table: str) -> Iterator[dict[str, Any]]:
    primary = PRIMARY_SCALE[domain]
    params = {"r": ctx.release_id, "primary": primary}
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for version, code, element, name, scale, mean, count, covered in ctx.tx.execute(
        ELEMENT_SQL.format(table=table), params
    ).rows:
        row = found.setdefault(
            (version, code, element),
            {
                "soc_version": version,
                "soc_code": code,
                "domain": domain,
                "element_id": element,
                "element_name": name,
                "importance": None,
                "level": None,
                "contributors": 0,
                "weight_covered": 0.0,
            },
        )
        row["importance" if scale == primary else "level"] = round(float(mean), 4)
        if scale == primary or row["contributors"] == 0:
            row["contributors"], row["weight_covered"] = int(count), round(float(covered), 6)
    return (found[key] for key in sorted(found))


def _coverage_rows(domain: str, mapping: Mapping_, with_data: set[str]) -> Iterator[dict[str, Any]]:
    for (version, code), occupations in sorted(mapping.items()):
        covered = [(o, w) for o, w in occupations if o in with_data]
        total = sum(w for _, w in covered)
        if not covered:
            continue
        yield {
            "soc_version": version,
            "soc_code": code,
            "domain": domain,
            "contributors": len(covered),
            "weight_covered": round(total, 6),
            "occupations_json": json.dumps([[o, round(w / total, 6)] for o, w in covered]),
        }


# -- job zone and education ---------------------------------------------------------------------


def _load_preparation(ctx: LoadContext, mapping: Mapping_) -> None:
    zones = dict(_query(ctx, "SELECT onet_code, job_zone FROM onet_job_zones"))
    education: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for onet_code, category, value in _query(
        ctx, "SELECT onet_code, category, value FROM onet_education WHERE scale_id = 'RL'"
    ):
        education[onet_code].append((int(category), float(value)))
    categories = dict(
        _query(
            ctx,
            "SELECT category, description FROM onet_education_categories WHERE scale_id = 'RL'",
        )
    )
    if not zones and not education:
        ctx.problem("warning", "no-data", "no job zones or education data in this release")
        return
    rows = (_preparation(key, occ, zones, education, categories) for key, occ in mapping.items())
    ctx.write(onet_uk_preparation, (row for row in rows if row is not None))


def _preparation(
    key: Key,
    occupations: list[tuple[str, float]],
    zones: dict[str, int],
    education: dict[str, list[tuple[int, float]]],
    categories: dict[int, str],
) -> dict[str, Any] | None:
    by_zone: dict[int, float] = defaultdict(float)
    for onet_code, weight in occupations:
        if onet_code in zones:
            by_zone[zones[onet_code]] += weight
    percent: dict[int, float] = defaultdict(float)
    educated = [(o, w) for o, w in occupations if o in education]
    total = sum(w for _, w in educated)
    for onet_code, weight in educated:
        for category, value in education[onet_code]:
            percent[category] += weight * value / total
    if not by_zone and not percent:
        return None
    zone_weight = sum(by_zone.values())
    return {
        "soc_version": key[0],
        "soc_code": key[1],
        "job_zone": max(sorted(by_zone), key=lambda z: by_zone[z]) if by_zone else None,
        "job_zone_mean": (
            round(sum(z * w for z, w in by_zone.items()) / zone_weight, 3) if by_zone else None
        ),
        "job_zones_json": json.dumps({str(z): round(w, 6) for z, w in sorted(by_zone.items())}),
        "education_json": json.dumps(
            [
                {"category": c, "description": categories.get(c, ""), "percent": round(p, 2)}
                for c, p in sorted(percent.items())
            ]
        ),
    }


# -- technology skills ------------------------------------------------------------------------


def _load_technology(ctx: LoadContext, mapping: Mapping_) -> None:
    listed: dict[str, list[tuple[str, str, str, bool, bool]]] = defaultdict(list)
    for code, example, commodity, title, hot, demand in _query(
        ctx,
        "SELECT onet_code, example, commodity_code, commodity_title, hot_technology, in_demand "
        "FROM onet_technology_skills",
    ):
        listed[code].append((example, commodity, title, bool(hot), bool(demand)))
    if not listed:
        ctx.problem("warning", "no-data", "no technology skills in this release")
        return
    ctx.write(
        onet_uk_technology,
        (row for key, occ in sorted(mapping.items()) for row in _technology(key, occ, listed)),
    )


def _technology(
    key: Key,
    occupations: list[tuple[str, float]],
    listed: dict[str, list[tuple[str, str, str, bool, bool]]],
) -> Iterator[dict[str, Any]]:
    covered = [(o, w) for o, w in occupations if o in listed]
    total = sum(w for _, w in covered)
    weight: dict[str, float] = defaultdict(float)
    titles: dict[str, str] = {}
    flags: dict[str, list[bool]] = defaultdict(lambda: [False, False])
    examples: dict[str, Counter[str]] = defaultdict(Counter)
    for onet_code, w in covered:
        for commodity in {c for _, c, _, _, _ in listed[onet_code]}:
            weight[commodity] += w / total
        for example, commodity, title, hot, demand in listed[onet_code]:
            titles[commodity] = title
            flags[commodity][0] |= hot
            flags[commodity][1] |= demand
            examples[commodity][example] += 1
    ranked = sorted(weight, key=lambda c: (-weight[c], not flags[c][0], c))[:TOP_TECHNOLOGY]
    for commodity in ranked:
        yield {
            "soc_version": key[0],
            "soc_code": key[1],
            "commodity_code": commodity,
            "commodity_title": titles[commodity],
            "weight": round(weight[commodity], 6),
            "hot_technology": flags[commodity][0],
            "in_demand": flags[commodity][1],
            "examples_json": json.dumps(
                [e for e, _ in sorted(examples[commodity].items(), key=lambda i: (-i[1], i[0]))][
                    :TOP_EXAMPLES
                ]
            ),
        }


# -- tasks --------------------------------------------------------------------------------------


def dhondt(weights: list[float], seats: int, available: list[int]) -> list[int]:
    """Seats per party by the D'Hondt method, no party above its ``available`` count."""
    taken = [0] * len(weights)
    for _ in range(seats):
        open_ = [i for i in range(len(weights)) if taken[i] < available[i]]
        if not open_:
            break
        best = max(open_, key=lambda i: (weights[i] / (taken[i] + 1), -i))
        taken[best] += 1
    return taken


def _load_tasks(ctx: LoadContext, mapping: Mapping_) -> None:
    tasks: dict[str, list[tuple[int, str, str | None]]] = defaultdict(list)
    for code, task_id, task, kind in _query(
        ctx,
        "SELECT onet_code, task_id, task, task_type FROM onet_tasks "
        "ORDER BY onet_code, CASE WHEN task_type = 'Core' THEN 0 ELSE 1 END, task_id",
    ):
        tasks[code].append((int(task_id), task, kind))
    if not tasks:
        ctx.problem("warning", "no-data", "no task statements in this release")
        return
    ctx.write(
        onet_uk_tasks,
        (row for key, occ in sorted(mapping.items()) for row in _tasks(key, occ, tasks)),
    )


def _tasks(
    key: Key,
    occupations: list[tuple[str, float]],
    tasks: dict[str, list[tuple[int, str, str | None]]],
) -> Iterator[dict[str, Any]]:
    covered = [(o, w) for o, w in occupations if o in tasks]
    seats = dhondt([w for _, w in covered], TOP_TASKS, [len(tasks[o]) for o, _ in covered])
    picked = [
        (onet_code, weight, task)
        for (onet_code, weight), n in zip(covered, seats, strict=True)
        for task in tasks[onet_code][:n]
    ]
    for rank, (onet_code, weight, (task_id, text, kind)) in enumerate(picked, start=1):
        yield {
            "soc_version": key[0],
            "soc_code": key[1],
            "rank": rank,
            "onet_code": onet_code,
            "task_id": task_id,
            "task": text,
            "task_type": kind,
            "weight": round(weight, 6),
        }


def _query(ctx: LoadContext, sql: str) -> list[tuple[Any, ...]]:
    joiner = " AND " if " WHERE " in sql else " WHERE "
    head, _, order = sql.partition(" ORDER BY ")
    statement = f"{head}{joiner}release_id = :r" + (f" ORDER BY {order}" if order else "")
    return ctx.tx.execute(statement, {"r": ctx.release_id}).rows


ABOUT = About(
    coverage="For each UK SOC 2010 and SOC 2020 unit group mapped in onet_uk_soc: weighted "
    "averages of O*NET ratings (skills, knowledge, work styles, work values, interests, and "
    "abilities and work activities once their files are loaded), job zone, education, "
    "technology skills and typical tasks.",
    currency="Rebuilt in each release from that release's O*NET 29.0 descriptor files (task "
    "statements from a later O*NET release) and its UK SOC to O*NET mapping.",
    frequency="Derived by lmi every time a release is built: it changes when the O*NET files "
    "or the mapping do.",
    limitations="Modelled: US job content carried over to UK occupations through crosswalks, "
    "not observed in the UK. A domain is flagged thin when one O*NET occupation carries most of "
    "the weight or under half the mapping has ratings, and tasks are picked in proportion to "
    "weights because the source files have no task ratings.",
)
