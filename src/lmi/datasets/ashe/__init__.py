"""ONS ASHE pay and hours (Table 14 2010–2023; 2025 provisional Tables 14 and 3), with SDC."""

from lmi.datasets.ashe.parse import ASHE

__all__ = ["ASHE"]
