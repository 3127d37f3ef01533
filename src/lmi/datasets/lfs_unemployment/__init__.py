"""ONS Labour Force Survey: unemployment by previous occupation (rates and levels)."""

from lmi.datasets.lfs_unemployment.parse import LFS_UNEMPLOYMENT

__all__ = ["LFS_UNEMPLOYMENT"]
