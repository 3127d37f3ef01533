"""ETL: find official files, load and validate them into a new release, promote it."""

from lmi.etl.build import BuildReport, build_release

__all__ = ["BuildReport", "build_release"]
