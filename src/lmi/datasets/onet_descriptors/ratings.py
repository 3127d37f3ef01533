"""Loaders of O*NET's rating files: Skills, Knowledge, Abilities, Work Activities, Work Styles,
Work Values and Interests.

O*NET publishes each as a tab-delimited text file, one row per (O*NET-SOC occupation, element,
scale) with the columns ``O*NET-SOC Code``, ``Element ID``, ``Element Name``, ``Scale ID``,
``Data Value`` and, depending on the file, ``N``, ``Standard Error``, ``Lower CI Bound``,
``Upper CI Bound``, ``Recommend Suppress``, ``Not Relevant``, ``Date``, ``Domain Source``
(missing values written ``n/a``). Skills and Knowledge are read from the CSV copies described in
``onet/PROVENANCE.md`` (same fields, snake_case names, comma-separated); the other files are read
in the text layout. Abilities and Work Activities are not in the source directory yet: their
loaders follow O*NET's text layout and report "missing" until the files arrive.

Checks: missing columns, malformed or unknown O*NET-SOC codes (against Occupation Data in the
same release), unexpected scales, non-numeric or out-of-scale values (with file line and
column), bad Y/N flags and duplicate (occupation, element, scale) keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from lmi.checks import Frame
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile
from lmi.datasets.onet.parse import ONET_FREQUENCY, ONET_LICENCE, ONET_PUBLISHER
from lmi.datasets.onet_descriptors.checks import (
    check_flags,
    check_numbers,
    check_onet_codes,
    check_range,
    flag,
    integer,
    known_onet_codes,
    number,
)
from lmi.datasets.onet_descriptors.tables import RATING_TABLES

__all__ = [
    "CSV_LAYOUT",
    "RATING_DATASETS",
    "RatingLayout",
    "RatingSpec",
    "TEXT_LAYOUT",
    "rating_dataset",
]

TEXT_DIR = "onet/original/db_29_0_text"


@dataclass(frozen=True)
class RatingLayout:
    """Column names of a rating file; ``None``: the file has no such column."""

    delimiter: str
    code: str
    element_id: str
    element_name: str
    scale_id: str
    value: str
    n: str | None
    standard_error: str | None
    recommend_suppress: str | None
    not_relevant: str | None
    date: str | None
    domain_source: str | None

    def required(self) -> list[str]:
        names = (
            self.code,
            self.element_id,
            self.element_name,
            self.scale_id,
            self.value,
            self.n,
            self.standard_error,
            self.recommend_suppress,
            self.not_relevant,
            self.date,
            self.domain_source,
        )
        return [n for n in names if n is not None]


#: O*NET's tab-delimited text release (Skills.txt, Abilities.txt, Work Activities.txt, …)
TEXT_LAYOUT = RatingLayout(
    "\t",
    "O*NET-SOC Code",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Data Value",
    "N",
    "Standard Error",
    "Recommend Suppress",
    "Not Relevant",
    "Date",
    "Domain Source",
)
#: the CSV copies of Skills and Knowledge (``onet/PROVENANCE.md``, "Derived")
CSV_LAYOUT = RatingLayout(
    ",",
    "onet_soc_code",
    "element_id",
    "element_name",
    "scale_id",
    "data_value",
    "n",
    "standard_error",
    "recommend_suppress",
    "not_relevant",
    "date",
    "domain_source",
)
#: Work Styles.txt: importance only, no Not Relevant column
STYLES_LAYOUT = replace(TEXT_LAYOUT, not_relevant=None)
#: Interests.txt and Work Values.txt: no N, standard errors or flags
PROFILE_LAYOUT = replace(
    TEXT_LAYOUT, n=None, standard_error=None, recommend_suppress=None, not_relevant=None
)

IMPORTANCE_LEVEL = {"IM": (1.0, 5.0), "LV": (0.0, 7.0)}


@dataclass(frozen=True)
class RatingSpec:
    domain: str
    title: str
    path: str
    description: str
    layout: RatingLayout
    #: allowed scales and their (minimum, maximum), from O*NET's Scales Reference
    scales: dict[str, tuple[float, float]]
    #: for the data page (``Dataset.about``)
    about: About


def load_ratings(ctx: LoadContext, spec: RatingSpec) -> None:
    known = known_onet_codes(ctx)
    layout = spec.layout
    encoding = "utf-8-sig" if layout.delimiter == "," else "utf-8"
    frame = ctx.read_csv(spec.path, delimiter=layout.delimiter, encoding=encoding)
    if frame.has_errors or not known:
        return
    check_ratings(frame, layout, spec.scales, known)
    if frame.has_errors:
        return
    ctx.write(RATING_TABLES[spec.domain], rating_rows(frame, layout))


def check_ratings(
    frame: Frame, layout: RatingLayout, scales: dict[str, tuple[float, float]], known: set[str]
) -> None:
    if not frame.require_columns(layout.required()):
        return
    check_onet_codes(frame, layout.code, known)
    frame.check_not_blank(layout.element_id)
    frame.check_in(layout.scale_id, set(scales), what=f"a scale of this file ({', '.join(scales)})")
    check_numbers(frame, layout.value)
    check_range(frame, layout.value, layout.scale_id, scales)
    if layout.n is not None:
        check_numbers(frame, layout.n, optional=True, whole=True)
    if layout.standard_error is not None:
        check_numbers(frame, layout.standard_error, optional=True)
    for column in (layout.recommend_suppress, layout.not_relevant):
        if column is not None:
            check_flags(frame, column)
    frame.check_unique(layout.code, layout.element_id, layout.scale_id)


def _column(frame: Frame, name: str | None) -> list[str]:
    return frame.columns[name] if name is not None else [""] * frame.height


def rating_rows(frame: Frame, layout: RatingLayout) -> Iterator[dict[str, Any]]:
    columns = zip(
        *(
            _column(frame, name)
            for name in (
                layout.code,
                layout.element_id,
                layout.element_name,
                layout.scale_id,
                layout.value,
                layout.n,
                layout.standard_error,
                layout.recommend_suppress,
                layout.not_relevant,
                layout.date,
                layout.domain_source,
            )
        ),
        strict=True,
    )
    for code, element, name, scale, value, n, se, suppress, irrelevant, date, source in columns:
        yield {
            "onet_code": code.strip(),
            "element_id": element.strip(),
            "scale_id": scale.strip(),
            "element_name": name.strip(),
            "value": float(value),
            "n": integer(n),
            "standard_error": number(se),
            "recommend_suppress": flag(suppress),
            "not_relevant": flag(irrelevant),
            "date": date.strip() or None,
            "domain_source": source.strip() or None,
        }


def rating_dataset(spec: RatingSpec) -> Dataset:
    table: sa.Table = RATING_TABLES[spec.domain]

    def load(ctx: LoadContext) -> None:
        load_ratings(ctx, spec)

    return Dataset(
        name=f"onet_{spec.domain}",
        title=f"O*NET 29.0 Database: {spec.title}",
        publisher=ONET_PUBLISHER,
        licence=ONET_LICENCE,
        files=(SourceFile(spec.path, spec.description, required=True),),
        tables=(table,),
        load=load,
        depends_on=("onet_occupations",),
        about=spec.about,
    )


#: what every rating file shares: US ratings of US occupations
_US_RATINGS = "They describe US occupations, not UK jobs (see onet_uk_profiles for UK SOC)."
_MISSING = (
    "No file in the source directory yet, so nothing is loaded or served; the loader expects "
    "O*NET's tab-delimited text layout of the 29.0 release."
)


SPECS = (
    RatingSpec(
        "skills",
        "Skills (35 elements, importance and level)",
        "onet/onet_skills_db29_0.csv",
        "Skills ratings (IM 1–5, LV 0–7) of 879 occupations, CSV copy of O*NET's Skills.xlsx",
        CSV_LAYOUT,
        IMPORTANCE_LEVEL,
        About(
            coverage="Importance (1-5) and level (0-7) of 35 skills, such as active listening "
            "or programming, for 879 of the 1,016 O*NET-SOC occupations, with sample size, "
            "standard error and O*NET's flags.",
            currency="O*NET 29.0 (August 2024), from O*NET's Excel release; individual "
            "ratings are dated 2010 to 2024, because O*NET re-rates occupations a few at a "
            "time.",
            frequency=ONET_FREQUENCY,
            limitations="Ratings by O*NET's occupational analysts. "
            + _US_RATINGS
            + " 124 ratings are flagged Recommend Suppress (low precision), and a level "
            "flagged Not Relevant counts as 0.",
        ),
    ),
    RatingSpec(
        "knowledge",
        "Knowledge (33 elements, importance and level)",
        "onet/onet_knowledge_db29_0.csv",
        "Knowledge ratings (IM 1–5, LV 0–7) of 879 occupations, CSV copy of O*NET's Knowledge.xlsx",
        CSV_LAYOUT,
        IMPORTANCE_LEVEL,
        About(
            coverage="Importance (1-5) and level (0-7) of 33 knowledge areas, such as "
            "mathematics or customer and personal service, for 879 of the 1,016 O*NET-SOC "
            "occupations, with sample size, standard error and O*NET's flags.",
            currency="O*NET 29.0 (August 2024), from O*NET's Excel release; individual "
            "ratings are dated 2004 to 2024, because O*NET re-rates occupations a few at a "
            "time.",
            frequency=ONET_FREQUENCY,
            limitations="Ratings from surveys of job holders and occupational experts. "
            + _US_RATINGS
            + " 4,797 ratings are flagged Recommend Suppress (low precision), and the 1,386 "
            "ratings O*NET marks Analyst - Transition have no sample size.",
        ),
    ),
    RatingSpec(
        "abilities",
        "Abilities (52 elements, importance and level)",
        f"{TEXT_DIR}/Abilities.txt",
        "Abilities ratings (IM, LV), O*NET tab-delimited text (not yet in the source files)",
        TEXT_LAYOUT,
        IMPORTANCE_LEVEL,
        About(
            coverage="Importance and level of 52 abilities (cognitive, physical, "
            "psychomotor and sensory) for O*NET-SOC occupations, once O*NET's Abilities file "
            "is in the source directory.",
            currency=_MISSING,
            frequency=ONET_FREQUENCY,
            limitations="Missing until the file is obtained, so UK profiles have no "
            "abilities. " + _US_RATINGS,
        ),
    ),
    RatingSpec(
        "work_activities",
        "Work Activities (41 elements, importance and level)",
        f"{TEXT_DIR}/Work Activities.txt",
        "Work Activities ratings (IM, LV), O*NET tab-delimited text (not yet in the source files)",
        TEXT_LAYOUT,
        IMPORTANCE_LEVEL,
        About(
            coverage="Importance and level of 41 generalised work activities, such as "
            "working with computers or assisting and caring for others, for O*NET-SOC "
            "occupations, once O*NET's Work Activities file is in the source directory.",
            currency=_MISSING,
            frequency=ONET_FREQUENCY,
            limitations="Missing until the file is obtained, so UK profiles have no work "
            "activities. " + _US_RATINGS,
        ),
    ),
    RatingSpec(
        "work_styles",
        "Work Styles (importance)",
        f"{TEXT_DIR}/Work Styles.txt",
        "Work Styles importance (IM 1–5) of 879 occupations, O*NET tab-delimited text",
        STYLES_LAYOUT,
        {"IM": (1.0, 5.0)},
        About(
            coverage="Importance (1-5) of 16 work styles, personal characteristics such as "
            "dependability, stress tolerance or attention to detail, for 879 O*NET-SOC "
            "occupations.",
            currency="O*NET 29.0 (August 2024); individual ratings are dated 2004 to 2024, "
            "because O*NET re-rates occupations a few at a time.",
            frequency=ONET_FREQUENCY,
            limitations="Ratings from surveys of job holders and occupational experts, "
            "some of them old. " + _US_RATINGS,
        ),
    ),
    RatingSpec(
        "work_values",
        "Work Values (extent and high points)",
        f"{TEXT_DIR}/Work Values.txt",
        "Work Values extent (EX 1–7) and high points (VH) of 874 occupations, O*NET "
        "tab-delimited text",
        PROFILE_LAYOUT,
        {"EX": (1.0, 7.0), "VH": (0.0, 6.0)},
        About(
            coverage="How far each of 874 O*NET-SOC occupations offers six work values "
            "(achievement, independence, recognition, relationships, support, working "
            "conditions) on a 1-7 scale, and its three highest.",
            currency="O*NET 29.0 (August 2024).",
            frequency=ONET_FREQUENCY,
            limitations="Values describe what the work offers, as judged by O*NET analysts, "
            "not what the people doing it want. " + _US_RATINGS,
        ),
    ),
    RatingSpec(
        "interests",
        "Interests (RIASEC occupational interests and high points)",
        f"{TEXT_DIR}/Interests.txt",
        "RIASEC interest scores (OI 1–7) and high points (IH) of 923 occupations, O*NET "
        "tab-delimited text",
        PROFILE_LAYOUT,
        {"OI": (1.0, 7.0), "IH": (0.0, 6.0)},
        About(
            coverage="RIASEC occupational interest scores (realistic, investigative, "
            "artistic, social, enterprising, conventional; 1-7) and high points for 923 "
            "O*NET-SOC occupations.",
            currency="O*NET 29.0 (August 2024); every profile comes from O*NET's 2023 "
            "machine-learning interest profiles.",
            frequency=ONET_FREQUENCY,
            limitations="Scores were produced by a machine-learning model rather than by "
            "surveys or analysts. " + _US_RATINGS,
        ),
    ),
)

RATING_DATASETS: dict[str, Dataset] = {spec.domain: rating_dataset(spec) for spec in SPECS}
