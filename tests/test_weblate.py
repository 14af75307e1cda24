"""Weblate's component discovery finds one component per template, and only those.

``weblate-discover`` (translation-finder, the library Weblate itself uses) is
what a Weblate admin runs on the repository; docs/translating.md lists what it
must find.
"""

from __future__ import annotations

import re

import pytest

from reader import ROOT

finder = pytest.importorskip(
    "translation_finder",
    reason="translation-finder is not installed: pip install -e '.[test]'",
)


def expected() -> dict[str, str]:
    """Return the file mask of each component and its template."""
    return {
        f"translations/*/LC_MESSAGES/{pot.stem}.po": f"translations/{pot.name}"
        for pot in sorted((ROOT / "translations").glob("*.pot"))
    }


@pytest.fixture(scope="module")
def found() -> list[dict]:
    return [dict(result) for result in finder.discover(ROOT)]


def test_every_template_is_one_component_with_its_file_mask(found):
    components = {r["filemask"]: r for r in found}
    documents = sorted((ROOT / "content").glob("*.md"))
    assert len(expected()) == 1 + len(documents)
    for mask, template in expected().items():
        assert components.get(mask, {}).get("new_base") == template, mask
        assert components[mask]["file_format"] == "po"


def test_the_test_fixtures_are_not_taken_for_catalogs(found):
    assert [r["filemask"] for r in found if r["filemask"].startswith("tests/")] == []


def test_discovery_finds_nothing_else(found):
    # No document's name may end in a language code (``in-a-car`` did: ``car``
    # is Galibi Carib), and the publication mark has no text extension.
    assert sorted(r["filemask"] for r in found if r["filemask"] not in expected()) == []


def test_the_weblate_admin_section_lists_exactly_the_components():
    text = (ROOT / "docs" / "translating.md").read_text("utf-8")
    section = text.split("## For Weblate admins", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| `([^`]+)` \|$", section, re.M)
    assert {mask: template for _, template, mask in rows} == expected()
    assert "weblate-discover ." in section
