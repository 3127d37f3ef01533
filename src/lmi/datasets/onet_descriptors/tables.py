"""Tables of the O*NET 29.0 descriptor files: ratings, job zones, tasks, technology, reference."""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = [
    "RATING_TABLES",
    "onet_content_model",
    "onet_education",
    "onet_education_categories",
    "onet_job_zone_reference",
    "onet_job_zones",
    "onet_related_occupations",
    "onet_scales",
    "onet_tasks",
    "onet_technology_skills",
]


def _rating_table(name: str) -> sa.Table:
    """One row per (O*NET occupation, element, scale), as in O*NET's rating files."""
    return release_table(
        name,
        sa.Column("onet_code", sa.String(10), primary_key=True),
        sa.Column("element_id", sa.String(20), primary_key=True),
        sa.Column("scale_id", sa.String(4), primary_key=True),
        sa.Column("element_name", sa.Text, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("n", sa.Integer),  # respondents; None when "n/a" or absent from the file
        sa.Column("standard_error", sa.Float),
        sa.Column("recommend_suppress", sa.Boolean),  # True: low precision (O*NET's advice)
        sa.Column("not_relevant", sa.Boolean),  # LV rows only: True → level is treated as 0
        sa.Column("date", sa.String(7)),
        sa.Column("domain_source", sa.String(40)),
    )


#: rating table by domain (the descriptor files that share O*NET's rating layout)
RATING_TABLES: dict[str, sa.Table] = {
    domain: _rating_table(f"onet_{domain}")
    for domain in (
        "skills",
        "knowledge",
        "abilities",
        "work_activities",
        "work_styles",
        "work_values",
        "interests",
    )
}

onet_content_model = release_table(
    "onet_content_model",
    sa.Column("element_id", sa.String(20), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
)

onet_scales = release_table(
    "onet_scales",
    sa.Column("scale_id", sa.String(4), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("minimum", sa.Float, nullable=False),
    sa.Column("maximum", sa.Float, nullable=False),
)

onet_job_zones = release_table(
    "onet_job_zones",
    sa.Column("onet_code", sa.String(10), primary_key=True),
    sa.Column("job_zone", sa.Integer, nullable=False),  # 1 (little preparation) … 5 (extensive)
    sa.Column("date", sa.String(7)),
    sa.Column("domain_source", sa.String(40)),
)

onet_job_zone_reference = release_table(
    "onet_job_zone_reference",
    sa.Column("job_zone", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("experience", sa.Text, nullable=False),
    sa.Column("education", sa.Text, nullable=False),
    sa.Column("job_training", sa.Text, nullable=False),
    sa.Column("examples", sa.Text, nullable=False),
    sa.Column("svp_range", sa.Text, nullable=False),
)

#: Education, Training, and Experience: percentage of respondents per category
onet_education = release_table(
    "onet_education",
    sa.Column("onet_code", sa.String(10), primary_key=True),
    sa.Column("element_id", sa.String(20), primary_key=True),
    sa.Column("scale_id", sa.String(4), primary_key=True),
    sa.Column("category", sa.Integer, primary_key=True, autoincrement=False),  # 0: no category
    sa.Column("element_name", sa.Text, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("n", sa.Integer),
    sa.Column("standard_error", sa.Float),
    sa.Column("recommend_suppress", sa.Boolean),
    sa.Column("date", sa.String(7)),
    sa.Column("domain_source", sa.String(40)),
)

onet_education_categories = release_table(
    "onet_education_categories",
    sa.Column("element_id", sa.String(20), primary_key=True),
    sa.Column("scale_id", sa.String(4), primary_key=True),
    sa.Column("category", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("element_name", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
)

onet_technology_skills = release_table(
    "onet_technology_skills",
    sa.Column("onet_code", sa.String(10), primary_key=True),
    sa.Column("example", sa.String(200), primary_key=True),
    sa.Column("commodity_code", sa.String(8), primary_key=True),
    sa.Column("commodity_title", sa.Text, nullable=False),
    sa.Column("hot_technology", sa.Boolean, nullable=False),
    sa.Column("in_demand", sa.Boolean, nullable=False),
)

onet_tasks = release_table(
    "onet_tasks",
    sa.Column("onet_code", sa.String(10), primary_key=True),
    sa.Column("task_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("task", sa.Text, nullable=False),
    sa.Column("task_type", sa.String(12)),  # Core | Supplemental | None ("n/a")
    sa.Column("incumbents_responding", sa.Integer),
    sa.Column("date", sa.String(7)),
    sa.Column("domain_source", sa.String(40)),
)

onet_related_occupations = release_table(
    "onet_related_occupations",
    sa.Column("onet_code", sa.String(10), primary_key=True),
    sa.Column("related_code", sa.String(10), primary_key=True),
    sa.Column("tier", sa.String(20), nullable=False),  # Primary-Short | Primary-Long | Supplemental
    sa.Column("rank", sa.Integer, nullable=False),
)
