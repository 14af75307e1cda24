"""Translation catalogs: read ``.po`` files as they change, measure progress.

The running site reads each catalog straight from its ``.po`` file and
re-reads it when the file changes, so a saved translation shows on the next
request. A catalog that stops parsing is logged with its file and line, and
the last good version keeps serving (from memory, else from the compiled
``.mo``, else English).
"""

from __future__ import annotations

import copy
import io
import logging
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.support import NullTranslations, Translations

from . import meaning
from .errors import CatalogError
from .pofile import parse_po

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")
_TRANSLATOR = re.compile(
    r"^([^<>,#]+?)\s*(?:<[^>]*>)?\s*,\s*(?:\d{4}(?:\s*[-,]\s*\d{4})*)\.?$|^([^<>,#]+?)\s*<[^>]*>$"
)
_PLACEHOLDERS = {"FIRST AUTHOR", "FULL NAME", ""}
_ADDRESS = re.compile(r"<[^<>]*>|\S+@\S+")
_NAMED = re.compile(r"%\(([^)]*)\)[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa])")
_SAMPLES = {"s": "x", "r": "x", "a": "x", "e": 1.5, "f": 1.5, "g": 1.5}


def file_version(path: str) -> tuple[int, int] | None:
    """Return a file's version, (mtime in ns, size), or None if it is missing."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def word_count(text: str) -> int:
    """Count the words of a message, for "words left" figures.

    >>> word_count("Do **not** open the door.")
    5
    """
    return len(_WORD.findall(text))


def singular(msgid: str | tuple[str, ...]) -> str:
    """Return the key of a message: its msgid, or a plural's singular form."""
    return msgid if isinstance(msgid, str) else msgid[0]


# How gettext's .mo files join a message's context and its msgid; a key with
# it names the message that has this context (pgettext), one without it the
# message that has none.
CONTEXT = "\x04"


def key_of(message) -> str:
    """Return the key of a message: its (singular) msgid, after its context."""
    msgid = singular(message.id)
    return f"{message.context}{CONTEXT}{msgid}" if message.context else msgid


def split_key(key: str) -> tuple[str, str | None]:
    """Return (msgid, context) of a key made by ``key_of``.

    >>> split_key("button\x04Sign in"), split_key("Sign in")
    (('Sign in', 'button'), ('Sign in', None))
    """
    context, sep, msgid = key.rpartition(CONTEXT)
    return (msgid, context) if sep else (key, None)


def find(catalog: Catalog, key: str):
    """Return the message of ``catalog`` a key names, or None."""
    msgid, context = split_key(key)
    return catalog.get(msgid, context)


def format_samples(msgid: str, plural: bool = False) -> dict[str, object]:
    """Return a value for each named placeholder of ``msgid``, of its type.

    >>> format_samples("%(n)d of %(name)s", plural=True)
    {'n': 1, 'name': 'x', 'num': 1}
    """
    samples: dict[str, object] = {
        name: _SAMPLES.get(kind, 1) for name, kind in _NAMED.findall(msgid)
    }
    if plural:
        samples.setdefault("num", 1)
    return samples


def format_problem(msgid: str, string: str, plural: bool = False) -> str | None:
    """Return why ``string`` breaks the %-formatting that ``msgid`` survives.

    Jinja's newstyle gettext formats every interface string (``%%`` for a
    percent sign), and Flask-Babel formats those given variables; a stray
    ``%`` in a translation would raise on every page that shows it.

    >>> format_problem("Save %(n)s files", "Guardar %(n)s archivos") is None
    True
    >>> format_problem("Free", "100% gratis")
    "a lone '%' breaks this text: write %% for a percent sign, and copy each \
%(name)s placeholder exactly as in the English"
    """
    samples = format_samples(msgid, plural)
    try:
        msgid % samples
    except (KeyError, ValueError, TypeError):
        return None  # the English is never %-formatted, so neither is this
    try:
        string % samples
    except KeyError as e:
        return (
            f"the placeholder %({e.args[0]})s is not in the English: copy the "
            "English placeholders exactly"
        )
    except (ValueError, TypeError):
        pass
    else:
        # A positional "%s" formats a mapping without error, but prints "{...}".
        if "%" not in _NAMED.sub("", string.replace("%%", "")):
            return None
    return (
        "a lone '%' breaks this text: write %% for a percent sign, and copy each "
        "%(name)s placeholder exactly as in the English"
    )


def message_format_problem(message) -> str | None:
    """Return why a message's translation cannot be %-formatted, or None."""
    if not message.id or not message.string:
        return None
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    plural = isinstance(message.id, tuple)
    for i, string in enumerate(strings):
        if string and (
            problem := format_problem(ids[min(i, len(ids) - 1)], string, plural)
        ):
            return problem
    return None


def _pairs(message) -> list[tuple[str, str]]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return [(ids[min(i, len(ids) - 1)], s) for i, s in enumerate(strings)]


