"""`evidence users` (evidence.cli.users): add users (password prompted for, or read from stdin) and list them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from evidence.cli import app
from evidence.services.auth import UserRole, authenticate
from tests.factories import cheap_hashing

SAM, KIM = "sam's reviewing passphrase", "kim's admin passphrase"


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)


def test_the_users_command_adds_users(fresh_home: Path) -> None:
    runner = CliRunner()
    prompted = runner.invoke(app, ["users", "add", "kim", "--role", "admin"], input=f"{KIM}\n{KIM}\n")
    assert prompted.exit_code == 0, prompted.output
    assert authenticate("kim", KIM).role is UserRole.admin
    piped = runner.invoke(app, ["users", "add", "sam", "--role", "reviewer", "--password-stdin"], input=f"{SAM}\n")
    assert piped.exit_code == 0, piped.output
    assert authenticate("sam", SAM).role is UserRole.reviewer
    refused = runner.invoke(app, ["users", "add", "kim", "--role", "admin", "--password-stdin"], input=f"{KIM}\n")
    assert refused.exit_code == 2 and "--replace" in refused.output
    listed = runner.invoke(app, ["users", "list"])
    assert "kim" in listed.output and "reviewer" in listed.output
    assert listed.stderr == f"{fresh_home / 'users.json'}: 2 users\n"


def test_a_password_on_the_command_line_works_with_a_warning(fresh_home: Path) -> None:
    done = CliRunner().invoke(app, ["users", "add", "sam", "--role", "reviewer", "--password", SAM])
    assert done.exit_code == 0, done.output
    assert "--password is visible to other users" in done.stderr
    assert authenticate("sam", SAM).role is UserRole.reviewer


@pytest.mark.parametrize(("password", "message"), [
    ("password", "the password is too short (8 characters); use at least 15"),
    ("1qaz2wsx3edc4rfv", "the password is a demo password or one of the 30,000 most common passwords"),
    ("                ", "the password is only spaces"),
])
def test_a_weak_password_exits_2_and_says_why(fresh_home: Path, password: str, message: str) -> None:
    result = CliRunner().invoke(app, ["users", "add", "a", "--role", "admin", "--password-stdin"],
                                input=f"{password}\n")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {message}")
    assert not (fresh_home / "users.json").exists()


def test_an_unknown_role_exits_2(fresh_home: Path) -> None:
    result = CliRunner().invoke(app, ["users", "add", "a", "--role", "nobody", "--password-stdin"],
                                input="a long enough passphrase\n")
    assert result.exit_code == 2
    assert result.stderr == "error: unknown role 'nobody'; choose one of recruiter, reviewer, admin\n"
