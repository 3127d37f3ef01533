"""Hints printed by the CLI name the command as it was actually run.

After ``make serve`` the command is ``.venv/bin/lmi`` (the virtualenv is not on PATH), so a hint
saying ``lmi data build`` would fail when pasted. :func:`hint` rewrites the ``lmi`` of every
backticked or indented command in a message to :func:`command_name`.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

__all__ = ["command_name", "hint"]

#: `lmi …` in backticks, or an ``lmi …`` command line in an indented example
_COMMAND = re.compile(r"(`|^\s+(?:\S+=\S+\s+)*)lmi(?= )", re.MULTILINE)


def command_name(argv0: str | None = None, cwd: Path | None = None) -> str:
    """How to run lmi again from here: ``lmi`` when that is on PATH and is this program,
    else this program's path (relative to the working directory when inside it)."""
    program = Path(argv0 if argv0 is not None else sys.argv[0])
    if program.name in {"__main__.py", "-m", "-c"} or program.name.startswith("python"):
        return "python -m lmi"
    if program.name != "lmi":  # run from another program (a test runner, a script): as written
        return "lmi"
    found = shutil.which("lmi")
    if found is not None and Path(found).resolve() == program.resolve():
        return "lmi"
    here = (cwd or Path.cwd()).resolve()
    try:
        return str(program.resolve().relative_to(here))
    except ValueError:
        return str(program.absolute())


def hint(message: str, name: str | None = None) -> str:
    """``message`` with each ``lmi`` command spelled as it can be run here."""
    command = name or command_name()
    if command == "lmi":
        return message
    return _COMMAND.sub(lambda m: f"{m.group(1)}{command}", message)
