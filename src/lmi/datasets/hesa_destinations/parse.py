"""Loader of HESA's Graduate Outcomes "occupation (SOC) by subject (CAH)" open-data table.

Reads the table described in :mod:`lmi.datasets.hesa_destinations.formats` (metadata block,
then one row per academic year × qualification × mode × subject × occupation, with HESA's
marker/value column pairs) into ``hesa_destinations``. Subjects must be CAH codes of this
release and occupations SOC codes of the version the markers name; unknown codes are reported
and their rows skipped. One SOC version per file. Counts go through the HESA policy (rounded to
5); a percentage is kept only when the subject's Total row has at least 25 graduates (HESA
does not show percentages for populations under 22.5).

The file's format specification is not attached to the ``SourceFile``: the generic reader of
``lmi data check`` expects the header on the first line, and HESA's metadata block would be
misreported. The loader validates the table against ``HESA_SPEC`` itself (so ``lmi data
check`` and builds report the same problems).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from lmi.checks import Frame
from lmi.checks.spec import check_file_bytes, validate_frame
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile, merge_problems
from lmi.datasets.hesa_destinations.checks import (
    parse_cah,
    parse_percent,
    parse_soc,
    read_hesa_csv,
)
from lmi.datasets.hesa_destinations.formats import COLUMNS, HEADER_START, HESA_SPEC
from lmi.datasets.hesa_destinations.policy import HESA_GO
from lmi.datasets.hesa_destinations.tables import hesa_destinations
from lmi.sdc.values import classify

__all__ = ["HESA_DESTINATIONS", "HESA_FILE", "load_hesa_destinations"]

HESA_FILE = "hesa_destinations/graduate_outcomes_occupation_by_subject.csv"
#: a subject's percentages are kept when its rounded Total is at least this
MIN_TOTAL = 25


def load_hesa_destinations(ctx: LoadContext) -> None:
    frame = _read(ctx)
    if frame.has_errors or not frame.require_columns(COLUMNS):
        return
    cah = _known(ctx, "SELECT code FROM subjects WHERE release_id = :r AND scheme = 'cah'")
    soc = {
        (v, c)
        for v, c in ctx.tx.execute(
            "SELECT soc_version, code FROM soc_groups WHERE release_id = :r", {"r": ctx.release_id}
        ).rows
    }
    rows = list(_rows(frame, cah, soc))
    versions = {r["soc_version"] for r in rows if r["soc_version"]}
    if len(versions) > 1:
        frame._add(
            "error",
            "mixed-versions",
            f"the file mixes SOC versions ({', '.join(sorted(versions))}): load one per file",
            column="SOC marker",
        )
        return
    version = versions.pop() if versions else "soc2020"
    for row in rows:
        row["soc_version"] = row["soc_version"] or version
    _apply_percent_rule(rows)
    _check_shares(frame, rows)
    ctx.write(hesa_destinations, ({k: v for k, v in r.items() if k != "_i"} for r in rows))


def _read(ctx: LoadContext) -> Frame:
    """The table below HESA's metadata block, reported on the file like any other."""
    path = ctx.source_dir / HESA_FILE
    frame = ctx.read_csv(HESA_FILE)  # registers the file (checksum) in the report
    table = read_hesa_csv(path, label=HESA_FILE, columns=COLUMNS, start=HEADER_START)
    frame.problems[:] = check_file_bytes(path, HESA_SPEC, label=HESA_FILE) + table.frame.problems
    frame.columns, frame.line_numbers = table.frame.columns, table.frame.line_numbers
    for report in ctx.report.files:
        if report.path == HESA_FILE:
            report.rows_read = frame.height
    if not any(p.severity == "error" for p in frame.problems):
        merge_problems(frame.problems, validate_frame(frame, HESA_SPEC))
    return frame


def _known(ctx: LoadContext, sql: str) -> set[str]:
    found = {code for (code,) in ctx.tx.execute(sql, {"r": ctx.release_id}).rows}
    if not found:
        ctx.problem("error", "missing-dependency", "no CAH subject codes in this release")
    return found