def is_current(message) -> bool:
    """Tell whether a catalog message holds a usable translation.

    Fuzzy entries are not, nor is English copied unchanged into the
    translation, unless a reviewer flagged it as meant (``ignore-same``: a
    name, a form number).
    """
    if message.fuzzy or not message.id:
        return False
    pairs = _pairs(message)
    if not all(string for _, string in pairs):
        return False
    return meaning.silenced(message.flags, meaning.SAME) or not any(
        meaning.same_as_source(source, string) for source, string in pairs
    )


def meaning_problem(message) -> str | None:
    """Return how a translation changes what the English says, or None.

    Changed numbers, URLs or e-mail addresses, and direction controls that can
    reorder a number: the reader shows the English rather than such a text.
    """
    if not is_current(message):
        return None
    for source, string in _pairs(message):
        if problem := meaning.bidi_problem(source, string):
            return problem
        for check, find, what in (
            (meaning.NUMBERS, meaning.number_problem, "numbers"),
            (meaning.URLS, meaning.address_problem, "URLs or e-mail addresses"),
        ):
            if not meaning.silenced(message.flags, check) and (
                problem := find(source, string)
            ):
                return (
                    f"the {what} differ from the English ({problem}): write them "
                    f"as in the English, or have a reviewer add "
                    f"'#, {meaning.flag(check)}' if the change is meant"
                )
    return None


@dataclass(frozen=True)
class Stats:
    """Progress of one catalog against the messages it should hold."""

    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    words: int = 0
    words_left: int = 0

    @property
    def untranslated(self) -> int:
        return self.total - self.translated - self.fuzzy

    @property
    def percent(self) -> int:
        """Return the whole percent translated, rounding down (99.6 is not 100)."""
        return 100 * self.translated // self.total if self.total else 100

    def __add__(self, other: Stats) -> Stats:
        return Stats(
            *(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True))
        )

    def astuple(self) -> tuple[int, ...]:
        return (self.total, self.translated, self.fuzzy, self.words, self.words_left)


@dataclass(frozen=True)
class LoadedCatalog:
    """One language's catalog for one domain, as the site uses it."""

    locale: str
    domain: str
    version: tuple[int, int] | None
    catalog: Catalog
    translations: NullTranslations
    error: CatalogError | None = None
    # Translations that cannot be rendered: shown in English until fixed.
    broken: frozenset[str] = frozenset()

    def lookup(self, msgid: str) -> str | None:
        """Return the current translation of ``msgid``, or None."""
        if not self.has(msgid):
            return None
        string = find(self.catalog, msgid).string
        return string if isinstance(string, str) else None

    def has(self, msgid: str) -> bool:
        """Tell whether ``msgid`` (or a plural's singular) is translated."""
        message = find(self.catalog, msgid)
        return message is not None and is_current(message) and msgid not in self.broken

    def why_missing(self, msgid: str) -> str | None:
        """Return why ``msgid`` is shown in English, or None if it is not:
        ``"untranslated"``, ``"fuzzy"`` (its translation awaits checking) or
        ``"held back"`` (a check found a problem in its translation)."""
        if self.has(msgid):
            return None
        message = find(self.catalog, msgid)
        if message is None or not message.string:
            return "untranslated"
        if message.fuzzy:
            return "fuzzy"
        return "held back"

    def measure(self, msgids: Iterable[str]) -> Stats:
        """Count how many of ``msgids`` are translated, fuzzy or missing.

        Fuzzy entries never count as translated, and the header never counts.
        """
        total = translated = fuzzy = words = words_left = 0
        for msgid in dict.fromkeys(msgids):
            total += 1
            n = word_count(split_key(msgid)[0])
            words += n
            message = find(self.catalog, msgid)
            if message is not None and is_current(message) and msgid not in self.broken:
                translated += 1
            else:
                words_left += n
                if message is not None and message.fuzzy and message.string:
                    fuzzy += 1
        return Stats(total, translated, fuzzy, words, words_left)


def _translations(
    catalog: Catalog, domain: str, skip: frozenset[str] = frozenset()
) -> Translations:
    if skip:
        catalog = copy.deepcopy(catalog)
        for key in skip:
            msgid, context = split_key(key)
            catalog.delete(msgid, context)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=domain)


