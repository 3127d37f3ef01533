"""Loader of ISCO-08 and the BLS crosswalks, as described in ``isco/PROVENANCE.md``.

* ISCO-08 structure (10 major, 43 sub-major, 130 minor, 436 unit groups) from the
  ``ISCO-08 framework`` sheet of the ONS SOC 2020 coding index.
* US BLS ISCO-08 → 2010 SOC crosswalk (2012, updated 2015). The BLS file pads some codes with a
  trailing space (``55-1011 ``, ``3322 ``): codes are stripped. ``*`` in column ``part`` marks a
  partial match. Two BLS rows map to a 3-digit ISCO-08 minor group (211, 315), as published.
* US BLS 2010 SOC → 2018 SOC crosswalk (2017). Its titles carry BLS's split/merge markers
  (``(#)`` after a 2010 title split among 2018 codes, ``(##)`` after a 2018 title formed from
  several 2010 codes); the pairs say the same, so the markers are dropped from the titles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.isco.checks import check_isco_structure, check_us_soc_codes
from lmi.datasets.isco.formats import BLS_2018_SPEC, BLS_ISCO_SPEC, STRUCTURE_SPEC
from lmi.datasets.isco.tables import isco08_groups, isco08_us_soc2010, us_soc2010_soc2018

__all__ = ["ISCO", "load_isco"]

STRUCTURE = "isco/isco08_structure_from_ons_soc2020_index.csv"
ISCO_US_SOC = "isco/isco08_to_us_soc2010_bls.csv"
US_SOC_2018 = "isco/us_soc2010_to_soc2018_bls.csv"

#: structure file level → table level (as in SOC: ``unit_group``)
LEVELS = {"major": "major", "sub_major": "sub_major", "minor": "minor", "unit": "unit_group"}

#: BLS split/merge marker at the end of a title, ``Software Developers (##)``
_BLS_MARKER = re.compile(r"\s*\(#{1,2}\)$")

_BLS_ISCO = ["ISCO-08 Code", "ISCO-08 Title EN", "part", "2010 SOC Code", "2010 SOC Title"]
_BLS_2018 = ["2010 SOC Code", "2010 SOC Title", "2018 SOC Code", "2018 SOC Title"]


def load_isco(ctx: LoadContext) -> None:
    structure = ctx.read_csv(STRUCTURE)
    check_isco_structure(structure)
    bls = ctx.read_csv(ISCO_US_SOC)
    soc2018 = ctx.read_csv(US_SOC_2018)
    if structure.has_errors:
        return
    _check_bls_isco(bls, set(structure.columns["isco08"]))
    _check_us_soc_2018(soc2018)
    if bls.has_errors or soc2018.has_errors:
        return
    ctx.write(isco08_groups, _group_rows(structure))
    ctx.write(isco08_us_soc2010, _bls_isco_rows(bls))
    ctx.write(us_soc2010_soc2018, _soc2018_rows(soc2018))


def strip_columns(frame: Frame, *columns: str) -> None:
    """Drop the spaces around codes (the BLS files pad some codes with one)."""
    for column in columns:
        frame.columns[column] = [v.strip() for v in frame.columns[column]]


def _check_bls_isco(frame: Frame, isco_codes: set[str]) -> None:
    if not frame.require_columns(_BLS_ISCO):
        return
    strip_columns(frame, "ISCO-08 Code", "2010 SOC Code", "part")
    frame.check_in("ISCO-08 Code", isco_codes, what="an ISCO-08 code of the ISCO-08 structure")
    check_us_soc_codes(frame, "2010 SOC Code")
    frame.check_in("part", {"", "*"}, what="'*' (partial match) or blank")
    frame.check_unique("ISCO-08 Code", "2010 SOC Code")
    frame.check_not_blank("2010 SOC Title")


def _check_us_soc_2018(frame: Frame) -> None:
    if not frame.require_columns(_BLS_2018):
        return
    strip_columns(frame, "2010 SOC Code", "2018 SOC Code")
    check_us_soc_codes(frame, "2010 SOC Code", "2018 SOC Code")
    frame.check_unique("2010 SOC Code", "2018 SOC Code")
    frame.check_not_blank("2018 SOC Title")


def _group_rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for code, level, title, parent in frame.rows("isco08", "level", "title", "parent"):
        yield {
            "code": code,
            "level": LEVELS[level],
            "title": title.strip(),
            "parent_code": parent or None,
        }


def _bls_isco_rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for isco08, isco_title, part, us_soc, us_title in frame.rows(*_BLS_ISCO):
        yield {
            "isco08": isco08,
            "us_soc2010": us_soc,
            "partial": part == "*",
            "isco08_title": isco_title.strip(),
            "us_soc2010_title": us_title.strip(),
        }


def _soc2018_rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for us2010, title2010, us2018, title2018 in frame.rows(*_BLS_2018):
        yield {
            "us_soc2010": us2010,
            "us_soc2018": us2018,
            "us_soc2010_title": _BLS_MARKER.sub("", title2010.strip()),
            "us_soc2018_title": _BLS_MARKER.sub("", title2018.strip()),
        }


ABOUT = About(
    coverage="The International Standard Classification of Occupations 2008 (10 major, 43 "
    "sub-major, 130 minor and 436 unit groups, titles only), and two US Bureau of Labor "
    "Statistics crosswalks: ISCO-08 to US SOC 2010 (1,125 mappings) and US SOC 2010 to US SOC "
    "2018 (900 mappings). With soc_crosswalks they are lmi's route from UK SOC to O*NET.",
    currency="ISCO-08 as reproduced in ONS's SOC 2020 coding index workbook (April 2025); the "
    "BLS ISCO-08 crosswalk of August 2012 (updated June 2015) and the BLS 2010 to 2018 SOC "
    "crosswalk of November 2017.",
    frequency="Rarely: ISCO-08 has been the ILO standard since 2008, and the BLS crosswalks are "
    "fixed files revised only when a classification changes.",
    limitations="The crosswalks are many-to-many and BLS marks partial matches, so a code on "
    "one side often has several counterparts on the other. The ISCO-08 structure is ONS's copy "
    "of the ILO's, without the ILO's descriptions.",
)

ISCO = Dataset(
    name="isco",
    title="ISCO-08 structure (ILO, as reproduced in the ONS SOC 2020 coding index); BLS "
    "ISCO-08 ↔ 2010 SOC crosswalk (2015) and 2010 → 2018 SOC crosswalk (2017)",
    publisher="International Labour Organization (ISCO-08, via ONS); US Bureau of Labor "
    "Statistics (crosswalks)",
    licence="Public domain (US Government work, BLS crosswalks); ISCO-08 structure as published "
    "by ONS under the Open Government Licence v3.0",
    files=(
        SourceFile(STRUCTURE, "ISCO-08 structure: 10 major … 436 unit groups", spec=STRUCTURE_SPEC),
        SourceFile(
            ISCO_US_SOC, "BLS ISCO-08 → 2010 SOC crosswalk (1,125 mappings)", spec=BLS_ISCO_SPEC
        ),
        SourceFile(
            US_SOC_2018, "BLS 2010 SOC → 2018 SOC crosswalk (900 mappings)", spec=BLS_2018_SPEC
        ),
    ),
    tables=(isco08_groups, isco08_us_soc2010, us_soc2010_soc2018),
    snapshot_tables=("isco08_groups", "isco08_us_soc2010", "us_soc2010_soc2018"),
    load=load_isco,
    about=ABOUT,
)
