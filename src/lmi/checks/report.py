"""Reports: what a check found, per file and per dataset. Checks return these, never raise."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = ["DatasetReport", "FileReport", "Problem"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding: ``row`` is the 1-based line in the file (header = 1) when it applies."""

    severity: Severity
    code: str
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None

    def render(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.row) if p is not None)
        col = f" [{self.column}]" if self.column else ""
        prefix = f"{where}{col}: " if where or col else ""
        return f"{self.severity.upper():7} {prefix}{self.message} ({self.code})"


@dataclass
class FileReport:
    path: str
    sha256: str = ""
    bytes: int = 0
    rows_read: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass
class DatasetReport:
    dataset: str
    loader: str
    status: str = "pending"  # loaded | failed | missing
    files: list[FileReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_loaded: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for f in self.files for p in f.problems)]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.all_problems() if p.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.all_problems() if p.severity == "warning")

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = self.errors
        data["warnings"] = self.warnings
        data["rows_read"] = self.rows_read
        return data
