"""The package's shape: layers import only downward (import-linter's contracts in pyproject.toml), Streamlit
only under the app layer, no module over 500 lines, and every module says its one job."""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "evidence"
MAX_LINES = 500


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations/versions" not in p.as_posix())


def test_layers_import_only_downward_and_streamlit_stays_in_the_app() -> None:
    # in-function imports count too: grimp reads every import statement, wherever it stands
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True) == 0


def test_no_module_looks_modules_up_by_name() -> None:
    """importlib lookups hide dependencies from the layer check (the 'optional learning module' of old). The one
    exception is the package root's lazy public API, a fixed table of names that sits in no layer."""
    root = PACKAGE / "__init__.py"
    found = [f"{p.relative_to(REPO)}:{n.lineno}" for p in _modules() if p != root
             for n in ast.walk(ast.parse(p.read_text()))
             if isinstance(n, ast.Attribute) and n.attr in {"import_module", "__import__"}]
    assert found == []


def test_no_module_is_over_500_lines() -> None:
    long = {str(p.relative_to(REPO)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_every_module_says_its_job() -> None:
    missing = [str(p.relative_to(REPO)) for p in _modules()
               if p.read_text().strip() and not ast.get_docstring(ast.parse(p.read_text()))]
    assert missing == []
