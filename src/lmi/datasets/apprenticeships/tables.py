"""IfATE apprenticeship standards and the SOC 2010 / SOC 2020 unit groups each leads to."""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["apprenticeship_standard_soc", "apprenticeship_standards"]

apprenticeship_standards = release_table(
    "apprenticeship_standards",
    sa.Column("reference", sa.String(8), primary_key=True),  # ST0116
    sa.Column("version", sa.String(10)),  # latest version in the export, e.g. "1.1"
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("level", sa.Integer, nullable=False),  # 2–7
    sa.Column("route", sa.String(80), nullable=False),
    sa.Column("status", sa.String(60), nullable=False),
    sa.Column("typical_duration_months", sa.Integer),
    sa.Column("lars_code", sa.Integer),
    sa.Column("job_titles_json", sa.Text, nullable=False),  # JSON list of typical job titles
)

apprenticeship_standard_soc = release_table(
    "apprenticeship_standard_soc",
    sa.Column("reference", sa.String(8), primary_key=True),
    sa.Column("soc_version", sa.String(7), primary_key=True),  # soc2010 | soc2020
    sa.Column("soc_code", sa.String(4), primary_key=True),  # unit group
)
