"""What every browser test shares: a Streamlit server on a free 127.0.0.1 port, Debian's Chromium driven by
Playwright, and a watch on what a user could see go wrong (an exception box, a console error, a request that
leaves the machine), with a screenshot per page kept as an artifact.

Chromium is never downloaded: the tests skip, with the reason, only where /usr/bin/chromium or Playwright is
missing. Screenshots go to $TRAINBOARD_E2E_ARTIFACTS, or test-artifacts/e2e/ in the repository (git-ignored).
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ON_THIS_MACHINE = {"127.0.0.1", "localhost", "::1"}
PAGE_TIMEOUT_MS = 120_000
ARTIFACTS = Path(os.environ.get("TRAINBOARD_E2E_ARTIFACTS") or REPO / "test-artifacts" / "e2e")

try:
    from playwright import sync_api
except ImportError:  # the tests below are marked skipped; the name stays importable for their modules
    sync_api = None


def _missing() -> str | None:
    """Why these browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: the browser tests need Debian's Chromium (apt-get install -y chromium)"
    if sync_api is None:
        return "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
    return None


def pytest_collection_modifyitems(config, items):
    # A skip raised while importing a conftest is a collection error, not a skip: mark this folder's tests instead.
    reason = _missing()
    if reason:
        here = Path(__file__).parent
        for item in items:
            if Path(item.fspath).is_relative_to(here):
                item.add_marker(pytest.mark.skip(reason=reason))


def free_port(first: int = 8650, last: int = 8799) -> int:
    for port in range(first, last + 1):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip(f"no free port in {first}-{last}")


@dataclass
class Server:
    url: str
    home: Path
    process: subprocess.Popen
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def start_server(home: Path, log: Path, timeout_s: float = 90) -> Server:
    """`streamlit run app.py` with the repository's config (127.0.0.1, headless) and its own TRAINBOARD_HOME."""
    port = free_port()
    env = {**os.environ, "TRAINBOARD_HOME": str(home)}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", home, process, log)
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=1):
                return server
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop_server(server)
                pytest.fail(f"streamlit did not start on port {port}:\n{server.log_tail()}")
            time.sleep(0.2)


def stop_server(server: Server) -> None:
    """Ends the server and the workers it started (they share its session)."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
    try:
        os.killpg(server.process.pid, 15)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    started = start_server(home, home / "streamlit.log")
    try:
        yield started
    finally:
        stop_server(started)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def leaves_the_machine(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "chrome-extension"):
        return False
    return parsed.hostname not in ON_THIS_MACHINE


@dataclass
class Watch:
    """What went wrong in the browser while a test drove it; `assert_clean` fails with all of it at once."""

    off_machine: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        problems = []
        if self.off_machine:
            problems.append(f"requests that left the machine: {sorted(set(self.off_machine))}")
        if self.console_errors:
            problems.append(f"browser console errors: {self.console_errors}")
        if self.page_errors:
            problems.append(f"uncaught page errors: {self.page_errors}")
        assert not problems, "\n".join(problems)


@dataclass
class Session:
    """One browser tab on the app, as a user holds it."""

    page: object
    watch: Watch
    server: Server
    name: str
    shots: list[Path] = field(default_factory=list)

    def open(self, title: str) -> None:
        """Click a page in the sidebar and wait until it has drawn."""
        self.page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
        self.settle(title)

    def settle(self, title: str | None = None, quiet_ms: int = 800) -> None:
        """Wait for the page's title (when given), then for the script run to end (the running widget hides)."""
        if title:
            self.page.locator("h1", has_text=title).first.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
        self.page.wait_for_timeout(300)  # a rerun the last action started shows its widget within this
        self.page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=PAGE_TIMEOUT_MS)
        self.page.wait_for_timeout(quiet_ms)

    def key(self, key: str):
        """The element of the widget created with key=... (Streamlit gives it the class st-key-<key>)."""
        return self.page.locator(f".st-key-{key}")

    def assert_no_exception(self, where: str) -> None:
        boxes = self.page.get_by_test_id("stException")
        if boxes.count():
            self.shot(f"exception-{where}")
            raise AssertionError(f"{where}: Streamlit exception box: {boxes.first.inner_text()[:800]}")

    def shot(self, label: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{len(self.shots):02d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.png"
        # Streamlit scrolls the page inside its own container, so a full-page screenshot would show one screen:
        # let the containers grow to their content for the picture, then put their styles back.
        self.page.evaluate(_UNFOLD)
        try:
            self.page.screenshot(path=str(path), full_page=True)
        finally:
            self.page.evaluate(_REFOLD)
        self.shots.append(path)
        return path


_UNFOLD = """() => {
  const selectors = ['html', 'body', '[data-testid="stApp"]', '[data-testid="stAppViewContainer"]',
                     '[data-testid="stMain"]'];
  window.__trainboardFolded = [];
  for (const el of selectors.map((s) => document.querySelector(s)).filter(Boolean)) {
    window.__trainboardFolded.push([el, el.style.cssText]);
    Object.assign(el.style, {height: 'auto', maxHeight: 'none', overflow: 'visible'});
  }
}"""
_REFOLD = "() => { for (const [el, css] of window.__trainboardFolded || []) el.style.cssText = css; }"


# Chromium's own complaints that are not the app's: none are expected, so none are listed yet. A message is
# an app bug unless it is added here with the reason.
IGNORED_CONSOLE = ()


def open_session(browser, server: Server, name: str, viewport=(1400, 900)) -> Session:
    watch = Watch()
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True)
    context.on("request", lambda r: watch.off_machine.append(r.url) if leaves_the_machine(r.url) else None)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)

    def on_console(message):
        if message.type == "error" and not any(ignored in message.text for ignored in IGNORED_CONSOLE):
            watch.console_errors.append(message.text[:300])

    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)[:300]))
    page.goto(server.url)
    session = Session(page, watch, server, name)
    session.settle("Data")
    return session