def _rows(frame: Frame, cah: set[str], soc: set[tuple[str, str]]) -> Iterator[dict[str, Any]]:
    bad: list[tuple[int, str, str]] = []
    unknown: list[tuple[int, str, str]] = []
    for i, row in enumerate(frame.rows(*COLUMNS)):
        year, qualification, mode, cah_marker, cah_value, soc_marker, soc_value, n, pct = row
        subject = parse_cah(cah_marker, cah_value)
        occupation = parse_soc(soc_marker, soc_value)
        if isinstance(subject, str):
            bad.append((i, "CAH level subject", subject))
            continue
        if isinstance(occupation, str):
            bad.append((i, "Standard Occupational Classification", occupation))
            continue
        if subject[0] != "total" and subject[0] not in cah:
            unknown.append((i, "CAH level subject", f"{subject[0]!r} is not a CAH code"))
            continue
        version, code, level = occupation
        if code != "total" and (version, code) not in soc:
            unknown.append(
                (i, "Standard Occupational Classification", f"{code!r} is not a {version} code")
            )
            continue
        served = classify(HESA_GO, _cell(n), measure="count")
        percent = parse_percent(pct) if served.servable else None
        yield {
            "_i": i,
            "academic_year": year,
            "qualification": qualification,
            "mode": mode,
            "cah_code": subject[0],
            "cah_level": subject[1],
            "soc_version": version,
            "soc_code": code,
            "soc_level": level,
            "number": None if served.value is None else int(served.value),
            "percent": percent,
            "status": served.status,
            "rule": served.rule,
        }
    frame.report_rows(bad, code="bad-format")
    frame.report_rows(
        [(i, c, m + ": row skipped") for i, c, m in unknown],
        code="unknown-code",
        severity="warning",
    )


def _cell(value: str) -> str | float:
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        return text


Group = tuple[str, str, str, str]  # year, qualification, mode, subject


def _apply_percent_rule(rows: list[dict[str, Any]]) -> None:
    """Drop a percentage whose subject's Total is under :data:`MIN_TOTAL` (HESA: 22.5)."""
    totals = {
        _group(r): r["number"] for r in rows if r["soc_code"] == "total" and r["number"] is not None
    }
    for row in rows:
        total = totals.get(_group(row))
        if row["percent"] is not None and (total is None or total < MIN_TOTAL):
            row["percent"] = None


def _group(row: dict[str, Any]) -> Group:
    return (row["academic_year"], row["qualification"], row["mode"], row["cah_code"])


def _check_shares(frame: Frame, rows: list[dict[str, Any]]) -> None:
    """The percentages of one subject at one SOC level cannot add up to much more than 100."""
    sums: dict[tuple[Group, str], float] = defaultdict(float)
    first: dict[tuple[Group, str], int] = {}
    for row in rows:
        if row["soc_code"] != "total" and row["percent"] is not None:
            key = (_group(row), row["soc_level"])
            sums[key] += row["percent"]
            first.setdefault(key, row["_i"])
    findings = [
        (first[key], "Percent", f"percentages of {key[0][3]} at SOC {key[1]} level add to {s:.1f}")
        for key, s in sums.items()
        if s > 101.0
    ]
    frame.report_rows(findings, code="inconsistent", severity="warning")


ABOUT = About(
    coverage="Graduates of UK higher-education providers in work about 15 months after "
    "graduating, by occupation (SOC 2010 or SOC 2020, one version per file) and subject studied "
    "(CAH), from HESA's Graduate Outcomes open data, with counts and shares by subject.",
    currency="No HESA file is in the source directory yet, so nothing is loaded. Until one is, "
    "subject-to-occupation pathways come from a modelled keyword link between subject names and "
    "SOC titles, labelled as modelled.",
    frequency="HESA publishes Graduate Outcomes results once a year, one graduating cohort at a "
    "time; lmi picks up a table when it is put in the source directory.",
    limitations="HESA rounds counts to the nearest 5 and shows no percentage for populations "
    "under 22.5 (lmi serves a share only when the subject's total is at least 25), and the "
    "survey reflects those graduates who responded. The loader follows HESA's published "
    "conventions but was written without a real file, so its reading must be checked against "
    "the first one.",
)

HESA_DESTINATIONS = Dataset(
    name="hesa_destinations",
    title="HESA Graduate Outcomes: graduates in employment by occupation (SOC) and subject "
    "of study (CAH), open-data table",
    publisher="Higher Education Statistics Agency (HESA, Jisc)",
    licence="CC BY 4.0 (HESA open data)",
    files=(
        SourceFile(
            HESA_FILE,
            "HESA open-data CSV as downloaded (metadata block, then the table); format: "
            "lmi.datasets.hesa_destinations.formats.HESA_SPEC, checked by the loader",
        ),
    ),
    tables=(hesa_destinations,),
    load=load_hesa_destinations,
    depends_on=("subjects", "soc2010", "soc2020"),
    about=ABOUT,
)
