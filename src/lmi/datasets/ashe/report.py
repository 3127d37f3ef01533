"""The ASHE part of the per-release SDC report (``lmi data sdc-report``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from lmi.datasets.ashe.cube import PayCube, Request
from lmi.datasets.ashe.tables import STATISTICS, ashe_cells
from lmi.datasets.soc_crosswalks.tables import soc2010_soc2020_dual_coding
from lmi.errors import NotReady
from lmi.sdc import SdcReport
from lmi.sdc.policy import POLICIES, SERVABLE
from lmi.store.database import Database
from lmi.store.releases import ReleaseStore

__all__ = ["ashe_sdc", "sdc_report"]

#: statistics whose fallbacks the report resolves (every suppressed unit-group cell of these)
FALLBACK_STATS = ("median", "mean")


def sdc_report(db: Database, release_id: int | None = None) -> SdcReport:
    store = ReleaseStore(db)
    release = store.get(release_id) if release_id is not None else store.production()
    if release is None:
        raise NotReady("no release is in production: run `lmi data build`")
    rows = db.release_rows(ashe_cells, release.id)
    dual = db.release_rows(soc2010_soc2020_dual_coding, release.id)
    report = SdcReport(release=release.id)
    report.policies = {p.id: p.description for p in POLICIES.values()}
    ashe_sdc(report, rows, PayCube(rows, dual))
    return report


def ashe_sdc(report: SdcReport, rows: Iterable[Mapping[str, Any]], cube: PayCube) -> None:
    """Count every ASHE statistic cell by status and rule; resolve fallbacks of suppressed ones."""
    for row in rows:
        flags = json.loads(row["flags_json"])
        for stat in STATISTICS:
            if stat in flags:
                status, rule = flags[stat]
                report.count("ashe", status, rule)
            elif row[stat] is not None:
                report.count("ashe", "ok", "published" if row["method"] != "derived" else "derived")
        if row["level"] == 4 and row["area"] == "K02000001":
            _fallbacks(report, row, flags, cube)
    report.notes.append(
        "ASHE files carry no CVs, so quality bands are 'not_published'; ONS symbols decide "
        "suppression and job counts / pay totals are protected against differencing."
    )


def _fallbacks(
    report: SdcReport, row: Mapping[str, Any], flags: dict[str, Any], cube: PayCube
) -> None:
    for stat in FALLBACK_STATS:
        if stat not in flags or flags[stat][0] in SERVABLE:
            continue
        request = Request(
            row["soc_version"],
            row["code"],
            row["year"],
            row["measure"],
            stat,
            row["sex"],
            row["pattern"],
        )
        found = cube.lookup(request, row["edition"], row["soc_version"], row["measure"])
        if found is not None and found.servable and found.fallback_level is not None:
            report.fallback("ashe", f"{stat}: SOC {found.fallback_level}-digit stands in")
        else:
            report.fallback("ashe", f"{stat}: no figure at any level")
        pooled = cube.lookup(
            replace(request, coarse=False, pool=True),
            row["edition"],
            row["soc_version"],
            row["measure"],
        )
        if pooled is not None and pooled.servable:
            report.fallback("ashe", f"{stat}: pooled years stand in at 4 digits (pool=true)")
