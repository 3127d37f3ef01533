"""Education pathways: subject → occupations → pay, hours, outlook and skills, and back.

Native ``/v1`` endpoints:

* ``/v1/pathways/{scheme}/{code}``: a subject (CAH at any level, HECoS or JACS 3.0, mapped to
  CAH through the ``subjects`` tables) — its LEO earnings 1, 3, 5 and 10 years after graduation
  (:mod:`lmi.api.leo`), its Discover Uni salary and LEO sector earnings (``graduate_outcomes``),
  its graduates' share in professional or managerial jobs, and the occupations its graduates
  go into, each with pay and hours (ASHE, :func:`lmi.api.pay.cube`), employment outlook
  (Working Futures, :func:`lmi.api.outlook.outlook`) and top skills (O*NET on UK SOC).
* ``/v1/pathways/occupation/{version}/{code}``: the reverse — the subjects and the
  apprenticeship standards that lead to an occupation.
* ``/v1/apprenticeships`` and ``/v1/apprenticeships/{reference}``: standards ↔ SOC.

The occupations of a subject come from HESA's Graduate Outcomes occupation-by-subject table
(``hesa_destinations``, method ``observed``) when it is loaded; otherwise from the *modelled*
keyword-affinity link of :mod:`lmi.synth.pathways.links`. Apprenticeship standards come from
IfATE's export (``apprenticeships``) when loaded, otherwise from the *synthetic* stand-ins of
:mod:`lmi.synth.pathways.standards` (references ``SYN…``). Every figure carries its method and
provenance; a part that cannot be given says ``{"status": "not available", "reason": …}``.

Compatible ``/api/v1/hesa/courses/{soc}`` answers LMI for All's shape (see
``shared/reference/lmiforall-v1-api.md`` §1.7) with provenance in ``X-LMI-*`` headers.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from lmi.api import params
from lmi.api.classifications import version_arg
from lmi.api.joins import (
    compact,
    employment_outlook,
    method_label,
    not_available,
    pay_and_hours,
    skills_note,
    top_skills,
)
from lmi.api.leo import subject_earnings
from lmi.api.openapi import CODE, NOT_FOUND, TAG_COMPAT, VERSION, Endpoint, Param
from lmi.api.respond import Answer, compat, native, no_data
from lmi.classification.soc import parse_soc_code, parse_version
from lmi.classification.subjects import CAH_LEVELS, cah_ancestors, recognise
from lmi.datasets.graduate_outcomes.index import HesaRow, PathwayIndex
from lmi.datasets.graduate_outcomes.policy import DISCOVER_UNI
from lmi.datasets.graduate_outcomes.view import PATHWAYS
from lmi.datasets.hesa_destinations.parse import MIN_TOTAL
from lmi.datasets.leo.codes import CAH2_NAMES
from lmi.datasets.subjects.view import SUBJECT_CODES, SubjectCodes
from lmi.errors import InvalidQuery, NotFound
from lmi.serve.snapshot import Derived, Group, Snapshot
from lmi.synth.pathways.links import METHOD_NOTE as LINK_NOTE
from lmi.synth.pathways.links import LinkModel, Occupation, SubjectDoc
from lmi.synth.pathways.standards import SYNTHETIC_PREFIX, SyntheticStandard, synthetic_standards

__all__ = ["pathway_routes", "resolve_subject"]

Query = Mapping[str, str]
SCHEMES = ("cah", "hecos", "jacs")
SUBJECTS = "subjects"
GRADUATE_OUTCOMES = "graduate_outcomes"
HESA = "hesa_destinations"
APPRENTICESHIPS = "apprenticeships"
LEO = "leo"
MAX_OCCUPATIONS = 25
DEFAULT_OCCUPATIONS = 10
NOT_LOADED = "the {} dataset is not loaded in this release"
_REFERENCE = re.compile(r"(ST|SYN)\d{4}")
MODE_FULL_TIME, LEVEL_FIRST_DEGREE = "01", "03"
SYNTHETIC_NOTE = (
    "Synthetic stand-in: IfATE's apprenticeship-standards export is not loaded. One invented "
    "standard (reference SYN + SOC 2020 unit group) per unit group whose ONS entry routes "
    "mention apprenticeships; level from the entry routes or the SOC major group, route from "
    "the SOC sub-major group, duration invented from the level. Not real apprenticeships."
)


def pathway_index(snap: Snapshot) -> PathwayIndex:
    return snap.view(PATHWAYS)


# -- subjects ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """A requested subject and the CAH code its figures and occupations are looked up by."""

    scheme: str
    code: str
    level: str
    label: str
    cah_code: str
    cah_label: str
    match: str  # exact | mapped (HECoS/JACS → CAH3) | common (JACS principal → shared CAH)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "code": self.code,
            "level": self.level,
            "label": self.label,
            "cah": {
                "code": self.cah_code,
                "level": CAH_LEVELS[len(self.cah_code)],
                "label": self.cah_label,
            },
            "match": self.match,
        }


@dataclass
class SubjectTables:
    rows: dict[tuple[str, str], dict[str, Any]]
    children: dict[tuple[str, str], list[str]]
    docs: dict[str, SubjectDoc]


def subject_tables(snap: Snapshot) -> SubjectTables:
    return snap.derived(SUBJECT_TABLES)


def _subject_tables(snap: Snapshot) -> SubjectTables:
    codes = snap.view_or_none(SUBJECT_CODES) or SubjectCodes()
    rows = codes.rows
    below: dict[str, list[str]] = defaultdict(list)
    for r in rows.values():
        if r["scheme"] == "cah":
            for ancestor in cah_ancestors(r["code"])[:-1]:
                below[ancestor].append(r["label"])
        elif r["scheme"] == "hecos" and r["cah3_code"]:
            for ancestor in cah_ancestors(r["cah3_code"]):
                below[ancestor].append(r["label"])
    docs = {
        code: SubjectDoc(code, r["label"], tuple(below.get(code, ())))
        for (scheme, code), r in rows.items()
        if scheme == "cah"
    }
    return SubjectTables(rows, {k: sorted(v) for k, v in codes.children.items()}, docs)


SUBJECT_TABLES = Derived("pathway subject tables", _subject_tables)


def resolve_subject(snap: Snapshot, scheme: str, raw: str) -> Subject:
    """A CAH (any level), HECoS or JACS 3.0 code → the CAH code pathways are looked up by."""
    chosen = params.choice({"scheme": scheme}, "scheme", SCHEMES, default="cah")
    if not snap.has(SUBJECTS):
        raise NotFound(NOT_LOADED.format(SUBJECTS))
    if len(raw) > 20:
        raise InvalidQuery("the subject code is too long", parameter="code")
    text = raw.strip().upper()
    tables = subject_tables(snap)
    found = recognise(text)
    if chosen == "cah":
        if found is None or found.scheme != "cah":
            raise InvalidQuery(
                f"{raw!r} is not a CAH code: use 11, 11-01 or 11-01-01 (CAH prefix optional)",
                parameter="code",
            )
        row = tables.rows.get(("cah", found.code))
        if row is None:
            raise NotFound(f"{found.code} is not a CAH code")
        return Subject(
            "cah", row["code"], row["level"], row["label"], row["code"], row["label"], "exact"
        )
    if chosen == "hecos":
        if found is None or found.scheme != "hecos":
            raise InvalidQuery(f"{raw!r} is not a HECoS code (6 digits)", parameter="code")
        row = tables.rows.get(("hecos", text))
        if row is None:
            raise NotFound(f"{text} is not a HECoS code")
        return _mapped(tables, "hecos", row, row["cah3_code"])
    if found is not None and found.level == "detailed":
        row = tables.rows.get(("jacs", text))
        if row is None:
            raise NotFound(f"{text} is not a JACS 3.0 detailed code")
        if row["cah3_code"] is None:
            raise NotFound(f"JACS {text} ({row['label']}) has no CAH3 in the JACS → CAH lookup")
        return _mapped(tables, "jacs", row, row["cah3_code"])
    if found is not None and found.level == "principal":
        row = tables.rows.get(("jacs", text))
        if row is None or row["level"] != "principal":
            raise NotFound(f"{text} is not a JACS 3.0 principal subject")
        return _principal(tables, row)
    raise InvalidQuery(
        f"{raw!r} is not a JACS 3.0 code: use a detailed (G400) or principal (G4) subject",
        parameter="code",
    )


def _mapped(tables: SubjectTables, scheme: str, row: dict[str, Any], cah3: str) -> Subject:
    cah = tables.rows[("cah", cah3)]
    return Subject(scheme, row["code"], row["level"], row["label"], cah3, cah["label"], "mapped")


def _principal(tables: SubjectTables, row: dict[str, Any]) -> Subject:
    """A JACS principal: the most specific CAH code all its detailed codes' CAH3s share."""
    details = tables.children.get(("jacs", row["code"]), [])
    cah3s = sorted({tables.rows[("jacs", d)]["cah3_code"] for d in details} - {None})
    if not cah3s:
        raise NotFound(f"JACS {row['code']} has no detailed code mapped to a CAH subject")
    for length in (8, 5, 2):
        common = {c[:length] for c in cah3s}
        if len(common) == 1:
            code = common.pop()
            cah = tables.rows[("cah", code)]
            match = "mapped" if length == 8 else "common"
            return Subject(
                "jacs", row["code"], "principal", row["label"], code, cah["label"], match
            )
    listed = ", ".join(cah3s[:8])
    raise NotFound(
        f"JACS {row['code']} maps to CAH subjects in several CAH1 groups ({listed}): ask for "
        "one of its detailed codes"
    )


