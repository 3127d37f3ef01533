"""Skills Imperative 2035 (Working Futures): employment projections and replacement demand."""

from lmi.datasets.working_futures.parse import WORKING_FUTURES

__all__ = ["WORKING_FUTURES"]
