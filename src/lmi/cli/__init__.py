"""The ``lmi`` command: thin over the library."""

from lmi.cli.main import main

__all__ = ["main"]
