"""Target: the app draws its first page (the Data page's title) within 3 s of `streamlit run`.

Measured from outside, as a user sees it: Chromium is started first (its own start-up is not the app's), then
the clock starts with `python -m streamlit run app.py` on a free port with an empty TRAINBOARD_HOME; the page is
opened as soon as the server answers its health check, and the clock stops when the Data page's title is
visible. Also printed: when the server answered, when the default dataset's first figure was drawn, and the CPU
seconds the server process used up to the title (steadier than wall time when other work shares the machine).
Run: python bench/bench_first_render.py [--runs N] [--port P] [--json]
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _cli import machine, scratch_home
from record import Result, print_json_if_asked
from targets import TARGETS

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TARGET = TARGETS["first-render"]
TARGET_SECONDS = TARGET.limit


def free_port(first: int = 8650, last: int = 8699) -> int:
    for port in range(first, last + 1):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    sys.exit(f"bench: no free port in {first}-{last}")


def wait_for_health(port: int, started: float, timeout: float = 60.0) -> float:
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.perf_counter() - started < timeout:
        try:
            with urllib.request.urlopen(url, timeout=0.5) as answer:
                if answer.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.02)
    sys.exit(f"bench: the server did not answer on port {port} within {timeout:.0f} s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc; NaN elsewhere). Less sensitive than wall time
    to other work on a shared machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(browser, port: int) -> dict:
    home = scratch_home()
    env = {**os.environ, "TRAINBOARD_HOME": home}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    page = browser.new_page()
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        health = wait_for_health(port, started)
        page.goto(f"http://127.0.0.1:{port}/")
        page.locator("h1", has_text="Data").wait_for(state="visible", timeout=60_000)
        title = time.perf_counter() - started
        title_cpu = cpu_seconds(server.pid)
        # The class-balance figure of the default dataset: the page finished its first full run.
        page.locator(".stPlotlyChart").first.wait_for(state="visible", timeout=120_000)
        loaded = time.perf_counter() - started
    finally:
        page.close()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return {"health": health, "title": title, "title_cpu": title_cpu, "loaded": loaded}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="end with the result (the worst run) as one JSON line")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"bench: {CHROMIUM} is missing; this benchmark needs Chromium")
    from playwright.sync_api import sync_playwright

    port = args.port or free_port()
    load = os.getloadavg()[0]
    print(f"machine: {machine()}, load average {load:.1f}")
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for run in range(1, args.runs + 1):
            result = one_run(browser, port)
            results.append(result)
            print(
                f"run {run}: server answered {result['health']:.2f} s, Data title visible {result['title']:.2f} s, "
                f"default dataset drawn {result['loaded']:.2f} s; server CPU to the title {result['title_cpu']:.2f} s"
            )
        browser.close()
    worst = max(r["title"] for r in results)
    titles = ", ".join(f"{r['title']:.2f}" for r in results)
    cpu = ", ".join(f"{r['title_cpu']:.2f}" for r in results)
    result = Result(TARGET, worst, f"title visible {titles} s; server CPU to the title {cpu} s; load {load:.1f}")
    ok = result.met
    verdict = "met" if ok else "MISSED"
    print(f"target first page < {TARGET_SECONDS:.0f} s (worst of {len(results)} runs: {worst:.2f} s): {verdict}")
    print_json_if_asked("first_render", [result])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
