"""Sessions, CSRF and request limits for the translator web; readers never
get a cookie.

The session cookie is HttpOnly and SameSite=Lax, and Secure whenever the
request came over HTTPS. It names the account and the account's sign-in
generation: raising the generation (logout, a new password, a reset, a revoked
role) ends every copy of the cookie. Every form carries a token tied to the
session; a POST without it changes nothing. No form is read before the sender
and the body's size are known to be acceptable.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import sqlite3
from pathlib import Path

from flask import Flask, abort, request, session
from flask.sessions import SecureCookieSessionInterface

from .users import User, get_user

# Forms anyone may send: everything else needs a signed-in account.
OPEN_FORMS = frozenset({"contrib.login", "contrib.accept_invite"})
SMALL_FORM_BYTES = 8 * 1024
# A suggestion of MAX_LENGTH characters, 4-byte UTF-8 each and URL-encoded
# (12 bytes a character), with its English and the token.
FORM_BYTES = 64 * 1024
FORMS = frozenset(
    {
        "contrib.suggest",
        "contrib.save",
        "contrib.comment",
        "contrib.decide",
        "contrib.review",
        "contrib.logout",
    }
)
# The upload form's boundaries, part headers, token and fields around the file.
UPLOAD_MARGIN = 16 * 1024
# A page of the translator web: no scheme, host, backslash, control character,
# space or empty segment (so no "//host" either).
_LOCAL_PATH = re.compile(
    r"/translate/(?:[\w\-.~!$&'()*+,;=:@%]+/)*[\w\-.~!$&'()*+,;=:@%]*"
    r"(?:\?[^\x00-\x20\x7f\\#]*)?",
    re.ASCII,
)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, Secure under HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def csrf_token() -> str:
    """Return this session's CSRF token, creating it on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Refuse a state-changing request whose form lacks the session's token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.form.get("csrf", "")
    kept = session.get("csrf", "")
    # Bytes: compare_digest refuses str with non-ASCII characters.
    if not kept or not hmac.compare_digest(sent.encode(), kept.encode()):
        abort(400, description="csrf")


def sign_in(user: User) -> None:
    """Start a new session for ``user``, under the account's sign-in generation."""
    session.clear()
    session["user_id"] = user.id
    session["session_version"] = user.session_version


def signed_in_user(db: sqlite3.Connection) -> User | None:
    """Return who is signed in, unless that sign-in has been ended since."""
    user_id = session.get("user_id")
    if not user_id:
        return None
    user = get_user(db, user_id)
    if user is None or session.get("session_version") != user.session_version:
        session.pop("user_id", None)
        session.pop("session_version", None)
        return None
    return user


def local_next(value: str) -> str | None:
    """Return ``value`` if it is a page of the translator web, else None.

    >>> local_next("/translate/es/door/?show=all")
    '/translate/es/door/?show=all'
    >>> [local_next(v) for v in ("//evil.example", "/translate/\\r\\nX: y")]
    [None, None]
    """
    if not _LOCAL_PATH.fullmatch(value) or not value.isascii():
        return None
    path = value.split("?", 1)[0]
    if any(part in (".", "..") for part in path.split("/")):
        return None
    return value


def body_limit(app: Flask, endpoint: str | None) -> int:
    """Return the most bytes a request to ``endpoint`` may send."""
    if endpoint == "contrib.upload":
        limit = app.config["MAX_UPLOAD_BYTES"] + UPLOAD_MARGIN
    elif endpoint in FORMS:
        limit = FORM_BYTES
    else:
        limit = SMALL_FORM_BYTES
    ceiling = app.config.get("MAX_CONTENT_LENGTH")
    return min(limit, ceiling) if ceiling else limit


def secret_key(instance: Path) -> str:
    """Return the instance's secret key, creating it once (shared by workers)."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        tmp = instance / f".secret_key.{os.getpid()}.tmp"
        tmp.write_text(secrets.token_hex(32), encoding="ascii")
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)  # atomic: the first worker's key wins
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text(encoding="ascii").strip()


def init_app(app: Flask) -> None:
    """Configure cookies and make sure there is a secret key."""
    app.session_interface = SessionInterface()
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(Path(app.instance_path))
    app.add_template_global(csrf_token)
