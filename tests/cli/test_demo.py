"""`evidence demo` (evidence.cli.demo): prepares the embedded default once, then only reports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from evidence.cli import app
from evidence.services import auth, demo
from evidence.services.screening import SAMPLE_BATCH_NAME
from evidence.store import Store
from tests.factories import FakeAnalyzer, cheap_hashing


def test_the_demo_command_prepares_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path))
    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    monkeypatch.setattr(demo, "load_analyzer", lambda framework, model="promoted": FakeAnalyzer(framework))
    cheap_hashing(monkeypatch)
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "screened now" in first.output and "admin-demo" in first.output
    assert "must choose a new password at first sign-in" in first.output
    second = runner.invoke(app, ["demo", "--no-serve"])
    assert "already there" in second.output
    with Store.open(f"sqlite:///{tmp_path / 'evidence.db'}") as store:
        [batch] = store.list_batches()
        assert batch.name == SAMPLE_BATCH_NAME and batch.documents == 24 and batch.blind
        assert store.review_queue(batch_id=batch.id)


def test_serving_runs_the_app_and_exits_with_its_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path))
    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    monkeypatch.setattr(demo, "load_analyzer", lambda framework, model="promoted": FakeAnalyzer(framework))
    cheap_hashing(monkeypatch)
    served: list[list[str]] = []
    monkeypatch.setattr(subprocess, "call", lambda command: served.append(command) or 3)
    local = CliRunner().invoke(app, ["demo", "--port", "8600"])
    assert local.exit_code == 3
    assert "serving the app at http://localhost:8600 (Ctrl+C to stop)" in local.stdout
    # On every interface, not while the demo accounts keep their published passwords
    refused = CliRunner().invoke(app, ["demo", "--port", "8600", "--address", "0.0.0.0"])
    assert refused.exit_code == 2 and len(served) == 1
    assert "still have their published passwords" in refused.stderr
    for name, (_role, password) in auth.DEMO_USERS.items():
        auth.change_password(name, password, f"{name}'s own new passphrase")
    result = CliRunner().invoke(app, ["demo", "--port", "8600", "--address", "0.0.0.0"])
    assert result.exit_code == 3
    assert "serving the app at http://localhost:8600 (Ctrl+C to stop)" in result.stdout
    assert {"--server.port=8600", "--server.address=0.0.0.0"} <= set(served[-1])
