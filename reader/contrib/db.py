"""SQLite for the translator web: accounts, roles, suggestions, comments, history.

One connection per request (as in Flask's tutorial), WAL mode for concurrent
workers, and numbered migrations tracked in ``PRAGMA user_version``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask import Flask, current_app, g

MIGRATIONS = [
    # 1: accounts, roles, invites, login attempts, suggestions, history.
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        password_hash TEXT,
        is_admin INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    CREATE TABLE roles (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('translator', 'reviewer')),
        lang TEXT NOT NULL,
        PRIMARY KEY (user_id, role, lang)
    );
    CREATE TABLE invites (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        expires_at TEXT NOT NULL
    );
    CREATE TABLE login_attempts (
        username TEXT NOT NULL COLLATE NOCASE,
        at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    CREATE INDEX login_attempts_by_name ON login_attempts (username, at);
    CREATE TABLE suggestions (
        id INTEGER PRIMARY KEY,
        lang TEXT NOT NULL,
        domain TEXT NOT NULL,
        msgid TEXT NOT NULL,
        text TEXT NOT NULL,
        author_id INTEGER NOT NULL REFERENCES users(id),
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'accepted', 'rejected')),
        reviewer_id INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
        decided_at TEXT
    );
    CREATE INDEX suggestions_by_block ON suggestions (lang, domain, status);
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        user_id INTEGER REFERENCES users(id),
        action TEXT NOT NULL,
        lang TEXT,
        domain TEXT,
        detail TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    """,
    # 2: a sign-in generation per account; raising it ends every sign-in.
    """
    ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0;
    """,
    # 3: commits waiting to be pushed, and the address a translator chose to
    # publish in commits (none: a no-reply one).
    """
    ALTER TABLE users ADD COLUMN public_email TEXT;
    CREATE TABLE pushes (
        id INTEGER PRIMARY KEY,
        commit_sha TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_try_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
        claimed_until TEXT,
        last_error TEXT,
        pushed_at TEXT
    );
    CREATE INDEX pushes_waiting ON pushes (pushed_at, next_try_at);
    """,
    # 4: comments on a block, seen by its language's translators; the history
    # of a language read by language.
    """
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        lang TEXT NOT NULL,
        domain TEXT NOT NULL,
        msgid TEXT NOT NULL,
        author_id INTEGER NOT NULL REFERENCES users(id),
        text TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    CREATE INDEX comments_by_document ON comments (lang, domain);
    CREATE INDEX history_by_lang ON history (lang, at);
    """,
    # 5: the block a logged action was about (a reviewer silencing a check),
    # so that its history and the language's link to it.
    """
    ALTER TABLE history ADD COLUMN msgid TEXT NOT NULL DEFAULT '';
    """,
]


def connect(path: str | Path) -> sqlite3.Connection:
    """Open the database, creating and migrating it as needed."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    migrate(db)
    return db


def migrate(db: sqlite3.Connection) -> int:
    """Apply the migrations this database has not seen; return its version."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another worker may have migrated while we waited for the lock.
            if db.execute("PRAGMA user_version").fetchone()[0] >= number:
                db.execute("ROLLBACK")
                continue
            for statement in script.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return len(MIGRATIONS)


def get_db() -> sqlite3.Connection:
    """Return this request's database connection."""
    if "db" not in g:
        g.db = connect(current_app.config["TRANSLATOR_DB"])
    return g.db


def close_db(error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def log(
    db: sqlite3.Connection,
    action: str,
    user_id: int | None,
    lang: str = "",
    domain: str = "",
    detail: str = "",
    msgid: str = "",
) -> None:
    """Record what someone did, for the history; ``msgid`` is the block it
    was about, if one."""
    db.execute(
        "INSERT INTO history (user_id, action, lang, domain, detail, msgid) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (user_id, action, lang, domain, detail, msgid),
    )


def init_app(app: Flask) -> None:
    """Close the connection at the end of each request."""
    app.teardown_appcontext(close_db)
