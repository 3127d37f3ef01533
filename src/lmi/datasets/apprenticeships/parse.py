"""Loader of the IfATE apprenticeship-standards export (see :mod:`.formats`).

Either file may be supplied (the JSON from IfATE's API, or a CSV with the same field names);
when both are present the JSON is read and the CSV ignored (reported). JSON records are turned
into the same table of text cells as the CSV and checked against the same specification. One
entry per standard version: the highest version of each reference is kept. SOC codes must be
unit groups of their version in this release (others are reported and not linked).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lmi.checks import Frame
from lmi.checks.bounded import TooLarge, read_bounded_text
from lmi.checks.spec import check_file_bytes, validate_frame
from lmi.datasets.apprenticeships.formats import FIELDS, ROUTES, STANDARDS_SPEC
from lmi.datasets.apprenticeships.tables import (
    apprenticeship_standard_soc,
    apprenticeship_standards,
)
from lmi.datasets.base import About, Dataset, LoadContext, SourceFile, merge_problems

__all__ = ["APPRENTICESHIPS", "CSV_FILE", "JSON_FILE", "load_apprenticeships", "split_list"]

JSON_FILE = "apprenticeships/apprenticeship_standards.json"
CSV_FILE = "apprenticeships/apprenticeship_standards.csv"
_SPLIT = re.compile(r"\s*[|;,]\s*")


def load_apprenticeships(ctx: LoadContext) -> None:
    if (ctx.source_dir / JSON_FILE).is_file():
        frame = _read_json(ctx)
        if (ctx.source_dir / CSV_FILE).is_file():
            ctx.problem(
                "warning",
                "ignored-file",
                f"both exports present: {JSON_FILE} read, {CSV_FILE} ignored",
                file=CSV_FILE,
            )
    else:
        frame = ctx.read_csv(CSV_FILE)
        merge_problems(frame.problems, validate_frame(frame, STANDARDS_SPEC))
    if frame.has_errors or not frame.columns:
        return
    known = {
        (v, c)
        for v, c, level in ctx.tx.execute(
            "SELECT soc_version, code, level FROM soc_groups WHERE release_id = :r",
            {"r": ctx.release_id},
        ).rows
        if level == "unit_group"
    }
    standards = _latest(frame)
    _check_routes(frame, standards)
    ctx.write(apprenticeship_standards, (s.row() for s in standards.values()))
    ctx.write(apprenticeship_standard_soc, _links(frame, standards, known))


def split_list(value: Any) -> list[str]:
    """A JSON list, or text joined by ``|`` (also ``;`` or ``,`` for codes), as strings."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            return [text]
        return split_list(parsed) if isinstance(parsed, list) else [text]
    return [part for part in _SPLIT.split(text) if part] if text else []


def _read_json(ctx: LoadContext) -> Frame:
    """The JSON records as a table of text cells, checked like the CSV export."""
    path = ctx.source_dir / JSON_FILE
    frame = ctx.read_csv(JSON_FILE)  # registers the file (checksum) in the report
    frame.problems[:] = [
        p
        for p in check_file_bytes(path, STANDARDS_SPEC, label=JSON_FILE)
        if p.code != "no-final-newline"
    ]
    frame.columns, frame.line_numbers = {}, []
    records = _records(path, frame)
    if records is None:
        return frame
    frame.columns = {name: [_text(r.get(name), name) for r in records] for name in FIELDS}
    frame.line_numbers = list(range(1, len(records) + 1))  # the record's position in the array
    for report in ctx.report.files:
        if report.path == JSON_FILE:
            report.rows_read = len(records)
    if not records:
        frame._add("error", "no-rows", "the export lists no standards")
    else:
        merge_problems(frame.problems, validate_frame(frame, STANDARDS_SPEC))
    return frame


def _records(path: Path, frame: Frame) -> list[dict[str, Any]] | None:
    try:
        data = json.loads(read_bounded_text(path, label=frame.file))
    except TooLarge as exc:
        frame.problems.append(exc.problem)
        return None
    except (ValueError, OSError) as exc:
        frame._add("error", "bad-json", f"not valid JSON: {exc}")
        return None
    if isinstance(data, dict):
        data = data.get("standards", data.get("results"))
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        frame._add(
            "error", "bad-json", 'expected an array of standards (objects), or {"standards": […]}'
        )
        return None
    return data


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list) or name in {"soc2010", "soc2020", "typicalJobTitles"}:
        return "|".join(split_list(value))
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Standard:
    index: int  # row of the frame
    reference: str
    version: str
    title: str
    level: int
    route: str
    status: str
    duration: int | None
    lars: int | None
    job_titles: list[str]

    def row(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "version": self.version or None,
            "title": self.title,
            "level": self.level,
            "route": self.route,
            "status": self.status,
            "typical_duration_months": self.duration,
            "lars_code": self.lars,
            "job_titles_json": json.dumps(self.job_titles),
        }


