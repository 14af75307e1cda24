"""Keyboard only: a skip link first, focus always visible, the switcher operable."""

from __future__ import annotations

import pytest

from .support import BY_NAME, LANGUAGES, PAGES

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    target: el === document.body ? 'body' : el.outerHTML.slice(0, 80),
    id: el.id,
    skip: el.matches('a.skip'),
    inHeader: Boolean(el.closest('header.site')),
    focusVisible: el.matches(':focus-visible'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
    onScreen: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
      && box.bottom <= innerHeight && box.right <= innerWidth,
  };
}"""

# Everything Tab can reach on our pages: links and the switcher's summary.
TAB_STOPS = """() => [...document.querySelectorAll(
  'a[href], summary, button, input, select, textarea, [tabindex]:not([tabindex="-1"])'
)].filter(el => el.checkVisibility({visibilityProperty: true})).length"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES, ids=str)
def test_skip_link_is_first_and_moves_focus_to_main(visit, kind, lang):
    page = visit(kind, lang)
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["skip"], f"first Tab stop is {skip['target']}"
    assert skip["onScreen"], "the skip link shows when it has focus"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    after = focused(page)
    assert not after["inHeader"] and not after["skip"], after["target"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES, ids=str)
def test_focus_is_always_visible(visit, kind, lang):
    page = visit(kind, lang)
    stops = page.evaluate(TAB_STOPS)
    seen = []
    for _ in range(stops + 1):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["target"] == "body" or (seen and now["skip"]):
            break
        seen.append(now)
    assert len(seen) == stops, "every link and control is reachable with Tab"
    hidden = [
        f["target"]
        for f in seen
        if not (f["focusVisible"] and (f["outline"] or f["shadow"]))
    ]
    assert hidden == [], "no visible focus on:\n" + "\n".join(hidden)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_switcher_works_from_the_keyboard(visit, server_url, lang):
    page = visit(BY_NAME["document"], lang)
    details = page.locator(".switcher")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.switcher summary')"):
            break
    else:
        pytest.fail("the switcher is not among the first Tab stops")

    page.keyboard.press("Enter")
    assert details.get_attribute("open") is not None, "Enter opens it"
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is None, "Enter closes it"
    page.keyboard.press("Space")
    assert details.get_attribute("open") is not None, "Space opens it"

    page.keyboard.press("Tab")
    link = focused(page)
    assert link["focusVisible"] and link["onScreen"], link["target"]
    href = page.evaluate("document.activeElement.getAttribute('href')")
    target = page.evaluate("document.activeElement.getAttribute('hreflang')")
    assert href.endswith("/at-your-door/")
    page.keyboard.press("Enter")
    page.wait_for_url(server_url + href)
    assert page.locator("html").get_attribute("lang") == target