# -- earnings ----------------------------------------------------------------------------------


def leo_earnings(snap: Snapshot, subject: Subject) -> dict[str, Any]:
    """LEO earnings by years after graduation (all sexes) for the subject's CAH2 group(s)."""
    if not snap.has(LEO):
        return {"earnings": [], "earnings_note": NOT_LOADED.format(LEO)}
    code = subject.cah_code
    if len(code) >= 5:
        groups = [code[:5]] if code[:5] in CAH2_NAMES else []
    else:
        groups = [
            c for c in subject_tables(snap).children.get(("cah", code), []) if c in CAH2_NAMES
        ]
    found: dict[str, Any] = {}
    if len(groups) == 1:
        found["earnings"] = [
            _leo_item(c) for c in subject_earnings(snap, groups[0], sexes=("all",))
        ]
        found["earnings_subject"] = {
            "cah_code": groups[0],
            "label": CAH2_NAMES[groups[0]],
            "match": "exact" if groups[0] == code else "parent",
        }
        found["earnings_note"] = (
            "DfE LEO: UK-domiciled first-degree graduates, median earnings (£ a year, nominal) "
            "of those in sustained employment, by years after graduation (YAG)"
        )
        return found
    found["earnings"] = []
    if groups:
        found["earnings_note"] = (
            "LEO publishes CAH2 subjects and its quartiles cannot be combined: see "
            "earnings_by_subject for each CAH2 subject within this one"
        )
        found["earnings_by_subject"] = [
            {
                "cah_code": c,
                "label": CAH2_NAMES[c],
                "earnings": [_leo_item(x) for x in subject_earnings(snap, c, sexes=("all",))],
            }
            for c in groups
        ]
    else:
        found["earnings_note"] = f"LEO publishes no CAH2 subject for CAH {code}"
    return found


