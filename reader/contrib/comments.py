"""Comments per block, and the history of a block and of a language.

A comment is seen by every translator and reviewer of its language. The
suggestions table is the history of a block: each proposed translation, who
wrote it, and who accepted or rejected it when; a row a reviewer accepted as
its own author is a direct save.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from flask_babel import gettext as _

from ..catalogs import split_key
from .db import log
from .suggestions import SuggestionError, allowed, anchor
from .users import User

MAX_LENGTH = 2000
# How many events the history of a language shows.
LANGUAGE_EVENTS = 200
# Log actions the history already shows from the rows they made.
SHOWN_FROM_ROWS = ("suggest", "save", "accept", "reject", "comment")


def english(key: str) -> tuple[str, str]:
    """Return a block's English and its context ("" if none) from its key."""
    msgid, context = split_key(key)
    return msgid, context or ""


def _time(value: str | None) -> dt.datetime | None:
    """Read one of SQLite's CURRENT_TIMESTAMP values, which are in UTC."""
    if not value:
        return None
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Event:
    """One thing that happened to a block or a document, as history shows it.

    ``kind`` is suggested, saved (a reviewer's direct save), accepted,
    rejected, comment, or log (a row of the history table, see ``action``).
    """

    kind: str
    at: dt.datetime
    who: str
    domain: str
    msgid: str = ""
    text: str = ""
    status: str = ""
    author: str = ""
    decided_by: str = ""
    decided_at: dt.datetime | None = None
    action: str = ""
    detail: str = ""

    @property
    def anchor(self) -> str:
        return anchor(self.msgid) if self.msgid else ""


def may_see(user: User | None, lang: str) -> bool:
    """Tell whether ``user`` may read the comments and history of ``lang``."""
    return user is not None and (user.is_admin or user.can("translator", lang))


def add(
    db: sqlite3.Connection,
    user: User,
    lang: str,
    domain: str,
    msgid: str,
    text: str,
    known: list[str],
) -> int:
    """Store a comment on a block from a translator or reviewer of ``lang``."""
    allowed(user, "translator", lang, msgid, known)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise SuggestionError(_("Write a comment first."))
    if len(text) > MAX_LENGTH:
        raise SuggestionError(
            _("A comment has at most %(n)s characters.", n=MAX_LENGTH)
        )
    cursor = db.execute(
        "INSERT INTO comments (lang, domain, msgid, author_id, text) "
        "VALUES (?, ?, ?, ?, ?)",
        (lang, domain, msgid, user.id, text),
    )
    log(db, "comment", user.id, lang, domain, msgid[:200])
    return cursor.lastrowid


def _comments(db: sqlite3.Connection, where: str, params: tuple) -> list[Event]:
    rows = db.execute(
        "SELECT c.*, u.display_name AS author FROM comments c "
        f"JOIN users u ON u.id = c.author_id WHERE {where} ORDER BY c.id",
        params,
    )
    return [
        Event(
            "comment",
            _time(r["created_at"]),
            r["author"],
            r["domain"],
            r["msgid"],
            r["text"],
        )
        for r in rows
    ]


def _logged(db: sqlite3.Connection, where: str, params: tuple) -> list[Event]:
    """Return the logged actions on blocks (a check silenced) that ``where``
    selects; the others are shown from the rows they made."""
    skip = ", ".join("?" * len(SHOWN_FROM_ROWS))
    rows = db.execute(
        "SELECT 'log' AS kind, h.at, COALESCE(u.display_name, '') AS who, "
        "h.domain, h.msgid, '' AS text, '' AS status, '' AS author, h.action, "
        "h.detail FROM history h LEFT JOIN users u ON u.id = h.user_id "
        f"WHERE {where} AND h.action NOT IN ({skip}) ORDER BY h.id",
        (*params, *SHOWN_FROM_ROWS),
    )
    return [_event(r) for r in rows]


def _event(r: sqlite3.Row) -> Event:
    """Return the event of a row with the columns of ``_LANGUAGE``."""
    return Event(
        r["kind"],
        _time(r["at"]),
        r["who"],
        r["domain"],
        r["msgid"],
        r["text"],
        r["status"],
        r["author"],
        action=r["action"],
        detail=r["detail"],
    )


