"""With JavaScript off, a reader still reads, navigates and switches language."""

from __future__ import annotations

import pytest
from helpers import NEAR_MISSES

from .support import PHONE, goto

pytestmark = pytest.mark.browser


@pytest.fixture
def nojs(tab):
    """Return a phone-sized tab with JavaScript disabled, and prove it is."""
    page = tab("es", viewport=PHONE, java_script_enabled=False)
    page.set_content('<p id="js">off</p><script>js.textContent = "on"</script>')
    assert page.locator("#js").text_content() == "off"
    return page


def test_choose_language_read_a_document_and_switch_language(nojs, server_url):
    page = nojs
    goto(page, server_url + "/")
    page.locator('.languages a[hreflang="es"]').click()
    page.wait_for_url(server_url + "/es/")
    assert page.locator("html").get_attribute("lang") == "es"

    page.locator('.documents a[href="/es/at-your-door/"]').click()
    page.wait_for_url(server_url + "/es/at-your-door/")
    title = page.locator("h1").inner_text()
    assert title.strip()
    assert page.locator("article .body p").first.is_visible()

    # The switcher is a <details>: the browser opens it, no script needed.
    english = page.locator('.switcher a[hreflang="en"]')
    assert not english.is_visible()
    page.locator(".switcher summary").click()
    assert page.locator(".switcher").get_attribute("open") is not None
    assert english.is_visible()
    english.click()
    page.wait_for_url(server_url + "/en/at-your-door/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() not in ("", title)


def test_footer_and_not_found_lead_back_without_javascript(nojs, server_url):
    page = nojs
    goto(page, server_url + "/es/no-such-page/", 404)
    # The page not found leads to the card and the guides, in its language.
    page.locator('main a[href="/es/rights-card/"]').click()
    page.wait_for_url(server_url + "/es/rights-card/")
    assert page.locator(".section-say-this").is_visible()
    goto(page, server_url + "/es/no-such-page/", 404)
    page.locator('main a[href="/es/"]').click()
    page.wait_for_url(server_url + "/es/")
    goto(page, server_url + "/es/no-such-page/", 404)
    page.locator('header.site a[href="/"]').click()
    page.wait_for_url(server_url + "/")
    page.locator(".languages a").first.wait_for()

    goto(page, server_url + "/es/")
    page.locator('footer.site a[href="/es/credits/"]').click()
    page.wait_for_url(server_url + "/es/credits/")
    assert page.locator("h1").is_visible()
    page.locator("header.site a.home").click()
    page.wait_for_url(server_url + "/es/")


@pytest.mark.parametrize(("asked", "landed", "lang"), NEAR_MISSES)
def test_a_near_miss_tag_lands_on_the_best_language(
    nojs, server_url, asked, landed, lang
):
    goto(nojs, server_url + asked)
    assert nojs.url == server_url + landed
    assert nojs.locator("html").get_attribute("lang") == lang


def test_a_tag_with_no_match_gets_the_helpful_404(nojs, server_url):
    goto(nojs, server_url + "/iw/at-your-door/", 404)
    # The tab asks for Spanish: the page not found is in Spanish.
    assert nojs.locator("html").get_attribute("lang") == "es"
    assert nojs.locator('main a[href="/es/rights-card/"]').is_visible()
