"""The nine qualification levels of LMI for All's ``qualification`` / ``nqf8`` coding.

No official file carries this code list: it is LMI for All's own coding (reference §2), kept here
as a code list and served with that provenance.
"""

from __future__ import annotations

__all__ = ["QUALIFICATION_LEVELS", "QUALIFICATION_SOURCE"]

QUALIFICATION_SOURCE = "LMI for All v1 qualification coding (nqf8)"

QUALIFICATION_LEVELS: dict[int, str] = {
    1: "Doctorate",
    2: "Masters",
    3: "Bachelors degree",
    4: "Diploma in higher education / foundation degree",
    5: "Diploma or certificate of higher education",
    6: "A level or equivalent",
    7: "GCSE or equivalent",
    8: "Below GCSE",
    9: "No qualification",
}
