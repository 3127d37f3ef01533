"""Loader of the HE subject codings, as described in ``subjects/PROVENANCE.md``.

* CAH (Common Aggregation Hierarchy, probably v1.3.4): CAH1 ``25``, CAH2 ``25-01``, CAH3
  ``25-01-03``, from the hierarchy derived from HESA's HECoS → CAH mapping.
* HECoS: the 1,092 active codes of HESA's ``HECoS_CAH_Mappings.csv``, each with its CAH3.
* JACS 3.0 from the flattened coding frame (flatJACS): the 19 subject areas (codes ``1``…``9``,
  ``A``…``J`` as on HESA's principal-codes web page), principal subjects (``A1``) and detailed
  subjects (``A100``, labelled as HESA published them). Three detailed codes (J000, R000, T000)
  sit under a principal of another letter (H0, Q0), as in the file.
* JACS detailed → CAH3 from an ILR LDCS/JACS → CAH lookup of unverified origin. That file uses
  CAH v1.2 codes for some groups that v1.3 renumbered (e.g. ``CAH02-01-01`` nursing
  (non-specific), now ``02-04-01``): a code not in the current hierarchy is replaced by the
  current CAH3 with the same label (case and spacing ignored); when no current CAH3 has that
  label the JACS code gets no CAH3 (reported as a warning). No official JACS → HECoS or JACS →
  CAH mapping was available.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.checks.frame import MAX_PROBLEMS_PER_CHECK
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.subjects.checks import check_cah, check_hecos, check_ilr, check_jacs
from lmi.datasets.subjects.formats import CAH_SPEC, HECOS_SPEC, ILR_SPEC, JACS_SPEC
from lmi.datasets.subjects.tables import subjects
from lmi.datasets.subjects.view import SUBJECT_CODES

__all__ = ["SUBJECTS", "load_subjects", "resolve_cah3"]

CAH = "subjects/cah_hierarchy_from_hecos_mapping.csv"
HECOS = "subjects/original/HECoS_CAH_Mappings.csv"
JACS = "subjects/original/flatJACS_3.0.csv"
JACS_CAH3 = "subjects/jacs_to_cah3_from_ilr_mapping.csv"


def load_subjects(ctx: LoadContext) -> None:
    cah = ctx.read_csv(CAH)
    check_cah(cah)
    hecos = ctx.read_csv(HECOS)
    jacs = ctx.read_csv(JACS)
    check_jacs(jacs)
    ilr = ctx.read_csv(JACS_CAH3)
    check_ilr(ilr)
    if cah.has_errors:
        return
    cah3_labels = {
        c: lbl for c, lvl, lbl in cah.rows("cah_code", "level", "cah_label") if lvl == "3"
    }
    check_hecos(hecos, set(cah3_labels))
    if any(f.has_errors for f in (hecos, jacs, ilr)):
        return
    jacs_cah3 = _jacs_cah3(ilr, set(jacs.columns["detailed_code"]), cah3_labels)
    ctx.write(subjects, _cah_rows(cah))
    ctx.write(subjects, _hecos_rows(hecos))
    ctx.write(subjects, _jacs_rows(jacs, jacs_cah3))


def resolve_cah3(code: str, name: str, cah3_labels: dict[str, str]) -> str | None:
    """The current CAH3 of an ILR code (``CAH02-01-01`` → ``02-04-01`` by label), or None."""
    code = code.strip().removeprefix("CAH")
    if code in cah3_labels:
        return code
    matches = [c for c, label in cah3_labels.items() if _same_label(label, name)]
    return matches[0] if len(matches) == 1 else None


def _same_label(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a).casefold() == re.sub(r"\s+", "", b).casefold()


def _jacs_cah3(ilr: Frame, detailed: set[str], cah3_labels: dict[str, str]) -> dict[str, str]:
    """JACS detailed code → current CAH3, reporting renumbered and unresolved codes."""
    found: dict[str, str] = {}
    renumbered: dict[str, str] = {}
    unresolved: list[int] = []
    for i, (jacs, code, name) in enumerate(ilr.rows("JACS", "CAH3 code", "CAH3 name")):
        if jacs not in detailed or not code:
            continue
        cah3 = resolve_cah3(code, name, cah3_labels)
        if cah3 is None:
            unresolved.append(i)
            continue
        found[jacs] = cah3
        if cah3 != code.removeprefix("CAH"):
            renumbered[code] = cah3
    _report_renumbered(ilr, renumbered)
    for i in unresolved[:MAX_PROBLEMS_PER_CHECK]:
        ilr._add(
            "warning",
            "unknown-code",
            f"{ilr.columns['CAH3 code'][i]!r} ({ilr.columns['CAH3 name'][i]}) is not a current "
            f"CAH3 code and no current CAH3 has its label: JACS {ilr.columns['JACS'][i]} gets "
            "no CAH3",
            row=ilr.line(i),
            column="CAH3 code",
        )
    if len(unresolved) > MAX_PROBLEMS_PER_CHECK:
        ilr._add(
            "warning",
            "unknown-code",
            f"… and {len(unresolved) - MAX_PROBLEMS_PER_CHECK} more rows like these",
        )
    return found


def _report_renumbered(ilr: Frame, renumbered: dict[str, str]) -> None:
    if renumbered:
        examples = ", ".join(f"{old} → {new}" for old, new in sorted(renumbered.items())[:3])
        ilr._add(
            "warning",
            "renumbered-code",
            f"{len(renumbered)} CAH3 codes are not in the current CAH (older version) and were "
            f"matched to the current CAH3 of the same label, e.g. {examples}",
            column="CAH3 code",
        )


def _cah_rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for code, level, label, parent in frame.rows("cah_code", "level", "cah_label", "parent"):
        yield _row("cah", code, f"cah{level}", label, parent or None)


def _hecos_rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for code, label, cah3 in frame.rows("HECoS_Code", "HECoS_Label", "CAH3_Code"):
        yield _row("hecos", code, "hecos", label, None, cah3)


def _jacs_rows(frame: Frame, jacs_cah3: dict[str, str]) -> Iterator[dict[str, Any]]:
    areas: dict[str, str] = {}
    principals: dict[str, tuple[str, str]] = {}
    for area, area_label, principal, principal_label in frame.rows(
        "area_code_per_principal_codes_website",
        "JACS_3.0_subject_area",
        "principal_code",
        "JACS_3.0_principal_subject",
    ):
        areas.setdefault(area, area_label)
        principals.setdefault(principal, (principal_label, area))
    for area, label in areas.items():
        yield _row("jacs", area, "subject_area", label, None)
    for principal, (label, area) in principals.items():
        yield _row("jacs", principal, "principal", label, area)
    for code, label, principal in frame.rows(
        "detailed_code", "JACS_3.0_detailed_subject", "principal_code"
    ):
        yield _row("jacs", code, "detailed", label, principal, jacs_cah3.get(code))


def _row(
    scheme: str, code: str, level: str, label: str, parent: str | None, cah3: str | None = None
) -> dict[str, Any]:
    return {
        "scheme": scheme,
        "code": code,
        "level": level,
        "label": label.strip(),
        "parent_code": parent,
        "cah3_code": cah3,
    }


ABOUT = About(
    coverage="Higher-education subject codes: HESA's Common Aggregation Hierarchy (21 CAH1, 35 "
    "CAH2 and 166 CAH3 groups), the 1,092 active HECoS codes each mapped to a CAH3 group, and "
    "JACS 3.0 subject areas, principal and detailed subjects with a link to CAH3.",
    currency="CAH probably version 1.3.4 (its change log ends with a change of 28 October "
    "2021), with HESA's HECoS to CAH mapping of that version; JACS 3.0, the coding frame HECoS "
    "replaced from the 2019/20 academic year.",
    frequency="HESA revises HECoS and CAH occasionally; JACS is no longer maintained. lmi picks "
    "up a new mapping when its file is put in the source directory.",
    limitations="The JACS to CAH3 link comes from an ILR lookup of unverified origin and "
    "licence, not an official mapping: its older CAH codes are matched to current groups by "
    "label, and some JACS codes get no CAH3. The JACS labels come from a hand-assembled copy of "
    "HESA's web pages, and HECoS codes have labels but no definitions.",
)

SUBJECTS = Dataset(
    name="subjects",
    title="HESA Common Aggregation Hierarchy (CAH), HECoS → CAH mapping and JACS 3.0 subject "
    "codes; JACS → CAH3 from an ILR LDCS/JACS/CAH lookup",
    publisher="Higher Education Statistics Agency (HESA); JACS → CAH3 lookup of unverified "
    "origin (ILR)",
    licence="CC BY 4.0 (HESA); JACS → CAH3 lookup: licence unverified",
    files=(
        SourceFile(CAH, "CAH hierarchy: 21 CAH1, 35 CAH2, 166 CAH3", spec=CAH_SPEC),
        SourceFile(HECOS, "HESA HECoS → CAH mapping (1,092 HECoS codes)", spec=HECOS_SPEC),
        SourceFile(JACS, "JACS 3.0 coding frame, flattened", spec=JACS_SPEC),
        SourceFile(JACS_CAH3, "JACS → CAH3 pairs from an ILR lookup", spec=ILR_SPEC),
    ),
    tables=(subjects,),
    snapshot_tables=("subjects",),
    views=(SUBJECT_CODES,),
    load=load_subjects,
    about=ABOUT,
)