class CatalogStore:
    """Every ``<locale>/LC_MESSAGES/<domain>.po`` under one folder."""

    def __init__(self, directory: Path | str, formatted: Iterable[str] = ()) -> None:
        self.directory = Path(directory)
        # Domains whose translations are %-formatted when shown (the interface).
        self.formatted = frozenset(formatted)
        self._loaded: dict[tuple[str, str], LoadedCatalog] = {}
        self._files: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def path(self, locale: str, domain: str, ext: str = ".po") -> Path:
        """Return the file of a catalog."""
        return self.directory / locale / "LC_MESSAGES" / f"{domain}{ext}"

    def file(self, locale: str, domain: str) -> str:
        """Return a catalog's ``.po`` path as a string (cheap, for every request)."""
        key = (locale, domain)
        path = self._files.get(key)
        if path is None:
            path = self._files[key] = str(self.path(locale, domain))
        return path

    def locales(self) -> list[str]:
        """Return the locales that have an interface catalog."""
        if not self.directory.is_dir():
            return []
        return sorted(
            p.name
            for p in self.directory.iterdir()
            if self.path(p.name, "messages").is_file()
        )

    def version(self, locale: str, domain: str) -> tuple[int, int] | None:
        """Return the on-disk version (mtime, size) of a catalog, or None."""
        return file_version(self.file(locale, domain))

    def get(self, locale: str, domain: str) -> LoadedCatalog:
        """Return a catalog as of now, re-reading its file if it changed."""
        key = (locale, domain)
        version = self.version(locale, domain)
        loaded = self._loaded.get(key)
        if loaded is not None and loaded.version == version:
            return loaded
        with self._lock:
            loaded = self._loaded.get(key)
            if loaded is None or loaded.version != version:
                loaded = self._load(locale, domain, version, loaded)
                self._loaded[key] = loaded
            return loaded

    def _load(
        self, locale: str, domain: str, version, previous: LoadedCatalog | None
    ) -> LoadedCatalog:
        path = self.path(locale, domain)
        if version is None:
            return LoadedCatalog(
                locale, domain, None, Catalog(locale=locale), NullTranslations()
            )
        try:
            catalog = parse_po(path.read_bytes(), path, locale)
        except (CatalogError, OSError) as e:
            error = (
                e if isinstance(e, CatalogError) else CatalogError(path, None, str(e))
            )
            fallback = previous.catalog if previous else None
            source = "the last good version"
            if fallback is None:
                fallback, source = self._compiled(locale, domain), "the compiled .mo"
            if fallback is None:
                fallback, source = Catalog(locale=locale), "English"
            log.error("%s; serving %s until it is fixed", error, source)
            return self._served(locale, domain, version, fallback, path, error)
        return self._served(locale, domain, version, catalog, path)

    def _served(
        self,
        locale: str,
        domain: str,
        version,
        catalog: Catalog,
        path: Path,
        error: CatalogError | None = None,
    ) -> LoadedCatalog:
        broken = frozenset(
            self._unsafe(catalog, path, formatted=domain in self.formatted)
        )
        return LoadedCatalog(
            locale,
            domain,
            version,
            catalog,
            _translations(catalog, domain, broken),
            error,
            broken,
        )

    @staticmethod
    def _unsafe(catalog: Catalog, path: Path, formatted: bool) -> list[str]:
        """Return the msgids whose translation must not be shown; log each.

        One bad string must never take a page down, nor say another number
        than the English: it is shown in English, marked, and logged once per
        version of the file.
        """
        broken = []
        for message in catalog:
            problem = meaning_problem(message)
            if problem is None and formatted and is_current(message):
                problem = message_format_problem(message)
            if problem:
                broken.append(key_of(message))
                log.error(
                    "%s:%s: %s; showing the English until it is fixed",
                    path,
                    message.lineno,
                    problem,
                )
        return broken

    def translators(self, locale: str) -> list[str]:
        """Return the names of a language's translators, from catalog headers.

        Names come from the gettext header convention (a ``# Name <email>,
        YEAR.`` line per translator) and Last-Translator; e-mail addresses are
        never shown.
        """
        names: dict[str, None] = {}
        folder = self.directory / locale / "LC_MESSAGES"
        for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
            catalog = self.get(locale, path.stem).catalog
            lines = catalog.header_comment.splitlines()
            for line in [*lines, catalog.last_translator or ""]:
                if m := _TRANSLATOR.match(line.lstrip("# ").strip()):
                    name = (m.group(1) or m.group(2)).strip()
                    if name and name.upper() not in _PLACEHOLDERS:
                        names.setdefault(name)
        return list(names)

    def _compiled(self, locale: str, domain: str) -> Catalog | None:
        try:
            with self.path(locale, domain, ".mo").open("rb") as f:
                return read_mo(f)
        except (OSError, ValueError):
            return None


def reviewers(records: dict) -> list[str]:
    """Return the names in a language's review records, without addresses.

    A review that went stale still credits its reviewer: they did the work.

    >>> reviewers({"door": {"reviewer": "Ana P. <ana@example.org>"}, "x": 1})
    ['Ana P.']
    """
    names: dict[str, None] = {}
    for domain in sorted(records):
        record = records[domain]
        name = record.get("reviewer") if isinstance(record, dict) else None
        if isinstance(name, str):
            name = " ".join(_ADDRESS.sub("", name).split())
            if name:
                names.setdefault(name)
    return list(names)
