"""Loader of the UK SIC 2007 structure, as described in ``sic2007/PROVENANCE.md``.

One row per code of the five levels (ONS hierarchy viewer data). ``detail`` keeps ONS's ``<BR>``
markup and ``##`` before codes cross-referenced in the text; ``includes``/``excludes`` are
stored as JSON lists of strings (the file writes them as Python list literals).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.sic2007.checks import check_structure, parent_of, parse_text_list
from lmi.datasets.sic2007.formats import STRUCTURE_SPEC
from lmi.datasets.sic2007.tables import sic2007

__all__ = ["SIC2007", "load_sic2007"]

STRUCTURE = "sic2007/sic2007_structure.csv"


def load_sic2007(ctx: LoadContext) -> None:
    frame = ctx.read_csv(STRUCTURE)
    check_structure(frame)
    if frame.has_errors:
        return
    ctx.write(sic2007, _rows(frame))


def _rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for code, level, section, title, detail, includes, excludes in frame.rows(
        "code", "level", "section", "title", "detail", "includes", "excludes"
    ):
        yield {
            "code": code,
            "level": level,
            "section": section,
            "title": title.strip(),
            "detail": detail.strip() or None,
            "includes": _json_list(includes),
            "excludes": _json_list(excludes),
            "parent_code": parent_of(code, level, section),
        }


def _json_list(value: str) -> str | None:
    items = parse_text_list(value)
    return json.dumps(items, ensure_ascii=False) if items else None


ABOUT = About(
    coverage="The UK Standard Industrial Classification 2007: 21 sections, 88 divisions, 272 "
    "groups, 615 classes and 191 subclasses, with ONS's detail, includes and excludes notes. "
    "It classifies business activities; it is not a count of businesses or jobs.",
    currency="UK SIC 2007 as held in the data file of ONS's SIC hierarchy viewer.",
    frequency="ONS revises SIC rarely (SIC 2007 replaced SIC 2003 from 2008); lmi picks up a "
    "new version only when its files are put in the source directory.",
    limitations="Notes keep the viewer's markup (line breaks as <BR>, ## before "
    "cross-referenced codes) and are its text, not ONS's printed manual; only 343 codes have a "
    "detail note.",
)

SIC2007 = Dataset(
    name="sic2007",
    title="UK Standard Industrial Classification of Economic Activities 2007 (UK SIC 2007): "
    "structure with detail, includes and excludes",
    publisher="Office for National Statistics",
    licence="Open Government Licence v3.0",
    files=(
        SourceFile(STRUCTURE, "21 sections … 191 subclasses with their notes", spec=STRUCTURE_SPEC),
    ),
    tables=(sic2007,),
    snapshot_tables=("sic2007",),
    load=load_sic2007,
    about=ABOUT,
)
