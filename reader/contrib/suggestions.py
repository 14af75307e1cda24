"""Suggestions: proposed translations, accepted into ``.po`` files by reviewers.

Nothing reaches a ``.po`` file from an unreviewed suggestion: only a
reviewer of the language accepts one, and accepting writes the catalog under
a lock, atomically, and credits the translator in the gettext header.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message, TranslationError
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup, escape

from .. import meaning
from ..catalogs import is_current
from ..errors import CatalogError
from ..i18n import INTERFACE
from ..meaning import SILENCEABLE
from ..pofile import load_po, locked, parse_po, save_po, write_atomic
from ..translate import checks
from ..translate.glossary import Term
from ..translate.workflow import Project
from . import gitsync
from .db import log
from .users import User, get_user

MAX_LENGTH = 5000
CHECKERS = (
    checks.placeholders,
    checks.links,
    checks.inline_code,
    checks.no_html,
    checks.emphasis,
    checks.whitespace,
    checks.bidi_controls,
    checks.numbers,
    checks.urls,
)
# The interface is %-formatted when shown (Jinja's newstyle gettext); documents
# never are, so a percent sign in a document is just text.
INTERFACE_CHECKERS = (*CHECKERS, checks.formatting)


class SuggestionError(ValueError):
    """A suggestion or upload that cannot be taken; the message says why."""


@dataclass
class Block:
    """One translation unit as a translator sees it."""

    msgid: str
    comment: str
    current: str
    fuzzy: bool
    previous: str
    glossary: list[tuple[str, str]]
    silenced: frozenset[str] = frozenset()
    pending: list[sqlite3.Row] = field(default_factory=list)
    memory: list = field(default_factory=list)  # translate.memory.Match

    @property
    def anchor(self) -> str:
        """Return the block's id in the editor page, the same on every visit."""
        return "b-" + hashlib.blake2b(self.msgid.encode(), digest_size=5).hexdigest()

    @property
    def state(self) -> str:
        if self.current and not self.fuzzy:
            return "done"
        return "fuzzy" if self.fuzzy else "missing"

    @property
    def diff(self) -> Markup:
        """Show what changed in the English since the old translation."""
        return word_diff(self.previous, self.msgid) if self.previous else Markup()


def word_diff(old: str, new: str) -> Markup:
    """Mark removed and added words between two texts, escaped.

    >>> word_diff("Keep the door shut.", "Keep the door closed.")
    Markup('Keep the door <del>shut.</del> <ins>closed.</ins>')
    """
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Markup("<del>{}</del>").format(" ".join(a[i1:i2])))
        if j2 > j1:
            out.append(Markup("<ins>{}</ins>").format(" ".join(b[j1:j2])))
    return Markup(" ").join(out)


def catalog_path(project: Project, lang: str, domain: str) -> Path:
    path = project.catalog(lang.replace("-", "_"), domain)
    if not path.is_file():
        raise SuggestionError(_("There is no such document in this language."))
    return path


def blocks(
    project: Project,
    catalog: Catalog,
    template_ids: list[str],
    glossary: list[Term],
) -> list[Block]:
    """Return every unit of a domain with its translation state and glossary."""
    result = []
    for msgid in template_ids:
        message = catalog.get(msgid)
        terms = [
            (t.english, t.translations[0])
            for t in glossary
            if t.english != msgid and t.pattern.search(msgid)
        ]
        result.append(
            Block(
                msgid=msgid,
                comment=" ".join(message.auto_comments) if message else "",
                current=(
                    message.string
                    if message and isinstance(message.string, str)
                    else ""
                ),
                fuzzy=bool(message and message.fuzzy),
                previous=(message.previous_id or [""])[0] if message else "",
                glossary=terms,
                silenced=silenced_checks(message),
            )
        )
    return result


def checkers(domain: str) -> tuple:
    """Return the checks every translation in ``domain`` must pass."""
    return INTERFACE_CHECKERS if domain == INTERFACE else CHECKERS


