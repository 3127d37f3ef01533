"""SOC codes: versions, levels and validation of codes given by users."""

from __future__ import annotations

from typing import Literal

from lmi.errors import InvalidQuery

__all__ = ["LEVELS", "SOC_VERSIONS", "SocVersion", "level_of", "parse_soc_code", "parse_version"]

SocVersion = Literal["soc2010", "soc2020"]
SOC_VERSIONS: tuple[SocVersion, ...] = ("soc2010", "soc2020")

#: level name by number of digits
LEVELS: dict[int, str] = {1: "major", 2: "sub_major", 3: "minor", 4: "unit_group"}


def level_of(code: str) -> str:
    return LEVELS[len(code)]


def parse_version(raw: str | None, *, default: SocVersion = "soc2010") -> SocVersion:
    """``2010``, ``soc2010`` or ``SOC2010`` → ``soc2010`` (likewise 2020)."""
    if raw is None or raw == "":
        return default
    value = raw.strip().lower().removeprefix("soc").removeprefix("_")
    if value == "2010":
        return "soc2010"
    if value == "2020":
        return "soc2020"
    raise InvalidQuery(
        f"unknown SOC version {raw!r}: use 2010 or 2020 (or soc2010, soc2020)", parameter="soc"
    )


def parse_soc_code(raw: str, *, parameter: str = "soc", unit_group_only: bool = False) -> str:
    """Validate a SOC code typed by a user: 1 to 4 digits (exactly 4 with ``unit_group_only``)."""
    value = raw.strip()
    if not value.isascii() or not value.isdigit():
        raise InvalidQuery(f"SOC code must be digits, got {raw!r}", parameter=parameter)
    if unit_group_only and len(value) != 4:
        raise InvalidQuery(
            f"SOC unit group code must have 4 digits, got {raw!r}", parameter=parameter
        )
    if not 1 <= len(value) <= 4:
        raise InvalidQuery(f"SOC code must have 1 to 4 digits, got {raw!r}", parameter=parameter)
    return value
