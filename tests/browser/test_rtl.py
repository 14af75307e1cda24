"""Right-to-left pages mirror: text, lists and the header start on the right.

Each check runs in Spanish too, measured from the start edge, so a page that
does not mirror fails in one of the two languages.
"""

from __future__ import annotations

import pytest

from .support import PAGES, Page

pytestmark = pytest.mark.browser

DIRECTIONS = [("es", "ltr"), ("ar", "rtl")]
# Rounding and font metrics: "near an edge" means within this many pixels.
NEAR = 2

# Edges as (start, end) for the page's direction, so one assertion serves both.
GEOMETRY = """() => {
  const rtl = getComputedStyle(document.documentElement).direction === 'rtl';
  const edges = box => rtl ? {start: box.right, end: box.left, dir: -1}
                           : {start: box.left, end: box.right, dir: 1};
  const lines = el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    const tops = [...new Set(rects.map(r => Math.round(r.top)))].sort((a, b) => a - b);
    return tops.map(top => {
      const row = rects.filter(r => Math.abs(r.top - top) < 4);
      return edges({left: Math.min(...row.map(r => r.left)),
                    right: Math.max(...row.map(r => r.right))});
    });
  };
  const body = document.querySelector('article .body');
  const paragraph = [...body.querySelectorAll('p')].find(
    p => !p.closest('[lang="en"]') && p.textContent.trim());
  // A translated item: an English one (lang="en") is laid out left to right.
  const list = [...body.querySelectorAll('li')].find(
    li => !li.closest('[lang="en"]')).parentElement;
  const header = document.querySelector('header.site');
  const first = header.firstElementChild;
  const last = header.lastElementChild;
  return {
    direction: getComputedStyle(document.documentElement).direction,
    paragraphDirection: getComputedStyle(paragraph).direction,
    body: edges(body.getBoundingClientRect()),
    h1: lines(document.querySelector('h1')),
    paragraph: lines(paragraph),
    list: edges(list.getBoundingClientRect()),
    item: edges(list.querySelector('li:not([lang])').getBoundingClientRect()),
    itemLines: lines(list.querySelector('li:not([lang])')),
    header: edges(header.getBoundingClientRect()),
    first: edges(first.getBoundingClientRect()),
    last: edges(last.getBoundingClientRect()),
  };
}"""


def inset(edge: float, from_edge: float, sign: int) -> float:
    """Return how far ``edge`` lies beyond ``from_edge`` in reading order."""
    return (edge - from_edge) * sign


@pytest.fixture(params=DIRECTIONS, ids=[lang for lang, _ in DIRECTIONS])
def document(request, visit):
    lang, direction = request.param
    # The family plan still has translated lists while the English of the
    # situation guides waits for its retranslation.
    page = visit(Page("document", "/{lang}/family-plan/"), lang)
    geo = page.evaluate(GEOMETRY)
    assert geo["direction"] == direction, "the page's computed direction"
    return direction, geo


def test_text_starts_at_the_start_edge(document):
    direction, geo = document
    assert geo["paragraphDirection"] == direction
    body = geo["body"]
    for name in ("h1", "paragraph"):
        for line in (geo[name][0], geo[name][-1]):
            assert abs(line["start"] - body["start"]) <= NEAR, (name, line, body)
    # The heading is one short line: its far end is well short of the end edge,
    # which a page aligned to the wrong side would not be.
    h1 = geo["h1"][-1]
    assert inset(body["end"], h1["end"], body["dir"]) > 40, (h1, body)


def test_lists_indent_from_the_start_edge(document):
    _, geo = document
    sign = geo["list"]["dir"]
    assert inset(geo["item"]["start"], geo["list"]["start"], sign) >= 16
    assert abs(geo["item"]["end"] - geo["list"]["end"]) <= NEAR
    first_line = geo["itemLines"][0]
    assert abs(first_line["start"] - geo["item"]["start"]) <= NEAR


def test_header_starts_with_its_first_item(document):
    _, geo = document
    sign = geo["header"]["dir"]
    assert abs(geo["first"]["start"] - geo["header"]["start"]) <= NEAR, geo["first"]
    # The switcher follows the site's name along the reading direction.
    assert inset(geo["last"]["start"], geo["first"]["end"], sign) >= 0, geo


@pytest.mark.parametrize(("lang", "direction"), DIRECTIONS)
@pytest.mark.parametrize("kind", PAGES, ids=str)
def test_every_page_declares_its_direction(visit, kind, lang, direction):
    page = visit(kind, lang)
    assert page.locator("html").get_attribute("dir") == direction
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
