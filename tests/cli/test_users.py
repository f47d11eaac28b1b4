"""`evidence users` (evidence.cli.users): add users (password given or prompted for) and list them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from evidence.cli import app
from evidence.services.auth import UserRole, authenticate


def test_the_users_command_adds_users(fresh_home: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["users", "add", "sam", "--role", "reviewer", "--password", "sam-password"])
    assert done.exit_code == 0, done.output
    assert authenticate("sam", "sam-password").role is UserRole.reviewer
    prompted = runner.invoke(app, ["users", "add", "kim", "--role", "admin"], input="kim-password\nkim-password\n")
    assert prompted.exit_code == 0, prompted.output
    assert authenticate("kim", "kim-password").role is UserRole.admin
    refused = runner.invoke(app, ["users", "add", "kim", "--role", "admin", "--password", "kim-password"])
    assert refused.exit_code == 2 and "--replace" in refused.output
    listed = runner.invoke(app, ["users", "list"])
    assert "kim" in listed.output and "reviewer" in listed.output
    assert listed.stderr == f"{fresh_home / 'users.json'}: 2 users\n"


def test_an_unknown_role_exits_2(fresh_home: Path) -> None:
    result = CliRunner().invoke(app, ["users", "add", "a", "--role", "nobody", "--password", "a-password"])
    assert result.exit_code == 2
    assert result.stderr == "error: unknown role 'nobody'; choose one of recruiter, reviewer, admin\n"