def _leo_item(cell: dict[str, Any]) -> dict[str, Any]:
    median = cell["earnings_median"]
    item: dict[str, Any] = {
        "yag": cell["yag"],
        "tax_year": cell["tax_year"],
        "academic_year": cell["academic_year"],
        "median": median["value"],
        "lower_quartile": cell["earnings_lq"]["value"],
        "upper_quartile": cell["earnings_uq"]["value"],
        "graduates": cell["graduates"]["value"],
        "sustained_rate": cell["sustained_rate"]["value"],
        "status": median["status"],
        "quality": median["quality"],
        "rule": median["rule"],
        "method": median["method"],
    }
    flagged = {
        name: cell[name]
        for name in ("earnings_lq", "earnings_uq", "graduates", "sustained_rate")
        if cell[name]["status"] not in ("ok", "caution")
    }
    if flagged:
        item["flags"] = flagged
    item["provenance"] = compact(cell["provenance"])
    return item


DISCOVER_MEASURES = (
    ("graduate_outcomes_salary", "go15", "Graduate Outcomes salary 15 months after graduation"),
    ("leo_3_years", "leo3", "LEO earnings 3 years after graduation"),
    ("leo_5_years", "leo5", "LEO earnings 5 years after graduation"),
)


def discover_uni(snap: Snapshot, subject: Subject) -> dict[str, Any]:
    """Discover Uni sector figures (UK, full-time first degree) for the subject or its parent."""
    if not snap.has(GRADUATE_OUTCOMES):
        return not_available(NOT_LOADED.format(GRADUATE_OUTCOMES))
    index = pathway_index(snap)
    prov = compact(snap.provenance(GRADUATE_OUTCOMES))
    found: dict[str, Any] = {
        "population": "full-time first-degree graduates, UK (Discover Uni sector data)",
        "unit": "£ a year",
        "policy": DISCOVER_UNI.id,
    }
    for name, measure, what in DISCOVER_MEASURES:
        for code in reversed(cah_ancestors(subject.cah_code)):
            key = (measure, code, MODE_FULL_TIME, LEVEL_FIRST_DEGREE, "UK")
            cell = index.earnings.get(key)
            if cell is None:
                continue
            found[name] = {
                "what": what,
                "cah_code": code,
                **({"fallback": "parent CAH group"} if code != subject.cah_code else {}),
                "lower_quartile": cell.lower_quartile,
                "median": cell.median,
                "upper_quartile": cell.upper_quartile,
                "population": cell.population,
                "status": cell.status,
                "rule": cell.rule,
                "method": method_label(snap, "observed"),
                "provenance": prov,
            }
            break
        else:
            found[name] = not_available(f"Discover Uni publishes no {measure} figure here")
    return found


def graduate_jobs(snap: Snapshot, subject: Subject) -> dict[str, Any]:
    if not snap.has(GRADUATE_OUTCOMES):
        return not_available(NOT_LOADED.format(GRADUATE_OUTCOMES))
    found = _job_types(snap, subject.cah_code)
    if found is None:
        return not_available("no Discover Uni job-type aggregate for this subject")
    code, jobs = found
    return {
        "cah_code": code,
        "professional_managerial_percent": jobs.professional_managerial,
        "other_job_percent": jobs.other_job,
        "unknown_percent": jobs.unknown,
        "aggregates": jobs.units,
        "population": jobs.population,
        "status": "caution" if jobs.population < 100 else "ok",
        "method": method_label(snap, "modelled"),
        "method_note": (
            "Graduate Outcomes respondents of full-time courses in professional or managerial "
            "jobs (SOC major groups 1–3), 15 months after graduation: mean of Discover Uni's "
            "per-provider subject aggregates at or below this subject, weighted by their "
            "population (Discover Uni publishes no sector-level figure)"
        ),
        "provenance": snap.provenance(GRADUATE_OUTCOMES, method=method_label(snap, "modelled")),
    }


def _job_types(snap: Snapshot, cah: str) -> tuple[str, Any] | None:
    index = pathway_index(snap)
    for code in reversed(cah_ancestors(cah)):
        jobs = index.job_types.get((code, MODE_FULL_TIME))
        if jobs is not None:
            return code, jobs
    return None


# -- subject → occupations ---------------------------------------------------------------------


@dataclass(frozen=True)
class Destination:
    code: str
    method: str  # observed | modelled
    share: float | None  # per cent of the subject's graduates (observed) or affinity share
    number: int | None = None
    status: str = "ok"
    rule: str | None = None
    affinity: float | None = None
    shared_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Destinations:
    items: list[Destination]
    source: dict[str, Any]


