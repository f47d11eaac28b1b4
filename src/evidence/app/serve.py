"""Serving the app: where its entry point lives inside the package, and the `streamlit run` command for it.

Importing this module does not import Streamlit, so `evidence demo` builds its command cheaply.
"""

from __future__ import annotations

import sys
from pathlib import Path

MAIN = Path(__file__).resolve().with_name("main.py")  # packaged with the wheel, like the pages beside it


def app_path() -> Path:
    """The Streamlit entry point, ``evidence/app/main.py``."""
    return MAIN


def serve_command(port: int, address: str = "localhost") -> list[str]:
    """The command that serves the app headless on ``address:port``."""
    return [sys.executable, "-m", "streamlit", "run", str(app_path()), "--server.headless=true",
            f"--server.port={port}", f"--server.address={address}", "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none", "--client.toolbarMode=minimal"]
