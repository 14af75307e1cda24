"""The glossary check: a legal term is translated the glossary's way everywhere.

The glossary is the "Words to know" guide: each short lowercase headword of
its table, with the translation the language gave it. A translator may allow
other forms of a term with a translator comment on that headword's entry::

    # alternatives: permanecer en silencio; callarse

A term counts as used when every word of its translation (or of one
alternative) appears in the translated message, compared by stem where
Snowball has a stemmer for the language, by prefix where words take endings,
and as a substring in scripts written without spaces. So "guarde silencio"
uses "guardar silencio", and "órdenes judiciales" uses "orden judicial", but
"orden administrativa" does not use "orden judicial".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from babel.messages.catalog import Catalog, Message

from ..catalogs import is_current

GLOSSARY = "words-to-know"
ALTERNATIVES = "alternatives:"

_STEMMERS = {
    "ar": "arabic",
    "es": "spanish",
    "fa": "persian",
    "fr": "french",
    "pt": "portuguese",
    "ru": "russian",
}
# Written without spaces between words, or without inflection: substring match.
_WHOLE = ("zh", "ja", "vi", "th")
_WORD = re.compile(r"[^\W_]+")
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
# Letter variants writers mix freely: hamza seats on alef; Arabic and Persian
# forms of yeh and kaf.
_LETTERS = {
    "ar": str.maketrans("أإآٱى", "ااااي"),
    "fa": str.maketrans("أإآٱيىك", "ااااییک"),
}
# Words a term can drop or change without another meaning: light verbs and
# possessives ("dar su consentimiento" is used by "No doy mi consentimiento").
_LIGHT = {
    "es": {"dar", "su", "sus", "mi", "el", "la", "los", "las", "un", "una", "de"},
    "pt": {"dar", "seu", "sua", "o", "a", "os", "as", "um", "uma", "de"},
    "fr": {"le", "la", "les", "un", "une", "de", "du", "des", "son", "sa", "ses"},
    "fa": {"کردن", "شدن", "دادن", "زدن", "داشتن", "گرفتن", "را"},
}
# Spelling that a stem changes with its ending: "fique" and "busque" keep
# the "ficar" and "buscar" stems.
_STEM_ENDINGS = {
    "es": (("qu", "c"), ("gu", "g"), ("z", "c")),
    "pt": (("qu", "c"), ("gu", "g"), ("ç", "c")),
}


@dataclass(frozen=True)
class Term:
    """A glossary term: its English, and the translations that count as it."""

    english: str
    translations: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern:
        return _english_pattern(self.english)


@lru_cache(maxsize=256)
def _english_pattern(term: str) -> re.Pattern:
    """Match an English term with its endings: "warrants", "searched"."""
    words = [re.escape(w) for w in term.split()]
    return re.compile(
        r"\b" + r"\s+".join(w + r"(?:s|es|ed|d|ing)?" for w in words) + r"\b", re.I
    )


def _language(locale: str) -> str:
    return locale.replace("-", "_").split("_")[0].lower()


def normalize(text: str, language: str = "") -> str:
    """Fold case, width and the letter variants a reader would not notice."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if language in _LETTERS:
        text = _ARABIC_MARKS.sub("", text).translate(_LETTERS[language])
    return text


@lru_cache(maxsize=16)
def _stemmer(language: str):
    name = _STEMMERS.get(language)
    return snowballstemmer.stemmer(name) if name else None


def _stems(words: list[str], language: str) -> list[str]:
    stemmer = _stemmer(language)
    stems = stemmer.stemWords(words) if stemmer else words
    for end, same in _STEM_ENDINGS.get(language, ()):
        stems = [s[: -len(end)] + same if s.endswith(end) else s for s in stems]
    return stems


_LONG_VOWELS = re.compile("(?<=.)[اوي]")


def _same_stem(term: str, found: str, language: str) -> bool:
    """A stem matches itself, and a longer stem it starts (Persian "وکیلی").

    Arabic forms of one root differ in their long vowels ("التزام", the
    noun, and "التزم", the command): they are compared without them.
    """
    if language == "ar":
        term, found = _LONG_VOWELS.sub("", term), _LONG_VOWELS.sub("", found)
    return found == term or (len(term) >= 3 and found.startswith(term))


def _prefix(word: str) -> str:
    """The part of a word that its endings leave alone."""
    return word if len(word) <= 3 else word[: max(3, len(word) - 2)]


def uses(term: str, text: str, locale: str) -> bool:
    """Tell whether ``text`` uses the translated ``term``, in any of its forms.

    >>> uses("guardar silencio", "Guarde silencio.", "es")
    True
    >>> uses("orden judicial", "Pida una orden administrativa.", "es")
    False
    >>> uses("律师", "请找一位律师。", "zh_Hans")
    True
    """
    language = _language(locale)
    term, text = normalize(term, language), normalize(text, language)
    if language in _WHOLE:
        return term in text
    words = [w for w in _WORD.findall(term) if w not in _LIGHT.get(language, ())]
    if not words:
        return True
    found = _WORD.findall(text)
    if _stemmer(language):
        have = set(_stems(found, language))
        return all(
            any(_same_stem(stem, h, language) for h in have)
            for stem in _stems(words, language)
        )
    return all(any(t.startswith(_prefix(w)) for t in found) for w in words)


# A gloss in brackets ("orden judicial (judicial warrant)") is not the term.
_GLOSS = re.compile(r"\s*[(（][^)）]*[)）]")


def _alternatives(message: Message) -> list[str]:
    found = []
    for comment in message.user_comments:
        if comment.strip().lower().startswith(ALTERNATIVES):
            rest = comment.strip()[len(ALTERNATIVES) :]
            found += [a.strip() for a in rest.split(";") if a.strip()]
    return found


def terms(catalog: Catalog | None) -> list[Term]:
    """Return the glossary terms of a language's "Words to know" catalog."""
    if catalog is None:
        return []
    return [
        Term(
            m.id,
            tuple(_GLOSS.sub("", t).strip() for t in (m.string, *_alternatives(m))),
        )
        for m in catalog
        if is_current(m)
        and "table cell" in m.auto_comments
        and isinstance(m.string, str)
        and len(m.id.split()) <= 3
        and m.id[:1].islower()
        and "," not in m.id
    ]


def misses(terms: list[Term], source: str, string: str, locale: str) -> list[Term]:
    """Return the terms the English uses that the translation words otherwise."""
    return [
        term
        for term in terms
        if source != term.english
        and term.pattern.search(source)
        and not any(uses(t, string, locale) for t in term.translations)
    ]
