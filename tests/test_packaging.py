"""An installed wheel behaves like the checkout: the runtime data the library reads, the app's pages and the
built-in frameworks and models are inside it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(REPO)], check=True, capture_output=True)
    [wheel] = out.glob("evidence-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_ships_the_data_the_library_reads(wheel_files: set[str]) -> None:
    assert {"evidence/data/none_examples.txt", "evidence/data/samples/clw-applications.csv"} <= wheel_files


def test_the_wheel_ships_the_app(wheel_files: set[str]) -> None:
    pages = {p.name for p in (REPO / "src" / "evidence" / "app" / "routes").glob("*.py")}
    assert "evidence/app/main.py" in wheel_files
    assert {f"evidence/app/routes/{name}" for name in pages} <= wheel_files


def test_the_wheel_ships_the_built_in_frameworks_and_models(wheel_files: set[str]) -> None:
    frameworks = {p.name for p in (REPO / "frameworks").glob("*.yaml")}
    assert {f"evidence/builtin_frameworks/{name}" for name in frameworks} <= wheel_files
    heads = {str(p.relative_to(REPO / "models")) for p in (REPO / "models").rglob("head.skops")}
    assert heads and {f"evidence/builtin_models/{head}" for head in heads} <= wheel_files
    assert not any(name.endswith(".joblib") and "/builtin_models/" in name and "head" in name for name in wheel_files)
