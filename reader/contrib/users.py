"""Accounts and roles: translators and reviewers per language, admins, invites."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
import sqlite3
from dataclasses import dataclass

from werkzeug.security import check_password_hash, generate_password_hash

from .db import log

ROLES = ("translator", "reviewer")
USERNAME = re.compile(r"^[\w.-]{2,40}$")
# What git takes as an address: no spaces, no angle brackets, one @.
EMAIL = re.compile(r"^[^\s<>@]+@[^\s<>@]+$")
MIN_PASSWORD = 10
INVITE_DAYS = 7
# Failed logins allowed per account in the window before it must wait.
MAX_FAILURES, WINDOW_MINUTES = 5, 15


class AccountError(ValueError):
    """An account request that cannot be done; the message says why."""


@dataclass(frozen=True)
class User:
    """A signed-in person and what they may do."""

    id: int
    username: str
    display_name: str
    is_admin: bool
    roles: frozenset[tuple[str, str]]
    # A sign-in made under another generation of this account is void.
    session_version: int = 0
    # The address this person chose to show in commits; None: a no-reply one.
    public_email: str | None = None

    def can(self, role: str, lang: str) -> bool:
        """Tell whether this user has ``role`` for ``lang`` (a reviewer may
        also translate; ``*`` stands for every language)."""
        wanted = {role} | ({"reviewer"} if role == "translator" else set())
        return any(r in wanted and lg in (lang, "*") for r, lg in self.roles)

    def languages(self, role: str) -> set[str]:
        return {lg for r, lg in self.roles if r == role}


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def get_user(db: sqlite3.Connection, user_id: int) -> User | None:
    """Return the user with ``user_id``, or None."""
    row = db.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        return None
    roles = db.execute("SELECT role, lang FROM roles WHERE user_id = ?", (user_id,))
    return User(
        row["id"],
        row["username"],
        row["display_name"],
        bool(row["is_admin"]),
        frozenset((r["role"], r["lang"]) for r in roles),
        row["session_version"],
        row["public_email"],
    )


def end_sign_ins(db: sqlite3.Connection, user_id: int) -> None:
    """End every sign-in of an account, on every device."""
    db.execute(
        "UPDATE users SET session_version = session_version + 1 WHERE id = ?",
        (user_id,),
    )


def create_user(
    db: sqlite3.Connection,
    username: str,
    display_name: str = "",
    is_admin: bool = False,
) -> int:
    """Create an account without a password (it gets one through an invite)."""
    if not USERNAME.match(username):
        raise AccountError("a user name has 2 to 40 letters, digits, '.', '-' or '_'")
    try:
        cursor = db.execute(
            "INSERT INTO users (username, display_name, is_admin) VALUES (?, ?, ?)",
            (
                username,
                " ".join((display_name or username).split())[:80],
                int(is_admin),
            ),
        )
    except sqlite3.IntegrityError as e:
        raise AccountError(f"the user name {username!r} is taken") from e
    log(db, "create user", None, detail=username)
    return cursor.lastrowid


def set_public_email(db: sqlite3.Connection, user_id: int, address: str) -> None:
    """Publish ``address`` in this person's commits; an empty one means no-reply."""
    address = address.strip()
    if address and not EMAIL.match(address):
        raise AccountError(f"{address!r} is not an e-mail address")
    db.execute(
        "UPDATE users SET public_email = ? WHERE id = ?", (address or None, user_id)
    )
    log(db, "public address", None, detail=str(user_id))


def find_user_id(db: sqlite3.Connection, username: str) -> int:
    row = db.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()
    if row is None:
        raise AccountError(f"there is no user {username!r}: see 'flask users list'")
    return row["id"]


def grant(db: sqlite3.Connection, user_id: int, role: str, lang: str) -> None:
    """Give ``role`` for ``lang`` (a BCP 47 tag, or ``*``)."""
    if role not in ROLES:
        raise AccountError(f"a role is one of {', '.join(ROLES)}")
    db.execute("INSERT OR IGNORE INTO roles VALUES (?, ?, ?)", (user_id, role, lang))
    log(db, "grant", None, lang, detail=f"{user_id} {role}")


