"""The advert tables: beside the releases, not inside them (adverts change hourly).

Release data is immutable once built and is replaced a release at a time; adverts arrive every
hour, are updated in place (last seen, closing date) and are deleted after
``LMI_VACANCIES_RETENTION_DAYS``. So they have their own tables with no ``release_id``; the SOC
codes they carry are codes of the classification (stable across releases), and each advert
records the release whose coder coded it (``coded_release``).
"""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import metadata

__all__ = ["MIGRATION", "advert_counts", "advert_feeds", "advert_runs", "adverts"]

#: the schema migration that creates these tables (see :mod:`lmi.store.migrations`)
MIGRATION = 5

adverts = sa.Table(
    "lmi_adverts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("feed", sa.String(60), nullable=False),
    sa.Column("feed_id", sa.String(200), nullable=False),
    #: same advert across feeds and re-posts: normalised title, employer and place
    sa.Column("fingerprint", sa.String(40), nullable=False),
    #: the advert this one duplicates (null for the advert that is kept and counted)
    sa.Column("duplicate_of", sa.Integer),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("company", sa.String(300)),
    sa.Column("summary", sa.Text),
    sa.Column("location", sa.String(300)),
    sa.Column("postcode", sa.String(10)),
    sa.Column("area_kind", sa.String(10)),
    sa.Column("area_code", sa.String(40)),
    sa.Column("region_code", sa.String(12)),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("salary_min", sa.Float),
    sa.Column("salary_max", sa.Float),
    sa.Column("url", sa.Text),
    sa.Column("posted", sa.String(10), nullable=False),  # ISO date
    sa.Column("week", sa.String(10), nullable=False),  # Monday of the posting week
    sa.Column("closes", sa.String(10)),
    sa.Column("first_seen", sa.String(25), nullable=False),
    sa.Column("last_seen", sa.String(25), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),  # live | expired
    sa.Column("soc2010", sa.String(4)),
    sa.Column("soc2010_score", sa.Float),
    sa.Column("soc2010_status", sa.String(12), nullable=False),
    sa.Column("soc2020", sa.String(4)),
    sa.Column("soc2020_score", sa.Float),
    sa.Column("soc2020_status", sa.String(12), nullable=False),
    sa.Column("coded_release", sa.Integer),
    sa.Column("synthetic", sa.Boolean, nullable=False),
    sa.UniqueConstraint("feed", "feed_id", name="lmi_adverts_feed_id"),
    sa.Index("lmi_adverts_fingerprint", "fingerprint"),
    sa.Index("lmi_adverts_status_posted", "status", "posted"),
    info={"since": MIGRATION},
)

advert_runs = sa.Table(
    "lmi_advert_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("feed", sa.String(60), nullable=False),
    sa.Column("started_at", sa.String(25), nullable=False),
    sa.Column("finished_at", sa.String(25)),
    sa.Column("status", sa.String(12), nullable=False),  # running | ok | partial | failed
    sa.Column("pages", sa.Integer, nullable=False, default=0),
    sa.Column("pages_failed", sa.Integer, nullable=False, default=0),
    sa.Column("fetched", sa.Integer, nullable=False, default=0),
    sa.Column("new", sa.Integer, nullable=False, default=0),
    sa.Column("updated", sa.Integer, nullable=False, default=0),
    sa.Column("duplicates", sa.Integer, nullable=False, default=0),
    sa.Column("rejected", sa.Integer, nullable=False, default=0),
    sa.Column("seconds", sa.Float),
    sa.Column("errors_json", sa.Text),
    info={"since": MIGRATION},
)

advert_feeds = sa.Table(
    "lmi_advert_feeds",
    metadata,
    sa.Column("feed", sa.String(60), primary_key=True),
    #: newest posting date seen: the next pull asks only for adverts since (a day before) it
    sa.Column("cursor", sa.String(25)),
    sa.Column("updated_at", sa.String(25), nullable=False),
    info={"since": MIGRATION},
)

advert_counts = sa.Table(
    "lmi_advert_counts",
    metadata,
    sa.Column("soc_version", sa.String(8), primary_key=True),
    sa.Column("soc_code", sa.String(4), primary_key=True),
    sa.Column("area_code", sa.String(40), primary_key=True),
    sa.Column("week", sa.String(10), primary_key=True),
    sa.Column("adverts", sa.Integer, nullable=False),
    sa.Column("synthetic", sa.Boolean, nullable=False),
    info={"since": MIGRATION},
)
