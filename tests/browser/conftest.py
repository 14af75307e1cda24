"""Fixtures: the reader on a loopback port and Debian's Chromium pointed at it.

Without Chromium, axe-core or Playwright these tests are skipped on a
developer's machine and fail in CI (``CI=true``), where they must run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from .support import (
    Page,
    goto,
    in_ci,
    launch,
    missing_tools,
    new_page,
    reader_app,
    serve,
)


@pytest.fixture(scope="session", autouse=True)
def browser_tools() -> None:
    """Skip (or fail, in CI) when a tool the browser tests need is missing."""
    missing = missing_tools()
    if not missing:
        return
    reason = "browser tests need " + "; ".join(missing)
    if in_ci():
        pytest.fail(reason + " (CI is set, so this fails instead of skipping)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def served_app():
    """Return the app the browser tests serve."""
    return reader_app()


@pytest.fixture(scope="session")
def server_url(served_app) -> Iterator[str]:
    """Serve the repository's own content and catalogs on a free loopback port."""
    with serve(served_app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Start one headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def tab(browser) -> Iterator[Callable]:
    """Return a factory of tabs, each in its own context, closed after the test."""
    contexts = []

    def make(lang: str = "en", **options):
        page = new_page(browser, lang, **options)
        contexts.append(page.context)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def visit(tab, server_url) -> Callable:
    """Return a function that opens a kind of page in a language, as a reader.

    The reader's browser asks for ``lang``, which is how the chooser picks its
    language; every other page has it in its path.
    """

    def open_page(kind: Page, lang: str, **options):
        path = kind.path.format(lang=lang)
        page = tab(lang, **options)
        goto(page, server_url + path, kind.status)
        assert page.locator("html").get_attribute("lang") == lang, path
        return page

    return open_page
