"""The `evidence` app (evidence.cli): its one error handler, and the commands it registers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import evidence.frameworks.catalogue
import evidence.frameworks.interchange
import evidence.io.tables
import evidence.learning.registry
import evidence.services.auth
import evidence.services.demo
from evidence.cli import app
from evidence.errors import EvidenceError, NotFoundError
from evidence.store import Store

MESSAGE = "something expected went wrong\n  how to fix: do the other thing"


def fail(*args: object, **kwargs: object) -> None:
    raise NotFoundError(MESSAGE)


# each command, and the library function it calls first that can fail
COMMANDS: list[tuple[list[str], object, str]] = [
    (["frameworks", "list"], evidence.frameworks.catalogue, "list_frameworks"),
    (["frameworks", "show", "x"], evidence.frameworks.catalogue, "get_framework"),
    (["frameworks", "validate", "x.csv"], evidence.frameworks.interchange, "import_framework"),
    (["frameworks", "import", "x.csv"], evidence.frameworks.interchange, "import_framework"),
    (["frameworks", "export", "x"], evidence.frameworks.catalogue, "get_framework"),
    (["analyse", "x.txt", "-f", "x"], evidence.frameworks.catalogue, "get_framework"),
    (["evaluate", "x.csv", "-f", "x"], evidence.frameworks.catalogue, "get_framework"),
    (["train", "-f", "x"], evidence.frameworks.catalogue, "get_framework"),
    (["models", "list", "-f", "x"], evidence.learning.registry, "list_versions"),
    (["models", "show", "v", "-f", "x"], evidence.learning.registry, "show_version"),
    (["models", "promote", "v", "-f", "x"], evidence.learning.registry, "promote"),
    (["models", "rollback", "-f", "x"], evidence.learning.registry, "rollback"),
    (["models", "card", "-f", "x"], evidence.frameworks.catalogue, "get_framework"),
    (["fairness", "x.json", "--demographics", "d.csv"], evidence.io.tables, "read_utf8"),
    (["corrections", "export", "-f", "x"], Store, "open"),
    (["screen", "x.csv", "-f", "x", "--name", "n"], evidence.frameworks.catalogue, "get_framework"),
    (["batches", "list"], Store, "open"),
    (["batches", "export", "n", "--format", "csv"], Store, "open"),
    (["batches", "policy", "n", "--reviewers", "2"], Store, "open"),
    (["batches", "moderation", "n"], Store, "open"),
    (["agreement", "--batch", "n"], Store, "open"),
    (["audit", "verify"], Store, "open"),
    (["audit", "export", "--format", "jsonl"], Store, "open"),
    (["users", "add", "a", "--role", "admin", "--password", "a-password"], evidence.services.auth, "add_user"),
    (["users", "list"], evidence.services.auth, "load_users"),
    (["demo", "--no-serve"], evidence.services.demo, "prepare_demo"),
]


@pytest.mark.parametrize(("command", "module", "name"), COMMANDS, ids=[" ".join(c[:2]) for c, _, _ in COMMANDS])
def test_an_expected_failure_in_any_command_exits_2_with_its_message_on_stderr(
        command: list[str], module: object, name: str, monkeypatch: pytest.MonkeyPatch, fresh_home: Path) -> None:
    monkeypatch.setattr(module, name, fail)
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 2, result.output
    assert result.stderr.endswith(f"error: {MESSAGE}\n")
    assert result.stdout == ""


def test_every_command_is_covered() -> None:
    def leaves(group: object, prefix: tuple[str, ...]) -> set[tuple[str, ...]]:
        found: set[tuple[str, ...]] = set()
        for name, command in getattr(group, "commands", {}).items():
            found |= leaves(command, (*prefix, name)) if hasattr(command, "commands") else {(*prefix, name)}
        return found

    import typer.main

    covered = {tuple(c[:2]) if c[0] in ("frameworks", "models", "corrections", "users", "batches", "audit")
               else (c[0],)
               for c, _, _ in COMMANDS}
    assert leaves(typer.main.get_command(app), ()) == covered


def test_an_unexpected_error_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(evidence.frameworks.catalogue, "list_frameworks", broken)
    result = CliRunner().invoke(app, ["frameworks", "list"])
    assert result.exit_code == 1 and isinstance(result.exception, RuntimeError)
    assert "error:" not in result.stderr


@pytest.mark.parametrize("error", [EvidenceError, NotFoundError])
def test_the_message_is_the_errors_text(error: Callable[[str], EvidenceError], monkeypatch: pytest.MonkeyPatch) -> None:
    def failing() -> None:
        raise error("no framework with id 'x'")

    monkeypatch.setattr(evidence.frameworks.catalogue, "list_frameworks", failing)
    result = CliRunner().invoke(app, ["frameworks", "list"])
    assert (result.exit_code, result.stderr) == (2, "error: no framework with id 'x'\n")


def test_no_arguments_shows_the_help() -> None:
    result = CliRunner().invoke(app, [])
    assert "analyse" in result.output and "frameworks" in result.output
