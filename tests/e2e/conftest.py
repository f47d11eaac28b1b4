"""End-to-end fixtures: a real `streamlit run src/evidence/app/main.py` server and a headless Debian Chromium.

The browser is the system's ``/usr/bin/chromium`` (``apt-get install chromium``); Playwright never
downloads one. Without it every test here is skipped with the reason. Screenshots of each page go
to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from evidence.app.serve import serve_command

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("EVIDENCE_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
START_TIMEOUT = 90


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"end-to-end tests need Chromium at {CHROMIUM}: "
                                   "apt-get install -y chromium (or set EVIDENCE_CHROMIUM)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class AppServer:
    """`evidence.app.serve.serve_command` on a free localhost port with its own EVIDENCE_HOME; restartable."""

    home: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "EVIDENCE_HOME": str(self.home), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        env.pop("EVIDENCE_DATABASE_URL", None)
        self.log = self.home / f"server-{time.time_ns()}.log"
        command = serve_command(self.port)  # the command `evidence demo` runs
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app server exited: {self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the app server did not start in {START_TIMEOUT}s: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    from evidence.services import auth
    from tests.factories import APP_PASSWORDS

    home = tmp_path_factory.mktemp("evidence-home")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    previous = os.environ.get("EVIDENCE_HOME")
    os.environ["EVIDENCE_HOME"] = str(home)
    try:
        for name, password in APP_PASSWORDS.items():  # not the demo accounts: those must change first
            auth.add_user(name, password, name)
    finally:
        if previous is None:
            os.environ.pop("EVIDENCE_HOME", None)
        else:
            os.environ["EVIDENCE_HOME"] = previous
    server = AppServer(home)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.set_default_timeout(30_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # a script that ran would have opened one: tests assert it stays empty
    yield page
    context.close()


def settle(page: object, timeout: int = 120_000) -> None:
    """Wait until the app's script has finished its run (Streamlit marks the app root while it runs)."""
    page.wait_for_timeout(300)  # a click's rerun starts a moment later
    page.locator("[data-testid=stApp]:not([data-test-script-state=running])"
                 ":not([data-test-script-state=rerunRequested])").wait_for(timeout=timeout)


@pytest.fixture(scope="session")
def screenshot() -> object:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: object, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        settle(page)
        page.wait_for_timeout(1000)  # data grids and charts draw after the script finishes
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
