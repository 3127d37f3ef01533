"""Loaders of the other O*NET 29.0 text files: reference tables, job zones, education and
training, technology skills, task statements and related occupations.

All are O*NET's tab-delimited text layout (header row, no quoting, ``n/a`` for missing values).
``Task Statements.txt`` comes from another O*NET release than 29.0 (``onet/PROVENANCE.md``); its
codes are checked against Occupation Data like every other file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
from lmi.datasets.onet_descriptors.ratings import TEXT_DIR
from lmi.datasets.onet_descriptors.tables import (
    onet_content_model,
    onet_education,
    onet_education_categories,
    onet_job_zone_reference,
    onet_job_zones,
    onet_related_occupations,
    onet_scales,
    onet_tasks,
    onet_technology_skills,
)

__all__ = [
    "ONET_EDUCATION",
    "ONET_JOB_ZONES",
    "ONET_REFERENCE",
    "ONET_RELATED_OCCUPATIONS",
    "ONET_TASKS",
    "ONET_TECHNOLOGY_SKILLS",
]

CONTENT_MODEL = f"{TEXT_DIR}/Content Model Reference.txt"
SCALES = f"{TEXT_DIR}/Scales Reference.txt"
JOB_ZONES = f"{TEXT_DIR}/Job Zones.txt"
JOB_ZONE_REFERENCE = f"{TEXT_DIR}/Job Zone Reference.txt"
EDUCATION = f"{TEXT_DIR}/Education, Training, and Experience.txt"
EDUCATION_CATEGORIES = f"{TEXT_DIR}/Education, Training, and Experience Categories.txt"
TECHNOLOGY = f"{TEXT_DIR}/Technology Skills.txt"
TASKS = "onet/original/Task Statements.txt"
RELATED = f"{TEXT_DIR}/Related Occupations.txt"

Check = Callable[[Frame], None]
Rows = Callable[[Frame], Iterator[dict[str, Any]]]


def _read(ctx: LoadContext, path: str, columns: list[str], check: Check) -> Frame | None:
    """The file's frame when it has ``columns`` and passes ``check``; None otherwise."""
    frame = ctx.read_csv(path, delimiter="\t", encoding="utf-8")
    if frame.has_errors or not frame.require_columns(columns):
        return None
    check(frame)
    return None if frame.has_errors else frame


def _strip(frame: Frame, columns: list[str]) -> Iterator[list[str]]:
    for row in frame.rows(*columns):
        yield [value.strip() for value in row]


def _dataset(
    name: str,
    title: str,
    files: tuple[SourceFile, ...],
    tables: tuple[sa.Table, ...],
    load: Callable[[LoadContext], None],
    *,
    about: About,
    occupations: bool = True,
    snapshot_tables: tuple[str, ...] = (),
) -> Dataset:
    return Dataset(
        name=name,
        title=f"O*NET 29.0 Database: {title}",
        publisher=ONET_PUBLISHER,
        licence=ONET_LICENCE,
        files=files,
        tables=tables,
        load=load,
        depends_on=("onet_occupations",) if occupations else (),
        about=about,
        snapshot_tables=snapshot_tables,
    )


#: the currency of the files of the O*NET 29.0 text release
_CURRENCY_29 = "O*NET 29.0 Database (August 2024), tab-delimited text release."
_US = "They describe US occupations, not UK jobs (see onet_uk_profiles for UK SOC)."


# -- reference: content model and scales -------------------------------------------------------

CONTENT_COLUMNS = ["Element ID", "Element Name", "Description"]
SCALE_COLUMNS = ["Scale ID", "Scale Name", "Minimum", "Maximum"]


def _check_content_model(frame: Frame) -> None:
    frame.check_not_blank("Element ID")
    frame.check_not_blank("Element Name")
    frame.check_unique("Element ID")


def _check_scales(frame: Frame) -> None:
    frame.check_not_blank("Scale ID")
    check_numbers(frame, "Minimum")
    check_numbers(frame, "Maximum")
    frame.check_unique("Scale ID")


def load_reference(ctx: LoadContext) -> None:
    model = _read(ctx, CONTENT_MODEL, CONTENT_COLUMNS, _check_content_model)
    scales = _read(ctx, SCALES, SCALE_COLUMNS, _check_scales)
    if model is None or scales is None:
        return
    ctx.write(
        onet_content_model,
        (
            {"element_id": e, "name": n, "description": d}
            for e, n, d in _strip(model, CONTENT_COLUMNS)
        ),
    )
    ctx.write(
        onet_scales,
        (
            {"scale_id": s, "name": n, "minimum": float(lo), "maximum": float(hi)}
            for s, n, lo, hi in _strip(scales, SCALE_COLUMNS)
        ),
    )


