"""Statistical disclosure control (SDC): one engine for every dataset.

* :mod:`lmi.sdc.policy` — declarative, versioned policies per source (minimum counts, CV bands,
  rounding, source symbols) and the distinct statuses a served value can have;
* :mod:`lmi.sdc.values` — applying a policy to one value: :class:`Served` carries ``status``,
  quality ``band``, the ``rule`` that fired and ``fallback_level``;
* :mod:`lmi.sdc.fallback` — the hierarchies searched when a cell cannot be served
  (SOC 4 → 3 → 2 → 1 digit → all; region → UK);
* :mod:`lmi.sdc.differencing` — secondary suppression over additive relations, and the auditor
  that proves no suppressed cell can be recovered from served ones;
* :mod:`lmi.sdc.report` — the per-release report (cells by status and rule, fallbacks used).
"""

from lmi.sdc.differencing import Relation, protect, revealed
from lmi.sdc.fallback import area_chain, soc_chain
from lmi.sdc.policy import POLICIES, CvBand, Policy, Status, policy
from lmi.sdc.report import SdcReport
from lmi.sdc.values import Served, classify, served_value

__all__ = [
    "POLICIES",
    "CvBand",
    "Policy",
    "Relation",
    "SdcReport",
    "Served",
    "Status",
    "area_chain",
    "classify",
    "policy",
    "protect",
    "revealed",
    "served_value",
    "soc_chain",
]
