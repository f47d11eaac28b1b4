"""Every built-in framework file is exactly what its derivation script makes from its seed document."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

from evidence.frameworks.catalogue import save_framework

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
BUILTIN = {"000": "units-of-competence", "001": "community-link-worker", "002": "councils",
           "003": "admin-job-family", "004": "axelos-skills"}


@pytest.mark.parametrize(("seed", "framework_id"), BUILTIN.items())
def test_yaml_matches_derivation(seed: str, framework_id: str, tmp_path: Path) -> None:
    if not list(SEEDS.glob(f"{seed}_*.txt")):
        if os.environ.get("CI"):
            pytest.fail(f"seed {seed} is missing from {SEEDS}: CI must check every derivation")
        pytest.skip("seed documents (../shared/seeds) are not available")
    module = importlib.import_module(f"scripts.derive_frameworks.seed_{seed}")
    out = save_framework(module.build(REPO), tmp_path / f"{framework_id}.yaml")
    assert out.read_text(encoding="utf-8") == (REPO / "frameworks" / f"{framework_id}.yaml").read_text(encoding="utf-8")
