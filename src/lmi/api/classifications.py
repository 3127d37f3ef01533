"""Handlers of the native ``/v1`` API for the classifications: parse → snapshot → envelope.

Every handler returns an :class:`~lmi.api.respond.Answer`, which :func:`lmi.api.respond.native`
wraps in the envelope with the release and the provenance of each dataset used. Figures inside
``data`` carry their own ``provenance`` (source, release, method).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lmi.api import params
from lmi.api.respond import Answer
from lmi.classification import crosswalk
from lmi.classification.qualifications import QUALIFICATION_LEVELS, QUALIFICATION_SOURCE
from lmi.classification.soc import LEVELS, SocVersion, parse_soc_code, parse_version
from lmi.errors import InvalidQuery, NotFound
from lmi.search.coder import Coder
from lmi.serve.snapshot import Group, Snapshot

__all__ = ["Answer"]

Query = Mapping[str, str]

ONET_METHOD_NOTE = (
    "UK SOC → ISCO-08 (shares of ONS coding-index titles) → US SOC 2010 (BLS crosswalk, split "
    "equally) → US SOC 2018 (BLS, split equally) → O*NET-SOC occupations (split equally); weights "
    "summed over paths and normalised per UK unit group"
)


# -- helpers -----------------------------------------------------------------------------------


def version_arg(raw: str) -> SocVersion:
    return parse_version(raw, default="soc2010")


def dataset_of(version: str) -> str:
    return version  # the soc2010 / soc2020 datasets carry their version's groups


def brief(group: Group) -> dict[str, Any]:
    return {"code": group.code, "level": group.level, "title": group.title}


def ancestors(snap: Snapshot, group: Group) -> list[Group]:
    chain: list[Group] = []
    parent = group.parent
    while parent:
        found = snap.groups[(group.version, parent)]
        chain.append(found)
        parent = found.parent
    return list(reversed(chain))


def links(group: Group) -> dict[str, str]:
    base = f"/v1/occupations/{group.version}/{group.code}"
    found = {"self": base, "children": f"{base}/children", "ancestors": f"{base}/ancestors"}
    if group.level == "unit_group":
        other = "soc2020" if group.version == "soc2010" else "soc2010"
        found.update(
            convert=f"{base}/convert?to={other}",
            isco=f"{base}/isco",
            onet=f"{base}/onet",
            index_titles=f"{base}/index-titles",
        )
    return found


def occupation(snap: Snapshot, group: Group) -> dict[str, Any]:
    parent = snap.groups.get((group.version, group.parent)) if group.parent else None
    return {
        "soc_version": group.version,
        **brief(group),
        "description": group.description,
        "entry_routes": group.entry_routes,
        "tasks": list(group.tasks),
        "related_job_titles": list(group.related_titles),
        "parent": brief(parent) if parent else None,
        "ancestors": [brief(a) for a in ancestors(snap, group)],
        "children": [
            brief(snap.groups[(group.version, c)])
            for c in snap.children.get((group.version, group.code), [])
        ],
        "index_titles_count": len(snap.index_titles.get((group.version, group.code), [])),
        "links": links(group),
        "provenance": snap.provenance(dataset_of(group.version)),
    }


def _require(snap: Snapshot, dataset: str) -> None:
    if not snap.has(dataset):
        raise NotFound(f"the {dataset} dataset is not loaded in release {snap.release.id}")


# -- occupations -------------------------------------------------------------------------------


def get_occupation(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    group = params.soc_group(snap, version_arg(version), code)
    return Answer(occupation(snap, group), (group.version,))


def get_children(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    group = params.soc_group(snap, version_arg(version), code)
    kids = snap.children.get((group.version, group.code), [])
    return Answer([brief(snap.groups[(group.version, c)]) for c in kids], (group.version,))


def get_ancestors(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    group = params.soc_group(snap, version_arg(version), code)
    return Answer([brief(a) for a in ancestors(snap, group)], (group.version,))


def get_index_titles(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    group = params.soc_group(snap, version_arg(version), code)
    titles = snap.index_titles.get((group.version, group.code), [])
    return Answer({"code": group.code, "titles": titles}, (group.version,))


def list_occupations(snap: Snapshot, query: Query) -> Answer:
    version = parse_version(query.get("soc"), default="soc2010")
    level = params.choice(query, "level", tuple(LEVELS.values()), default="unit_group")
    parent = params.text(query, "parent", max_length=4)
    if parent is not None:
        parent = parse_soc_code(parent, parameter="parent")
        if (version, parent) not in snap.groups:
            raise NotFound(f"{parent} is not a {version.upper()} code")
    found = [
        brief(g)
        for (v, code), g in sorted(snap.groups.items())
        if v == version and g.level == level and (parent is None or code.startswith(parent))
    ]
    return Answer(found, (version,))


def get_hierarchy(snap: Snapshot, version: str, query: Query) -> Answer:
    v = version_arg(version)

    def node(code: str) -> dict[str, Any]:
        group = snap.groups[(v, code)]
        kids = snap.children.get((v, code), [])
        return {**brief(group), "children": [node(c) for c in kids]} if kids else brief(group)

    majors = sorted(code for (ver, code), g in snap.groups.items() if ver == v and not g.parent)
    return Answer([node(code) for code in majors], (v,))


# -- crosswalks --------------------------------------------------------------------------------


def convert(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    group = params.soc_group(snap, version_arg(version), code)
    if group.level != "unit_group":
        raise InvalidQuery(
            "conversion is defined between unit groups (4-digit codes)", parameter="code"
        )
    other: SocVersion = "soc2020" if group.version == "soc2010" else "soc2010"
    target = parse_version(query.get("to"), default=other)
    if target == group.version:
        raise InvalidQuery(f"'to' must differ from the code's version ({target})", parameter="to")
    basis = params.choice(query, "basis", crosswalk.BASES, default="census")
    sex = params.choice(query, "sex", crosswalk.SEXES, default="all")
    value = params.number(query, "value")
    forward = group.version == "soc2010"
    shares, sample, coverage, dataset = _shares(snap, group.code, forward, basis, sex)
    method = "observed" if forward or basis == "index" else "modelled"
    if snap.release.kind == "synthetic":
        method = "synthetic"
    prov = snap.provenance(dataset, method=method)
    targets = []
    for share in shares:
        item: dict[str, Any] = {
            **brief(snap.groups[(target, share.code)]),
            "proportion": round(share.proportion, 6),
        }
        if value is not None:
            item["value"] = value * share.proportion
        item["provenance"] = prov
        targets.append(item)
    data = {
        "from": {"soc_version": group.version, **brief(group)},
        "to_version": target,
        "basis": basis,
        "sex": sex if basis != "index" else None,
        "method": method,
        "method_note": _method_note(forward, basis),
        "sample_size": sample,
        "coverage": round(coverage, 6) if coverage is not None else None,
        "value": value,
        "targets": targets,
    }
    return Answer(data, (dataset,))


def _shares(
    snap: Snapshot, code: str, forward: bool, basis: crosswalk.Basis, sex: crosswalk.Sex
) -> tuple[list[crosswalk.Share], int | None, float | None, str]:
    dataset = "soc_crosswalks"
    _require(snap, dataset)
    key_from, key_to = ("soc2010", "soc2020") if forward else ("soc2020", "soc2010")
    if basis == "index":
        rows = snap.grouped("soc2010_soc2020_index_shares", key_from).get(code, [])
        weights = crosswalk.index_weights(rows, key=key_to)
        return crosswalk.normalise(weights), int(sum(weights.values())), None, dataset
    rows = snap.grouped("soc2010_soc2020_dual_coding", key_from).get(code, [])
    weights = crosswalk.dual_coding_weights(rows, key=key_to, basis=basis, sex=sex)
    sexes = ("men", "women") if sex == "all" else (sex,)
    if forward and rows:
        sample = sum(int(rows[0].get(f"{s}_{basis}_base") or 0) for s in sexes)
        coverage = sum(weights.values()) / sample if sample else None
    else:
        sample, coverage = int(round(sum(weights.values()))), None
    return crosswalk.normalise(weights), sample, coverage, dataset


def _method_note(forward: bool, basis: crosswalk.Basis) -> str:
    if basis == "index":
        return "shares of ONS SOC 2020 coding-index job titles (job-title weights)"
    survey = "Census 2011" if basis == "census" else "Labour Force Survey"
    if forward:
        return f"ONS dual-coding proportions ({survey}), combined by sample base, normalised"
    return (
        f"share of the SOC 2020 group's dual-coded {survey} records coming from each SOC 2010 "
        "group (sample counts stand in for employment)"
    )


def get_isco(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    group = params.soc_group(snap, version_arg(version), code)
    _require(snap, "soc_crosswalks")
    rows = snap.grouped("soc_isco08", "soc_version", "soc_code").get(
        (group.version, group.code), []
    )
    titles = {r["code"]: r["title"] for r in snap.rows("isco08_groups")}
    prov = snap.provenance("soc_crosswalks")
    mapped = [
        {
            "isco08": r["isco08"],
            "title": titles.get(r["isco08"]),
            "share": r["share"],
            "index_entries": r["n_entries"],
            "provenance": prov,
        }
        for r in sorted(rows, key=lambda r: (-r["share"], r["isco08"]))
    ]
    return Answer(
        {"from": {"soc_version": group.version, **brief(group)}, "isco08": mapped},
        (
            "soc_crosswalks",
            "isco",
        ),
    )


def get_onet(snap: Snapshot, version: str, code: str, query: Query) -> Answer:
    group = params.soc_group(snap, version_arg(version), code)
    _require(snap, "onet_uk_soc")
    rows = snap.grouped("onet_uk_soc", "soc_version", "soc_code").get(
        (group.version, group.code), []
    )
    titles = {r["onet_code"]: r["title"] for r in snap.rows("onet_occupations")}
    method = "synthetic" if snap.release.kind == "synthetic" else "modelled"
    prov = snap.provenance("onet_uk_soc", method=method)
    mapped = [
        {
            "onet_code": r["onet_code"],
            "title": titles.get(r["onet_code"]),
            "weight": round(r["weight"], 6),
            "paths": r["paths"],
            "provenance": prov,
        }
        for r in sorted(rows, key=lambda r: (-r["weight"], r["onet_code"]))
    ]
    data = {
        "from": {"soc_version": group.version, **brief(group)},
        "method": method,
        "method_note": ONET_METHOD_NOTE,
        "onet": mapped,
    }
    return Answer(data, ("onet_uk_soc", "onet_occupations"))


def get_isco_group(snap: Snapshot, code: str, query: Query) -> Answer:
    _require(snap, "isco")
    if not (code.isascii() and code.isdigit() and 1 <= len(code) <= 4):
        raise InvalidQuery(f"ISCO-08 code must have 1 to 4 digits, got {code!r}", parameter="code")
    group = _first(snap.grouped("isco08_groups", "code").get(code))
    if group is None:
        raise NotFound(f"{code} is not an ISCO-08 code")
    uk = [
        {"soc_version": r["soc_version"], "code": r["soc_code"], "share_of_soc": r["share"]}
        for r in snap.grouped("soc_isco08", "isco08").get(code, [])
    ]
    us = [
        {"us_soc2010": r["us_soc2010"], "title": r["us_soc2010_title"], "partial": r["partial"]}
        for r in snap.grouped("isco08_us_soc2010", "isco08").get(code, [])
    ]
    data = {**group, "uk_soc": uk, "us_soc2010": us, "provenance": snap.provenance("isco")}
    return Answer(data, ("isco", "soc_crosswalks"))


def get_onet_occupation(snap: Snapshot, code: str, query: Query) -> Answer:
    _require(snap, "onet_occupations")
    found = _first(snap.grouped("onet_occupations", "onet_code").get(code))
    if found is None:
        raise NotFound(f"{code!r} is not an O*NET-SOC code (form 15-1252.00)")
    uk = [
        {"soc_version": r["soc_version"], "code": r["soc_code"], "weight": round(r["weight"], 6)}
        for r in snap.grouped("onet_uk_soc", "onet_code").get(code, [])
    ]
    uk.sort(key=lambda r: (r["soc_version"], -r["weight"], r["code"]))
    data = {**found, "uk_soc": uk, "provenance": snap.provenance("onet_occupations")}
    return Answer(data, ("onet_occupations", "onet_uk_soc"))


def _first(rows: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    """The first of the rows a key groups (rows stay in table order), or ``None``."""
    return rows[0] if rows else None


# -- other classifications ---------------------------------------------------------------------


def list_regions(snap: Snapshot, query: Query) -> Answer:
    _require(snap, "regions")
    regions = sorted(snap.rows("regions"), key=lambda r: r["lmi_code"] or 99)
    return Answer(regions, ("regions",))


def list_qualifications(snap: Snapshot, query: Query) -> Answer:
    levels = [{"code": code, "title": title} for code, title in QUALIFICATION_LEVELS.items()]
    return Answer({"source": QUALIFICATION_SOURCE, "levels": levels}, ())


def list_sic(snap: Snapshot, query: Query) -> Answer:
    _require(snap, "sic2007")
    level = params.choice(
        query, "level", ("section", "division", "group", "class", "subclass"), default="section"
    )
    parent = params.text(query, "parent", max_length=10)
    rows = [
        {k: r[k] for k in ("code", "level", "title", "parent_code")}
        for r in snap.rows("sic2007")
        if r["level"] == level and (parent is None or r["parent_code"] == parent)
    ]
    return Answer(rows, ("sic2007",))


def get_sic(snap: Snapshot, code: str, query: Query) -> Answer:
    _require(snap, "sic2007")
    found = _first(snap.grouped("sic2007", "code").get(code))
    if found is None:
        raise NotFound(f"{code!r} is not a SIC 2007 code (forms: A, 01, 01.1, 01.11, 01.62/1)")
    children = [r["code"] for r in snap.grouped("sic2007", "parent_code").get(code, [])]
    lists = {k: json.loads(found[k]) if found[k] else [] for k in ("includes", "excludes")}
    data = {**found, **lists, "children": children, "provenance": snap.provenance("sic2007")}
    return Answer(data, ("sic2007",))


SCHEMES = ("cah", "hecos", "jacs")


def list_subjects(snap: Snapshot, scheme: str, query: Query) -> Answer:
    _require(snap, "subjects")
    chosen = params.choice({"scheme": scheme}, "scheme", SCHEMES, default="cah")
    level = params.text(query, "level", max_length=20)
    parent = params.text(query, "parent", max_length=12)
    rows = [
        r
        for r in snap.rows("subjects")
        if r["scheme"] == chosen
        and (level is None or r["level"] == level)
        and (parent is None or r["parent_code"] == parent)
    ]
    return Answer(rows, ("subjects",))


def get_subject(snap: Snapshot, scheme: str, code: str, query: Query) -> Answer:
    _require(snap, "subjects")
    chosen = params.choice({"scheme": scheme}, "scheme", SCHEMES, default="cah")
    wanted = code.upper() if chosen == "jacs" else code
    wanted = wanted.removeprefix("CAH") if chosen == "cah" else wanted
    found = _first(snap.grouped("subjects", "scheme", "code").get((chosen, wanted)))
    if found is None:
        raise NotFound(f"{code!r} is not a {chosen.upper()} code")
    children = [
        r["code"]
        for r in snap.grouped("subjects", "scheme", "parent_code").get((chosen, wanted), [])
    ]
    return Answer(
        {**found, "children": children, "provenance": snap.provenance("subjects")}, ("subjects",)
    )


# -- search and release ------------------------------------------------------------------------


def search_occupations(snap: Snapshot, query: Query) -> Answer:
    q = params.text(query, "q", required=True, max_length=200)
    assert q is not None
    version = parse_version(query.get("soc"), default="soc2010")
    limit = params.integer(query, "limit", default=10, minimum=1, maximum=100)
    context = params.text(query, "context", max_length=500, default="") or ""
    coding = _coder(snap, version).code(q, context, top=limit, expand=True)
    results = [
        {"rank": rank, **candidate.as_dict()}
        for rank, candidate in enumerate(coding.candidates, start=1)
    ]
    data = {"query": q, "soc_version": version, "ambiguous": coding.ambiguous, "results": results}
    return Answer(data, (version,))


def _coder(snap: Snapshot, version: str) -> Coder:
    coder = snap.coders.get(version)
    if coder is None:
        raise NotFound(f"{version} is not loaded in this release")
    return coder
