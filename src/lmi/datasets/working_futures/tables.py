"""Working Futures (Skills Imperative 2035) tables: employment levels and replacement demand.

Both hold published figures only, in thousands of people, for England, by SOC 2020 group
(``all``, major ``1``–``9`` or sub-major ``11``–``92``). A row is one cell of a published
table; ``source`` names the file and table it came from. Nothing modelled is stored: unit
groups, SOC 2010 codes and areas are derived when served (:mod:`.model`).
"""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = [
    "QUALIFICATIONS",
    "QUALIFICATION_NAMES",
    "SEXES",
    "STATUSES",
    "wf_employment",
    "wf_replacement",
]

SEXES = ("all", "male", "female")
#: employment status of Occupation Table 5: full-time employees, part-time employees,
#: self-employed
STATUSES = ("all", "full-time", "part-time", "self-employed")
#: RQF levels of Basic Table 2, highest first (the order of LMI for All's 1–9 coding)
QUALIFICATIONS = ("all", "rqf8", "rqf7", "rqf6", "rqf5", "rqf4", "rqf3", "rqf2", "rqf1", "none")
#: the workbook's names of the qualification levels
QUALIFICATION_NAMES = {
    "rqf8": "RQF8 Doctorate",
    "rqf7": "RQF7 Other higher degree",
    "rqf6": "RQF6 First degree",
    "rqf5": "RQF5 Foundation degree; Nursing; Teaching",
    "rqf4": "RQF4 HE below degree level",
    "rqf3": "RQF3 A level & equivalent",
    "rqf2": "RQF2 GCSE (A-C) & equivalent",
    "rqf1": "RQF1 GCSE (below grade C) & equivalent",
    "none": "No qualification",
}

wf_employment = release_table(
    "wf_employment",
    sa.Column("code", sa.String(3), primary_key=True),  # all | 1–9 | 11–92 (SOC 2020)
    sa.Column("sex", sa.String(6), primary_key=True),  # all | male | female
    sa.Column("status", sa.String(13), primary_key=True),  # see STATUSES
    sa.Column("qualification", sa.String(4), primary_key=True),  # see QUALIFICATIONS
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("thousands", sa.Float, nullable=False),
    sa.Column("source", sa.String(120), nullable=False),
    since=1,
)

#: net change, replacement demand and total requirement over a published period (2020–2035)
wf_replacement = release_table(
    "wf_replacement",
    sa.Column("code", sa.String(3), primary_key=True),
    sa.Column("sex", sa.String(6), primary_key=True),
    sa.Column("qualification", sa.String(4), primary_key=True),
    sa.Column("start_year", sa.Integer, primary_key=True),
    sa.Column("end_year", sa.Integer, primary_key=True),
    sa.Column("net_change", sa.Float, nullable=False),
    sa.Column("replacement_demand", sa.Float, nullable=False),
    sa.Column("total_requirement", sa.Float, nullable=False),
    sa.Column("source", sa.String(120), nullable=False),
    since=1,
)