ONET_REFERENCE = _dataset(
    "onet_reference",
    "Content Model Reference and Scales Reference",
    (
        SourceFile(CONTENT_MODEL, "627 content-model elements: ids, names, descriptions"),
        SourceFile(SCALES, "29 rating scales with their minimum and maximum"),
    ),
    (onet_content_model, onet_scales),
    load_reference,
    snapshot_tables=("onet_content_model",),
    about=About(
        coverage="O*NET's content model (627 elements, such as skills, knowledge, abilities and "
        "work activities, with their descriptions) and its 29 rating scales with their ranges. "
        "Reference tables only: no occupation data.",
        currency=_CURRENCY_29,
        frequency=ONET_FREQUENCY,
        limitations="US terminology. The content model also lists elements, such as abilities "
        "and work activities, whose ratings are not yet in the source directory.",
    ),
    occupations=False,
)

# -- job zones -------------------------------------------------------------------------------

ZONE_COLUMNS = ["O*NET-SOC Code", "Job Zone", "Date", "Domain Source"]
ZONE_REFERENCE_COLUMNS = [
    "Job Zone",
    "Name",
    "Experience",
    "Education",
    "Job Training",
    "Examples",
    "SVP Range",
]
ZONE_RANGE = {"": (1.0, 5.0)}


def load_job_zones(ctx: LoadContext) -> None:
    known = known_onet_codes(ctx)

    def check(frame: Frame) -> None:
        check_onet_codes(frame, "O*NET-SOC Code", known)
        check_numbers(frame, "Job Zone", whole=True)
        check_range(frame, "Job Zone", None, ZONE_RANGE)
        frame.check_unique("O*NET-SOC Code")

    def check_reference(frame: Frame) -> None:
        check_numbers(frame, "Job Zone", whole=True)
        check_range(frame, "Job Zone", None, ZONE_RANGE)
        frame.check_unique("Job Zone")

    zones = _read(ctx, JOB_ZONES, ZONE_COLUMNS, check)
    reference = _read(ctx, JOB_ZONE_REFERENCE, ZONE_REFERENCE_COLUMNS, check_reference)
    if zones is None or reference is None or not known:
        return
    ctx.write(
        onet_job_zones,
        (
            {"onet_code": c, "job_zone": int(z), "date": d or None, "domain_source": s or None}
            for c, z, d, s in _strip(zones, ZONE_COLUMNS)
        ),
    )
    keys = ["job_zone", "name", "experience", "education", "job_training", "examples", "svp_range"]
    ctx.write(
        onet_job_zone_reference,
        (
            dict(zip(keys, [int(row[0]), *row[1:]], strict=True))
            for row in _strip(reference, ZONE_REFERENCE_COLUMNS)
        ),
    )


ONET_JOB_ZONES = _dataset(
    "onet_job_zones",
    "Job Zones (preparation needed, 1–5)",
    (
        SourceFile(JOB_ZONES, "Job zone of 923 occupations"),
        SourceFile(JOB_ZONE_REFERENCE, "The five job zones: experience, education, training"),
    ),
    (onet_job_zones, onet_job_zone_reference),
    load_job_zones,
    about=About(
        coverage="The job zone of 923 O*NET-SOC occupations, from 1 (little or no preparation "
        "needed) to 5 (extensive preparation), with O*NET's description of the experience, "
        "education and training each zone implies.",
        currency=_CURRENCY_29 + " Zones are dated 2004 to 2024, as O*NET reviewed them.",
        frequency=ONET_FREQUENCY,
        limitations="Assigned by O*NET analysts in terms of US education and training (for "
        "example US degrees and vocational schools), so they translate only roughly to UK "
        "qualification levels. " + _US,
    ),
)

# -- education, training and experience -----------------------------------------------------

EDUCATION_COLUMNS = [
    "O*NET-SOC Code",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Category",
    "Data Value",
    "N",
    "Standard Error",
    "Recommend Suppress",
    "Date",
    "Domain Source",
]
CATEGORY_COLUMNS = ["Element ID", "Element Name", "Scale ID", "Category", "Category Description"]
EDUCATION_SCALES = {
    "RL": (0.0, 100.0),
    "RW": (0.0, 100.0),
    "PT": (0.0, 100.0),
    "OJ": (0.0, 100.0),
    "IM": (1.0, 5.0),
}


