"""Loaders for the SOC 2010 and SOC 2020 files as described in their PROVENANCE.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lmi.classification.soc import level_of
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.soc.checks import check_index_codes, check_json_lists, check_structure
from lmi.datasets.soc.formats import (
    SOC2010_GROUPS_SPEC,
    SOC2010_INDEX_SPEC,
    SOC2010_STRUCTURE_SPEC,
    SOC2010_UNITS_SPEC,
    SOC2020_DESCRIPTIONS_SPEC,
    SOC2020_INDEX_SPEC,
    SOC2020_STRUCTURE_SPEC,
    SOC2020_UNITS_SPEC,
)
from lmi.datasets.soc.tables import soc_groups, soc_index_entries

__all__ = ["SOC2010", "SOC2020", "natural_order"]

SOC2010_COUNTS = {"major": 9, "sub_major": 25, "minor": 90, "unit": 369}
SOC2020_COUNTS = {"major": 9, "sub_major": 26, "minor": 104, "unit": 412}
CROSS_REFERENCE = "}}}}"


def natural_order(indexocc: str) -> str:
    """ONS inverted form to natural order: ``Analyst, project, IT`` → ``IT project analyst``."""
    parts = [p.strip() for p in indexocc.split(",") if p.strip()]
    if len(parts) < 2:
        return indexocc.strip()
    head = parts[0]
    if not head.isupper():
        head = head[0].lower() + head[1:]
    words = [*reversed(parts[1:]), head]
    phrase = " ".join(words)
    return phrase[0].upper() + phrase[1:]


def _unit_text(units: dict[str, list[str]], i: int) -> dict[str, Any]:
    """The Volume 1 text of one unit group (row ``i`` of a unit-groups file)."""
    return {
        "title": units["title"][i],
        "description": units["description"][i],
        "entry_routes": units["entry_routes"][i] or None,
        "tasks_json": units["tasks"][i] or "[]",
        "related_titles_json": units["related_job_titles"][i] or "[]",
    }


def _blank_to_none(value: str) -> str | None:
    value = value.strip()
    return None if value in {"", "<blank>"} else value


# -- SOC 2010 ----------------------------------------------------------------------------------


def load_soc2010(ctx: LoadContext) -> None:
    structure = ctx.read_csv("soc2010/soc2010_structure.csv")
    check_structure(structure, SOC2010_COUNTS)
    units = ctx.read_csv("soc2010/soc2010_unit_groups.csv")
    groups = ctx.read_csv("soc2010/soc2010_group_descriptions.csv")
    index = ctx.read_csv("soc2010/soc2010_coding_index.csv")
    if structure.has_errors:
        return
    unit_codes = {c for c, lvl in structure.rows("code", "level") if lvl == "unit"}
    if units.require_columns(
        ["soc2010", "title", "description", "entry_routes", "tasks", "related_job_titles"]
    ):
        units.check_in("soc2010", unit_codes, what="a unit group in soc2010_structure.csv")
        units.check_unique("soc2010")
        check_json_lists(units, "tasks", "related_job_titles")
    groups.require_columns(["code", "level", "title", "description"])
    index_columns = [
        "REC_NO",
        "RECNOEXT",
        "SOC90",
        "SOC_2000",
        "SOC_2010",
        "INDEXOCC",
        "IND",
        "ADD",
        "SEE",
    ]
    if index.require_columns(index_columns):
        check_index_codes(index, "SOC_2010", unit_codes)
        index.check_not_blank("INDEXOCC")
        # the published v5.1 index repeats 4 record numbers: kept, with a suffix on the repeat
        index.check_unique("REC_NO", "RECNOEXT", severity="warning")
    if any(f.has_errors for f in (units, groups, index)):
        return
    ctx.write(soc_groups, _soc2010_groups(structure.columns, units.columns, groups.columns))
    ctx.write(soc_index_entries, _soc2010_index(index.columns))


def _soc2010_groups(
    structure: dict[str, list[str]], units: dict[str, list[str]], groups: dict[str, list[str]]
) -> Iterator[dict[str, Any]]:
    unit_rows = {code: i for i, code in enumerate(units["soc2010"])}
    described = dict(zip(groups["code"], groups["description"], strict=True))
    for code, _level, title, parent in zip(
        structure["code"],
        structure["level"],
        structure["title"],
        structure["parent_code"],
        strict=True,
    ):
        row: dict[str, Any] = {
            "soc_version": "soc2010",
            "code": code,
            "level": level_of(code),
            "title": title,
            "parent_code": parent or None,
            "description": described.get(code),
            "entry_routes": None,
            "tasks_json": None,
            "related_titles_json": None,
        }
        if code in unit_rows:
            row.update(_unit_text(units, unit_rows[code]))
        yield row


def _soc2010_index(cols: dict[str, list[str]]) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()
    for i, indexocc in enumerate(cols["INDEXOCC"]):
        entry_id = f"{cols['REC_NO'][i]}.{cols['RECNOEXT'][i]}"
        while entry_id in seen:
            entry_id += "+"
        seen.add(entry_id)
        code = cols["SOC_2010"][i]
        coded = code != CROSS_REFERENCE
        yield {
            "soc_version": "soc2010",
            "entry_id": entry_id,
            "indexocc": indexocc,
            "natural_title": natural_order(indexocc),
            "add_qualifier": _blank_to_none(cols["ADD"][i]),
            "ind_qualifier": _blank_to_none(cols["IND"][i]),
            "see": _blank_to_none(cols["SEE"][i]),
            "soc_code": code if coded else None,
            "soc2010": code if coded else None,
            "soc2020": None,
            "soc2020_ext": None,
            "isco08": None,
            "soc2000": _blank_to_none(cols["SOC_2000"][i]),
            "soc90": _blank_to_none(cols["SOC90"][i]),
        }


# -- SOC 2020 ----------------------------------------------------------------------------------

_LEVEL_COLUMNS = (
    ("SOC 2020 Major Group", "major"),
    ("SOC 2020 Sub-Major Group", "sub_major"),
    ("SOC 2020 Minor Group", "minor"),
    ("SOC 2020 Unit Group", "unit_group"),
)


def load_soc2020(ctx: LoadContext) -> None:
    structure = ctx.read_csv("soc2020/soc2020_structure.csv")
    check_structure(structure, SOC2020_COUNTS)
    units = ctx.read_csv("soc2020/soc2020_unit_groups.csv")
    described = ctx.read_csv("soc2020/soc2020_descriptions_all_levels.csv")
    index = ctx.read_csv("soc2020/soc2020_coding_index.csv")
    if structure.has_errors:
        return
    unit_codes = {c for c, lvl in structure.rows("code", "level") if lvl == "unit"}
    if units.require_columns(
        ["soc2020", "title", "description", "entry_routes", "tasks", "related_job_titles"]
    ):
        units.check_in("soc2020", unit_codes, what="a unit group in soc2020_structure.csv")
        units.check_unique("soc2020")
        check_json_lists(units, "tasks", "related_job_titles")
    described.require_columns(
        [c for c, _ in _LEVEL_COLUMNS] + ["SOC 2020 Group Title", "Group Description"]
    )
    index_columns = [
        "UNIQUE_ID",
        "SOC_90",
        "SOC_2000",
        "SOC_2010",
        "SOC_2020",
        "SOC_2020_ext",
        "INDEXOCC",
        "ADD",
        "IND",
        "SEE",
        "ISCO-08_code_based_on_SOC2020",
        "INDEXOCC_-_natural_word_order",
    ]
    if index.require_columns(index_columns):
        check_index_codes(index, "SOC_2020", unit_codes)
        index.check_not_blank("INDEXOCC")
        index.check_unique("UNIQUE_ID")
    if any(f.has_errors for f in (units, described, index)):
        return
    descriptions = _soc2020_descriptions(described.columns)
    ctx.write(soc_groups, _soc2020_groups(structure.columns, units.columns, descriptions))
    ctx.write(soc_index_entries, _soc2020_index(index.columns))


def _soc2020_descriptions(cols: dict[str, list[str]]) -> dict[str, tuple[str, str]]:
    """Code → (title, description) for every level, from the Volume 1 descriptions sheet."""
    found: dict[str, tuple[str, str]] = {}
    for i in range(len(cols["SOC 2020 Group Title"])):
        for column, _level in _LEVEL_COLUMNS:
            code = _blank_to_none(cols[column][i])
            if code:
                found[code] = (
                    cols["SOC 2020 Group Title"][i].strip(),
                    _blank_to_none(cols["Group Description"][i]) or "",
                )
                break
    return found


def _soc2020_groups(
    structure: dict[str, list[str]],
    units: dict[str, list[str]],
    descriptions: dict[str, tuple[str, str]],
) -> Iterator[dict[str, Any]]:
    unit_rows = {code: i for i, code in enumerate(units["soc2020"])}
    for code, _level, title, parent in zip(
        structure["code"],
        structure["level"],
        structure["title"],
        structure["parent_code"],
        strict=True,
    ):
        vol1_title, description = descriptions.get(code, (title, ""))
        row: dict[str, Any] = {
            "soc_version": "soc2020",
            "code": code,
            "level": level_of(code),
            "title": vol1_title or title,
            "parent_code": parent or None,
            "description": description or None,
            "entry_routes": None,
            "tasks_json": None,
            "related_titles_json": None,
        }
        if code in unit_rows:
            row.update(_unit_text(units, unit_rows[code]))
        yield row


def _soc2020_index(cols: dict[str, list[str]]) -> Iterator[dict[str, Any]]:
    for i, indexocc in enumerate(cols["INDEXOCC"]):
        code = cols["SOC_2020"][i]
        coded = code != CROSS_REFERENCE
        soc2010 = _blank_to_none(cols["SOC_2010"][i])
        yield {
            "soc_version": "soc2020",
            "entry_id": cols["UNIQUE_ID"][i],
            "indexocc": indexocc,
            "natural_title": _blank_to_none(cols["INDEXOCC_-_natural_word_order"][i])
            or natural_order(indexocc),
            "add_qualifier": _blank_to_none(cols["ADD"][i]),
            "ind_qualifier": _blank_to_none(cols["IND"][i]),
            "see": _blank_to_none(cols["SEE"][i]),
            "soc_code": code if coded else None,
            "soc2010": soc2010 if soc2010 and soc2010.isdigit() else None,
            "soc2020": code if coded else None,
            "soc2020_ext": _blank_to_none(cols["SOC_2020_ext"][i]),
            "isco08": _blank_to_none(cols["ISCO-08_code_based_on_SOC2020"][i]),
            "soc2000": _blank_to_none(cols["SOC_2000"][i]),
            "soc90": _blank_to_none(cols["SOC_90"][i]),
        }


_ONS = "Office for National Statistics"
_OGL = "Open Government Licence v3.0"

SOC2010_ABOUT = About(
    coverage="The UK Standard Occupational Classification 2010: 9 major, 25 sub-major, 90 "
    "minor and 369 unit groups with ONS's descriptions, typical entry routes, tasks and related "
    "job titles, and the coding index of 28,748 job titles. It is a classification, not a "
    "count of jobs or people.",
    currency="SOC 2010 as published by ONS, with the coding index at version 5.1 (August "
    "2016); the unit-group text comes from the data file of ONS's SOC coding tool.",
    frequency="ONS revises SOC about every ten years; SOC 2010 has been replaced by SOC 2020 "
    "and is kept here for data still coded to it, such as the APS and older ASHE editions.",
    limitations="The coding index held is version 5.1, not ONS's later version 7.05 (June "
    "2018), so job titles added or amended since are missing. Index titles are in ONS's "
    'inverted form ("Clerk, coding"), and 227 entries are cross-references to another title '
    "rather than coded.",
)

SOC2010 = Dataset(
    name="soc2010",
    title="ONS SOC 2010: structure, Volume 1 descriptions, Volume 2 coding index v5.1",
    publisher=_ONS,
    licence=_OGL,
    files=(
        SourceFile(
            "soc2010/soc2010_structure.csv",
            "9 major … 369 unit groups with titles",
            spec=SOC2010_STRUCTURE_SPEC,
        ),
        SourceFile(
            "soc2010/soc2010_unit_groups.csv",
            "Volume 1 text of the 369 unit groups",
            spec=SOC2010_UNITS_SPEC,
        ),
        SourceFile(
            "soc2010/soc2010_group_descriptions.csv",
            "Volume 1 text of higher groups",
            spec=SOC2010_GROUPS_SPEC,
        ),
        SourceFile(
            "soc2010/soc2010_coding_index.csv",
            "Volume 2 coding index (28,748 entries)",
            spec=SOC2010_INDEX_SPEC,
        ),
    ),
    tables=(soc_groups, soc_index_entries),
    load=load_soc2010,
    required=True,
    about=SOC2010_ABOUT,
)

SOC2020_ABOUT = About(
    coverage="The UK Standard Occupational Classification 2020: 9 major, 26 sub-major, 104 "
    "minor and 412 unit groups with ONS's descriptions, typical entry routes, tasks and related "
    "job titles, and the coding index of 32,195 job titles, each also carrying its SOC 2010 and "
    "ISCO-08 codes. It is a classification, not a count of jobs or people.",
    currency="ONS's 16 April 2025 editions of Volume 1 (structure and descriptions) and of the "
    "Volume 2 coding index (version 12).",
    frequency="ONS revises SOC about every ten years and between revisions re-issues the coding "
    "index from time to time with added or amended job titles. lmi picks up a new edition when "
    "its files replace these in the source directory.",
    limitations="The index codes job titles, not jobs: the same title can belong to different "
    "unit groups depending on the industry or qualifier given beside it, and 231 entries are "
    "cross-references to another title rather than coded. Survey data coded to SOC 2010 needs a "
    "crosswalk (see soc_crosswalks) to be compared with SOC 2020.",
)

SOC2020 = Dataset(
    name="soc2020",
    title="ONS SOC 2020: Volume 1 structure and descriptions, Volume 2 coding index v12",
    publisher=_ONS,
    licence=_OGL,
    files=(
        SourceFile(
            "soc2020/soc2020_structure.csv",
            "9 major … 412 unit groups with titles",
            spec=SOC2020_STRUCTURE_SPEC,
        ),
        SourceFile(
            "soc2020/soc2020_unit_groups.csv",
            "Volume 1 text of the 412 unit groups",
            spec=SOC2020_UNITS_SPEC,
        ),
        SourceFile(
            "soc2020/soc2020_descriptions_all_levels.csv",
            "Volume 1 descriptions sheet (all levels)",
            spec=SOC2020_DESCRIPTIONS_SPEC,
        ),
        SourceFile(
            "soc2020/soc2020_coding_index.csv",
            "Volume 2 coding index (32,195 entries)",
            spec=SOC2020_INDEX_SPEC,
        ),
    ),
    tables=(soc_groups, soc_index_entries),
    load=load_soc2020,
    required=True,
    about=SOC2020_ABOUT,
)