def link_model(snap: Snapshot, version: str) -> LinkModel:
    return snap.derived(LINK_MODELS[version])


def _link_model(version: str, snap: Snapshot) -> LinkModel:
    return LinkModel(_occupations(snap, version))


LINK_MODELS = {
    version: Derived(f"pathway link model {version}", partial(_link_model, version))
    for version in ("soc2010", "soc2020")
}


def _occupations(snap: Snapshot, version: str) -> list[Occupation]:
    return [
        Occupation(
            g.code, g.title, tuple(t.lstrip("~") for t in g.related_titles), g.entry_routes or ""
        )
        for (v, _), g in sorted(snap.groups.items())
        if v == version and g.level == "unit_group"
    ]


def destinations(snap: Snapshot, subject: Subject, version: str) -> Destinations:
    """HESA's observed destinations of the subject's graduates, else the modelled link."""
    memo = snap.derived(DESTINATIONS)
    found = memo.get((subject.cah_code, version))
    if found is None:
        found = _hesa_destinations(snap, subject.cah_code, version)
        if found is None:
            found = _modelled_destinations(snap, subject.cah_code, version)
        memo[(subject.cah_code, version)] = found
    return found


#: (CAH code, SOC version) → its destinations, built once per release
DESTINATIONS: Derived[dict[tuple[str, str], Destinations]] = Derived(
    "destinations by subject", lambda snap: {}
)


def _latest_group(rows: list[HesaRow], version: str) -> list[HesaRow]:
    """Rows of the latest year, of the qualification and mode named "All" when published."""
    rows = [r for r in rows if r.soc_version == version]
    if not rows:
        return []
    year = max(r.academic_year for r in rows)
    rows = [r for r in rows if r.academic_year == year]
    pairs = sorted(
        {(r.qualification, r.mode) for r in rows},
        key=lambda p: (p[0].lower() != "all", p[1].lower() != "all", p),
    )
    return [r for r in rows if (r.qualification, r.mode) == pairs[0]]


def _hesa_destinations(snap: Snapshot, cah: str, version: str) -> Destinations | None:
    if not snap.has(HESA):
        return None
    index = pathway_index(snap)
    for code in reversed(cah_ancestors(cah)):
        rows = _latest_group(index.hesa_by_subject.get(code, []), version)
        units = [r for r in rows if r.soc_level == "unit_group"]
        if not units:
            continue
        total = next((r.number for r in rows if r.soc_code == "total"), None)
        items = []
        for r in sorted(units, key=lambda r: (-(r.number or -1), r.soc_code)):
            share = r.percent
            if share is None and r.number is not None and total and total >= MIN_TOTAL:
                share = round(100.0 * r.number / total, 1)
            items.append(Destination(r.soc_code, "observed", share, r.number, r.status, r.rule))
        first = rows[0]
        return Destinations(
            items,
            {
                "kind": HESA,
                "method": method_label(snap, "observed"),
                "cah_code": code,
                **({"fallback": "parent CAH group"} if code != cah else {}),
                "academic_year": first.academic_year,
                "qualification": first.qualification,
                "mode": first.mode,
                "graduates_in_employment": total,
                "method_note": (
                    "HESA Graduate Outcomes: graduates in employment 15 months after graduation "
                    "by occupation; counts rounded by HESA, percentages as published (or from "
                    "the rounded counts when not published)"
                ),
                "provenance": snap.provenance(HESA),
            },
        )
    return None


def _hesa_major_shares(snap: Snapshot, cah: str, version: str) -> tuple[float, float] | None:
    """HESA's percentages in SOC major groups 1–3 and 4–9, when only majors are loaded."""
    if not snap.has(HESA):
        return None
    rows = _latest_group(pathway_index(snap).hesa_by_subject.get(cah, []), version)
    majors = [r for r in rows if r.soc_level == "major" and r.percent is not None]
    if not majors:
        return None
    professional = sum(r.percent or 0.0 for r in majors if r.soc_code in ("1", "2", "3"))
    return professional, sum(r.percent or 0.0 for r in majors) - professional


def _modelled_destinations(snap: Snapshot, cah: str, version: str) -> Destinations:
    doc = subject_tables(snap).docs[cah]
    share: float | None = None
    other: float | None = None
    basis = None
    if (majors := _hesa_major_shares(snap, cah, version)) is not None:
        share, other = majors
        basis = "HESA Graduate Outcomes (SOC major groups)"
    else:
        jobs = _job_types(snap, cah) if snap.has(GRADUATE_OUTCOMES) else None
        if jobs is not None:
            share, other = jobs[1].professional_managerial, jobs[1].other_job
            basis = f"Discover Uni job types (CAH {jobs[0]})"
    links = link_model(snap, version).link(doc, share, other)
    items = [
        Destination(k.code, "modelled", k.share, affinity=k.relative, shared_words=k.shared_words)
        for k in links
    ]
    reason = (
        f"HESA's table is not in {version.upper()}"
        if snap.has(HESA) and _any_hesa(snap, cah)
        else "no HESA occupation-by-subject table is loaded"
        if not snap.has(HESA)
        else "HESA's table has no unit-group rows for this subject"
    )
    return Destinations(
        items,
        {
            "kind": "modelled link",
            "method": method_label(snap, "modelled"),
            "why": reason,
            "professional_share_basis": basis or "none (shares not capped)",
            "method_note": LINK_NOTE,
            "provenance": [
                snap.provenance(SUBJECTS, method=method_label(snap, "modelled")),
                snap.provenance(version, method=method_label(snap, "modelled")),
            ],
        },
    )


