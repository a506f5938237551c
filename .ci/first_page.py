"""Opens a running Trainboard in Debian's Chromium and checks that its first page (Data) renders: the title is
visible, the script run ends, and no Streamlit exception box shows. Used by .ci/newcomer.
Run: python .ci/first_page.py http://localhost:8501"""

import sys
import time

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main(url: str) -> int:
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(url)
        page.locator("h1", has_text="Data").first.wait_for(state="visible", timeout=60_000)
        page.wait_for_timeout(300)
        page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)
        exceptions = page.get_by_test_id("stException").count()
        pages = page.get_by_test_id("stSidebarNav").get_by_role("link").count()
        browser.close()
    if exceptions:
        print(f"first page: {exceptions} exception box(es) on the Data page")
        return 1
    print(f"first page: 'Data' rendered in {time.monotonic() - started:.1f} s; {pages} pages in the sidebar")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
