"""Checks for translated legal Markdown, as Babel checkers and as a report.

Each error checker is a plain ``(catalog, message)`` function that raises
``TranslationError``; they are registered under ``babel.checkers`` so Babel's
``Catalog.check()`` and ``pybabel compile`` run them too. ``check_catalog``
adds what needs the language or its glossary: a glossary term worded
otherwise (an error), and the warnings: English left unchanged, another
number of sentences, a suspicious length.

A reviewer silences one check for one message with a flag, as in Weblate:
``#, ignore-numbers``, ``ignore-urls``, ``ignore-same``, ``ignore-sentences``,
``ignore-glossary``, ``ignore-length`` (see ``docs/translating.md``).

The error checkers, which the translator web runs on every suggestion and
upload, raise ``CheckError``: its English template is marked with ``N_`` for
the interface catalog, so the web shows it translated (``contrib.labels``);
``str()`` stays English for the command line and Babel. The warnings and the
glossary check are only reported by ``check_catalog`` (``translate check``),
in English.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message, TranslationError

from .. import meaning
from ..catalogs import is_current, message_format_problem
from ..errors import CatalogError
from ..pofile import load_po
from . import glossary as glossary_

_LINK = re.compile(
    r"\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)|<((?:https?|mailto|tel):[^>\s]+)>"
)
_CODE = re.compile(r"`[^`]+`")
_PLACEHOLDER = re.compile(
    r"%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{[A-Za-z_]\w*\}"
)
_HTML = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|<!--|&#?\w+;")
_STRONG = re.compile(r"\*\*|__")
_EM = re.compile(r"(?<![*\\])\*(?!\*)|(?<![\w\\_])_(?!_)|(?<!_)_(?![\w_])")
_CJK = ("zh", "ja", "ko")


def N_(template: str) -> str:
    """Mark a check's message for the interface catalog; return it as it is.

    Babel extracts ``N_`` by default, as ``flask translate extract`` does.
    """
    return template


@dataclass(frozen=True)
class Text:
    """An English template (%(name)s placeholders) and its values; a value may
    be a ``Text`` of its own, translated apart."""

    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, translate: Callable[[str], str] = str) -> str:
        """Return the text, each template passed through ``translate``."""
        values = {
            k: v.render(translate) if isinstance(v, Text) else v
            for k, v in self.params.items()
        }
        try:
            return translate(self.template) % values
        except (KeyError, ValueError, TypeError):
            # A translation whose placeholders are broken: say it in English.
            return self.template % values

    def __str__(self) -> str:
        return self.render()


class CheckError(TranslationError):
    """A check's failure, as a ``Text`` to translate; ``str()`` is the English."""

    def __init__(self, template: str, **params: object) -> None:
        self.text = Text(template, params)
        super().__init__(str(self.text))


# TRANSLATORS: in a check message, "missing: none" or "added: none": nothing is.
_NONE = Text(N_("none"))


def _pairs(message: Message):
    """Yield (source, translation) pairs of a message that is in use."""
    if not message.id or not is_current(message):
        return
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    for i, string in enumerate(strings):
        yield ids[min(i, len(ids) - 1)], string


def _found(pattern: re.Pattern, text: str) -> Counter:
    """Count the matches of ``pattern``: its first matching group, or the whole."""
    return Counter(
        next((g for g in m.groups() if g is not None), m.group(0))
        for m in pattern.finditer(text)
    )


def _differs(pattern: re.Pattern, source: str, string: str, template: str) -> None:
    """Raise ``template`` (with %(missing)s and %(added)s) if the matches of
    ``pattern`` differ between the English and the translation."""
    want, got = _found(pattern, source), _found(pattern, string)
    if want != got:
        raise CheckError(
            template,
            missing=", ".join(sorted((want - got).elements())) or _NONE,
            added=", ".join(sorted((got - want).elements())) or _NONE,
        )


