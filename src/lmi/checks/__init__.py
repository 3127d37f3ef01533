"""Validation that reports every problem at once, working on whole columns."""

from lmi.checks.frame import Frame, read_csv, read_delimited
from lmi.checks.report import DatasetReport, FileReport, Problem

__all__ = ["DatasetReport", "FileReport", "Frame", "Problem", "read_csv", "read_delimited"]
