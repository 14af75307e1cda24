"""The repository's own catalogs: complete, checked, and free of known mistakes.

Every language is a draft until a native speaker reviews it; these tests hold
the drafts to what a reader at the door needs: nothing fuzzy or missing, no
English left in place unless marked, no changed numbers or addresses, one
glossary term per legal concept, and none of the wrong terms that
back-translation found (``../shared/research/kyr-2026-review.md``,
"Translation fixes").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader import ROOT, meaning
from reader.catalogs import is_current
from reader.pofile import load_po
from reader.translate import checks, glossary, status, workflow

TRANSLATIONS = ROOT / "translations"
LANGUAGES = (
    "es",
    "zh_Hans",
    "zh_Hant",
    "vi",
    "tl",
    "ar",
    "fa",
    "ht",
    "ko",
    "ru",
    "fr",
    "pt_BR",
)
# Wrong terms found by back-translation: (locale, pattern, why).
MISTAKES = [
    ("vi", r"trát tòa", "reads as a court summons, not a judicial warrant"),
    ("vi", r"lý do chính đáng", "'a good reason' is too weak for probable cause"),
    ("fa", r"حکم قضایی", "also means a judge's ruling, such as a removal order"),
    ("fa", r"حکم اداری", "reads as an employment decree"),
    ("ar", r"مذكرة (?:قضائية|إدارية)", "reads as a court or office memo"),
    ("ar", r"سبب وجيه", "'a good reason' is too weak for probable cause"),
    ("es", r"practicar el derecho", "say 'ejercer como abogado'"),
    ("es", r"hechos fuertes", "awkward for probable cause"),
    ("ht", r"prokirasyon", "spelled 'pwokirasyon'"),
    ("ht", r"\bfouy\b", "the verb is 'fouye'"),
    ("zh_Hans", r"无照移民顾问", "the notario headword disagrees with its definition"),
    ("zh_Hant", r"無照移民顧問", "the notario headword disagrees with its definition"),
    ("tl", r"(?i)\b(?:ka|mo|ikaw|iyo|iyong|mong|kang)\b", "informal: use kayo/ninyo"),
]


def catalogs(locale: str) -> list[Path]:
    return sorted((TRANSLATIONS / locale / "LC_MESSAGES").glob("*.po"))


@pytest.fixture(scope="module")
def rows():
    project = workflow.Project(
        root=ROOT,
        package=ROOT / "reader",
        content=ROOT / "content",
        translations=TRANSLATIONS,
    )
    return status.status(project)


def test_every_language_is_complete_with_nothing_fuzzy(rows):
    assert {r.language.replace("-", "_") for r in rows} >= set(LANGUAGES)
    behind = [
        f"{r.language} {r.domain}: {r.stats.percent}%, {r.stats.fuzzy} fuzzy"
        for r in rows
        if r.stats.percent < 100 or r.stats.fuzzy
    ]
    assert not behind


@pytest.mark.parametrize("locale", LANGUAGES)
def test_translate_check_finds_no_error(locale):
    terms = glossary.terms(
        load_po(TRANSLATIONS / locale / "LC_MESSAGES" / "words-to-know.po", locale)
    )
    errors = [
        str(f)
        for path in catalogs(locale)
        for f in checks.check_catalog(path, locale, terms)
        if f.severity == "error"
    ]
    assert not errors


@pytest.mark.parametrize("locale", LANGUAGES)
def test_no_english_left_unless_marked(locale):
    left = [
        f"{path.name}: {m.id!r}"
        for path in catalogs(locale)
        for m in load_po(path, locale)
        if isinstance(m.id, str)
        and m.id
        and m.string == m.id
        and not meaning.silenced(m.flags, meaning.SAME)
        and re.search(r"[^\W\d_]", m.id)
    ]
    assert not left


@pytest.mark.parametrize(("locale", "pattern", "why"), MISTAKES)
def test_no_mistaken_term_found_by_back_translation(locale, pattern, why):
    found = [
        f"{path.name}: {m.string[:60]!r}"
        for path in catalogs(locale)
        for m in load_po(path, locale)
        if m.id
        and is_current(m)
        and isinstance(m.string, str)
        and re.search(pattern, m.string)
        # The campaign statement is a faithful copy of a political text.
        and path.stem != "campaign-statement"
    ]
    assert not found, why


@pytest.mark.parametrize("locale", LANGUAGES)
def test_say_this_meanings_are_translated_and_english_stays(locale):
    for path in catalogs(locale):
        for m in load_po(path, locale):
            if m.id and any(c.startswith("phrase:") for c in m.auto_comments):
                assert is_current(m) and m.string != m.id, (path.name, m.id)
