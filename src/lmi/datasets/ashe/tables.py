"""ASHE pay and hours: one row per published (or exactly derived) cell, statistics as columns.

A cell is (year, edition, SOC version, code, measure, sex, work pattern, area). A statistic is
NULL whenever it cannot be served; ``flags_json`` then says why (``{stat: [status, rule]}``),
so a value ONS suppressed (or that disclosure control withheld) is never stored as a number.
"""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["STATISTICS", "ashe_cells"]

PERCENTILES = ("p10", "p20", "p25", "p30", "p40", "p60", "p70", "p75", "p80", "p90")
#: every statistic column, in the order of the ONS tables
STATISTICS = ("jobs", "median", "mean", *PERCENTILES, "median_change", "mean_change")

ashe_cells = release_table(
    "ashe_cells",
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("edition", sa.String(1), primary_key=True),  # p provisional | r revised
    sa.Column("soc_version", sa.String(8), primary_key=True),  # soc2000 | soc2010 | soc2020
    sa.Column("code", sa.String(4), primary_key=True),  # 1–4 digits, or "all"
    # annual | weekly | hourly | hourly_excl_overtime | hours
    sa.Column("measure", sa.String(24), primary_key=True),
    sa.Column("sex", sa.String(6), primary_key=True),  # all | male | female
    sa.Column("pattern", sa.String(10), primary_key=True),  # all | full-time | part-time
    sa.Column("area", sa.String(9), primary_key=True),  # GSS code; K02000001 = UK
    sa.Column("level", sa.Integer, nullable=False),  # SOC digits; 0 = all employees
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("source", sa.String(80), nullable=False),  # ONS table and file
    sa.Column("method", sa.String(10), nullable=False),  # observed | derived | modelled
    *(sa.Column(stat, sa.Float) for stat in STATISTICS),
    sa.Column("flags_json", sa.Text, nullable=False),  # {stat: [status, rule]} when not ok
    # {stat: CV in %} as ONS published it (Table 14 "b" workbooks); {} when none was published
    sa.Column("cv_json", sa.Text, nullable=False, server_default="{}"),
    since=1,
)
