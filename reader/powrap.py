"""Wrap PO strings as GNU gettext does, so our files and msgcat's agree.

A port of the ``wrap()`` function of gettext's ``write-po.c``: a string is cut
after each ``\\n``, and each piece is broken at Unicode line-break
opportunities (UAX #14, from uniseg) so that no line passes 79 columns, wide
East Asian characters counting two. A string that does not fit on the
keyword's line, or that holds a newline before its end, starts with ``""``.
"""

from __future__ import annotations

import re
import unicodedata

from uniseg.linebreak import line_break_breakables

PAGE_WIDTH = 79
# A Python format directive: gettext never breaks a python-format string in one.
_DIRECTIVE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_QUOTES = frozenset("\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a")
# Line-break class IS (infix separators) of UAX #14.
_INFIX = frozenset(".,:;\u037e\u0589\u060c\u060d\u07f8\u2044\ufe10\ufe13\ufe14")

_ESCAPES = {
    "\a": "a",
    "\b": "b",
    "\f": "f",
    "\n": "n",
    "\r": "r",
    "\t": "t",
    "\v": "v",
    "\\": "\\",
    '"': '"',
}


def char_width(char: str) -> int:
    """Return the columns a character takes, as libunistring's ``uc_width``."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me"):
        return 0
    if unicodedata.category(char) == "Cf" and char != "\u00ad":
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    return 1


def _portions(value: str) -> list[str]:
    """Split a string after each newline, as gettext writes one line per piece."""
    pieces, start = [], 0
    for i, char in enumerate(value):
        if char == "\n":
            pieces.append(value[start : i + 1])
            start = i + 1
    if start < len(value) or not pieces:
        pieces.append(value[start:])
    return pieces


def _escape(portion: str) -> tuple[str, list[bool]]:
    """Return a piece escaped for a PO string and where a break is forbidden.

    A line may break before an escape (where UAX #14 allows), never inside it.
    """
    out, forbidden = [], []
    for char in portion:
        if char in _ESCAPES:
            out += ["\\", _ESCAPES[char]]
            forbidden += [False, True]
        else:
            out.append(char)
            forbidden.append(False)
    return "".join(out), forbidden


def _breaks(text: str, forbidden: list[bool], width: int, start: int) -> list[int]:
    """Return where to break ``text`` (indexes of the first char of new lines).

    The greedy fill of libunistring's ``u8_width_linebreaks``: a line is
    broken at the last opportunity before it would pass ``width`` columns.
    """
    possible = list(line_break_breakables(text)) if text else []
    for i in range(1, len(text)):
        # libunistring, unlike UAX #14 rule LB29, breaks between infix
        # punctuation and a letter: "socialism2020." / "org".
        if text[i - 1] in _INFIX and unicodedata.category(text[i]).startswith("L"):
            possible[i] = 1
        # ...and keeps quotation marks to their neighbours (LB19 as it was
        # before Unicode 15.1), also in Chinese and Korean: "계획”을".
        elif text[i - 1] in _QUOTES or (text[i] in _QUOTES and text[i - 1] != " "):
            possible[i] = 0

    chosen: list[int] = []
    last = None  # the last break opportunity seen
    column, piece = start, 0
    for i, char in enumerate(text):
        can = bool(possible[i]) and i > 0 and not forbidden[i]
        if can:
            if last is not None and column + piece > width:
                chosen.append(last)
                column = 0
            last = i
            column += piece
            piece = 0
        piece += char_width(char)
    if last is not None and column + piece > width:
        chosen.append(last)
    return chosen


def wrap(
    name: str,
    value: str,
    prefix: str = "",
    width: int = PAGE_WIDTH,
    python_format: bool = False,
) -> list[str]:
    """Return the lines GNU gettext writes for ``name "value"``.

    ``prefix`` starts every line (``"#| "`` for a previous msgid, ``"#~ "``
    for an obsolete entry); a ``python_format`` string is never broken inside
    a ``%(name)s`` directive.

    >>> wrap("msgid", "Hello")
    ['msgid "Hello"']
    >>> wrap("msgstr", "One\\nTwo")
    ['msgstr ""', '"One\\\\n"', '"Two"']
    """
    lines: list[str] = []
    after_break = len(prefix) + 1  # continuation lines start after the quote
    line_width = width - 1 - after_break  # room for the closing quote
    pieces = _portions(value)
    first = True
    for n, portion in enumerate(pieces):
        text, forbidden = _escape(portion)
        if portion.endswith("\n"):
            forbidden[-2] = True  # never break right before the final "\n"
        if python_format:
            for m in _DIRECTIVE.finditer(text):
                forbidden[m.start() + 1 : m.end()] = [True] * (m.end() - m.start() - 1)
        more = n < len(pieces) - 1
        while True:
            start = len(prefix) + (len(name) + 1 if first else 0) + 1 - after_break
            breaks = _breaks(text, forbidden, line_width, start)
            if first and text and (more or start > line_width or breaks):
                lines.append(f'{prefix}{name} ""')
                first = False
                continue
            break
        head = f"{prefix}{name} " if first else prefix
        first = False
        bounds = [0, *breaks, len(text)]
        for i, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
            lines.append(f'{head if i == 0 else prefix}"{text[a:b]}"')
    return lines
