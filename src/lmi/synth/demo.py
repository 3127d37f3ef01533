"""A clearly labelled synthetic demo release, for running lmi without the official files.

Everything here is generated from a fixed seed: SOC-shaped hierarchies for both versions
(codes laid out as in SOC, e.g. 2 → 21 → 213 → 2136), invented titles, descriptions, tasks and
coding-index titles, and a one-to-one SOC2010→SOC2020 crosswalk. Every title ends in
"(synthetic)" and the release's kind is ``synthetic``, so every API response says so.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

from lmi.classification.soc import level_of
from lmi.datasets import registry  # noqa: F401  (registers tables)
from lmi.store.database import Database
from lmi.store.releases import ReleaseStore
from lmi.store.schema import metadata

__all__ = ["SEED", "build_demo_release", "demo_groups"]

SEED = 42
FIELDS = [
    "software",
    "health",
    "teaching",
    "finance",
    "logistics",
    "construction",
    "retail",
    "engineering",
    "media",
    "agriculture",
    "hospitality",
    "security",
    "energy",
    "law",
]
ROLES = [
    "developer",
    "manager",
    "technician",
    "assistant",
    "officer",
    "analyst",
    "operative",
    "adviser",
    "inspector",
    "coordinator",
    "specialist",
    "planner",
]
VERBS = [
    "plans",
    "checks",
    "designs",
    "records",
    "maintains",
    "advises on",
    "supervises",
    "tests",
    "prepares",
    "reviews",
]
LABEL = "(synthetic)"


def _title(rng: random.Random) -> str:
    return f"{rng.choice(FIELDS).capitalize()} {rng.choice(ROLES)}s {LABEL}"


def demo_groups(version: str, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """SOC-shaped groups: 9 majors × 3 sub-majors × 3 minors × 6 unit groups."""
    rng = random.Random(f"{seed}-{version}")
    for major in range(1, 10):
        for code in _descendants(str(major)):
            title = _title(rng)
            unit = len(code) == 4
            tasks = [f"{rng.choice(VERBS)} {rng.choice(FIELDS)} work;" for _ in range(4)]
            yield {
                "soc_version": version,
                "code": code,
                "level": level_of(code),
                "title": title,
                "parent_code": code[:-1] or None,
                "description": f"SYNTHETIC DEMO DATA, not an ONS description: {title.lower()}.",
                "entry_routes": "Synthetic demo: no real entry routes." if unit else None,
                "tasks_json": json.dumps(tasks) if unit else None,
                "related_titles_json": json.dumps([title.replace("s " + LABEL, "")])
                if unit
                else None,
            }


def _descendants(major: str) -> Iterator[str]:
    yield major
    for sub in range(1, 4):
        yield f"{major}{sub}"
        for minor in range(1, 4):
            yield f"{major}{sub}{minor}"
            for unit in range(1, 7):
                yield f"{major}{sub}{minor}{unit}"


def _index_entries(groups: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for group in groups:
        if group["level"] != "unit_group":
            continue
        role = group["title"].split()[1].rstrip("s")
        field = group["title"].split()[0]
        for n, qualifier in enumerate(["", "senior", "trainee"]):
            natural = " ".join(w for w in (qualifier, field.lower(), role) if w)
            yield {
                "soc_version": group["soc_version"],
                "entry_id": f"demo-{group['code']}-{n}",
                "indexocc": f"{role.capitalize()}, {field.lower()}"
                + (f", {qualifier}" if qualifier else ""),
                "natural_title": natural.capitalize(),
                "soc_code": group["code"],
                "soc2010": group["code"] if group["soc_version"] == "soc2010" else None,
                "soc2020": group["code"] if group["soc_version"] == "soc2020" else None,
            }


def build_demo_release(db: Database) -> int:
    """Write and promote the synthetic demo release; returns its id."""
    store = ReleaseStore(db)
    release_id = store.create("synthetic demo (seed 42)", kind="synthetic")
    groups = [*demo_groups("soc2010"), *demo_groups("soc2020")]
    units = [g["code"] for g in groups if g["soc_version"] == "soc2010" and len(g["code"]) == 4]
    with db.transaction() as tx:
        for name, rows in (
            ("soc_groups", groups),
            ("soc_index_entries", list(_index_entries(groups))),
            ("soc2010_soc2020_dual_coding", [_one_to_one(code) for code in units]),
        ):
            if name in metadata.tables:
                tx.insert_rows(
                    metadata.tables[name], ({"release_id": release_id, **r} for r in rows)
                )
        for dataset in ("soc2010", "soc2020", "soc_crosswalks"):
            store.record_dataset(
                tx,
                release_id,
                dataset=dataset,
                loader="synth.demo@1",
                status="loaded",
                rows_read=0,
                rows_loaded=0,
                errors=0,
                warnings=0,
                seconds=0.0,
            )
    store.finish(release_id, ok=True, report_json=json.dumps({"synthetic": True, "seed": SEED}))
    store.promote(release_id, by="lmi (demo)", note="synthetic demo: no source directory")
    return release_id


def _one_to_one(code: str) -> dict[str, Any]:
    return {
        "soc2010": code,
        "soc2020": code,
        "men_census_base": 100,
        "men_census_prop": 1.0,
        "women_census_base": 100,
        "women_census_prop": 1.0,
        "men_lfs_base": 50,
        "men_lfs_prop": 1.0,
        "women_lfs_base": 50,
        "women_lfs_prop": 1.0,
    }
