"""Parsing query parameters into typed values, with clear 400 errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from lmi.errors import InvalidQuery

__all__ = ["choice", "integer", "number", "text"]

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
