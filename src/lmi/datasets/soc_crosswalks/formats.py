"""Format specifications of the SOC crosswalk files (used by the validator and docs)."""

from __future__ import annotations

from lmi.checks.spec import Column, FileSpec

__all__ = ["DUAL_CODING_SPEC", "INDEX_SHARES_SPEC", "ISCO_SPECS"]

UNIT = r"[1-9]\d{3}"
CROSS_REFERENCE = (("}}}}", "index cross-reference instead of a code: row skipped (warning)"),)


def _dual_columns() -> tuple[Column, ...]:
    columns: list[Column] = []
    for sex in ("men", "women"):
        for source in ("lfs", "census"):
            columns.append(
                Column(
                    f"{sex}_{source}_base_2010",
                    "integer",
                    f"{sex}, {source.upper()}: records of the SOC 2010 unit group",
                    unit="records",
                )
            )
            columns.append(
                Column(
                    f"{sex}_{source}_perc_2020",
                    "proportion",
                    f"{sex}, {source.upper()}: share coded to the SOC 2020 unit group",
                    unit="proportion 0–1",
                )
            )
    return tuple(columns)


DUAL_CODING_SPEC = FileSpec(
    columns=(
        Column("soc2010", "code", "SOC 2010 unit group", UNIT, blank=False),
        Column("soc2020", "code", "SOC 2020 unit group", UNIT, blank=False),
        *_dual_columns(),
    ),
    key=("soc2010", "soc2020"),
    notes="Proportions of one SOC 2010 unit group add up to 1 (± 0.06; warning otherwise).",
    ignored=(
        "soc2010_title",
        "soc2020_title",
    ),
)

INDEX_SHARES_SPEC = FileSpec(
    columns=(
        Column("soc2010", "code", "SOC 2010 unit group", UNIT, blank=False),
        Column("soc2020", "code", "SOC 2020 unit group", UNIT, blank=False),
        Column("n_index_entries", "integer", "job titles of the pair", blank=False, unit="titles"),
        Column(
            "share_of_soc2010_entries",
            "proportion",
            "share of the SOC 2010 group's titles",
            blank=False,
            unit="proportion 0–1",
        ),
    ),
    key=("soc2010", "soc2020"),
    ignored=(
        "soc2010_title",
        "soc2020_title",
    ),
)


def _isco(version: str) -> FileSpec:
    return FileSpec(
        columns=(
            Column(version, "code", f"{version.upper()} unit group", UNIT, blank=False),
            Column(
                "isco08",
                "code",
                "ISCO-08 unit group",
                r"\d{4}",
                blank=False,
                symbols=CROSS_REFERENCE,
            ),
            Column(
                "n_index_entries", "integer", "job titles of the pair", blank=False, unit="titles"
            ),
            Column(
                f"share_of_{version}_entries",
                "proportion",
                "share of the unit group's titles",
                blank=False,
                unit="proportion 0–1",
            ),
        ),
        key=(version, "isco08"),
        ignored=(f"{version}_title", "isco08_title"),
    )


ISCO_SPECS = {"soc2010": _isco("soc2010"), "soc2020": _isco("soc2020")}
