"""Disclosure-control policy of the Discover Uni sector files (HESA / OfS)."""

from __future__ import annotations

from lmi.sdc.policy import Policy

__all__ = ["DISCOVER_UNI"]

DISCOVER_UNI = Policy(
    name="discover-uni",
    version="1",
    description=(
        "Discover Uni v7.4 sector data (HESA/OfS): figures are served as published (salaries "
        "and earnings rounded by the publisher to the nearest £500, populations to the nearest "
        "5; lmi does not round again). `NA` means not available or suppressed — the files do "
        "not say which — and is kept as not_available, never as a number."
    ),
    count_unit="people",
    symbols={
        "NA": ("not_available", "Discover Uni: NA (not available or suppressed)"),
        "": ("not_available", "blank in the source file"),
    },
)
