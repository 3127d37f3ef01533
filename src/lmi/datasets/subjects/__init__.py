"""Higher-education subject codes: CAH, HECoS and JACS 3.0, with their CAH3 groups."""

from lmi.datasets.subjects.parse import SUBJECTS

__all__ = ["SUBJECTS"]