def silenced_checks(message: Message | None) -> frozenset[str]:
    """Return the checks a reviewer silenced on a message (``ignore-*`` flags)."""
    if message is None:
        return frozenset()
    return frozenset(c for c in SILENCEABLE if meaning.silenced(message.flags, c))


def current_flags(project: Project, lang: str, domain: str, msgid: str) -> set[str]:
    """Return the silencing flags our catalog holds for ``msgid``."""
    catalog = load_po(catalog_path(project, lang, domain), lang.replace("-", "_"))
    return {meaning.flag(c) for c in silenced_checks(catalog.get(msgid))}


def validate(
    domain: str, msgid: str, text: str, flags: set[str] | frozenset[str] = frozenset()
) -> str:
    """Return a suggestion's text if it keeps the English's Markdown, numbers
    and addresses intact and can be shown where ``domain`` is used.

    ``flags`` are the checks a reviewer silenced on this message.
    """
    text = text.replace("\r\n", "\n")
    if not text.strip():
        raise SuggestionError(_("Write a translation first."))
    if len(text) > MAX_LENGTH:
        raise SuggestionError(
            _("A translation has at most %(n)s characters.", n=MAX_LENGTH)
        )
    message = Message(msgid, text, flags=flags)
    for checker in checkers(domain):
        try:
            checker(None, message)
        except TranslationError as e:
            raise SuggestionError(str(e)) from e
    return text


def suggest(
    db: sqlite3.Connection,
    user: User,
    lang: str,
    domain: str,
    msgid: str,
    text: str,
    known: list[str],
    flags: set[str] | frozenset[str] = frozenset(),
) -> int:
    """Store a suggestion from a translator of ``lang``.

    ``flags`` are the checks a reviewer silenced on the message (see
    ``current_flags``).
    """
    if not user.can("translator", lang):
        raise PermissionError(lang)
    if msgid not in known:
        raise SuggestionError(
            _("This text is not in the document any more. Reload the page.")
        )
    text = validate(domain, msgid, text, flags)
    cursor = db.execute(
        "INSERT INTO suggestions (lang, domain, msgid, text, author_id) "
        "VALUES (?, ?, ?, ?, ?)",
        (lang, domain, msgid, text, user.id),
    )
    log(db, "suggest", user.id, lang, domain, msgid[:200])
    return cursor.lastrowid


def pending(db: sqlite3.Connection, lang: str, domain: str) -> list[sqlite3.Row]:
    return db.execute(
        "SELECT s.*, u.display_name AS author FROM suggestions s "
        "JOIN users u ON u.id = s.author_id WHERE lang = ? AND domain = ? "
        "AND status = 'pending' ORDER BY s.id",
        (lang, domain),
    ).fetchall()


def find(db: sqlite3.Connection, suggestion_id: int) -> sqlite3.Row | None:
    """Return a suggestion, whatever its status, or None."""
    return db.execute(
        "SELECT * FROM suggestions WHERE id = ?", (suggestion_id,)
    ).fetchone()


def credit(catalog: Catalog, name: str, year: int) -> None:
    """Name a translator in the header, the gettext way, and as last translator."""
    line = f"{name}, {year}."
    lines = catalog.header_comment.splitlines()
    if not any(x.lstrip("# ").startswith(f"{name},") for x in lines):
        catalog.header_comment = "\n".join([*lines, f"# {line}"])
    catalog.last_translator = name


def save_catalog(
    db: sqlite3.Connection | None,
    path: Path,
    locale: str,
    change: Callable[[Catalog], None],
    author: str,
    subject: str,
    reviewer: str | None = None,
) -> bool:
    """Change a catalog under its lock and, when the translations are in git,
    commit that one file as ``author`` and queue the push (in ``db``).

    A catalog with changes made outside this site is refused, not overwritten
    nor committed; a failed commit puts the file back. Return whether the
    catalog changed.
    """
    settings = gitsync.Settings.from_app(current_app)
    try:
        with gitsync.repository(settings) as top, locked(path):
            commit = top is not None and gitsync.tracked(top, path)
            before = path.read_bytes()
            catalog = load_po(path, locale)
            change(catalog)
            catalog.revision_date = dt.datetime.now(dt.UTC)
            if not save_po(path, catalog):
                return False
            if not commit:
                return True
            text = gitsync.message(subject, author, reviewer)
            try:
                sha = gitsync.commit(settings, top, path, author, text)
            except gitsync.GitError:
                write_atomic(path, before)
                with contextlib.suppress(gitsync.GitError):
                    gitsync.unstage(top, path)
                raise
            if db is not None:
                gitsync.enqueue(db, settings, sha)
    except gitsync.GitError as e:
        current_app.logger.warning("not saved: %s", e)
        raise SuggestionError(str(e)) from e
    return True


