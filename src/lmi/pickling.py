"""Pickling frozen, slotted dataclasses as constructor calls.

A stored snapshot holds about a hundred thousand small frozen dataclasses (O*NET profile
elements, served figures). Unpickled through ``dataclasses``' own ``__setstate__`` each one costs
a look-up of its fields; unpickled as ``Class(*values)`` it costs an ordinary construction, which
takes about a third of a second off reading a full release back.
"""

from __future__ import annotations

from typing import Any

__all__ = ["by_constructor"]


def by_constructor(obj: Any) -> tuple[type, tuple[Any, ...]]:
    """``__reduce__`` for a ``@dataclass(frozen=True, slots=True)`` whose fields are all
    ``__init__`` arguments, in order: ``class Element: ... __reduce__ = by_constructor``."""
    return type(obj), tuple(getattr(obj, name) for name in obj.__slots__)
