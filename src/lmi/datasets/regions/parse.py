"""Loader of the UK ITL (January 2021) code lists, as described in ``regions/PROVENANCE.md``.

The 12 ITL1 regions carry the 1–12 codes LMI for All used (1 London … 12 Northern Ireland, see
:mod:`lmi.classification.regions`) and, for English regions, the RGN23 code. ITL2 (41) and ITL3
(179) areas go to ``itl_areas`` with their parent code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.classification.regions import LMI_REGION_CODES
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.regions.checks import check_itl1, check_itl2, check_itl3
from lmi.datasets.regions.formats import ITL1_SPEC, ITL2_SPEC, ITL3_SPEC
from lmi.datasets.regions.tables import itl_areas, regions

__all__ = ["REGIONS", "load_regions"]

ITL1 = "regions/uk_itl1_2021.csv"
ITL2 = "regions/uk_itl2_2021.csv"
ITL3 = "regions/uk_itl3_2021.csv"

#: ITL1 code → LMI for All region code
LMI_CODE_OF = {itl1: lmi for lmi, itl1 in LMI_REGION_CODES.items()}


def load_regions(ctx: LoadContext) -> None:
    itl1 = ctx.read_csv(ITL1)
    check_itl1(itl1, set(LMI_CODE_OF))
    itl2 = ctx.read_csv(ITL2)
    itl3 = ctx.read_csv(ITL3)
    if itl1.has_errors:
        return
    check_itl2(itl2, set(itl1.columns["itl121cd"]))
    if itl2.has_errors:
        return
    check_itl3(itl3, set(itl2.columns["itl221cd"]))
    if itl3.has_errors:
        return
    ctx.write(regions, _region_rows(itl1))
    ctx.write(itl_areas, _area_rows(itl2, "itl2", "itl221cd", "itl221nm", "itl121cd"))
    ctx.write(itl_areas, _area_rows(itl3, "itl3", "itl321cd", "itl321nm", "itl221cd"))


def _region_rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for code, name, rgn23, country in frame.rows(
        "itl121cd", "itl121nm", "rgn23cd_if_english_region", "country"
    ):
        yield {
            "itl1_code": code,
            "name": name.strip(),
            "lmi_code": LMI_CODE_OF[code],
            "rgn23_code": rgn23 or None,
            "country": country,
        }


def _area_rows(
    frame: Frame, level: str, code: str, name: str, parent: str
) -> Iterator[dict[str, Any]]:
    for area, area_name, parent_code in frame.rows(code, name, parent):
        yield {"code": area, "level": level, "name": area_name.strip(), "parent_code": parent_code}


ABOUT = About(
    coverage="Code lists of the UK's International Territorial Levels: the 12 ITL1 regions (9 "
    "English regions, Wales, Scotland and Northern Ireland) with the GSS codes of the English "
    "regions, 41 ITL2 and 179 ITL3 areas, each with its parent.",
    currency="ITL January 2021 editions from the ONS Open Geography Portal; English region "
    "codes from Regions (December 2023).",
    frequency="Changed only when ONS revises the geography, which it does from time to time; "
    "lmi picks up a new edition when its files replace these in the source directory.",
    limitations="Codes and names only: no boundaries, populations or statistics, and no local "
    "authorities. A later ITL edition may change ITL2 and ITL3 areas.",
)

REGIONS = Dataset(
    name="regions",
    title="ONS International Territorial Levels (January 2021): ITL1 regions, ITL2 and ITL3 "
    "areas; English regions (December 2023) codes",
    publisher="Office for National Statistics (Open Geography Portal)",
    licence="Open Government Licence v3.0; contains OS data © Crown copyright and database right",
    files=(
        SourceFile(ITL1, "12 ITL1 regions with RGN23 codes of English regions", spec=ITL1_SPEC),
        SourceFile(ITL2, "41 ITL2 areas", spec=ITL2_SPEC),
        SourceFile(ITL3, "179 ITL3 areas", spec=ITL3_SPEC),
    ),
    tables=(regions, itl_areas),
    snapshot_tables=("regions", "itl_areas"),
    load=load_regions,
    about=ABOUT,
)
