"""Read and write ``.po`` files: Babel parses them, we write them as GNU does.

Reading is strict (a broken line is an error naming its file and line) and
keeps what Babel's ``read_po`` drops: the ``#|`` previous-msgid lines, and
the text of every entry as the file had it. Writing puts back, byte for byte,
each entry that did not change, whichever tool (msgcat, translate-toolkit,
Weblate, Poedit) wrapped it last, so a diff shows only real changes. A new
or changed entry is written as GNU msgcat writes it (see ``powrap``).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, unescape
from babel.util import TextWrapper

from .errors import CatalogError
from .powrap import PAGE_WIDTH, wrap

# Babel wraps comments at 76 columns; GNU tools keep comment lines as they are.
COMMENT_WIDTH = 76


def wraptext(text: str, width: int) -> list[str]:
    """Wrap a comment as Babel's writer does."""
    return TextWrapper(width=width, break_long_words=False).wrap(text)


_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+(".*)$')
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"\s*$')
# One line of an entry: its kind ("#~" obsolete, "#|" previous), keyword, string.
_LINE = re.compile(
    r"^(?P<mark>#~\|?|#\|)?\s*(?:(?P<key>msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+)?"
    r'(?P<string>".*")\s*$'
)
_HEADER_LINE = re.compile(r"^([^:\n]+):\s?(.*)$")


def check_syntax(text: str, path: Path | str) -> None:
    """Raise CatalogError at the first line that is not valid PO syntax.

    Babel's parser skips some broken lines silently (an unterminated string,
    for one); GNU msgfmt rejects them, so we do too.
    """
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _KEYWORD.match(line)
        string = m.group(3) if m else line
        if not _STRING.match(string):
            what = (
                "a string is not closed"
                if string.count('"') % 2
                else ("this line is neither a comment, a keyword nor a quoted string")
            )
            raise CatalogError(
                path,
                lineno,
                f"{what}: {raw.strip()[:60]!r}; fix the quoting "
                '(each string starts and ends with " on one line; write \\" inside)',
            )


def parse_po(data: bytes, path: Path | str, locale: str | None = None) -> Catalog:
    """Parse PO bytes strictly; raise CatalogError naming file and line.

    Each fuzzy entry keeps its previous msgid, and every entry its text as
    the file wrote it (for ``dump_po``).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise CatalogError(path, line, "the file is not UTF-8: save it as UTF-8") from e
    check_syntax(text, path)
    try:
        catalog = read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except PoFileError as e:
        raise CatalogError(path, e.lineno, f"{e.args[0]}; fix this entry") from e
    except ValueError as e:
        raise CatalogError(path, None, f"{e}; check the header") from e
    _keep_text(catalog, data, text)
    return catalog


@dataclass(frozen=True)
class _Block:
    """One entry as the file wrote it."""

    text: str
    obsolete: bool
    context: str | None
    msgid: str
    previous: str | None


def _read_blocks(text: str) -> list[_Block]:
    """Split a PO text into its entries, each with its key and previous msgid."""
    blocks = []
    for chunk in re.split(r"\n[ \t\r]*\n", text.strip("\n")):
        if not chunk.strip():
            continue
        strings: dict[tuple[str, str], list[str]] = {}
        target = None
        obsolete = False
        for line in chunk.split("\n"):
            m = _LINE.match(line.strip())
            if m is None:
                target = None
                continue
            mark = m.group("mark") or ""
            if m.group("key"):
                target = strings.setdefault(("|" in mark, m.group("key")), [])
                obsolete = obsolete or mark.startswith("#~")
            if target is not None:
                target.append(unescape(m.group("string")))
        if (False, "msgid") not in strings:
            continue
        ctx = strings.get((False, "msgctxt"))
        prev = strings.get((True, "msgid"))
        blocks.append(
            _Block(
                chunk,
                obsolete,
                "".join(ctx) if ctx is not None else None,
                "".join(strings[False, "msgid"]),
                "".join(prev) if prev is not None else None,
            )
        )
    return blocks


def _words(comments: list[str]) -> str:
    """A comment's words: wrapping a comment does not change it."""
    return " ".join(" ".join(comments).split())


def _fingerprint(message: Message) -> tuple:
    """Return what a writer puts of a message: if it is unchanged, so is its text."""
    return (
        message.id,
        message.string,
        message.context,
        tuple(sorted(message.flags)),
        _words(message.auto_comments),
        tuple(message.user_comments),
        tuple(message.locations),
        tuple(message.previous_id or ()),
    )


def _header_view(catalog: Catalog) -> tuple:
    return (catalog.header_comment, tuple(catalog.mime_headers), catalog.fuzzy)


def load_po(path: Path | str, locale: str | None = None) -> Catalog:
    """Read a catalog file strictly (see ``parse_po``)."""
    return parse_po(Path(path).read_bytes(), path, locale)


def _keep_text(catalog: Catalog, data: bytes, text: str) -> None:
    """Give a parsed catalog its previous msgids and each entry's text."""
    # Babel reads "#| msgid ..." lines as user comments; they are not comments.
    for message in [*catalog, *catalog.obsolete.values()]:
        message.user_comments = [
            c for c in message.user_comments if not c.startswith("|")
        ]
    raw: dict[tuple, tuple[tuple, str]] = {}
    header = None
    for block in _read_blocks(text):
        if not block.msgid and block.context is None and not block.obsolete:
            header = block.text
            continue
        message = (
            catalog.obsolete.get(block.msgid)
            if block.obsolete
            else catalog.get(block.msgid, block.context)
        )
        if message is None:
            continue
        if block.previous is not None and not block.obsolete:
            message.previous_id = [block.previous]
        raw[block.obsolete, block.context, block.msgid] = (
            _fingerprint(message),
            block.text,
        )
    catalog._raw_entries = raw
    catalog._raw_header = (_header_view(catalog), header) if header else None
    catalog._raw_end = "\n" * (len(data) - len(data.rstrip(b"\n"))) or "\n"


def _comment_lines(mark: str, comments: list[str]) -> list[str]:
    """Write comments, long ones wrapped at 76 columns as Babel wraps them."""
    lines = []
    for comment in comments:
        parts = wraptext(comment, COMMENT_WIDTH) if comment else [""]
        lines += [f"{mark} {part.strip()}" if part.strip() else mark for part in parts]
    return lines


def _references(locations: list[tuple[str, int | None]]) -> list[str]:
    """Write ``#:`` lines as GNU does: as many references a line as fit."""
    if not locations:
        return []
    lines, line = [], "#:"
    for filename, lineno in locations:
        ref = f"{filename}:{lineno}" if lineno is not None else filename
        if len(line) > 2 and len(line) + len(ref) + 1 > PAGE_WIDTH:
            lines.append(line)
            line = "#:"
        line += f" {ref}"
    return [*lines, line]


def format_message(message: Message, obsolete: bool = False) -> str:
    """Return an entry as GNU msgcat writes it."""
    width = 10**9 if "no-wrap" in message.flags else PAGE_WIDTH
    fmt = "python-format" in message.flags
    prefix = "#~ " if obsolete else ""
    lines = _comment_lines("#", message.user_comments)
    if not obsolete:
        lines += _comment_lines("#.", message.auto_comments)
        lines += _references(message.locations)
    flags = sorted(message.flags - {"fuzzy"})
    if message.fuzzy:
        flags.insert(0, "fuzzy")
    if flags:
        lines.append("#, " + ", ".join(flags))
    previous = list(message.previous_id or ())
    ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
    if previous and previous != ids[: len(previous)]:
        before = "#~| " if obsolete else "#| "
        lines += wrap("msgid", previous[0], before, width, fmt)
        if len(previous) > 1:
            lines += wrap("msgid_plural", previous[1], before, width, fmt)
    if message.context is not None:
        lines += wrap("msgctxt", message.context, prefix, width)
    lines += wrap("msgid", ids[0], prefix, width, fmt)
    if len(ids) > 1:
        lines += wrap("msgid_plural", ids[1], prefix, width, fmt)
        strings = message.string if isinstance(message.string, (list, tuple)) else ()
        for i, string in enumerate(strings or ("",) * 2):
            lines += wrap(f"msgstr[{i}]", string or "", prefix, width, fmt)
    else:
        string = message.string if isinstance(message.string, str) else ""
        lines += wrap("msgstr", string or "", prefix, width, fmt)
    return "\n".join(lines)


def _header_text(catalog: Catalog) -> str:
    """Return the header entry, editing in place the fields that changed."""
    now = _header_view(catalog)
    kept = getattr(catalog, "_raw_header", None)
    if kept is not None and kept[0] == now:
        return kept[1]
    fields = [(k, v.rstrip("\n")) for k, v in catalog.mime_headers]
    comment = catalog.header_comment
    if kept is not None:
        before = dict(kept[0][1])
        old = dict((k, v.rstrip("\n")) for k, v in kept[0][1])
        original = _raw_fields(kept[1])
        changed = {k: v for k, v in fields if old.get(k) != v or k not in before}
        fields = [(k, changed.get(k, v)) for k, v in original]
        fields += [(k, v) for k, v in changed.items() if k not in dict(original)]
        if kept[0][0] == now[0]:
            comment = "\n".join(
                line
                for line in kept[1].split("\n")
                if line.startswith("#") and not line.startswith(("#,", "#|", "#~"))
            )
    lines = []
    for line in comment.split("\n") if comment else []:
        if len(line) > COMMENT_WIDTH:  # a new header: wrapped as Babel wraps it
            lines += ["# " + part.strip() for part in wraptext(line[2:], COMMENT_WIDTH)]
        elif line:
            lines.append(line)
    if catalog.fuzzy:
        lines.append("#, fuzzy")
    lines.append('msgid ""')
    lines += wrap("msgstr", "".join(f"{k}: {v}\n" for k, v in fields))
    return "\n".join(lines)


def _raw_fields(header: str) -> list[tuple[str, str]]:
    """Return the ``Key: value`` fields of a header entry, in the file's order."""
    strings, target = [], False
    for line in header.split("\n"):
        m = _LINE.match(line.strip())
        if m and not m.group("mark"):
            if m.group("key"):
                target = m.group("key") == "msgstr"
            if target:
                strings.append(unescape(m.group("string")))
    fields = []
    for line in "".join(strings).split("\n"):
        if m := _HEADER_LINE.match(line):
            fields.append((m.group(1).strip(), m.group(2).strip()))
    return fields


def dump_po(catalog: Catalog) -> bytes:
    """Return a catalog as PO bytes: unchanged entries as they were read."""
    raw = getattr(catalog, "_raw_entries", {})
    blocks = [_header_text(catalog)]
    entries = [m for m in catalog if m.id]
    for obsolete, messages in ((False, entries), (True, catalog.obsolete.values())):
        for message in messages:
            kept = raw.get((obsolete, message.context, _key(message)))
            if kept is not None and kept[0] == _fingerprint(message):
                blocks.append(kept[1])
            else:
                blocks.append(format_message(message, obsolete))
    end = getattr(catalog, "_raw_end", "\n")
    return ("\n\n".join(blocks) + end).encode("utf-8")


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


# What Babel and xgettext write into a header for someone to fill in later.
_PLACEHOLDERS = ("FIRST AUTHOR", "FULL NAME", "EMAIL@ADDRESS", "LL@li.org", "YEAR-MO")


def is_placeholder(value: str) -> bool:
    """Tell whether a header value is a template's placeholder, not a fact.

    >>> is_placeholder("# FIRST AUTHOR <EMAIL@ADDRESS>, 2026.")
    True
    >>> is_placeholder("Ana P.")
    False
    """
    return any(p in value for p in _PLACEHOLDERS) or value.startswith("LANGUAGE ")


def clean_header(catalog: Catalog, team: str) -> None:
    """Replace the placeholders in a catalog's header with what is known.

    The ``# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.`` line credits no one, so it
    goes (real credit lines stay: the credits page reads them); a placeholder
    Last-Translator becomes empty, and a Language-Team that names no team
    becomes ``team``. A fuzzy header would keep msgfmt from compiling the file.
    """
    lines = catalog.header_comment.split("\n")
    kept = [line for line in lines if not is_placeholder(line)]
    if kept != lines:
        catalog.header_comment = "\n".join(kept)
    if is_placeholder(catalog.last_translator):
        catalog.last_translator = ""
    if is_placeholder(catalog.language_team) or catalog.language_team.endswith("<>"):
        catalog.language_team = team
    catalog.fuzzy = False


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write a file so that readers see the old or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def locked(path: Path | str) -> Iterator[None]:
    """Hold an exclusive lock on a catalog, across threads and processes."""
    path = Path(path)
    lock = path.with_name(f".{path.name}.lock")
    with open(lock, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def edit_po(path: Path | str, locale: str, change: Callable[[Catalog], None]) -> None:
    """Read a catalog, change it and write it back, with nothing lost between.

    The lock keeps concurrent edits from overwriting each other; the atomic
    write leaves the old or the new file whole, never a broken one.
    """
    with locked(path):
        catalog = load_po(path, locale)
        change(catalog)
        catalog.revision_date = dt.datetime.now(dt.UTC)
        save_po(path, catalog)


def save_po(path: Path | str, catalog: Catalog) -> bool:
    """Write a catalog if its content changed; return whether it was written.

    Timestamps in the header alone do not count as a change, so running a
    command twice leaves the files (and the diff) as they were.
    """
    data = dump_po(catalog)
    try:
        old = Path(path).read_bytes()
    except FileNotFoundError:
        old = None
    if old is not None and _without_dates(old) == _without_dates(data):
        return False
    write_atomic(path, data)
    return True


_DATES = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.M)


def _without_dates(data: bytes) -> bytes:
    return _DATES.sub(b"", data)
