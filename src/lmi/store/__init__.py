"""The store: a database facade, versioned schema, and releases."""

from lmi.store.database import Database, Results
from lmi.store.migrations import migrate
from lmi.store.releases import Release, ReleaseStore

__all__ = ["Database", "Release", "ReleaseStore", "Results", "migrate"]
