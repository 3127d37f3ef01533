"""Write small SOC source folders in the official CSV formats, with invented content.

The SOC loaders check the fixed counts of each classification (e.g. 369 SOC2010 unit groups),
so these fixtures have exactly those counts, with synthetic titles; tests can then break them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

__all__ = ["write_soc_sources"]

# children per parent, chosen so the totals match the published classifications
SHAPES = {
    "soc2010": ([3, 3, 3, 3, 3, 3, 3, 2, 2], [4] * 15 + [3] * 10, [5] * 9 + [4] * 81),
    "soc2020": ([3, 3, 3, 3, 3, 3, 3, 3, 2], [4] * 26, [4] * 100 + [3] * 4),
}


def codes(version: str) -> Iterator[tuple[str, str, str]]:
    """(code, file level, parent) in structure-file order."""
    subs, minors, units = (iter(x) for x in SHAPES[version])
    for major in range(1, 10):
        yield str(major), "major", ""
        for s in range(1, next(subs) + 1):
            sub = f"{major}{s}"
            yield sub, "sub_major", str(major)
            for m in range(1, next(minors) + 1):
                minor = f"{sub}{m}"
                yield minor, "minor", sub
                for u in range(1, next(units) + 1):
                    yield f"{minor}{u}", "unit", minor


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_soc_sources(root: Path) -> Path:
    """Both SOC folders under ``root``; returns ``root``."""
    _write_soc2010(root / "soc2010")
    _write_soc2020(root / "soc2020")
    return root


def _write_soc2010(folder: Path) -> None:
    structure = list(codes("soc2010"))
    _write(
        folder / "soc2010_structure.csv",
        ["code", "level", "title", "parent_code"],
        [[c, lvl, f"Group {c}", p] for c, lvl, p in structure],
    )
    units = [c for c, lvl, _ in structure if lvl == "unit"]
    _write(
        folder / "soc2010_unit_groups.csv",
        [
            "soc2010",
            "title",
            "title_upper",
            "major",
            "sub_major",
            "minor",
            "description",
            "entry_routes",
            "tasks",
            "related_job_titles",
            "nssec_opcat",
            "nssec_ancls",
            "nssec_redoc",
            "nssec_redac",
        ],
        [
            [
                c,
                f"Fixture unit {c}",
                f"FIXTURE UNIT {c}",
                c[0],
                c[:2],
                c[:3],
                f"Description of {c}.",
                f"Entry to {c}.",
                json.dumps([f"does task one of {c};", f"does task two of {c}."]),
                json.dumps([f"Fixture worker {c}"]),
                "[]",
                "[]",
                "[]",
                "[]",
            ]
            for c in units
        ],
    )
    _write(
        folder / "soc2010_group_descriptions.csv",
        ["code", "level", "title", "title_upper", "description"],
        [
            [c, lvl, f"Group {c}", f"GROUP {c}", f"About group {c}."]
            for c, lvl, _ in structure
            if lvl != "unit"
        ],
    )
    index_rows = []
    for n, c in enumerate(units, start=1):
        index_rows.append(
            [str(n), "0", "", "", "999", "9999", c, f"Worker, fixture {c}", "", "", "", "", ""]
        )
    index_rows.append(
        [
            str(len(units) + 1),
            "0",
            "",
            "",
            "",
            "",
            "}}}}",
            "Advisor",
            "",
            "",
            "- see Adviser",
            "",
            "",
        ]
    )
    _write(
        folder / "soc2010_coding_index.csv",
        [
            "REC_NO",
            "RECNOEXT",
            "D",
            "E",
            "SOC90",
            "SOC_2000",
            "SOC_2010",
            "INDEXOCC",
            "IND",
            "ADD",
            "SEE",
            "NEW_",
            "VERSNO",
        ],
        index_rows,
    )


def _write_soc2020(folder: Path) -> None:
    structure = list(codes("soc2020"))
    _write(
        folder / "soc2020_structure.csv",
        ["code", "level", "title", "parent_code", "change", "versno"],
        [[c, lvl, f"GROUP {c}", p, "", ""] for c, lvl, p in structure],
    )
    units = [c for c, lvl, _ in structure if lvl == "unit"]
    _write(
        folder / "soc2020_unit_groups.csv",
        [
            "soc2020",
            "title",
            "major",
            "sub_major",
            "minor",
            "description",
            "entry_routes",
            "tasks",
            "related_job_titles",
        ],
        [
            [
                c,
                f"Fixture unit {c}",
                c[0],
                c[:2],
                c[:3],
                f"Description of {c}.",
                f"Entry to {c}.",
                json.dumps([f"does task of {c}"]),
                json.dumps([f"Fixture worker {c}"]),
            ]
            for c in units
        ],
    )
    level_columns = {"major": 0, "sub_major": 1, "minor": 2, "unit": 3}
    described = []
    for c, lvl, _ in structure:
        cells = ["<blank>"] * 4
        cells[level_columns[lvl]] = c
        described.append(
            [
                *cells,
                f"Group {c}",
                "<blank>",
                f"About group {c}.\n\nMore.",
                "<blank>",
                "<blank>",
                "<blank>",
            ]
        )
    _write(
        folder / "soc2020_descriptions_all_levels.csv",
        [
            "SOC 2020 Major Group",
            "SOC 2020 Sub-Major Group",
            "SOC 2020 Minor Group",
            "SOC 2020 Unit Group",
            "SOC 2020 Group Title",
            "Groups Classified Within Sub-Groups",
            "Group Description",
            "Typical Entry Routes And Associated Qualifications",
            "Tasks",
            "Related Job Titles",
        ],
        described,
    )
    header = [
        "UNIQUE_ID",
        "RECNO",
        "D",
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
        "VERSNO",
        "CHANGE",
        "SOC90_unit_group_title",
        "SOC2000_unit_group_title",
        "SOC2010_unit_group_title",
        "SOC2020_unit_group_title",
        "SOC2020_ext_SUG_title",
        "ISCO08_unit_group_title",
        "INDEXOCC_-_natural_word_order",
    ]
    rows = [
        [
            f"x{n}",
            str(n),
            "",
            "999",
            "9999",
            "1111",
            c,
            f"{c}/99",
            f"Worker, fixture {c}",
            "",
            "",
            "",
            "9999",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            f"Fixture worker {c}",
        ]
        for n, c in enumerate(units, start=1)
    ]
    _write(folder / "soc2020_coding_index.csv", header, rows)
