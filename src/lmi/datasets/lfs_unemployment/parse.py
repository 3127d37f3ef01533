"""Loader of the LFS unemployment-by-previous-occupation table (see :mod:`.formats`).

No real file is in the source directory yet: until one is, the API serves a clearly labelled
synthetic stand-in (:mod:`lmi.synth.labour`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.lfs_unemployment.checks import COLUMNS, check_lfs, number
from lmi.datasets.lfs_unemployment.formats import AREAS, LFS_SPEC
from lmi.datasets.lfs_unemployment.tables import AGE_BANDS, SEXES, lfs_unemployment
from lmi.datasets.lfs_unemployment.view import LFS_INDEX
from lmi.sdc import Policy, classify

__all__ = ["LFS", "LFS_POLICY", "LFS_UNEMPLOYMENT", "load_lfs"]

LFS = "lfs_unemployment/lfs_unemployment_by_previous_occupation.csv"
QUARTERS = {"Jan-Dec": 0, "Jan-Mar": 1, "Apr-Jun": 2, "Jul-Sep": 3, "Oct-Dec": 4}

LFS_POLICY = Policy(
    name="lfs",
    version="1",
    description=(
        "ONS LFS tables: `*` sample too small (withheld as unreliable), `..` not available; "
        "rates of groups with fewer than 10 thousand unemployed are served with caution "
        "(ONS treats LFS estimates under 10,000 as less reliable)."
    ),
    caution_count=10,
    count_unit="thousand unemployed",
    rounding={"rate": 0.1, "level": 0.1},
    symbols={
        "*": ("suppressed_quality", "ONS: sample too small for a reliable estimate"),
        "..": ("not_available", "ONS: not available"),
    },
)


def load_lfs(ctx: LoadContext) -> None:
    frame = ctx.read_csv(LFS)
    check_lfs(frame)
    if frame.has_errors:
        return
    ctx.write(lfs_unemployment, _rows(frame))


def _rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for (
        period,
        version,
        code,
        title,
        sex,
        age,
        area,
        area_name,
        unemployed,
        active,
        rate,
    ) in frame.rows(*COLUMNS):
        months, year = period.split()
        level = number(unemployed)
        served = classify(LFS_POLICY, rate.strip(), measure="rate", count=level)
        yield {
            "period": period,
            "soc_version": version.lower(),
            "occupation": code,
            "sex": SEXES[sex],
            "age_band": AGE_BANDS[age],
            "area": area,
            "year": int(year),
            "quarter": QUARTERS[months],
            "title": title.strip(),
            "area_name": area_name.strip() or AREAS[area],
            "unemployed": level,
            "active": number(active),
            "rate": served.value,
            "status": served.status,
            "rule": served.rule,
        }


ABOUT = About(
    coverage="Unemployed people whose last job (left within the past eight years) was in a "
    "SOC major or sub-major group, and unemployment rates by that occupation, by sex, age band, "
    "and UK, country or English region, from ONS Labour Force Survey tables.",
    currency="No ONS file is in the source directory yet, so the API serves a labelled "
    "synthetic stand-in for 2015-2024 by SOC major group. The loader accepts calendar quarters "
    "and annual (January-December) averages, on SOC 2010 or SOC 2020.",
    frequency="The Labour Force Survey runs continuously and ONS publishes estimates every "
    "quarter; lmi picks up a table when it is put in the source directory.",
    limitations="The synthetic figures are invented and must not be used for decisions. Real "
    "LFS figures are sample estimates: ONS withholds those with too small a sample, lmi serves "
    "rates of groups with fewer than 10,000 unemployed with caution, and ONS has warned since "
    "2023 that falling response rates make LFS estimates less reliable.",
)

LFS_UNEMPLOYMENT = Dataset(
    name="lfs_unemployment",
    title="ONS Labour Force Survey: unemployment by previous occupation (SOC major groups), by "
    "sex, age band and area",
    publisher="Office for National Statistics",
    licence="Open Government Licence v3.0",
    files=(
        SourceFile(
            LFS,
            "unemployment by previous occupation, long form (period × occupation × sex × age × "
            "area)",
            spec=LFS_SPEC,
        ),
    ),
    tables=(lfs_unemployment,),
    snapshot_tables=("lfs_unemployment",),
    views=(LFS_INDEX,),
    load=load_lfs,
    about=ABOUT,
)