def _changes(problem: str) -> Text | str:
    """Return a "missing a, b; added c" report of ``meaning`` as a ``Text``."""
    parts = dict(part.split(" ", 1) for part in problem.split("; ") if " " in part)
    if set(parts) == {"missing", "added"}:
        # TRANSLATORS: numbers or web addresses the translation lacks, and those
        # it has that the English has not; shown inside another check message.
        text = Text(N_("missing %(missing)s; added %(added)s"), parts)
    elif set(parts) == {"missing"}:
        # TRANSLATORS: numbers or web addresses the translation lacks.
        text = Text(N_("missing %(missing)s"), parts)
    elif set(parts) == {"added"}:
        # TRANSLATORS: numbers or web addresses the English has not.
        text = Text(N_("added %(added)s"), parts)
    else:
        return problem
    # Should the report change shape, it is shown as it is, in English.
    return text if str(text) == problem else problem


def placeholders(catalog: Catalog | None, message: Message) -> None:
    """Every placeholder (``%(name)s``, ``{name}``) appears in the translation."""
    for source, string in _pairs(message):
        _differs(
            _PLACEHOLDER,
            source,
            string,
            # TRANSLATORS: %(missing)s and %(added)s list placeholders such as
            # %(name)s, or the word "none".
            N_(
                "placeholders differ (missing: %(missing)s; added: %(added)s): "
                "copy each placeholder exactly, untranslated"
            ),
        )


def links(catalog: Catalog | None, message: Message) -> None:
    """Link targets are kept exactly: none dropped, changed or added."""
    for source, string in _pairs(message):
        _differs(
            _LINK,
            source,
            string,
            N_(
                "link targets differ (missing: %(missing)s; added: %(added)s): "
                "keep every [text](target) target as in the English"
            ),
        )


def inline_code(catalog: Catalog | None, message: Message) -> None:
    """Inline code spans are kept as they are."""
    for source, string in _pairs(message):
        _differs(
            _CODE,
            source,
            string,
            N_(
                "inline code spans differ (missing: %(missing)s; added: "
                "%(added)s): copy `code` spans exactly, untranslated"
            ),
        )


def no_html(catalog: Catalog | None, message: Message) -> None:
    """A translation adds no raw HTML (it would be stripped from the page)."""
    for source, string in _pairs(message):
        extra = set(_HTML.findall(string)) - set(_HTML.findall(source))
        if extra:
            raise CheckError(
                N_(
                    "raw HTML %(tags)s: use Markdown (**bold**, *emphasis*) "
                    "instead; HTML is removed before the page is shown"
                ),
                tags=", ".join(sorted(extra)),
            )


def emphasis(catalog: Catalog | None, message: Message) -> None:
    """Bold and emphasis markers come in pairs, as in the English."""
    unbalanced = (
        (
            _STRONG,
            N_(
                "bold (**) markers are unbalanced or missing: put them around "
                "the words that match the English"
            ),
        ),
        (
            _EM,
            N_(
                "emphasis (*) markers are unbalanced or missing: put them around "
                "the words that match the English"
            ),
        ),
    )
    for source, string in _pairs(message):
        for pattern, template in unbalanced:
            n, want = len(pattern.findall(string)), len(pattern.findall(source))
            # Paired as in the English: an English that names a marker on
            # its own, such as "bold (**) markers", is kept as it is.
            if n % 2 != want % 2 or (n == 0) != (want == 0):
                raise CheckError(template)


def whitespace(catalog: Catalog | None, message: Message) -> None:
    """Leading and trailing whitespace and newlines match the English."""
    for source, string in _pairs(message):
        for template, a, b in (
            (
                # TRANSLATORS: %(english)s and %(translation)s are the spaces
                # or line breaks of each, in quotes ('' is none).
                N_(
                    "whitespace at the start differs from the English "
                    "(%(english)s vs %(translation)s): remove or add it"
                ),
                source[: len(source) - len(source.lstrip())],
                string[: len(string) - len(string.lstrip())],
            ),
            (
                N_(
                    "whitespace at the end differs from the English "
                    "(%(english)s vs %(translation)s): remove or add it"
                ),
                source[len(source.rstrip()) :],
                string[len(string.rstrip()) :],
            ),
        ):
            if a != b:
                raise CheckError(template, english=repr(a), translation=repr(b))


