"""Checks on the postcode directory, made on whole column batches (report, never raise).

The directory has millions of rows, so checks run on Arrow arrays batch by batch and keep only
the first few problems of each kind (with their lines) and a count of the rest:
:class:`Findings` collects them and renders the file's problems at the end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from lmi.checks import Problem
from lmi.checks.frame import MAX_PROBLEMS_PER_CHECK
from lmi.checks.report import Severity
from lmi.datasets.onspd.formats import ALIASES, CODE, DATED, POSTCODE, REQUIRED, YEAR_MONTH

__all__ = [
    "COMPLETE",
    "UK_LATITUDE",
    "UK_LONGITUDE",
    "Findings",
    "check_codes",
    "check_coordinates",
    "check_header",
    "check_postcodes",
    "check_terminated",
    "tolerate_postcodes",
]

#: live postcodes in a complete UK directory: about 1.8 million; far fewer is a partial file
COMPLETE = 1_000_000
#: centroids of UK postcodes (Channel Islands to Shetland, Northern Ireland to Lowestoft)
UK_LATITUDE = (49.0, 61.5)
UK_LONGITUDE = (-8.8, 2.0)
#: live rows per malformed postcode tolerated (skipped with a warning) in a whole directory
TOLERATED = 10_000
#: ONS's latitude for a postcode without a grid reference (its longitude is 0)
NO_GRID_LATITUDE = 99.999999
_NUMBER = r"-?[0-9]+(\.[0-9]+)?"


@dataclass
class _Kind:
    severity: Severity
    column: str | None
    examples: list[Problem] = field(default_factory=list)
    count: int = 0


@dataclass
class Findings:
    """Problems of one file gathered over batches: the first few of each kind, then a count."""

    file: str
    kinds: dict[tuple[str, str | None], _Kind] = field(default_factory=dict)

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        *,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        kind = self.kinds.setdefault((code, column), _Kind(severity, column))
        kind.count += 1
        if len(kind.examples) < MAX_PROBLEMS_PER_CHECK:
            kind.examples.append(Problem(severity, code, message, self.file, line, column))

    def cells(
        self,
        severity: Severity,
        code: str,
        column: str,
        lines: Sequence[int],
        messages: Sequence[str],
        total: int,
    ) -> None:
        """``total`` bad cells of a batch, of which the first ones' ``lines`` and ``messages``."""
        kind = self.kinds.setdefault((code, column), _Kind(severity, column))
        room = MAX_PROBLEMS_PER_CHECK - len(kind.examples)
        for line, message in list(zip(lines, messages, strict=True))[: max(room, 0)]:
            kind.examples.append(Problem(severity, code, message, self.file, line, column))
        kind.count += total

    @property
    def has_errors(self) -> bool:
        return any(k.severity == "error" for k in self.kinds.values())

    def problems(self) -> list[Problem]:
        found: list[Problem] = []
        for (code, column), kind in self.kinds.items():
            found += kind.examples
            more = kind.count - len(kind.examples)
            if more > 0:
                message = f"… and {more:,} more rows like these"
                found.append(Problem(kind.severity, code, message, self.file, None, column))
        return found


def check_header(header: Sequence[str], findings: Findings) -> dict[str, int]:
    """Stored field → index of the column read for it; missing columns are reported."""
    folded = [h.strip().casefold() for h in header]
    found: dict[str, int] = {}
    for name, aliases in ALIASES.items():
        for alias in aliases:
            if alias in folded:
                if folded.count(alias) > 1:
                    findings.add(
                        "error", "duplicate-column", f"column {alias!r} appears twice", column=alias
                    )
                found[name] = folded.index(alias)
                break
    for name, pattern in DATED.items():  # the 2025 naming: lad25cd, rgn25cd, lep21cd1 …
        if name in found:
            continue
        years = [(m.group(1), i) for i, h in enumerate(folded) if (m := re.fullmatch(pattern, h))]
        if years:
            found[name] = max(years)[1]  # the latest boundaries when several years are given
    for name in REQUIRED:
        if name not in found:
            wanted = " or ".join(repr(a) for a in ALIASES[name])
            dated = ""
            if name in DATED:
                dated = f" (2025 naming: {DATED[name].replace(chr(92) + 'd{2}', 'YY')})"
            findings.add(
                "error",
                "missing-column",
                f"column {wanted} is missing{dated}: is this the ONS Postcode Directory (ONSPD) "
                "or the National Statistics Postcode Lookup (NSPL)?",
                column=ALIASES[name][0],
            )
    if "lep1" not in found:  # lep2 alone may be absent: it is blank almost everywhere
        findings.add(
            "warning",
            "missing-column",
            "no 'lep1' column (an edition after LEPs were wound up?): postcodes resolve to "
            "local authorities and regions only",
            column="lep1",
        )
    return found


