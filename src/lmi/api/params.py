"""Parsing request parameters into typed values, with clear 400 errors.

The SOC resolvers at the end decide once, for every endpoint, what a code in a request means: a
malformed code is a 400 (bad input), a well-formed code the release does not hold a 404.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from lmi.classification.soc import parse_soc_code
from lmi.errors import InvalidQuery, NotFound
from lmi.serve.snapshot import Group, Snapshot

__all__ = [
    "choice",
    "compat_soc",
    "compat_unit_group",
    "integer",
    "number",
    "soc_group",
    "text",
    "unit_group",
]

T = TypeVar("T", bound=str)


def text(
    query: Mapping[str, str],
    name: str,
    *,
    required: bool = False,
    max_length: int = 500,
    default: str | None = None,
) -> str | None:
    value = query.get(name)
    if value is None or value.strip() == "":
        if required:
            raise InvalidQuery(f"parameter {name!r} is required", parameter=name)
        return default
    if len(value) > max_length:
        raise InvalidQuery(
            f"parameter {name!r} is longer than {max_length} characters", parameter=name
        )
    return value


def integer(
    query: Mapping[str, str], name: str, *, default: int, minimum: int, maximum: int
) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidQuery(
            f"parameter {name!r} must be an integer, got {raw!r}", parameter=name
        ) from None
    if not minimum <= value <= maximum:
        raise InvalidQuery(
            f"parameter {name!r} must be between {minimum} and {maximum}", parameter=name
        )
    return value


def number(query: Mapping[str, str], name: str) -> float | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InvalidQuery(
            f"parameter {name!r} must be a number, got {raw!r}", parameter=name
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidQuery(f"parameter {name!r} must be a finite number", parameter=name)
    return value


def choice(query: Mapping[str, str], name: str, options: Sequence[T], *, default: T) -> T:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    for option in options:
        if raw.lower() == option:
            return option
    raise InvalidQuery(
        f"parameter {name!r} must be one of {', '.join(options)}; got {raw!r}", parameter=name
    )


# -- SOC codes -----------------------------------------------------------------------------------


def soc_group(
    snap: Snapshot, version: str, raw: str, *, parameter: str = "code", named: bool = False
) -> Group:
    """The SOC group (any level) ``raw`` names in ``version``: 400 malformed, 404 not held.

    ``named`` starts the 404 message with the parameter's name (``soc: 9999 is not …``).
    """
    code = parse_soc_code(raw, parameter=parameter)
    group = snap.groups.get((version, code))
    if group is None:
        where = f"{parameter}: " if named else ""
        raise NotFound(f"{where}{code} is not a {version.upper()} code")
    return group


def unit_group(snap: Snapshot, version: str, raw: str, *, purpose: str) -> Group:
    """A unit group for an endpoint that serves only those: a higher group is a 400 saying
    ``purpose`` ("O*NET profiles are made for 4-digit unit groups; 21 is a sub_major")."""
    group = soc_group(snap, version, raw)
    if group.level != "unit_group":
        raise InvalidQuery(
            f"{purpose} for 4-digit unit groups; {group.code} is a {group.level}",
            parameter="code",
        )
    return group


def compat_unit_group(snap: Snapshot, raw: str, *, parameter: str = "soc") -> Group:
    """LMI for All's SOC code: a SOC 2010 unit group (4 digits) or a 404."""
    code = parse_soc_code(raw, parameter=parameter, unit_group_only=True)
    group = snap.groups.get(("soc2010", code))
    if group is None or group.level != "unit_group":
        raise NotFound(f"{code} is not a SOC 2010 unit group")
    return group


def compat_soc(snap: Snapshot, query: Mapping[str, str]) -> Group:
    """The required ``soc`` query parameter of LMI for All's endpoints, as a unit group."""
    raw = text(query, "soc", required=True, max_length=10)
    assert raw is not None
    return compat_unit_group(snap, raw)
