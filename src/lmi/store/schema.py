"""Table definitions shared by every part of the store.

Every data table belongs to a release: its first column is ``release_id`` and it is part of the
primary key, so a new release is built beside production without touching it, and promotion
is one update of ``lmi_releases``. Datasets declare their tables with :func:`release_table`.
Each table records in ``info["since"]`` the schema migration that created it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

__all__ = [
    "metadata",
    "release_table",
    "releases",
    "release_datasets",
    "release_files",
    "release_tables",
    "schema_migrations",
    "runs",
    "locks",
    "admin_users",
    "admin_sessions",
    "admin_events",
]

metadata = sa.MetaData()

schema_migrations = sa.Table(
    "lmi_schema_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.String(40), nullable=False),
    info={"since": 1},
)

releases = sa.Table(
    "lmi_releases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("label", sa.String(200), nullable=False),
    # building → test → production → archived; or building → failed; production → rolled_back
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # official | synthetic
    sa.Column("source_dir", sa.Text),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("finished_at", sa.String(40)),
    sa.Column("promoted_at", sa.String(40)),
    sa.Column("promoted_by", sa.String(200)),
    sa.Column("note", sa.Text),
    sa.Column("previous_id", sa.Integer),
    sa.Column("report_json", sa.Text),
    sa.Index(
        "lmi_one_production_release",
        "status",
        unique=True,
        sqlite_where=sa.text("status = 'production'"),
        postgresql_where=sa.text("status = 'production'"),
    ),
    info={"since": 1},
)

release_datasets = sa.Table(
    "lmi_release_datasets",
    metadata,
    sa.Column("release_id", sa.Integer, sa.ForeignKey("lmi_releases.id"), primary_key=True),
    sa.Column("dataset", sa.String(100), primary_key=True),
    sa.Column("loader", sa.String(100), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # loaded | failed | skipped
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("rows_loaded", sa.Integer, nullable=False),
    sa.Column("errors", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    info={"since": 1},
)

release_files = sa.Table(
    "lmi_release_files",
    metadata,
    sa.Column("release_id", sa.Integer, sa.ForeignKey("lmi_releases.id"), primary_key=True),
    sa.Column("path", sa.Text, primary_key=True),
    sa.Column("dataset", sa.String(100), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("bytes", sa.BigInteger, nullable=False),
    info={"since": 1},
)

release_tables = sa.Table(
    "lmi_release_tables",
    metadata,
    sa.Column("release_id", sa.Integer, sa.ForeignKey("lmi_releases.id"), primary_key=True),
    sa.Column("table_name", sa.String(100), primary_key=True),
    sa.Column("rows", sa.Integer, nullable=False),
    info={"since": 1},
)


# -- operations (not release-scoped) -----------------------------------------------------------

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(12), nullable=False),
    sa.Column("scopes", sa.Text, nullable=False),  # space-separated
    sa.Column("rate_per_minute", sa.Integer),  # NULL: the keyed default
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("revoked_at", sa.String(40)),
    info={"since": 3},
)

api_usage = sa.Table(
    "api_usage",
    metadata,
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("route", sa.String(100), primary_key=True),
    sa.Column("status_class", sa.String(3), primary_key=True),  # 2xx, 3xx, 4xx, 5xx
    sa.Column("requests", sa.BigInteger, nullable=False),
    info={"since": 3},
)


#: one row per data operation (build, promote, rollback, backup, restore), with its outcome
runs = sa.Table(
    "lmi_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),
    # running → succeeded | failed; refused (another run held the lock); died (process killed)
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("started_at", sa.String(40), nullable=False),
    sa.Column("finished_at", sa.String(40)),
    sa.Column("seconds", sa.Float),
    sa.Column("by", sa.String(200), nullable=False),
    sa.Column("host", sa.String(200), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("release_id", sa.Integer),
    sa.Column("detail", sa.Text),  # what the run was asked to do
    sa.Column("progress", sa.Text),  # the last progress line
    sa.Column("message", sa.Text),  # outcome in one line
    sa.Column("report_json", sa.Text),
    info={"since": 2},
)

#: advisory locks: a row exists while a run holds the lock (see lmi.etl.lock)
locks = sa.Table(
    "lmi_locks",
    metadata,
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("run_id", sa.Integer),
    sa.Column("holder", sa.String(200), nullable=False),
    sa.Column("host", sa.String(200), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("acquired_at", sa.String(40), nullable=False),
    sa.Column("heartbeat_at", sa.String(40), nullable=False),
    info={"since": 2},
)


# -- admin dashboard (lmi.admin): users, sessions and an audit trail --------------------------
# (since 4: created by migrate()'s creation of declared tables; no numbered step is needed)

admin_users = sa.Table(
    "admin_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),  # admin | loader | viewer
    sa.Column("password_hash", sa.Text, nullable=False),  # scrypt$n$r$p$salt$hash
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("password_changed_at", sa.String(40), nullable=False),
    sa.Column("disabled_at", sa.String(40)),
    sa.Column("failed_logins", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.String(40)),
    sa.Column("last_login_at", sa.String(40)),
    info={"since": 4},
)

#: signed-in dashboard sessions; only the SHA-256 of the cookie's token is stored
admin_sessions = sa.Table(
    "admin_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("admin_users.id"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
    sa.Column("last_seen_at", sa.String(40), nullable=False),
    sa.Column("address", sa.String(100)),
    info={"since": 4},
)

#: who did what in the dashboard: sign-ins, uploads, validations, builds, promotions
admin_events = sa.Table(
    "admin_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("username", sa.String(100), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("detail", sa.Text),
    sa.Column("address", sa.String(100)),
    info={"since": 4},
)


def release_table(
    name: str, *columns: sa.Column[Any], since: int = 1, large: bool = False, **kw: Any
) -> sa.Table:
    """A data table scoped by release; ``columns`` marked primary_key extend the release key.

    ``large``: millions of rows per release (the postcode directory): compared between releases
    in SQL rather than in memory (:mod:`lmi.etl.diff`).
    """
    info: dict[str, Any] = {"since": since, "release_scoped": True}
    if large:
        info["large"] = True
    return sa.Table(
        name,
        metadata,
        sa.Column("release_id", sa.Integer, primary_key=True),
        *columns,
        info=info,
        **kw,
    )


def release_scoped_tables() -> list[sa.Table]:
    return [t for t in metadata.sorted_tables if t.info.get("release_scoped")]
