"""Census 2021 topic summaries by area: one row per (area, category), a table per topic.

``category`` is the topic's category code (``all`` for the total): SOC 2020 major groups 1–9
for TS063, distance bands for TS058. Counts are people (usual residents aged 16+ in
employment the week before the census), as published after ONS's cell-key perturbation.
"""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["census_distance", "census_occupation"]


def _table(name: str) -> sa.Table:
    return release_table(
        name,
        sa.Column("area", sa.String(9), primary_key=True),  # GSS code
        sa.Column("category", sa.String(12), primary_key=True),  # all | topic category code
        sa.Column("geography", sa.String(5), nullable=False),  # ctry | rgn | utla | ltla
        sa.Column("area_name", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("value", sa.Integer, nullable=False),  # people
        since=1,
    )


census_occupation = _table("census_occupation")  # TS063
census_distance = _table("census_distance")  # TS058
