"""IfATE apprenticeship standards with their SOC 2010 and SOC 2020 unit groups."""

from lmi.datasets.apprenticeships.parse import APPRENTICESHIPS

__all__ = ["APPRENTICESHIPS"]
