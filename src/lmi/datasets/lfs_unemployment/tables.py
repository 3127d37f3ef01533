"""LFS unemployment by previous occupation: one row per published cell.

``rate`` (%), ``unemployed`` and ``active`` (thousands) are NULL when the cell cannot be served;
``status`` / ``rule`` say why (ONS symbols through the SDC policy ``lfs``).
"""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["AGE_BANDS", "SEXES", "lfs_unemployment"]

SEXES = {"People": "all", "Men": "male", "Women": "female"}
#: ONS age label → stored band
AGE_BANDS = {
    "16+": "all",
    "16-24": "16-24",
    "25-34": "25-34",
    "35-49": "35-49",
    "50-64": "50-64",
    "65+": "65+",
}

lfs_unemployment = release_table(
    "lfs_unemployment",
    sa.Column("period", sa.String(12), primary_key=True),  # "Jan-Dec 2023" | "Apr-Jun 2023"
    sa.Column("soc_version", sa.String(7), primary_key=True),  # soc2010 | soc2020
    sa.Column("occupation", sa.String(3), primary_key=True),  # 1–2 digit group | all
    sa.Column("sex", sa.String(6), primary_key=True),  # all | male | female
    sa.Column("age_band", sa.String(5), primary_key=True),  # all | 16-24 | … | 65+
    sa.Column("area", sa.String(9), primary_key=True),  # GSS code (K02000001 = UK)
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("quarter", sa.Integer, nullable=False),  # 0 = annual (Jan-Dec), else 1–4
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("area_name", sa.Text, nullable=False),
    sa.Column("unemployed", sa.Float),  # thousands
    sa.Column("active", sa.Float),  # thousands: unemployed + employed in the occupation
    sa.Column("rate", sa.Float),  # % of the economically active
    sa.Column("status", sa.String(24), nullable=False),
    sa.Column("rule", sa.String(60), nullable=False),
    since=1,
)
