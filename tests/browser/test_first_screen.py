"""On a 360 x 640 phone, what a reader at risk needs is on the first screen."""

from __future__ import annotations

import pytest

from reader import ROOT
from reader.content import ContentStore

from .support import PHONE, goto

pytestmark = pytest.mark.browser

# Every offered language: word lengths differ (French, Tagalog, Vietnamese
# are the longest), and so does the script.
LANGS = ["en", "es", "ar", "fa", "fr", "ht", "ko", "pt-BR", "ru", "tl", "vi"]
LANGS += ["zh-Hans", "zh-Hant"]
# Every guide that opens with a "Say this" box.
SAY_THIS = [
    d.slug for d in ContentStore(ROOT / "content").all() if d.has_section("say-this")
]

BOTTOMS = """sel => [...document.querySelectorAll(sel)]
  .filter(el => el.checkVisibility())
  .map(el => ({text: el.textContent.trim(), bottom: el.getBoundingClientRect().bottom,
               lang: el.closest('[lang]').getAttribute('lang'),
               size: parseFloat(getComputedStyle(el).fontSize)}))"""


@pytest.mark.parametrize("lang", LANGS)
def test_the_index_opens_on_the_card_and_three_situations(tab, server_url, lang):
    page = tab(lang, viewport=PHONE)
    goto(page, f"{server_url}/{lang}/")
    links = page.evaluate(BOTTOMS, ".documents h2 a")
    hrefs = page.eval_on_selector_all(
        ".documents h2 a", "els => els.map(a => a.getAttribute('href'))"
    )
    assert hrefs[:4] == [
        f"/{lang}/rights-card/",
        f"/{lang}/at-your-door/",
        f"/{lang}/in-public/",
        f"/{lang}/traffic-stop/",
    ]
    assert all(link["bottom"] <= PHONE["height"] for link in links[:4]), links[:4]
    # The statement is not among the guides.
    assert "/campaign-statement/" not in " ".join(hrefs)


@pytest.mark.parametrize("lang", LANGS)
def test_each_say_this_box_shows_its_english_on_the_first_screen(tab, server_url, lang):
    page = tab(lang, viewport=PHONE)
    for slug in SAY_THIS:
        goto(page, f"{server_url}/{lang}/{slug}/")
        says = page.evaluate(BOTTOMS, ".section-say-this .say")
        assert 3 <= len(says) <= 5, slug
        for say in says:
            assert say["lang"] == "en", (slug, say)
            assert say["bottom"] <= PHONE["height"], (slug, say)


SIZES = """() => Object.fromEntries(
  ['h1', '.phrase .say', '.phrase .meaning', 'main .body li'].map(sel =>
    [sel, parseFloat(getComputedStyle(document.querySelector(sel)).fontSize)]))"""


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_naskh_is_set_larger_and_the_english_to_say_is_not(tab, server_url, lang):
    # Naskh draws about a fifth smaller than Latin at the same size.
    sizes = {}
    for each in ("es", lang):
        page = tab(each, viewport=PHONE)
        goto(page, f"{server_url}/{each}/at-your-door/")
        sizes[each] = page.evaluate(SIZES)
    for selector, latin in sizes["es"].items():
        if selector == ".phrase .say":  # English in both
            assert sizes[lang][selector] == latin
        else:
            assert sizes[lang][selector] >= 1.15 * latin, (selector, sizes)


CONTRAST = """() => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  const lum = c => { const [r, g, b] = rgb(c); return 0.2126*r + 0.7152*g + 0.0722*b; };
  const body = getComputedStyle(document.body).backgroundColor;
  return [...document.querySelectorAll('main p, main h2')].map(el => {
    const s = getComputedStyle(el);
    const [a, b] = [lum(s.color), lum(body)].sort((x, y) => y - x);
    return {size: parseFloat(s.fontSize), ratio: (a + 0.05) / (b + 0.05),
            lang: el.closest('[lang]').getAttribute('lang')};
  });
}"""


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_the_officer_view_is_large_high_contrast_english(tab, server_url, lang):
    page = tab(lang, viewport=PHONE, java_script_enabled=True)
    goto(page, f"{server_url}/{lang}/rights-card/")
    page.click(".show-officer a")
    assert page.url.endswith(f"/{lang}/rights-card/officer/")
    texts = page.evaluate(CONTRAST)
    assert texts, "the officer side has text"
    for text in texts:
        assert text["lang"] == "en" and text["size"] >= 28, text
        assert text["ratio"] >= 7, text
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"]
    page.click(".back a")  # one step back to the reader's language
    assert page.url.endswith(f"/{lang}/rights-card/")
    assert page.locator("html").get_attribute("lang") == lang
