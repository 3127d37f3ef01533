"""Checks on the Discover Uni files: CAH subjects known to the release's subject codes."""

from __future__ import annotations

from lmi.checks import Frame

__all__ = ["check_subjects", "normalise_cah"]


def normalise_cah(code: str) -> str:
    """``CAH11-01`` → ``11-01`` (the form of the ``subjects`` table)."""
    return code.strip().upper().removeprefix("CAH")


def check_subjects(frame: Frame, column: str, known: set[str]) -> set[int]:
    """Warn about subjects not in the CAH hierarchy; returns the rows to skip."""
    if column not in frame.columns or not known:
        return set()
    skipped = [
        i
        for i, value in enumerate(frame.columns[column])
        if value.strip() and normalise_cah(value) not in known
    ]
    frame.report_rows(
        [
            (i, column, f"{frame.columns[column][i]!r} is not a CAH code: row skipped")
            for i in skipped
        ],
        code="unknown-code",
        severity="warning",
    )
    return set(skipped)
