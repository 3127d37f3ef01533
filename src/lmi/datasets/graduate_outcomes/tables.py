"""Discover Uni (HESA/OfS) sector earnings and subject job types, by CAH subject.

``graduate_earnings`` holds one row per published sector cell: Graduate Outcomes salary 15
months after graduation (``go15``) and LEO earnings 3 and 5 years after (``leo3``, ``leo5``), by
CAH subject × study mode × level × area. A cell Discover Uni marks ``NA`` is kept, with NULL
figures and its status, so "not available" stays distinct from a missing row.

``graduate_job_types`` is derived (method ``modelled``): the share of Graduate Outcomes
respondents in professional or managerial jobs (SOC major groups 1–3) by CAH subject and mode,
a population-weighted mean of Discover Uni's per-provider subject aggregates (see
:mod:`lmi.datasets.graduate_outcomes.parse`).
"""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["graduate_earnings", "graduate_job_types"]

graduate_earnings = release_table(
    "graduate_earnings",
    sa.Column("measure", sa.String(6), primary_key=True),  # go15 | leo3 | leo5
    sa.Column("cah_code", sa.String(8), primary_key=True),  # "11", "11-01", "11-01-01"
    sa.Column("kismode", sa.String(2), primary_key=True),  # 01 full-time | 02 part-time
    sa.Column("kislevel", sa.String(2), primary_key=True),  # 03 first degree | 04 other UG
    sa.Column("area", sa.String(3), primary_key=True),  # UK, E, NI, S, W, NW … (Discover Uni)
    sa.Column("cah_level", sa.String(4), nullable=False),  # cah1 | cah2 | cah3
    sa.Column("lower_quartile", sa.Float),  # £ a year
    sa.Column("median", sa.Float),
    sa.Column("upper_quartile", sa.Float),
    sa.Column("population", sa.Integer),  # GO respondents / LEO graduates (rounded to 5)
    sa.Column("status", sa.String(24), nullable=False),  # SDC status (lmi.sdc.policy.Status)
    sa.Column("rule", sa.String(60), nullable=False),
)

graduate_job_types = release_table(
    "graduate_job_types",
    sa.Column("cah_code", sa.String(8), primary_key=True),
    sa.Column("kismode", sa.String(2), primary_key=True),
    sa.Column("cah_level", sa.String(4), nullable=False),
    sa.Column("units", sa.Integer, nullable=False),  # provider × subject aggregates used
    sa.Column("population", sa.Integer, nullable=False),  # sum of their JOBPOP
    sa.Column("professional_managerial", sa.Float, nullable=False),  # per cent
    sa.Column("other_job", sa.Float, nullable=False),
    sa.Column("unknown", sa.Float, nullable=False),
)
