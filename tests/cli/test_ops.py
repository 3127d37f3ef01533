from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from lmi.cli.main import cli


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), *args])
    return result.exit_code, result.output


def test_keys_lifecycle(tmp_path: Path) -> None:
    code, out = run(
        tmp_path, "keys", "create", "Careers service", "--scope", "pay:md", "--rate", "600"
    )
    assert code == 0
    key = re.search(r"lmi_[A-Za-z0-9_-]{32}", out)
    assert key is not None
    code, out = run(tmp_path, "keys", "list")
    assert "Careers service" in out and "pay:md" in out and "active" in out
    assert key.group(0) not in out  # only a prefix is ever shown again
    assert run(tmp_path, "keys", "revoke", "1")[0] == 0
    assert "revoked" in run(tmp_path, "keys", "list")[1]
    code, out = run(tmp_path, "keys", "revoke", "1")
    assert code == 1 and "no active API key with id 1" in out


def test_usage_empty(tmp_path: Path) -> None:
    code, out = run(tmp_path, "usage")
    assert code == 0 and out == ""
