"""``lmi admin``: bootstrap and manage dashboard users from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lmi.admin import auth
from lmi.cli.main import cli
from lmi.store import Database

PASSWORD = "correct horse battery"


def run(tmp_path: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "admin", *args], input=stdin)
    return result.exit_code, result.output


def _hash(tmp_path: Path, user: str) -> str:
    db = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    try:
        return str(
            db.execute(
                "SELECT password_hash FROM admin_users WHERE username = :u", {"u": user}
            ).scalar()
        )
    finally:
        db.close()


def test_user_lifecycle(tmp_path: Path) -> None:
    code, out = run(tmp_path, "list-users")
    assert code == 0 and "no dashboard users yet" in out
    code, out = run(
        tmp_path, "create-user", "ada", "--role", "admin", "--password-stdin", stdin=PASSWORD
    )
    assert code == 0 and "user 'ada' created" in out and "role admin" in out
    assert auth.verify_password(PASSWORD, _hash(tmp_path, "ada"))

    # prompted twice, hidden, when not piped
    code, out = run(tmp_path, "create-user", "vic", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 0 and "role viewer" in out and PASSWORD not in out

    code, out = run(tmp_path, "list-users", "--json")
    users = {u["username"]: u for u in json.loads(out)}
    assert users["ada"]["role"] == "admin" and users["vic"]["role"] == "viewer"
    assert "password_hash" not in users["ada"]

    assert run(tmp_path, "set-role", "vic", "loader")[0] == 0
    code, out = run(tmp_path, "list-users")
    assert "vic" in out and "loader" in out and "active" in out

    before = _hash(tmp_path, "vic")
    code, out = run(tmp_path, "set-password", "vic", "--password-stdin", stdin="a new password!")
    assert code == 0 and "signed out" in out
    assert _hash(tmp_path, "vic") != before
    assert auth.verify_password("a new password!", _hash(tmp_path, "vic"))

    assert run(tmp_path, "disable-user", "vic")[0] == 0
    assert "disabled" in run(tmp_path, "list-users")[1]
    assert run(tmp_path, "enable-user", "vic")[0] == 0
    assert "disabled" not in run(tmp_path, "list-users")[1]


def test_clear_errors(tmp_path: Path) -> None:
    code, out = run(tmp_path, "create-user", "ada", "--password-stdin", stdin="short")
    assert code == 1 and "at least 10 characters" in out
    code, out = run(tmp_path, "create-user", "ada", "--role", "root", "--password-stdin")
    assert code == 2 and "root" in out  # not a role
    code, out = run(tmp_path, "set-password", "nobody", "--password-stdin", stdin=PASSWORD)
    assert code == 1 and "no dashboard user 'nobody'" in out
    run(tmp_path, "create-user", "ada", "--password-stdin", stdin=PASSWORD)
    code, out = run(tmp_path, "create-user", "ada", "--password-stdin", stdin=PASSWORD)
    assert code == 1 and "already exists" in out
    code, out = run(tmp_path, "create-user", "vic", stdin=f"{PASSWORD}\nsomething else\n")
    assert code != 0 and "do not match" in out.lower()
