"""What a translation of legal text must keep from the English.

Plain functions over two strings: the numbers (form numbers, amounts, days,
phone numbers), the URLs and e-mail addresses, the sentences, and no
direction controls. Each returns what differs, so that the checks can say it
and the reader can show the English instead of a translation that changed a
number. A reviewer silences one check for one message with a flag in the
``.po`` file, as in Weblate: ``#, ignore-numbers``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

NUMBERS, URLS, SAME, SENTENCES, GLOSSARY, LENGTH = (
    "numbers",
    "urls",
    "same",
    "sentences",
    "glossary",
    "length",
)
# Checks a reviewer may silence for one message, with ``ignore-<check>``.
SILENCEABLE = (NUMBERS, URLS, SAME, SENTENCES, GLOSSARY, LENGTH)


def flag(check: str) -> str:
    """Return the flag that silences ``check`` for one message.

    >>> flag("same")
    'ignore-same'
    """
    return f"ignore-{check}"


def silenced(flags, check: str) -> bool:
    """Tell whether a message's flags silence ``check``."""
    return flag(check) in flags


# Explicit direction controls: with them "555-0100" can be made to show as
# another number. The reader isolates numbers itself, so a translation needs none.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_problem(source: str, string: str) -> str | None:
    """Return why a translation's direction controls are refused, or None."""
    extra = set(BIDI_CONTROLS.findall(string)) - set(BIDI_CONTROLS.findall(source))
    if not extra:
        return None
    codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(extra))
    return (
        f"direction control characters ({codes}) can make numbers show in "
        "another order: remove them; the reader keeps numbers, phone numbers "
        "and form numbers in order itself"
    )


_DIGITS = re.compile(r"\d+")
_LOCAL_DIGIT = re.compile(r"[^\W\D0-9]")  # a decimal digit that is not 0-9
# A group separator between digits ("1,000", "1 000", "1.000", "1٬000").
_GROUPS = re.compile(r"(?<=\d)[,.\u00a0\u202f\u066c' ](?=\d{3}(?!\d))")
_MONTHS = {
    name: n
    for n, name in enumerate(
        (
            "january february march april may june july august september "
            "october november december"
        ).split(),
        1,
    )
}
_WORDS = {
    name: n
    for n, name in enumerate(
        "one two three four five six seven eight nine ten eleven twelve".split(), 1
    )
}
_WORDS.update(
    (name, n)
    for n, name in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1
    )
)
# English words a translation may write as digits: months and small numbers.
_AS_DIGITS = {**_MONTHS, **_WORDS}
_NAMED = re.compile(r"\b(" + "|".join(_AS_DIGITS) + r")\b", re.I)


def _ascii_digits(text: str) -> str:
    """Write every decimal digit (Arabic-Indic, Persian, fullwidth) as 0-9."""
    if text.isascii():
        return text
    return _LOCAL_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(0))), text)


def numbers(text: str) -> Counter:
    """Count the numbers of a text, whatever digits and grouping it uses.

    >>> sorted(numbers("Form I-205, 1,000 dollars, ١٠٠ miles").elements())
    ['100', '1000', '205']
    """
    text = _GROUPS.sub("", _ascii_digits(text))
    return Counter(_DIGITS.findall(text))


def number_problem(source: str, string: str) -> str | None:
    """Return how the numbers of a translation differ from the English.

    A month or a small number the English writes as a word may be written
    in digits ("January 2026" as "2026年1月", "one card" as "카드 1장").

    >>> number_problem("Drive 100 miles.", "Conduzca 10 millas.")
    'missing 100; added 10'
    >>> number_problem("In January 2026", "2026년 1월") is None
    True
    """
    want, got = numbers(source), numbers(string)
    if want == got:
        return None
    words = Counter(str(_AS_DIGITS[m.lower()]) for m in _NAMED.findall(source))
    added = got - want - words
    missing = want - got
    if not added and not missing:
        return None
    parts = []
    if missing:
        parts.append("missing " + ", ".join(sorted(missing.elements())))
    if added:
        parts.append("added " + ", ".join(sorted(added.elements())))
    return "; ".join(parts)


_PATH = r"[A-Za-z0-9/._~%#?=&+:@!$,;*-]"
_URL = re.compile(
    rf"(?:https?://|www\.){_PATH}+"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    # A bare domain, also inside text with no spaces ("请访问uscis.gov").
    r"|(?<![a-z0-9.@-])(?:[a-z0-9-]+\.)+(?:gov|org|com|net|edu|us|info)"
    rf"(?![a-z0-9-])(?:/{_PATH}*)?",
    re.I,
)


def addresses(text: str) -> Counter:
    """Count the URLs, web addresses and e-mail addresses of a text.

    >>> sorted(addresses("See uscis.gov/tps or write to help@example.org.").elements())
    ['help@example.org', 'uscis.gov/tps']
    """
    if not _MAYBE_URL.search(text):  # most texts: skip the slower scan
        return Counter()
    return Counter(m.group(0).rstrip(".,;:!?*_") for m in _URL.finditer(text))


def address_problem(source: str, string: str) -> str | None:
    """Return how the URLs and e-mail addresses of a translation differ."""
    want, got = addresses(source), addresses(string)
    if want == got:
        return None
    parts = []
    if missing := want - got:
        parts.append("missing " + ", ".join(sorted(missing.elements())))
    if added := got - want:
        parts.append("added " + ", ".join(sorted(added.elements())))
    return "; ".join(parts)


_MAYBE_URL = re.compile(
    r"://|www\.|@|\.(?:gov|org|com|net|edu|us|info)(?![a-z0-9-])", re.I
)
_LETTER = re.compile(r"[^\W\d_]")


def same_as_source(source: str, string: str) -> bool:
    """Tell whether a translation is the English left as it was.

    Text with no letters ("________", "2026") is the same in every language.
    """
    return string.strip() == source.strip() and bool(_LETTER.search(source))


# Abbreviations whose dots end no sentence: "U.S.", "a.m.", "EE. UU.", "No. 5".
_ABBREVIATIONS = re.compile(
    r"\b(?:[^\W\d_]{1,2}\.\s?){2,}|\b(?:Mr|Mrs|Ms|Dr|etc|vs|Sr|Sra)\."
    r"|\bN[or]\.(?=\s?\d)",
)
_END = re.compile(r"[.!?…]+(?=[\s\"'”’»)\]*_]|$)|[。！？؟۔]+")


def sentences(text: str) -> int:
    """Count the sentences of a text (at least one, if it has any words).

    >>> sentences("Stay calm. Do not run! Ask: am I free to leave?")
    3
    >>> sentences("在美国。不要跑！")
    2
    """
    text = _ABBREVIATIONS.sub(" ", text)
    return max(len(_END.findall(text)), 1 if _LETTER.search(text) else 0)


def sentence_problem(source: str, string: str) -> str | None:
    """Return a warning when a translation has another number of sentences."""
    want, got = sentences(source), sentences(string)
    if want == got:
        return None
    return f"{got} sentence(s) where the English has {want}"