def _any_hesa(snap: Snapshot, cah: str) -> bool:
    index = pathway_index(snap)
    return any(index.hesa_by_subject.get(c) for c in cah_ancestors(cah))


# -- per occupation: pay, hours, outlook, skills ------------------------------------------------


def soc2010_counterpart(snap: Snapshot, code: str) -> str | None:
    """The SOC 2010 unit group most of a SOC 2020 unit group's dual-coded records come from."""
    return snap.derived(SOC2010_OF).get(code)


def _soc2010_of(snap: Snapshot) -> dict[str, str]:
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in snap.rows("soc2010_soc2020_dual_coding"):
        n = 0.0
        for sex in ("men", "women"):
            for basis in ("census", "lfs"):
                base, prop = r.get(f"{sex}_{basis}_base"), r.get(f"{sex}_{basis}_prop")
                if base and prop:
                    n += base * prop
                    break
        counts[r["soc2020"]][r["soc2010"]] += n
    return {k: max(sorted(v), key=lambda c: v[c]) for k, v in counts.items() if v}


SOC2010_OF = Derived("SOC 2010 counterpart of each SOC 2020 unit group", _soc2010_of)


def occupation_item(snap: Snapshot, version: str, d: Destination) -> dict[str, Any]:
    group = snap.groups[(version, d.code)]
    link: dict[str, Any] = {"method": method_label(snap, d.method), "share_percent": d.share}
    if d.method == "observed":
        link.update(number=d.number, status=d.status, rule=d.rule)
    else:
        link.update(affinity=d.affinity, shared_words=list(d.shared_words))
    item: dict[str, Any] = {
        "soc_version": version,
        "code": group.code,
        "title": group.title,
        "soc2010": group.code if version == "soc2010" else soc2010_counterpart(snap, group.code),
        "link": link,
        **pay_and_hours(snap, version, group.code),
        "outlook": employment_outlook(snap, version, group.code),
        "skills": top_skills(snap, version, group.code),
    }
    return item


# -- native endpoints --------------------------------------------------------------------------


def _limit(query: Query) -> int:
    return params.integer(
        query, "limit", default=DEFAULT_OCCUPATIONS, minimum=1, maximum=MAX_OCCUPATIONS
    )


def subject_pathway(snap: Snapshot, scheme: str, code: str, query: Query) -> Answer:
    version = parse_version(query.get("soc"), default="soc2020")
    limit = _limit(query)
    subject = resolve_subject(snap, scheme, code)
    found = destinations(snap, subject, version)
    occupations = [occupation_item(snap, version, d) for d in found.items[:limit]]
    data: dict[str, Any] = {
        "subject": subject.as_dict(),
        "method": method_label(snap, str(found.source["method"])),
        **leo_earnings(snap, subject),
        "discover_uni": discover_uni(snap, subject),
        "graduate_jobs": graduate_jobs(snap, subject),
        "occupations_source": found.source,
        "occupations": occupations,
        "soc_version": version,
        "notes": {"skills": skills_note()},
    }
    used = [SUBJECTS, version]
    used += [
        d
        for d in (
            LEO,
            GRADUATE_OUTCOMES,
            HESA,
            "ashe",
            "working_futures",
            "onet_uk_profiles",
            "soc_crosswalks",
        )
        if snap.has(d)
    ]
    return Answer(data, tuple(used))