def write_translations(
    project: Project,
    lang: str,
    domain: str,
    entries: dict[str, str],
    translator: str,
    *,
    db: sqlite3.Connection | None = None,
    author: User | None = None,
    reviewer: User | None = None,
) -> None:
    """Write accepted translations into a catalog, crediting ``translator``;
    in git, ``author`` wrote them and ``reviewer`` accepted them."""
    path = catalog_path(project, lang, domain)
    settings = gitsync.Settings.from_app(current_app)

    def change(catalog: Catalog) -> None:
        for msgid, text in entries.items():
            message = catalog.get(msgid)
            if message is None:
                raise SuggestionError(
                    _("This text is not in the document any more. Reload the page.")
                )
            message.string = text
            message.flags.discard("fuzzy")
            message.previous_id = []
        credit(catalog, translator, dt.date.today().year)

    n = len(entries)
    save_catalog(
        db,
        path,
        lang.replace("-", "_"),
        change,
        settings.person(author, translator),
        f"Translate {domain} into {lang}: {n} string{'' if n == 1 else 's'}",
        settings.person(reviewer) if reviewer is not None else None,
    )


def decide(
    db: sqlite3.Connection,
    project: Project,
    reviewer: User,
    suggestion_id: int,
    accept: bool,
) -> sqlite3.Row:
    """Accept (write to the .po) or reject a pending suggestion.

    The decision is claimed in one transaction with the .po write: of two
    reviewers deciding at once exactly one wins, and a failed write leaves the
    suggestion pending.
    """
    row = db.execute(
        "SELECT s.*, u.display_name AS author FROM suggestions s JOIN "
        "users u ON u.id = s.author_id WHERE s.id = ?",
        (suggestion_id,),
    ).fetchone()
    if row is None or row["status"] != "pending":
        raise SuggestionError(_("Someone already decided on this suggestion."))
    if not reviewer.can("reviewer", row["lang"]):
        raise PermissionError(row["lang"])
    if accept:
        # Checked again: the rules may be newer than the suggestion.
        validate(
            row["domain"],
            row["msgid"],
            row["text"],
            current_flags(project, row["lang"], row["domain"], row["msgid"]),
        )
    db.execute("BEGIN IMMEDIATE")
    try:
        claimed = db.execute(
            "UPDATE suggestions SET status = ?, reviewer_id = ?, "
            "decided_at = CURRENT_TIMESTAMP WHERE id = ? AND status = 'pending'",
            ("accepted" if accept else "rejected", reviewer.id, suggestion_id),
        ).rowcount
        if not claimed:
            raise SuggestionError(_("Someone already decided on this suggestion."))
        if accept:
            write_translations(
                project,
                row["lang"],
                row["domain"],
                {row["msgid"]: row["text"]},
                row["author"],
                db=db,
                author=get_user(db, row["author_id"]),
                reviewer=reviewer,
            )
        log(
            db,
            "accept" if accept else "reject",
            reviewer.id,
            row["lang"],
            row["domain"],
            str(suggestion_id),
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    if accept:
        gitsync.queued(current_app)
    return row


def check_upload(catalog: Catalog, domain: str, filename: str) -> list[str]:
    """Return every problem in an uploaded catalog, located by line."""
    problems = [
        f"{filename}:{m.lineno}: {err}" for m, errs in catalog.check() for err in errs
    ]
    for message in catalog:
        for checker in checkers(domain):
            try:
                checker(catalog, message)
            except TranslationError as e:
                problems.append(f"{filename}:{message.lineno}: {e}")
    return list(dict.fromkeys(problems))


def upload(
    db: sqlite3.Connection,
    project: Project,
    user: User,
    lang: str,
    domain: str,
    data: bytes,
    filename: str,
    known: list[str],
) -> tuple[int, bool]:
    """Take a .po file edited offline: check it whole, then turn its entries
    into suggestions (applied at once for a reviewer of the language).

    Return how many entries were taken and whether they were applied.
    """
    if not user.can("translator", lang):
        raise PermissionError(lang)
    try:
        catalog = parse_po(data, filename, lang.replace("-", "_"))
    except CatalogError as e:
        raise SuggestionError(str(e)) from e
    current = parse_po(catalog_path(project, lang, domain).read_bytes(), "current")
    for message in catalog:
        # Where a text is used (which decides whether it is %-formatted) is for
        # our catalog to say, not for the uploaded file.
        ours = current.get(message.id) if message.id else None
        message.locations = ours.locations if ours is not None else []
        # So is which checks are silenced: only a reviewer sets that, here.
        message.flags = {f for f in message.flags if not f.startswith("ignore-")}
        message.flags |= {meaning.flag(c) for c in silenced_checks(ours)}
    problems = check_upload(catalog, domain, filename)
    if problems:
        raise SuggestionError("; ".join(problems[:5]))
    entries = {}
    for message in catalog:
        if (
            message.id in known
            and is_current(message)
            and isinstance(message.string, str)
        ):
            old = current.get(message.id)
            if old is None or not is_current(old) or old.string != message.string:
                entries[message.id] = message.string
    if not entries:
        raise SuggestionError(
            _("The file holds no new or changed translations of this document.")
        )
    apply_now = user.can("reviewer", lang)
    if apply_now:
        write_translations(
            project, lang, domain, entries, user.display_name, db=db, author=user
        )
        log(db, "upload applied", user.id, lang, domain, f"{len(entries)} entries")
        gitsync.queued(current_app)
    else:
        for msgid, text in entries.items():
            db.execute(
                "INSERT INTO suggestions (lang, domain, msgid, text, author_id) "
                "VALUES (?, ?, ?, ?, ?)",
                (lang, domain, msgid, text, user.id),
            )
        log(db, "upload", user.id, lang, domain, f"{len(entries)} suggestions")
    return len(entries), apply_now


def silence(
    db: sqlite3.Connection,
    project: Project,
    reviewer: User,
    lang: str,
    domain: str,
    msgid: str,
    silenced: set[str],
    known: list[str],
) -> None:
    """Set which checks are silenced on one message: a reviewer's decision.

    Weblate's way: an ``ignore-<check>`` flag on the entry, kept by Weblate,
    Poedit and translate-toolkit (GNU msgmerge drops flags it does not know).
    """
    if not reviewer.can("reviewer", lang):
        raise PermissionError(lang)
    if msgid not in known:
        raise SuggestionError(
            _("This text is not in the document any more. Reload the page.")
        )
    unknown = silenced - set(SILENCEABLE)
    if unknown:
        raise SuggestionError(", ".join(sorted(unknown)))

    def change(catalog: Catalog) -> None:
        message = catalog.get(msgid)
        if message is None:
            raise SuggestionError(
                _("This text is not in the document any more. Reload the page.")
            )
        message.flags -= {meaning.flag(c) for c in SILENCEABLE}
        message.flags |= {meaning.flag(c) for c in silenced}

    settings = gitsync.Settings.from_app(current_app)
    save_catalog(
        db,
        catalog_path(project, lang, domain),
        lang.replace("-", "_"),
        change,
        settings.person(reviewer),
        f"Silence checks in {domain} ({lang}): {', '.join(sorted(silenced)) or 'none'}",
    )
    gitsync.queued(current_app)
    log(
        db,
        "silence",
        reviewer.id,
        lang,
        domain,
        f"{', '.join(sorted(silenced)) or 'none'}: {msgid[:150]}",
    )