def revoke(db: sqlite3.Connection, user_id: int, role: str, lang: str) -> None:
    """Take ``role`` for ``lang`` away and end the account's sign-ins."""
    db.execute(
        "DELETE FROM roles WHERE user_id = ? AND role = ? AND lang = ?",
        (user_id, role, lang),
    )
    end_sign_ins(db, user_id)
    log(db, "revoke", None, lang, detail=f"{user_id} {role}")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(db: sqlite3.Connection, user_id: int) -> str:
    """Return a one-time token that lets the user set a password."""
    token = secrets.token_urlsafe(24)
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=INVITE_DAYS)
    db.execute(
        "INSERT INTO invites VALUES (?, ?, ?)",
        (_token_hash(token), user_id, expires.strftime("%Y-%m-%d %H:%M:%S")),
    )
    return token


def reset(db: sqlite3.Connection, user_id: int) -> str:
    """End the account's sign-ins, forget its password (it may be known to
    someone else), and return a token to set a new one."""
    end_sign_ins(db, user_id)
    db.execute("UPDATE users SET password_hash = NULL WHERE id = ?", (user_id,))
    log(db, "reset", None, detail=str(user_id))
    return invite(db, user_id)


def invited_user(db: sqlite3.Connection, token: str) -> int | None:
    """Return the user an unexpired invite token is for, or None."""
    row = db.execute(
        "SELECT user_id FROM invites WHERE token_hash = ? AND expires_at > ?",
        (_token_hash(token), _now()),
    ).fetchone()
    return row["user_id"] if row else None


def accept_invite(db: sqlite3.Connection, token: str, password: str) -> int:
    """Set the invited user's password and use up the invite."""
    user_id = invited_user(db, token)
    if user_id is None:
        raise AccountError("this invite link is not valid any more: ask for a new one")
    set_password(db, user_id, password)
    db.execute("DELETE FROM invites WHERE token_hash = ?", (_token_hash(token),))
    log(db, "accept invite", user_id)
    return user_id


def set_password(db: sqlite3.Connection, user_id: int, password: str) -> None:
    """Set a new password and end every sign-in made with the old one."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"use at least {MIN_PASSWORD} characters")
    db.execute(
        "UPDATE users SET password_hash = ?, session_version = session_version + 1 "
        "WHERE id = ?",
        (generate_password_hash(password), user_id),
    )


def too_many_failures(db: sqlite3.Connection, username: str) -> bool:
    """Tell whether an account has failed to sign in too often lately."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=WINDOW_MINUTES)
    db.execute(
        "DELETE FROM login_attempts WHERE at < ?",
        (since.strftime("%Y-%m-%d %H:%M:%S"),),
    )
    count = db.execute(
        "SELECT COUNT(*) FROM login_attempts WHERE username = ?", (username,)
    ).fetchone()[0]
    return count >= MAX_FAILURES


@functools.cache
def _dummy_hash() -> str:
    """Return a hash of no one's password, made once per process."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(db: sqlite3.Connection, username: str, password: str) -> int | None:
    """Return the user id if the password is right; record a failure if not."""
    dummy = _dummy_hash()  # made before any lookup: the first call costs the same
    row = db.execute(
        "SELECT id, password_hash FROM users WHERE username = ?", (username,)
    ).fetchone()
    hashed = row["password_hash"] if row else None
    # One hash whoever the name is, so the time taken tells no one which exist.
    matches = check_password_hash(hashed or dummy, password)
    if hashed and matches:
        db.execute("DELETE FROM login_attempts WHERE username = ?", (username,))
        return row["id"]
    db.execute("INSERT INTO login_attempts (username) VALUES (?)", (username[:60],))
    return None


def list_users(db: sqlite3.Connection) -> list[User]:
    ids = [r["id"] for r in db.execute("SELECT id FROM users ORDER BY username")]
    return [get_user(db, i) for i in ids]
