"""The ``.po`` file a translator downloads: the one on disk, without people's
e-mail addresses (the credits keep their names)."""

from __future__ import annotations

import re

# An address in angle brackets (with the space before it), or a bare one; in a
# header string the escapes (\n) and the closing quote are not part of it.
_ADDRESS = re.compile(r"\s*<[^<>]*@[^<>]*>|[^\s<>\"\\,;:()]+@[^\s<>\"\\,;:()]+")
_PRIVATE_FIELDS = ("Last-Translator", "Language-Team")


def without_addresses(text: str) -> str:
    """Remove e-mail addresses from one line of a catalog's header.

    >>> without_addresses("# Tina Tester <tina@example.org>, 2024.")
    '# Tina Tester, 2024.'
    >>> without_addresses("# rosa@example.net, 2025.")
    '# , 2025.'
    """
    return _ADDRESS.sub("", text)


def public_copy(data: bytes) -> bytes:
    """Return a catalog's bytes with the addresses in its header left out.

    Only the header comment and the Last-Translator and Language-Team fields
    change; every other byte is the file's own.
    """
    text = data.decode("utf-8", "surrogateescape")
    head, blank, rest = text.partition("\n\n")
    lines, field, new_field = [], "", True
    for line in head.split("\n"):
        if line.startswith("#"):
            kept = without_addresses(line)
            # A credit that was only an address names no one any more.
            if kept != line and not re.search(r"[^\W\d_]", kept[1:]):
                continue
            line = kept
        elif line.startswith(('"', 'msgstr "')):
            string = line.partition('"')[2].rstrip()[:-1]
            if not string:  # the empty first line of msgstr ""
                lines.append(line)
                continue
            if new_field:
                field = string.partition(":")[0]
            if field in _PRIVATE_FIELDS:
                line = without_addresses(line)
            # A header field goes on until a string ends with its newline.
            new_field = line.rstrip().endswith('\\n"')
        lines.append(line)
    return ("\n".join(lines) + blank + rest).encode("utf-8", "surrogateescape")
