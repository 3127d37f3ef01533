"""APS T09a employment by SOC 2010 sub-major group, sex and full/part time, by area.

One row per published cell: ``value`` (people) is NULL whenever the cell cannot be served,
and ``status`` / ``rule`` say why (Nomis symbols through the SDC policy ``aps``). Region rows
are derived at build time as sums of the NUTS3 (2016) areas of each NUTS1 region (``method``
``derived``; a region is ``caution`` when some of its NUTS3 cells were not published).
"""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["AREA_TYPES", "PATTERNS", "SEXES", "aps_employment"]

SEXES = ("all", "male", "female")
PATTERNS = ("all", "full-time", "part-time")
AREA_TYPES = ("country", "lep", "region")

aps_employment = release_table(
    "aps_employment",
    sa.Column("year", sa.Integer, primary_key=True),  # calendar-year APS period (Jan–Dec)
    sa.Column("soc2010", sa.String(2), primary_key=True),  # SOC 2010 sub-major group
    sa.Column("sex", sa.String(6), primary_key=True),  # all | male | female
    sa.Column("pattern", sa.String(9), primary_key=True),  # all | full-time | part-time
    sa.Column("area_type", sa.String(7), primary_key=True),  # country | lep | region
    sa.Column("area", sa.String(80), primary_key=True),  # name (England, a LEP) or ITL1 code
    sa.Column("area_name", sa.Text, nullable=False),
    sa.Column("value", sa.Float),  # people; NULL when not servable
    sa.Column("conf95", sa.Float),  # ± people (95 % confidence interval); NULL when not given
    sa.Column("status", sa.String(24), nullable=False),  # SDC status (lmi.sdc.policy.Status)
    sa.Column("rule", sa.String(60), nullable=False),
    sa.Column("method", sa.String(8), nullable=False),  # observed | derived
    since=1,
)
