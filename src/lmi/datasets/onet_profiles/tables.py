"""Tables of the UK SOC profiles derived from O*NET (see :mod:`.build` for the method)."""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = [
    "onet_uk_coverage",
    "onet_uk_elements",
    "onet_uk_preparation",
    "onet_uk_tasks",
    "onet_uk_technology",
]


def _key() -> tuple[sa.Column[str], sa.Column[str]]:
    """(soc_version, soc_code): a UK SOC unit group."""
    return (
        sa.Column("soc_version", sa.String(8), primary_key=True),
        sa.Column("soc_code", sa.String(4), primary_key=True),
    )


#: weighted element ratings of a unit group (importance = IM, EX or OI; level = LV)
onet_uk_elements = release_table(
    "onet_uk_elements",
    *_key(),
    sa.Column("domain", sa.String(20), primary_key=True),
    sa.Column("element_id", sa.String(20), primary_key=True),
    sa.Column("element_name", sa.Text, nullable=False),
    sa.Column("importance", sa.Float),
    sa.Column("level", sa.Float),
    sa.Column("contributors", sa.Integer, nullable=False),
    sa.Column("weight_covered", sa.Float, nullable=False),
)

#: per unit group and domain: which O*NET occupations have data, with renormalised weights
onet_uk_coverage = release_table(
    "onet_uk_coverage",
    *_key(),
    sa.Column("domain", sa.String(20), primary_key=True),
    sa.Column("contributors", sa.Integer, nullable=False),
    sa.Column("weight_covered", sa.Float, nullable=False),
    sa.Column("occupations_json", sa.Text, nullable=False),  # [[onet_code, weight], …]
)

onet_uk_preparation = release_table(
    "onet_uk_preparation",
    *_key(),
    sa.Column("job_zone", sa.Integer),  # the zone with the largest weight
    sa.Column("job_zone_mean", sa.Float),
    sa.Column("job_zones_json", sa.Text, nullable=False),  # {zone: weight}
    sa.Column("education_json", sa.Text, nullable=False),  # [{category, description, percent}]
)

onet_uk_technology = release_table(
    "onet_uk_technology",
    *_key(),
    sa.Column("commodity_code", sa.String(8), primary_key=True),
    sa.Column("commodity_title", sa.Text, nullable=False),
    sa.Column("weight", sa.Float, nullable=False),  # share of covered weight listing it
    sa.Column("hot_technology", sa.Boolean, nullable=False),
    sa.Column("in_demand", sa.Boolean, nullable=False),
    sa.Column("examples_json", sa.Text, nullable=False),
)

onet_uk_tasks = release_table(
    "onet_uk_tasks",
    *_key(),
    sa.Column("rank", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("onet_code", sa.String(10), nullable=False),
    sa.Column("task_id", sa.Integer, nullable=False),
    sa.Column("task", sa.Text, nullable=False),
    sa.Column("task_type", sa.String(12)),
    sa.Column("weight", sa.Float, nullable=False),  # mapping weight of the task's occupation
)