def load_education(ctx: LoadContext) -> None:
    known = known_onet_codes(ctx)

    def check(frame: Frame) -> None:
        check_onet_codes(frame, "O*NET-SOC Code", known)
        frame.check_in("Scale ID", set(EDUCATION_SCALES), what="an education/training scale")
        check_numbers(frame, "Category", optional=True, whole=True)
        check_numbers(frame, "Data Value")
        check_range(frame, "Data Value", "Scale ID", EDUCATION_SCALES)
        check_numbers(frame, "N", optional=True, whole=True)
        check_numbers(frame, "Standard Error", optional=True)
        check_flags(frame, "Recommend Suppress")
        frame.check_unique("O*NET-SOC Code", "Element ID", "Scale ID", "Category")

    def check_categories(frame: Frame) -> None:
        check_numbers(frame, "Category", whole=True)
        frame.check_unique("Element ID", "Scale ID", "Category")

    rows = _read(ctx, EDUCATION, EDUCATION_COLUMNS, check)
    categories = _read(ctx, EDUCATION_CATEGORIES, CATEGORY_COLUMNS, check_categories)
    if rows is None or categories is None or not known:
        return
    ctx.write(onet_education, _education_rows(rows))
    ctx.write(
        onet_education_categories,
        (
            {
                "element_id": e,
                "element_name": n,
                "scale_id": s,
                "category": int(c),
                "description": d,
            }
            for e, n, s, c, d in _strip(categories, CATEGORY_COLUMNS)
        ),
    )


def _education_rows(frame: Frame) -> Iterator[dict[str, Any]]:
    for code, element, name, scale, category, value, n, se, suppress, date, source in _strip(
        frame, EDUCATION_COLUMNS
    ):
        yield {
            "onet_code": code,
            "element_id": element,
            "scale_id": scale,
            "category": integer(category) or 0,
            "element_name": name,
            "value": float(value),
            "n": integer(n),
            "standard_error": number(se),
            "recommend_suppress": flag(suppress),
            "date": date or None,
            "domain_source": source or None,
        }


ONET_EDUCATION = _dataset(
    "onet_education",
    "Education, Training, and Experience",
    (
        SourceFile(EDUCATION, "Percentages of respondents per education/experience category"),
        SourceFile(EDUCATION_CATEGORIES, "The categories of each education/experience scale"),
    ),
    (onet_education, onet_education_categories),
    load_education,
    about=About(
        coverage="For 858 O*NET-SOC occupations, the percentage of respondents choosing each "
        "category of required level of education, related work experience, on-site training "
        "and on-the-job training, and the importance of apprenticeship and professional "
        "certification.",
        currency=_CURRENCY_29,
        frequency=ONET_FREQUENCY,
        limitations="From surveys of US job holders and occupational experts, in US education "
        "categories (high-school diploma, associate's degree and so on) that have no exact UK "
        "equivalent; some estimates are flagged Recommend Suppress. " + _US,
    ),
)

# -- technology skills ------------------------------------------------------------------------

TECHNOLOGY_COLUMNS = [
    "O*NET-SOC Code",
    "Example",
    "Commodity Code",
    "Commodity Title",
    "Hot Technology",
    "In Demand",
]


def load_technology(ctx: LoadContext) -> None:
    known = known_onet_codes(ctx)

    def check(frame: Frame) -> None:
        check_onet_codes(frame, "O*NET-SOC Code", known)
        frame.check_not_blank("Example")
        check_numbers(frame, "Commodity Code", whole=True)
        check_flags(frame, "Hot Technology")
        check_flags(frame, "In Demand")
        frame.check_unique("O*NET-SOC Code", "Example", "Commodity Code")

    frame = _read(ctx, TECHNOLOGY, TECHNOLOGY_COLUMNS, check)
    if frame is None or not known:
        return
    ctx.write(
        onet_technology_skills,
        (
            {
                "onet_code": code,
                "example": example,
                "commodity_code": commodity,
                "commodity_title": title,
                "hot_technology": hot == "Y",
                "in_demand": demand == "Y",
            }
            for code, example, commodity, title, hot, demand in _strip(frame, TECHNOLOGY_COLUMNS)
        ),
    )


