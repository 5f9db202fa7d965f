"""Public pages on a slow 3G connection, empty cache: bytes transferred and load time, per page.

    python bench/public/run.py                    # starts `haven demo` on a free port, with its own data folder
    python bench/public/run.py --url http://127.0.0.1:8000   # measures a server already running

Chromium (Debian's, as the browser tests use) is throttled with DevTools' own Slow 3G profile
(haven/testing/pageweight.py: 400 kbit/s, 2 s latency) through the DevTools protocol
(Network.emulateNetworkConditions). Prints a Markdown table for docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from haven.testing.pageweight import BUDGET_BYTES, SLOW_3G, measure, public_pages  # noqa: E402
from haven.testing.processes import free_port, haven_env  # noqa: E402

CHROMIUM = os.environ.get("HAVEN_CHROMIUM", "/usr/bin/chromium")


def start_demo(data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(data_dir.parent / "demo.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "haven", "demo", "--port", str(port)], cwd=REPO,
                               env=haven_env(data_dir), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"haven demo exited: see {log.name}")
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            return process, url
        except OSError:
            time.sleep(1)
    process.terminate()
    raise SystemExit("haven demo did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Haven (default: start `haven demo`)")
    parser.add_argument("--language", default="en")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    process = None
    folder = tempfile.TemporaryDirectory(prefix="haven-bench-public-")
    try:
        if args.url:
            url = args.url.rstrip("/")
        else:
            data = Path(folder.name) / "data"
            process, url = start_demo(data)
        pages = public_pages(url)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            measure(browser, url, "/healthz")  # a first request warms the server, not counted
            rows = [measure(browser, url, path, throttle=SLOW_3G, language=args.language) for path in pages]
            browser.close()
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=60)
        folder.cleanup()
    load = os.getloadavg()
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} · {platform.processor() or platform.machine()}"
          f" · {os.cpu_count()} CPUs · load average {load[0]:.1f} · Chromium Slow 3G (400 kbit/s, 2 s latency),"
          f" empty cache, language {args.language}\n")
    print("| Page | Status | Transferred | Requests | Fonts | Load (slow 3G) | Under 100 KB |")
    print("|---|---|---:|---:|---:|---:|---|")
    for row in rows:
        print(f"| `{row.path}` | {row.status} | {row.transferred / 1000:.1f} kB | {row.requests} | {row.font_bytes} B"
              f" | {row.load_ms / 1000:.1f} s | {'yes' if row.transferred < BUDGET_BYTES else '**no**'} |")
    foreign = sorted({url for row in rows for url in row.foreign})
    print(f"\nRequests to other origins: {len(foreign)}" + (": " + ", ".join(foreign) if foreign else ""))
    return 0 if all(row.transferred < BUDGET_BYTES for row in rows) and not foreign else 1


if __name__ == "__main__":
    raise SystemExit(main())