def occupation_pathway(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    group = params.unit_group(snap, version_arg(version), code, purpose="pathways are given")
    limit = params.integer(query, "limit", default=20, minimum=1, maximum=100)
    subjects, source = subjects_for(snap, group)
    data = {
        "occupation": {"soc_version": group.version, "code": group.code, "title": group.title},
        "subjects_source": source,
        "subjects": subjects[:limit],
        **apprenticeships_for(snap, group),
        **pay_and_hours(snap, group.version, group.code),
        "outlook": employment_outlook(snap, group.version, group.code),
    }
    used = [group.version, SUBJECTS]
    used += [d for d in (HESA, APPRENTICESHIPS, "ashe", "working_futures") if snap.has(d)]
    return Answer(data, tuple(used))


def subjects_for(snap: Snapshot, group: Group) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The subjects leading to an occupation: HESA's counts, or the modelled link reversed."""
    tables = subject_tables(snap) if snap.has(SUBJECTS) else None
    if snap.has(HESA) and group.version in _hesa_versions(snap):
        rows = pathway_index(snap).hesa_by_occupation.get((group.version, group.code), [])
        rows = _latest_group(rows, group.version)
        # no row at all: HESA published no graduate of any subject in this occupation
        total = sum(r.number or 0 for r in rows if r.cah_level == "cah2")
        subjects = []
        for r in sorted(rows, key=lambda r: (r.cah_level, -(r.number or -1), r.cah_code)):
            if r.cah_code == "total":
                continue
            label = tables.rows.get(("cah", r.cah_code), {}).get("label") if tables else None
            subjects.append(
                {
                    "cah_code": r.cah_code,
                    "cah_level": r.cah_level,
                    "label": label,
                    "number": r.number,
                    "percent_of_subject": r.percent,
                    "share_of_occupation_percent": (
                        round(100.0 * r.number / total, 1)
                        if r.cah_level == "cah2" and r.number is not None and total
                        else None
                    ),
                    "status": r.status,
                    "rule": r.rule,
                    "method": method_label(snap, "observed"),
                }
            )
        return subjects, {
            "kind": HESA,
            "method": method_label(snap, "observed"),
            "academic_year": rows[0].academic_year if rows else None,
            "method_note": (
                "HESA Graduate Outcomes counts of graduates in this occupation by subject; "
                "share_of_occupation_percent is computed from the rounded CAH2 counts"
            ),
            "provenance": snap.provenance(HESA),
        }
    if tables is None:
        return [], not_available(NOT_LOADED.format(SUBJECTS))
    links = reverse_links(snap, group.version).get(group.code, [])
    return (
        [
            {
                "cah_code": cah,
                "cah_level": "cah2",
                "label": tables.rows[("cah", cah)]["label"],
                "share_of_occupation_percent": share,
                "affinity": relative,
                "method": method_label(snap, "modelled"),
            }
            for cah, share, relative in links
        ],
        {
            "kind": "modelled link",
            "method": method_label(snap, "modelled"),
            "method_note": LINK_NOTE
            + (
                " Reversed: the CAH2 subjects whose modelled occupations include this one; "
                "share_of_occupation_percent divides the occupation among them in proportion "
                "to their affinity."
            ),
            "provenance": snap.provenance(SUBJECTS, method=method_label(snap, "modelled")),
        },
    )


def _hesa_versions(snap: Snapshot) -> set[str]:
    return snap.derived(HESA_VERSIONS)


HESA_VERSIONS = Derived(
    "SOC versions of HESA destinations",
    lambda snap: {version for version, _ in pathway_index(snap).hesa_by_occupation},
)


ReverseLinks = dict[str, list[tuple[str, float, float]]]


def reverse_links(snap: Snapshot, version: str) -> ReverseLinks:
    """SOC unit group → [(CAH2, share of the occupation %, relative affinity)], best first."""
    return snap.derived(REVERSE_LINKS[version])


def _reverse_links(version: str, snap: Snapshot) -> ReverseLinks:
    model = link_model(snap, version)
    tables = subject_tables(snap)
    raw: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for (scheme, code), row in sorted(tables.rows.items()):
        if scheme != "cah" or row["level"] != "cah2":
            continue
        for link in model.link(tables.docs[code]):
            raw[link.code].append((code, link.affinity, link.relative))
    found: ReverseLinks = {}
    for soc, items in raw.items():
        total = sum(a for _, a, _ in items) or 1.0
        found[soc] = sorted(
            ((c, round(100.0 * a / total, 1), r) for c, a, r in items),
            key=lambda x: (-x[1], x[0]),
        )
    return found


REVERSE_LINKS = {
    version: Derived(f"pathway reverse links {version}", partial(_reverse_links, version))
    for version in ("soc2010", "soc2020")
}


# -- apprenticeships ---------------------------------------------------------------------------


def _synthetic(snap: Snapshot) -> dict[str, SyntheticStandard]:
    return snap.derived(SYNTHETIC_STANDARDS)


def _synthetic_standards(snap: Snapshot) -> dict[str, SyntheticStandard]:
    occupations = _occupations(snap, "soc2020")
    mapping = {o.code: c for o in occupations if (c := soc2010_counterpart(snap, o.code))}
    return {s.reference: s for s in synthetic_standards(occupations, mapping)}


SYNTHETIC_STANDARDS = Derived("synthetic apprenticeship standards", _synthetic_standards)


def _standard_json(snap: Snapshot, reference: str) -> dict[str, Any]:
    index = pathway_index(snap)
    if snap.has(APPRENTICESHIPS):
        row = index.standards[reference]
        socs = index.standard_socs.get(reference, [])
        return {
            "reference": reference,
            "version": row["version"],
            "title": row["title"],
            "level": row["level"],
            "route": row["route"],
            "status": row["status"],
            "typical_duration_months": row["typical_duration_months"],
            "lars_code": row["lars_code"],
            "job_titles": row["job_titles"],
            "soc2010": [c for v, c in socs if v == "soc2010"],
            "soc2020": [c for v, c in socs if v == "soc2020"],
            "method": method_label(snap, "observed"),
            "provenance": snap.provenance(APPRENTICESHIPS),
        }
    s = _synthetic(snap)[reference]
    return {
        "reference": s.reference,
        "version": None,
        "title": s.title,
        "level": s.level,
        "route": s.route,
        "status": s.status,
        "typical_duration_months": s.typical_duration_months,
        "lars_code": None,
        "job_titles": list(s.job_titles),
        "soc2010": list(s.soc2010),
        "soc2020": list(s.soc2020),
        "method": "synthetic",
        "method_note": SYNTHETIC_NOTE,
        "provenance": snap.provenance("soc2020", method="synthetic"),
    }


def _references(snap: Snapshot) -> list[str]:
    if snap.has(APPRENTICESHIPS):
        return sorted(pathway_index(snap).standards)
    return sorted(_synthetic(snap))


def _by_soc(snap: Snapshot, version: str, code: str) -> list[str]:
    if snap.has(APPRENTICESHIPS):
        return pathway_index(snap).standards_by_soc.get((version, code), [])
    return [
        s.reference
        for s in _synthetic(snap).values()
        if code in (s.soc2020 if version == "soc2020" else s.soc2010)
    ]


def _standards_source(snap: Snapshot) -> dict[str, Any]:
    if snap.has(APPRENTICESHIPS):
        return {
            "kind": APPRENTICESHIPS,
            "method": method_label(snap, "observed"),
            "provenance": snap.provenance(APPRENTICESHIPS),
        }
    return {
        "kind": "synthetic stand-in",
        "method": "synthetic",
        "method_note": SYNTHETIC_NOTE,
        "provenance": snap.provenance("soc2020", method="synthetic"),
    }


def apprenticeships_for(snap: Snapshot, group: Group) -> dict[str, Any]:
    if not snap.has(APPRENTICESHIPS) and not snap.has("soc2020"):
        return {
            "apprenticeships": [],
            "apprenticeships_source": not_available(
                "neither IfATE's export nor SOC 2020 (for the synthetic stand-ins) is loaded"
            ),
        }
    references = _by_soc(snap, group.version, group.code)
    return {
        "apprenticeships_source": _standards_source(snap),
        "apprenticeships": [_standard_json(snap, r) for r in references],
    }


def get_standard(snap: Snapshot, reference: str, query: Query) -> Answer:
    text = reference.strip().upper()
    if not _REFERENCE.fullmatch(text):
        raise InvalidQuery(
            f"{reference!r} is not a standard reference such as ST0116", parameter="reference"
        )
    if text.startswith(SYNTHETIC_PREFIX) and snap.has(APPRENTICESHIPS):
        raise NotFound(
            f"{text}: synthetic stand-ins are served only while IfATE's export is not loaded"
        )
    if text not in _references(snap):
        hint = (
            ""
            if snap.has(APPRENTICESHIPS)
            else (" (IfATE's export is not loaded: only synthetic stand-ins SYN#### are served)")
        )
        raise NotFound(f"{text} is not an apprenticeship standard in this release{hint}")
    used = (APPRENTICESHIPS,) if snap.has(APPRENTICESHIPS) else ("soc2020",)
    return Answer(_standard_json(snap, text), used)


def list_standards(snap: Snapshot, query: Query) -> Answer:
    level = (
        params.integer(query, "level", default=0, minimum=2, maximum=7)
        if query.get("level")
        else None
    )
    route = params.text(query, "route", max_length=80)
    references = _references(snap)
    if query.get("code"):
        version = parse_version(query.get("soc"), default="soc2020")
        code = parse_soc_code(query["code"], parameter="code", unit_group_only=True)
        if (version, code) not in snap.groups:
            raise NotFound(f"{code} is not a {version.upper()} code")
        references = _by_soc(snap, version, code)
    items = [_standard_json(snap, r) for r in references]
    items = [
        s
        for s in items
        if (level is None or s["level"] == level)
        and (route is None or s["route"].casefold() == route.strip().casefold())
    ]
    data = {"source": _standards_source(snap), "count": len(items), "standards": items}
    used = (APPRENTICESHIPS,) if snap.has(APPRENTICESHIPS) else ("soc2020",)
    return Answer(data, used)


# -- compatible: /api/v1/hesa/courses/{soc} ----------------------------------------------------


def jacs_prefix(snap: Snapshot, cah: str) -> str:
    """The JACS 3.0 principal most of a CAH group's JACS detailed codes map into (``H3``)."""
    return snap.derived(JACS_PREFIX).get(cah, "??")


def _jacs_prefix(snap: Snapshot) -> dict[str, str]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for (scheme, _), row in subject_tables(snap).rows.items():
        if scheme == "jacs" and row["level"] == "detailed" and row["cah3_code"]:
            for ancestor in cah_ancestors(row["cah3_code"]):
                counts[ancestor][row["parent_code"]] += 1
    return {k: max(sorted(v), key=lambda p: v[p]) for k, v in counts.items()}


JACS_PREFIX = Derived("JACS principal of each CAH group", _jacs_prefix)


def compat_courses(snap: Snapshot, raw: str, query: Query) -> Answer:
    group = params.compat_unit_group(snap, raw.strip())
    if not snap.has(SUBJECTS):  # well formed, not held: LMI for All's "no data" (empty years)
        note = NOT_LOADED.format(SUBJECTS)
        return no_data(snap, {"years": [], "note": note}, note)
    subjects, source = subjects_for(snap, group)
    tables = subject_tables(snap)
    courses = [
        {
            "name": f"({jacs_prefix(snap, s['cah_code'])}) "
            + _capital(s["label"] or tables.rows.get(("cah", s["cah_code"]), {}).get("label", "")),
            "percentage": s["share_of_occupation_percent"],
        }
        for s in subjects
        if s["cah_level"] == "cah2" and s["share_of_occupation_percent"] is not None
    ]
    if source.get("kind") == HESA:
        start = int(str(source["academic_year"] or "0")[:4])
    else:
        start = int(snap.release.created_at[:4]) - 1
    body = {"years": [{"year": academic_year(start), "courses": courses}] if courses else []}
    headers = {
        "X-LMI-Release": str(snap.release.id),
        "X-LMI-Method": str(source.get("method", "modelled")),
        "X-LMI-Source": str(
            snap.provenance(HESA if source.get("kind") == HESA else SUBJECTS)["source"]
        ),
        "X-LMI-Note": (
            "courses are CAH2 subjects; the (XX) prefix is the JACS 3.0 principal subject most "
            "of the subject's JACS codes map into; percentage = share of the occupation's "
            "graduates from the subject"
            + (
                ""
                if source.get("kind") == HESA
                else "; modelled keyword-affinity link (no HESA table loaded), year = the "
                "academic year ending in the release's year"
            )
        ),
    }
    no_standin = None
    if source.get("kind") != HESA:  # lmi.synth's keyword-affinity link, not graduates counted
        no_standin = {
            "years": [],
            "note": "lmi holds no HESA graduates-by-occupation table in this release; a "
            "modelled keyword-affinity link is served in this LMI-for-All-compatible layer only "
            "when the operator sets LMI_COMPAT_STANDINS=true.",
        }
    return Answer(body, headers=headers, no_standin=no_standin)


def academic_year(start: int) -> str:
    """LMI for All's ``year`` of a HESA record: the academic year as ``"2011/12"``."""
    return f"{start}/{(start + 1) % 100:02d}"


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


# -- declarations ------------------------------------------------------------------------------


def pathway_routes() -> list[Endpoint]:
    tag = "Education pathways"
    soc = Param(
        "soc", "SOC version of the occupations: 2020 (default) or 2010", enum=("2010", "2020")
    )
    return [
        Endpoint(
            "/v1/pathways/occupation/{version}/{code}",
            native(occupation_pathway, "version", "code"),
            "The subjects and apprenticeship standards that lead to an occupation",
            tag,
            (
                VERSION,
                CODE,
                Param(
                    "limit",
                    "Maximum subjects (1–100, default 20)",
                    type="integer",
                    minimum=1,
                    maximum=100,
                ),
            ),
            description=(
                "Subjects from HESA Graduate Outcomes when loaded, else the modelled "
                "keyword-affinity link reversed over CAH2 subjects; standards from IfATE's "
                "export when loaded, else labelled synthetic stand-ins (SYN####)."
            ),
            responses=NOT_FOUND,
            example="/v1/pathways/occupation/soc2020/2134",
        ),
        Endpoint(
            "/v1/pathways/{scheme}/{code}",
            native(subject_pathway, "scheme", "code"),
            "A subject's pathway: graduate earnings, the occupations it leads to, and their "
            "pay, hours, outlook and skills",
            tag,
            (
                Param("scheme", "cah, hecos or jacs", location="path", enum=SCHEMES, example="cah"),
                Param(
                    "code",
                    "Subject code: CAH 11, 11-01 or 11-01-01; HECoS 100366; JACS G400 or G4",
                    location="path",
                    example="11-01",
                ),
                soc,
                Param(
                    "limit",
                    f"Maximum occupations (1–{MAX_OCCUPATIONS}, default {DEFAULT_OCCUPATIONS})",
                    type="integer",
                    minimum=1,
                    maximum=MAX_OCCUPATIONS,
                ),
            ),
            description=(
                "earnings: LEO median (and quartiles) by years after graduation; discover_uni: "
                "sector salaries; occupations: from HESA when loaded (observed), otherwise a "
                "modelled keyword-affinity link (see occupations_source.method_note). Every "
                "figure carries method and provenance."
            ),
            responses={400: "Malformed code or parameter", **NOT_FOUND},
            example="/v1/pathways/cah/11-01",
        ),
        Endpoint(
            "/v1/apprenticeships",
            native(list_standards),
            "Apprenticeship standards, by level, route or SOC unit group",
            tag,
            (
                Param("soc", "SOC version of code (default 2020)", enum=("2010", "2020")),
                Param("code", "SOC unit group: standards leading to it", example="5241"),
                Param("level", "Level 2–7", type="integer", minimum=2, maximum=7),
                Param("route", "IfATE route, e.g. Digital"),
            ),
            responses=NOT_FOUND,
            example="/v1/apprenticeships?code=5241",
        ),
        Endpoint(
            "/v1/apprenticeships/{reference}",
            native(get_standard, "reference"),
            "An apprenticeship standard with its SOC 2010 and SOC 2020 unit groups",
            tag,
            (
                Param(
                    "reference",
                    "Standard reference (ST0116; SYN#### for synthetic stand-ins)",
                    location="path",
                    example="SYN5241",
                ),
            ),
            responses={400: "Malformed reference", **NOT_FOUND},
            example="/v1/apprenticeships/SYN5241",
        ),
        Endpoint(
            "/api/v1/hesa/courses/{soc}",
            compat(compat_courses, "soc", name="compat_courses_endpoint"),
            "LMI for All: subjects studied by graduates in an occupation",
            TAG_COMPAT,
            (
                Param(
                    "soc",
                    "SOC 2010 unit group",
                    location="path",
                    type="integer",
                    example="2136",
                    minimum=1000,
                    maximum=9999,
                ),
                Param("callback", "JSONP: wrap the JSON in callback(...)"),
            ),
            description=(
                "{years: [{year, courses: [{name: '(H3) Mechanical engineering', "
                "percentage}]}]}; method, source and notes in X-LMI-* headers"
            ),
            responses=NOT_FOUND,
            example="/api/v1/hesa/courses/2136",
            envelope=False,
        ),
    ]