def _report(
    findings: Findings,
    bad: Any,
    values: Any,
    lines: Any,
    *,
    column: str,
    code: str,
    message: str,
    severity: Severity = "error",
) -> None:
    """Report the rows of a batch where the boolean array ``bad`` is true."""
    import numpy as np

    mask = np.asarray(bad.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    total = int(mask.sum())
    if not total:
        return
    positions = np.flatnonzero(mask)[:MAX_PROBLEMS_PER_CHECK]
    shown = [values[int(i)].as_py() for i in positions]
    findings.cells(
        severity,
        code,
        column,
        [int(lines[int(i)]) for i in positions],
        [message.format(value=v) for v in shown],
        total,
    )


def _mismatch(values: Any, pattern: str) -> Any:
    """True where a non-blank value does not match ``pattern`` in full."""
    import pyarrow.compute as pc

    matches = pc.match_substring_regex(values, f"^(?:{pattern})$")
    return pc.and_(pc.not_equal(values, ""), pc.invert(matches))


def check_terminated(values: Any, lines: Any, findings: Findings, column: str) -> None:
    _report(
        findings,
        _mismatch(values, YEAR_MONTH),
        values,
        lines,
        column=column,
        code="bad-format",
        message="{value!r} is not a year and month (YYYYMM) of termination",
    )


def check_postcodes(raw: Any, compact: Any, lines: Any, findings: Findings, column: str) -> Any:
    """Rows whose postcode (without spaces, upper case) is a UK postcode: a boolean array.

    The others are skipped and reported as warnings: :func:`tolerate_postcodes` makes them
    errors unless they are a handful in a whole directory (a quirk of ONS's, not a bad file).
    """
    import pyarrow.compute as pc

    good = pc.match_substring_regex(compact, f"^(?:{POSTCODE})$")
    _report(
        findings,
        pc.invert(good),
        raw,
        lines,
        column=column,
        code="bad-postcode",
        message="{value!r} is not a UK postcode (like SW1A 1AA): row skipped",
        severity="warning",
    )
    return good


def tolerate_postcodes(findings: Findings, column: str, live: int) -> None:
    """Bad postcodes are errors when more than 1 live row in 10,000 has one."""
    kind = findings.kinds.get(("bad-postcode", column))
    if kind is None or kind.count <= live // TOLERATED:
        return
    kind.severity = "error"
    kind.examples = [replace(p, severity="error") for p in kind.examples]


def check_codes(values: Any, lines: Any, findings: Findings, column: str) -> None:
    _report(
        findings,
        _mismatch(values, CODE),
        values,
        lines,
        column=column,
        code="bad-format",
        message="{value!r} is not a GSS code (a letter and 8 digits, like E12000007)",
    )


def check_coordinates(
    latitude: Any, longitude: Any, lines: Any, findings: Findings, columns: tuple[str, str]
) -> tuple[Any, Any]:
    """The centroid as floats (null without a grid reference); bad numbers are reported."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parsed = []
    for values, column in ((latitude, columns[0]), (longitude, columns[1])):
        trimmed = pc.utf8_trim_whitespace(values)
        bad = _mismatch(trimmed, _NUMBER)
        _report(
            findings,
            bad,
            values,
            lines,
            column=column,
            code="bad-number",
            message="{value!r} is not a number (degrees)",
        )
        usable = pc.and_(pc.not_equal(trimmed, ""), pc.invert(bad))
        parsed.append(
            pc.cast(pc.if_else(usable, trimmed, pa.scalar(None, pa.string())), pa.float64())
        )
    lat, lng = parsed
    no_grid = pc.fill_null(pc.greater_equal(lat, NO_GRID_LATITUDE - 1e-6), False)
    lat = pc.if_else(no_grid, pa.scalar(None, pa.float64()), lat)
    lng = pc.if_else(no_grid, pa.scalar(None, pa.float64()), lng)
    outside = pc.or_(
        pc.or_(pc.less(lat, UK_LATITUDE[0]), pc.greater(lat, UK_LATITUDE[1])),
        pc.or_(pc.less(lng, UK_LONGITUDE[0]), pc.greater(lng, UK_LONGITUDE[1])),
    )
    _report(
        findings,
        outside,
        pc.binary_join_element_wise(pc.cast(lat, pa.string()), pc.cast(lng, pa.string()), ","),
        lines,
        column=columns[0],
        code="out-of-range",
        message="centroid {value} is outside the UK (latitude and longitude swapped?)",
        severity="warning",
    )
    return lat, lng


def plain(text: str) -> str:
    """A value as it may appear in a message (control characters dropped, at most 80)."""
    return re.sub(r"[\x00-\x1f]", " ", text)[:80]