def _latest(frame: Frame) -> dict[str, Standard]:
    found: dict[str, Standard] = {}
    for i, r in enumerate(frame.rows(*FIELDS[:8], "typicalJobTitles")):
        ref, title, version, level, route, status, duration, lars, titles = r
        standard = Standard(
            i,
            ref.strip(),
            version.strip(),
            title.strip(),
            int(level),
            route.strip(),
            status.strip(),
            int(duration) if duration.strip() else None,
            int(lars) if lars.strip() else None,
            split_list(titles) if titles.strip().startswith("[") else _titles(titles),
        )
        seen = found.get(standard.reference)
        if seen is None or _version_key(standard.version) > _version_key(seen.version):
            found[standard.reference] = standard
    return found


def _titles(text: str) -> list[str]:
    return [t.strip() for t in text.split("|") if t.strip()]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def _check_routes(frame: Frame, standards: dict[str, Standard]) -> None:
    routes = {r.casefold() for r in ROUTES}
    frame.report_rows(
        [
            (s.index, "route", f"{s.route!r} is not one of IfATE's 15 routes")
            for s in standards.values()
            if s.route.casefold() not in routes
        ],
        code="unknown-code",
        severity="warning",
    )


def _links(
    frame: Frame, standards: dict[str, Standard], known: set[tuple[str, str]]
) -> Iterator[dict[str, Any]]:
    unknown: list[tuple[int, str, str]] = []
    for standard in standards.values():
        for version in ("soc2010", "soc2020"):
            codes = split_list(frame.columns[version][standard.index])
            for code in dict.fromkeys(codes):
                if (version, code) not in known:
                    unknown.append(
                        (
                            standard.index,
                            version,
                            f"{code!r} is not a {version} unit group: "
                            f"{standard.reference} not linked to it",
                        )
                    )
                    continue
                yield {"reference": standard.reference, "soc_version": version, "soc_code": code}
    frame.report_rows(unknown, code="unknown-code", severity="warning")


@dataclass(frozen=True)
class AnyFileDataset(Dataset):
    """A dataset present when at least one of its (optional) files is."""

    def present(self, source_dir: Path) -> bool:
        return any((source_dir / f.path).is_file() for f in self.files)

    def missing_files(self, source_dir: Path) -> list[str]:
        if self.present(source_dir):
            return []
        return [" or ".join(f.path for f in self.files)]


ABOUT = About(
    coverage="Apprenticeship standards in England published by IfATE (now part of Skills "
    "England): reference, title, level (2-7), route, status, typical duration and the SOC 2010 "
    "and SOC 2020 unit groups each leads to, one entry per standard (its latest version).",
    currency="No IfATE export is in the source directory yet. Until one is, the pathways API "
    "serves labelled synthetic standards (references SYN plus a SOC 2020 code) made from ONS "
    "entry-route text; they describe no real apprenticeship.",
    frequency="IfATE approves and revises standards throughout the year; lmi picks up changes "
    "when a new export is put in the source directory.",
    limitations="The synthetic standards' levels, routes and durations are generated by rule, "
    "not taken from IfATE, so they must not be used for decisions. For a real export, SOC "
    "links are IfATE's own: codes that are not unit groups of their SOC version are reported "
    "and left unlinked, and the names of the SOC fields are still to be confirmed against the "
    "first export.",
)

APPRENTICESHIPS = AnyFileDataset(
    name="apprenticeships",
    title="IfATE apprenticeship standards: reference, title, level, route, status, typical "
    "duration and the SOC 2010 / SOC 2020 unit groups each leads to",
    publisher="Institute for Apprenticeships and Technical Education (IfATE; Skills England)",
    licence="Open Government Licence v3.0 (to be confirmed with the export)",
    files=(
        SourceFile(
            JSON_FILE,
            "IfATE API export: JSON array of standards (format: STANDARDS_SPEC, checked by "
            "the loader)",
            required=False,
        ),
        SourceFile(
            CSV_FILE,
            "or the same fields as CSV (read when no JSON export is present)",
            required=False,
            spec=STANDARDS_SPEC,
        ),
    ),
    tables=(apprenticeship_standards, apprenticeship_standard_soc),
    load=load_apprenticeships,
    depends_on=("soc2010", "soc2020"),
    about=ABOUT,
)
