"""ESS 2017 figures by area and SOC 2010 major group: one row per (area, occupation).

Counts are the survey's weighted counts as published (NULL when the source suppressed the
column, ``**``: fewer than 30 establishments; ``flags_json`` then names the rule per measure).
``n_*`` are *estimated* unweighted establishment bases behind each kind of share: the
unweighted base of the establishment table (e.g. Table 20, all establishments with vacancies)
times the occupation's weighted share in that table. They drive the reliability flag.
Region rows are sums of the local-authority columns (``method`` ``modelled``).
"""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["AREA_TYPES", "COUNTS", "BASES", "OCCUPATIONS", "ess_occupations"]

AREA_TYPES = ("country", "region", "lep", "la")
#: weighted counts stored per row (column name → what it counts)
COUNTS = {
    "employment": "staff employed (Table T7)",
    "vacancies": "vacancies (Table T54)",
    "htf": "hard-to-fill vacancies (Table T56)",
    "ssv": "skill-shortage vacancies (Table T63)",
    "skills_gaps": "staff not fully proficient (Table 53)",
}
#: estimated unweighted establishment bases (column → establishments counted)
BASES = {
    "n_employing": "establishments employing the occupation (Table 3)",
    "n_vacancies": "establishments with vacancies in the occupation (Table 20)",
    "n_htf": "establishments with hard-to-fill vacancies in the occupation (Table 25)",
}
#: ESS occupation code → ESS label (SOC 2010 major groups, then unclassified and the total)
OCCUPATIONS = {
    "1": "Managers",
    "2": "Professionals",
    "3": "Associate professionals",
    "4": "Administrative/clerical staff",
    "5": "Skilled trades occupations",
    "6": "Caring, leisure and other services staff",
    "7": "Sales and customer services staff",
    "8": "Machine operatives",
    "9": "Elementary staff",
    "U": "Unclassified staff",
    "all": "Total",
}

ess_occupations = release_table(
    "ess_occupations",
    sa.Column("year", sa.Integer, primary_key=True),  # survey year (2017)
    sa.Column("area_type", sa.String(7), primary_key=True),  # country | region | lep | la
    sa.Column("area", sa.String(40), primary_key=True),  # code (lmi.classification.areas)
    sa.Column("occupation", sa.String(3), primary_key=True),  # 1–9 | U | all
    sa.Column("area_name", sa.Text, nullable=False),
    *(sa.Column(name, sa.Float) for name in COUNTS),
    *(sa.Column(name, sa.Float) for name in BASES),
    sa.Column("flags_json", sa.Text, nullable=False),  # {measure: rule} for unpublished ones
    sa.Column("method", sa.String(9), nullable=False),  # observed | modelled
    sa.Column("source", sa.String(80), nullable=False),
    since=1,
)
