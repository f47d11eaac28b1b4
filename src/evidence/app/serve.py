"""Serving the app: where its entry point lives inside the package, and the `streamlit run` command for it.

Importing this module does not import Streamlit, so `evidence demo` builds its command cheaply.
"""

from __future__ import annotations

import sys
from pathlib import Path

from evidence.io.limits import LIMITS

MAIN = Path(__file__).resolve().with_name("main.py")  # packaged with the wheel, like the pages beside it


def app_path() -> Path:
    """The Streamlit entry point, ``evidence/app/main.py``."""
    return MAIN


# What the browser is told about an uncaught exception: "none" shows a generic message only; the type, message
# and traceback (with server paths) go to the server log. Streamlit's default, "full", showed tracebacks to
# every user (reliability review, D22). The pages catch the project's errors themselves and say what to fix.
ERROR_DETAILS = "none"
# Uploads larger than the reading boundary's file limit (io.limits) are refused by the browser already.
MAX_UPLOAD_MB = LIMITS.file_bytes // (1024 * 1024)


def serve_command(port: int, address: str = "localhost") -> list[str]:
    """The command that serves the app headless on ``address:port``, with error details kept server-side."""
    return [sys.executable, "-m", "streamlit", "run", str(app_path()), "--server.headless=true",
            f"--server.port={port}", f"--server.address={address}", "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none", "--client.toolbarMode=minimal",
            f"--client.showErrorDetails={ERROR_DETAILS}", f"--server.maxUploadSize={MAX_UPLOAD_MB}"]
