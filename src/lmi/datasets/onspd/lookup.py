"""``lat,lng`` → the nearest live postcode, with the checks a query parameter needs."""

from __future__ import annotations

from lmi.datasets.onspd.index import PostcodeIndex, format_postcode
from lmi.errors import InvalidQuery, NotFound

__all__ = ["nearest_postcode", "parse_lat_lng"]


def parse_lat_lng(raw: str, parameter: str) -> tuple[float, float]:
    """``"51.5,-0.12"`` → (51.5, -0.12); a 400 naming the parameter when out of range."""
    first, second = (part.strip() for part in raw.split(",", 1))
    latitude, longitude = float(first), float(second)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InvalidQuery(
            f"{parameter}: {raw!r} is not a latitude,longitude pair (−90…90, −180…180)",
            parameter=parameter,
        )
    return latitude, longitude


def nearest_postcode(index: PostcodeIndex, raw: str, parameter: str) -> str:
    """The nearest live postcode to ``raw`` (``lat,lng``), formatted (``SW1A 1AA``)."""
    latitude, longitude = parse_lat_lng(raw, parameter)
    found = index.nearest(latitude, longitude)
    if found is None:
        raise NotFound(
            f"{parameter}: no live postcode within about 50 km of {latitude},{longitude} in "
            "the postcodes this release holds"
            + (" (only some postcode areas are loaded)" if index.areas is not None else "")
        )
    return format_postcode(found)
