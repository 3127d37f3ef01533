"""Graduate earnings from DfE LEO: ``/v1/leo/earnings/{subject}``.

The subject may be given as a CAH code of any level (``11``, ``11-01``, ``11-01-01``, with or
without a ``CAH`` prefix), a HECoS code (``100366``), a JACS 3.0 code (``G400``, principal
``G4``) or ``all``. LEO publishes CAH2 subjects, so every code is mapped to CAH2 through the
``subjects`` tables: a CAH3, HECoS or JACS code to the CAH2 group containing it (``match``
``parent``), a CAH1 or JACS principal to every CAH2 within it (``child``). Figures are never
combined across subjects: quartiles cannot be added.

Every figure carries its SDC envelope from the ``leo`` policy (:mod:`lmi.sdc.policy`): counts
to the nearest 5, earnings to the nearest £100, rates to 0.1; DfE's ``c`` (suppressed), ``z``
(not applicable) and ``x`` (not available) stay distinct statuses, and the symbol itself is
returned as ``symbol``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lmi.api import params
from lmi.api.openapi import NOT_FOUND, Endpoint, Param
from lmi.api.respond import Answer, native
from lmi.classification.subjects import recognise
from lmi.datasets.leo.codes import ALL_SUBJECTS, CAH2_NAMES
from lmi.datasets.leo.tables import SEXES, YAGS
from lmi.datasets.leo.view import LEO_CELLS
from lmi.datasets.subjects.view import SUBJECT_CODES
from lmi.errors import InvalidQuery, NotFound
from lmi.sdc import Served, classify, policy
from lmi.serve.snapshot import Snapshot

__all__ = [
    "DATASET",
    "Subject",
    "leo_routes",
    "resolve_subject",
    "subject_earnings",
]

DATASET = "leo"
TABLE = "leo_earnings"
POLICY = policy("leo")
#: DfE symbols the SDC policy does not list: (status, meaning)
EXTRA_SYMBOLS: dict[str, tuple[Any, str]] = {
    "low": ("suppressed_disclosure", "DfE: rounds to zero but is not zero"),
    "u": ("suppressed_quality", "DfE: low reliability"),
}
#: figure column → SDC measure (rounding step of the policy)
MEASURES = {
    "graduates": "count",
    "earnings_included": "count",
    "earnings_lq": "earnings",
    "earnings_median": "earnings",
    "earnings_uq": "earnings",
    "sustained_rate": "percent",
}

Query = Mapping[str, str]


@dataclass(frozen=True)
class Subject:
    """A requested subject code and the LEO (CAH2) subjects it maps to."""

    scheme: str  # cah | hecos | jacs | all
    code: str
    level: str  # cah1 | cah2 | cah3 | hecos | principal | detailed | all
    label: str
    cah3: str | None
    #: CAH2 codes (or ``all``) LEO publishes for this subject
    cah2: tuple[str, ...]
    #: exact (the LEO subject itself), parent (the CAH2 containing it), child (CAH2s within it)
    match: str

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "scheme": self.scheme,
            "code": self.code,
            "level": self.level,
            "label": self.label,
            "match": self.match,
        }
        if self.cah3 is not None:
            found["cah3"] = self.cah3
        return found


# -- subject codes -----------------------------------------------------------------------------


def _subject_index(snap: Snapshot) -> dict[tuple[str, str], dict[str, Any]]:
    codes = snap.view_or_none(SUBJECT_CODES)
    return codes.rows if codes is not None else {}


def _children(snap: Snapshot) -> dict[tuple[str, str], list[str]]:
    codes = snap.view_or_none(SUBJECT_CODES)
    return codes.children if codes is not None else {}


def resolve_subject(snap: Snapshot, raw: str) -> Subject:
    """Map a CAH (any level), HECoS or JACS code, or ``all``, to LEO's CAH2 subjects.

    Raises :class:`InvalidQuery` for a malformed code and :class:`NotFound` for an unknown one.
    """
    text = raw.strip().upper()
    if text in ("ALL", "TOTAL"):
        return Subject("all", ALL_SUBJECTS, "all", "All subjects", None, (ALL_SUBJECTS,), "exact")
    index = _subject_index(snap)
    found = recognise(text)
    if found is not None and found.scheme == "cah":
        return _cah_subject(snap, index, found.code)
    if found is not None and found.scheme == "hecos":
        row = index.get(("hecos", text))
        if row is None:
            raise NotFound(f"{text} is not a HECoS code{_no_subjects(snap)}")
        return _via_cah3(index, "hecos", text, "hecos", row["label"], row["cah3_code"])
    if found is not None and found.level == "detailed":
        row = index.get(("jacs", text))
        if row is None:
            raise NotFound(f"{text} is not a JACS 3.0 detailed code{_no_subjects(snap)}")
        if row["cah3_code"] is None:
            raise NotFound(f"JACS {text} ({row['label']}) has no CAH3 in the JACS → CAH lookup")
        return _via_cah3(index, "jacs", text, "detailed", row["label"], row["cah3_code"])
    if found is not None and found.level == "principal":
        row = index.get(("jacs", text))
        if row is None or row["level"] != "principal":
            raise NotFound(f"{text} is not a JACS 3.0 principal subject{_no_subjects(snap)}")
        details = _children(snap).get(("jacs", text), [])
        cah3s = {index[("jacs", d)]["cah3_code"] for d in details} - {None}
        cah2 = sorted({c[:5] for c in cah3s if c[:5] in CAH2_NAMES})
        if not cah2:
            raise NotFound(f"JACS {text} has no detailed code mapped to a CAH subject")
        match = "parent" if len(cah2) == 1 else "child"
        return Subject("jacs", text, "principal", row["label"], None, tuple(cah2), match)
    raise InvalidQuery(
        f"{raw!r} is not a subject code: use CAH (11, 11-01, 11-01-01), HECoS (100366), "
        "JACS 3.0 (G400 or G4) or all",
        parameter="subject",
    )


def _no_subjects(snap: Snapshot) -> str:
    return "" if snap.has("subjects") else " (the subjects dataset is not loaded)"


def _cah_subject(
    snap: Snapshot, index: dict[tuple[str, str], dict[str, Any]], code: str
) -> Subject:
    if len(code) == 5:
        if code not in CAH2_NAMES:
            raise NotFound(f"{code} is not a CAH2 subject published in LEO")
        label = index.get(("cah", code), {}).get("label") or CAH2_NAMES[code]
        return Subject("cah", code, "cah2", label, None, (code,), "exact")
    row = index.get(("cah", code))
    if row is None:
        raise NotFound(f"{code} is not a CAH code{_no_subjects(snap)}")
    if len(code) == 8:
        return _via_cah3(index, "cah", code, "cah3", row["label"], code)
    cah2 = tuple(c for c in sorted(_children(snap).get(("cah", code), [])) if c in CAH2_NAMES)
    if not cah2:
        raise NotFound(f"CAH1 {code} has no CAH2 subject published in LEO")
    match = "exact" if len(cah2) == 1 else "child"
    return Subject("cah", code, "cah1", row["label"], None, cah2, match)


def _via_cah3(
    index: dict[tuple[str, str], dict[str, Any]],
    scheme: str,
    code: str,
    level: str,
    label: str,
    cah3: str | None,
) -> Subject:
    if cah3 is None or cah3[:5] not in CAH2_NAMES:
        raise NotFound(f"{scheme.upper()} {code} maps to no CAH2 subject published in LEO")
    return Subject(scheme, code, level, label, cah3, (cah3[:5],), "parent")


# -- figures -----------------------------------------------------------------------------------


def _cells(snap: Snapshot) -> dict[tuple[str, str, int], dict[str, Any]]:
    """(CAH2 or all, sex, YAG) → the row of the latest tax year."""
    return snap.view_or_none(LEO_CELLS) or {}


def served_figure(
    value: float | None, symbol: str | None, measure: str, count: float | None = None
) -> Served:
    """One stored LEO figure through the SDC policy (symbols kept distinct)."""
    if symbol is not None:
        if symbol in EXTRA_SYMBOLS:
            status, meaning = EXTRA_SYMBOLS[symbol]
            return Served(None, status, "none", f"{POLICY.id}:symbol{symbol!r}", note=meaning)
        if symbol in POLICY.symbols:
            return classify(POLICY, symbol, measure=measure)
        return Served(None, "not_available", "none", f"{POLICY.id}:symbol{symbol!r}")
    return classify(POLICY, value, measure=measure, count=count)


def _figure(row: dict[str, Any], column: str, count: float | None) -> dict[str, Any]:
    symbol = row[f"{column}_symbol"]
    served = served_figure(row[column], symbol, MEASURES[column], count)
    found = served.as_dict()
    if symbol is not None:
        found["symbol"] = symbol
    return found


def _cell(snap: Snapshot, row: dict[str, Any]) -> dict[str, Any]:
    included = row["earnings_included"] if row["earnings_included_symbol"] is None else None
    graduates = row["graduates"] if row["graduates_symbol"] is None else None
    found: dict[str, Any] = {
        "sex": row["sex"],
        "yag": row["yag"],
        "tax_year": row["tax_year"],
        "academic_year": row["academic_year"],
    }
    for column in MEASURES:
        count = (
            included if column.startswith("earnings_") and column != "earnings_included" else None
        )
        if column == "sustained_rate":
            count = graduates
        found[column] = _figure(row, column, count)
    found["provenance"] = snap.provenance(DATASET)
    return found


def subject_earnings(
    snap: Snapshot,
    cah2: str,
    *,
    sexes: tuple[str, ...] = SEXES,
    yags: tuple[int, ...] = YAGS,
) -> list[dict[str, Any]]:
    """Every published cell of one LEO subject (CAH2 or ``all``), by sex then YAG.

    For joining earnings into other answers (pathways); an empty list when LEO is not loaded.
    """
    if not snap.has(DATASET):
        return []
    cells = _cells(snap)
    found = []
    for sex in sexes:
        for yag in yags:
            row = cells.get((cah2, sex, yag))
            if row is not None:
                found.append(_cell(snap, row))
    return found


def native_earnings(snap: Snapshot, subject: str, query: Query) -> Answer:
    if not snap.has(DATASET):
        raise NotFound(f"the {DATASET} dataset is not loaded in release {snap.release.id}")
    if len(subject) > 20:
        raise InvalidQuery("parameter 'subject' is too long", parameter="subject")
    sexes = (params.choice(query, "sex", SEXES, default="all"),) if query.get("sex") else SEXES
    yag_names = tuple(str(y) for y in YAGS)
    yags = (int(params.choice(query, "yag", yag_names, default="1")),) if query.get("yag") else YAGS
    resolved = resolve_subject(snap, subject)
    subjects = []
    for code in resolved.cah2:
        name = "All subjects" if code == ALL_SUBJECTS else CAH2_NAMES[code]
        subjects.append(
            {
                "cah_code": code,
                "cah_level": "all" if code == ALL_SUBJECTS else "cah2",
                "name": name,
                "cells": subject_earnings(snap, code, sexes=sexes, yags=yags),
            }
        )
    used = (
        (DATASET, "subjects") if resolved.scheme != "all" and snap.has("subjects") else (DATASET,)
    )
    data = {
        "subject": resolved.as_dict(),
        "population": "UK-domiciled first-degree graduates, national level",
        "units": {
            "counts": "people (rounded to 5)",
            "earnings": "£ a year, nominal (to £100)",
            "sustained_rate": "% in sustained employment, further study or both",
        },
        "subjects": subjects,
    }
    return Answer(data, used)


def leo_routes() -> list[Endpoint]:
    tag = "Graduate earnings (LEO)"
    return [
        Endpoint(
            "/v1/leo/earnings/{subject}",
            native(native_earnings, "subject"),
            "Graduate earnings (LEO) by subject, sex and years after graduation",
            tag,
            (
                Param(
                    "subject",
                    "CAH code of any level (11, 11-01, 11-01-01), HECoS (100366), JACS 3.0 "
                    "(G400, G4) or all",
                    location="path",
                    example="11-01",
                ),
                Param("sex", "female, male or all (default: each)", enum=SEXES),
                Param(
                    "yag",
                    "years after graduation: 1, 3, 5 or 10 (default: each)",
                    enum=tuple(str(y) for y in YAGS),
                ),
            ),
            description=(
                "Lower quartile, median and upper quartile of earnings, graduates, graduates "
                "with earnings and the sustained employment rate, each with its SDC envelope "
                "(DfE `c` suppressed, `z` not applicable, `x` not available kept distinct). "
                "CAH3, HECoS and JACS codes are mapped to the CAH2 subject containing them."
            ),
            responses=NOT_FOUND,
            example="/v1/leo/earnings/11-01?sex=female&yag=5",
        ),
    ]
