"""What every MCP tool answer carries besides its data: provenance, release and quality flags.

An assistant repeating a figure must be able to say where it came from and how sure it is, so
each answer names the release and sources (``provenance``) and summarises the quality flags of
the figures it holds (``quality``: status, band and method, counted), and says when any figure
is synthetic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from lmi_client import Answer

__all__ = ["QUALITY_NOTE", "flag_counts", "shape"]

QUALITY_NOTE = (
    "Each figure carries status (ok, caution, suppressed_disclosure, suppressed_quality, "
    "not_applicable, not_available: only ok and caution figures have a value), quality (the ONS "
    "precision band, or not_published when the source gives no CV) and method (observed, "
    "derived, modelled or synthetic). Quote figures with their method and quality; never "
    "present a synthetic figure as data."
)


def _figures(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object that reports a figure's quality (it has a status or quality flag)."""
    if isinstance(node, dict):
        if "status" in node and ("value" in node or "quality" in node):
            yield node
        for value in node.values():
            yield from _figures(value)
    elif isinstance(node, list):
        for item in node:
            yield from _figures(item)


def flag_counts(data: Any) -> list[dict[str, Any]]:
    """How many figures have each (status, quality, method), most common first."""
    counts = Counter(
        (str(f.get("status")), str(f.get("quality")), str(f.get("method"))) for f in _figures(data)
    )
    return [
        {"status": status, "quality": quality, "method": method, "figures": count}
        for (status, quality, method), count in counts.most_common()
    ]


def shape(answers: list[Answer], data: Any) -> dict[str, Any]:
    """The tool answer: data with the release, provenance and quality of what answered."""
    provenance: list[dict[str, Any]] = []
    release: dict[str, Any] | None = None
    for answer in answers:
        if answer.meta is not None:
            release = release or asdict(answer.meta.release)
            for item in answer.meta.provenance:
                as_dict = asdict(item)
                if as_dict not in provenance:
                    provenance.append(as_dict)
        elif release is None and answer.release_id is not None:
            release = {"id": answer.release_id}
    methods = {p["method"] for p in provenance} | {
        f["method"] for f in flag_counts(data) if f["method"] != "None"
    }
    return {
        "data": data,
        "release": release,
        "provenance": provenance,
        "quality": {"flags": flag_counts(data), "note": QUALITY_NOTE},
        "synthetic": "synthetic" in methods or any(a.synthetic for a in answers),
        "sources": [a.url for a in answers],
    }
