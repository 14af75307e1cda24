"""What the browser tests and the screenshot command share.

The kinds of page to check, the tools they need, a real WSGI server on loopback
and a Chromium that reaches nothing but that server. Playwright is imported
only where a browser starts, so a machine without it can still collect the
tests and be told what is missing.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from reader import ROOT, create_app, i18n
from reader.export import page_paths

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright
    from playwright.sync_api import Page as BrowserPage

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Without the networking flags Chromium tries to reach Google on this closed
# network and waits for it.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
# Every wait is bounded: actions, navigations and the browser's start.
TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class Page:
    """A kind of page a reader meets: a path with ``{lang}``, and its status."""

    name: str
    path: str
    status: int = 200

    def __str__(self) -> str:
        return self.name


# Every kind of page; adding one to the browser tests is adding a line here.
PAGES = [
    Page("chooser", "/"),
    Page("documents", "/{lang}/"),
    Page("document", "/{lang}/at-your-door/"),
    Page("not-found", "/{lang}/no-such-page/", 404),
    Page("credits", "/{lang}/credits/"),
    Page("print view", "/{lang}/rights-card/print/"),
    Page("bilingual print view", "/{lang}/at-your-door/print/?with=en"),
    Page("print form error", "/{lang}/rights-card/print/?org=%3Cb%3E", 400),
    Page("translator dashboard", "/translate/"),
    Page("translator sign-in", "/translate/login"),
]
BY_NAME = {page.name: page for page in PAGES}

# A left-to-right and a right-to-left language.
LANGUAGES = ["es", "ar"]


def in_ci() -> bool:
    """Tell whether we run in CI, where a missing tool is a failure."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def missing_tools() -> list[str]:
    """Return what the browser tests need and this machine lacks, with the fix."""
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"{CHROMIUM} (Debian package chromium: scripts/setup test)")
    if not AXE.is_file():
        missing.append(f"{AXE.relative_to(ROOT)} (run `npm ci` at the repo root)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("playwright for Python (pip install -e '.[test]')")
    return missing


def reader_app() -> Flask:
    """Return the reader over the repository's content, every language offered.

    Which languages pass the publishing threshold changes whenever strings are
    added or translated; offering all of them keeps these tests deterministic.
    A published language's pages are exactly these, with fewer languages in
    the switcher and the chooser.
    """
    return create_app({"TESTING": True, "PUBLISH_THRESHOLD": 0})


def private_app(folder: Path, **config) -> Flask:
    """Return the reader over a private copy, in ``folder``, of the
    repository's content and catalogs: a test may change them."""
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copytree(
        ROOT / "translations",
        folder / "translations",
        ignore=shutil.ignore_patterns("*.mo", ".*.lock"),
    )
    return create_app(
        {
            "TESTING": True,
            "CONTENT_DIR": str(folder / "content"),
            "TRANSLATIONS_DIR": str(folder / "translations"),
            "PUBLISH_CHECK_SECONDS": 0,
            **config,
        }
    )


def every_page(app: Flask) -> list[str]:
    """Return the path of every page in every language the reader has."""
    with app.test_request_context():
        return page_paths([lang.tag for lang in i18n.all_languages()])


class _QuietHandler(WSGIRequestHandler):
    """A request handler that keeps the test output free of access logs."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yield its base URL."""
    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def launch(playwright: Playwright) -> Browser:
    """Start Debian's Chromium, headless, with no traffic of its own."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        timeout=30_000,
    )


def new_page(browser: Browser, lang: str, **options) -> BrowserPage:
    """Open a tab in a fresh context whose reader asks for ``lang``."""
    options.setdefault("viewport", DESKTOP)
    context = browser.new_context(locale=lang, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def large_text(page: BrowserPage, scale: float = 2.0) -> None:
    """Set the browser's text size to ``scale`` times its default, as a reader
    with large text set on the phone has it."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.enable")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": round(16 * scale)}})


def goto(page: BrowserPage, url: str, status: int = 200) -> None:
    """Load ``url`` and check the server answered with ``status``."""
    response = page.goto(url, wait_until="load")
    assert response is not None, f"no response from {url}"
    assert response.status == status, f"{url} answered {response.status}"