def for_document(db: sqlite3.Connection, lang: str, domain: str) -> dict:
    """Return a document's comments in a language: {msgid: [Event]}, oldest first."""
    found: dict[str, list[Event]] = {}
    for event in _comments(db, "c.lang = ? AND c.domain = ?", (lang, domain)):
        found.setdefault(event.msgid, []).append(event)
    return found


def block_history(
    db: sqlite3.Connection, lang: str, domain: str, msgid: str
) -> list[Event]:
    """Return every suggestion for a block, with its decision, every comment
    on it and every other logged action on it, newest first."""
    rows = db.execute(
        "SELECT s.*, a.display_name AS author, r.display_name AS reviewer "
        "FROM suggestions s JOIN users a ON a.id = s.author_id "
        "LEFT JOIN users r ON r.id = s.reviewer_id "
        "WHERE s.lang = ? AND s.domain = ? AND s.msgid = ?",
        (lang, domain, msgid),
    )
    events = [
        Event(
            "saved" if _direct(r) else "suggested",
            _time(r["created_at"]),
            r["author"],
            domain,
            msgid,
            r["text"],
            r["status"],
            r["author"],
            r["reviewer"] or "",
            _time(r["decided_at"]),
        )
        for r in rows
    ]
    events += _comments(
        db, "c.lang = ? AND c.domain = ? AND c.msgid = ?", (lang, domain, msgid)
    )
    events += _logged(
        db, "h.lang = ? AND h.domain = ? AND h.msgid = ?", (lang, domain, msgid)
    )
    # Newest first; in one second, a comment is taken as the later.
    return sorted(events, key=lambda e: (e.at, e.kind == "comment"), reverse=True)


def _direct(row: sqlite3.Row) -> bool:
    """Tell whether a suggestion row is a reviewer's direct save."""
    return row["status"] == "accepted" and row["reviewer_id"] == row["author_id"]


# Every event of a language: suggestions when made, decisions when taken
# (a direct save is one event), comments, and the other logged actions on its
# documents. ``rank`` orders what happened in the same second.
_LANGUAGE = """
SELECT CASE WHEN s.status = 'accepted' AND s.reviewer_id = s.author_id
       THEN 'saved' ELSE 'suggested' END AS kind, s.created_at AS at, 0 AS rank,
       s.id AS ref, a.display_name AS who, s.domain, s.msgid, s.text, s.status,
       a.display_name AS author, '' AS action, '' AS detail
FROM suggestions s JOIN users a ON a.id = s.author_id WHERE s.lang = :lang
UNION ALL
SELECT s.status, s.decided_at, 1, s.id, r.display_name, s.domain, s.msgid,
       s.text, s.status, a.display_name, '', ''
FROM suggestions s JOIN users a ON a.id = s.author_id
JOIN users r ON r.id = s.reviewer_id
WHERE s.lang = :lang AND s.decided_at IS NOT NULL AND s.reviewer_id != s.author_id
UNION ALL
SELECT 'comment', c.created_at, 2, c.id, u.display_name, c.domain, c.msgid,
       c.text, '', u.display_name, '', ''
FROM comments c JOIN users u ON u.id = c.author_id WHERE c.lang = :lang
UNION ALL
SELECT 'log', h.at, 3, h.id, COALESCE(u.display_name, ''), h.domain, h.msgid,
       '', '', '', h.action, h.detail
FROM history h LEFT JOIN users u ON u.id = h.user_id
WHERE h.lang = :lang AND h.domain != '' AND h.action NOT IN ({skip})
ORDER BY at DESC, rank DESC, ref DESC LIMIT :limit
""".format(skip=", ".join(f"'{a}'" for a in SHOWN_FROM_ROWS))


def language_history(
    db: sqlite3.Connection, lang: str, limit: int = LANGUAGE_EVENTS
) -> list[Event]:
    """Return the latest events of a language across its documents, newest first."""
    rows = db.execute(_LANGUAGE, {"lang": lang, "limit": limit})
    return [_event(r) for r in rows]


def action_label(action: str) -> str:
    """Return what a logged action is called in the interface (or its name)."""
    labels = {
        # TRANSLATORS: in a language's history, after a reviewer's name.
        "silence": _("changed the silenced checks"),
        # TRANSLATORS: in a language's history, after a reviewer's name: the
        # translations in the file were written at once.
        "upload applied": _("uploaded a .po file, saved at once"),
        # TRANSLATORS: in a language's history, after a translator's name.
        "upload": _("uploaded a .po file as suggestions"),
    }
    return labels.get(action, action)
