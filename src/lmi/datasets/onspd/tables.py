"""The postcode directory: one row per live postcode, and the names of the areas' codes.

``onspd_postcodes`` keeps only what area lookups need: the postcode without spaces (``SW1A1AA``)
→ GSS codes of its country, region, county, local authority district (or unitary authority) and
LEP(s), and its centroid. Pseudo-codes (``E99999999``: no county, no LEP …) are NULL. It has
about 1.8 million rows per release: the API reads it one postcode at a time, never whole.
``onspd_areas`` holds the names ONS ships beside the directory (a few hundred rows).
"""

from __future__ import annotations

import sqlalchemy as sa

from lmi.store.schema import release_table

__all__ = [
    "GEOGRAPHIES",
    "POSITION_INDEX",
    "onspd_areas",
    "onspd_coverage",
    "onspd_postcodes",
    "position_index",
]

#: the B-tree on (release, latitude, longitude) the nearest-postcode search walks (migration 7)
POSITION_INDEX = "ix_onspd_postcodes_position"

#: geography of a names file: la | county | region | lep | country
GEOGRAPHIES = ("la", "county", "region", "lep", "country")

onspd_postcodes = release_table(
    "onspd_postcodes",
    sa.Column("postcode", sa.String(7), primary_key=True),  # upper case, no space
    sa.Column("country", sa.String(9)),
    sa.Column("region", sa.String(9)),  # E12…; NULL outside England
    sa.Column("county", sa.String(9)),  # E10…; NULL for unitary authorities
    sa.Column("district", sa.String(9)),  # E06/E07/E08/E09, W06, S12, N09…
    sa.Column("lep1", sa.String(9)),
    sa.Column("lep2", sa.String(9)),
    sa.Column("latitude", sa.Float),  # NULL: no grid reference
    sa.Column("longitude", sa.Float),
    since=1,
    large=True,
)

#: lat,lng → nearest postcode reads thin latitude bands of the directory, not every postcode
#: (created with the table; stores made before it get it from migration 7)
position_index = sa.Index(
    POSITION_INDEX,
    onspd_postcodes.c.release_id,
    onspd_postcodes.c.latitude,
    onspd_postcodes.c.longitude,
)

onspd_areas = release_table(
    "onspd_areas",
    sa.Column("code", sa.String(9), primary_key=True),
    sa.Column("geography", sa.String(8), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    since=1,
)

#: postcode areas loaded from the per-area split (``Data/multi_csv``); no rows when the
#: whole-UK file was read (every area loaded)
onspd_coverage = release_table(
    "onspd_coverage",
    sa.Column("area", sa.String(2), primary_key=True),  # postcode area: "WC", "HG" …
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("postcodes", sa.Integer, nullable=False),  # live postcodes loaded
    since=1,
)
