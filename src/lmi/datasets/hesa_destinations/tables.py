"""HESA Graduate Outcomes: graduates in employment by occupation (SOC) and subject (CAH).

One row per published cell. ``cah_code`` / ``soc_code`` are ``total`` for HESA's Total rows.
A suppressed or blank cell keeps its row with NULL figures and its SDC status.
"""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["hesa_destinations"]

hesa_destinations = release_table(
    "hesa_destinations",
    sa.Column("academic_year", sa.String(7), primary_key=True),  # 2021/22
    sa.Column("qualification", sa.String(60), primary_key=True),  # as published ("All", …)
    sa.Column("mode", sa.String(40), primary_key=True),  # as published ("All", "Full-time", …)
    sa.Column("cah_code", sa.String(8), primary_key=True),  # "11-01", or "total"
    sa.Column("soc_version", sa.String(7), primary_key=True),  # soc2010 | soc2020
    sa.Column("soc_code", sa.String(5), primary_key=True),  # 1–4 digits, or "total"
    sa.Column("cah_level", sa.String(5), nullable=False),  # cah1 | cah2 | cah3 | total
    sa.Column("soc_level", sa.String(10), nullable=False),  # major … unit_group | total
    sa.Column("number", sa.Integer),  # graduates, rounded by HESA
    sa.Column("percent", sa.Float),  # of the subject's graduates in employment, as published
    sa.Column("status", sa.String(24), nullable=False),  # of number (lmi.sdc.policy.Status)
    sa.Column("rule", sa.String(60), nullable=False),
)
