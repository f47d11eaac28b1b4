"""The embedded default (evidence.services.demo) through `evidence demo --no-serve`."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.services import demo
from tests.factories import FakeAnalyzer


def test_prepare_demo_reports_what_it_set_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path))
    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    monkeypatch.setattr(demo, "load_analyzer", lambda framework, model="promoted": FakeAnalyzer(framework))
    setup = demo.prepare_demo()
    assert setup.users_created and setup.batch_created and setup.users_file == tmp_path / "users.json"
    assert set(setup.credentials) == {"admin", "recruiter", "reviewer"}
    again = demo.prepare_demo()
    assert not again.users_created and not again.batch_created and again.batch_id == setup.batch_id
