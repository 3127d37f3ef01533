"""Loaders of Census 2021 bulk files: TS063 occupation and TS058 distance travelled to work.

Files are ``census2021/census2021-<topic>-<level>.csv`` as ONS / Nomis name them; the lower-tier
local-authority file is required, the country, region and upper-tier files optional. An area
in two files (a unitary authority is both upper and lower tier) is loaded once. No real file
is in the source directory yet: until one is, the API serves labelled synthetic stand-ins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from lmi.checks import Frame
from lmi.classification.areas import normalise_name
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile, View
from lmi.datasets.census.formats import DISTANCE, LEVELS, OCCUPATION, Topic, spec_of
from lmi.datasets.census.tables import census_distance, census_occupation
from lmi.datasets.census.view import DISTANCE_AREAS, OCCUPATION_AREAS, CensusIndex

__all__ = ["CENSUS_DISTANCE", "CENSUS_OCCUPATION", "path_of"]

FOLDER = "census2021"
FIXED = ("date", "geography", "geography code")
#: categories may not add up to the total after cell-key perturbation: allowed gap
TOLERANCE = 0.01
#: load order: an area already loaded from an earlier level is skipped later
ORDER = ("ctry", "rgn", "utla", "ltla")


def path_of(topic: Topic, level: str) -> str:
    return f"{FOLDER}/census2021-{topic.code}-{level}.csv"


def _loader(topic: Topic, table: sa.Table) -> Any:
    def load(ctx: LoadContext) -> None:
        seen: set[str] = set()
        frames = []
        for level in ORDER:
            relative = path_of(topic, level)
            if not (ctx.source_dir / relative).is_file():
                continue
            frame = ctx.read_csv(relative)
            columns = _check(frame, topic)
            frames.append((level, frame, columns))
        if any(frame.has_errors for _, frame, _ in frames):
            return
        for level, frame, columns in frames:
            ctx.write(table, _rows(frame, topic, level, columns, seen))

    load.__name__ = f"load_census_{topic.code}"
    return load


def _label_key(text: str) -> str:
    return normalise_name(re.sub(r"^\d+\.\s*", "", text))


def _check(frame: Frame, topic: Topic) -> dict[str, str]:
    """Category code → column heading; missing categories and bad counts are errors."""
    if not frame.require_columns(FIXED):
        return {}
    wanted = {_label_key(label): code for code, label in topic.categories.items()}
    columns: dict[str, str] = {}
    for heading in frame.columns:
        if heading in FIXED:
            continue
        label = heading.split(": ", 1)[1] if ": " in heading else heading
        code = wanted.get(_label_key(label))
        if code is None:
            frame._add(
                "warning",
                "unknown-column",
                f"column {heading!r} is not a {topic.code.upper()} category: ignored",
                column=heading,
            )
        else:
            columns[code] = heading
    for code, label in topic.categories.items():
        if code not in columns:
            frame._add(
                "error", "missing-column", f"no column for the category {label!r}", column=label
            )
    frame.check_pattern("geography code", r"[EWKNS]\d{8}", what="a GSS area code")
    frame.check_unique("geography code")
    for heading in columns.values():
        frame.check(
            heading,
            lambda v: v.strip().isdigit(),
            code="bad-number",
            message="{value!r} is not a whole number of people",
        )
    if not frame.has_errors and "all" in columns:
        _check_sums(frame, columns)
    return columns


def _check_sums(frame: Frame, columns: dict[str, str]) -> None:
    parts = [h for c, h in columns.items() if c != "all"]
    findings = []
    for i, values in enumerate(frame.rows(columns["all"], *parts)):
        total, summed = int(values[0]), sum(int(v) for v in values[1:])
        if abs(summed - total) > max(10, TOLERANCE * total):
            findings.append(
                (i, columns["all"], f"categories sum to {summed:,}, the total is {total:,}")
            )
    frame.report_rows(findings, code="inconsistent", severity="warning")


def _rows(
    frame: Frame, topic: Topic, level: str, columns: dict[str, str], seen: set[str]
) -> Iterator[dict[str, Any]]:
    headings = list(columns.items())
    for i, (name, code) in enumerate(frame.rows("geography", "geography code")):
        if code in seen:
            continue
        seen.add(code)
        for category, heading in headings:
            yield {
                "area": code,
                "category": category,
                "geography": level,
                "area_name": name.strip(),
                "description": topic.categories[category],
                "value": int(frame.columns[heading][i]),
            }


def _dataset(
    topic: Topic, table: sa.Table, name: str, title: str, about: About, view: View[CensusIndex]
) -> Dataset:
    return Dataset(
        name=name,
        title=title,
        publisher="Office for National Statistics",
        licence="Open Government Licence v3.0",
        files=tuple(
            SourceFile(
                path_of(topic, level),
                f"Census 2021 {topic.code.upper()} for {LEVELS[level]} (ONS / Nomis bulk CSV)",
                required=level == "ltla",
                spec=spec_of(topic, level),
            )
            for level in ORDER
        ),
        tables=(table,),
        snapshot_tables=(table.name,),
        views=(view,),
        load=_loader(topic, table),
        about=about,
    )


#: what both Census topics share: no file yet, the census cycle, the 2021 caveats
_CURRENCY = (
    "No Census file is in the source directory yet, so the API serves labelled synthetic "
    "stand-ins with the shape of these tables. Real Census 2021 tables describe Census Day, "
    "21 March 2021."
)
_FREQUENCY = (
    "Every ten years: Census 2021 results do not change between censuses. lmi picks up the "
    "tables when ONS's bulk files are put in the source directory."
)
_SYNTHETIC = "The synthetic stand-ins are invented figures and must not be used for decisions."

OCCUPATION_ABOUT = About(
    coverage="Usual residents aged 16 and over who were in employment in the week before the "
    "census, by the SOC 2020 major group of their job, for the countries, English regions and "
    "local authorities of England and Wales. People are counted where they live, not where "
    "they work.",
    currency=_CURRENCY,
    frequency=_FREQUENCY,
    limitations=f"{_SYNTHETIC} Real Census 2021 figures split occupations only into the 9 "
    "major groups, were collected during a COVID-19 lockdown while many people were "
    "furloughed, and are perturbed by ONS for confidentiality, so categories may not add up "
    "exactly to the total; Scotland and Northern Ireland hold their own censuses and are not "
    "covered.",
)
DISTANCE_ABOUT = About(
    coverage="Usual residents aged 16 and over who were in employment in the week before the "
    "census, by distance travelled to work (from under 2 km to 60 km and over, mainly from "
    "home, or offshore, abroad or no fixed place), for the countries, English regions and local "
    "authorities of England and Wales, counted where they live.",
    currency=_CURRENCY,
    frequency=_FREQUENCY,
    limitations=f"{_SYNTHETIC} Census 2021 was taken during a COVID-19 lockdown, so real "
    "figures on working from home and travel reflect pandemic conditions and ONS advises care "
    "in comparing them with 2011; ONS perturbs the counts for confidentiality, so categories "
    "may not add up exactly to the total. Scotland and Northern Ireland hold their own "
    "censuses and are not covered.",
)


CENSUS_OCCUPATION = _dataset(
    OCCUPATION,
    census_occupation,
    "census_occupation",
    "ONS Census 2021 TS063: occupation (SOC 2020 major group) of usual residents aged 16+ in "
    "employment, by area",
    OCCUPATION_ABOUT,
    OCCUPATION_AREAS,
)
CENSUS_DISTANCE = _dataset(
    DISTANCE,
    census_distance,
    "census_distance",
    "ONS Census 2021 TS058: distance travelled to work of usual residents aged 16+ in "
    "employment, by area",
    DISTANCE_ABOUT,
    DISTANCE_AREAS,
)
