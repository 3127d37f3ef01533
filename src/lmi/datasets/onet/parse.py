"""Loader of O*NET 29.0 ``Occupation Data.txt``, as described in ``onet/PROVENANCE.md``.

The file is O*NET's tab-delimited text format (no quoting; header columns ``O*NET-SOC Code``,
``Title``, ``Description``), UTF-8 without BOM (the copy held is plain ASCII, LF line ends):
1,016 O*NET-SOC 2019 occupations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.datasets.base import Dataset, LoadContext, SourceFile
from lmi.datasets.onet.checks import OCCUPATION_COLUMNS, check_occupations
from lmi.datasets.onet.formats import OCCUPATION_DATA_SPEC
from lmi.datasets.onet.tables import onet_occupations

__all__ = ["ONET_LICENCE", "ONET_OCCUPATIONS", "ONET_PUBLISHER", "load_onet_occupations"]

OCCUPATION_DATA = "onet/original/Occupation Data.txt"

ONET_PUBLISHER = (
    "National Center for O*NET Development for the U.S. Department of Labor, Employment and "
    "Training Administration (USDOL/ETA)"
)
ONET_LICENCE = (
    "CC BY 4.0. This product includes information from the O*NET 29.0 Database by the U.S. "
    "Department of Labor, Employment and Training Administration (USDOL/ETA). Used under the "
    "CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA."
)


def load_onet_occupations(ctx: LoadContext) -> None:
    frame = ctx.read_csv(OCCUPATION_DATA, delimiter="\t", encoding="utf-8")
    check_occupations(frame)
    if frame.has_errors:
        return
    ctx.write(onet_occupations, _occupation_rows(frame))


def _occupation_rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for code, title, description in frame.rows(*OCCUPATION_COLUMNS):
        yield {"onet_code": code, "title": title.strip(), "description": description.strip()}


ONET_OCCUPATIONS = Dataset(
    name="onet_occupations",
    title="O*NET 29.0 Database: Occupation Data (O*NET-SOC 2019 codes, titles, descriptions)",
    publisher=ONET_PUBLISHER,
    licence=ONET_LICENCE,
    files=(
        SourceFile(
            OCCUPATION_DATA,
            "1,016 O*NET-SOC occupations, tab-delimited text",
            spec=OCCUPATION_DATA_SPEC,
        ),
    ),
    tables=(onet_occupations,),
    load=load_onet_occupations,
)
