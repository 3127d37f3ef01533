"""O*NET 29.0 occupations, and the UK SOC → O*NET-SOC mapping derived from the crosswalks."""

from lmi.datasets.onet.parse import ONET_OCCUPATIONS
from lmi.datasets.onet.uk_soc import MAPPING_METHOD, ONET_UK_SOC

__all__ = ["MAPPING_METHOD", "ONET_OCCUPATIONS", "ONET_UK_SOC"]
