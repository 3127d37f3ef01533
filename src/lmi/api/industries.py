"""``/v1/industries/{version}/{code}``: an occupation's industries, from the APS.

The query logic is :mod:`lmi.datasets.aps.view`; this module only parses and declares the route.
"""

from __future__ import annotations

from collections.abc import Mapping

from lmi.api import params
from lmi.api.openapi import CODE, NOT_FOUND, VERSION, Endpoint, Param
from lmi.api.respond import Answer, native
from lmi.classification.soc import parse_version
from lmi.datasets.aps.index import UnitIndustryIndex
from lmi.datasets.aps.view import UNIT_INDUSTRY, industry_answer
from lmi.errors import InvalidQuery, NotFound
from lmi.serve.snapshot import Snapshot

__all__ = ["industry_routes", "unit_industry_index"]

DATASET = "aps"


def unit_industry_index(snap: Snapshot) -> UnitIndustryIndex:
    found = snap.view_or_none(UNIT_INDUSTRY)
    if found is None or not found.years:
        raise NotFound(
            f"release {snap.release.id} has no APS unit-group × industry table "
            "(aps/ons_user_requested/employmentby4digitsoc1digitindustryatosuk*.xlsx)"
        )
    return found


def native_industries(snap: Snapshot, version: str, code: str, query: Mapping[str, str]) -> Answer:
    index = unit_industry_index(snap)
    group = params.soc_group(snap, parse_version(version), code)
    top = params.integer(query, "top", default=0, minimum=0, maximum=25)
    units: list[str] = []
    if group.level != "unit_group":  # a coarser group: the sum of its unit groups
        units = sorted(u for u in snap.unit_groups(group.version) if u.startswith(group.code))
    data = industry_answer(
        index,
        group.version,
        group.code,
        snap.rows("soc2010_soc2020_dual_coding"),
        units=units,
        top=top or None,
    )
    method = data["method"]
    data["provenance"] = snap.provenance(DATASET, method=method if method != "observed" else None)
    if group.version == "soc2010" and not data["soc2020_groups"]:
        raise InvalidQuery("no SOC 2020 unit group for this code", parameter="code")
    return Answer(data, (DATASET, group.version))


def industry_routes() -> list[Endpoint]:
    return [
        Endpoint(
            "/v1/industries/{version}/{code}",
            native(native_industries, "version", "code"),
            "Employment of a unit group by industry section, UK (APS, 2021 on)",
            "Employment outlook",
            (
                VERSION,
                CODE,
                Param("top", "Largest sections to list (default: all)", type="integer"),
            ),
            description=(
                "From ONS's user-requested APS table (4-digit SOC 2020 × industry section): "
                "per year the unit group's employment (sum of the published sections; a lower "
                "bound, caution, when ONS suppressed some) and its industries, largest first; "
                "sections ONS suppressed are listed without a number. SOC 2010 codes are "
                "re-expressed through the ONS dual coding (method modelled). A major, "
                "sub-major or minor group is the sum of its unit groups (method modelled, the "
                "unit groups listed; a section with a suppressed unit group is a lower bound, "
                "caution)."
            ),
            responses=NOT_FOUND,
            example="/v1/industries/soc2020/2134?top=3",
        )
    ]
