"""Serving the app (evidence.app.serve): the entry point and its pages live inside the package."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from evidence.app import session
from evidence.app.serve import app_path, serve_command


def test_the_entry_point_and_pages_are_in_the_package() -> None:
    path = app_path()
    assert path.name == "main.py" and path.parent.name == "app" and path.parent.parent.name == "evidence"
    assert path.is_file()
    for spec in session.PAGES:
        assert (path.parent / "routes" / spec.file).is_file()
    assert (path.parent / "routes" / session.SIGN_IN_PAGE).is_file()


def test_the_serve_command_runs_streamlit_headless() -> None:
    command = serve_command(8600)
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"] and command[4] == str(app_path())
    assert {"--server.headless=true", "--server.port=8600", "--server.address=localhost"} <= set(command)
    assert "--server.address=0.0.0.0" in serve_command(8600, "0.0.0.0")


def test_no_app_module_shadows_a_standard_module() -> None:
    """`streamlit run` puts the app's folder first on sys.path: an app/html.py would replace the standard
    library's html for every library the app imports (it broke mako, and with it the whole app)."""
    app_folder = Path(app_path()).parent
    names = {p.stem for p in app_folder.glob("*.py")} | {p.name for p in app_folder.iterdir() if p.is_dir()}
    assert names & set(sys.stdlib_module_names) == set()


def test_the_browser_gets_no_error_details() -> None:
    """Tracebacks with server paths were shown to every user (D22): the served app and a `streamlit run` from
    the repository root both keep them in the server log."""
    assert "--client.showErrorDetails=none" in serve_command(8600)
    config = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
