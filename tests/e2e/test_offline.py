"""In Chromium: every page of the app opens without one request leaving this machine (fonts, favicon, telemetry).

Starts `streamlit run app.py` with the repository's .streamlit/config.toml on a free port and an empty
TRAINBOARD_HOME (tests/e2e/conftest.py), opens the app, then every page from the sidebar as a user would, and
records every request the browser makes.
Run: python -m pytest tests/e2e/test_offline.py
"""

from tests.e2e.conftest import leaves_the_machine, open_session

PAGES = ["Data", "Explore", "Baselines", "Neural Nets", "Playground", "Compare", "Sweeps", "Studies"]


def test_every_page_opens_without_a_request_off_the_machine(server, browser):
    failed = []
    session = open_session(browser, server, "offline")
    session.page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    favicon = session.page.evaluate("document.querySelector(\"link[rel='shortcut icon']\").href")
    for title in PAGES[1:]:
        session.open(title)
        session.assert_no_exception(title)
    session.page.context.close()
    assert not session.watch.off_machine, f"requests that left the machine: {sorted(set(session.watch.off_machine))}"
    assert not leaves_the_machine(favicon), favicon
    assert not [f for f in failed if leaves_the_machine(f.split(" ")[0])], failed
