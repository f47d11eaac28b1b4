"""Shared fixtures: an isolated data directory per test session, and the real engine loaded once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.store.backends import database_url  # noqa: F401 - a fixture: SQLite, and PostgreSQL when given

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def evidence_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test runs against a fresh $EVIDENCE_HOME, never the user's own data."""
    home = tmp_path_factory.mktemp("evidence-home")
    os.environ["EVIDENCE_HOME"] = str(home)
    return home


@pytest.fixture()
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, evidence_home: Path) -> Path:
    """A data directory of its own for tests that write models or imports; shares the embedding cache."""
    home = tmp_path / "home"
    (home).mkdir()
    cache = evidence_home / "cache"
    cache.mkdir(exist_ok=True)
    (home / "cache").symlink_to(cache, target_is_directory=True)
    monkeypatch.setenv("EVIDENCE_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def clw_analyzer():
    """The real engine (packaged encoder and spaCy pipeline) on the Community Link Worker framework."""
    from evidence.engine.analyzer import Analyzer
    from evidence.frameworks.catalogue import get_framework

    return Analyzer(get_framework("community-link-worker"), model_version="zero-shot")


@pytest.fixture()
def encoder_runtime(monkeypatch: pytest.MonkeyPatch):
    """``encoder_runtime("onnx")`` sets EVIDENCE_ENCODER_RUNTIME for one test; later tests get the default
    encoder again."""
    from evidence.engine import encoder

    def use(name: str) -> None:
        monkeypatch.setenv("EVIDENCE_ENCODER_RUNTIME", name)
        encoder.load_encoder.cache_clear()

    yield use
    encoder.load_encoder.cache_clear()
