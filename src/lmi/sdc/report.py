"""The per-release SDC report: how many served cells are in each status, by rule; fallbacks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SdcReport"]


@dataclass
class SdcReport:
    release: int | None = None
    policies: dict[str, str] = field(default_factory=dict)  # id → description
    by_status: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # dataset, status, rule
    fallbacks: Counter[tuple[str, str]] = field(default_factory=Counter)  # dataset, level
    notes: list[str] = field(default_factory=list)

    def count(self, dataset: str, status: str, rule: str, n: int = 1) -> None:
        self.by_status[status] += n
        self.by_rule[(dataset, status, rule)] += n

    def fallback(self, dataset: str, level: str, n: int = 1) -> None:
        self.fallbacks[(dataset, level)] += n

    def as_dict(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "policies": self.policies,
            "cells_by_status": dict(sorted(self.by_status.items())),
            "cells_by_rule": [
                {"dataset": d, "status": s, "rule": r, "cells": n}
                for (d, s, r), n in sorted(self.by_rule.items())
            ],
            "fallbacks": [
                {"dataset": d, "level": lvl, "cells": n}
                for (d, lvl), n in sorted(self.fallbacks.items())
            ],
            "notes": self.notes,
        }

    def render(self) -> str:
        lines = [f"SDC report, release {self.release}", ""]
        lines += ["Policies:"] + [f"  {pid}: {text}" for pid, text in self.policies.items()]
        lines += ["", "Cells by status:"]
        lines += [f"  {status:24} {n:>9,}" for status, n in sorted(self.by_status.items())]
        lines += ["", "Cells by rule:"]
        lines += [
            f"  {d:10} {s:24} {r:44} {n:>9,}" for (d, s, r), n in sorted(self.by_rule.items())
        ]
        lines += ["", "Fallbacks used (a coarser figure stands in):"]
        lines += [f"  {d:10} {lvl:30} {n:>9,}" for (d, lvl), n in sorted(self.fallbacks.items())]
        if not self.fallbacks:
            lines.append("  none")
        lines += [""] + [f"Note: {note}" for note in self.notes]
        return "\n".join(lines).rstrip() + "\n"
