"""Tables of ISCO-08 and the BLS crosswalks ISCO-08 ↔ US SOC 2010 → US SOC 2018."""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["isco08_groups", "isco08_us_soc2010", "us_soc2010_soc2018"]

isco08_groups = release_table(
    "isco08_groups",
    sa.Column("code", sa.String(4), primary_key=True),
    sa.Column("level", sa.String(12), nullable=False),  # major | sub_major | minor | unit_group
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("parent_code", sa.String(4)),
)

isco08_us_soc2010 = release_table(
    "isco08_us_soc2010",
    sa.Column("isco08", sa.String(4), primary_key=True),
    sa.Column("us_soc2010", sa.String(7), primary_key=True),
    sa.Column("partial", sa.Boolean, nullable=False),  # BLS "*": only part of one matches
    sa.Column("isco08_title", sa.Text, nullable=False),
    sa.Column("us_soc2010_title", sa.Text, nullable=False),
)

us_soc2010_soc2018 = release_table(
    "us_soc2010_soc2018",
    sa.Column("us_soc2010", sa.String(7), primary_key=True),
    sa.Column("us_soc2018", sa.String(7), primary_key=True),
    sa.Column("us_soc2010_title", sa.Text, nullable=False),
    sa.Column("us_soc2018_title", sa.Text, nullable=False),
)
