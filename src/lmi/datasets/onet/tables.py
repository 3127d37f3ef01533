"""Tables of O*NET occupations and of the derived UK SOC → O*NET-SOC mapping."""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["onet_occupations", "onet_uk_soc"]

onet_occupations = release_table(
    "onet_occupations",
    sa.Column("onet_code", sa.String(10), primary_key=True),  # O*NET-SOC 2019, "15-1252.00"
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
)

#: UK SOC unit group → O*NET-SOC occupation, derived (see :mod:`lmi.datasets.onet.uk_soc`)
onet_uk_soc = release_table(
    "onet_uk_soc",
    sa.Column("soc_version", sa.String(8), primary_key=True),
    sa.Column("soc_code", sa.String(4), primary_key=True),
    sa.Column("onet_code", sa.String(10), primary_key=True),
    sa.Column("weight", sa.Float, nullable=False),  # sums to 1 per (soc_version, soc_code)
    sa.Column("paths", sa.Integer, nullable=False),  # distinct crosswalk paths
)
