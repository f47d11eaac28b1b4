"""The package's shape: layers import only downward (import-linter's contracts in pyproject.toml), Streamlit
only under the app layer, no module over 500 lines, and every module says its one job."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "evidence"
MAX_LINES = 500


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations/versions" not in p.as_posix())


def test_layers_import_only_downward_and_streamlit_stays_in_the_app() -> None:
    # in-function imports count too: grimp reads every import statement, wherever it stands
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True) == 0


def test_no_two_modules_import_each_other_even_indirectly() -> None:
    """The layer contract orders packages; this finds circles inside a package too (Tarjan's strongly connected
    components over grimp's module graph, in-function imports included)."""
    graph = grimp.build_graph("evidence", cache_dir=None)
    edges = {m: {d for d in graph.find_modules_directly_imported_by(m) if d.split(".")[0] == "evidence"}
             for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = stack[stack.index(module):]
            del stack[stack.index(module):]
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert circles == []


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
