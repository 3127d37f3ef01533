"""Job-title search and coding to SOC 2010 and SOC 2020 unit groups.

``normalise`` cleans titles, ``index`` reads the coder's titles from a release, ``coder`` ranks.
"""

from lmi.search.coder import Candidate, Coder, Coding, load_coders

__all__ = ["Candidate", "Coder", "Coding", "load_coders"]