def formatting(catalog: Catalog | None, message: Message) -> None:
    """An interface translation survives the %-formatting applied to it.

    Documents are never %-formatted, so only interface messages (those found
    in the code and templates, not in ``content/``) are checked.
    """
    if message.locations and all(
        str(path).endswith(".md") for path, _ in message.locations
    ):
        return
    if is_current(message) and (problem := message_format_problem(message)):
        raise _format_error(problem)


_UNKNOWN_PLACEHOLDER = re.compile(r"the placeholder (%\(\w+\)s) is not in the English")


def _format_error(problem: str) -> TranslationError:
    """Return ``catalogs.format_problem``'s report as a ``CheckError``."""
    if found := _UNKNOWN_PLACEHOLDER.match(problem):
        error = CheckError(
            N_(
                "the placeholder %(placeholder)s is not in the English: copy the "
                "English placeholders exactly"
            ),
            placeholder=found.group(1),
        )
    else:
        error = CheckError(
            # TRANSLATORS: %(percent)s is '%', %(escaped)s is %%, and
            # %(example)s is a placeholder such as %(name)s; keep all three.
            N_(
                "a lone %(percent)s breaks this text: write %(escaped)s for a "
                "percent sign, and copy each %(example)s placeholder exactly as "
                "in the English"
            ),
            percent="'%'",
            escaped="%%",
            example="%(name)s",
        )
    # Should the report change, it is shown as it is, in English.
    return error if str(error) == problem else TranslationError(problem)


def bidi_controls(catalog: Catalog | None, message: Message) -> None:
    """A translation adds no bidi embedding, override or isolate characters."""
    for source, string in _pairs(message):
        if problem := meaning.bidi_problem(source, string):
            extra = set(meaning.BIDI_CONTROLS.findall(string))
            extra -= set(meaning.BIDI_CONTROLS.findall(source))
            error = CheckError(
                N_(
                    "direction control characters (%(codes)s) can make numbers "
                    "show in another order: remove them; the reader keeps "
                    "numbers, phone numbers and form numbers in order itself"
                ),
                codes=", ".join(f"U+{ord(c):04X}" for c in sorted(extra)),
            )
            raise error if str(error) == problem else TranslationError(problem)


def _same_as_english(message: Message, check: str, find, template: str) -> None:
    """Raise ``template`` (with %(problem)s and %(flag)s) if ``find`` sees a
    difference from the English in ``message``, unless a reviewer silenced
    ``check``."""
    if meaning.silenced(message.flags, check):
        return
    for source, string in _pairs(message):
        if problem := find(source, string):
            raise CheckError(
                template, problem=_changes(problem), flag=meaning.flag(check)
            )


def numbers(catalog: Catalog | None, message: Message) -> None:
    """Numbers, form numbers and amounts are those of the English."""
    _same_as_english(
        message,
        meaning.NUMBERS,
        meaning.number_problem,
        # TRANSLATORS: %(problem)s is e.g. "missing 100; added 10"; %(flag)s is
        # a flag to copy as it is (ignore-numbers).
        N_(
            "numbers differ from the English (%(problem)s): a changed number "
            "changes the law; write each as in the English (local digits are "
            "fine), or have a reviewer add '#, %(flag)s'"
        ),
    )


def urls(catalog: Catalog | None, message: Message) -> None:
    """URLs and e-mail addresses are those of the English: none lost or added."""
    _same_as_english(
        message,
        meaning.URLS,
        meaning.address_problem,
        N_(
            "URLs or e-mail addresses differ from the English (%(problem)s): copy "
            "them exactly, or have a reviewer add '#, %(flag)s'"
        ),
    )


def length_ratio(message: Message, locale: str) -> str | None:
    """Return a warning when a translation is suspiciously short or long."""
    if meaning.silenced(message.flags, meaning.LENGTH):
        return None
    for source, string in _pairs(message):
        if len(source) < 25:
            continue
        ratio = len(string) / len(source)
        low, high = (0.12, 1.5) if locale.startswith(_CJK) else (0.4, 3.0)
        if not low <= ratio <= high:
            return (
                f"translation is {ratio:.1f}x the English length: check that nothing "
                "is missing or added"
            )
    return None


