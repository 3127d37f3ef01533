"""The LMI-for-All-compatible layer: v1 paths under ``/api/v1`` with LMI for All's exact shapes.

Shapes follow ``shared/reference/lmiforall-v1-api.md`` §1.1: SOC codes are SOC 2010 unit groups
as JSON integers; ``tasks`` is one string with items separated by ``;`` and newlines;
``add_titles`` lists the unit group's ONS coding-index titles (inverted form). Unknown query
parameters are ignored. Provenance travels in ``X-LMI-*`` headers so bodies keep their shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lmi.api import params
from lmi.classification.soc import parse_soc_code
from lmi.errors import NotFound
from lmi.serve.snapshot import Group, Snapshot

__all__ = ["soc_code", "soc_search"]

VERSION = "soc2010"


def soc_info(snap: Snapshot, group: Group) -> dict[str, Any]:
    return {
        "soc": int(group.code),
        "title": group.title,
        "description": group.description or "",
        "qualifications": group.entry_routes or "",
        "tasks": "\n ".join(group.tasks),
        "add_titles": snap.index_titles.get((VERSION, group.code), []),
    }


def soc_code(snap: Snapshot, raw: str) -> dict[str, Any]:
    code = parse_soc_code(raw, parameter="soc", unit_group_only=True)
    group = snap.groups.get((VERSION, code))
    if group is None or group.level != "unit_group":
        raise NotFound(f"{code} is not a SOC 2010 unit group")
    return soc_info(snap, group)


def soc_search(snap: Snapshot, query: Mapping[str, str]) -> list[dict[str, Any]]:
    q = params.text(query, "q", required=True, max_length=200)
    assert q is not None
    limit = params.integer(query, "limit", default=20, minimum=1, maximum=100)
    coder = snap.coders.get(VERSION)
    if coder is None:
        return []
    coding = coder.code(q, top=limit, expand=True)
    return [soc_info(snap, snap.groups[(VERSION, c.code)]) for c in coding.candidates]
