"""Table of higher-education subject codes: CAH, HECoS and JACS 3.0, with their CAH3 group."""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["subjects"]

subjects = release_table(
    "subjects",
    sa.Column("scheme", sa.String(5), primary_key=True),  # cah | hecos | jacs
    sa.Column("code", sa.String(12), primary_key=True),
    # cah: cah1|cah2|cah3; hecos: hecos; jacs: subject_area|principal|detailed
    sa.Column("level", sa.String(12), nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("parent_code", sa.String(12)),  # within the same scheme
    sa.Column("cah3_code", sa.String(12)),  # hecos and jacs: the CAH3 they map to, "25-01-03"
)
