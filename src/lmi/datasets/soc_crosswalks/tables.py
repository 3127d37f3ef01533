"""Tables of the UK SOC crosswalks: SOC 2010 → SOC 2020, and SOC 2010/2020 → ISCO-08."""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["soc2010_soc2020_dual_coding", "soc2010_soc2020_index_shares", "soc_isco08"]

#: ONS dual coding of LFS and Census 2011 records: for each SOC 2010 unit group, the sample size
#: (``*_base``) and the proportion of its records coded to each SOC 2020 unit group (``*_prop``)
soc2010_soc2020_dual_coding = release_table(
    "soc2010_soc2020_dual_coding",
    sa.Column("soc2010", sa.String(4), primary_key=True),
    sa.Column("soc2020", sa.String(4), primary_key=True),
    sa.Column("men_lfs_base", sa.Integer),
    sa.Column("men_lfs_prop", sa.Float),
    sa.Column("men_census_base", sa.Integer),
    sa.Column("men_census_prop", sa.Float),
    sa.Column("women_lfs_base", sa.Integer),
    sa.Column("women_lfs_prop", sa.Float),
    sa.Column("women_census_base", sa.Integer),
    sa.Column("women_census_prop", sa.Float),
)

#: job titles of the SOC 2020 coding index per (SOC 2010, SOC 2020) pair: title weights, not
#: employment weights
soc2010_soc2020_index_shares = release_table(
    "soc2010_soc2020_index_shares",
    sa.Column("soc2010", sa.String(4), primary_key=True),
    sa.Column("soc2020", sa.String(4), primary_key=True),
    sa.Column("n_entries", sa.Integer, nullable=False),
    sa.Column("share", sa.Float, nullable=False),  # of the SOC 2010 unit group's entries
)

#: job titles of the SOC 2020 coding index per (SOC unit group, ISCO-08 unit group) pair
soc_isco08 = release_table(
    "soc_isco08",
    sa.Column("soc_version", sa.String(8), primary_key=True),
    sa.Column("soc_code", sa.String(4), primary_key=True),
    sa.Column("isco08", sa.String(4), primary_key=True),
    sa.Column("n_entries", sa.Integer, nullable=False),
    sa.Column("share", sa.Float, nullable=False),  # of the SOC unit group's entries
)
