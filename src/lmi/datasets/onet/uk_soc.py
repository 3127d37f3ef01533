"""UK SOC → O*NET-SOC: a derived mapping from UK SOC unit groups to O*NET occupations.

No official crosswalk links UK SOC to O*NET. lmi derives one from published crosswalks, all
loaded in the same release, by following four steps from each UK SOC 2010 or SOC 2020 unit group:

1. UK SOC → ISCO-08 unit group, weighted by the share of the unit group's job titles in the ONS
   SOC 2020 coding index (v12) that ONS coded to that ISCO-08 group (``soc_isco08.share``).
2. ISCO-08 → US SOC 2010, using the US BLS ISCO-08 ↔ 2010 SOC crosswalk; the weight is split
   equally among the US SOC codes of the ISCO-08 group (partial matches count like full ones).
3. US SOC 2010 → US SOC 2018, using the BLS 2010 → 2018 SOC crosswalk; split equally among the
   2018 codes of the 2010 code.
4. US SOC 2018 → O*NET-SOC 2019: the O*NET occupations whose code starts with the SOC 2018 code
   (``15-1252`` → ``15-1252.00``; detailed O*NET occupations such as ``.01`` count as well);
   split equally among them.

A path is one chain unit group → ISCO-08 → US SOC 2010 → US SOC 2018 → O*NET-SOC. The weight of
an O*NET occupation is the sum over its paths of the product of the weights of the four steps,
renormalised so the weights of one unit group add up to 1 (paths that stop early – an ISCO-08
group without a US code, a SOC 2018 code without an O*NET occupation – are dropped);
``paths`` is the number of distinct paths reaching it. Weights are job-title weights, not
employment weights: use them to rank or blend O*NET occupations, not as employment shares.
Unit groups that no path reaches have no rows (reported as warnings when the release is built).
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from lmi.checks.frame import MAX_PROBLEMS_PER_CHECK
from lmi.classification.soc import SOC_VERSIONS
from lmi.datasets.base import About, Dataset, LoadContext
from lmi.datasets.onet.parse import ONET_LICENCE
from lmi.datasets.onet.tables import onet_uk_soc

__all__ = ["MAPPING_METHOD", "ONET_UK_SOC", "load_onet_uk_soc", "map_uk_soc"]

#: how the mapping is made, for API users
MAPPING_METHOD = inspect.cleandoc(__doc__ or "")

Key = tuple[str, str]  # (soc_version, soc_code)
Links = dict[str, list[str]]


def load_onet_uk_soc(ctx: LoadContext) -> None:
    isco = _pairs(ctx, "SELECT soc_version, soc_code, isco08, share FROM soc_isco08")
    us2010 = _links(ctx, "SELECT isco08, us_soc2010 FROM isco08_us_soc2010")
    us2018 = _links(ctx, "SELECT us_soc2010, us_soc2018 FROM us_soc2010_soc2018")
    onet = _links(ctx, "SELECT substr(onet_code, 1, 7), onet_code FROM onet_occupations")
    if ctx.report.errors:
        return
    mapping = map_uk_soc(isco, us2010, us2018, onet)
    ctx.write(onet_uk_soc, _rows(mapping))
    _warn_unmapped(ctx, {key for key, _onet in mapping})


def map_uk_soc(
    isco: dict[Key, list[tuple[str, float]]], us2010: Links, us2018: Links, onet: Links
) -> dict[tuple[Key, str], tuple[float, int]]:
    """(unit group, O*NET code) → (weight, paths), following the steps of the module docstring."""
    found: dict[tuple[Key, str], tuple[float, int]] = {}
    for key, shares in isco.items():
        weights: dict[str, float] = defaultdict(float)
        paths: dict[str, int] = defaultdict(int)
        for onet_code, weight in _paths(shares, us2010, us2018, onet):
            weights[onet_code] += weight
            paths[onet_code] += 1
        total = sum(weights.values())
        for onet_code, weight in weights.items():
            if total > 0:
                found[key, onet_code] = (weight / total, paths[onet_code])
    return found


def _paths(
    shares: list[tuple[str, float]], us2010: Links, us2018: Links, onet: Links
) -> Iterator[tuple[str, float]]:
    """Every path of one unit group: (O*NET code, product of the step weights)."""
    for isco08, share in shares:
        us_codes = us2010.get(isco08, [])
        for us_code in us_codes:
            codes2018 = us2018.get(us_code, [])
            for code2018 in codes2018:
                occupations = onet.get(code2018, [])
                for onet_code in occupations:
                    yield onet_code, share / len(us_codes) / len(codes2018) / len(occupations)


def _pairs(ctx: LoadContext, sql: str) -> dict[Key, list[tuple[str, float]]]:
    found: dict[Key, list[tuple[str, float]]] = defaultdict(list)
    for version, code, isco08, share in _query(ctx, sql):
        found[version, code].append((isco08, float(share)))
    return found


def _links(ctx: LoadContext, sql: str) -> Links:
    found: Links = defaultdict(list)
    for source, target in _query(ctx, sql):
        if target not in found[source]:
            found[source].append(target)
    return found


def _query(ctx: LoadContext, sql: str) -> list[tuple[Any, ...]]:
    rows = ctx.tx.execute(f"{sql} WHERE release_id = :r", {"r": ctx.release_id}).rows
    if not rows:
        table = sql.rsplit(" ", 1)[-1]
        ctx.problem("error", "missing-dependency", f"{table} has no rows in this release")
    return rows


def _rows(mapping: dict[tuple[Key, str], tuple[float, int]]) -> Iterator[dict[str, Any]]:
    for ((version, code), onet_code), (weight, paths) in sorted(mapping.items()):
        yield {
            "soc_version": version,
            "soc_code": code,
            "onet_code": onet_code,
            "weight": weight,
            "paths": paths,
        }


def _warn_unmapped(ctx: LoadContext, mapped: set[Key]) -> None:
    units = ctx.tx.execute(
        "SELECT soc_version, code FROM soc_groups WHERE release_id = :r AND level = 'unit_group' "
        "ORDER BY soc_version, code",
        {"r": ctx.release_id},
    ).rows
    unmapped = [(v, c) for v, c in units if v in SOC_VERSIONS and (v, c) not in mapped]
    for version, code in unmapped[:MAX_PROBLEMS_PER_CHECK]:
        ctx.problem("warning", "unmapped", f"{version} unit group {code} has no O*NET occupation")
    if len(unmapped) > MAX_PROBLEMS_PER_CHECK:
        ctx.problem(
            "warning",
            "unmapped",
            f"… and {len(unmapped) - MAX_PROBLEMS_PER_CHECK} more unit groups without an O*NET "
            "occupation",
        )


ABOUT = About(
    coverage="A weighted mapping from UK SOC 2010 and SOC 2020 unit groups to the O*NET-SOC "
    "2019 occupations they correspond to, built by lmi through ISCO-08, US SOC 2010 and US SOC "
    "2018, because there is no official UK SOC to O*NET crosswalk.",
    currency="Rebuilt in each release from that release's soc_crosswalks (SOC 2020 coding "
    "index version 12), isco (BLS crosswalks of 2015 and 2017) and onet_occupations (O*NET "
    "29.0).",
    frequency="Derived by lmi every time a release is built: it changes when any of its inputs "
    "does.",
    limitations="Modelled: weights come from job-title counts in the ONS coding index and "
    "equal splits along the chain, not from employment, so use them to rank or blend O*NET "
    "occupations, not as shares of workers. Each step of the chain loses detail, and unit "
    "groups no path reaches have no rows.",
)

ONET_UK_SOC = Dataset(
    name="onet_uk_soc",
    title="UK SOC 2010/2020 → O*NET-SOC 2019 mapping derived by lmi via ISCO-08 (ONS SOC 2020 "
    "coding index), BLS ISCO-08 → 2010 SOC and 2010 → 2018 SOC crosswalks, O*NET 29.0",
    publisher="lmi (derived from ONS, US BLS and O*NET data)",
    licence=f"Derived from ONS data (Open Government Licence v3.0), BLS crosswalks (public "
    f"domain) and O*NET ({ONET_LICENCE})",
    files=(),
    tables=(onet_uk_soc,),
    snapshot_tables=("onet_uk_soc",),
    load=load_onet_uk_soc,
    depends_on=("soc_crosswalks", "isco", "onet_occupations"),
    about=ABOUT,
)
