"""Interface translation: Flask-Babel served from the live catalog store.

Flask-Babel caches translations for the life of the process; our domain asks
the catalog store instead, which re-reads a ``.po`` file when it changes.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import threading
import time

import flask_babel
from babel import UnknownLocaleError
from babel.messages.pofile import read_po
from babel.support import NullTranslations
from flask import Flask, current_app, g
from jinja2 import pass_context
from markupsafe import Markup, escape

from .catalogs import CatalogStore, Stats, file_version, is_current, singular
from .languages import SOURCE, Language, language
from .reviews import ReviewStore

INTERFACE = "messages"
# The mark in ``<locale>/`` that a language is offered to readers. It has no
# extension, so Weblate's discovery does not take it for a text component.
PUBLISHED_MARK = "PUBLISHED"
# Its earlier name: still read, and renamed the first time it is seen.
OLD_PUBLISHED_MARK = "published.txt"

log = logging.getLogger(__name__)


class CatalogDomain(flask_babel.Domain):
    """A Flask-Babel domain whose translations follow the files on disk."""

    def __init__(self, store: CatalogStore) -> None:
        super().__init__(domain=INTERFACE)
        self.store = store

    def get_translations(self) -> NullTranslations:
        locale = flask_babel.get_locale()
        if locale is None or str(locale) == SOURCE:
            return NullTranslations()
        return self.store.get(str(locale), INTERFACE).translations


class Templates:
    """The msgids of each ``.pot`` template, re-read when the file changes."""

    def __init__(self, store: CatalogStore) -> None:
        self.store = store
        self._cache: dict[str, tuple[tuple[int, int], list[str]]] = {}
        self._lock = threading.Lock()

    def msgids(self, domain: str) -> list[str] | None:
        """Return the messages of ``<domain>.pot``, or None if there is none."""
        path = self.store.directory / f"{domain}.pot"
        version = file_version(str(path))
        if version is None:
            return None
        cached = self._cache.get(domain)
        if cached and cached[0] == version:
            return cached[1]
        with self._lock:
            catalog = read_po(io.BytesIO(path.read_bytes()))
            ids = [singular(m.id) for m in catalog if m.id]
            self._cache[domain] = (version, ids)
            return ids


def _marked(msgid: str, text: str, context: str | None = None) -> str:
    """Wrap interface text that is still English in a ``lang="en"`` span.

    Screen readers then read it with an English voice (WCAG 3.1.2), and the
    page says honestly which words are not translated yet. The text is
    escaped: Jinja marks whatever gettext returns as safe HTML, and a
    translation is untrusted input.
    """
    locale = flask_babel.get_locale()
    if locale is None or str(locale) == SOURCE:
        return escape(text)
    loaded = get_catalogs().get(str(locale), INTERFACE)
    if context is None and loaded.has(msgid):
        return escape(text)
    message = loaded.catalog.get(msgid, context) if context is not None else None
    if message is not None and is_current(message):
        return escape(text)
    return Markup('<span lang="en" dir="ltr">{}</span>').format(text)


def _english(msgid: str, text: str, variables: dict) -> Markup:
    return Markup('<span lang="en" dir="ltr">{}</span>').format(
        Markup(escape(text)) % variables
    )


@pass_context
def marked_gettext(context, msgid: str, **variables) -> Markup:
    """Translate and format an interface string for a template, as Jinja's
    newstyle gettext does, marking English fallbacks.

    The catalog store already holds back translations that cannot be
    formatted; should one still fail, the English is shown, not an error.
    """
    text = flask_babel.get_translations().ugettext(msgid)
    try:
        return _marked(msgid, text) % variables
    except (KeyError, ValueError, TypeError):
        return _english(msgid, msgid, variables)


@pass_context
def marked_ngettext(context, singular: str, plural: str, n: int, **variables) -> Markup:
    """Translate and format a plural interface string, marking English fallbacks."""
    variables.setdefault("num", n)
    text = flask_babel.get_translations().ungettext(singular, plural, n)
    try:
        return _marked(singular, text) % variables
    except (KeyError, ValueError, TypeError):
        return _english(singular, singular if n == 1 else plural, variables)


@pass_context
def marked_pgettext(context, msgctxt: str, msgid: str, **variables) -> Markup:
    """Translate an interface string that has a context (``msgctxt``)."""
    text = flask_babel.get_translations().pgettext(msgctxt, msgid)
    try:
        return _marked(msgid, text, msgctxt) % variables
    except (KeyError, ValueError, TypeError):
        return _english(msgid, msgid, variables)


@pass_context
def marked_npgettext(
    context, msgctxt: str, singular: str, plural: str, n: int, **variables
) -> Markup:
    """Translate a plural interface string that has a context."""
    variables.setdefault("num", n)
    text = flask_babel.get_translations().npgettext(msgctxt, singular, plural, n)
    try:
        return _marked(singular, text, msgctxt) % variables
    except (KeyError, ValueError, TypeError):
        return _english(singular, singular if n == 1 else plural, variables)


class LazyText(flask_babel.speaklater.LazyString):
    """A translation made when used, which Jinja escapes like any text.

    Flask-Babel's ``LazyString`` tells Jinja it is markup already
    (``__html__`` returns the translation as it is), so a ``<b>`` in a
    msgstr would reach the page as a tag. Translations are untrusted input.
    """

    def __html__(self) -> str:
        return str(escape(str(self)))


def lazy_gettext(msgid: str, **variables) -> LazyText:
    """Mark an interface string for translation when it is used (as ``_l``)."""
    return LazyText(flask_babel.gettext, msgid, **variables)


def lazy_pgettext(msgctxt: str, msgid: str, **variables) -> LazyText:
    """Mark an interface string that has a context for translation when used."""
    return LazyText(flask_babel.pgettext, msgctxt, msgid, **variables)


def get_catalogs() -> CatalogStore:
    """Return the catalog store of the current app."""
    return current_app.extensions["reader.catalogs"]


def get_reviews() -> ReviewStore:
    """Return the translation review records of the current app."""
    return current_app.extensions["reader.reviews"]


def interface_stats(locale: str) -> Stats:
    """Return how much of the interface ``locale`` has translated."""
    store = get_catalogs()
    ids = current_app.extensions["reader.templates"].msgids(INTERFACE)
    loaded = store.get(locale, INTERFACE)
    if ids is None:
        ids = [singular(m.id) for m in loaded.catalog if m.id]
    return loaded.measure(ids)


def all_languages() -> list[Language]:
    """Return English and every language that has a catalog, published or not.

    A folder whose name is not a language Babel knows is left out and logged:
    it must never take the pages of the other languages down.
    """
    languages = [language(SOURCE)]
    for loc in get_catalogs().locales():
        if loc == SOURCE:
            continue
        try:
            languages.append(language(loc))
        except (UnknownLocaleError, ValueError, TypeError) as e:
            _skip_folder(loc, str(e))
    return languages


@functools.lru_cache(maxsize=64)
def _skip_folder(locale: str, error: str) -> None:
    """Log once that a catalog folder is not served."""
    log.error(
        "translations/%s is not a language Babel knows (%s): rename the folder "
        "to a BCP 47 tag such as pt_BR, or use 'flask translate init'; "
        "not serving it",
        locale,
        error,
    )


def language_stats(locale: str) -> Stats:
    """Return how much of a language is translated: interface and documents."""
    from .content import get_content
    from .render import document_msgids

    store = get_catalogs()
    total = interface_stats(locale)
    for doc in get_content().all():
        total += store.get(locale, doc.slug).measure(document_msgids(doc))
    return total


def published(lang: Language) -> bool:
    """Tell whether ``lang`` is offered to readers.

    A language is first offered when enough of its words are translated; from
    then on it stays offered, even when new English pushes it below the
    threshold (its new blocks show in English, marked). That it was offered
    is recorded in ``<locale>/PUBLISHED``, so it survives restarts and,
    committed, deploys.
    """
    if lang.tag == SOURCE:
        return True
    folder = get_catalogs().directory / lang.locale
    mark = folder / PUBLISHED_MARK
    if mark.is_file():
        return True
    old = folder / OLD_PUBLISHED_MARK
    if old.is_file():
        try:
            old.rename(mark)
        except OSError as e:  # a read-only checkout: offered under the old name
            log.warning("%s: cannot rename to %s (%s)", old, PUBLISHED_MARK, e)
        return True
    stats = language_stats(lang.locale)
    done = stats.words - stats.words_left
    if 100 * done < current_app.config["PUBLISH_THRESHOLD"] * stats.words:
        return False
    try:
        mark.write_text(
            f"Offered to readers since {dt.date.today().isoformat()}: it stays "
            "offered while its translation catches up.\n",
            encoding="utf-8",
        )
    except OSError as e:  # a read-only checkout: offered, but not remembered
        log.warning("%s: cannot record that %s is offered (%s)", mark, lang.tag, e)
    return True


class Published:
    """The published languages, worked out again at most every few seconds.

    Which languages are offered is a publishing decision, not a page's text:
    re-measuring every catalog on every request would cost more than the
    page. A changed translation still shows on the next request.
    """

    def __init__(self) -> None:
        self._at = -1e9
        self._langs: list[Language] = []
        self._lock = threading.Lock()

    def get(self, interval: float) -> list[Language]:
        """Return the published languages, as of at most ``interval`` ago."""
        if time.monotonic() - self._at >= interval:
            with self._lock:
                if time.monotonic() - self._at >= interval:
                    self._langs = [lang for lang in all_languages() if published(lang)]
                    self._at = time.monotonic()
        return self._langs


def reader_languages() -> list[Language]:
    """Return the languages offered to readers, English first.

    An export may be limited to some languages (``EXPORT_LANGUAGES``).
    """
    langs = current_app.extensions["reader.published"].get(
        current_app.config["PUBLISH_CHECK_SECONDS"]
    )
    only = current_app.config.get("EXPORT_LANGUAGES")
    return [lang for lang in langs if only is None or lang.tag in only]


def select_locale() -> str:
    """Return the locale of the page being served (set by the view)."""
    lang = g.get("language")
    return lang.locale if lang is not None else SOURCE


def init_app(app: Flask) -> None:
    """Set up Flask-Babel on the catalog store under ``TRANSLATIONS_DIR``."""
    # Interface strings are %-formatted when shown: the store vets them.
    store = CatalogStore(app.config["TRANSLATIONS_DIR"], formatted=[INTERFACE])
    app.extensions["reader.catalogs"] = store
    app.extensions["reader.reviews"] = ReviewStore(app.config["TRANSLATIONS_DIR"])
    app.extensions["reader.templates"] = Templates(store)
    app.extensions["reader.published"] = Published()
    babel = flask_babel.Babel()
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = CatalogDomain(store)
    # Newstyle gettext (variables as keywords, every string formatted), with
    # our own callables in place of Jinja's wrappers: they mark English text
    # and never let one translation's formatting take a page down.
    app.jinja_env.newstyle_gettext = True
    app.jinja_env.globals.update(
        gettext=marked_gettext,
        ngettext=marked_ngettext,
        pgettext=marked_pgettext,
        npgettext=marked_npgettext,
    )
    # Flask-Babel keeps the locale on the app context; a context reused across
    # requests (tests, the static freezer) would serve one language everywhere.
    app.before_request(flask_babel.refresh)
