"""Applying a policy to one figure: the served value with its quality envelope."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from lmi.pickling import by_constructor
from lmi.sdc.policy import SERVABLE, CvBand, Policy, Status

__all__ = ["Served", "classify", "served_value"]


@dataclass(frozen=True, slots=True)
class Served:
    """A number as served: ``value`` is ``None`` unless ``status`` is servable."""

    value: float | None
    status: Status
    band: str
    rule: str
    method: str = "observed"  # see lmi.sdc.methods: observed | projection | modelled | synthetic
    fallback_level: int | None = None  # SOC digits (0 = all occupations) of a stand-in figure
    fallback_area: str | None = None  # area code of a stand-in figure (e.g. UK for a region)
    fallback_years: tuple[int, ...] | None = None  # published years pooled for a stand-in figure
    note: str | None = None
    cv: float | None = None  # coefficient of variation (%) the publisher gave for this figure

    __reduce__ = by_constructor

    @property
    def servable(self) -> bool:
        return self.status in SERVABLE and self.value is not None

    def stand_in(self, *, level: int | None = None, area: str | None = None) -> Served:
        """This figure standing in for a finer cell that cannot be served."""
        return self.but(fallback_level=level, fallback_area=area)

    def but(self, **changes: Any) -> Served:
        """This figure with ``changes``: ``dataclasses.replace`` without its per-call field
        introspection, which dominated the modelled figures of an uncached regional answer."""
        values = {name: getattr(self, name) for name in _FIELDS}
        values.update(changes)
        return Served(**values)

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "value": self.value,
            "status": self.status,
            "quality": self.band,
            "rule": self.rule,
            "method": self.method,
        }
        if self.fallback_level is not None:
            found["fallback_level"] = self.fallback_level
        if self.fallback_area is not None:
            found["fallback_area"] = self.fallback_area
        if self.fallback_years is not None:
            found["fallback_years"] = list(self.fallback_years)
        if self.cv is not None:
            found["cv"] = self.cv
        if self.note:
            found["note"] = self.note
        return found


_FIELDS = tuple(f.name for f in fields(Served))


def classify(
    policy: Policy,
    raw: str | float | None,
    *,
    measure: str,
    count: float | None = None,
    cv: float | None = None,
) -> Served:
    """Primary rules for one source cell: symbols, minimum count, CV band, then rounding."""
    if isinstance(raw, str):
        text = raw.strip()
        if text in policy.symbols:
            status, meaning = policy.symbols[text]
            return Served(None, status, "none", f"{policy.id}:symbol{text!r}", note=meaning)
        raw = float(text.replace(",", ""))
    if raw is None:
        status, meaning = policy.symbols.get("", ("not_available", "no value"))
        return Served(None, status, "none", f"{policy.id}:symbol''", note=meaning)
    if policy.min_count is not None and count is not None and count < policy.min_count:
        return Served(None, "suppressed_disclosure", "none", f"{policy.id}:min-count")
    band = policy.band(cv)
    if band is not None and band.status not in SERVABLE:
        rule = f"{policy.id}:cv>{_previous(policy, band)}%"
        return Served(None, band.status, band.band, rule, cv=cv)
    level: Status = band.status if band is not None else "ok"
    rule = f"{policy.id}:cv-band" if band is not None else f"{policy.id}:published"
    if level == "ok" and _small(policy, count):
        level, rule = "caution", f"{policy.id}:small-count"
    label = band.band if band is not None else "not_published"
    return Served(policy.round(raw, measure), level, label, rule, cv=cv)


def served_value(
    value: float | None, status: Status, rule: str, *, method: str = "observed"
) -> Served:
    """A stored decision (value, status, rule) back as a :class:`Served`."""
    shown = value if status in SERVABLE else None
    return Served(shown, status, "not_published", rule, method=method)


def _small(policy: Policy, count: float | None) -> bool:
    return policy.caution_count is not None and count is not None and count < policy.caution_count


def _previous(policy: Policy, band: CvBand) -> str:
    bands = policy.cv_bands
    index = bands.index(band)
    return f"{bands[index - 1].upto:g}" if index else "0"
