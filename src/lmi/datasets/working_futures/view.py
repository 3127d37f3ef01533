"""The employment outlook this dataset serves (see :mod:`lmi.datasets.working_futures.model`)."""

from __future__ import annotations

from lmi.datasets.aps.view import APS_INDEX
from lmi.datasets.base import View, ViewSource
from lmi.datasets.working_futures.model import Outlook

__all__ = ["OUTLOOK"]


def _outlook(source: ViewSource) -> Outlook:
    return Outlook(
        source.rows("wf_employment"),
        source.rows("wf_replacement"),
        ashe=source.rows("ashe_cells"),
        dual_coding=source.rows("soc2010_soc2020_dual_coding"),
        units={version: source.unit_groups(version) for version in ("soc2010", "soc2020")},
        aps=source.view(APS_INDEX) if source.has("aps") else None,
    )


#: Working Futures employment and replacement demand, by occupation, area and breakdown
OUTLOOK = View("working_futures", "outlook model", _outlook)
