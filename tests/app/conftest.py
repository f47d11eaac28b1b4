"""What the app's tests share: a data directory of their own with a stand-in analyzer, and its store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence.app import session
from evidence.store import Store
from tests.factories import FakeAnalyzer


@pytest.fixture
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """$EVIDENCE_HOME in tmp_path, its SQLite store, and every framework analysed by :class:`FakeAnalyzer`."""
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path))
    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    monkeypatch.setattr(session, "load_analyzer", lambda framework, model="promoted": FakeAnalyzer(framework))
    session._cached_analyzer.clear()
    yield tmp_path
    session._cached_analyzer.clear()


def store_for(home: Path) -> Store:
    return Store.open(f"sqlite:///{home / 'evidence.db'}")