ONET_TECHNOLOGY_SKILLS = _dataset(
    "onet_technology_skills",
    "Technology Skills (software and tools, with Hot Technology and In Demand flags)",
    (SourceFile(TECHNOLOGY, "32,470 technology examples of 923 occupations"),),
    (onet_technology_skills,),
    load_technology,
    about=About(
        coverage="32,470 examples of software and tools used in 923 O*NET-SOC occupations, "
        "grouped by commodity, with O*NET's Hot Technology and In Demand flags.",
        currency=_CURRENCY_29,
        frequency=ONET_FREQUENCY,
        limitations="Examples and flags reflect US employers and US job postings, not UK "
        "demand; listing a product says it is used in the occupation, not how widely. " + _US,
    ),
)

# -- task statements ------------------------------------------------------------------------

TASK_COLUMNS = [
    "O*NET-SOC Code",
    "Task ID",
    "Task",
    "Task Type",
    "Incumbents Responding",
    "Date",
    "Domain Source",
]


def load_tasks(ctx: LoadContext) -> None:
    known = known_onet_codes(ctx)

    def check(frame: Frame) -> None:
        check_onet_codes(frame, "O*NET-SOC Code", known)
        check_numbers(frame, "Task ID", whole=True)
        frame.check_not_blank("Task")
        frame.check_in("Task Type", {"Core", "Supplemental", "n/a", ""}, what="a task type")
        check_numbers(frame, "Incumbents Responding", optional=True, whole=True)
        frame.check_unique("O*NET-SOC Code", "Task ID")

    frame = _read(ctx, TASKS, TASK_COLUMNS, check)
    if frame is None or not known:
        return
    ctx.write(
        onet_tasks,
        (
            {
                "onet_code": code,
                "task_id": int(task_id),
                "task": task,
                "task_type": None if kind in ("", "n/a") else kind,
                "incumbents_responding": integer(incumbents),
                "date": date or None,
                "domain_source": source or None,
            }
            for code, task_id, task, kind, incumbents, date, source in _strip(frame, TASK_COLUMNS)
        ),
    )


ONET_TASKS = _dataset(
    "onet_tasks",
    "Task Statements (core and supplemental tasks)",
    (SourceFile(TASKS, "18,797 task statements of 923 occupations (another O*NET release)"),),
    (onet_tasks,),
    load_tasks,
    about=About(
        coverage="18,797 task statements of 923 O*NET-SOC occupations, marked core or "
        "supplemental where O*NET says so, with the number of job holders who responded.",
        currency="A later O*NET release than the other O*NET files (its newest tasks are "
        "dated August 2025); the codes are checked against the 29.0 occupation list.",
        frequency=ONET_FREQUENCY,
        limitations="No task ratings (importance, frequency) are in the source directory, so "
        "tasks cannot be ranked within an occupation beyond core and supplemental. " + _US,
    ),
)

# -- related occupations -------------------------------------------------------------------

RELATED_COLUMNS = ["O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"]
TIERS = {"Primary-Short", "Primary-Long", "Supplemental"}


def load_related(ctx: LoadContext) -> None:
    known = known_onet_codes(ctx)

    def check(frame: Frame) -> None:
        check_onet_codes(frame, "O*NET-SOC Code", known)
        check_onet_codes(frame, "Related O*NET-SOC Code", known)
        frame.check_in("Relatedness Tier", TIERS, what="a relatedness tier")
        check_numbers(frame, "Index", whole=True)
        frame.check_unique("O*NET-SOC Code", "Related O*NET-SOC Code")

    frame = _read(ctx, RELATED, RELATED_COLUMNS, check)
    if frame is None or not known:
        return
    ctx.write(
        onet_related_occupations,
        (
            {"onet_code": code, "related_code": related, "tier": tier, "rank": int(rank)}
            for code, related, tier, rank in _strip(frame, RELATED_COLUMNS)
        ),
    )


ONET_RELATED_OCCUPATIONS = _dataset(
    "onet_related_occupations",
    "Related Occupations (O*NET's own relatedness tiers)",
    (SourceFile(RELATED, "18,460 pairs: 20 related occupations per occupation, ranked"),),
    (onet_related_occupations,),
    load_related,
    about=About(
        coverage="For each of 923 O*NET-SOC occupations, 20 related occupations ranked by "
        "O*NET and grouped into relatedness tiers (primary-short, primary-long, "
        "supplemental).",
        currency=_CURRENCY_29,
        frequency=ONET_FREQUENCY,
        limitations="Relatedness is O*NET's judgement of similar work in the US, not evidence "
        "of how people actually move between jobs in the UK. " + _US,
    ),
)
