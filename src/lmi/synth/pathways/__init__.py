"""Labelled stand-ins for the pathway data lmi does not hold yet.

* :mod:`.links` — a *modelled* subject → occupation link (keyword affinity between the HESA
  subject labels and the ONS SOC unit-group titles, job titles and entry routes), served until
  HESA's Graduate Outcomes occupation-by-subject table is loaded;
* :mod:`.standards` — *synthetic* apprenticeship standards (invented, labelled, reference
  prefix ``SYN``) for the SOC unit groups whose ONS entry routes mention apprenticeships, served
  until IfATE's standards export is loaded.
"""

from lmi.synth.pathways.links import LinkModel, Occupation, SubjectDoc, stem, tokens
from lmi.synth.pathways.standards import SYNTHETIC_PREFIX, SyntheticStandard, synthetic_standards

__all__ = [
    "SYNTHETIC_PREFIX",
    "LinkModel",
    "Occupation",
    "SubjectDoc",
    "SyntheticStandard",
    "stem",
    "synthetic_standards",
    "tokens",
]
