"""Loader of the UK SOC crosswalks, as described in ``soc_crosswalks/PROVENANCE.md``.

* SOC 2010 → SOC 2020 from ONS's dual coding of LFS and Census 2011 records, by sex: sample
  sizes (``*_base_2010``) and the proportion (0–1, ``*_perc_2020``) of each SOC 2010 unit
  group's records coded to each SOC 2020 unit group. Where a sample size is 0 the file gives
  proportions of 0; they are kept as published.
* SOC 2010 → SOC 2020 and SOC 2010/2020 → ISCO-08 from the SOC 2020 coding index (v12): the
  number of job titles per pair and their share of the unit group's titles (title weights, not
  employment weights). One SOC 2020 row codes to the index cross-reference ``}}}}`` instead of an
  ISCO-08 code; it is skipped with a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.classification.soc import SOC_VERSIONS
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.soc_crosswalks.checks import (
    CROSS_REFERENCE,
    check_counts,
    check_isco_codes,
    check_proportions,
    check_sums,
    check_unit_groups,
    parse_float,
    parse_int,
)
from lmi.datasets.soc_crosswalks.formats import DUAL_CODING_SPEC, INDEX_SHARES_SPEC, ISCO_SPECS
from lmi.datasets.soc_crosswalks.tables import (
    soc2010_soc2020_dual_coding,
    soc2010_soc2020_index_shares,
    soc_isco08,
)

__all__ = ["SOC_CROSSWALKS", "load_soc_crosswalks"]

DUAL_CODING = "soc_crosswalks/soc2010_to_soc2020_ons_dual_coding.csv"
INDEX_SHARES = "soc_crosswalks/soc2010_to_soc2020_from_coding_index.csv"
ISCO_FILES = {
    "soc2010": "soc_crosswalks/soc2010_to_isco08_from_coding_index.csv",
    "soc2020": "soc_crosswalks/soc2020_to_isco08_from_coding_index.csv",
}

#: table column → file column of the dual-coding file
_DUAL_COLUMNS = {
    f"{sex}_{source}_{kind}": f"{sex}_{source}_{'base_2010' if kind == 'base' else 'perc_2020'}"
    for sex in ("men", "women")
    for source in ("lfs", "census")
    for kind in ("base", "prop")
}


def load_soc_crosswalks(ctx: LoadContext) -> None:
    units: dict[str, set[str]] = {v: _unit_groups(ctx, v) for v in SOC_VERSIONS}
    dual = ctx.read_csv(DUAL_CODING)
    _check_dual_coding(dual, units)
    shares = ctx.read_csv(INDEX_SHARES)
    _check_index_shares(shares, units)
    isco = {version: ctx.read_csv(path) for version, path in ISCO_FILES.items()}
    for version, frame in isco.items():
        _check_isco(frame, version, units[version])
    if any(f.has_errors for f in (dual, shares, *isco.values())):
        return
    ctx.write(soc2010_soc2020_dual_coding, _dual_rows(dual))
    ctx.write(soc2010_soc2020_index_shares, _share_rows(shares))
    for version, frame in isco.items():
        ctx.write(soc_isco08, _isco_rows(frame, version))


def _unit_groups(ctx: LoadContext, version: str) -> set[str]:
    found = ctx.tx.execute(
        "SELECT code FROM soc_groups WHERE release_id = :r AND soc_version = :v "
        "AND level = 'unit_group'",
        {"r": ctx.release_id, "v": version},
    )
    codes = {row[0] for row in found.rows}
    if not codes:
        ctx.problem("error", "missing-dependency", f"no {version} unit groups in this release")
    return codes


def _check_dual_coding(frame: Frame, units: dict[str, set[str]]) -> None:
    if not frame.require_columns(["soc2010", "soc2020", *_DUAL_COLUMNS.values()]):
        return
    check_unit_groups(frame, "soc2010", units["soc2010"], version="SOC 2010")
    check_unit_groups(frame, "soc2020", units["soc2020"], version="SOC 2020")
    frame.check_unique("soc2010", "soc2020")
    for column, source in _DUAL_COLUMNS.items():
        if column.endswith("_base"):
            check_counts(frame, source, blank_ok=True)
        else:
            check_proportions(frame, source, blank_ok=True)
            base = source.replace("perc_2020", "base_2010")
            check_sums(frame, "soc2010", source, base=base, what="proportions")


def _check_index_shares(frame: Frame, units: dict[str, set[str]]) -> None:
    columns = ["soc2010", "soc2020", "n_index_entries", "share_of_soc2010_entries"]
    if not frame.require_columns(columns):
        return
    check_unit_groups(frame, "soc2010", units["soc2010"], version="SOC 2010")
    check_unit_groups(frame, "soc2020", units["soc2020"], version="SOC 2020")
    frame.check_unique("soc2010", "soc2020")
    check_counts(frame, "n_index_entries")
    check_proportions(frame, "share_of_soc2010_entries")
    check_sums(frame, "soc2010", "share_of_soc2010_entries")


def _check_isco(frame: Frame, version: str, units: set[str]) -> None:
    share = f"share_of_{version}_entries"
    if not frame.require_columns([version, "isco08", "n_index_entries", share]):
        return
    check_unit_groups(frame, version, units, version=version.replace("soc", "SOC "))
    check_isco_codes(frame, "isco08")
    frame.check_unique(version, "isco08")
    check_counts(frame, "n_index_entries")
    check_proportions(frame, share)
    check_sums(frame, version, share)


def _dual_rows(frame: Frame) -> Iterator[dict[str, Any]]:
    cols = frame.columns
    for i, (soc2010, soc2020) in enumerate(frame.rows("soc2010", "soc2020")):
        row: dict[str, Any] = {"soc2010": soc2010, "soc2020": soc2020}
        for column, source in _DUAL_COLUMNS.items():
            parse = parse_int if column.endswith("_base") else parse_float
            row[column] = parse(cols[source][i])
        yield row


def _share_rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for soc2010, soc2020, entries, share in frame.rows(
        "soc2010", "soc2020", "n_index_entries", "share_of_soc2010_entries"
    ):
        yield {
            "soc2010": soc2010,
            "soc2020": soc2020,
            "n_entries": parse_int(entries),
            "share": parse_float(share),
        }


def _isco_rows(frame: Frame, version: str) -> Iterator[dict[str, Any]]:
    for code, isco08, entries, share in frame.rows(
        version, "isco08", "n_index_entries", f"share_of_{version}_entries"
    ):
        if isco08 == CROSS_REFERENCE:
            continue
        yield {
            "soc_version": version,
            "soc_code": code,
            "isco08": isco08,
            "n_entries": parse_int(entries),
            "share": parse_float(share),
        }


ABOUT = About(
    coverage="Links from UK SOC 2010 to SOC 2020 unit groups (369 to 412), and from both to "
    "ISCO-08 unit groups. SOC 2010 to SOC 2020 comes two ways: ONS's dual coding of Labour "
    "Force Survey and Census 2011 records (proportions and sample sizes, by sex), and the number "
    "of job titles per pair in the SOC 2020 coding index.",
    currency="The dual-coding proportions are those ONS produced from LFS and Census 2011 "
    "records when introducing SOC 2020; the index-based shares come from the SOC 2020 coding "
    "index version 12 (April 2025).",
    frequency="The dual-coding tables are a one-off and are not expected to change; the "
    "index-based shares change when ONS issues a new SOC 2020 coding index and it is put in the "
    "source directory.",
    limitations="The dual-coding file is a re-keyed copy made by a third party, not ONS's own "
    "workbook (spot checks agree), and its Census proportions add up to 0.95-1.00 per SOC 2010 "
    "group because small residual categories were left out. Index-based shares count every job "
    "title equally, so they are not shares of employment.",
)

SOC_CROSSWALKS = Dataset(
    name="soc_crosswalks",
    title="ONS SOC 2010 → SOC 2020 dual coding (LFS, Census 2011) and SOC 2010/2020 → ISCO-08 "
    "from the SOC 2020 coding index v12",
    publisher="Office for National Statistics",
    licence="Open Government Licence v3.0",
    files=(
        SourceFile(
            DUAL_CODING,
            "SOC 2010 → SOC 2020 proportions from ONS dual coding, by sex",
            spec=DUAL_CODING_SPEC,
        ),
        SourceFile(
            INDEX_SHARES,
            "SOC 2010 → SOC 2020 job titles per pair in the coding index",
            spec=INDEX_SHARES_SPEC,
        ),
        SourceFile(
            ISCO_FILES["soc2010"],
            "SOC 2010 → ISCO-08 job titles per pair in the index",
            spec=ISCO_SPECS["soc2010"],
        ),
        SourceFile(
            ISCO_FILES["soc2020"],
            "SOC 2020 → ISCO-08 job titles per pair in the index",
            spec=ISCO_SPECS["soc2020"],
        ),
    ),
    tables=(soc2010_soc2020_dual_coding, soc2010_soc2020_index_shares, soc_isco08),
    snapshot_tables=("soc2010_soc2020_dual_coding", "soc2010_soc2020_index_shares", "soc_isco08"),
    load=load_soc_crosswalks,
    depends_on=("soc2010", "soc2020"),
    about=ABOUT,
)
