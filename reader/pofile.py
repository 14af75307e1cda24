"""Read and write ``.po`` files through Babel, mending two of its traps.

Babel's ``read_po`` drops the ``#|`` previous-msgid lines of fuzzy entries,
and ``write_po(include_previous=True)`` wraps a long previous msgid into lines
that GNU msgfmt rejects. We read those lines ourselves and write them with
the same wrapping as msgids. Every file is written at one width, atomically.
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
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import normalize, unescape, write_po

from .catalogs import parse_po

WIDTH = 76

_PREV = re.compile(r'^#\|\s*(msgctxt|msgid|msgid_plural)?\s*(".*")\s*$')
_KEY = re.compile(r'^(msgctxt|msgid)\s+(".*")\s*$')
_CONT = re.compile(r'^(".*")\s*$')


def _previous_ids(text: str) -> dict[tuple[str | None, str], str]:
    """Map (msgctxt, msgid) of each entry to its ``#| msgid`` text."""
    found = {}
    for block in text.split("\n\n"):
        prev: dict[str, list[str]] = {}
        cur: dict[str, list[str]] = {}
        target = None
        for line in block.splitlines():
            line = line.strip()
            if m := _PREV.match(line):
                if m.group(1):
                    target = prev.setdefault(m.group(1), [])
                if target is not None:
                    target.append(m.group(2))
            elif m := _KEY.match(line):
                target = cur.setdefault(m.group(1), [])
                target.append(m.group(2))
            elif (m := _CONT.match(line)) and target is not None:
                target.append(m.group(1))
            elif line.startswith(("msgstr", "msgid_plural")):
                target = None
        if "msgid" in prev and "msgid" in cur:
            ctx = (
                "".join(unescape(s) for s in cur["msgctxt"])
                if "msgctxt" in cur
                else None
            )
            msgid = "".join(unescape(s) for s in cur["msgid"])
            found[ctx, msgid] = "".join(unescape(s) for s in prev["msgid"])
    return found


def load_po(path: Path | str, locale: str | None = None) -> Catalog:
    """Read a catalog strictly, keeping each fuzzy entry's previous msgid."""
    data = Path(path).read_bytes()
    catalog = parse_po(data, path, locale)
    # Babel reads "#| msgid ..." lines as user comments; they are not comments.
    for message in [*catalog, *catalog.obsolete.values()]:
        message.user_comments = [
            c for c in message.user_comments if not c.startswith("|")
        ]
    for (ctx, msgid), previous in _previous_ids(data.decode("utf-8")).items():
        message = catalog.get(msgid, ctx)
        if message is not None:
            message.previous_id = [previous]
    return catalog


def dump_po(catalog: Catalog) -> bytes:
    """Return a catalog as PO bytes, with well-formed ``#|`` lines."""
    buf = io.BytesIO()
    write_po(buf, catalog, width=WIDTH, include_previous=False)
    blocks = buf.getvalue().decode("utf-8").split("\n\n")
    messages = list(catalog)
    for i, message in enumerate(messages):
        if i >= len(blocks) or not message.id or not message.previous_id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        prev = message.previous_id[0]
        if not prev or prev == msgid:
            continue
        if f"msgid {normalize(msgid, width=WIDTH)}" not in blocks[i]:
            continue  # not the block we think it is: write no previous text
        lines = blocks[i].split("\n")
        at = next(
            j for j, line in enumerate(lines) if line.startswith(("msgctxt ", "msgid "))
        )
        lines.insert(at, "#| msgid " + normalize(prev, prefix="#| ", width=WIDTH))
        blocks[i] = "\n".join(lines)
    return "\n\n".join(blocks).encode("utf-8")


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
