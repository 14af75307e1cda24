"""On a small phone (360 x 640): no sideways scrolling, big targets, a near switcher."""

from __future__ import annotations

import pytest

from .support import LANGUAGES, PAGES, PHONE, every_page, goto, large_text

pytestmark = pytest.mark.browser

# Links and buttons a thumb has to hit. Inline links inside running text are
# exempt, as WCAG 2.5.5 exempts inline targets.
TAP_TARGETS = (
    "header.site a, header.site summary, header.site button, .languages a, .documents a"
)
# On the chooser the list of languages is the switcher: its first entry.
SWITCHER = ".switcher summary, .switcher-link, .languages li:first-child a"

BOXES = """selector => [...document.querySelectorAll(selector)]
  .filter(el => el.checkVisibility({visibilityProperty: true}))
  .map(el => {
    const box = el.getBoundingClientRect();
    return {
      target: el.outerHTML.slice(0, 80),
      top: box.top, bottom: box.bottom, left: box.left, right: box.right,
      width: box.width, height: box.height,
    };
  })"""

OVERFLOW = """() => ({
  scrollWidth: document.scrollingElement.scrollWidth,
  innerWidth: window.innerWidth,
})"""


def open_switcher(page) -> None:
    """Click the language switcher open, if the page has one."""
    summary = page.locator(".switcher summary")
    if summary.count():
        summary.click()
        assert page.locator(".switcher[open]").count() == 1


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES, ids=str)
def test_no_horizontal_scrolling(visit, kind, lang):
    page = visit(kind, lang, viewport=PHONE)
    for state in ("closed", "open"):
        if state == "open":
            open_switcher(page)
        width = page.evaluate(OVERFLOW)
        assert width["scrollWidth"] <= width["innerWidth"], f"switcher {state}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES, ids=str)
def test_tap_targets_are_at_least_44px(visit, kind, lang):
    page = visit(kind, lang, viewport=PHONE)
    open_switcher(page)
    targets = page.evaluate(BOXES, TAP_TARGETS)
    assert len(targets) >= 2, "expected the header's links at least"
    small = [t for t in targets if t["width"] < 44 or t["height"] < 44]
    assert small == [], "\n".join(
        f"{t['width']:.0f}x{t['height']:.0f}px {t['target']}" for t in small
    )


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES, ids=str)
def test_language_switcher_is_in_the_first_viewport(visit, kind, lang):
    page = visit(kind, lang, viewport=PHONE)
    boxes = page.evaluate(BOXES, SWITCHER)
    assert len(boxes) == 1, "one language switcher (or chooser link) per page"
    box = boxes[0]
    assert box["top"] >= 0 and box["bottom"] <= PHONE["height"], box
    assert box["left"] >= 0 and box["right"] <= PHONE["width"], box


def test_every_page_in_every_language_fits_a_phone(tab, server_url, served_app):
    # Long words differ by language (Russian, Tagalog): try every translation.
    page = tab("en", viewport=PHONE)
    paths = every_page(served_app)
    too_wide = []
    for path in paths:
        goto(page, server_url + path)
        width = page.evaluate(OVERFLOW)
        if width["scrollWidth"] > width["innerWidth"]:
            too_wide.append(f"{path}: {width['scrollWidth']}px")
    assert len(paths) > 20
    assert too_wide == [], "wider than a 360px phone:\n" + "\n".join(too_wide)


@pytest.mark.parametrize("lang", ["es", "ar", "fa", "vi"])
def test_text_at_200_percent_wraps_and_keeps_its_script_sizes(tab, server_url, lang):
    page = tab(lang, viewport=PHONE)
    large_text(page)
    too_wide = []
    for kind in PAGES:
        goto(page, server_url + kind.path.format(lang=lang), kind.status)
        width = page.evaluate(OVERFLOW)
        if width["scrollWidth"] > width["innerWidth"]:
            too_wide.append(f"{kind}: {width['scrollWidth']}px")
    assert too_wide == [], "wider than a 360px phone at 200% text:\n" + "\n".join(
        too_wide
    )
    goto(page, f"{server_url}/{lang}/at-your-door/")
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('main .body li')).fontSize)"
    )
    # 18px body text at 200%, and Naskh 15% larger again.
    assert size >= (41 if lang in ("ar", "fa") else 36), size
