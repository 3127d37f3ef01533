"""Loader of O*NET 29.0 ``Occupation Data.txt``, as described in ``onet/PROVENANCE.md``.

The file is O*NET's tab-delimited text format (no quoting; header columns ``O*NET-SOC Code``,
``Title``, ``Description``), UTF-8 without BOM (the copy held is plain ASCII, LF line ends):
1,016 O*NET-SOC 2019 occupations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.onet.checks import OCCUPATION_COLUMNS, check_occupations
from lmi.datasets.onet.formats import OCCUPATION_DATA_SPEC
from lmi.datasets.onet.tables import onet_occupations

__all__ = [
    "ONET_FREQUENCY",
    "ONET_LICENCE",
    "ONET_OCCUPATIONS",
    "ONET_PUBLISHER",
    "load_onet_occupations",
]

OCCUPATION_DATA = "onet/original/Occupation Data.txt"

ONET_PUBLISHER = (
    "National Center for O*NET Development for the U.S. Department of Labor, Employment and "
    "Training Administration (USDOL/ETA)"
)
#: how O*NET is updated, shared by every O*NET dataset
ONET_FREQUENCY = (
    "O*NET publishes database releases several times a year, each updating some occupations; "
    "releases newer than 29.0 exist, and lmi picks one up when its files replace these in the "
    "source directory."
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


ABOUT = About(
    coverage="The 1,016 US occupations of the O*NET-SOC 2019 taxonomy, with titles and "
    "descriptions. They describe US jobs; lmi links them to UK SOC unit groups in onet_uk_soc.",
    currency="O*NET 29.0 Database (August 2024): the file is byte-identical to the Occupation "
    "Data of the 29.0 text release.",
    frequency=ONET_FREQUENCY,
    limitations="US occupations written for the US labour market: they are not UK SOC groups, "
    "and a UK job may match several or none. 137 of them have no skills or knowledge ratings "
    "in O*NET 29.0.",
)

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
    snapshot_tables=("onet_occupations",),
    load=load_onet_occupations,
    about=ABOUT,
)
