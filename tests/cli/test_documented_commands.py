"""Every `lmi` command shown in README.md and docs/ parses as shown; the cheap ones run.

Commands are taken from the ```sh code blocks. Placeholders (NAME, ID, FILE, DIR, HOST) get
sample values; `[--option VALUE]` means the option is optional and is tried. A command that
needs a server, real files or a long time is checked by click's own parser (the subcommand
exists, every option is accepted, the arguments fit); the others run for real, as shown, on a
store holding the synthetic demo release.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from lmi.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
_LMI = re.compile(r"^(?:[A-Z_]+=\S+\s+)*(?:\S*/)?lmi\s")
#: command paths run for real (fast, no server, no official files)
CHEAP = {
    ("data", "releases"),
    ("data", "show"),
    ("data", "runs"),
    ("data", "check"),
    ("data", "sources"),
    ("usage",),
    ("settings",),
    ("keys", "create"),
    ("admin", "list-users"),
    ("admin", "create-user"),
    ("admin", "set-role"),
    ("admin", "disable-user"),
    ("admin", "enable-user"),
}


def documented() -> list[tuple[str, str]]:
    """(file, command line) of every lmi command in a shell block."""
    found = []
    for doc in DOCS:
        for block in _BLOCK.findall(doc.read_text()):
            for line in block.splitlines():
                command = line.split("  #")[0].split(" # ")[0].strip()
                stdin = None
                if " | " in command:
                    stdin, command = (part.strip() for part in command.rsplit(" | ", 1))
                if _LMI.match(command):
                    found.append((doc.name, command if stdin is None else f"{stdin} | {command}"))
    return found


def _words(command: str, sample_file: Path, folder: Path) -> list[str]:
    """The arguments after `lmi`, placeholders replaced and optional brackets opened."""
    text = command.split(" | ")[-1]
    text = re.sub(r"\[([^\]]*)\]", r"\1", text)
    words = shlex.split(text)
    while "=" in words[0] and not words[0].startswith("-"):
        words.pop(0)  # LMI_SOURCE_DIR=… before the command
    values = {
        "NAME": "tester",
        "ID": "1",
        "FILE": str(sample_file),
        "FILE…": str(sample_file),
        "DIR": str(folder),
        "https://HOST": "https://localhost",
    }
    out = []
    for word in words[1:]:
        word = values.get(word, word)
        if re.fullmatch(r"[\w-]+\.(txt|csv)", word):  # an example input file: make one
            (folder / word).write_text("software developer\nnurse\n")
            word = str(folder / word)
        out.append(str(folder) if word.startswith("/srv/") else word)
    return out


def _parse(args: list[str]) -> tuple[str, ...]:
    """Parse ``args`` with click as `lmi` would; returns the command path. Raises UsageError."""
    command: click.Command = cli
    path: list[str] = []
    context = click.Context(cli, info_name="lmi")
    rest = list(args)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        name, rest = rest[0], rest[1:]
        found = command.get_command(context, name)
        if found is None:
            raise click.UsageError(f"no command {' '.join([*path, name])!r}")
        path.append(name)
        command = found
        context = click.Context(command, info_name=name, parent=context)
    with command.make_context(path[-1], rest, parent=context.parent):
        pass  # parsed; leaving the context closes any file an option opened
    return tuple(path)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("documented")
    _run(["data", "demo"], folder)
    return folder


def _run(
    args: list[str], folder: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "LMI_DATA_DIR": str(folder),
        "LMI_SOURCE_DIR": str(folder / "no-source"),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    env.pop("LMI_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "lmi", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_docs_show_commands() -> None:
    files = {name for name, _ in documented()}
    assert {"README.md", "admin.md", "deployment.md"} <= files
    assert len(documented()) >= 25


@pytest.mark.parametrize(("doc", "command"), documented(), ids=lambda v: str(v)[:60])
def test_documented_command(doc: str, command: str, demo_dir: Path, tmp_path: Path) -> None:
    sample = ROOT / "tests" / "data" / "regions" / "uk_itl1_2021.csv"
    if not sample.is_file():
        sample = next((ROOT / "tests" / "data").rglob("*.csv"))
    args = _words(command, sample, tmp_path)
    try:
        path = _parse(args)
    except click.ClickException as exc:
        pytest.fail(f"{doc}: `{command}` does not parse: {exc.format_message()}")
    interactive = path == ("admin", "create-user") and "--password-stdin" not in args
    if path not in CHEAP or interactive:  # a prompt for a password needs a terminal
        return
    stdin = "correct horse battery staple 42\n" if "--password-stdin" in args else None
    result = _run(args, demo_dir, stdin)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, (
        doc,
        command,
        result.stderr[-2000:],
    )
    if path != ("data", "check"):  # checking a file of another name reports it, exit 1
        assert result.returncode == 0, (doc, command, result.stderr[-2000:])
