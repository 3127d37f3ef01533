"""Typed views of what every lmi answer carries: the envelope, its release and provenance.

Only the parts the API promises for every endpoint are modelled (``ok``, ``data``, ``meta``,
the error body); ``data`` stays the JSON the server sent, so the OpenAPI document remains the
one description of each endpoint's data. tests/client checks these fields against the
document's ``components.schemas``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Answer", "ErrorDetail", "Meta", "Provenance", "Release"]

Method = Literal["observed", "modelled", "synthetic"]


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from: the source, the release that holds it and how it was made."""

    source: str
    release: int
    method: Method
    dataset: str | None = None
    publisher: str | None = None
    licence: str | None = None

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Provenance:
        return cls(
            source=str(raw["source"]),
            release=int(raw["release"]),
            method=raw["method"],
            dataset=raw.get("dataset"),
            publisher=raw.get("publisher"),
            licence=raw.get("licence"),
        )


@dataclass(frozen=True)
class Release:
    """The data release that answered."""

    id: int
    label: str | None = None
    status: str | None = None
    kind: str | None = None
    created_at: str | None = None
    promoted_at: str | None = None

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Release:
        return cls(
            id=int(raw["id"]),
            label=raw.get("label"),
            status=raw.get("status"),
            kind=raw.get("kind"),
            created_at=raw.get("created_at"),
            promoted_at=raw.get("promoted_at"),
        )


@dataclass(frozen=True)
class Meta:
    release: Release
    provenance: tuple[Provenance, ...]

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Meta:
        return cls(
            release=Release.parse(raw["release"]),
            provenance=tuple(Provenance.parse(p) for p in raw.get("provenance", ())),
        )


@dataclass(frozen=True)
class ErrorDetail:
    message: str
    parameter: str | None = None


@dataclass(frozen=True)
class Answer:
    """One successful answer: ``data`` as sent, ``meta`` for native (/v1) endpoints.

    LMI for All compatible endpoints (``/api/v1``) answer bare JSON, so ``meta`` is None and the
    release comes from the ``X-LMI-Release`` response header.
    """

    data: Any
    meta: Meta | None
    status: int
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def release_id(self) -> int | None:
        if self.meta is not None:
            return self.meta.release.id
        header = self.headers.get("x-lmi-release")
        return int(header) if header and header.isdigit() else None

    @property
    def synthetic(self) -> bool:
        """True when any figure in the answer is synthetic (a labelled stand-in, not data)."""
        if self.meta is not None:
            return any(p.method == "synthetic" for p in self.meta.provenance)
        return self.headers.get("x-lmi-method") == "synthetic"
