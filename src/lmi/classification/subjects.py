"""Higher-education subject codes: CAH (three levels), HECoS and JACS 3.0.

One place for what a subject code looks like and how CAH nests, for every part of lmi that takes
a subject (LEO earnings, pathways, graduate destinations, the compatible HESA courses): a code's
scheme and level are recognised here from its shape; the release's subject table
(:mod:`lmi.datasets.subjects`, view ``SUBJECT_CODES``) then says whether it exists and maps
HECoS and JACS codes to CAH, the scheme LEO, Discover Uni and HESA publish by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CAH",
    "CAH_LEVELS",
    "HECOS",
    "JACS_DETAILED",
    "JACS_PRINCIPAL",
    "SubjectCode",
    "cah_ancestors",
    "recognise",
]

#: a CAH code at any level, with or without the ``CAH`` prefix (group 1: the bare code)
CAH = re.compile(r"(?:CAH)?(\d\d(?:-\d\d(?:-\d\d)?)?)")
HECOS = re.compile(r"\d{6}")
JACS_DETAILED = re.compile(r"[A-Z]\d{3}")
JACS_PRINCIPAL = re.compile(r"[A-Z]\d")
#: CAH level by the length of the bare code (01, 01-01, 01-01-01)
CAH_LEVELS = {2: "cah1", 5: "cah2", 8: "cah3"}


@dataclass(frozen=True)
class SubjectCode:
    """A subject code as a request gave it, recognised by its shape."""

    scheme: str  # cah | hecos | jacs
    code: str  # upper case; CAH without its prefix
    level: str  # cah1 | cah2 | cah3 | hecos | detailed | principal


def recognise(text: str) -> SubjectCode | None:
    """The scheme and level of an upper-cased, stripped code; None when it is no subject code."""
    if (cah := CAH.fullmatch(text)) is not None:
        code = cah.group(1)
        return SubjectCode("cah", code, CAH_LEVELS[len(code)])
    if HECOS.fullmatch(text):
        return SubjectCode("hecos", text, "hecos")
    if JACS_DETAILED.fullmatch(text):
        return SubjectCode("jacs", text, "detailed")
    if JACS_PRINCIPAL.fullmatch(text):
        return SubjectCode("jacs", text, "principal")
    return None


def cah_ancestors(code: str) -> list[str]:
    """A CAH code and the groups above it, broadest first (``11-01-02`` → 11, 11-01, 11-01-02)."""
    parts = code.split("-")
    return ["-".join(parts[: n + 1]) for n in range(len(parts))]
