"""Screenshots of the rights pages at 360 and 1280 px, from a running demo (`haven demo`).

    HAVEN_DATA_DIR=/tmp/rights-demo HAVEN_2FA_REQUIRED_ROLES="" python -m haven demo --port 8763 &
    python docs/screenshots/rights/take.py http://127.0.0.1:8763

Signs in with the demo logins (haven/demo/data.py); switches the public counts page on as Dana.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8763"
HERE = Path(__file__).resolve().parent
PASSWORDS = {"alice": "demo-alice-2026", "dana": "demo-dana-2026", "bob": "demo-bob-2026", "carol": "demo-carol-2026"}
PAGES = [
    (None, "/rights/report/", "public-report"),
    (None, "/rights/warn/", "public-warning"),
    ("carol", "/rights/", "home"),
    ("carol", "/rights/new/", "report-form"),
    ("dana", "/rights/advocacy/", "advocacy"),
    ("dana", "/rights/reports/", "reports"),
    ("bob", "/rights/warnings/", "warnings"),
    ("alice", "/rights/legal/", "legal"),
    (None, "/rights/counts/", "public-counts"),
]


def sign_in(page, username):
    page.goto(f"{BASE}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{BASE}/")


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, "dana")
        page.goto(f"{BASE}/rights/advocacy/")
        if page.get_by_role("button", name="Switch the public page on").count():
            page.get_by_role("button", name="Switch the public page on").click()
        context.close()
        for width, height in ((360, 740), (1280, 900)):
            current = None
            context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
            page = context.new_page()
            for who, path, name in PAGES:
                if who != current:
                    context.clear_cookies()
                    if who:
                        sign_in(page, who)
                    current = who
                page.goto(f"{BASE}{path}")
                if name == "warnings":
                    page.locator("[data-testid=warning] a").first.click()
                    name = "warning-detail"
                if name == "legal":
                    page.locator("table a").first.click()
                    name = "legal-detail"
                page.screenshot(path=str(HERE / f"{name}-{width}.png"), full_page=True)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
