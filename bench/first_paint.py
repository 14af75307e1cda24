"""First Contentful Paint on a slow link: 2 s round trip, 50 KB/s.

    .venv/bin/python bench/first_paint.py [PATH ...]

Serves this checkout's reader on loopback and opens each page in a fresh
Chromium context (nothing cached) under DevTools network throttling. Prints a
Markdown table for docs/benchmarks.md: the First Contentful Paint, the bytes
of the first response as sent, its encoding, and the stylesheets fetched
before the first paint. Run it in an older checkout (``git worktree``) for
the figures before a change: compare rows of one machine and one session.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from reader import create_app  # noqa: E402
from tests.browser.support import PHONE, launch, serve  # noqa: E402

PATHS = ["/es/", "/es/at-your-door/", "/ar/at-your-door/", "/es/rights-card/"]
SLOW = {
    "offline": False,
    "latency": 2000,  # ms added to every round trip
    "downloadThroughput": 50 * 1024,
    "uploadThroughput": 50 * 1024,
}
RUNS = 3

MEASURE = """() => {
  const fcp = performance.getEntriesByName('first-contentful-paint')[0].startTime;
  const nav = performance.getEntriesByType('navigation')[0];
  const sheets = performance.getEntriesByType('resource')
    .filter(e => e.initiatorType === 'link' && e.startTime < fcp).length;
  return {fcp, sheets, bytes: nav.transferSize};
}"""


def first_paint(browser, url: str) -> dict:
    """Open ``url`` in a fresh throttled context; return what it measured."""
    # bypass_csp: the wait below evaluates a script; the page loads as ever.
    context = browser.new_context(viewport=PHONE, locale="es", bypass_csp=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)
    response = page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_function(
        "performance.getEntriesByName('first-contentful-paint').length > 0"
    )
    result = page.evaluate(MEASURE)
    result["encoding"] = response.headers.get("content-encoding", "none")
    context.close()
    return result


def main() -> None:
    paths = sys.argv[1:] or PATHS
    app = create_app({"PUBLISH_THRESHOLD": 0})
    print("| page | First Contentful Paint | first response | encoding | "
          "stylesheets before it |")  # fmt: skip
    print("|---|---:|---:|---|---:|")
    with serve(app) as base, sync_playwright() as pw:
        browser = launch(pw)
        for path in paths:
            runs = [first_paint(browser, base + path) for _ in range(RUNS)]
            fcp = statistics.median(r["fcp"] for r in runs) / 1000
            last = runs[-1]
            print(
                f"| `{path}` | {fcp:.1f} s | {last['bytes']:,} B | "
                f"{last['encoding']} | {last['sheets']} |"
            )
        browser.close()


if __name__ == "__main__":
    main()
