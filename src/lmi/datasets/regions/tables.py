"""Tables of UK regions (ITL1, with LMI for All's 1–12 codes) and ITL2/ITL3 areas."""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["itl_areas", "regions"]

regions = release_table(
    "regions",
    sa.Column("itl1_code", sa.String(3), primary_key=True),  # "TLI"
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("lmi_code", sa.Integer, nullable=False),  # LMI for All: 1 London … 12 N. Ireland
    sa.Column("rgn23_code", sa.String(9)),  # English regions only, "E12000007"
    sa.Column("country", sa.Text, nullable=False),
)

itl_areas = release_table(
    "itl_areas",
    sa.Column("code", sa.String(5), primary_key=True),
    sa.Column("level", sa.String(4), nullable=False),  # itl2 | itl3
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("parent_code", sa.String(5), nullable=False),  # ITL1 of an ITL2, ITL2 of an ITL3
)
