"""In Chromium: every page of the app opens without one request leaving this machine (fonts, favicon, telemetry).

Starts `streamlit run app.py` with the repository's .streamlit/config.toml on a free port and an empty
TRAINBOARD_HOME, opens the app, then every page from the sidebar as a user would, and records every request the
browser makes. Skips when /usr/bin/chromium or Playwright is missing (it never downloads a browser).
Run: python -m pytest tests/e2e/test_offline.py
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = ["Data", "Explore", "Baselines", "Neural Nets", "Playground", "Compare", "Sweeps", "Studies"]
ON_THIS_MACHINE = {"127.0.0.1", "localhost", "::1"}
PAGE_TIMEOUT_MS = 120_000

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing: this browser check needs Chromium (never downloaded)"
)


def _free_port(first: int = 8650, last: int = 8699) -> int:
    for port in range(first, last + 1):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip(f"no free port in {first}-{last}")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    port = _free_port()
    env = {**os.environ, "TRAINBOARD_HOME": str(tmp_path_factory.mktemp("home"))}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start on port {port}")
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _leaves_the_machine(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return False
    return parsed.hostname not in ON_THIS_MACHINE


def _settle(page, title: str) -> None:
    """Wait for the page's title, then for its script run to finish (the 'running' widget goes away)."""
    page.locator("h1", has_text=title).first.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(1500)  # figures and icons that load after the run


def test_every_page_opens_without_a_request_off_the_machine(app_url):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    off_machine, failed = [], []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.on("request", lambda r: off_machine.append(r.url) if _leaves_the_machine(r.url) else None)
            page = context.new_page()
            page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
            page.goto(app_url)
            _settle(page, "Data")
            favicon = page.evaluate("document.querySelector(\"link[rel='shortcut icon']\").href")
            for title in PAGES[1:]:
                page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
                _settle(page, title)
        finally:
            browser.close()
    assert not off_machine, f"requests that left the machine: {sorted(set(off_machine))}"
    assert not _leaves_the_machine(favicon), favicon
    assert not [f for f in failed if _leaves_the_machine(f.split(" ")[0])], failed
