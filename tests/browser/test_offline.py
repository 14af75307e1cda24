"""Save for offline in Chromium: nothing is stored until the reader asks; then
the whole language opens with the network cut, updates arrive when it comes
back, and the reader can remove it all."""

from __future__ import annotations

import re
import time

import pytest
from flask import url_for
from playwright.sync_api import Error as BrowserError

from reader import create_app
from reader.export import pages

from .support import AXE, PHONE, goto, private_app, serve
from .test_a11y import TAGS, describe, run_axe

pytestmark = pytest.mark.browser

# Every CSP violation a page reports, for the test to read.
WATCH_CSP = """window.cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"""

# The saved copy as the browser holds it: URL -> decoded body size.
CACHED = """async lang => {
  const out = {};
  if (!(await caches.has('reader-offline-' + lang))) return out;
  const cache = await caches.open('reader-offline-' + lang);
  for (const request of await cache.keys())
    out[request.url] = (await (await cache.match(request)).arrayBuffer()).byteLength;
  return out;
}"""
STORED = """async () => ({caches: await caches.keys(),
  worker: Boolean(await navigator.serviceWorker.getRegistration())})"""
NOTHING = {"caches": [], "worker": False}
# Every guide, the card and its officer view, each its own page.
ONE_BY_ONE = {"reader.document", "reader.officer"}


@pytest.fixture
def site(tmp_path):
    """Serve a private copy of the content; return its URL, its folder and
    the paths the server was asked for."""
    app = private_app(tmp_path, PUBLISH_THRESHOLD=0)
    asked: list[str] = []
    wsgi = app.wsgi_app

    def record(environ, start_response):
        asked.append(environ["PATH_INFO"])
        return wsgi(environ, start_response)

    app.wsgi_app = record
    with serve(app) as url:
        yield url, tmp_path, asked


def reader(tab, lang: str = "es"):
    page = tab(lang, viewport=PHONE, java_script_enabled=True)
    page.context.add_init_script(WATCH_CSP)
    return page


def size_shown(page, selector: str) -> int:
    """Return the size a line of the save box shows, in bytes."""
    text = page.locator(f"#save-offline {selector}").inner_text()
    match = re.search(r"(\d+) kB", text)
    assert match, f"no size in {text!r}"
    return int(match[1]) * 1000


def save(page, url: str, lang: str = "es") -> int:
    """Open a language's index, press Save; return the size the button showed."""
    button = show_save_button(page, url, lang)
    shown = size_shown(page, "button.save")
    assert page.evaluate(STORED) == NOTHING, "stored before the reader asked"
    button.click()
    page.locator("#save-offline .saved").wait_for(state="visible")
    assert size_shown(page, ".saved") == shown
    return shown


def saved_note(page) -> str | None:
    note = page.locator("#saved-copy")
    return note.inner_text() if note.is_visible() else None


def test_a_saved_language_opens_with_the_network_cut(site, tab):
    url, _, asked = site
    page = reader(tab)
    shown = save(page, url)

    cached = page.evaluate(CACHED, "es")
    total = sum(cached.values())
    assert abs(total - shown) <= 0.1 * total, (shown, total)
    paths = {u.removeprefix(url) for u in cached}
    assert all(u.startswith(url + "/") for u in cached), "another host"
    assert not [p for p in paths if re.search(r"translate|\.pdf|\.zip|/print/", p)]
    with create_app({"TESTING": True}).test_request_context():
        every = {url_for(e, **v) for e, v in pages(["es"]) if e in ONE_BY_ONE}
    assert every <= paths, every - paths

    # A neutral name on the home screen, and nothing else missing to install.
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert '"name":"Reader"' in manifest["data"] and not manifest["errors"]
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []

    asked.clear()
    page.context.set_offline(True)
    never_visited = ["/es/if-arrested/", "/es/words-to-know/", "/es/credits/"]
    for path in never_visited:
        response = page.goto(url + path)
        assert response.status == 200 and response.from_service_worker, path
        assert page.locator("h1").inner_text().strip()
        note = saved_note(page)
        assert note and re.search(r"20\d\d", note), (path, note)
        assert page.evaluate("window.cspViolations") == [], path
    goto(page, url + "/es/rights-card/")
    page.click(".show-officer a")
    page.wait_for_url(url + "/es/rights-card/officer/")
    assert "remain silent" in page.locator(".officer-text").inner_text()
    # What is not saved is not pretended: a print view needs the network.
    with pytest.raises(BrowserError, match="INTERNET_DISCONNECTED"):
        page.goto(url + "/es/rights-card/print/")
    assert asked == [], "the server was reached with the network cut"

    page.context.set_offline(False)
    goto(page, url + "/es/at-work/")
    assert saved_note(page) is None, "a page from the site said it was a copy"


def test_updates_arrive_when_the_connection_returns(site, tab):
    url, root, _ = site
    page = reader(tab)
    save(page, url)
    page.context.set_offline(True)
    news = "A paragraph added while the phone was offline."
    with (root / "content" / "at-work.md").open("a", encoding="utf-8") as f:
        f.write(f"\n{news}\n")

    page.context.set_offline(False)
    goto(page, url + "/es/")  # a saved page, opened online: look for news
    key = f"{url}/es/at-work/"
    text = """async key => {
      const saved = await (await caches.open('reader-offline-es')).match(key);
      return saved ? saved.text() : '';
    }"""
    deadline = time.monotonic() + 10
    while news not in page.evaluate(text, key) and time.monotonic() < deadline:
        time.sleep(0.2)

    page.context.set_offline(True)
    goto(page, key)  # never opened since it changed
    assert news in page.locator("main").inner_text()
    assert saved_note(page)


def test_removing_the_saved_copy_leaves_nothing(site, tab):
    url, _, _ = site
    page = reader(tab)
    shown = save(page, url)
    page.click("#save-offline button.remove")
    button = page.locator("#save-offline button.save")
    button.wait_for(state="visible")
    assert size_shown(page, "button.save") == shown
    assert page.locator("#save-offline .saved").is_hidden()
    assert page.evaluate(STORED) == NOTHING

    page.context.set_offline(True)
    with pytest.raises(BrowserError, match="INTERNET_DISCONNECTED"):
        page.goto(url + "/es/at-work/")


def show_save_button(page, url: str, lang: str):
    goto(page, f"{url}/{lang}/")
    page.locator("section.offline").scroll_into_view_if_needed()
    button = page.locator("#save-offline button.save")
    button.wait_for(state="visible")
    return button


def test_in_arabic_the_size_is_set_apart_in_its_label(server_url, tab):
    page = reader(tab, "ar")
    button = show_save_button(page, server_url, "ar")
    size = button.locator("bdi")
    assert size.count() == 1 and re.search(r"\d|[٠-٩]", size.inner_text())
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate(STORED) == NOTHING
    assert page.evaluate("window.cspViolations") == []

    # axe is injected as an inline script, which our CSP rightly forbids.
    checked = tab("ar", viewport=PHONE, bypass_csp=True)
    show_save_button(checked, server_url, "ar")
    checked.add_script_tag(path=str(AXE))
    result = run_axe(checked, {"runOnly": TAGS})
    assert result["violations"] == [], describe(result["violations"])
