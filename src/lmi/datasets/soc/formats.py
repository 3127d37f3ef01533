"""Format specifications of the SOC 2010 and SOC 2020 files (used by the validator and docs)."""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = [
    "SOC2010_GROUPS_SPEC",
    "SOC2010_INDEX_SPEC",
    "SOC2010_STRUCTURE_SPEC",
    "SOC2010_UNITS_SPEC",
    "SOC2020_DESCRIPTIONS_SPEC",
    "SOC2020_INDEX_SPEC",
    "SOC2020_STRUCTURE_SPEC",
    "SOC2020_UNITS_SPEC",
]

LEVELS = ("major", "sub_major", "minor", "unit")
CROSS_REFERENCE = (("}}}}", "index cross-reference: the entry points to another, no code"),)
SOC90_CROSS_REFERENCE = (("}}}", "index cross-reference (SOC 90 has 3 digits)"),)
BLANK = (("<blank>", "no value (ONS's spelling of an empty cell)"),)
UNIT = r"[1-9]\d{3}"


def _structure(extra: str) -> FileSpec:
    return FileSpec(
        columns=(
            Column(
                "code",
                "code",
                "SOC code: 1 digit major … 4 digits unit group",
                r"[1-9]\d{0,3}",
                blank=False,
            ),
            Column("level", "code", "level of the code", values=LEVELS, blank=False),
            Column("title", "text", "group title", blank=False),
            Column(
                "parent_code",
                "code",
                "code of the parent group; blank for major groups",
                r"[1-9]\d{0,2}",
            ),
        ),
        key=("code",),
        min_rows=int(extra),
        notes="Other columns (e.g. `change`, `versno`) are ignored.",
        ignored=("change", "versno"),
    )


def _units(version: str, count: int) -> FileSpec:
    return FileSpec(
        columns=(
            Column(version, "code", "unit group code", UNIT, blank=False),
            Column("title", "text", "unit group title", blank=False),
            Column("description", "text", "Volume 1 description"),
            Column("entry_routes", "text", "typical entry routes and qualifications"),
            Column("tasks", "json-list", "tasks, as a JSON list of strings"),
            Column("related_job_titles", "json-list", "related job titles, a JSON list"),
        ),
        key=(version,),
        min_rows=count,
        notes="Other columns (parent codes, NS-SEC) are ignored.",
        ignored=(
            "title_upper",
            "major",
            "sub_major",
            "minor",
            "nssec_opcat",
            "nssec_ancls",
            "nssec_redoc",
            "nssec_redac",
        ),
    )


SOC2010_STRUCTURE_SPEC = _structure("493")
SOC2020_STRUCTURE_SPEC = _structure("551")
SOC2010_UNITS_SPEC = _units("soc2010", 369)
SOC2020_UNITS_SPEC = _units("soc2020", 412)

SOC2010_GROUPS_SPEC = FileSpec(
    columns=(
        Column(
            "code", "code", "major, sub-major or minor group code", r"[1-9]\d{0,2}", blank=False
        ),
        Column("level", "code", "level of the code", values=LEVELS[:3], blank=False),
        Column("title", "text", "group title", blank=False),
        Column("description", "text", "Volume 1 description"),
    ),
    key=("code",),
    min_rows=124,
    ignored=("title_upper",),
)

SOC2010_INDEX_SPEC = FileSpec(
    columns=(
        Column("REC_NO", "integer", "record number", blank=False),
        Column("RECNOEXT", "integer", "record number extension", blank=False),
        Column("SOC90", "code", "SOC 90 unit group", r"\d{3}", symbols=SOC90_CROSS_REFERENCE),
        Column("SOC_2000", "code", "SOC 2000 unit group", r"\d{3,4}", symbols=CROSS_REFERENCE),
        Column(
            "SOC_2010", "code", "SOC 2010 unit group", UNIT, blank=False, symbols=CROSS_REFERENCE
        ),
        Column(
            "INDEXOCC", "text", "job title, ONS inverted form (`Engineer, software`)", blank=False
        ),
        Column("IND", "text", "industry qualifier"),
        Column("ADD", "text", "additional qualifier"),
        Column("SEE", "text", "cross-reference (`- see Adviser`)"),
    ),
    notes="Volume 2 coding index v5.1: 28,748 entries. The published index repeats 4 record "
    "numbers (reported as warnings). Other columns are ignored.",
    ignored=(
        "D",
        "E",
        "NEW_",
        "VERSNO",
    ),
)

SOC2020_DESCRIPTIONS_SPEC = FileSpec(
    columns=(
        Column(
            "SOC 2020 Major Group", "code", "major group, or `<blank>`", r"[1-9]", symbols=BLANK
        ),
        Column(
            "SOC 2020 Sub-Major Group",
            "code",
            "sub-major group, or `<blank>`",
            r"[1-9]\d",
            symbols=BLANK,
        ),
        Column(
            "SOC 2020 Minor Group", "code", "minor group, or `<blank>`", r"[1-9]\d\d", symbols=BLANK
        ),
        Column("SOC 2020 Unit Group", "code", "unit group, or `<blank>`", UNIT, symbols=BLANK),
        Column("SOC 2020 Group Title", "text", "group title"),
        Column("Group Description", "text", "Volume 1 description", symbols=BLANK),
    ),
    notes="The Volume 1 descriptions sheet saved as CSV: one code column filled per row. "
    "Other columns are ignored.",
    ignored=(
        "Groups Classified Within Sub-Groups",
        "Typical Entry Routes And Associated Qualifications",
        "Tasks",
        "Related Job Titles",
    ),
)

SOC2020_INDEX_SPEC = FileSpec(
    columns=(
        Column("UNIQUE_ID", "code", "entry identifier", blank=False),
        Column("SOC_90", "code", "SOC 90 unit group", r"\d{3}", symbols=SOC90_CROSS_REFERENCE),
        Column("SOC_2000", "code", "SOC 2000 unit group", r"\d{4}", symbols=CROSS_REFERENCE),
        Column("SOC_2010", "code", "SOC 2010 unit group", r"\d{4}", symbols=CROSS_REFERENCE),
        Column(
            "SOC_2020", "code", "SOC 2020 unit group", UNIT, blank=False, symbols=CROSS_REFERENCE
        ),
        Column(
            "SOC_2020_ext",
            "code",
            "SOC 2020 extension (sub-unit group)",
            r"\d{4}/\d\d",
            symbols=(("}}}}/}}", "index cross-reference"),),
        ),
        Column("INDEXOCC", "text", "job title, ONS inverted form", blank=False),
        Column("ADD", "text", "additional qualifier"),
        Column("IND", "text", "industry qualifier"),
        Column("SEE", "text", "cross-reference"),
        Column(
            "ISCO-08_code_based_on_SOC2020",
            "code",
            "ISCO-08 unit group",
            r"\d{4}",
            symbols=CROSS_REFERENCE,
        ),
        Column("INDEXOCC_-_natural_word_order", "text", "job title in natural word order"),
    ),
    key=("UNIQUE_ID",),
    notes="Volume 2 coding index v12: 32,195 entries. Other columns are ignored.",
    ignored=(
        "RECNO",
        "D",
        "VERSNO",
        "CHANGE",
        "SOC90_unit_group_title",
        "SOC2000_unit_group_title",
        "SOC2010_unit_group_title",
        "SOC2020_unit_group_title",
        "SOC2020_ext_SUG_title",
        "ISCO08_unit_group_title",
    ),
)
