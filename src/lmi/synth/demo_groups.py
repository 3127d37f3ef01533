"""The demo release's SOC classification: seeded, SOC-shaped and labelled synthetic.

Shared by the demo's own SOC tables (``demo``) and the files it writes for every other dataset
(``demo_sources``), so both describe the same occupations.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

from lmi.classification.soc import level_of

__all__ = ["LABEL", "SEED", "demo_groups"]

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
#: words that tell apart groups of the same field and role (none for most)
KINDS = ["", "", "", "clinical", "digital", "site", "mobile", "public", "regional", "technical"]
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
    kind = rng.choice(KINDS)
    words = [kind.capitalize(), rng.choice(FIELDS)] if kind else [rng.choice(FIELDS).capitalize()]
    return f"{' '.join(words)} {rng.choice(ROLES)}s {LABEL}"


def _unique_title(rng: random.Random, used: set[str]) -> str:
    """A title no other group of the version has: job-title search and APS match by title.

    1,512 kind × field × role titles for 603 groups: a free one is found within a few draws.
    """
    while True:
        title = _title(rng)
        if title not in used:
            used.add(title)
            return title


def demo_groups(version: str, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """SOC-shaped groups: 9 majors × 3 sub-majors × 3 minors × 6 unit groups."""
    rng = random.Random(f"{seed}-{version}")
    used: set[str] = set()
    for major in range(1, 10):
        for code in _descendants(str(major)):
            title = _unique_title(rng, used)
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
