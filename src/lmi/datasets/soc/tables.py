"""Tables of both SOC versions; rows carry ``soc_version`` (``soc2010`` | ``soc2020``)."""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["soc_groups", "soc_index_entries"]

soc_groups = release_table(
    "soc_groups",
    sa.Column("soc_version", sa.String(8), primary_key=True),
    sa.Column("code", sa.String(4), primary_key=True),
    sa.Column("level", sa.String(12), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("parent_code", sa.String(4)),
    sa.Column("description", sa.Text),
    sa.Column("entry_routes", sa.Text),
    sa.Column("tasks_json", sa.Text),  # JSON list of task strings, as published
    sa.Column("related_titles_json", sa.Text),  # JSON list of related job titles
)

soc_index_entries = release_table(
    "soc_index_entries",
    sa.Column("soc_version", sa.String(8), primary_key=True),
    sa.Column("entry_id", sa.String(20), primary_key=True),
    sa.Column("indexocc", sa.Text, nullable=False),  # ONS inverted form, "Engineer, software"
    sa.Column("natural_title", sa.Text, nullable=False),  # "Software engineer"
    sa.Column("add_qualifier", sa.Text),
    sa.Column("ind_qualifier", sa.Text),
    sa.Column("see", sa.Text),  # "- see Adviser": cross-reference, no code
    sa.Column("soc_code", sa.String(4)),  # code in this version; NULL for cross-references
    sa.Column("soc2010", sa.String(4)),
    sa.Column("soc2020", sa.String(4)),
    sa.Column("soc2020_ext", sa.String(8)),
    sa.Column("isco08", sa.String(4)),
    sa.Column("soc2000", sa.String(4)),
    sa.Column("soc90", sa.String(3)),
)
