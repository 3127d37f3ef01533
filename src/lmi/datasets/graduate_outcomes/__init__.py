"""Discover Uni (HESA/OfS) graduate salaries, LEO sector earnings and job types by CAH subject."""

from lmi.datasets.graduate_outcomes.parse import GRADUATE_OUTCOMES

__all__ = ["GRADUATE_OUTCOMES"]
