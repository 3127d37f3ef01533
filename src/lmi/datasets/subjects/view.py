"""Subject codes (CAH, HECoS, JACS) as the API reads them: rows by code, and children."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lmi.datasets.base import View, ViewSource

__all__ = ["SUBJECT_CODES", "SubjectCodes"]


@dataclass
class SubjectCodes:
    #: (scheme, code) → the subjects row
    rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    #: (scheme, parent code) → the codes directly below it, in file order
    children: dict[tuple[str, str], list[str]] = field(default_factory=dict)


def _subject_codes(source: ViewSource) -> SubjectCodes:
    found = SubjectCodes()
    for row in source.rows("subjects"):
        found.rows[(row["scheme"], row["code"])] = row
        if row["parent_code"]:
            found.children.setdefault((row["scheme"], row["parent_code"]), []).append(row["code"])
    return found


SUBJECT_CODES = View("subjects", "codes and children", _subject_codes)