@dataclass(frozen=True)
class Finding:
    """One problem in a catalog, located by file and line."""

    severity: str
    path: Path
    line: int | None
    msgid: str
    problem: str
    check: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        snippet = self.msgid if len(self.msgid) <= 50 else self.msgid[:47] + "..."
        return f"{where}: {self.severity}: {snippet!r}: {self.problem}"


def header_problems(catalog: Catalog, locale: str) -> list[str]:
    """Return what is wrong in a catalog's header."""
    problems = []
    if catalog.locale_identifier and catalog.locale_identifier != locale:
        problems.append(
            f"Language is {catalog.locale_identifier!r} but the folder is "
            f"{locale!r}: set 'Language: {locale}'"
        )
    if "Plural-Forms" not in dict(catalog.mime_headers):
        problems.append("Plural-Forms is missing: run 'flask translate update'")
    if (catalog.charset or "").lower() != "utf-8":
        problems.append(
            "the charset is not UTF-8: set 'Content-Type: text/plain; charset=UTF-8'"
        )
    return problems


def glossary_terms(catalog: Catalog | None) -> list[glossary_.Term]:
    """Return the glossary held in a language's "Words to know" catalog."""
    return glossary_.terms(catalog)


def same_as_source(message: Message) -> str | None:
    """Return a warning when the translation is the English left unchanged."""
    if not message.id or message.fuzzy or meaning.silenced(message.flags, meaning.SAME):
        return None
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    for i, string in enumerate(strings):
        if string and meaning.same_as_source(ids[min(i, len(ids) - 1)], string):
            return (
                "the translation is the English unchanged, so it counts as "
                "untranslated: translate it, or have a reviewer add "
                f"'#, {meaning.flag(meaning.SAME)}' for a name or a form number"
            )
    return None


def sentence_count(message: Message) -> str | None:
    """Return a warning when a sentence may have been dropped or added."""
    if meaning.silenced(message.flags, meaning.SENTENCES):
        return None
    for source, string in _pairs(message):
        if problem := meaning.sentence_problem(source, string):
            return (
                f"{problem}: check that no sentence is missing or added, or have a "
                f"reviewer add '#, {meaning.flag(meaning.SENTENCES)}'"
            )
    return None


def glossary_misses(
    message: Message, terms: list[glossary_.Term], locale: str
) -> list[str]:
    """Return an error for each glossary term the translation words otherwise."""
    if meaning.silenced(message.flags, meaning.GLOSSARY):
        return []
    return [
        f"the glossary term {term.english!r} is {term.translations[0]!r} "
        "(Words to know): use it, in any grammatical form; add other forms as "
        f"'# {glossary_.ALTERNATIVES} ...' on its glossary entry, or have a "
        f"reviewer add '#, {meaning.flag(meaning.GLOSSARY)}' here"
        for source, string in _pairs(message)
        for term in glossary_.misses(terms, source, string, locale)
    ]


def check_catalog(
    path: Path, locale: str, glossary: list[glossary_.Term] | None = None
) -> list[Finding]:
    """Check one catalog; return its errors and warnings."""
    try:
        catalog = load_po(path, locale)
    except CatalogError as e:
        return [Finding("error", path, e.line, "", e.message)]
    findings = [
        Finding("error", path, 1, "", p, "header")
        for p in header_problems(catalog, locale)
    ]
    for message, errors in catalog.check():
        for error in errors:
            findings.append(
                Finding("error", path, message.lineno, str(message.id), str(error))
            )
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        for severity, check, problems in (
            ("warning", meaning.SAME, [same_as_source(message)]),
            ("warning", meaning.LENGTH, [length_ratio(message, locale)]),
            ("warning", meaning.SENTENCES, [sentence_count(message)]),
            (
                "error",
                meaning.GLOSSARY,
                glossary_misses(message, glossary or [], locale),
            ),
        ):
            findings += [
                Finding(severity, path, message.lineno, key, p, check)
                for p in problems
                if p
            ]
    return findings


def silenced_checks(catalog: Catalog) -> int:
    """Count the checks a reviewer silenced in a catalog (one per flag)."""
    flags = {meaning.flag(check) for check in meaning.SILENCEABLE}
    return sum(len(flags & set(m.flags)) for m in catalog if m.id)
