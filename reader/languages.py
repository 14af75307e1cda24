"""Languages: BCP 47 tags, native names, text direction and negotiation.

A language has a canonical BCP 47 tag for URLs (``zh-Hans``, ``pt-BR``) and a
locale identifier for catalog folders (``zh_Hans``, ``pt_BR``), as gettext
tools and Weblate expect.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

SOURCE = "en"

# Names readers look for in a chooser, where CLDR's differ: Babel calls
# Tagalog "Filipino (Pilipinas)" and writes Chinese with ASCII brackets.
NATIVE_NAMES = {
    "zh-Hans": "中文（简体）",
    "zh-Hant": "中文（繁體）",
    "tl": "Tagalog",
    "ht": "Kreyòl ayisyen",
}

ENGLISH_NAMES = {"tl": "Tagalog"}


@dataclass(frozen=True)
class Language:
    """A language the reader can be read in."""

    tag: str
    locale: str
    name: str
    english_name: str
    direction: str

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


def tag_of(locale_id: str) -> str:
    """Return the canonical BCP 47 tag of a locale identifier.

    >>> tag_of("zh_Hans"), tag_of("pt_BR"), tag_of("es")
    ('zh-Hans', 'pt-BR', 'es')
    """
    return locale_id.replace("_", "-")


def normalize(tag: str) -> str:
    """Return the catalog locale identifier of a BCP 47 tag, in canonical case.

    Raises ValueError for a tag that is not a language Babel knows.

    >>> normalize("pt-br"), normalize("ZH_hant"), normalize("mww")
    ('pt_BR', 'zh_Hant', 'mww')
    """
    parts = tag.strip().replace("-", "_").split("_")
    if not parts[0].isalpha() or not 2 <= len(parts[0]) <= 3:
        raise ValueError(f"{tag!r} does not start with a 2- or 3-letter language code")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())  # a script: Hans, Latn
        elif len(part) == 2 and part.isalpha() or len(part) == 3 and part.isdigit():
            out.append(part.upper())  # a region: BR, 419
        else:
            raise ValueError(
                f"{tag!r} has a part {part!r} that is not a script or region"
            )
    locale_id = "_".join(out)
    try:
        Locale.parse(locale_id)
    except (UnknownLocaleError, ValueError) as e:
        raise ValueError(f"{tag!r} is not a language Babel knows") from e
    return locale_id


@lru_cache(maxsize=256)
def language(locale_id: str) -> Language:
    """Return the Language for a catalog locale identifier such as ``pt_BR``.

    CLDR has no names for some languages (Hmong Daw, ``mww``): their tag
    stands in, so an odd language shows oddly named, never breaks a page.
    """
    loc = Locale.parse(locale_id)
    tag = tag_of(locale_id)
    english = ENGLISH_NAMES.get(tag) or loc.get_display_name("en") or tag
    name = NATIVE_NAMES.get(tag) or loc.get_display_name(loc) or english
    return Language(
        tag=tag,
        locale=locale_id,
        name=name[:1].upper() + name[1:],
        english_name=english,
        direction=loc.text_direction or "ltr",
    )


def find(tag: str, languages: Iterable[Language]) -> Language | None:
    """Return the language whose tag matches ``tag`` in any case or separator.

    >>> find("PT_br", [language("pt_BR")]).tag
    'pt-BR'
    """
    wanted = tag.replace("_", "-").lower()
    return next((lang for lang in languages if lang.tag.lower() == wanted), None)


# Bounded: the tags come from readers' Accept-Language headers.
@lru_cache(maxsize=1024)
def _maximize(tag: str) -> tuple[str, str, str] | None:
    """Return (language, script, territory) with likely subtags filled in."""
    tag = tag.replace("-", "_")
    try:
        loc = Locale.parse(tag)
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    # CLDR's aliases: "tl" is "fil", "iw" is "he"; compare the modern codes.
    alias = get_global("language_aliases").get(loc.language)
    code = alias.split("_")[0] if alias else loc.language
    likely = get_global("likely_subtags")
    full = likely.get(f"{code}_{loc.territory}") or likely.get(code) or code
    parts = full.split("_")
    script = loc.script or (parts[1] if len(parts) > 1 else "")
    territory = loc.territory or (parts[2] if len(parts) > 2 else "")
    return code, script, territory


def match(requested: str, languages: Sequence[Language]) -> Language | None:
    """Return the best language for one requested tag, or None.

    A match needs the same language and script; the same region is better.

    >>> langs = [language(x) for x in ("zh_Hans", "zh_Hant", "pt_BR")]
    >>> match("zh-TW", langs).tag, match("zh", langs).tag, match("pt-PT", langs).tag
    ('zh-Hant', 'zh-Hans', 'pt-BR')
    >>> match("fil", [language("tl")]).tag
    'tl'
    """
    want = _maximize(requested)
    if want is None:
        return None
    best, best_score = None, 0
    for lang in languages:
        have = _maximize(lang.locale)
        if have is None or have[:2] != want[:2]:
            continue
        score = 2 if have[2] == want[2] else 1
        if score > best_score:
            best, best_score = lang, score
    return best


def negotiate(accepted: Iterable[str], languages: Sequence[Language]) -> list[Language]:
    """Order ``languages`` for a chooser: the reader's preferences first.

    ``accepted`` lists the tags from Accept-Language, best first.
    """
    first: list[Language] = []
    for tag in accepted:
        if tag == "*":
            continue
        lang = match(tag, languages)
        if lang is not None and lang not in first:
            first.append(lang)
    return first + [lang for lang in languages if lang not in first]
