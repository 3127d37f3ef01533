"""Table of the UK Standard Industrial Classification 2007 (all five levels)."""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = ["sic2007"]

sic2007 = release_table(
    "sic2007",
    sa.Column("code", sa.String(10), primary_key=True),  # "A", "01", "01.1", "01.11", "01.62/1"
    sa.Column("level", sa.String(12), nullable=False),  # section|division|group|class|subclass
    sa.Column("section", sa.String(1), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("detail", sa.Text),  # ONS text, keeps its <BR> markup and ##code references
    sa.Column("includes", sa.Text),  # JSON list of strings
    sa.Column("excludes", sa.Text),  # JSON list of strings
    sa.Column("parent_code", sa.String(10)),
)
