"""axe-core finds no WCAG 2.1 A or AA violation on any kind of page, either
direction, in the light and the dark colour scheme."""

from __future__ import annotations

import pytest

from .support import AXE, BY_NAME, LANGUAGES, PAGES, Page

pytestmark = pytest.mark.browser

TAGS = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
CONTRAST = "color-contrast"
# Pages with no site header or switcher, which the phone tests expect of
# every page in PAGES: judged here only.
HEADERLESS = [Page("officer view", "/{lang}/rights-card/officer/")]
# The card has a page of its own kind (holder and officer sides).
CARD = [Page("card", "/{lang}/rights-card/")]

# axe-core 4.14 takes joined Arabic letters for an icon font's ligatures
# (commons.text.isIconLigature) and, once it has seen three, skips every text
# in that font: on an Arabic page color-contrast checks nothing at all.
# Contrast depends on colours, size and weight, not on the letters, so it is
# judged in a second run with each Arabic letter replaced by an "x".
LATIN_STAND_INS = r"""() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode())
    text.nodeValue = text.nodeValue.replace(/\p{Script=Arabic}/gu, 'x');
}"""


def describe(violations: list[dict]) -> str:
    """Return axe's violations as lines a person can act on."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']}")
        for node in rule["nodes"]:
            summary = " ".join(node["failureSummary"].split())
            lines.append(f"    {' '.join(node['target'])}: {summary}")
    return "\n".join(lines)


# axe.run returns a promise; give up on it rather than wait for ever.
RUN_AXE = """options => Promise.race([
  axe.run(document, options),
  new Promise((_, reject) =>
    setTimeout(() => reject(new Error('axe took over 20 s')), 20000)),
])"""


def run_axe(page, options: dict) -> dict:
    return page.evaluate(RUN_AXE, options)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES + HEADERLESS + CARD, ids=str)
def test_no_axe_violations(visit, kind, lang, scheme):
    # axe is injected as an inline script, which our CSP rightly forbids.
    page = visit(kind, lang, bypass_csp=True, color_scheme=scheme)
    # Open the language switcher so its links are checked too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.add_script_tag(path=str(AXE))
    result = run_axe(page, {"runOnly": TAGS, "rules": {CONTRAST: {"enabled": False}}})
    assert result["passes"], "axe checked nothing"

    page.evaluate(LATIN_STAND_INS)
    contrast = run_axe(page, {"runOnly": [CONTRAST]})
    judged = contrast["passes"] + contrast["violations"]
    assert sum(len(rule["nodes"]) for rule in judged), "axe judged no text's contrast"

    violations = result["violations"] + contrast["violations"]
    assert violations == [], describe(violations)


@pytest.mark.parametrize(
    ("kind", "dark"),
    [
        (BY_NAME["document"], True),
        (BY_NAME["print view"], False),
        (HEADERLESS[0], False),
    ],
    ids=str,
)
def test_dark_mode_follows_the_phone_but_paper_and_the_officer_stay_light(
    visit, kind, dark
):
    page = visit(kind, "es", color_scheme="dark")
    colours = page.evaluate("""() => [
      getComputedStyle(document.documentElement).backgroundColor,
      getComputedStyle(document.querySelector('h1, h2')).color]""")
    if dark:
        assert colours == ["rgb(18, 18, 18)", "rgb(236, 236, 236)"]
    else:
        assert colours[0] == "rgb(255, 255, 255)"
        assert colours[1] in ("rgb(26, 26, 26)", "rgb(0, 0, 0)")
